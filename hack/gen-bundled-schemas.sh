#!/usr/bin/env bash
# Regenerates src/schema/bundled/ from a real kube-apiserver; see hack/gen-bundled-schemas.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. hack/ensure-node.sh
exec npx tsx hack/gen-bundled-schemas.ts "$@"
