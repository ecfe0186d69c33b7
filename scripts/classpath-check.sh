#!/usr/bin/env bash
# Checks a strata launcher's class paths (docs/TESTING.md, "Launchers and the distribution"):
# `server`, `cluster`, `db` and `sst` run without the bench's peer engines and chart (no rocksdbjni,
# iq80 LevelDB, lmdbjava or XChart jar); `bench --help` and `stress --help` work, with the peers on the class path;
# `--help` lists every command.
#
#   scripts/classpath-check.sh [LAUNCHER [HOME]]
#
# LAUNCHER defaults to the source tree's ./strata; with HOME (an unpacked distribution), every
# class path entry must also lie in HOME/lib (no Maven repository, no source tree). The class
# path is the one java reports (STRATA_JAVA_OPTS=-XshowSettings:properties, which so is checked
# too). Prints one line per check; exits 1 on the first failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
launcher="${1:-$root/strata}"
home="${2:-}"

fail() { echo "classpath-check: FAILED: $1" >&2; exit 1; }

# The class path entries, one a line, of `LAUNCHER ARGS...` (which must exit 0).
class_path() {
  local err
  err="$(STRATA_JAVA_OPTS=-XshowSettings:properties "$launcher" "$@" 2>&1 >/dev/null)" \
    || fail "$* exited non-zero: $err"
  awk '/^ *java\.class\.path = / { sub(/^ *java\.class\.path = /, ""); print; more = 1; next }
       more && /^        / { sub(/^ +/, ""); print; next }
       { more = 0 }' <<<"$err"
}

peers() { grep -E '/(rocksdbjni|leveldb|leveldb-api|lmdbjava|xchart)-[^/]*\.jar$' || true; }

"$launcher" --help >/dev/null 2>&1 || true  # builds on first use (./strata), outside the checks
for command in server cluster db sst; do
  cp="$(class_path "$command" --help)"
  [ -n "$cp" ] || fail "no class path reported for $command"
  [ -z "$(peers <<<"$cp")" ] || fail "$command's class path holds the bench's peers: $(peers <<<"$cp" | tr '\n' ' ')"
  if [ -n "$home" ]; then
    outside="$(grep -v "^$home/lib/" <<<"$cp" || true)"
    [ -z "$outside" ] || fail "$command's class path reaches outside $home/lib: $outside"
  fi
  echo "classpath-check: $command: $(wc -l <<<"$cp") jars, no rocksdbjni, LevelDB, LMDB or XChart"
done

for command in bench stress; do
  cp="$(class_path "$command" --help)"
  [ -n "$(peers <<<"$cp")" ] || fail "$command's class path lacks the bench's peers"
  usage="$("$launcher" "$command" --help)" || fail "$command --help exited non-zero"
  grep -q "^Usage: strata $command" <<<"$usage" || fail "$command --help printed no usage: $usage"
  echo "classpath-check: $command --help works, its class path has the peers"
done

help="$("$launcher" --help)" || fail "--help exited non-zero"
for command in server cluster sst db bench stress help; do
  grep -qE "^  $command( |$)" <<<"$help" || fail "--help does not list $command: $help"
done
echo "classpath-check: --help lists server, cluster, sst, db, bench, stress, help"
