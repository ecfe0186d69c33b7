#!/usr/bin/env bash
# Strata's server against Debian's redis-server, with redis-benchmark, on this machine.
#
#   scripts/server-bench.sh [-C] [-n REQUESTS] [-r RUNS] [-k KEYSPACE] [-p FIRST_PORT]
#
# Starts three servers, each on its own loopback port and temporary directory:
#   strata          ./strata server (default options: WAL written to the OS before each reply, no fsync)
#   redis           redis-server --appendonly no --save ''             (memory only)
#   redis-aof       redis-server --appendonly yes --appendfsync everysec --save ''
# or, with -C, a 3-node Strata cluster beside two single nodes, measured through its leader and
# through a follower (which forwards every write to the leader):
#   strata          ./strata server
#   strata-sync     ./strata server --sync                             (fsync before each reply)
#   leader          the cluster's leader (./strata server --node-id ... --raft-port ... --peers ...)
#   follower        one of its followers
# then, in RUNS rounds (the servers taking turns in each round, after one unrecorded warm-up
# round), runs `redis-benchmark -p PORT -c 50 -n REQUESTS -r KEYSPACE -t set,get,incr,mset -P 1 -q`,
# and `-t set -d 1024` (SET1K: 1 KiB values), and the same with -P 16, against each, and prints
# the median requests/s per server, test and pipeline depth with the ratios Strata / redis-server
# (with -C: leader / strata-sync, follower / strata-sync, leader / strata; a cluster's write is
# durable on a majority's logs, as a single node's with --sync is on its own).
# Keys are drawn from KEYSPACE (default 100000) random ones, as real clients write many keys:
# without -r every SET of redis-benchmark writes one key. Everything it started is stopped on exit.
#
# Installs nothing: it needs redis-benchmark, redis-cli (Debian package redis-tools) and
# redis-server (Debian package redis-server), plus what ./strata needs (JDK 17, Maven).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

requests=100000
runs=3
keyspace=100000
first_port=16380
cluster=0
while getopts "Cn:r:k:p:h" opt; do
  case "$opt" in
    C) cluster=1 ;;
    n) requests="$OPTARG" ;;
    r) runs="$OPTARG" ;;
    k) keyspace="$OPTARG" ;;
    p) first_port="$OPTARG" ;;
    *) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; [ "$opt" = h ] && exit 0 || exit 2 ;;
  esac
done
for v in "$requests" "$runs" "$keyspace" "$first_port"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "server-bench: not a positive number: $v" >&2; exit 2; }
done

missing=()
for tool in redis-benchmark redis-cli redis-server; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "server-bench: missing ${missing[*]}; install them first, e.g. apt-get install -y redis-tools redis-server" >&2
  exit 1
fi

# procs: the processes started, each with a port; servers: what is measured (a cluster's leader
# and follower are two of its nodes, known once it has elected).
if [ "$cluster" = 1 ]; then
  procs=(strata strata-sync n1 n2 n3)
  servers=(strata strata-sync leader follower)
else
  procs=(strata redis redis-aof)
  servers=("${procs[@]}")
