#!/usr/bin/env bash
# Synthesizes the Dockerfile's base image locally, without a registry: the `node:<ver>-<suite>-slim`
# the FROM lines name (e.g. docker.io/library/node:22.23.3-bookworm-slim), into buildah's
# containers-storage, from
#   - a Debian <suite> root made by debootstrap (minbase variant, slimmed like debian:<suite>-slim:
#     no docs/man/locales, no apt lists), from the Debian mirror this machine's apt uses, and
#   - Node <ver> from the npm registry (package node-linux-<arch>, the official build), with npm,
#     corepack and yarn v1 also from the npm registry, laid out as the official image does:
#     /usr/local/bin/node, /usr/local/lib/node_modules/{npm,corepack} with links in /usr/local/bin,
#     /opt/yarn-v<ver> with links, user `node` (1000:1000), docker-entrypoint.sh, ENV NODE_VERSION,
#     YARN_VERSION, PATH, CMD ["node"].
#
#   hack/image/base.sh [--dockerfile FILE] [--rebuild]
#     prints the image reference on stdout; progress on stderr.
#
# Caches (under ~/.cache/kro-ts/images, or $KRO_TS_CACHE_DIR/images):
#   rootfs-<suite>-<key>.tar      the slimmed debootstrap root (key: suite + the code that makes it)
#   <name>_<tag>-<key>.oci.tar    the finished base image (key: tag + this script + versions)
# A warm run finds the image in containers-storage with the same key label and returns at once;
# with the storage emptied it reloads the archive (seconds). --rebuild ignores both caches.
#
# Environment: KRO_TS_DEBIAN_MIRROR (default: the machine's apt mirror), KRO_TS_BASE_NPM_VERSION,
# KRO_TS_BASE_COREPACK_VERSION, KRO_TS_BASE_YARN_VERSION.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"

repo="$(cd "$here/../.." && pwd)"
dockerfile="$repo/Dockerfile"
rebuild=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dockerfile) dockerfile="$2"; shift 2 ;;
    --dockerfile=*) dockerfile="${1#*=}"; shift ;;
    --rebuild) rebuild=1; shift ;;
    -h | --help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) img_die "base.sh: unknown argument $1 (see --help)" ;;
  esac
done
[ -f "$dockerfile" ] || img_die "no Dockerfile at $dockerfile"

# Node 22 bundles npm 10.9 and corepack 0.34; the exact versions a Node release bundles are not
# published on the npm registry, so the latest of those lines are pinned here.
NPM_VERSION="${KRO_TS_BASE_NPM_VERSION:-10.9.9}"
COREPACK_VERSION="${KRO_TS_BASE_COREPACK_VERSION:-0.34.7}"
YARN_VERSION="${KRO_TS_BASE_YARN_VERSION:-1.22.22}"

# --- which image: from the Dockerfile ---------------------------------------------------------
mapfile -t bases < <(img_dockerfile_bases "$dockerfile")
[ "${#bases[@]}" = 1 ] ||
  img_die "$dockerfile: expected every FROM to name one external base image, found ${#bases[@]}: ${bases[*]:-none}"
from="${bases[0]}"
if [[ "$from" =~ ^((docker\.io/)?(library/)?)node:(([0-9]+)\.[0-9]+\.[0-9]+)-([a-z]+)-slim(@sha256:[0-9a-f]{64})?$ ]]; then
  NODE_VERSION="${BASH_REMATCH[4]}"
  SUITE="${BASH_REMATCH[6]}"
else
  img_die "$dockerfile: FROM $from: base.sh synthesizes node:<x.y.z>-<debian suite>-slim images only"
fi
tag="${NODE_VERSION}-${SUITE}-slim"
image="docker.io/library/node:$tag"

case "$(uname -m)" in
  x86_64) node_arch=x64 deb_arch=amd64 ;;
  aarch64) node_arch=arm64 deb_arch=arm64 ;;
  *) img_die "unsupported machine $(uname -m) (x86_64 and aarch64 are)" ;;
esac

