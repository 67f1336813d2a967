#!/usr/bin/env bash
# A real, local Kubernetes control plane for development and tests: etcd + kube-apiserver
# (+ kube-controller-manager) built from their Go modules (hack/controlplane/build.sh) and run as
# plain processes on loopback with free ports, fresh certificates and temporary data directories.
#
#   hack/local-cluster.sh up [--dir DIR] [--no-kcm] [--node]
#                                                     start; prints the kubeconfig path last.
#                                                     --node adds a real node (root): kubelet,
#                                                     containerd, CNI, kube-proxy, kube-scheduler
#                                                     (hack/node/node.sh); pods run, Services route
#   hack/local-cluster.sh env [--dir DIR]             print `export KUBECONFIG=...`
#   hack/local-cluster.sh status [--dir DIR]          print pids, ports and the server version
#   hack/local-cluster.sh down [--dir DIR]            stop everything and delete DIR
#
# DIR defaults to $KRO_TS_CLUSTER_DIR or /tmp/kro-ts-cluster. State lives entirely in DIR.
# KRO_TS_APISERVER_ARGS adds kube-apiserver flags (the test harness uses it; space-separated).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

cmd="${1:-}"; shift || true
dir="${KRO_TS_CLUSTER_DIR:-/tmp/kro-ts-cluster}"
kcm=1
node=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --dir=*) dir="${1#--dir=}"; shift ;;
    --no-kcm) kcm=0; shift ;;
    --node) node=1; shift ;;
    *) echo "local-cluster: unknown argument $1" >&2; exit 2 ;;
  esac
done

log() { echo "local-cluster: $*" >&2; }

