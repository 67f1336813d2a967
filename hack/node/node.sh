#!/usr/bin/env bash
# A real node for hack/local-cluster.sh (`up --node`): kubelet + Debian's containerd and runc +
# CNI (bridge, host-local, loopback, portmap) + kube-proxy (iptables mode), all inside a network
# namespace of this cluster's own, so that two clusters on one machine share no bridge, port,
# iptables rule or socket, and `down` removes everything by deleting that namespace.
#
#   node.sh deps                           install containerd/runc/CNI/iptables/conntrack (apt-get) if missing
#   node.sh net-up DIR                     create the netns, veth pair and bridge; writes DIR/node/env
#   node.sh start DIR BIN KUBECONFIG       containerd, images, kubelet, kube-proxy; waits for node Ready
#   node.sh down DIR                       stop all of it and remove every trace (mounts, cgroups, netns)
#
# Layout (X is picked per cluster from a hash of DIR, skipping subnets in use):
#   host  ── veth kh<id> 10.X.255.1/30 ───── veth kn<id> 10.X.255.2/30 ── netns krots-<id>
#            (kube-apiserver binds here too)          bridge cni0 10.X.0.1/24 = node IP, pods 10.X.0.0/24
# Services: 10.0.0.0/24 (kube-proxy in the netns); `kubernetes` → 10.X.255.1:<apiserver port>.
# Requires root (containers, namespaces, iptables). Facts behind each setting: CONTROL-PLANE notes
# in the README ("A real node").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "node: $*" >&2; }
cmd="${1:-}"; shift || true

need_root() { [ "$(id -u)" = 0 ] || { log "a real node needs root (containers, network namespaces, iptables); run as root or without --node"; exit 1; }; }

