#!/bin/sh
# test_improve.sh — end-to-end tests of `takt improve` and of the
# bottleneck that `takt run` names: the JSON contract, the order (largest
# gain first), --by and --what, the same bytes for any thread count, the
# run's bottleneck agreeing with `takt improve` on the same paired runs,
# text and JSON naming the same station, and exit status 2 for bad input.
#
#   TAKT=build/takt sh tests/cli/test_improve.sh
#
# Expected figures come from theory or from another command, never from
# the output under test itself.

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_improve.sh || exit 1

TMP=$T_DIR
cd "$TMP" || exit 1                     # a stray takt.db lands here, not in the tree

# A line whose third station fails a third of the time: its effective
# cycle (50 s / (2/3) = 75 s) is the longest, though its cycle is the
# shortest.  Four stations, so the run's shortlist of three leaves one out.
PLANT="$TMP/line.yaml"
cat >"$PLANT" <<'EOF'
name: short line
horizon: 200h
warmup: 5h
replications: 4
seed: 3
stations:
  - {name: cut, cycle: "normal(60s, 4s)"}
  - {name: weld, cycle: "normal(58s, 4s)", failures: [{ttf: exp(4h), ttr: exp(5min)}]}
  - {name: press, cycle: 50s, failures: [{ttf: exp(20min), ttr: exp(10min)}]}
  - {name: pack, cycle: 55s}
buffers:
  - {name: b1, from: cut, to: weld, capacity: 4}
  - {name: b2, from: weld, to: press, capacity: 4}
  - {name: b3, from: press, to: pack, capacity: 4}
EOF

NOFAIL="$TMP/nofail.yaml"
cat >"$NOFAIL" <<'EOF'
name: no failures
horizon: 50h
stations:
  - {name: A, cycle: 60s}
EOF

check "improve prints a ranked table" 0 takt improve "$PLANT" --quiet
expect_match stdout '^takt .* short line$'
expect_contains stdout "cycle time 10 % shorter; 4 replications paired on common random numbers, seed 3"
expect_match stdout '^ +1 +press +\+'
expect_lines stdout -eq 9
expect_empty stderr

check "improve --json -: the contract, largest gain first" 0 takt improve "$PLANT" --json - --quiet
expect_json '
assert j["plant"] == "short line", j["plant"]
assert j["by"] == 0.1, j["by"]
imp = j["improvements"]
assert [i["station"] for i in imp][0] == "press", imp
assert sorted(i["station"] for i in imp) == ["cut", "pack", "press", "weld"], imp
g = [i["throughput_gain_per_hour"]["mean"] for i in imp]
assert g == sorted(g, reverse=True), g
assert all(i["throughput_gain_per_hour"]["ci95"] >= 0 for i in imp), imp
assert imp[0]["throughput_gain_per_hour"]["mean"] - imp[0]["throughput_gain_per_hour"]["ci95"] > 0
'
cp "$T_OUT" "$TMP/improve.json"

check "improve: the text ranks as the JSON does" 0 takt improve "$PLANT" --quiet
expect_true "same order" python3 -c "
import json, sys
j = json.load(open(sys.argv[1]))
rows = [l.split()[1] for l in open(sys.argv[2]) if l.strip()[:1].isdigit()]
assert rows == [i['station'] for i in j['improvements']], (rows, j['improvements'])
" "$TMP/improve.json" "$T_OUT"

check "improve on 1 thread gives the same JSON bytes" 0 \
    takt improve "$PLANT" --json "$TMP/improve-t1.json" --threads 1 --quiet
expect_same "$TMP/improve-t1.json" "$TMP/improve.json"

check "--by 0.2 and --by 20% are the same" 0 takt improve "$PLANT" --by 0.2 --json "$TMP/by1.json" --quiet
takt improve "$PLANT" --by 20% --json "$TMP/by2.json" --quiet >/dev/null 2>&1
expect_same "$TMP/by1.json" "$TMP/by2.json"
expect_json "$TMP/by1.json" 'assert j["by"] == 0.2, j["by"]'

check "a larger improvement of the bottleneck gains more" 0 true
expect_true "20 % beats 10 % for press" python3 -c "
import json, sys
a = {i['station']: i['throughput_gain_per_hour']['mean'] for i in json.load(open(sys.argv[1]))['improvements']}
b = {i['station']: i['throughput_gain_per_hour']['mean'] for i in json.load(open(sys.argv[2]))['improvements']}
assert b['press'] > a['press'] > 0, (a, b)
" "$TMP/improve.json" "$TMP/by1.json"

check "--what mttr: only the stations that fail" 0 takt improve "$PLANT" --what mttr --json - --quiet
expect_json '
assert j["what"] == "mttr"
assert sorted(i["station"] for i in j["improvements"]) == ["press", "weld"], j["improvements"]
assert j["improvements"][0]["station"] == "press", j["improvements"]
'

# ---- the bottleneck of takt run ------------------------------------------

check "run --json names the bottleneck with its paired gain" 0 \
    takt run "$PLANT" --json "$TMP/run.json" --no-db --quiet
expect_json "$TMP/run.json" '
b = j["bottleneck"]
assert b["station"] == "press", b
assert b["method"] == "paired-improvement", b
g = b["throughput_gain_per_hour"]
assert g["mean"] > 0 and g["ci95"] >= 0, g
'
expect_match stdout '^  bottleneck +station press \(a 10 % shorter cycle: \+[0-9.]+ ± [0-9.]+ parts/h; paired runs of 3 candidates\)$'

check "the run's bottleneck gain is takt improve's, bit for bit" 0 true
expect_true "same paired runs" python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))['bottleneck']
imp = {i['station']: i['throughput_gain_per_hour'] for i in json.load(open(sys.argv[2]))['improvements']}
assert r['throughput_gain_per_hour'] == imp[r['station']], (r, imp[r['station']])
" "$TMP/run.json" "$TMP/improve.json"

check "run --bottleneck active: the active-period pick, no gain" 0 \
    takt run "$PLANT" --bottleneck active --json - --no-db --quiet
expect_json '
b = j["bottleneck"]
assert b["method"] == "active-period", b
assert b["throughput_gain_per_hour"] is None, b
assert "candidates" not in b, b
'

check "run: the same bottleneck on 1 thread" 0 \
    takt run "$PLANT" --json "$TMP/run-t1.json" --threads 1 --no-db --quiet
expect_same "$TMP/run-t1.json" "$TMP/run.json"

# ---- bad input ------------------------------------------------------------

for by in 0 100% 1 -5% abc 10%x; do
    check "--by $by is refused" 2 takt improve "$PLANT" --by "$by" --quiet
    expect_contains stderr "--by must be a share above 0 and below 100%"
    expect_empty stdout
done

check "--what foo is refused" 2 takt improve "$PLANT" --what foo
expect_contains stderr "--what must be 'cycle' or 'mttr', got 'foo'"

check "--what mttr with no failures says so" 2 takt improve "$NOFAIL" --what mttr
expect_contains stderr "no station has failures"
expect_empty stdout

check "a missing plant file" 2 takt improve "$TMP/no-such.yaml"
expect_contains stderr "no-such.yaml"

check "--bottleneck foo is refused" 2 takt run "$PLANT" --bottleneck foo --no-db
expect_contains stderr "--bottleneck must be 'paired' or 'active'"

check "an unknown option" 2 takt improve "$PLANT" --frobnicate
expect_contains stderr "unknown option '--frobnicate'"

check "improve --help" 0 takt improve --help
expect_contains stdout "Usage: takt improve"

check "help improve" 0 takt help improve
expect_contains stdout "--what cycle|mttr"

finish
