#!/usr/bin/env bash
# Builds the repository's Dockerfile with buildah (no Docker engine, no registry): the base image
# the Dockerfile names is synthesized first by hack/image/base.sh, then `buildah bud` runs the
# Dockerfile as it is (chroot isolation, host network so `npm ci` reaches the npm registry,
# intermediate layers cached), tags the result and writes it as a docker-archive tar, which
# `ctr images import` (hack/image/import.sh), `docker load` and `kind load image-archive` all read.
#
#   hack/image/build.sh [--tag kro-ts:dev] [--out FILE] [--dockerfile FILE]
#     prints the archive's path on stdout (progress on stderr)
#
# Default --out: ~/.cache/kro-ts/images/<name>_<tag>.tar (or under $KRO_TS_CACHE_DIR/images). An
# archive already holding the same image ID is not rewritten, so a warm run takes seconds.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"

repo="$(cd "$here/../.." && pwd)"
dockerfile="$repo/Dockerfile"
tag="kro-ts:dev"
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag="$2"; shift 2 ;;
    --tag=*) tag="${1#*=}"; shift ;;
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#*=}"; shift ;;
    --dockerfile) dockerfile="$2"; shift 2 ;;
    --dockerfile=*) dockerfile="${1#*=}"; shift ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) img_die "build.sh: unknown argument $1 (see --help)" ;;
  esac
done
[[ "$tag" =~ ^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$ ]] ||
  img_die "--tag $tag is not an image reference (name[:tag], lower-case name)"
[[ "$tag" == *:* ]] || tag="$tag:latest"
[ -f "$dockerfile" ] || img_die "no Dockerfile at $dockerfile"
[ -n "$out" ] || out="$KRO_TS_IMAGE_CACHE/$(echo "$tag" | tr '/:' '__').tar"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

img_require_root "build.sh"
img_need_tools buildah:buildah flock:util-linux
t0=$(date +%s)

base="$(bash "$here/base.sh" --dockerfile "$dockerfile")"
img_log "base $base ready ($(($(date +%s) - t0))s)"

# A FROM pinned by digest cannot match the synthesized base (its digest differs from the official
# image's); build from a copy of the Dockerfile with the digests dropped, and say so.
file="$dockerfile"
tmpfile=""
npmetc=""
trap '[ -z "$tmpfile" ] || rm -f "$tmpfile"' EXIT
if grep -Eiq '^[[:space:]]*FROM[[:space:]].*@sha256:' "$dockerfile"; then
  tmpfile="$(mktemp "${TMPDIR:-/tmp}/kro-ts-Dockerfile.XXXXXX")"
  sed -E 's/^([[:space:]]*[Ff][Rr][Oo][Mm][[:space:]].*)@sha256:[0-9a-f]{64}/\1/' "$dockerfile" >"$tmpfile"
  file="$tmpfile"
  img_log "the Dockerfile pins base digests; building against the synthesized base by tag instead"
fi

img_lock "$KRO_TS_IMAGE_CACHE/build.lock" "image build"

# The Dockerfile's `npm ci` must reach the registry this machine's npm uses, trusting what it trusts
# (here: a TLS-intercepting egress proxy whose CA is in the host's bundle, which Node's built-in CA
# list lacks). Without touching the Dockerfile: a directory with an npmrc (registry, cafile) and
# that CA bundle is bind-mounted read-only over /usr/local/etc for the RUN steps only, where npm
# reads its global config ($PREFIX/etc/npmrc). The directory exists in the base, so nothing of it
# is left in any layer.
npmetc="$(mktemp -d "${TMPDIR:-/tmp}/kro-ts-build-npmrc.XXXXXX")"
trap '[ -z "$tmpfile" ] || rm -f "$tmpfile"; rm -rf "$npmetc"' EXIT
npm_conf=""
command -v npm >/dev/null && npm_conf="$(npm config get registry cafile proxy https-proxy noproxy 2>/dev/null || true)"
npm_get() { sed -n "s/^$1=//p" <<<"$npm_conf" | grep -v '^\(null\|undefined\)$' || true; }
{
  registry="$(npm_get registry)"
  [ -z "$registry" ] || echo "registry=$registry"
  ca="$(npm_get cafile)"
  [ -n "$ca" ] || ca="${NODE_EXTRA_CA_CERTS:-}"
  if [ -n "$ca" ] && [ -s "$ca" ]; then
    cp "$ca" "$npmetc/build-ca.pem"
    echo "cafile=/usr/local/etc/build-ca.pem"
    img_log "the build's npm trusts $ca (the host npm's CA file) and uses ${registry:-the default registry}"
  fi
  for k in proxy https-proxy noproxy; do
    v="$(npm_get "$k")"
    [ -z "$v" ] || echo "$k=$v"
  done
} >"$npmetc/npmrc"
chmod -R a+rX "$npmetc"
# Everything the build reads: the Dockerfile, the context it may copy, the base image, the npm
# settings. Unchanged since the archive was written (and the image still stored) → nothing to do.
inputs_key="$(
  {
    buildah inspect --type image --format '{{.FromImageID}}' "$base"
    cat "$npmetc/npmrc"
    cd "$repo"
    find "$file" .dockerignore package.json package-lock.json tsconfig.json tsconfig.build.json src \
      -type f 2>/dev/null | LC_ALL=C sort | xargs -d '\n' sha256sum
  } | sha256sum | cut -c1-32
)"
if [ -s "$out" ] && [ "$(sed -n 2p "$out.id" 2>/dev/null)" = "$inputs_key" ] &&
  [ "$(buildah inspect --type image --format '{{.FromImageID}}' "$tag" 2>/dev/null)@$tag" = "$(sed -n 1p "$out.id")" ]; then
  img_log "$tag is up to date with the Dockerfile and its context; $out holds it (total $(($(date +%s) - t0))s)"
  echo "$out"
  exit 0
fi

t1=$(date +%s)
img_log "buildah bud -f ${dockerfile#"$repo"/} -t $tag (layers cached; npm ci runs inside on a cold cache)"
buildah bud --isolation chroot --network host --layers --pull=never \
  --volume "$npmetc:/usr/local/etc:ro" -f "$file" -t "$tag" "$repo" > >(sed -u 's/^/  bud: /' >&2) 2>&1 ||
  img_die "buildah bud failed (output above)"
id="$(buildah inspect --type image --format '{{.FromImageID}}' "$tag")"
img_log "built $tag (image ${id:0:12}) in $(($(date +%s) - t1))s"

# Written only when the image changed: the archive's sidecar records the image ID it holds.
mkdir -p "$(dirname "$out")"
if [ -s "$out" ] && [ "$(sed -n 1p "$out.id" 2>/dev/null)" = "$id@$tag" ]; then
  img_log "$out already holds this image"
else
  rm -f "$out" "$out.id" "$out.tmp"
  buildah push --quiet "$tag" "docker-archive:$out.tmp:$tag" >/dev/null
  mv "$out.tmp" "$out"
  img_log "wrote $out ($(du -h "$out" | cut -f1))"
fi
printf '%s\n%s\n' "$id@$tag" "$inputs_key" >"$out.id"
img_log "total $(($(date +%s) - t0))s"
echo "$out"
