#!/usr/bin/env bash
# Redis's own test suite against ./strata server: the files of tests/unit/ that cover what Strata
# implements, run in Redis's external-server mode, with a count per file.
#
#   scripts/redis-suite.sh REDIS_DIR [UNIT ...]
#
# REDIS_DIR is a checkout of github.com/redis/redis at tag 7.2.6 (or an export of its `runtest`
# and `tests/`); nothing of it is copied here. UNIT names a file as runtest does, e.g.
# unit/type/string; the default is the list below. The server runs with a fresh directory on a
# free loopback port and is stopped at the end. Each file runs with
#   ./runtest --host 127.0.0.1 --port P --single UNIT --singledb --durable --ignore-encoding
#             --ignore-digest --tags "-needs:repl -needs:debug -needs:save ..."
# (--durable goes on past an error, and the tags leave out what needs a replica, DEBUG, SAVE to
# an RDB file and the like); REDIS_SUITE_ARGS adds runtest options, split at spaces, e.g.
# REDIS_SUITE_ARGS='--skiptest /script.timeout' or '--only /^INCR'. Prints, per file, the tests
# passed ([ok]), failed ([err]), files cut short by an exception, and skipped or ignored ones;
# each file's output is kept in OUT_DIR (default: a new temporary directory, printed). Needs
# tclsh (Debian's tcl). Two runs at once need different runtest ports: '--baseport 31200'.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

[ $# -ge 1 ] || { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
redis_dir="$(cd "$1" && pwd)"; shift
[ -x "$redis_dir/runtest" ] || { echo "redis-suite: $redis_dir/runtest not found" >&2; exit 2; }
command -v tclsh >/dev/null || { echo "redis-suite: tclsh is missing (apt-get install tcl)" >&2; exit 1; }
units=("$@")
if [ ${#units[@]} -eq 0 ]; then
  units=(unit/type/string unit/type/incr unit/expire unit/keyspace unit/scan unit/protocol unit/info
    unit/info-command unit/introspection unit/introspection-2 unit/multi unit/scripting unit/pubsub
    unit/bitops unit/dump)
fi
out_dir="${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/strata-redis-suite.XXXXXX")}"
mkdir -p "$out_dir"
data="$(mktemp -d "${TMPDIR:-/tmp}/strata-redis-suite-data.XXXXXX")"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data"
}
trap cleanup EXIT

"$root/strata" --version >/dev/null
"$root/strata" server --bind 127.0.0.1 --port "$port" --dir "$data/data" >"$out_dir/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { echo "redis-suite: the server exited:" >&2; cat "$out_dir/server.log" >&2; exit 1; }
  sleep 0.2
done

tags="-needs:repl -needs:debug -needs:save -needs:config-maxmemory -needs:other-server -needs:pfdebug"
tags="$tags -needs:latency"
printf '%-24s %6s %6s %10s %8s\n' file passed failed exception skipped
cd "$redis_dir"
for unit in "${units[@]}"; do
  log="$out_dir/$(echo "$unit" | tr / _).log"
  timeout 900 ./runtest --host 127.0.0.1 --port "$port" --single "$unit" --singledb --durable \
    --ignore-encoding --ignore-digest --tags "$tags" ${REDIS_SUITE_ARGS:-} 2>&1 \
    | sed 's/\x1b\[[0-9;]*m//g' >"$log" || true
  printf '%-24s %6d %6d %10d %8d\n' "$unit" "$(grep -ac '^\[ok\]' "$log")" "$(grep -ac '^\[err\]' "$log")" \
    "$(grep -ac '^\[exception\]' "$log")" "$(grep -acE '^\[(skip|ignore)\]' "$log")"
done
echo "redis-suite: logs in $out_dir"
