#!/usr/bin/env bash
# Unpacks an image archive (docker-archive or oci-archive tar) into an OCI runtime bundle
# (config.json + rootfs/) that runc runs as it is: skopeo converts the archive to an OCI layout,
# umoci unpacks it and writes config.json from the image's config (user, entrypoint, env, workdir).
#
#   hack/image/unpack.sh ARCHIVE BUNDLE_DIR     prints BUNDLE_DIR; BUNDLE_DIR must not exist
#   runc run --bundle BUNDLE_DIR <id>
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"

[ $# = 2 ] || img_die "usage: hack/image/unpack.sh ARCHIVE BUNDLE_DIR"
archive="$1"
bundle="$2"
[ -s "$archive" ] || img_die "no image archive at $archive"
[ ! -e "$bundle" ] || img_die "$bundle exists; give a new directory"
img_require_root "unpack.sh"
img_need_tools skopeo:skopeo umoci:umoci

transport="docker-archive"
tar -tf "$archive" oci-layout >/dev/null 2>&1 && transport="oci-archive"
layout="$(mktemp -d "${TMPDIR:-/tmp}/kro-ts-oci.XXXXXX")"
trap 'rm -rf "$layout"' EXIT
skopeo copy --quiet "$transport:$archive" "oci:$layout:image" >&2 ||
  img_die "skopeo could not read $archive as $transport"
umoci unpack --image "$layout:image" "$bundle" >&2 || img_die "umoci unpack into $bundle failed"
echo "$bundle"