deps() {
  need_root
  local missing=()
  command -v containerd >/dev/null || missing+=(containerd)
  command -v runc >/dev/null || missing+=(runc)
  [ -x /usr/lib/cni/bridge ] && [ -x /usr/lib/cni/host-local ] && [ -x /usr/lib/cni/loopback ] && [ -x /usr/lib/cni/portmap ] \
    || missing+=(containernetworking-plugins)
  command -v iptables >/dev/null || missing+=(iptables)
  command -v conntrack >/dev/null || missing+=(conntrack)
  command -v nsenter >/dev/null || missing+=(util-linux)
  [ ${#missing[@]} = 0 ] && return 0
  log "installing ${missing[*]} from Debian (apt-get)"
  apt-get -o Acquire::Lock::Timeout=600 -o DPkg::Lock::Timeout=600 update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
}

load_env() { # DIR
  [ -f "$1/node/env" ] || return 1
  # shellcheck disable=SC1091
  . "$1/node/env"
}

net_up() { # DIR
  need_root
  local dir="$1" id x try
  id="$(printf '%s' "$(readlink -m "$dir")" | sha256sum | cut -c1-8)"
  x=$(( 16#${id:0:4} % 140 + 100 ))
  for try in $(seq 1 140); do
    if ! ip route show | grep -q "^10\.$x\." && ! ip -o addr show | grep -q " 10\.$x\."; then break; fi
    x=$(( (x - 100 + 1) % 140 + 100 ))
  done
  local ns="krots-$id" vh="kh$id" vn="kn$id"
  mkdir -p "$dir/node"
  cat >"$dir/node/env" <<ENV
NODE_ID=$id
NETNS=$ns
VETH_HOST=$vh
HOST_IP=10.$x.255.1
NS_IP=10.$x.255.2
NODE_IP=10.$x.0.1
POD_CIDR=10.$x.0.0/24
NODE_NAME=kro-ts-node
CGROUP_ROOT=/krots-$id
ENV
  ip netns del "$ns" 2>/dev/null || true
  ip link del "$vh" 2>/dev/null || true
  ip netns add "$ns"
  ip link add "$vh" type veth peer name "$vn"
  ip link set "$vn" netns "$ns"
  ip addr add "10.$x.255.1/30" dev "$vh"
  ip link set "$vh" up
  ip route add "10.$x.0.0/24" via "10.$x.255.2" dev "$vh"
  in_ns() { nsenter --net="/run/netns/$ns" "$@"; }
  in_ns ip link set lo up
  in_ns ip addr add "10.$x.255.2/30" dev "$vn"
  in_ns ip link set "$vn" up
  in_ns ip route add default via "10.$x.255.1"
  in_ns ip link add cni0 type bridge
  in_ns ip addr add "10.$x.0.1/24" dev cni0
  in_ns ip link set cni0 up
  in_ns sysctl -qw net.ipv4.ip_forward=1
  in_ns sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
  log "network namespace $ns: node IP 10.$x.0.1, pods 10.$x.0.0/24, host side 10.$x.255.1 ($vh)"
}

start_bg() { # dir name command...
  local dir="$1" name="$2"; shift 2
  setsid "$@" >"$dir/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/$name.pid"
}

cgroup_mounts() { # the v1 hierarchies (and the unified one) the kubelet's cgroupfs driver uses
  local m
  for m in /sys/fs/cgroup/*; do
    [ -d "$m" ] && [ ! -L "$m" ] && mountpoint -q "$m" && echo "$m"
  done
  if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then echo /sys/fs/cgroup; fi
}

start() { # DIR BIN KUBECONFIG
  need_root
  local dir="$1" bin="$2" kc="$3" n="$1/node"
  load_env "$dir"
  local ns_run=(nsenter --net="/run/netns/$NETNS")
  local images; images="$(bash "$here/build-images.sh")"
  mkdir -p "$n/cni" "$n/containerd" "$n/kubelet" "$n/pod-logs" "$n/runc"

  # cgroups: the kubelet puts every pod under CGROUP_ROOT, which must exist in each hierarchy.
  local m
  for m in $(cgroup_mounts); do
    mkdir -p "$m$CGROUP_ROOT"
    if [ -f "$m/cpuset.cpus" ] && [ -f "$m$CGROUP_ROOT/cpuset.cpus" ]; then
      cat "$m/cpuset.cpus" >"$m$CGROUP_ROOT/cpuset.cpus"
      cat "$m/cpuset.mems" >"$m$CGROUP_ROOT/cpuset.mems"
    fi
  done

  cat >"$n/cni/10-kro-ts.conflist" <<CNI
{"cniVersion":"1.0.0","name":"kro-ts","plugins":[
 {"type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":true,"hairpinMode":true,
  "ipam":{"type":"host-local","ranges":[[{"subnet":"$POD_CIDR","gateway":"$NODE_IP"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"$n/cni-ipam"}},
 {"type":"portmap","capabilities":{"portMappings":true}}]}
CNI
  # containerd: private root/state/socket; settings from errors seen here (see the README).
  cat >"$n/containerd/config.toml" <<TOML
version = 2
root = "$n/containerd/root"
state = "$n/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$n/containerd.sock"
[ttrpc]
  address = "$n/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$n/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "kro-ts.local/pause:1"
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$n/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$n/cni"
TOML
  start_bg "$dir" containerd "${ns_run[@]}" containerd --config "$n/containerd/config.toml"
  local deadline=$(( $(date +%s) + 30 ))
  until ctr --address "$n/containerd.sock" version >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || { log "containerd did not start; log:"; tail -20 "$dir/logs/containerd.log" >&2; return 1; }
    sleep 0.1
  done
  local t
  # shellcheck disable=SC2086 # KRO_TS_NODE_IMAGES: space-separated docker-archive tars to import too
  for t in "$images"/*.tar ${KRO_TS_NODE_IMAGES:-}; do
    [ -n "$t" ] || continue
    ctr --address "$n/containerd.sock" -n k8s.io images import "$t" >/dev/null \
      || { log "importing $t into containerd failed"; return 1; }
  done

  cat >"$n/kubelet/config.yaml" <<KCFG
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $dir/pki/ca.crt}
authorization: {mode: AlwaysAllow}
containerRuntimeEndpoint: unix://$n/containerd.sock
imageServiceEndpoint: unix://$n/containerd.sock
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP_ROOT
failCgroupV1: false
failSwapOn: false
makeIPTablesUtilChains: false
podLogsDir: $n/pod-logs
evictionHard: {memory.available: "0%", nodefs.available: "0%", nodefs.inodesFree: "0%", imagefs.available: "0%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
maxPods: 110
registerNode: true
resolvConf: /etc/resolv.conf
KCFG
  # The kubelet sets vm.overcommit_memory=1, kernel.panic=10 and kernel.panic_on_oops=1 (host-wide,
  # not per namespace); down puts back what was here when no other node cluster still runs.
  [ -f /run/kro-ts-node-sysctls ] || sysctl -n vm.overcommit_memory kernel.panic kernel.panic_on_oops | paste -sd' ' >/run/kro-ts-node-sysctls
  start_bg "$dir" kubelet "${ns_run[@]}" "$bin/kubelet" --config="$n/kubelet/config.yaml" \
    --kubeconfig="$kc" --root-dir="$n/kubelet" --cert-dir="$n/kubelet/pki" \
    --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" --v=0

  cat >"$n/kube-proxy.yaml" <<KP
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $kc}
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
clusterCIDR: $POD_CIDR
iptables: {masqueradeAll: true, localhostNodePorts: false}
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
KP
  start_bg "$dir" kube-proxy "${ns_run[@]}" "$bin/kube-proxy" --config="$n/kube-proxy.yaml" --v=0

  deadline=$(( $(date +%s) + 90 ))
  until [ "$("$bin/kubectl" --kubeconfig "$kc" get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "node $NODE_NAME not Ready after 90s; kubelet log:"; tail -30 "$dir/logs/kubelet.log" >&2; return 1
    fi
    local p; for p in containerd kubelet kube-proxy; do
      kill -0 "$(cat "$dir/$p.pid")" 2>/dev/null || { log "$p exited; log:"; tail -30 "$dir/logs/$p.log" >&2; return 1; }
    done
    sleep 0.2
  done
}

kill_pidfile() { # dir name [grace in tenths of a second, default 50]
  local f="$1/$2.pid" pid grace="${3:-50}"
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 "$grace"); do
      kill -0 "$pid" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

down() { # DIR
  local dir="$1" n="$1/node"
  load_env "$dir" || return 0
  need_root
  # Everything on the node goes, so the kubelet and kube-proxy get 1 s to exit, then KILL.
  kill_pidfile "$dir" kubelet 10
  kill_pidfile "$dir" kube-proxy 10
  # Every container process lives under CGROUP_ROOT: kill them by pid, then containerd's shims
  # (found by this cluster's socket path), then containerd.
  local m pids round
  for round in 1 2 3; do
    pids="$(for m in $(cgroup_mounts); do [ -d "$m$CGROUP_ROOT" ] && find "$m$CGROUP_ROOT" -name cgroup.procs -exec cat {} + 2>/dev/null; done | sort -u)"
    [ -n "$pids" ] || break
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.2
  done
  local p
  # One grep over every command line (a process per pid is slow on a loaded machine).
  for p in $(grep -lsaF -- "$n/containerd.sock" /proc/[0-9]*/cmdline 2>/dev/null); do
    p="${p#/proc/}"; p="${p%/cmdline}"
    [ "$p" != "$$" ] && kill -KILL "$p" 2>/dev/null || true
  done
  kill_pidfile "$dir" containerd
  # Mounts under the node directory (pod volumes, overlay rootfs, netns and shm bind mounts), deepest first.
  local mnt
  for round in 1 2 3; do
    mnt="$(awk -v d="$n/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r)"
    [ -n "$mnt" ] || break
    for m in $mnt; do umount -l "$m" 2>/dev/null || true; done
  done
  # cgroups, deepest first (a directory that still holds a process cannot go; report it).
  for m in $(cgroup_mounts); do
    [ -d "$m$CGROUP_ROOT" ] || continue
    find "$m$CGROUP_ROOT" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    [ -d "$m$CGROUP_ROOT" ] && log "warning: cgroup $m$CGROUP_ROOT could not be removed"
  done
  # Pod log links the kubelet made in /var/log/containers for this node.
  if [ -d /var/log/containers ]; then
    for p in /var/log/containers/*; do
      [ -L "$p" ] && case "$(readlink "$p")" in "$n/"*) rm -f "$p" ;; esac
    done
  fi
  if [ -f /run/kro-ts-node-sysctls ] && ! ip netns list | grep -v "^$NETNS\b" | grep -q '^krots-'; then
    read -r om kp kpo </run/kro-ts-node-sysctls
    sysctl -qw vm.overcommit_memory="$om" kernel.panic="$kp" kernel.panic_on_oops="$kpo" || true
    rm -f /run/kro-ts-node-sysctls
  fi
  ip netns del "$NETNS" 2>/dev/null || true
  ip link del "$VETH_HOST" 2>/dev/null || true
  rm -rf "$n"
}

case "$cmd" in
  deps) deps ;;
  net-up) net_up "$1" ;;
  start) start "$1" "$2" "$3" ;;
  down) down "$1" ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