# --- the Debian mirror this machine reaches: the one its apt is configured with -----------------
apt_uri_for_suite() { # suite -> first deb URI of the apt configuration serving exactly that suite
  {
    # deb822 (*.sources): stanzas separated by blank lines
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] && awk -v want="$1" '
        BEGIN { RS = ""; FS = "\n" }
        {
          types = ""; uris = ""; suites = ""; enabled = "yes"
          for (i = 1; i <= NF; i++) {
            line = $i; if (line ~ /^#/) continue
            split(line, kv, ":"); key = tolower(kv[1]); val = substr(line, length(kv[1]) + 2)
            gsub(/^[ \t]+|[ \t]+$/, "", val)
            if (key == "types") types = val; else if (key == "uris") uris = val
            else if (key == "suites") suites = val; else if (key == "enabled") enabled = tolower(val)
          }
          if (enabled == "no" || (" " types " ") !~ / deb /) next
          n = split(suites, s, /[ \t]+/)
          for (j = 1; j <= n; j++) if (s[j] == want) { split(uris, u, /[ \t]+/); print u[1]; exit }
        }' "$f"
    done
    # one-line format
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -f "$f" ] && awk -v want="$1" '
        $1 == "deb" {
          i = 2; if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
          if ($(i + 1) == want) { print $i; exit }
        }' "$f"
    done
    true
  } | head -n1
}
host_suite="$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")"
MIRROR="${KRO_TS_DEBIAN_MIRROR:-$(apt_uri_for_suite "$SUITE")}"
SECURITY_MIRROR="$(apt_uri_for_suite "$SUITE-security")"
if [ -z "$MIRROR" ]; then
  img_die "no Debian mirror for $SUITE in /etc/apt/sources.list* (this machine is ${host_suite:-not Debian}); set KRO_TS_DEBIAN_MIRROR"
fi

# --- cache keys --------------------------------------------------------------------------------
sha() { sha256sum | cut -c1-16; }

