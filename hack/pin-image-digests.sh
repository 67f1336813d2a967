#!/usr/bin/env bash
# Pins every `FROM <image>:<tag>` of the Dockerfile to its current digest (`<image>:<tag>@sha256:…`),
# re-resolving images that already carry a digest. Uses `crane digest`, `skopeo inspect` or
# `docker buildx imagetools inspect`, whichever exists, else the registry's HTTP API with curl
# (anonymous token, OCI index / manifest list accepted). When no registry is reachable it changes
# nothing, says so and exits 0; --strict makes that exit 1.
#   hack/pin-image-digests.sh [--strict] [Dockerfile]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
strict=0; file=Dockerfile
for a in "$@"; do case "$a" in --strict) strict=1 ;; *) file="$a" ;; esac; done

ACCEPT='application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.list.v2+json,application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json'

curl_digest() { # image:tag -> digest via the registry v2 API
  local ref="$1" name="${1%:*}" tag="${1##*:}" registry repo
  case "$name" in
    */*) registry="${name%%/*}"; repo="${name#*/}" ;;
    *) registry=docker.io; repo="library/$name" ;;
  esac
  case "$registry" in *.*|*:*|localhost) ;; *) registry=docker.io; repo="$name" ;; esac
  local host="$registry"; [ "$registry" = docker.io ] && host=registry-1.docker.io
  local url="https://$host/v2/$repo/manifests/$tag" auth=() hdr realm service
  hdr="$(curl -fsSI -m 15 -H "Accept: $ACCEPT" "$url" 2>/dev/null || curl -sSI -m 15 "$url" 2>/dev/null || true)"
  [ -n "$hdr" ] || return 1
  if grep -qi '^www-authenticate: *bearer' <<<"$hdr"; then
    realm="$(sed -nE 's/^[Ww]ww-[Aa]uthenticate: *[Bb]earer .*realm="([^"]+)".*/\1/p' <<<"$hdr" | tr -d '\r')"
    service="$(sed -nE 's/.*service="([^"]+)".*/\1/p' <<<"$hdr" | tr -d '\r')"
    local token
    token="$(curl -fsS -m 15 "$realm?service=$service&scope=repository:$repo:pull" | sed -nE 's/.*"(token|access_token)": *"([^"]+)".*/\2/p' | head -1)"
    [ -n "$token" ] && auth=(-H "Authorization: Bearer $token")
    hdr="$(curl -fsSI -m 15 -H "Accept: $ACCEPT" "${auth[@]}" "$url")" || return 1
  fi
  sed -nE 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: *(sha256:[0-9a-f]{64}).*/\1/p' <<<"$hdr" | head -1 | grep . || { echo "no digest header for $ref" >&2; return 1; }
}

resolve_digest() { # image:tag
  if command -v crane >/dev/null; then crane digest "$1"; return; fi
  if command -v skopeo >/dev/null; then skopeo inspect --format '{{.Digest}}' "docker://$1"; return; fi
  if command -v docker >/dev/null && docker buildx version >/dev/null 2>&1 && docker buildx imagetools inspect "$1" --format '{{json .Manifest.Digest}}' >/dev/null 2>&1; then
    docker buildx imagetools inspect "$1" --format '{{json .Manifest.Digest}}' | tr -d '"'; return
  fi
  curl_digest "$1"
}

images="$(sed -nE 's/^FROM[[:space:]]+(--platform=[^[:space:]]+[[:space:]]+)?([^[:space:]]+).*/\2/p' "$file" | grep ':' | sort -u)"
[ -n "$images" ] || { echo "pin-image-digests: no tagged FROM images in $file"; exit 0; }
tmp="$(mktemp)"; trap 'rm -f "$tmp"' EXIT
cp "$file" "$tmp"
failed=0
for img in $images; do
  ref="${img%@*}"
  if ! digest="$(resolve_digest "$ref" 2>/dev/null)" || [ -z "$digest" ]; then
    echo "pin-image-digests: cannot resolve $ref (no registry reachable?)" >&2; failed=1; continue
  fi
  echo "pin-image-digests: $ref -> $digest"
  # Replace the image (with or without an old digest) wherever it appears in a FROM line.
  sed -i -E "s#^(FROM[[:space:]]+(--platform=[^[:space:]]+[[:space:]]+)?)${ref//./\\.}(@sha256:[0-9a-f]{64})?([[:space:]]|\$)#\1$ref@$digest\4#" "$tmp"
done
if [ "$failed" = 1 ]; then
  echo "pin-image-digests: skipped: some base images could not be resolved; $file left unchanged (tags stay pinned to exact versions)" >&2
  [ "$strict" = 1 ] && exit 1
  exit 0
fi
cp "$tmp" "$file"
echo "pin-image-digests: $file pinned"