free_port() {
  # Bind port 0 on loopback, read the port the kernel chose, release it.
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_http() { # url, timeout seconds, extra curl args...
  local url="$1" timeout="$2"; shift 2
  local deadline=$(( $(date +%s) + timeout ))
  until curl -fsS --max-time 2 "$@" "$url" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then return 1; fi
    sleep 0.1
  done
}

gen_pki() { # extra SANs (",IP:a,IP:b")
  local p="$dir/pki" extra="${1:-}"; mkdir -p "$p"
  (
    cd "$p"
    openssl req -x509 -new -nodes -newkey rsa:2048 -keyout ca.key -out ca.crt -days 3650 -subj "/CN=kro-ts-local-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" \
      "subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:127.0.0.1,IP:10.0.0.1$extra" >serving.ext
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=clientAuth" >client.ext
    openssl req -new -nodes -newkey rsa:2048 -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 365 -sha256 -extfile serving.ext 2>/dev/null
    openssl req -new -nodes -newkey rsa:2048 -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=admin" 2>/dev/null
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt -days 365 -sha256 -extfile client.ext 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  )
}

write_kubeconfig() { # host, port
  cat >"$dir/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: kro-ts-local
  cluster:
    server: https://$1:$2
    certificate-authority-data: $(base64 -w0 <"$dir/pki/ca.crt")
users:
- name: admin
  user:
    client-certificate-data: $(base64 -w0 <"$dir/pki/admin.crt")
    client-key-data: $(base64 -w0 <"$dir/pki/admin.key")
contexts:
- name: kro-ts-local
  context: {cluster: kro-ts-local, user: admin}
current-context: kro-ts-local
KC
}

start_bg() { # name, command...
  local name="$1"; shift
  setsid "$@" >"$dir/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/$name.pid"
}

# Running and not a zombie (the processes outlive the shell that started them; whoever adopts
# them may reap late).
alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

stop_all() {
  local name pid
  for name in kube-controller-manager kube-scheduler node kube-apiserver etcd; do
    if [ "$name" = node ]; then
      if [ -f "$dir/node/env" ]; then
        local tn=$SECONDS
        bash "$here/node/node.sh" down "$dir"
        [ $(( SECONDS - tn )) -lt 3 ] || log "the node took $(( SECONDS - tn ))s to stop"
      fi
      continue
    fi
    [ -f "$dir/$name.pid" ] || continue
    pid="$(cat "$dir/$name.pid")"
    if kill -0 "$pid" 2>/dev/null; then
      local ts=$SECONDS
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      # The cluster's state is thrown away (`up` starts from an empty directory), so nothing is
      # gained by kube-apiserver's graceful drain of watches (10 s and more): 2 s, then KILL.
      # etcd gets 10 s to close its files cleanly.
      local grace=20
      [ "$name" = etcd ] && grace=100
      for _ in $(seq 1 "$grace"); do alive "$pid" || break; sleep 0.1; done
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      [ $(( SECONDS - ts )) -lt 3 ] || log "$name took $(( SECONDS - ts ))s to stop"
    fi
    rm -f "$dir/$name.pid"
  done
}

case "$cmd" in
  up)
    if [ -f "$dir/kube-apiserver.pid" ] && kill -0 "$(cat "$dir/kube-apiserver.pid")" 2>/dev/null; then
      log "already running in $dir"; echo "$dir/kubeconfig"; exit 0
    fi
    [ "$node" = 1 ] && bash "$here/node/node.sh" deps
    bin="$("$here/controlplane/build.sh")"
    t0=$(date +%s%N)
    [ -f "$dir/node/env" ] && bash "$here/node/node.sh" down "$dir"
    rm -rf "$dir"; mkdir -p "$dir/logs"
    echo "$bin" >"$dir/bin-dir"
    # Anything that fails from here on leaves nothing running.
    up_ok=0; trap '[ "$up_ok" = 1 ] || { log "up failed; stopping what was started"; stop_all; }' EXIT
    api_host=127.0.0.1; node_args=()
    if [ "$node" = 1 ]; then
      bash "$here/node/node.sh" net-up "$dir"
      . "$dir/node/env"
      # Pods reach the API server through the `kubernetes` Service (10.0.0.1) whose endpoint is
      # the host end of the node's veth; it also serves the host there (kubeconfig below).
      api_host="$HOST_IP"
      gen_pki ",IP:$HOST_IP,IP:$NODE_IP"
      node_args=(--kubelet-preferred-address-types=InternalIP
        --kubelet-client-certificate="$dir/pki/admin.crt" --kubelet-client-key="$dir/pki/admin.key")
    else
      gen_pki
      # No node: no Service routes to the API server, and no pod gets a token (none ever runs).
      node_args=(--endpoint-reconciler-type=none --disable-admission-plugins=ServiceAccount)
    fi
    etcd_port="$(free_port)"; api_port="$(free_port)"; kcm_port="$(free_port)"; sched_port="$(free_port)"
    printf 'ETCD_PORT=%s\nAPI_PORT=%s\nKCM_PORT=%s\nSCHED_PORT=%s\n' "$etcd_port" "$api_port" "$kcm_port" "$sched_port" >"$dir/ports"
    # etcd data on tmpfs when available: faster, and nothing survives anyway.
    data="$dir/etcd-data"; if [ -d /dev/shm ] && [ -w /dev/shm ]; then data="$(mktemp -d /dev/shm/kro-ts-etcd.XXXXXX)"; fi
    echo "$data" >"$dir/etcd-data-dir"
    start_bg etcd "$bin/etcd" --name=default --data-dir="$data" \
      --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
      --listen-peer-urls=http://127.0.0.1:0 --unsafe-no-fsync=true --log-level=warn
    wait_http "http://127.0.0.1:$etcd_port/health" 30 || { log "etcd did not become healthy; log:"; tail -20 "$dir/logs/etcd.log" >&2; stop_all; exit 1; }
    start_bg kube-apiserver "$bin/kube-apiserver" \
      --etcd-servers="http://127.0.0.1:$etcd_port" \
      --bind-address="$api_host" --secure-port="$api_port" \
      --advertise-address="$api_host" "${node_args[@]}" \
      --cert-dir="$dir/pki" \
      --tls-cert-file="$dir/pki/apiserver.crt" --tls-private-key-file="$dir/pki/apiserver.key" \
      --client-ca-file="$dir/pki/ca.crt" \
      --service-cluster-ip-range=10.0.0.0/24 \
      --service-account-issuer="https://$api_host:$api_port/" \
      --service-account-key-file="$dir/pki/sa.pub" \
      --service-account-signing-key-file="$dir/pki/sa.key" \
      --authorization-mode=RBAC --allow-privileged=true \
      --enable-priority-and-fairness=false --max-requests-inflight=0 --max-mutating-requests-inflight=0 \
      --delete-collection-workers=4 --v=0 ${KRO_TS_APISERVER_ARGS:-}
    wait_http "https://$api_host:$api_port/readyz" 90 --cacert "$dir/pki/ca.crt" \
      || { log "kube-apiserver did not become ready; log:"; tail -30 "$dir/logs/kube-apiserver.log" >&2; stop_all; exit 1; }
    write_kubeconfig "$api_host" "$api_port"
    controllers=garbage-collector-controller,namespace-controller,deployment-controller,replicaset-controller,serviceaccount-controller,root-ca-certificate-publisher-controller,clusterrole-aggregation-controller
    if [ "$node" = 1 ]; then
      # What a node needs: its not-ready taint lifted and Services given endpoints; the rest is cheap.
      controllers="$controllers,node-lifecycle-controller,taint-eviction-controller,endpoints-controller,endpointslice-controller,endpointslice-mirroring-controller,pod-garbage-collector-controller,statefulset-controller,daemonset-controller,job-controller,cronjob-controller,horizontal-pod-autoscaler-controller,disruption-controller,ttl-after-finished-controller"
    fi
    if [ "$kcm" = 1 ] || [ "$node" = 1 ]; then
      start_bg kube-controller-manager "$bin/kube-controller-manager" \
        --kubeconfig="$dir/kubeconfig" --leader-elect=false \
        --controllers="$controllers" \
        --service-account-private-key-file="$dir/pki/sa.key" --root-ca-file="$dir/pki/ca.crt" \
        --service-cluster-ip-range=10.0.0.0/24 --bind-address=127.0.0.1 --secure-port="$kcm_port" --v=0
      wait_http "https://127.0.0.1:$kcm_port/healthz" 60 -k \
        || { log "kube-controller-manager did not become healthy; log:"; tail -30 "$dir/logs/kube-controller-manager.log" >&2; stop_all; exit 1; }
    fi
    if [ "$node" = 1 ]; then
      start_bg kube-scheduler "$bin/kube-scheduler" --kubeconfig="$dir/kubeconfig" --leader-elect=false \
        --bind-address=127.0.0.1 --secure-port="$sched_port" --v=0
      log "starting the node (containerd, kubelet, kube-proxy in netns $NETNS)"
      bash "$here/node/node.sh" start "$dir" "$bin" "$dir/kubeconfig"
    fi
    up_ok=1
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    echo "$ms" >"$dir/start-ms"
    version="$(curl -fsS --cacert "$dir/pki/ca.crt" "https://$api_host:$api_port/version" | sed -nE 's/.*"gitVersion": *"([^"]+)".*/\1/p')"
    log "kube-apiserver $version ready on https://$api_host:$api_port (etcd :$etcd_port$( [ "$kcm" = 1 ] && echo ", controller-manager :$kcm_port")$( [ "$node" = 1 ] && echo ", node $NODE_NAME at $NODE_IP")) in ${ms}ms"
    log "export KUBECONFIG=$dir/kubeconfig"
    echo "$dir/kubeconfig"
    ;;
  env)
    [ -f "$dir/kubeconfig" ] || { log "no cluster in $dir (run: hack/local-cluster.sh up)"; exit 1; }
    echo "export KUBECONFIG=$dir/kubeconfig"
    ;;
  status)
    [ -f "$dir/ports" ] || { log "no cluster in $dir"; exit 1; }
    cat "$dir/ports"
    if [ -f "$dir/node/env" ]; then grep -E '^(NETNS|NODE_IP|HOST_IP|POD_CIDR)=' "$dir/node/env"; fi
    for name in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy; do
      [ -f "$dir/$name.pid" ] && printf '%s pid %s %s\n' "$name" "$(cat "$dir/$name.pid")" \
        "$(kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null && echo running || echo dead)"
    done
    true
    ;;
  down)
    [ -d "$dir" ] || { log "nothing to stop in $dir"; exit 0; }
    ports=""; [ -f "$dir/ports" ] && ports="$(cut -d= -f2 "$dir/ports" | tr '\n' ' ')"
    stop_all
    [ -f "$dir/etcd-data-dir" ] && rm -rf "$(cat "$dir/etcd-data-dir")"
    rm -rf "$dir"
    for p in $ports; do
      if ss -ltnH "sport = :$p" 2>/dev/null | grep -q .; then log "warning: port $p still listening"; fi
    done
    log "stopped"
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
