#!/usr/bin/env bash
# `npm run dev`: start the local control plane (building it on first use), install crds/, and
# print the KUBECONFIG line. Once the operator entry point exists (src/main.ts), it is built and
# run in the foreground with human-readable logs; Ctrl-C stops it (the cluster keeps running:
# `hack/local-cluster.sh down` stops it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. hack/ensure-node.sh
kubeconfig="$(bash hack/local-cluster.sh up)"
bin="$(cat "${KRO_TS_CLUSTER_DIR:-/tmp/kro-ts-cluster}/bin-dir")"
if compgen -G "crds/*.yaml" >/dev/null; then
  "$bin/kubectl" --kubeconfig "$kubeconfig" apply --server-side -f crds/ >&2
fi
echo
echo "export KUBECONFIG=$kubeconfig"
echo "export PATH=\"$bin:\$PATH\"   # kubectl $("$bin/kubectl" version --client -o json | sed -nE 's/.*"gitVersion": *"([^"]+)".*/\1/p' | head -1)"
if [ -f src/main.ts ]; then
  echo "next: in another shell, kubectl apply -f deploy/examples/frontend-app/rgd.yaml"
  npm run --silent build
  exec node dist/main.js --kubeconfig "$kubeconfig" --zap-encoder=console --metrics-bind-address=127.0.0.1:8078 --health-probe-bind-address=127.0.0.1:8079
else
  echo "next: kubectl get namespaces   (the operator entry point lands with the controllers)"
fi
