#!/bin/sh
# test_sweep.sh — end-to-end tests of `takt sweep`: how many combinations
# a sweep makes and in which order, value lists with commas inside
# parentheses, integer ranges, that each combination's results are those
# of `takt run` on the same plant (the JSON summary is the same), that the
# thread count changes nothing, the CSV and the run store, and exit status
# 2 with a clear message for bad keys and values.
#
#   TAKT=build/takt sh tests/cli/test_sweep.sh
#
# Expected counts and orders come from the command lines, expected numbers
# from `takt run`, never from the sweep's own output.

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_sweep.sh || exit 1

TMP=$T_DIR
cd "$TMP" || exit 1                     # a stray takt.db lands here, not in the tree

# A short version of the two-machine line, so a sweep of six combinations
# takes well under a second.
PLANT="$TMP/two.yaml"
cat >"$PLANT" <<'EOF'
name: two machines
horizon: 400h
warmup: 20h
replications: 3
seed: 11
stations:
  - name: M1
    cycle: exp(1h)
    failures:
      - {ttf: exp(100h), ttr: exp(10h)}
  - name: M2
    cycle: tri(50min, 1h, 70min)
    servers: 2
buffers:
  - {name: B1, from: M1, to: M2, capacity: 3}
EOF

# The same plant with B1's capacity and M2's servers written in the file.
edited() {
    sed -e "s/capacity: 3/capacity: $1/" -e "s/servers: 2/servers: $2/" "$PLANT" >"$TMP/edited.yaml"
}

# ---------------------------------------------------------------- combinations

check "3 x 2 values make 6 combinations, first --set slowest" 0 \
    takt sweep "$PLANT" --set buffers.B1.capacity=1..3 --set stations.M2.servers=1,2 \
    --json "$TMP/six.json" --csv "$TMP/six.csv" --no-db --quiet
expect_json "$TMP/six.json" '
got = [(c["set"]["buffers.B1.capacity"], c["set"]["stations.M2.servers"]) for c in j]
want = [(b, s) for b in ("1", "2", "3") for s in ("1", "2")]
assert got == want, got
assert all(sorted(c) == ["set", "summary"] for c in j), [sorted(c) for c in j]
assert all(c["summary"]["replications"] == 3 for c in j)
'
expect_lines "$TMP/six.csv" -eq 7
expect_match "$TMP/six.csv" '^buffers\.B1\.capacity,stations\.M2\.servers,replications,seed,throughput_per_hour_mean,'
expect_match "$TMP/six.csv" '^3,1,3,11,[0-9.e+-]+,'
for b in 1 2 3; do
    for s in 1 2; do
        expect_match stdout "^ +$b +$s +3 +[0-9.]+ ± "
    done
done

check "a range with a step" 0 takt sweep "$PLANT" --set buffers.B1.capacity=0..20..5 \
    --replications 1 --set horizon=50h --json - --no-db --quiet
expect_json '
assert [c["set"]["buffers.B1.capacity"] for c in j] == ["0", "5", "10", "15", "20"], j
assert [c["set"]["horizon"] for c in j] == ["50h"] * 5
assert all(c["summary"]["horizon_s"] == 50 * 3600 for c in j)
'

check "commas inside parentheses belong to the value" 0 \
    takt sweep "$PLANT" --set "stations.M1.cycle=exp(1h), tri(50min, 1h, 70min),55min" \
    --replications 1 --json - --no-db --quiet
expect_json '
assert [c["set"]["stations.M1.cycle"] for c in j] == ["exp(1h)", "tri(50min, 1h, 70min)", "55min"], j
'

# ---------------------------------------------------------------- same as takt run

