#!/usr/bin/env bash
# Tests the distribution archive as a user installs it (docs/TESTING.md, "Launchers and the
# distribution"): unpacks strata-VERSION.tar.gz into an empty temporary directory, checks
# bin/strata's class paths (scripts/classpath-check.sh: no bench peers for server, db and sst;
# every jar from the archive's lib/), starts `bin/strata server conf/strata.conf` there from
# another working directory with its data dir inside the temporary directory on a free loopback
# port, checks PING and SET/GET with redis-cli, stops it with SIGTERM (exit status 0, a clean
# close), starts it again and checks the key is still there, and removes everything.
#
#   scripts/dist-test.sh [ARCHIVE]
#
# Without ARCHIVE it builds one (mvn package, tests skipped). Needs java 17 and redis-cli.
# Prints one line per step and "dist-test: passed"; exits 1 on the first failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
start_time=$SECONDS

archive="${1:-}"
if [ -z "$archive" ]; then
  echo "dist-test: building the archive (mvn package, tests skipped)"
  (cd "$root" && mvn -q -B -ntp -Dstyle.color=never -DskipTests package)
  archive="$(ls "$root"/strata-dist/target/strata-*.tar.gz)"
fi
[ -f "$archive" ] || { echo "dist-test: no archive $archive" >&2; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/strata-dist-test.XXXXXX")"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "dist-test: FAILED: $1" >&2
  [ ! -f "$tmp/server.log" ] || { echo "--- server log:" >&2; cat "$tmp/server.log" >&2; }
  exit 1
}

tar -xzf "$archive" -C "$tmp"
home="$(cd "$tmp"/strata-* && pwd -P)"
for f in bin/strata lib conf/strata.conf conf/logback.xml conf/strata.service README.md; do
  [ -e "$home/$f" ] || fail "the archive has no $f"
done
echo "dist-test: unpacked $(basename "$archive") ($(du -sh "$archive" | cut -f1)) into $tmp"

"$root/scripts/classpath-check.sh" "$home/bin/strata" "$home"

# The server runs from an empty working directory, with the archive's config and a data dir in
# the temporary directory; --port 0 takes a free port, which its start line names.
mkdir "$tmp/cwd"
port=""
start_server() {
  (cd "$tmp/cwd" && exec "$home/bin/strata" server "$home/conf/strata.conf" --dir "$tmp/data" --port "${1:-0}") \
    >"$tmp/server.log" 2>&1 &
  pid=$!
  local deadline=$((SECONDS + 60))
  port=""
  while [ -z "$port" ] && [ $SECONDS -lt $deadline ] && kill -0 "$pid" 2>/dev/null; do
    port="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/server.log")"
    [ -n "$port" ] || sleep 0.2
  done
  [ -n "$port" ] || fail "the server did not start listening within 60 s"
}
stop_server() {
  kill -TERM "$pid"
  local status=0
  wait "$pid" || status=$?
  pid=""
  [ "$status" -eq 0 ] || fail "the server exited with status $status after SIGTERM"
  grep -q "store closed" "$tmp/server.log" || fail "the server did not log a clean close"
}
cli() { redis-cli -h 127.0.0.1 -p "$port" "$@"; }

start_server
echo "dist-test: bin/strata server listening on 127.0.0.1:$port, data in $tmp/data"
[ "$(cli PING)" = PONG ] || fail "PING did not answer PONG"
[ "$(cli SET dist-test-key "hello from the archive")" = OK ] || fail "SET did not answer OK"
[ "$(cli GET dist-test-key)" = "hello from the archive" ] || fail "GET did not return the value"
echo "dist-test: PING, SET and GET answered"
stop_server
echo "dist-test: SIGTERM: exit status 0, store closed"

start_server
[ "$(cli GET dist-test-key)" = "hello from the archive" ] || fail "after a restart GET did not return the value"
stop_server
echo "dist-test: after a restart the key is still there; stopped again with status 0"

echo "dist-test: passed ($((SECONDS - start_time)) s)"
