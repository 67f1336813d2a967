#!/usr/bin/env bash
# Builds the local node's images without a registry and prints the directory holding them as
# single-layer docker-archive tars (import with `ctr -n k8s.io images import`):
#   pause.tar  kro-ts.local/pause:1                      the pod sandbox (sleeps until signalled)
#   nginx.tar  nginx:latest, nginx:1.27, nginx:1.28      a STAND-IN for nginx: a static HTTP server
#                                                        on port 80 (not nginx; same port and a page)
# Both hold one static Go binary, /standin (hack/node/standin), which also has `get URL` (a wget
# stand-in for tests). Cached in ~/.cache/kro-ts/node-images/<key>, keyed by source and Go version.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_root="${KRO_TS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kro-ts}/node-images"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GOWORK=off CGO_ENABLED=0
command -v go >/dev/null || { echo "build-images.sh: go not found on PATH" >&2; exit 1; }
key="$( { go env GOVERSION; cat "$here/standin/go.mod" "$here/standin/main.go" "$0"; } | sha256sum | cut -c1-16)"
out="$cache_root/$key"
if [ -f "$out/nginx.tar" ] && [ -f "$out/pause.tar" ]; then echo "$out"; exit 0; fi

echo "node images: building the stand-in images into $out" >&2
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root"
(cd "$here/standin" && go build -trimpath -ldflags="-s -w" -o "$tmp/root/standin" .)
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$tmp/root" -cf "$tmp/layer.tar" standin
layer_sha="$(sha256sum "$tmp/layer.tar" | cut -d' ' -f1)"

image() { # name, entrypoint JSON, exposed ports JSON, tags...
  local name="$1" entry="$2" ports="$3"; shift 3
  local d="$tmp/$name"; mkdir -p "$d/$layer_sha"
  cp "$tmp/layer.tar" "$d/$layer_sha/layer.tar"
  printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":{"Entrypoint":%s,"Env":["PATH=/"],"WorkingDir":"/","ExposedPorts":%s},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$entry" "$ports" "$layer_sha" >"$d/config.json"
  local cfg_sha; cfg_sha="$(sha256sum "$d/config.json" | cut -d' ' -f1)"
  mv "$d/config.json" "$d/$cfg_sha.json"
  local tags; tags="$(printf '"%s",' "$@")"
  printf '[{"Config":"%s.json","RepoTags":[%s],"Layers":["%s/layer.tar"]}]' "$cfg_sha" "${tags%,}" "$layer_sha" >"$d/manifest.json"
  (cd "$d" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$tmp/$name.tar" -- *)
}
image pause '["/standin","pause"]' '{}' kro-ts.local/pause:1
image nginx '["/standin","serve"]' '{"80/tcp":{}}' docker.io/library/nginx:latest docker.io/library/nginx:1.27 docker.io/library/nginx:1.28

mkdir -p "$out.new"
mv "$tmp/pause.tar" "$tmp/nginx.tar" "$out.new/"
rm -rf "$out"; mv "$out.new" "$out"
echo "node images: built ($(du -sh "$out" | cut -f1))" >&2
echo "$out"