cat >"$TMP/same.py" <<'PY'
import json, sys
sweep = json.load(open(sys.argv[1]))
run = json.load(open(sys.argv[2]))
row = [c for c in sweep if c["set"] == {"buffers.B1.capacity": sys.argv[3], "stations.M2.servers": sys.argv[4]}]
assert len(row) == 1, row
assert row[0]["summary"] == run, "the sweep's summary differs from takt run's"
PY
for combo in 3:2 1:1; do
    cap=${combo%:*} srv=${combo#*:}
    edited "$cap" "$srv"
    takt run "$TMP/edited.yaml" --json "$TMP/run-$cap-$srv.json" --no-db --quiet >/dev/null 2>&1
    check "the row capacity=$cap servers=$srv is takt run of the same plant" 0 \
        python3 "$TMP/same.py" "$TMP/six.json" "$TMP/run-$cap-$srv.json" "$cap" "$srv"
done

check "sweep --threads 1 writes the same bytes as the default" 0 \
    takt sweep "$PLANT" --set buffers.B1.capacity=1..3 --set stations.M2.servers=1,2 \
    --threads 1 --json "$TMP/six-t1.json" --no-db --quiet
expect_same "$TMP/six.json" "$TMP/six-t1.json"

check "--seed and --replications apply to every combination" 0 \
    takt sweep "$PLANT" --set stations.M2.servers=1,2 --seed 5 --replications 2 --json - --no-db --quiet
expect_json '
assert [(c["summary"]["seed"], c["summary"]["replications"]) for c in j] == [(5, 2), (5, 2)], j
'

check "a swept replications key gives each combination its count" 0 \
    takt sweep "$PLANT" --set replications=2,4 --json - --no-db --quiet
expect_json '
assert [c["summary"]["replications"] for c in j] == [2, 4], j
'

# ---------------------------------------------------------------- run store

check "each combination is one run of the store, linked by a sweep id" 0 \
    takt sweep "$PLANT" --set stations.M2.servers=1,2,3 --db "$TMP/s.db" --quiet
expect_true "the store holds 3 runs with one sweep id" python3 - "$TMP/s.db" <<'PY'
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT sweep_id, command_line FROM runs ORDER BY id").fetchall()
assert len(rows) == 3, rows
assert rows[0][0] is not None and all(r[0] == rows[0][0] for r in rows), rows
for r, s in zip(rows, ("1", "2", "3")):
    assert "--set stations.M2.servers=" + s in r[1], r[1]
PY

check "a second sweep gets another sweep id" 0 \
    takt sweep "$PLANT" --set stations.M2.servers=1,2 --db "$TMP/s.db" --quiet
expect_true "two sweep ids in the store" python3 - "$TMP/s.db" <<'PY'
import sqlite3, sys
ids = sqlite3.connect(sys.argv[1]).execute("SELECT DISTINCT sweep_id FROM runs").fetchall()
assert len(ids) == 2, ids
PY

# ---------------------------------------------------------------- refusals

# refused DESCRIPTION PHRASE ARGS...: exit 2, nothing on stdout, PHRASE on
# stderr; nothing simulated, so no output file appears.
refused() {
    desc=$1
    phrase=$2
    shift 2
    rm -f "$TMP/never.json"
    check "refused: $desc" 2 takt sweep "$@" --json "$TMP/never.json" --no-db
    expect_empty stdout
    expect_contains stderr "$phrase"
    [ ! -e "$TMP/never.json" ] || fail_because "the JSON file was written"
}

refused "an unknown buffer" "NOPE" "$PLANT" --set buffers.NOPE.capacity=1,2
refused "an unknown station key" "bogus" "$PLANT" --set stations.M1.bogus=3
refused "a bad value for a good key" "capacity" "$PLANT" --set buffers.B1.capacity=2,-1
refused "a bad distribution" "expo" "$PLANT" --set "stations.M1.cycle=expo(1h)"
refused "no = in --set" "KEY=VALUES" "$PLANT" --set buffers.B1.capacity
refused "an empty value list" "empty value" "$PLANT" --set buffers.B1.capacity=
refused "an empty element" "empty value" "$PLANT" --set buffers.B1.capacity=1,,2
refused "an unbalanced parenthesis" "unbalanced" "$PLANT" --set "stations.M1.cycle=tri(1h, 2h"
refused "a half range" "bad range" "$PLANT" --set buffers.B1.capacity=1..
refused "a range of decimals" "bad range" "$PLANT" --set buffers.B1.capacity=0.5..2
refused "an empty range" "empty" "$PLANT" --set buffers.B1.capacity=5..1
refused "a zero step" "step" "$PLANT" --set buffers.B1.capacity=0..10..0
refused "a key set twice" "twice" "$PLANT" --set buffers.B1.capacity=1 --set buffers.B1.capacity=2
refused "an empty key" "bad key" "$PLANT" --set =1,2
refused "too many combinations" "too many" "$PLANT" --set buffers.B1.capacity=0..999 \
    --set stations.M2.servers=1..1000
refused "no --set" "--set" "$PLANT"
refused "no plant file" "plant file" --set buffers.B1.capacity=1
refused "a missing plant file" "cannot open" "$TMP/no-such.yaml" --set buffers.B1.capacity=1
refused "an unknown option" "--frobnicate" "$PLANT" --set buffers.B1.capacity=1 --frobnicate

finish