fi
declare -A port pid
i=0
for s in "${procs[@]}"; do
  port[$s]=$((first_port + i))
  i=$((i + 1))
  if redis-cli -p "${port[$s]}" ping >/dev/null 2>&1 || (echo >"/dev/tcp/127.0.0.1/${port[$s]}") 2>/dev/null; then
    echo "server-bench: port ${port[$s]} is in use; choose other ports with -p" >&2
    exit 1
  fi
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/strata-server-bench.XXXXXX")"
bench_pid=
cleanup() {
  local s
  if [ -n "$bench_pid" ]; then
    kill -TERM "$bench_pid" 2>/dev/null || true
    wait "$bench_pid" 2>/dev/null || true
  fi
  for s in "${procs[@]}"; do
    if [ -n "${pid[$s]:-}" ] && kill -0 "${pid[$s]}" 2>/dev/null; then
      kill -TERM "${pid[$s]}" 2>/dev/null || true
    fi
  done
  for s in "${procs[@]}"; do
    if [ -n "${pid[$s]:-}" ]; then
      for _ in $(seq 1 100); do kill -0 "${pid[$s]}" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "${pid[$s]}" 2>/dev/null || true
      wait "${pid[$s]}" 2>/dev/null || true
    fi
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "server-bench: building Strata (./strata builds on first use)..." >&2
"$root/strata" --version >/dev/null

for s in "${procs[@]}"; do mkdir -p "$tmp/$s"; done
"$root/strata" server --bind 127.0.0.1 --port "${port[strata]}" --dir "$tmp/strata/data" >"$tmp/strata.log" 2>&1 &
pid[strata]=$!
if [ "$cluster" = 1 ]; then
  "$root/strata" server --bind 127.0.0.1 --port "${port[strata-sync]}" --dir "$tmp/strata-sync/data" --sync \
    >"$tmp/strata-sync.log" 2>&1 &
  pid[strata-sync]=$!
  raft_base=$((first_port + 100))
  peers="n1=127.0.0.1:$((raft_base + 1)),n2=127.0.0.1:$((raft_base + 2)),n3=127.0.0.1:$((raft_base + 3))"
  for i in 1 2 3; do
    "$root/strata" server --bind 127.0.0.1 --port "${port[n$i]}" --dir "$tmp/n$i/data" --node-id "n$i" \
      --raft-port $((raft_base + i)) --peers "$peers" >"$tmp/n$i.log" 2>&1 &
    pid[n$i]=$!
  done
else
  redis-server --bind 127.0.0.1 --port "${port[redis]}" --dir "$tmp/redis" --appendonly no --save '' \
    --daemonize no --logfile "$tmp/redis.log" &
  pid[redis]=$!
  redis-server --bind 127.0.0.1 --port "${port[redis-aof]}" --dir "$tmp/redis-aof" --appendonly yes \
    --appendfsync everysec --save '' --daemonize no --logfile "$tmp/redis-aof.log" &
  pid[redis-aof]=$!
fi

for s in "${procs[@]}"; do
  for _ in $(seq 1 300); do
    [ "$(redis-cli -p "${port[$s]}" ping 2>/dev/null)" = PONG ] && break
    kill -0 "${pid[$s]}" 2>/dev/null || { echo "server-bench: $s exited; its log:" >&2; cat "$tmp/$s.log" >&2; exit 1; }
    sleep 0.2
  done
  [ "$(redis-cli -p "${port[$s]}" ping 2>/dev/null)" = PONG ] || { echo "server-bench: $s did not start" >&2; exit 1; }
done
if [ "$cluster" = 1 ]; then
  # The leader once every node names the same one (at most 2 minutes); a follower beside it.
  for _ in $(seq 1 600); do
    leaders=()
    for n in n1 n2 n3; do
      role="$(redis-cli -p "${port[$n]}" info replication 2>/dev/null | tr -d '\r' | sed -n 's/^role://p')"
      [ "$role" = leader ] && leaders+=("$n")
    done
    [ ${#leaders[@]} -eq 1 ] && [ "$(redis-cli -p "${port[${leaders[0]}]}" set server-bench:ready 1 2>/dev/null)" = OK ] \
      && break
    sleep 0.2
  done
  [ ${#leaders[@]} -eq 1 ] || { echo "server-bench: the cluster elected no leader; logs in $tmp" >&2; exit 1; }
  port[leader]=${port[${leaders[0]}]}
  for n in n1 n2 n3; do [ "$n" != "${leaders[0]}" ] && { port[follower]=${port[$n]}; break; }; done
fi
echo "server-bench: $(for s in "${servers[@]}"; do printf '%s on %s, ' "$s" "${port[$s]}"; done)" \
  "$runs runs of $requests requests, 50 clients, $keyspace keys, redis-server $(redis-server --version | awk '{sub("v=", "", $3); print $3}'), $(nproc) cores" >&2

tests=(SET GET INCR MSET SET1K)

# One redis-benchmark run of TESTS (its -t) with VALUE_BYTES values, whose SET is reported as
# LABEL; appends "server test pipeline ops/s" lines to $tmp/results if RECORD is "record".
run_benchmark() { # server pipeline requests record tests value_bytes set_label
  local s="$1" p="$2" n="$3" out
  # In the background and waited for, so that a signal stops the script at once (bash runs
  # traps only between foreground commands).
  redis-benchmark -h 127.0.0.1 -p "${port[$s]}" -c 50 -n "$n" -r "$keyspace" -t "$5" -d "$6" -P "$p" -q \
    >"$tmp/bench.out" 2>&1 &
  bench_pid=$!
  wait "$bench_pid" || true
  bench_pid=
  # MSET's line reads "MSET (10 keys): N requests per second".
  out="$(tr '\r' '\n' <"$tmp/bench.out" | sed 's/^MSET (10 keys):/MSET:/')"
  if ! grep -qE '^SET: [0-9.]+ requests per second' <<<"$out"; then
    echo "server-bench: redis-benchmark against $s failed (logs in $tmp):" >&2
    echo "$out" >&2
    exit 1
  fi
  if [ "$4" = record ]; then
    grep -E '^(SET|GET|INCR|MSET): [0-9.]+ requests per second' <<<"$out" \
      | awk -v s="$s" -v p="$p" -v set="$7" '{sub(":", "", $1); if ($1 == "SET") $1 = set; print s, $1, p, $2}' \
      | tee -a "$tmp/results" >&2
  fi
}

bench() { # server pipeline requests record
  run_benchmark "$1" "$2" "$3" "$4" set,get,incr,mset 3 SET
  run_benchmark "$1" "$2" "$3" "$4" set 1024 SET1K
}

echo "server-bench: warm-up round (not recorded)" >&2
for s in "${servers[@]}"; do for p in 1 16; do bench "$s" "$p" $(( (requests + 9) / 10 )) no; done; done
: >"$tmp/results"
for r in $(seq 1 "$runs"); do
  echo "server-bench: round $r of $runs" >&2
  for s in "${servers[@]}"; do for p in 1 16; do bench "$s" "$p" "$requests" record; done; done
done

median() { # server test pipeline
  awk -v s="$1" -v t="$2" -v p="$3" '$1 == s && $2 == t && $3 == p {print $4}' "$tmp/results" | sort -g \
    | awk '{v[NR] = $1} END {if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

if [ "$cluster" = 1 ]; then
  ratios=(leader/strata-sync follower/strata-sync leader/strata)
else
  ratios=(strata/redis strata/redis-aof)
fi
echo
echo "redis-benchmark -c 50 -n $requests -r $keyspace, median of $runs runs, requests/s ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores)"
printf '%-5s %-3s' test -P
for s in "${servers[@]}"; do printf ' %12s' "$s"; done
for q in "${ratios[@]}"; do printf ' %20s' "$q"; done
echo
for t in "${tests[@]}"; do
  for p in 1 16; do
    declare -A m=()
    for s in "${servers[@]}"; do m[$s]="$(median "$s" "$t" "$p")"; done
    printf '%-5s %-3s' "$t" "$p"
    for s in "${servers[@]}"; do printf ' %12.0f' "${m[$s]}"; done
    for q in "${ratios[@]}"; do
      awk -v a="${m[${q%/*}]}" -v b="${m[${q#*/}]}" 'BEGIN { printf " %20.2f", (b > 0 ? a / b : 0) }'
    done
    echo
  done
done
if [ "$cluster" = 1 ]; then
  echo "SET1K = SET of 1 KiB values (-d 1024); strata-sync = ./strata server --sync; leader and follower:" \
    "nodes of a 3-node cluster on this machine (every node and the benchmark share its cores)"
else
  echo "SET1K = SET of 1 KiB values (-d 1024); redis = redis-server --appendonly no --save '';" \
    "redis-aof = --appendonly yes --appendfsync everysec --save ''"
fi