make_rootfs() { # out.tar: debootstrap minbase, slimmed like debian:<suite>-slim
  local out="$1" root
  root="$(mktemp -d "$KRO_TS_IMAGE_CACHE/tmp-rootfs.XXXXXX")"
  img_log "debootstrap --variant=minbase $SUITE from $MIRROR (a few minutes, once)"
  if ! debootstrap --variant=minbase --arch="$deb_arch" \
    --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
    "$SUITE" "$root" "$MIRROR" > >(sed -u 's/^/  debootstrap: /' >&2) 2>&1; then
    tail -n 30 "$root/debootstrap/debootstrap.log" >&2 2>/dev/null || true
    rm -rf "$root"
    img_die "debootstrap $SUITE from $MIRROR failed"
  fi
  img_log "slimming the root (no docs, man pages, locales or apt lists)"
  mkdir -p "$root/etc/dpkg/dpkg.cfg.d" "$root/etc/apt/apt.conf.d" "$root/etc/apt/sources.list.d"
  # Later package installs keep the root slim too.
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# slim image: no documentation, manuals or translations (copyright files are kept)
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Acquire::GzipIndexes "true";' >"$root/etc/apt/apt.conf.d/docker-gzip-indexes"
  printf 'Apt::AutoRemove::SuggestsImportant "false";\n' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
  (
    cd "$root"
    find usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
    find usr/share/doc -mindepth 1 -type d -empty -delete 2>/dev/null || true
    rm -rf usr/share/man/* usr/share/groff/* usr/share/info/* usr/share/lintian/* usr/share/linda/*
    find usr/share/locale -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
    rm -rf var/lib/apt/lists/* var/cache/apt/*.bin var/cache/apt/archives/*.deb debootstrap \
      var/log/*.log var/log/apt/* var/cache/debconf/*-old var/lib/dpkg/*-old
    # The runtime provides these per container; none of this machine's settings stay in the image.
    : >etc/resolv.conf
    echo localhost >etc/hostname
    : >etc/machine-id
    rm -f etc/apt/sources.list
  )
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$MIRROR" "$SUITE" "$SUITE"
    if [ -n "$SECURITY_MIRROR" ]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$SECURITY_MIRROR" "$SUITE"
    fi
  } >"$root/etc/apt/sources.list.d/debian.sources"
  # /dev, /proc and /sys are the runtime's: leave them empty.
  tar --numeric-owner --xattrs -C "$root" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
    -cf "$out.tmp" .
  rm -rf "$root"
  mv "$out.tmp" "$out"
}
rootfs_key="$(printf '%s\n%s\n%s\n' "$SUITE" "$deb_arch" "$(declare -f make_rootfs)" | sha)"
image_key="$(
  {
    echo "$tag $node_arch $NPM_VERSION $COREPACK_VERSION $YARN_VERSION $rootfs_key"
    cat "$0" "$here/lib.sh"
  } | sha
)"
rootfs_tar="$KRO_TS_IMAGE_CACHE/rootfs-$SUITE-$deb_arch-$rootfs_key.tar"
image_tar="$KRO_TS_IMAGE_CACHE/node_$tag-$image_key.oci.tar"
LABEL_KEY="io.kro-ts.base.key"
LABEL_WHAT="io.kro-ts.base"

img_require_root "base.sh"
img_need_tools buildah:buildah debootstrap:debootstrap flock:util-linux
mkdir -p "$KRO_TS_IMAGE_CACHE"
img_lock "$KRO_TS_IMAGE_CACHE/base.lock" "base image build"

# --- warm paths ----------------------------------------------------------------------------------
stored_key() { buildah inspect --type image --format "{{index .OCIv1.Config.Labels \"$LABEL_KEY\"}}" "$image" 2>/dev/null || true; }
if [ "$rebuild" = 0 ]; then
  if [ "$(stored_key)" = "$image_key" ]; then
    img_log "$image is up to date in containers-storage (key $image_key)"
    echo "$image"
    exit 0
  fi
  if [ -s "$image_tar" ]; then
    img_log "loading $image from the cache $image_tar"
    id="$(buildah pull --quiet "oci-archive:$image_tar" 2>/dev/null | tail -n1)" || id=""
    [ -n "$id" ] && buildah tag "$id" "$image" 2>/dev/null || true
    if [ "$(stored_key)" = "$image_key" ]; then
      echo "$image"
      exit 0
    fi
    img_log "the cached archive did not load as $image; rebuilding"
  fi
fi

# --- cold path ------------------------------------------------------------------------------------
t0=$(date +%s)
if [ "$rebuild" = 1 ] || [ ! -s "$rootfs_tar" ]; then
  make_rootfs "$rootfs_tar"
else
  img_log "reusing the Debian root $rootfs_tar"
fi

dl="$KRO_TS_IMAGE_CACHE/npm"
mkdir -p "$dl"
fetch() { # npm package spec -> tarball path (npm pack checks the registry's integrity hash)
  local name="${1%@*}" ver="${1##*@}" file
  file="$dl/${name}-${ver}.tgz"
  if [ ! -s "$file" ]; then
    img_log "npm pack $1"
    (cd "$dl" && npm pack --silent --pack-destination "$dl" "$1" >/dev/null) || img_die "npm pack $1 failed"
  fi
  [ -s "$file" ] || img_die "npm pack $1 did not produce $file"
  echo "$file"
}
command -v npm >/dev/null || img_die "npm is needed to fetch Node $NODE_VERSION from the npm registry"
node_tgz="$(fetch "node-linux-$node_arch@$NODE_VERSION")"
npm_tgz="$(fetch "npm@$NPM_VERSION")"
corepack_tgz="$(fetch "corepack@$COREPACK_VERSION")"
yarn_tgz="$(fetch "yarn@$YARN_VERSION")"

ctr=""
cleanup() {
  if [ -n "$ctr" ]; then
    buildah umount "$ctr" >/dev/null 2>&1 || true
    buildah rm "$ctr" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
ctr="$(buildah from --quiet scratch)"
mnt="$(buildah mount "$ctr")"
img_log "assembling $image in $ctr"
tar --numeric-owner --xattrs -C "$mnt" -xf "$rootfs_tar"

untar_pkg() { # tgz dest: the npm tarball's package/ directory becomes dest
  mkdir -p "$2"
  tar --no-same-owner -xzf "$1" -C "$2" --strip-components=1
  chmod -R u+rwX,go+rX,go-w "$2"
}
# Node as the official tarball lays it out under /usr/local (bin, include, share, docs at the top).
untar_pkg "$node_tgz" "$mnt/tmp/node-dist"
(
  cd "$mnt/tmp/node-dist"
  install -D -m 0755 bin/node "$mnt/usr/local/bin/node"
  for d in include share; do [ -d "$d" ] && cp -a "$d" "$mnt/usr/local/"; done
  for f in CHANGELOG.md LICENSE README.md; do [ -f "$f" ] && cp "$f" "$mnt/usr/local/$f"; done
)
rm -rf "$mnt/tmp/node-dist"
untar_pkg "$npm_tgz" "$mnt/usr/local/lib/node_modules/npm"
untar_pkg "$corepack_tgz" "$mnt/usr/local/lib/node_modules/corepack"
ln -sfn ../lib/node_modules/npm/bin/npm-cli.js "$mnt/usr/local/bin/npm"
ln -sfn ../lib/node_modules/npm/bin/npx-cli.js "$mnt/usr/local/bin/npx"
ln -sfn ../lib/node_modules/corepack/dist/corepack.js "$mnt/usr/local/bin/corepack"
ln -sfn /usr/local/bin/node "$mnt/usr/local/bin/nodejs"
untar_pkg "$yarn_tgz" "$mnt/opt/yarn-v$YARN_VERSION"
ln -sfn "/opt/yarn-v$YARN_VERSION/bin/yarn" "$mnt/usr/local/bin/yarn"
ln -sfn "/opt/yarn-v$YARN_VERSION/bin/yarnpkg" "$mnt/usr/local/bin/yarnpkg"
# The entrypoint of the official image: arguments that are flags, or not a command, go to node.
cat >"$mnt/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1" || true)" ] || { [ -f "$1" ] && ! [ -x "$1" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOF
chmod 0755 "$mnt/usr/local/bin/docker-entrypoint.sh"

buildah umount "$ctr" >/dev/null
buildah config \
  --env "NODE_VERSION=$NODE_VERSION" --env "YARN_VERSION=$YARN_VERSION" \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --entrypoint '["docker-entrypoint.sh"]' --cmd '["node"]' \
  --os linux --arch "$deb_arch" \
  --label "$LABEL_KEY=$image_key" \
  --label "$LABEL_WHAT=synthesized by kro-ts hack/image/base.sh: debootstrap $SUITE minbase + node-linux-$node_arch@$NODE_VERSION, npm@$NPM_VERSION, yarn@$YARN_VERSION from the npm registry" \
  --created-by "kro-ts hack/image/base.sh" \
  "$ctr"
in_image() { buildah run --isolation chroot --network host "$ctr" -- "$@"; }
in_image groupadd --gid 1000 node
in_image useradd --uid 1000 --gid node --shell /bin/bash --create-home node
# Smoke test, as the official image's build does.
versions="$(in_image sh -c 'echo "node $(node --version), npm $(npm --version), yarn $(yarn --version)"')" ||
  img_die "node/npm/yarn do not run in the synthesized root"
img_log "in the image: $versions"
mnt="$(buildah mount "$ctr")"
rm -rf "$mnt/root/.npm" "$mnt/root/.cache" "$mnt/root/.config" "$mnt/home/node/.npm" "$mnt/tmp/"* \
  "$mnt/var/log/"*.log
buildah umount "$ctr" >/dev/null
img_log "committing $image"
buildah commit --quiet --rm "$ctr" "$image" >/dev/null
ctr=""
rm -f "$KRO_TS_IMAGE_CACHE"/node_"$tag"-*.oci.tar
buildah push --quiet "$image" "oci-archive:$image_tar.tmp:$image" >/dev/null
mv "$image_tar.tmp" "$image_tar"
[ "$(stored_key)" = "$image_key" ] || img_die "committed $image but its key annotation is missing"
img_log "built $image in $(($(date +%s) - t0))s ($(du -h "$image_tar" | cut -f1) archive: $image_tar)"
echo "$image"
