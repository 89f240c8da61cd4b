#!/bin/sh
# test_resources.sh — resources, carriers, maintenance, changeover matrices
# and conveyors through the command line: the body-and-paint scenario
# (scenarios/body-paint.yaml) run end to end with every report and the run
# store; a CONWIP line held to exact mean-value analysis; and the bad
# inputs the loader must refuse with FILE:LINE:COL, exit status 2.
#
#   TAKT=build/takt sh tests/cli/test_resources.sh

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_resources.sh || exit 1
TMP=$T_DIR
cd "$TMP" || exit 1
SCEN="$root/scenarios/body-paint.yaml"

# ---- the scenario ---------------------------------------------------------

check "body-paint: check accepts it" 0 takt check "$SCEN"

check "body-paint: runs with every report" 0 takt run "$SCEN" --db "$TMP/runs.db" \
    --json "$TMP/bp.json" --csv "$TMP/csv" --html "$TMP/bp.html"
expect_match stdout '^Resources'
expect_match stdout '^  fitters +4 '
expect_match stdout '^Carrier loops'
expect_match stdout '^  skids +24 '
expect_match stdout 'waiting +maint'
expect_json "$TMP/bp.json" '
for name, st in j["stations"].items():
    s = st["states"]
    assert set(s) == {"working", "starved", "blocked", "failed", "setup", "off_shift",
                      "waiting", "maintenance", "closed"}, name
    assert abs(sum(v["mean"] for v in s.values()) - 1) < 1e-9, name
assert j["stations"]["framing"]["states"]["maintenance"]["mean"] > 0
assert j["stations"]["underbody"]["states"]["waiting"]["mean"] > 0   # for a skid
assert j["stations"]["booth"]["states"]["setup"]["mean"] > 0
f = j["resources"]["fitters"]
assert f["count"] == 4 and 0 < f["utilisation"]["mean"] <= 1
assert j["resources"]["agvs"]["utilisation"]["mean"] > 0
k = j["carriers"]["skids"]
# carriers are free at underbody, riding, or on their 3 min way back
x = k["throughput_per_hour"]["mean"]
assert abs(k["free_carriers"]["mean"] + k["wip"]["mean"] + x * 3 / 60 - 24) < 0.5, k
assert abs(x - j["throughput_per_hour"]["mean"]) < 0.02 * x
' 
expect_true "stations.csv has the waiting and maintenance columns" \
    grep -q 'waiting_mean,waiting_ci95,maintenance_mean,maintenance_ci95' "$TMP/csv/stations.csv"
expect_true "the HTML report shows the new states" grep -q 'maintenance' "$TMP/bp.html"
expect_true "the store has the states, pools and loops" sh -c "
    sqlite3 '$TMP/runs.db' \"SELECT count(*) FROM stations WHERE maintenance_mean > 0\" | grep -qx 2 &&
    sqlite3 '$TMP/runs.db' \"SELECT pool FROM pools ORDER BY pool\" | tr '\n' ' ' | grep -qx 'agvs fitters maintenance ' &&
    sqlite3 '$TMP/runs.db' \"SELECT count FROM loops WHERE loop = 'skids'\" | grep -qx 24"

# ---- the example of docs/plant-format.md runs as written ------------------------
python3 - "$root/docs/plant-format.md" >docex.yaml <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
section = text[text.index("## Resources, carriers and maintenance"):]
print(re.search(r"```yaml\n(.*?)```", section, re.S).group(1), end="")
PY
check "the documented example runs" 0 takt run docex.yaml --no-db --replications 2 --json docex.json
expect_json docex.json '
assert set(j["resources"]) == {"fitters", "maintenance", "agvs"}
assert j["carriers"]["skids"]["count"] == 24
assert j["stations"]["booth"]["states"]["setup"]["mean"] > 0
assert j["stations"]["closures"]["states"]["maintenance"]["mean"] > 0
'

# ---- a store of schema 2 is brought up to date -----------------------------------
# Schema 2 (takt before resources) is schema 3 without the pools and loops
# tables and the stations' waiting and maintenance columns, and schema 3 is
# schema 4 without runs.plant_text and the tables settings and kpi_reps:
# made here from a new store.
cp "$TMP/runs.db" "$TMP/old.db"
check "a schema-2 store is upgraded when a run is recorded" 0 sh -c "
    sqlite3 '$TMP/old.db' 'DROP TABLE pools; DROP TABLE loops; DROP TABLE settings; DROP TABLE kpi_reps;
        ALTER TABLE runs DROP COLUMN plant_text; ALTER TABLE stations DROP COLUMN waiting_mean; ALTER TABLE stations DROP COLUMN waiting_ci95;
        ALTER TABLE stations DROP COLUMN maintenance_mean;
        ALTER TABLE stations DROP COLUMN maintenance_ci95; UPDATE schema_version SET version = 2;' &&
    '$TAKT' run '$SCEN' --db '$TMP/old.db' --replications 2 >/dev/null 2>&1 &&
    sqlite3 '$TMP/old.db' 'SELECT max(version) FROM schema_version;
        SELECT count(*) FROM runs; SELECT count(*) FROM stations WHERE maintenance_mean > 0;
        SELECT count(*) FROM stations WHERE maintenance_mean IS NULL;
        SELECT count(DISTINCT run_id) FROM loops'"
expect_is stdout "4
2
2
7
1"

# ---- a CONWIP line against exact MVA ----------------------------------------
# three exponential stations, 1 h, 1.25 h, 0.8 h; 3 cards: the closed network's
# throughput by mean-value analysis is 0.58068 per hour.
cat >conwip.yaml <<'YAML'
name: conwip
horizon: 20000h
warmup: 500h
replications: 6
seed: 3
carriers:
  - {name: cards, count: 3, from: A, to: C}
