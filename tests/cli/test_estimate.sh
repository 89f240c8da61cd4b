#!/bin/sh
# test_estimate.sh — end-to-end tests of `takt estimate`: the JSON names of
# issue 14, an exact case (two exponential stations: the decomposition is
# one block, solved exactly) checked against the simulation within four
# 95 % half-widths, a three-station line with failures and nearly
# deterministic cycles against the simulation within 6 % (the two-moment
# fit of such cycles underestimates: -4 % measured here, see
# docs/estimate.md), station states summing to 1, --set,
# features outside the method listed (never a number), and bad input.
#
#   TAKT=build/takt sh tests/cli/test_estimate.sh

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_estimate.sh || exit 1
TMP=$T_DIR
cd "$TMP" || exit 1

cat >"$TMP/two.yaml" <<'EOF2'
name: two exponential stations
horizon: 20000h
warmup: 100h
replications: 10
seed: 5
stations:
  - name: M1
    cycle: exp(1h)
    failures:
      - {ttf: exp(20h), ttr: exp(2h)}
  - name: M2
    cycle: exp(50min)
buffers:
  - {name: B1, from: M1, to: M2, capacity: 2}
EOF2

cat >"$TMP/three.yaml" <<'EOF2'
name: three stations
horizon: 4000h
warmup: 50h
replications: 8
seed: 9
stations:
  - name: A
    cycle: 60s
    failures:
      - {ttf: exp(2h), ttr: exp(6min)}
  - name: B
    cycle: tri(50s, 58s, 70s)
    failures:
      - {ttf: exp(3h), ttr: exp(10min)}
  - name: C
    cycle: erlang(2, 57s)
buffers:
  - {name: AB, from: A, to: B, capacity: 5}
  - {name: BC, from: B, to: C, capacity: 3}
EOF2

check "estimate --json has the names of the contract" 0 takt estimate "$TMP/two.yaml" --json -
expect_json '
assert j["applicable"] is True
assert j["method"] == "decomposition"
assert j["throughput_per_hour"] > 0
assert set(j["buffers"]) == {"B1"} and "mean_level" in j["buffers"]["B1"]
assert set(j["stations"]) == {"M1", "M2"}
for s in j["stations"].values():
    st = s["states"]
    assert set(st) == {"working", "starved", "blocked", "failed"}, st
    assert abs(sum(st.values()) - 1) < 1e-9, st
    assert min(st.values()) >= 0
assert j["stations"]["M1"]["states"]["starved"] == 0
assert j["stations"]["M2"]["states"]["blocked"] == 0
'

takt estimate "$TMP/two.yaml" --json "$TMP/two-est.json" >/dev/null 2>&1
takt run "$TMP/two.yaml" --no-db --quiet --json "$TMP/two-sim.json" >/dev/null 2>&1
check "two exponential stations: the estimate is within 4 half-widths of the simulation" 0 \
    python3 - "$TMP/two-est.json" "$TMP/two-sim.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1])); s = json.load(open(sys.argv[2]))
t = s["throughput_per_hour"]
assert abs(e["throughput_per_hour"] - t["mean"]) <= 4 * t["ci95"], (e["throughput_per_hour"], t)
lv = s["buffers"]["B1"]["mean_level"]
assert abs(e["buffers"]["B1"]["mean_level"] - lv["mean"]) <= 4 * lv["ci95"] + 0.01, lv
PY

takt estimate "$TMP/three.yaml" --json "$TMP/three-est.json" >/dev/null 2>&1
takt run "$TMP/three.yaml" --no-db --quiet --json "$TMP/three-sim.json" >/dev/null 2>&1
check "three stations, general cycles: estimate within 6 % of the simulation" 0 \
    python3 - "$TMP/three-est.json" "$TMP/three-sim.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1])); s = json.load(open(sys.argv[2]))
t = s["throughput_per_hour"]["mean"]
err = abs(e["throughput_per_hour"] - t) / t
assert err < 0.06, (e["throughput_per_hour"], t, err)
PY

