#!/usr/bin/env bash
# Strata's kill loop (RocksDB's db_crashtest.py): runs `./strata stress` on one store again and
# again, each run SIGKILLed at a random moment; each run first verifies what the store
# recovered from the previous kill, and a final `./strata stress --verify-only` checks the last.
#
#   scripts/crash-test.sh --mode sync|unsynced [--iterations N | --duration SECONDS] [--seed N]
#                         [--dir DIR] [--max-run SECONDS] [-- STRESS OPTIONS...]
#
# A run is killed a random 0-3 s (--max-run) after it starts opening the store (one run in four)
# or after it has verified the store, so kills land in recovery, in the verification, and in
# the workload (4 threads, 64 KiB memtables: flushes and compactions run all the time, so kills
# land mid-flush and mid-compaction). --mode sync passes
# --sync (every write fsynced). Options after `--` go to every stress run (e.g. -- --keys 1000
# --threads 8). Default: 30 iterations and a random seed (printed; --seed repeats the kill
# times and the runs' seeds, not the threads' interleaving).
#
# Prints one line per iteration: what the previous kill left (WAL segments to replay: more than
# one means memtables were waiting for or in flush; table files a flush or compaction was
# writing), the verification of the recovered store with the in-flight writes it kept or
# dropped, and what the run did before its kill (from its last status line); then the totals
# and "N iterations passed". On the first failure it prints the output, keeps the store and the
# expected state in DIR, and exits 1 (2 for bad usage). DIR defaults to a new temporary
# directory, removed after a pass.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit "$1"; }
fail_usage() { echo "crash-test: $1" >&2; exit 2; }

mode=""
iterations=""
duration=""
seed=$(( (RANDOM << 15) | RANDOM ))
dir=""
max_run=3
stress_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --mode) mode="${2:-}"; shift 2 ;;
    --iterations) iterations="${2:-}"; shift 2 ;;
    --duration) duration="${2:-}"; shift 2 ;;
    --seed) seed="${2:-}"; shift 2 ;;
    --dir) dir="${2:-}"; shift 2 ;;
    --max-run) max_run="${2:-}"; shift 2 ;;
    -h|--help) usage 0 ;;
    --) shift; stress_args=("$@"); break ;;
    *) fail_usage "unknown option: $1 (see --help)" ;;
  esac
done
case "$mode" in
  sync) stress_args=(--sync "${stress_args[@]}") ;;
  unsynced) ;;
  *) fail_usage "--mode must be sync or unsynced" ;;
esac
[ -z "$iterations" ] || [ -z "$duration" ] || fail_usage "give --iterations or --duration, not both"
[ -n "$iterations" ] || [ -n "$duration" ] || iterations=30
for v in $iterations $duration $seed; do
  [[ "$v" =~ ^[0-9]+$ ]] || fail_usage "not a non-negative integer: $v"
done
[[ "$max_run" =~ ^[0-9]+(\.[0-9]+)?$ ]] || fail_usage "not a number of seconds: $max_run"
max_ms=$(awk -v s="$max_run" 'BEGIN { printf "%d", s * 1000 }')

if [ -z "$dir" ]; then
  dir="$(mktemp -d "${TMPDIR:-/tmp}/strata-crash-test.XXXXXX")"
  remove_dir=1
else
  mkdir -p "$dir"
  remove_dir=0
fi
out="$dir/stress.out"
stress=("$root/strata" stress --db "$dir/db" --expected-state "$dir/expected-state")

# Builds on first use, so that no kill lands in Maven.
"$root/strata" stress --help >/dev/null

echo "crash-test: mode $mode, seed $seed, ${iterations:+$iterations iterations}${duration:+$duration s}, kills 0-${max_run} s into each run, dir $dir"
RANDOM=$seed
child=""
trap '[ -z "$child" ] || kill -KILL "$child" 2>/dev/null || true' EXIT

failed() {
  echo "crash-test: FAILED in iteration $i: $1"
  echo "---- $out (last 40 lines; the run before: stress-previous.out)"
  tail -n 40 "$out"
  echo "crash-test: the store and expected state are kept in $dir"
  exit 1
}

# Prints the numbers the sed expression $1 captures from the output ("" if no line matches).
grab() {
  sed -n "$1" "$out" | tail -n 1
}

