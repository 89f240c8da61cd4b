#!/bin/sh
# test_fit.sh — end-to-end tests of `takt fit`: a plant fitted to a series
# simulated from itself (tests/cli/fit/ramp-weekly.csv: weekly output of
# tests/cli/fit/ramp.yaml with its own settings, seed 99, one replication)
# finds the settings it was made with inside its intervals; the JSON names
# of the contract; the same result for any number of threads; --plant
# writes a file that loads and carries the fitted values, and never
# overwrites an input; the HTML page; and bad input refused with exit
# status 2 and FILE:LINE:COLUMN before any simulation.
#
#   TAKT=build/takt sh tests/cli/test_fit.sh

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_fit.sh || exit 1
TMP=$T_DIR
cd "$TMP" || exit 1
PLANT="$here/fit/ramp.yaml"
OBS="$here/fit/ramp-weekly.csv"
FREE1="ramp.0.factor=1.0..4.0"
FREE2="ramp.1.date=2024-02-01..2024-04-30"

# The fit of the validation test (tests/validation/test_fit.c), from the
# command line: the truth (2.5 and 2024-03-15) inside the intervals.
check "fit recovers the settings the series was made with" 0 \
    takt fit "$PLANT" --observed "$OBS" --free "$FREE1" --free "$FREE2" --profile-evals 16 \
    --json - --quiet --threads 2
expect_json '
f, iv = j["fitted"], j["intervals"]
assert set(f) == {"ramp.0.factor", "ramp.1.date"}, f
lo, hi = iv["ramp.0.factor"]
assert lo <= 2.5 <= hi and hi - lo < 0.75, iv
lo, hi = iv["ramp.1.date"]
assert lo <= "2024-03-15" <= hi, iv
assert j["undetermined"] == []
assert j["loss"] >= 0
assert len(j["periods"]) == 26
p = j["periods"][0]
assert set(p) >= {"date", "observed", "simulated"} and set(p["simulated"]) == {"mean", "ci95"}, p
assert p["date"] == "2024-01-07" and p["observed"] == 179, p
'
cp "$T_OUT" "$TMP/two-threads.json"

check "fit gives the same result on one thread" 0 \
    takt fit "$PLANT" --observed "$OBS" --free "$FREE1" --free "$FREE2" --profile-evals 16 \
    --json - --quiet --threads 1
expect_same "$T_OUT" "$TMP/two-threads.json"

check "fit writes text, HTML and the fitted plant" 0 \
    takt fit "$PLANT" --observed "$OBS" --free "$FREE1" --budget 40 --profile-evals 0 \
    --html "$TMP/fit.html" --plant "$TMP/fitted.yaml" --quiet
expect_match stdout '^  ramp\.0\.factor +[0-9.]+ +[0-9.]+ \.\. [0-9.]+ +1 \.\. 4$'
expect_match stdout '^  2024-01-07 +179 '
expect_true "the page is written" test -s "$TMP/fit.html"
expect_true "the page has a chart" grep -q '<svg' "$TMP/fit.html"
expect_true "the fitted plant keeps its comments" grep -q '^# A line to calibrate' "$TMP/fitted.yaml"
expect_true "the fitted plant has a new factor" sh -c "! grep -q 'factor: 2.5}' '$TMP/fitted.yaml'"
fitted=$(sed -n 's/^  ramp\.0\.factor *\([0-9.]*\).*/\1/p' "$T_OUT")
check "the fitted plant loads" 0 takt check "$TMP/fitted.yaml"
check "the fitted plant holds the fitted value" 0 grep -q "factor: $fitted}" "$TMP/fitted.yaml"

check "a setting the series cannot see is not determined" 0 \
    takt fit "$PLANT" --observed "$OBS" --free "buffers.B.capacity=20..21" --json - --quiet
expect_json 'assert j["undetermined"] == ["buffers.B.capacity"], j["undetermined"]
assert j["intervals"]["buffers.B.capacity"] == [20, 21], j["intervals"]'

sed -n '1,15p' "$OBS" >"$TMP/short.csv"

