#!/usr/bin/env bash
# Builds etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl and the node
# binaries (kubelet, kube-proxy) from their Go modules (through
# the Go module proxy) into a cache directory keyed by the pinned versions, and prints that
# directory on stdout. A warm cache returns at once; changing a pin (go.mod/go.sum) or the Go
# version yields a new key and a rebuild. Progress goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_root="${KRO_TS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kro-ts}/controlplane"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GOWORK=off CGO_ENABLED=0

command -v go >/dev/null || { echo "build.sh: go not found on PATH (needs Go >= 1.26)" >&2; exit 1; }
go_version="$(go env GOVERSION)"
key="$( { echo "$go_version"; cat "$here/kube/go.mod" "$here/kube/go.sum" "$here/etcd/go.mod" "$here/etcd/go.sum"; } | sha256sum | cut -c1-16)"
kube_version="$(sed -nE 's/^[[:space:]]*k8s.io\/kubernetes v([0-9.]+).*/v\1/p' "$here/kube/go.mod" | head -1)"
etcd_version="$(sed -nE 's/^[[:space:]]*go.etcd.io\/etcd\/server\/v3 v([0-9.]+).*/v\1/p' "$here/etcd/go.mod" | head -1)"
out="$cache_root/kube-$kube_version-etcd-$etcd_version-$key"
bins="etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy"
complete() { local b; for b in $bins; do [ -x "$out/bin/$b" ] || return 1; done; }

if complete; then
  echo "$out/bin"; exit 0
fi

# One build at a time per cache entry: a second caller (another shell, a parallel test run) waits
# for the first and then reuses its result.
mkdir -p "$cache_root"
exec 9>"$cache_root/.build-$key.lock"
if ! flock -n 9; then
  echo "control plane: another build of $out is running (another shell or test run); waiting for it" >&2
  waited=0
  until flock -w 20 9; do
    waited=$(( waited + 20 ))
    # The other build's progress: how many packages its go build has compiled so far.
    other="$(cat "$out"/tmp/*.log 2>/dev/null | wc -l || echo 0)"
    echo "control plane: still waiting for the other build (${waited}s; it has compiled $other packages)" >&2
  done
fi
if complete; then
  echo "$out/bin"; exit 0
fi

echo "control plane: cold build of kubernetes $kube_version + etcd $etcd_version with $go_version into $out (several minutes on 2 cores)" >&2
mkdir -p "$out/tmp"
rm -rf "$out/bin"
start=$(date +%s)

# go build -v prints each package as it is compiled: count them as a progress signal.
progress() { # $1 = log file, $2 = label
  local log="$1" label="$2"
  while sleep 20; do
    printf 'control plane: %s: %s packages compiled, %ss elapsed\n' "$label" "$(wc -l <"$log" 2>/dev/null || echo 0)" "$(( $(date +%s) - start ))" >&2
  done
}

run_build() { # $1 = label, $2 = module dir, rest = go build args
  local label="$1" dir="$2"; shift 2
  local log="$out/tmp/$label.log"
  : >"$log"
  progress "$log" "$label" & local pp=$!
  set +e
  (cd "$dir" && go build -v "$@") 2>"$log"
  local rc=$?
  set -e
  kill "$pp" 2>/dev/null; wait "$pp" 2>/dev/null || true
  if [ $rc -ne 0 ]; then
    echo "control plane: $label build failed (exit $rc); last lines of $log:" >&2
    tail -30 "$log" >&2
    exit $rc
  fi
}

bd="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
minor="$(echo "$kube_version" | cut -d. -f2)"
ldf="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldf="$ldf -X $p.gitVersion=$kube_version -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$bd"
done

run_build etcd "$here/etcd" -trimpath -ldflags="-s -w" -o "$out/tmp/etcd" go.etcd.io/etcd/server/v3
run_build kubernetes "$here/kube" -trimpath -tags=selinux,notest,grpcnotrace -ldflags="$ldf" -o "$out/tmp/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl \
  k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy

mkdir -p "$out/bin.new"
for b in $bins; do mv "$out/tmp/$b" "$out/bin.new/"; done
mv "$out/bin.new" "$out/bin"
echo "control plane: built in $(( $(date +%s) - start ))s" >&2
echo "$out/bin"