stations:
  - {name: A, cycle: exp(1h)}
  - {name: B, cycle: exp(1.25h)}
  - {name: C, cycle: exp(0.8h)}
buffers:
  - {name: AB, from: A, to: B, capacity: inf}
  - {name: BC, from: B, to: C, capacity: inf}
YAML
check "conwip: throughput as mean-value analysis gives" 0 takt run conwip.yaml --no-db --json c.json
expect_json c.json '
x = j["throughput_per_hour"]
assert abs(x["mean"] - 0.580676) <= 4 * x["ci95"] + 0.006, x
'

# ---- a plant that deadlocks on its carriers --------------------------------------
# A part reworked at C rides its pallet back to A, the loop's end; A is
# blocked by the part in front of B, which waits for that very pallet.
cat >deadlock.yaml <<'YAML'
name: carrier-deadlock
horizon: 1000h
replications: 1
carriers:
  - {name: pallets, count: 1, from: B, to: A}
stations:
  - {name: R, cycle: 1min}
  - {name: A, cycle: 1min}
  - {name: B, cycle: 1min}
  - {name: C, cycle: 1min, rework: {p: 0.5, to: A}}
buffers:
  - {name: RA, from: R, to: A, capacity: 1}
  - {name: AB, from: A, to: B, capacity: 1}
  - {name: BC, from: B, to: C, capacity: 1}
  - {name: CA, from: C, to: A, capacity: 1}
YAML
check "a carrier deadlock stops the run, naming the loop" 2 takt run deadlock.yaml --no-db --quiet
expect_contains stderr "deadlock"
expect_contains stderr "station 'B' waiting for a carrier of loop 'pallets' (all 1 in use)"

# ---- bad input ----------------------------------------------------------------
bad() {   # bad NAME ERE YAML: takt check refuses it, the message matching ERE
    printf '%s\n' "$3" >bad.yaml
    check "refused: $1" 2 takt check bad.yaml
    expect_match stderr "$2"
}
HEAD='name: x
horizon: 10h'
bad "unknown pool with a suggestion" "bad.yaml:5:36: .*unknown resource 'fitter'.*did you mean 'fitters'" "$HEAD
resources: [{name: fitters, count: 2}]
stations:
  - {name: A, cycle: 1min, needs: {fitter: 1}}"
bad "needs more than the pool has" "bad.yaml:5:45: .*needs 3 units of 'fitters'.*only 2" "$HEAD
resources: [{name: fitters, count: 2}]
stations:
  - {name: A, cycle: 1min, needs: {fitters: 3}}"
bad "unknown repair crew" "bad.yaml:5:76: .*unknown resource 'crew'" "$HEAD
resources: [{name: maintenance, count: 2}]
stations:
  - {name: A, cycle: 1min, failures: [{ttf: exp(1h), ttr: 1min, repair_by: crew}]}"
bad "carrier loop naming an unknown station" "bad.yaml:3:49: .*unknown station 'Z'" "$HEAD
carriers: [{name: skids, count: 2, from: A, to: Z}]
stations:
  - {name: A, cycle: 1min}"
bad "carrier loop whose to cannot be reached" "bad.yaml:3:12: .*'A' \\('to'\\) cannot be reached from station 'B'" "$HEAD
carriers: [{name: skids, count: 2, from: B, to: A}]
stations:
  - {name: A, cycle: 1min}
  - {name: B, cycle: 1min}
buffers: [{name: AB, from: A, to: B, capacity: 1}]"
bad "a loop with no carriers" "bad.yaml:3:33: count must be a whole number from 1" "$HEAD
carriers: [{name: skids, count: 0, from: A, to: A}]
stations:
  - {name: A, cycle: 1min}"
bad "availability outside (0, 1)" "bad.yaml:4:54: .*availability" "$HEAD
stations:
  - {name: A, cycle: 1min, failures: [{availability: 1.2, mttr: 5min}]}"
bad "ttf/ttr mixed with availability/mttr" "bad.yaml:4:79: .*either 'ttf' and 'ttr', or 'availability' and 'mttr'" "$HEAD
stations:
  - {name: A, cycle: 1min, failures: [{ttf: exp(1h), ttr: 1min, availability: 0.9}]}"
bad "changeover matrix naming an unknown product" "bad.yaml:5:42: .*unknown product 'YU8'.*did you mean 'YU7'" "$HEAD
products: [{name: SU7, share: 0.5}, {name: YU7, share: 0.5}]
stations:
  - {name: A, cycle: 1min, setup: {SU7: {YU8: 3min}}}"
bad "conveyor pitch longer than it" "bad.yaml:7:63: .*pitch \\(8 m\\) is longer than the conveyor \\(6 m\\)" "$HEAD
stations:
  - {name: A, cycle: 1min}
  - {name: B, cycle: 1min}
buffers:
  - {name: C, from: A, to: B, length: 6m, speed: 1m/s, pitch: 8m}"
bad "conveyor speed without length" "bad.yaml:7:38: .*'speed' needs 'length'" "$HEAD
stations:
  - {name: A, cycle: 1min}
  - {name: B, cycle: 1min}
buffers:
  - {name: C, from: A, to: B, speed: 1m/s, capacity: 3}"
bad "maintenance every nothing" "bad.yaml:4:50: 'every': expected a whole number of parts" "$HEAD
stations:
  - {name: A, cycle: 1min, maintenance: [{every: 0 parts, duration: 1h}]}"

finish
