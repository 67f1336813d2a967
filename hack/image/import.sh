#!/usr/bin/env bash
# Imports image archives (docker-archive or oci-archive tars, e.g. from hack/image/build.sh) into a
# containerd, in the namespace the kubelet's CRI uses, so pods can run them without a registry.
#
#   hack/image/import.sh [--address /run/containerd/containerd.sock] [--namespace k8s.io] TAR...
#
# The socket may also come from $CONTAINERD_ADDRESS (what ctr itself reads) or
# $KRO_TS_CONTAINERD_ADDRESS; default /run/containerd/containerd.sock. Prints the imported image
# names on stdout, one a line. Pods use them with imagePullPolicy IfNotPresent (or Never).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"

address="${KRO_TS_CONTAINERD_ADDRESS:-${CONTAINERD_ADDRESS:-/run/containerd/containerd.sock}}"
namespace="k8s.io"
tars=()
while [ $# -gt 0 ]; do
  case "$1" in
    --address) address="$2"; shift 2 ;;
    --address=*) address="${1#*=}"; shift ;;
    --namespace | -n) namespace="$2"; shift 2 ;;
    --namespace=*) namespace="${1#*=}"; shift ;;
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) img_die "import.sh: unknown option $1 (see --help)" ;;
    *) tars+=("$1"); shift ;;
  esac
done
[ "${#tars[@]}" -gt 0 ] || img_die "import.sh: give at least one image archive (see --help)"
command -v ctr >/dev/null || img_die "ctr not found (Debian: apt-get install containerd)"
[ -S "$address" ] || img_die "no containerd socket at $address (start containerd or pass --address)"

for tar in "${tars[@]}"; do
  [ -s "$tar" ] || img_die "no image archive at $tar"
  img_log "ctr -n $namespace images import $tar (containerd $address)"
  # --no-unpack is not given: the image is unpacked for the default snapshotter, as the CRI needs.
  log="$(mktemp)"
  if ! ctr --address "$address" -n "$namespace" images import "$tar" >"$log" 2>&1; then
    sed 's/^/  ctr: /' "$log" >&2
    rm -f "$log"
    img_die "ctr images import $tar into $address failed (output above)"
  fi
  sed 's/^/  ctr: /' "$log" >&2
  # ctr prints "unpacking <name> (sha256:...)...done" for each image it imported.
  names="$(sed -nE 's/^unpacking ([^ ]+) \(sha256:[0-9a-f]+\).*/\1/p' "$log")"
  rm -f "$log"
  [ -n "$names" ] || img_die "ctr imported nothing from $tar (does it carry a tag?)"
  echo "$names"
done
