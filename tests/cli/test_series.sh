#!/bin/sh
# test_series.sh — `takt run --series`: the series over time and OEE in
# the JSON, CSV, text and HTML reports, and that they agree.
#
#   TAKT=build/takt sh tests/cli/test_series.sh
#
# The JSON and the CSV files of one run must hold the same numbers (the
# CSV prints the JSON's shortest round-trip form); the series must add up
# to the run's totals (state shares and mean levels weighted by period
# length, within 1e-9); one thread and two give byte-identical JSON.

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_series.sh || exit 1

TMP=$T_DIR
cd "$TMP" || exit 1

# Two shifts and a failure-prone station: off-shift strips, a bottleneck.
cat >"$TMP/line.yaml" <<'YAML'
name: series line
start: 2024-01-01
until: 2024-01-21
warmup: 1d
replications: 3
seed: 11
calendar: two-shift
calendars:
  - name: two-shift
    shifts: [{start: "06:00", end: "14:00"}, {start: "14:00", end: "22:00"}]
stations:
  - {name: body, cycle: "normal(60s, 5s)"}
  - {name: paint, cycle: "normal(66s, 4s)", failures: [{ttf: exp(2h), ttr: exp(5min)}], scrap: 0.02}
  - {name: final, cycle: "tri(50s, 60s, 70s)", servers: 1}
buffers:
  - {name: b1, from: body, to: paint, capacity: 6}
  - {name: b2, from: paint, to: final, capacity: 6}
YAML

check "run --series writes JSON, CSV and HTML series" 0 \
    takt run "$TMP/line.yaml" --series --bottleneck active --threads 2 --no-db \
    --json "$TMP/r.json" --csv "$TMP/csv" --html "$TMP/r.html"
expect_match stdout '^OEE \(ISO 22400'
expect_match stdout '^  paint +[0-9.]+% +[0-9.]+% +9[0-9.]+% +[0-9.]+%$'
for f in oee.csv series_stations.csv series_buffers.csv series_bottleneck.csv; do
    expect_nonempty "$TMP/csv/$f"
done
expect_contains "$TMP/r.html" '<h2>OEE</h2>'
expect_contains "$TMP/r.html" '<h2>Over time</h2>'
expect_contains "$TMP/r.html" '<h3>Bottleneck per day</h3>'

expect_true "JSON and CSV agree; the series add up to the totals" \
    python3 - "$TMP/r.json" "$TMP/csv" <<'PY'
import csv, json, sys
j = json.load(open(sys.argv[1]))
d = sys.argv[2]
s = j["series"]
H = j["horizon_s"]
assert s["period_s"] == 86400 and s["periods"] == 20, (s["period_s"], s["periods"])
assert s["start_s"] == 86400 and s["bottleneck_method"] == "active-period"
lens = s["period_length_s"]
assert abs(sum(lens) - H) < 1e-6

def near(what, a, b, tol=1e-9):
    assert abs(a - b) <= tol * max(1, abs(b)), (what, a, b)

# states: the JSON's arrays, the CSV's rows, and the run's shares
rows = list(csv.DictReader(open(d + "/series_stations.csv")))
assert len(rows) == 3 * 20, len(rows)
for st, states in s["stations"].items():
    mine = [r for r in rows if r["station"] == st]
    for k, r in enumerate(mine):
        assert int(r["period"]) == k and float(r["length_s"]) == lens[k]
        assert float(r["start_s"]) == s["period_start_s"][k]
        for q, v in states.items():
            assert float(r[q]) == v[k], (st, q, k)
    for q, v in states.items():
        near(st + " " + q, sum(x * l for x, l in zip(v, lens)) / H, j["stations"][st]["states"][q]["mean"])
    for k in range(20):
        near("shares of a day", sum(states[q][k] for q in states), 1)
assert max(s["stations"]["paint"]["off_shift"]) > 0.3

# buffers
rows = list(csv.DictReader(open(d + "/series_buffers.csv")))
for b, v in s["buffers"].items():
    mine = [float(r["mean_level"]) for r in rows if r["buffer"] == b]
    assert mine == v["mean_level"], b
    near(b, sum(x * l for x, l in zip(v["mean_level"], lens)) / H, j["buffers"][b]["mean_level"]["mean"])

