#!/usr/bin/env bash
# Starts a 3-node Strata cluster on loopback, waits until it has elected a leader, prints how to
# talk to it, and stops every node when interrupted (Ctrl-C) or when a node dies.
#
#   scripts/cluster-demo.sh
#
# Environment: PORT_BASE (RESP ports PORT_BASE+1..3, default 6380), RAFT_BASE (Raft ports
# RAFT_BASE+1..3, default 9870), DEMO_DIR (data; default: a new temporary directory, removed at the
# end; a directory you give is kept), STRATA (the launcher, default this tree's ./strata).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
strata="${STRATA:-$root/strata}"
port_base="${PORT_BASE:-6380}"
raft_base="${RAFT_BASE:-9870}"
if [ -n "${DEMO_DIR:-}" ]; then
  data="$DEMO_DIR"; keep=1; mkdir -p "$data"
else
  data="$(mktemp -d "${TMPDIR:-/tmp}/strata-cluster-demo.XXXXXX")"; keep=0
fi

peers="n1=127.0.0.1:$((raft_base + 1)),n2=127.0.0.1:$((raft_base + 2)),n3=127.0.0.1:$((raft_base + 3))"
pids=()

stop_all() {
  trap - INT TERM EXIT
  echo "cluster-demo: stopping the nodes..." >&2
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$keep" = 0 ]; then rm -rf "$data"; else echo "cluster-demo: data kept in $data" >&2; fi
  echo "cluster-demo: stopped" >&2
}
trap stop_all EXIT
trap 'stop_all; exit 0' INT TERM

"$strata" --version >/dev/null  # builds once, before three nodes would build at the same time
for i in 1 2 3; do
  "$strata" server --dir "$data/n$i" --port $((port_base + i)) --node-id "n$i" \
    --raft-port $((raft_base + i)) --peers "$peers" >"$data/n$i.log" 2>&1 &
  pids+=("$!")
done

echo "cluster-demo: waiting for a leader (logs in $data/n*.log)..." >&2
for _ in $(seq 1 120); do
  if status="$("$strata" cluster status --peers "$peers" --timeout 1000 2>/dev/null)"; then break; fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "cluster-demo: a node exited; see $data/n*.log" >&2; exit 1; }
  done
  sleep 1
done
[ -n "${status:-}" ] || { echo "cluster-demo: no leader elected within 2 minutes" >&2; exit 1; }

cat <<INFO
$status

A 3-node Strata cluster is running (data in $data). Any node takes reads and writes:
  redis-cli -p $((port_base + 1)) set greeting hello
  redis-cli -p $((port_base + 2)) get greeting
  redis-cli -p $((port_base + 3)) info replication
  $strata cluster status --peers $peers
Press Ctrl-C to stop every node.
INFO

# Until Ctrl-C, or until one node exits (then the trap stops the others).
while true; do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "cluster-demo: node with pid $pid exited" >&2; exit 1; }
  done
  sleep 1
done