# Adds what the output shows of the last kill to the totals, and describes it in $kill_report.
account_kill() {
  local left kept
  left=$(grab 's/^before open: found \([0-9]*\) WAL segments\{0,1\} to replay.* and \([0-9]*\) table.*/\1 \2/p')
  kept=$(grab 's/^at open: .*: \([0-9]*\) applied, \([0-9]*\) not applied.*OK$/\1 \2/p')
  kill_report=""
  if [ -n "$left" ]; then
    set -- $left
    [ "$1" -le 1 ] || mid_flush=$((mid_flush + 1))
    [ "$2" -eq 0 ] || mid_table=$((mid_table + 1))
    kill_report="kill left $1 WAL segments, $2 unlisted tables; "
  fi
  if [ -n "$kept" ]; then
    set -- $kept
    verified=$((verified + 1))
    applied=$((applied + $1))
    dropped=$((dropped + $2))
    kill_report+="recovery verified (keys written in flight: $1 applied, $2 dropped)"
  else
    kill_report+="not verified yet (killed first)"
  fi
}

started=$SECONDS
i=0
mid_flush=0
mid_table=0
verified=0
applied=0
dropped=0
while { [ -n "$iterations" ] && [ "$i" -lt "$iterations" ]; } \
   || { [ -n "$duration" ] && [ $((SECONDS - started)) -lt "$duration" ]; }; do
  i=$((i + 1))
  run_ms=$(( ((RANDOM << 15) | RANDOM) % (max_ms + 1) ))
  run_seed=$(( (RANDOM << 30) | (RANDOM << 15) | RANDOM ))
  # The previous run's output, kept for a failure's report; emptied here, not by the child's
  # redirection, which may come after the first look below.
  [ ! -f "$out" ] || mv "$out" "$dir/stress-previous.out"
  : >"$out"
  "${stress[@]}" --duration 3600 --seed "$run_seed" "${stress_args[@]}" >"$out" 2>&1 &
  child=$!
  # The kill time counts from the moment the run starts opening the store (a quarter of the
  # runs: kills land in recovery and verification too) or from the end of its verification
  # (JVM start-up, recovery and verification take long, and vary, on a loaded machine).
  if [ $((RANDOM % 4)) -eq 0 ]; then
    anchor='^before open:'
    after="opening began"
  else
    anchor='^at open:'
    after="its verification"
  fi
  waited=$SECONDS
  until grep -q "$anchor" "$out" 2>/dev/null; do
    kill -0 "$child" 2>/dev/null || break
    [ $((SECONDS - waited)) -lt 300 ] || failed "the run did not get to \"$anchor\" in 300 s: it hangs"
    sleep 0.02
  done
  sleep "$(awk -v ms="$run_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
  # A run that already ended is a zombie, which the kill does not fail on: its status tells.
  kill -KILL "$child" 2>/dev/null || true
  rc=0
  wait "$child" 2>/dev/null || rc=$?
  child=""
  [ "$rc" -eq 137 ] || failed "the stress run ended by itself (exit status $rc) before the kill"
  if grep -q -e '^FAILED' -e 'MISMATCHES' "$out"; then
    failed "the stress run reported a failed check"
  fi
  status=$(grep '^status ' "$out" | tail -n 1 || true)
  ops=$(sed -n 's/.* ops=\([0-9]*\) flushes=\([0-9]*\) compactions=\([0-9]*\) .*/\1 ops, \2 flushes, \3 compactions/p' <<<"$status")
  account_kill
  echo "iteration $i: $kill_report; killed $run_ms ms after $after${ops:+, after $ops}"
done

# The last kill: verified by a run that only verifies.
i=$((i + 1))
mv "$out" "$dir/stress-previous.out"
"${stress[@]}" --verify-only "${stress_args[@]}" >"$out" 2>&1 || failed "the final verification failed"
account_kill
echo "final verification: $kill_report"

echo "crash-test: $((i - 1)) iterations passed (mode $mode, seed $seed, $((SECONDS - started)) s): $verified recoveries verified; kills with memtables waiting for or in flush: $mid_flush; with a flush or compaction writing a table: $mid_table; keys written in flight at the kills: $applied applied, $dropped dropped"
[ "$remove_dir" -eq 0 ] || rm -rf "$dir"
