#!/usr/bin/env bash
# The e2e suite against a kind cluster with kro-ts running in-cluster from its container image.
# Needs Docker, kind and kubectl (or Go, to build kubectl with hack/controlplane/build.sh), and
# network access for the base images and the nginx images the scenarios run.
#
#   hack/kind-e2e.sh                 create cluster → build image → kind load → kubectl apply -k
#                                    deploy (image overridden) → wait → e2e tests → delete cluster
#   KEEP_CLUSTER=1 hack/kind-e2e.sh  keep the cluster afterwards (its kubeconfig path is printed)
#
# Environment: KIND_CLUSTER_NAME (default kro-ts-e2e), KIND_NODE_IMAGE (kind's default when
# unset), IMAGE (default kro-ts:e2e), KRO_TS_DEPLOY (default deploy; e.g. deploy/overlays/aggregation),
# KUBECTL. Extra arguments are passed to vitest (e.g. -t frontend).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$(pwd)"

cluster="${KIND_CLUSTER_NAME:-kro-ts-e2e}"
image="${IMAGE:-kro-ts:e2e}"
deploy_dir="${KRO_TS_DEPLOY:-deploy}"
log() { echo "kind-e2e: $*" >&2; }

for tool in docker kind; do
  command -v "$tool" >/dev/null || { log "$tool is required"; exit 1; }
done
docker info >/dev/null 2>&1 || { log "no Docker engine is reachable (docker info failed)"; exit 1; }
if [ -z "${KUBECTL:-}" ]; then
  if command -v kubectl >/dev/null; then KUBECTL="$(command -v kubectl)"; else KUBECTL="$(bash hack/controlplane/build.sh)/kubectl"; fi
fi
export KUBECTL

. hack/ensure-node.sh
[ -d node_modules ] || npm ci --no-audit --no-fund

work="$(mktemp -d)"
kubeconfig="$work/kubeconfig"
cleanup() {
  rc=$?
  if [ "$rc" != 0 ] && [ -f "$kubeconfig" ]; then
    log "failed (exit $rc); controller state and logs:"
    "$KUBECTL" --kubeconfig "$kubeconfig" -n kro-system get deploy,pods -o wide >&2 || true
    "$KUBECTL" --kubeconfig "$kubeconfig" -n kro-system describe pods >&2 || true
    "$KUBECTL" --kubeconfig "$kubeconfig" -n kro-system logs deployment/kro --tail=300 >&2 || true
  fi
  if [ "${KEEP_CLUSTER:-0}" = 1 ]; then
    log "keeping cluster $cluster; export KUBECONFIG=$kubeconfig"
  else
    kind delete cluster --name "$cluster" >/dev/null 2>&1 || true
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT

log "creating kind cluster $cluster"
kind delete cluster --name "$cluster" >/dev/null 2>&1 || true
kind create cluster --name "$cluster" --kubeconfig "$kubeconfig" --wait 180s ${KIND_NODE_IMAGE:+--image "$KIND_NODE_IMAGE"}

log "building $image"
docker build -t "$image" .
log "loading $image into $cluster"
kind load docker-image "$image" --name "$cluster"

# A throw-away overlay on top of the chosen kustomization, with only the image replaced.
mkdir -p "$work/overlay"
cat >"$work/overlay/kustomization.yaml" <<KUST
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - $repo/$deploy_dir
images:
  - name: ghcr.io/kro-ts/kro-ts
    newName: ${image%:*}
    newTag: ${image##*:}
KUST
log "installing $deploy_dir with image $image"
"$KUBECTL" --kubeconfig "$kubeconfig" apply --server-side --field-manager=kro-ts-kind-e2e -k "$work/overlay"
"$KUBECTL" --kubeconfig "$kubeconfig" wait --for=condition=Established --timeout=60s crd/resourcegraphdefinitions.kro.run
"$KUBECTL" --kubeconfig "$kubeconfig" -n kro-system rollout status deployment/kro --timeout=180s
"$KUBECTL" --kubeconfig "$kubeconfig" -n kro-system wait --for=condition=Available --timeout=60s deployment/kro

log "running the e2e suite against the in-cluster operator"
KRO_TS_TEST_KUBECONFIG="$kubeconfig" KRO_TS_E2E_OPERATOR=in-cluster npx vitest run --project e2e "$@"
log "passed"