check "the text names the method and the stations" 0 takt estimate "$TMP/three.yaml"
expect_match stdout '^Estimate \(decomposition.*parts/h'
expect_match stdout '^A +[0-9.]+%'
expect_match stdout '^BC +[0-9.]+$'

takt estimate "$TMP/two.yaml" --json "$TMP/b2.json" >/dev/null 2>&1
check "--set changes the plant estimated: a larger buffer gives more" 0 \
    takt estimate "$TMP/two.yaml" --set buffers.B1.capacity=8 --json "$TMP/b8.json"
expect_true "capacity 8 estimates more than capacity 2" python3 -c "
import json
a = json.load(open('$TMP/b2.json')); b = json.load(open('$TMP/b8.json'))
assert b['throughput_per_hour'] > a['throughput_per_hour']"

cat >"$TMP/conveyor.yaml" <<'EOF2'
name: conveyor and shifts
start: 2024-01-01
until: 2024-01-10
calendar: day
calendars:
  - name: day
    shifts:
      - {start: "06:00", end: "14:00"}
stations:
  - {name: A, cycle: 60s}
  - {name: B, cycle: 55s, blocking: before}
buffers:
  - {name: C, from: A, to: B, capacity: 5, transit: 3min}
EOF2
check "features outside the method are listed, with no number" 0 takt estimate "$TMP/conveyor.yaml" --json -
expect_json '
assert j["applicable"] is False
assert "throughput_per_hour" not in j
u = j["unsupported"]
assert "transit times" in u and "shift calendars" in u, u
assert len(u) == len(set(u)), u
'
check "and the text says so" 0 takt estimate "$TMP/conveyor.yaml"
expect_contains stdout "No analytic estimate"
expect_contains stdout "transit times"
expect_no_match stdout 'parts/h'

check "takt run --json carries the estimate beside the simulation" 0 \
    python3 - "$TMP/two-est.json" "$TMP/two-sim.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1])); s = json.load(open(sys.argv[2]))
r = s["estimate"]
for k in ("applicable", "method", "throughput_per_hour", "buffers", "stations"):
    assert r[k] == e[k], k
d = r["throughput_per_hour"] - s["throughput_per_hour"]["mean"]
assert abs(r["difference_per_hour"] - d) < 1e-9, (r["difference_per_hour"], d)
assert abs(r["difference_relative"] - d / s["throughput_per_hour"]["mean"]) < 1e-12
PY
check "takt run's text shows the estimate under the throughput" 0 takt run "$TMP/two.yaml" --no-db --quiet
expect_match stdout '^  estimate +[0-9.]+ +parts/h \(decomposition; [-+][0-9.]+ % from the simulation\)'
check "and says when the estimate does not apply" 0 takt run "$TMP/conveyor.yaml" --no-db --quiet
expect_match stdout '^  estimate +not applicable \(3 features outside the method'
check "takt run's JSON too" 0 takt run "$TMP/conveyor.yaml" --no-db --quiet --json -
expect_json '
assert j["estimate"]["applicable"] is False
assert "transit times" in j["estimate"]["unsupported"]
'

cat >"$TMP/bad.yaml" <<'EOF2'
name: bad
stations:
  - {name: A, cycle: 60s}
buffers:
  - {name: C, from: A, to: Z, capacity: 5}
EOF2
check "a bad plant file: exit 2 with FILE:LINE:COL" 2 takt estimate "$TMP/bad.yaml"
expect_match stderr 'bad\.yaml:[0-9]+:[0-9]+: '
check "no file: exit 2" 2 takt estimate
expect_contains stderr "needs a plant file"
check "a missing file: exit 2" 2 takt estimate "$TMP/nope.yaml"
check "an unknown option: exit 2" 2 takt estimate "$TMP/two.yaml" --frobnicate
expect_contains stderr "unknown option"
check "help estimate" 0 takt help estimate
expect_contains stdout "Usage: takt estimate FILE"

finish
