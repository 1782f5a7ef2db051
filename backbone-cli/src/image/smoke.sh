#!/usr/bin/env bash
# Runs the container image the way a container runtime would, with no Docker engine: unpacks its layers into a root
# file system, then (as root) runs its entrypoint in a chroot as the image's user, with /proc mounted. The backbone
# in the image runs the topology against a development cluster started from the jar; its management port must say
# ready and serve the product counters, and `backbone health` (the compose health check) must pass inside the image.
set -euo pipefail
tar_file="$1"
jar="$2"
work="$(mktemp -d)"
cluster_pid=""
topology_pid=""
cleanup() {
  [ -n "$topology_pid" ] && kill "$topology_pid" 2>/dev/null || true
  [ -n "$cluster_pid" ] && kill "$cluster_pid" 2>/dev/null || true
  sleep 2
  umount "$work/root/proc" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/image" "$work/root"
tar --warning=no-unknown-keyword -xf "$tar_file" -C "$work/image"
for layer in $(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$work/image/manifest.json"); do
  tar --warning=no-unknown-keyword -xzf "$work/image/$layer" -C "$work/root"
done
mkdir -p "$work/root/proc"
mount -t proc proc "$work/root/proc"
in_image() {
  chroot --userspec=65534:65534 "$work/root" /opt/java/bin/java -Djava.io.tmpdir=/tmp -cp @/app/jib-classpath-file io.backbone.cli.BackboneCommand "$@"
}
echo "image: $(in_image --version)"

java -jar "$jar" dev-cluster --insecure --no-postgres --registry-port 0 > "$work/cluster.env" 2> "$work/cluster.err" &
cluster_pid=$!
for _ in $(seq 1 90); do grep -q SCHEMA_REGISTRY_URL "$work/cluster.env" && break; sleep 1; done
# shellcheck disable=SC1091
. "$work/cluster.env"
java -jar "$jar" provision > /dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BACKBONE_MASKING_SECRET=image-smoke-test-secret-0123 KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP_SERVERS" SCHEMA_REGISTRY_URL="$SCHEMA_REGISTRY_URL" \
  in_image topology --state-dir /tmp/state --management-port "$port" --log-format json > "$work/topology.log" 2>&1 &
topology_pid=$!
ready=""
for _ in $(seq 1 90); do
  kill -0 "$topology_pid" 2>/dev/null || { echo "the backbone in the image stopped; its log:"; tail -20 "$work/topology.log"; exit 1; }
  if in_image health --url "http://127.0.0.1:$port/health/ready" > /dev/null 2>&1; then ready=yes; break; fi
  sleep 1
done
if [ -z "$ready" ]; then
  echo "the backbone in the image did not become ready; its log:"; tail -20 "$work/topology.log"; exit 1
fi
java -jar "$jar" produce orders --events 50 > /dev/null
sleep 5
metrics=$(curl -fs "http://127.0.0.1:$port/metrics")
echo "$metrics" | grep -E '^backbone_records_published_total\{product="orders"\} [1-9]' \
  || { echo "no published orders counted on /metrics"; tail -20 "$work/topology.log"; exit 1; }
head -c 300 "$work/topology.log"; echo
echo "image smoke test passed: the image's backbone ran the topology, answered /health/ready and counted the orders"
