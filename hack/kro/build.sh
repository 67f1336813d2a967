#!/usr/bin/env bash
# Builds kro's controller (the oracle of the differential tier, test/differential) from its Go
# module through the Go module proxy into a cache directory keyed by the kro version and the Go
# version, copies kro's CRDs (the module's helm/crds: ResourceGraphDefinitions and the
# internal.kro.run GraphRevisions) next to it, and prints the bin directory on stdout:
#
#   <cache>/kro/<kro version>-<go version>/bin/controller
#   <cache>/kro/<kro version>-<go version>/crds/*.yaml
#
# A warm cache returns at once. KRO_VERSION overrides the version (default v0.9.4). Progress goes
# to stderr. Run kro out of cluster with:
#   controller --kubeconfig KC --leader-elect=false --metrics-bind-address 127.0.0.1:P \
#     --health-probe-bind-address 127.0.0.1:P
set -euo pipefail
version="${KRO_VERSION:-v0.9.4}"
module="github.com/kubernetes-sigs/kro"
cache_root="${KRO_TS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kro-ts}/kro"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GOWORK=off CGO_ENABLED=0

command -v go >/dev/null || { echo "kro build: go not found on PATH" >&2; exit 1; }
go_version="$(go env GOVERSION)"
out="$cache_root/$version-$go_version"
complete() { [ -x "$out/bin/controller" ] && [ -s "$out/crds/kro.run_resourcegraphdefinitions.yaml" ]; }

if complete; then
  echo "$out/bin"; exit 0
fi

mkdir -p "$cache_root"
exec 9>"$cache_root/.build-$version-$go_version.lock"
if ! flock -n 9; then
  echo "kro build: another build of $out is running; waiting for it" >&2
  flock 9
fi
if complete; then
  echo "$out/bin"; exit 0
fi

echo "kro build: cold build of $module/cmd/controller@$version with $go_version into $out (about 5 minutes on 2 cores)" >&2
start=$(date +%s)
mkdir -p "$out/tmp"
rm -rf "$out/bin" "$out/bin.new" "$out/crds"
log="$out/tmp/build.log"
: >"$log"
(
  while sleep 20; do
    printf 'kro build: %s lines of go output, %ss elapsed\n' "$(wc -l <"$log" 2>/dev/null || echo 0)" "$(( $(date +%s) - start ))" >&2
  done
) & pp=$!
set +e
GOBIN="$out/bin.new" nice -n 10 go install -v -trimpath -ldflags="-s -w" "$module/cmd/controller@$version" 2>"$log"
rc=$?
set -e
kill "$pp" 2>/dev/null; wait "$pp" 2>/dev/null || true
if [ $rc -ne 0 ]; then
  echo "kro build: go install failed (exit $rc); last lines of $log:" >&2
  tail -30 "$log" >&2
  exit $rc
fi

# The CRDs ship in the module (helm/crds); the module cache is read-only, so copy them.
moddir="$(go env GOMODCACHE)/$module@$version"
[ -d "$moddir/helm/crds" ] || GOFLAGS=-mod=mod go mod download "$module@$version" >/dev/null
mkdir -p "$out/crds.new"
cp "$moddir"/helm/crds/*.yaml "$out/crds.new/"
chmod -R u+w "$out/crds.new"
mv "$out/crds.new" "$out/crds"
mv "$out/bin.new" "$out/bin"
echo "kro build: built in $(( $(date +%s) - start ))s" >&2
echo "$out/bin"
