# Shared helpers for hack/image/*.sh (sourced, not run).
# Progress goes to stderr; stdout is kept for the one result line each script prints.

KRO_TS_CACHE="${KRO_TS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kro-ts}"
KRO_TS_IMAGE_CACHE="$KRO_TS_CACHE/images"

img_log() { echo "[image $(date -u +%H:%M:%S)] $*" >&2; }
img_die() {
  echo "[image] error: $*" >&2
  exit 1
}

# Installs the Debian packages that provide the given commands when one is missing (root only).
# Usage: img_need_tools cmd:package ...
img_need_tools() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ "${#missing[@]}" = 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    img_die "missing ${missing[*]}: install them (Debian: apt-get install ${missing[*]}); building images needs root"
  fi
  img_log "installing ${missing[*]} from the Debian archive"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends \
    "${missing[@]}" >&2 || {
    img_log "apt-get install failed; refreshing the package lists once and retrying"
    apt-get -o DPkg::Lock::Timeout=600 update >&2
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends \
      "${missing[@]}" >&2
  } || img_die "apt-get install ${missing[*]} failed"
}

img_require_root() {
  [ "$(id -u)" = 0 ] || img_die "$1 needs root (buildah with chroot isolation, debootstrap); run it as root"
}

# The external base images a Dockerfile's FROM lines name (stage references removed), one a line.
img_dockerfile_bases() { # Dockerfile
  awk '
    tolower($1) == "from" {
      img = ""; stage = ""
      for (i = 2; i <= NF; i++) {
        if ($i ~ /^--/) continue
        if (img == "") { img = $i; continue }
        if (toupper($i) == "AS" && i < NF) { stage = $(i + 1); break }
      }
      if (!(img in stages)) print img
      if (stage != "") stages[stage] = 1
    }' "$1" | sort -u
}

# Opens (creating) a lock file on fd 9 and waits for it, saying so when someone else holds it.
img_lock() { # file what
  mkdir -p "$(dirname "$1")"
  exec 9>"$1"
  if ! flock -n 9; then
    img_log "waiting for another $2 (lock $1)"
    flock 9
  fi
}
