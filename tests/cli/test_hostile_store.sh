#!/bin/sh
# test_hostile_store.sh — the run store under hostile conditions (issue 10,
# items 11-13; docs/robustness.md, "The run store"): a lock held by another
# program (the wait is bounded by the documented 10 s in all), stores that
# are damaged or foreign (refused by `takt run` with status 2 before
# simulating, and left as they were), and `takt show` on a damaged store
# (nothing printed).
#
#   TAKT=build/takt sh tests/cli/test_hostile_store.sh

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_hostile_store.sh || exit 1

TWO="$root/scenarios/two-machines.yaml"
TMP=$T_DIR
if [ -n "${TAKT_WRAPPER:-}" ]; then SLOW=${TAKT_SLOWDOWN:-50}; else SLOW=${TAKT_SLOWDOWN:-1}; fi
cd "$TMP" || exit 1

now_ms() { date +%s%3N; }
sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchall(); c.commit(); print(r[0][0] if r else "")' "$@"; }

# A good store of three runs, the model of the damaged ones.
for i in 1 2 3; do
    "$TAKT" run "$TWO" --quiet --replications 2 --horizon 10h --db "$TMP/good.db" >/dev/null || exit 1
done

# ------------------------------------------------- 11. a lock held by another program

cp "$TMP/good.db" "$TMP/locked.db"
python3 - "$TMP/locked.db" "$TMP/lock.ready" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close()
time.sleep(60)
PY
holder=$!
i=0
while [ ! -e "$TMP/lock.ready" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
t0=$(now_ms)
save=$TAKT_CLI_TIMEOUT; TAKT_CLI_TIMEOUT=$((40 * SLOW))
check "a store locked by another program: the wait ends after 10 s" 1 \
    takt run "$TWO" --replications 2 --horizon 10h --db "$TMP/locked.db" --json "$TMP/locked.json"
TAKT_CLI_TIMEOUT=$save
t1=$(now_ms)
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
expect_contains stderr "another program"
expect_contains stderr "10 s"
[ $((t1 - t0)) -ge 9000 ] || fail_because "gave up after $((t1 - t0)) ms, before the documented 10 s"
[ $((t1 - t0)) -le $((15000 * SLOW)) ] || fail_because "waited $((t1 - t0)) ms (bound: 10 s)"
[ ! -e "$TMP/locked.json" ] || fail_because "the JSON report was written"
[ -z "$(find "$TMP" -name '*.tmp.*')" ] || fail_because "temporary files left behind"
expect_true "no run was added" [ "$(sql "$TMP/locked.db" 'select count(*) from runs')" = 3 ]

# ------------------------------------------------- 12. bad stores refused before simulating

# bad_store NAME FILE PHRASE: `takt run` (a run of about 15 minutes, met by
# the command's 30-second limit if it ever started: see test_hostile_out.sh) refuses
# FILE as the store at once, with status 2, writes no report, and leaves
# FILE as it was.
bad_store() {
    cp "$2" "$TMP/before.db"
    _save=$TAKT_CLI_TIMEOUT
    TAKT_CLI_TIMEOUT=$((30 * SLOW))
    check "bad store refused before simulating: $1" 2 \
        takt run "$TWO" --quiet --horizon 2000000h --replications 1000 --db "$2" --json "$TMP/bad.json"
    TAKT_CLI_TIMEOUT=$_save
    expect_empty stdout
    expect_contains stderr "$3"
    [ ! -e "$TMP/bad.json" ] || fail_because "the JSON report was written"
    expect_same "$2" "$TMP/before.db"
}

head -c 20000 /dev/urandom >"$TMP/random.db"
bad_store "random bytes" "$TMP/random.db" "not an SQLite database"

size=$(stat -c %s "$TMP/good.db")
pages=$((size / 4096))
cp "$TMP/good.db" "$TMP/corrupt.db"
# every page after the first (the header and schema) overwritten
head -c $(((pages - 1) * 4096)) /dev/urandom | dd of="$TMP/corrupt.db" bs=4096 seek=1 conv=notrunc 2>/dev/null
bad_store "a corrupted body behind a valid header" "$TMP/corrupt.db" "malformed"

head -c $((size / 2)) "$TMP/good.db" >"$TMP/truncated.db"
bad_store "a truncated file" "$TMP/truncated.db" "malformed"

cp "$TMP/good.db" "$TMP/tiny.db"
head -c 50 "$TMP/good.db" >"$TMP/tiny.db"
bad_store "a file cut inside the header" "$TMP/tiny.db" "malformed"

python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("create table customers (id, name)"); c.commit()' "$TMP/foreign.db"
bad_store "a foreign schema" "$TMP/foreign.db" "not a takt run store"

cp "$TMP/good.db" "$TMP/newer.db"
sql "$TMP/newer.db" 'update schema_version set version = 99' >/dev/null
bad_store "a newer schema version" "$TMP/newer.db" "newer"

cp "$TMP/good.db" "$TMP/dropped.db"
sql "$TMP/dropped.db" 'drop table buffers' >/dev/null
bad_store "a dropped table" "$TMP/dropped.db" "buffers"

cp "$TMP/good.db" "$TMP/altered.db"
# (a figure column of the results catalogue may be missing: recording adds
# it; the station's name may not)
sql "$TMP/altered.db" 'alter table stations drop column station' >/dev/null
bad_store "a table with a column missing" "$TMP/altered.db" "station"

cp "$TMP/good.db" "$TMP/noversion.db"
sql "$TMP/noversion.db" 'delete from schema_version' >/dev/null
bad_store "an empty version table" "$TMP/noversion.db" "not a takt run store"

check "sweep refuses a dropped table too" 2 \
    takt sweep "$TWO" --set horizon=10h,20h --quiet --db "$TMP/dropped.db"
expect_contains stderr "buffers"

# ------------------------------------------------- 13. show validates before printing

for cmd in "show 1" "compare 1 2" "runs"; do
    # shellcheck disable=SC2086
    check "takt $cmd on a store without a table prints nothing" 2 takt $cmd --db "$TMP/dropped.db"
    expect_empty stdout
    expect_contains stderr "buffers"
    # shellcheck disable=SC2086
    check "takt $cmd on a corrupted store prints nothing" any takt $cmd --db "$TMP/corrupt.db"
    [ "$T_STATUS" -eq 1 ] || [ "$T_STATUS" -eq 2 ] || fail_because "status $T_STATUS"
    expect_empty stdout
done
check "takt show on the good store still works" 0 takt show 3 --db "$TMP/good.db"
expect_contains stdout "Run 3"

finish
