#!/usr/bin/env bash
# Ensures a Node.js >= 22 is on PATH. Source it (`. hack/ensure-node.sh`) so PATH changes stick,
# or run it to print the directory to prepend (`export PATH="$(hack/ensure-node.sh --print-dir):$PATH"`).
# When the system node is older than 22, Node 22 is installed from the npm registry (the `node`
# package ships the binary through its arch-specific dependency) into a cache outside the repo.
# Idempotent: a second run reuses the cached install.
KRO_TS_NODE_VERSION="${KRO_TS_NODE_VERSION:-22.23.3}"
_kro_ts_cache="${KRO_TS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kro-ts}"
_kro_ts_node_prefix="$_kro_ts_cache/node-$KRO_TS_NODE_VERSION"

_kro_ts_node_major() { "$1" --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }

_kro_ts_ensure_node() {
  local sys
  sys="$(command -v node || true)"
  if [ -n "$sys" ] && [ "$(_kro_ts_node_major "$sys")" -ge 22 ] 2>/dev/null; then
    dirname "$sys"; return 0
  fi
  local bin="$_kro_ts_node_prefix/node_modules/node/bin"
  if [ ! -x "$bin/node" ] || [ "$(_kro_ts_node_major "$bin/node")" != "${KRO_TS_NODE_VERSION%%.*}" ]; then
    local have="absent"; [ -n "$sys" ] && have="$("$sys" --version) at $sys"
    echo "ensure-node: system node is $have; installing node@$KRO_TS_NODE_VERSION into $_kro_ts_node_prefix" >&2
    mkdir -p "$_kro_ts_node_prefix"
    npm install --prefix "$_kro_ts_node_prefix" --no-save --no-audit --no-fund --loglevel=error \
      "node@$KRO_TS_NODE_VERSION" >&2 || { echo "ensure-node: npm install node@$KRO_TS_NODE_VERSION failed" >&2; return 1; }
  fi
  [ -x "$bin/node" ] || { echo "ensure-node: $bin/node missing after install" >&2; return 1; }
  echo "$bin"
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # sourced: put it on PATH for the caller
  _kro_ts_dir="$(_kro_ts_ensure_node)" || return 1
  case ":$PATH:" in *":$_kro_ts_dir:"*) ;; *) export PATH="$_kro_ts_dir:$PATH" ;; esac
  unset _kro_ts_dir
else
  set -euo pipefail
  dir="$(_kro_ts_ensure_node)"
  if [ "${1:-}" = "--print-dir" ]; then echo "$dir"; else echo "export PATH=\"$dir:\$PATH\""; fi
fi