# bottleneck per day
rows = list(csv.DictReader(open(d + "/series_bottleneck.csv")))
assert len(rows) == len(s["bottleneck"]) == 20
for r, b in zip(rows, s["bottleneck"]):
    assert r["station"] == (b["station"] or "") and float(r["share"]) == b["share"]
    assert float(r["analysed_s"]) == b["analysed_s"] and r["method"] == "active-period"
    if b["analysed_s"] > 0:     # a working day: 16 h on shift, paint the bottleneck
        near("analysed", b["analysed_s"], 16 * 3600, 1e-9)
        assert b["station"] == "paint" and b["share"] == 1, b
    else:                       # a weekend: nothing analysed, no bottleneck
        assert b["station"] is None and b["share"] == 0, b
# the days add up to the run's analysed time and shares
an = sum(b["analysed_s"] for b in s["bottleneck"])
near("paint's share", sum(b["share"] * b["analysed_s"] for b in s["bottleneck"]) / an,
     j["bottlenecks"]["paint"]["sole"] + j["bottlenecks"]["paint"]["shifting"])

# OEE: the CSV's figures are the JSON's, and oee = a x p x q
rows = {r["station"]: r for r in csv.DictReader(open(d + "/oee.csv"))}
for st, o in j["oee"].items():
    for k in ("availability", "performance", "quality", "oee", "ideal_cycle_s"):
        assert float(rows[st][k]) == o[k], (st, k)
    near(st + " oee", o["oee"], o["availability"] * o["performance"] * o["quality"], 1e-15)
    # availability: working over planned busy time (no maintenance here)
    sh = j["stations"][st]["states"]
    planned = 1 - sh["off_shift"]["mean"] - sh["closed"]["mean"]
    near(st + " availability", o["availability"], sh["working"]["mean"] / planned, 1e-9)
assert j["oee"]["body"]["quality"] == 1 and j["oee"]["paint"]["quality"] < 1
PY

check "one thread and two give the same series" 0 \
    takt run "$TMP/line.yaml" --series --bottleneck active --threads 1 --no-db --quiet --json "$TMP/r1.json"
expect_same "$TMP/r1.json" "$TMP/r.json"

check "without --series: OEE but no series" 0 \
    takt run "$TMP/line.yaml" --bottleneck active --no-db --quiet --json "$TMP/plain.json" --csv "$TMP/plain"
expect_contains "$TMP/plain.json" '"oee": {'
expect_no_match "$TMP/plain.json" '"series"'
expect_nonempty "$TMP/plain/oee.csv"
expect_true "no series files" test ! -e "$TMP/plain/series_stations.csv"

# A horizon of hours: periods of an hour, the bottleneck per day.
check "a short run is by the hour" 0 \
    takt run "$TMP/line.yaml" --series --horizon 30h --warmup 0 --bottleneck active --no-db --quiet \
    --json "$TMP/h.json"
expect_true "hourly periods, daily bottleneck" python3 -c "
import json, sys
s = json.load(open(sys.argv[1]))['series']
assert s['period_s'] == 3600 and s['periods'] == 30, s['periods']
assert s['bottleneck_period_s'] == 86400 and len(s['bottleneck']) == 2
assert s['bottleneck'][1]['length_s'] == 6 * 3600" "$TMP/h.json"

# The worked example of docs/oee.md prints what the docs say.
awk '/^```yaml/ { on = 1; next } /^```/ { on = 0 } on' "$here/../../docs/oee.md" >"$TMP/oee.yaml"
check "docs/oee.md: the worked example" 0 takt run "$TMP/oee.yaml" --no-db --quiet --json "$TMP/oee.json"
expect_match stdout '^  M +83\.3% +100\.0% +100\.0% +83\.3%$'
expect_true "availability 5/6, 48 h planned, 40 h working, 240 parts" python3 -c "
import json, sys
o = json.load(open(sys.argv[1]))['oee']['M']
assert abs(o['availability'] - 5 / 6) < 1e-12, o
assert o['planned_busy_h'] == 48 and abs(o['operating_h'] - 40) < 1e-9 and o['parts_produced'] == 240, o
assert o['quality'] == 1 and abs(o['performance'] - 1) < 1e-9, o" "$TMP/oee.json"

finish