# ---- bad input: exit 2, nothing simulated ---------------------------------------

printf 'date,made\n2024-01-07,10\n' >"$TMP/col.csv"
check "an unknown column" 2 takt fit "$PLANT" --observed "$TMP/col.csv" --free "$FREE1"
expect_match stderr "col\.csv:1:6: unknown column 'made'"

printf 'date,produced\n2024-01-14,10\n2024-01-07,10\n' >"$TMP/order.csv"
check "dates out of order" 2 takt fit "$PLANT" --observed "$TMP/order.csv" --free "$FREE1"
expect_match stderr 'order\.csv:3:1: dates must increase'

printf 'date,produced\n2023-12-31,10\n' >"$TMP/early.csv"
check "a date before the plant's time 0" 2 takt fit "$PLANT" --observed "$TMP/early.csv" --free "$FREE1"
expect_match stderr "early\.csv:2:1: 2023-12-31 is before the plant's time 0"

printf 'date,produced\n2024-07-01,10\n' >"$TMP/late.csv"
check "a date after the plant's last day" 2 takt fit "$PLANT" --observed "$TMP/late.csv" --free "$FREE1"
expect_match stderr "late\.csv:2:1: 2024-07-01 is after the plant's last simulated day \(2024-06-30\)"

printf 'date,produced\n2024-01-07, 1x0\n2024-01-14,-3\n' >"$TMP/num.csv"
check "bad numbers" 2 takt fit "$PLANT" --observed "$TMP/num.csv" --free "$FREE1"
expect_match stderr "num\.csv:2:13: produced: expected a number >= 0 or nothing, got '1x0'"
expect_match stderr "num\.csv:3:12: produced: expected a number"

printf 'date,delivered\n2024-01-07,10\n' >"$TMP/del.csv"
check "delivered from a plant without demand" 2 takt fit "$PLANT" --observed "$TMP/del.csv" --free "$FREE1"
expect_match stderr 'no demand'

check "a --free path that does not exist" 2 takt fit "$PLANT" --observed "$OBS" --free "stations.welder.servers=1..3"
expect_match stderr "no station 'welder'"

check "a range the plant refuses" 2 takt fit "$PLANT" --observed "$OBS" --free "ramp.1.date=2023-06-01..2024-04-30"
expect_match stderr 'the plant refuses ramp\.1\.date=2023-06-01'

check "a range that is no range" 2 takt fit "$PLANT" --observed "$OBS" --free "ramp.0.factor=3"
expect_match stderr 'LO\.\.HI'

check "--plant over the plant file is refused" 2 takt fit "$PLANT" --observed "$OBS" --free "$FREE1" --plant "$PLANT"
expect_match stderr 'would overwrite an input'

check "--plant of a value the file does not write is refused before the search" 2 \
    takt fit "$PLANT" --observed "$OBS" --free "stations.line.servers=1..3" --plant "$TMP/x.yaml"
expect_match stderr 'not written in the plant file'
expect_true "nothing written" test ! -e "$TMP/x.yaml"

check "a bad --set is the loader's error" 2 takt fit "$PLANT" --observed "$OBS" --free "$FREE1" --set until=2024-13-01
expect_match stderr "until=2024-13-01: 'until' expects a date"

check "a --set that ends the plant before the series" 2 takt fit "$PLANT" --observed "$OBS" --free "$FREE1" --set until=2024-03-31
expect_match stderr "ramp-weekly\.csv:17:1: 2024-04-07 is after the plant's last simulated day \(2024-03-31\)"

check "--set fixes a setting for every candidate" 0 \
    takt fit "$PLANT" --observed "$TMP/short.csv" --free "$FREE1" --set until=2024-03-31 --set stations.line.cycle=6min \
    --budget 20 --profile-evals 0 --json - --quiet
expect_json 'assert list(j["fitted"]) == ["ramp.0.factor"] and len(j["periods"]) == 12, j'

check "fit without --observed" 2 takt fit "$PLANT" --free "$FREE1"
expect_match stderr 'needs --observed'

finish
