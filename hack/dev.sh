#!/usr/bin/env bash
# `npm run dev`: everything a fresh clone needs, then the operator in the foreground.
#   1. Node 22 (hack/ensure-node.sh installs it into ~/.cache/kro-ts when the system node is older;
#      npm started this script with the system node, so the rest re-runs under Node 22),
#   2. `npm ci` when node_modules is missing or older than package-lock.json,
#   3. the local control plane (built from Go modules on first use; progress streams meanwhile)
#      with a real node (kubelet + containerd + kube-proxy; needs root) unless --no-node is given
#      or we are not root,
#   4. crds/ applied, then what to paste into another shell, then the operator (Ctrl-C stops it;
#      the cluster keeps running until `npm run cluster -- down`).
# Options: --no-node (control plane only), --dir DIR (cluster state; default $KRO_TS_CLUSTER_DIR
# or /tmp/kro-ts-cluster).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { echo "dev: $*" >&2; }

node_flag=--node
dir="${KRO_TS_CLUSTER_DIR:-/tmp/kro-ts-cluster}"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-node) node_flag=""; shift ;;
    --node) node_flag=--node; shift ;;
    --dir) dir="$2"; shift 2 ;;
    --dir=*) dir="${1#--dir=}"; shift ;;
    *) say "unknown argument $1 (known: --no-node, --dir DIR)"; exit 2 ;;
  esac
done
export KRO_TS_CLUSTER_DIR="$dir"
metrics_addr=127.0.0.1:8078
probe_addr=127.0.0.1:8079

# 1. Node 22. Sourcing puts it first on PATH; re-exec so that every `node`/`npm` below is Node 22's.
if [ -z "${KRO_TS_DEV_REEXEC:-}" ]; then
  . hack/ensure-node.sh
  KRO_TS_DEV_REEXEC=1 exec bash "$0" ${node_flag:---no-node} --dir "$dir"
fi
say "node $(node --version) at $(command -v node)"

# An operator from an earlier `npm run dev` still running? Say so plainly instead of failing to bind.
pidfile="$dir/operator.pid"
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  say "an operator is already running (pid $(cat "$pidfile"), started by an earlier \`npm run dev\`; health on http://$probe_addr/healthz)."
  say "use that one, or stop it with Ctrl-C in its shell (or: kill $(cat "$pidfile")) and run \`npm run dev\` again."
  exit 1
fi
for addr in "$probe_addr" "$metrics_addr"; do
  if ss -ltnH "sport = :${addr##*:}" 2>/dev/null | grep -q .; then
    what="something"
    if curl -fsS --max-time 2 "http://$probe_addr/healthz" >/dev/null 2>&1; then what="an operator (its /healthz answers)"; fi
    say "port ${addr##*:} is already in use by $what; is another \`npm run dev\` running in another shell?"
    say "stop it (Ctrl-C there) and run \`npm run dev\` again."
    exit 1
  fi
done

# 2. npm ci when node_modules is missing or stale against package-lock.json.
lock_hash="$(sha256sum package-lock.json | cut -c1-16)"
if [ ! -f node_modules/.kro-ts-lock ] || [ "$(cat node_modules/.kro-ts-lock)" != "$lock_hash" ] || [ ! -x node_modules/.bin/tsc ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$lock_hash" >node_modules/.kro-ts-lock
fi

# 3. The cluster (a real node needs root).
if [ -n "$node_flag" ] && [ "$(id -u)" != 0 ]; then
  say "not root: starting the control plane without a node (pods stay Pending); run as root for a real node"
  node_flag=""
fi
say "starting the local cluster in $dir${node_flag:+ with a real node} (the first run builds it from Go modules: minutes)"
kubeconfig="$(bash hack/local-cluster.sh up --dir "$dir" $node_flag)"
bin="$(cat "$dir/bin-dir")"
if compgen -G "crds/*.yaml" >/dev/null; then
  "$bin/kubectl" --kubeconfig "$kubeconfig" apply --server-side -f crds/ >&2
fi

say "building the operator"
node node_modules/typescript/bin/tsc -p tsconfig.build.json

cat >&2 <<EOF

==================================================================================================
The cluster is up${node_flag:+ with a real node (pods run)}. In another shell, paste:

  export KUBECONFIG=$kubeconfig
  export PATH="$bin:\$PATH"

then try:

  kubectl apply -f deploy/examples/frontend-app/rgd.yaml
  kubectl apply -f deploy/examples/frontend-app/instance.yaml
  kubectl get frontendappv2 -w

Stop: Ctrl-C here stops the operator; \`npm run cluster -- down --dir $dir\` stops the cluster.
==================================================================================================

EOF
echo $$ >"$pidfile"
trap 'rm -f "$pidfile"' EXIT
node dist/main.js --kubeconfig "$kubeconfig" --zap-encoder=console \
  --metrics-bind-address="$metrics_addr" --health-probe-bind-address="$probe_addr"
