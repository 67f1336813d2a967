#!/usr/bin/env bash
# Builds the GitOps oracles used by the integration tests and prints their bin directory:
#   kstatus        sigs.k8s.io/cli-utils' kstatus (what Flux, kpt and Helm --wait read)
#   argocd-health  Argo CD's Lua health evaluation (gopher-lua), fed the shipped argocd-cm
# Each is its own Go module (pinned in go.mod/go.sum), fetched through the Go module proxy. The
# binaries are cached under a key of the sources, the pins and the Go version; a warm cache
# returns at once. Progress goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_root="${KRO_TS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kro-ts}/oracles"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GOWORK=off CGO_ENABLED=0
command -v go >/dev/null || { echo "oracles: go not found on PATH (needs Go >= 1.26)" >&2; exit 1; }
oracles="kstatus argocd"
key="$( { go env GOVERSION; for o in $oracles; do cat "$here/$o/go.mod" "$here/$o/go.sum" "$here/$o"/*.go; done; } | sha256sum | cut -c1-16)"
out="$cache_root/$key"
complete() { [ -x "$out/bin/kstatus" ] && [ -x "$out/bin/argocd-health" ]; }
if complete; then echo "$out/bin"; exit 0; fi

mkdir -p "$cache_root"
exec 9>"$cache_root/.build-$key.lock"
if ! flock -n 9; then
  echo "oracles: another build of $out is running; waiting for it" >&2
  flock 9
fi
if complete; then echo "$out/bin"; exit 0; fi

start=$(date +%s)
mkdir -p "$out/tmp"
build() { # $1 = module dir, $2 = binary name
  echo "oracles: building $2 ($1) into $out" >&2
  (cd "$here/$1" && nice -n 10 go build -trimpath -ldflags="-s -w" -o "$out/tmp/$2" .) >&2 &
  local pid=$!
  local n=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    n=$((n + 1))
    if [ $((n % 20)) = 0 ] && kill -0 "$pid" 2>/dev/null; then
      echo "oracles: $2: $(( $(date +%s) - start ))s elapsed" >&2
    fi
  done
  wait "$pid"
}
build kstatus kstatus
build argocd argocd-health
mkdir -p "$out/bin"
mv "$out/tmp/kstatus" "$out/tmp/argocd-health" "$out/bin/"
echo "oracles: built in $(( $(date +%s) - start ))s" >&2
echo "$out/bin"
