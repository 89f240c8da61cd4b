#!/bin/sh
# test_cli.sh — end-to-end tests of the takt command line: version and help,
# `takt check` on good and bad plant files, `takt run` with its options, the
# JSON report, determinism, and exit statuses (0 ok, 2 bad input or usage,
# 1 internal error).
#
#   TAKT=build/takt sh tests/cli/test_cli.sh
#
# The bad plant files in fixtures/ each hold one problem (bad-two-problems
# holds two) at a known line; the tests check the "FILE:LINE:COLUMN:"
# position and a key phrase of the message, not its exact wording, so the
# messages can improve without breaking the tests.  JSON is checked with
# python3, strictly (NaN and Infinity are not JSON).  Expected numbers come
# from the plant files and from theory, never from takt's own output.

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_cli.sh || exit 1

FIX="$here/fixtures"
SCEN="$root/scenarios"
TWO="$SCEN/two-machines.yaml"
TMP=$T_DIR
VERSION=$(sed -n 's/^#define TAKT_VERSION "\(.*\)"$/\1/p' "$root/include/takt.h")

# Work in the temporary directory: whatever takt writes by default (such as
# its run store) lands there, not in the caller's directory.
cd "$TMP" || exit 1

# re_escape TEXT: TEXT as a literal extended regular expression.
re_escape() {
    # shellcheck disable=SC2016  # the $ is a character to escape
    printf '%s\n' "$1" | sed 's/[][\.*^$(){}?+|]/\\&/g'
}

# ---------------------------------------------------------------- version, help

for v in --version -V version; do
    check "$v prints the version and how takt was built" 0 takt $v
    expect_lines stdout -eq 2
    expect_match stdout "^takt $(re_escape "$VERSION")\$"
    expect_match stdout '^MPI: (yes|no) '
    expect_empty stderr
done

check "--help prints usage" 0 takt --help
for word in run check --replications --seed --horizon --warmup --threads --json --quiet; do
    expect_contains stdout "$word"
done
expect_empty stderr

check "help run prints the run options" 0 takt help run
for word in run --replications --seed --horizon --warmup --threads --json --quiet; do
    expect_contains stdout "$word"
done
expect_empty stderr

# ---------------------------------------------------------------- usage errors

# usage_error DESCRIPTION PHRASE ARGS...: exit 2, nothing on stdout, a
# one-line error naming PHRASE and a hint to `takt --help` on stderr.
usage_error() {
    desc=$1
    phrase=$2
    shift 2
    check "usage error: $desc" 2 takt "$@"
    expect_empty stdout
    expect_lines stderr -le 2
    expect_contains stderr "takt --help"
    [ -n "$phrase" ] && expect_contains stderr "$phrase"
}

usage_error "unknown command" "frobnicate" frobnicate
usage_error "unknown option" "--frobnicate" run "$TWO" --frobnicate
usage_error "--replications 0" "replications" run "$TWO" --replications 0
usage_error "--replications -1" "replications" run "$TWO" --replications -1
usage_error "--replications abc" "replications" run "$TWO" --replications abc
usage_error "--replications 2.5" "replications" run "$TWO" --replications 2.5
usage_error "--horizon 5mins" "5mins" run "$TWO" --horizon 5mins
usage_error "--horizon abc" "horizon" run "$TWO" --horizon abc
usage_error "--horizon -1h" "horizon" run "$TWO" --horizon -1h
usage_error "--warmup 3hrs" "3hrs" run "$TWO" --warmup 3hrs
usage_error "--seed abc" "seed" run "$TWO" --seed abc
usage_error "--threads abc" "threads" run "$TWO" --threads abc
usage_error "--seed without a value" "seed" run "$TWO" --seed
usage_error "--json without a value" "json" run "$TWO" --json
usage_error "two plant files" "" run "$TWO" "$TWO"

# Without a plant file, takt simulates the plant compiled into it.  One
# replication, bottleneck by active periods: the figures of the whole run
# (four replications, the bottleneck by paired improvement runs) are
# test_plant.sh's, which runs it once; here the command path is the point.
check "without a plant file, takt simulates the built-in plant" 0 takt --bottleneck active --replications 1 --no-db
expect_contains stdout throughput

check "help with an unknown topic is a usage error" 2 takt help frobnicate
expect_empty stdout
expect_contains stderr "takt --help"

# ---------------------------------------------------------------- missing files

for cmd in check run; do
    check "$cmd: a missing file gives exit 2 and 'cannot open'" 2 takt $cmd "$TMP/no-such-plant.yaml"
    expect_empty stdout
    expect_contains stderr "cannot open"
    expect_contains stderr "$TMP/no-such-plant.yaml"
done

check "check: a directory is not a plant file" 2 takt check "$TMP"
expect_empty stdout
expect_nonempty stderr

# ---------------------------------------------------------------- check: good plants

for f in "$SCEN"/*.yaml "$FIX"/good-*.yaml; do
    check "check accepts $(basename "$f")" 0 takt check "$f"
    expect_is stdout ok
    expect_empty stderr
done

# ---------------------------------------------------------------- check: bad plants

# bad FIXTURE POSITION PHRASE...: `takt check` exits 2 with nothing on
# stdout; every stderr line is "FILE:LINE:COLUMN: message"; some line at
# POSITION ("LINE", "LINE:COLUMN" or "any") contains each PHRASE (extended
# regex, any case).
bad() {
    f="$FIX/$1"
    fixture=$1
    pos=$2
    shift 2
    case "$pos" in
        any) pos='[0-9]+:[0-9]+' ;;
        *:*) ;;
        *) pos="$pos:[0-9]+" ;;
    esac
    check "check rejects $(basename "$f")" 2 takt check "$f"
    expect_empty stdout
    p=$(re_escape "$f")
    expect_every_line stderr "^$p:[0-9]+:[0-9]+: [^ ].*"
    for phrase in "$@"; do
        grep -Eiq -- "^$p:$pos: .*($phrase)" "$T_ERR" ||
            fail_because "no message at $fixture:$pos contains /$phrase/"
    done
}

bad bad-empty.yaml            any   'empty'
bad bad-comments-only.yaml    any   'empty'
bad bad-binary.yaml           any   'UTF-8|binary|not a text'
bad bad-tabs.yaml             4     'tab'
bad bad-unclosed-quote.yaml   any   'quot'
bad bad-top-list.yaml         1:1   'mapping'
bad bad-unknown-key.yaml      5:5   "'cylce'" "did you mean 'cycle'"
bad bad-duplicate-key.yaml    6:5   'duplicate|twice|more than once' 'cycle'
bad bad-duplicate-station.yaml 6    'duplicate|twice|more than once|already' 'M1'
bad bad-unknown-station.yaml  9     'M3' 'station'
bad bad-negative-capacity.yaml 9    'capacity'
bad bad-zero-servers.yaml     6     'servers'
bad bad-nan.yaml              5     'nan'
bad bad-inf-servers.yaml      6     'servers|inf'
bad bad-inf-horizon.yaml      2     'horizon|inf'
bad bad-replications.yaml     3     'replications'
bad bad-unit-mins.yaml        5     'mins'
bad bad-unit-hrs.yaml         2     'hrs'
bad bad-exp-negative.yaml     5     'exp'
bad bad-tri-order.yaml        5     'tri'
bad bad-unquoted-flow.yaml    7     'quot'
bad bad-alias.yaml            7:12  'alias'
bad bad-no-sink.yaml          any   'sink|no end'
bad bad-two-problems.yaml     6     'servers'
expect_lines stderr -ge 2
grep -Eiq ":10:[0-9]+: .*capacity" "$T_ERR" ||
    fail_because "no message at line 10 about the capacity (one line per problem)"

check "run rejects a bad plant like check does" 2 takt run "$FIX/bad-unknown-key.yaml"
expect_empty stdout
expect_match stderr "^$(re_escape "$FIX/bad-unknown-key.yaml"):5:5: .*did you mean 'cycle'"

# ---------------------------------------------------------------- run: text report

check "run prints a text report" 0 takt run "$TWO" --horizon 2000h --replications 3
for word in "two machines and a buffer" throughput M1 M2 B1 working starved blocked failed; do
    expect_contains stdout "$word"
done

check "run --quiet prints nothing on stderr" 0 takt run "$TWO" --horizon 500h --replications 2 --quiet
expect_empty stderr
expect_contains stdout throughput

# ---------------------------------------------------------------- run: JSON

check "run --json - with the plant's own settings" 0 takt run "$TWO" --json -
expect_json '
assert j["plant"] == "two machines and a buffer", j["plant"]
assert j["replications"] == 10 and j["seed"] == 42, (j["replications"], j["seed"])
assert j["horizon_s"] == 20000 * 3600, j["horizon_s"]
assert j["warmup_s"] == 500 * 3600, j["warmup_s"]
'
cp "$T_OUT" "$TMP/two.json"

check "JSON has every KPI as mean and ci95" 0 cat "$TMP/two.json"
expect_json '
def kpi(k, where):
    assert isinstance(k, dict) and set(k) >= {"mean", "ci95"}, where
    for f in ("mean", "ci95"):
        assert isinstance(k[f], (int, float)) and not isinstance(k[f], bool), where + "." + f
    assert k["ci95"] >= 0, where + ".ci95 < 0"
for name in ("throughput_per_hour", "lead_time_s", "wip"):
    kpi(j[name], name)
assert set(j["stations"]) == {"M1", "M2"}, sorted(j["stations"])
states = {"working", "starved", "blocked", "failed", "setup", "off_shift", "waiting", "maintenance", "closed"}
for s, v in j["stations"].items():
    kpi(v["parts_out"], s + ".parts_out")
    assert set(v["states"]) == states, (s, sorted(v["states"]))
    for st, k in v["states"].items():
        kpi(k, s + "." + st)
assert set(j["buffers"]) == {"B1"}, sorted(j["buffers"])
kpi(j["buffers"]["B1"]["mean_level"], "B1.mean_level")
assert isinstance(j["buffers"]["B1"]["max_level"], (int, float))
'

# Station states are fractions of the measured time: each in [0, 1], and
# their means sum to 1 (each replication sums to 1; rounding only).
check "station states sum to 1" 0 cat "$TMP/two.json"
expect_json '
for s, v in j["stations"].items():
    f = [k["mean"] for k in v["states"].values()]
    assert all(-1e-12 <= x <= 1 + 1e-12 for x in f), (s, f)
    assert abs(sum(f) - 1) < 1e-6, (s, sum(f))
'

# Modelling rules of DESIGN.md: the first station is never starved, the last
# never blocked; only M1 can fail; nothing has set-ups or shifts here.  B1
# never holds more than its capacity.  M1 alone can make at most 1 part/h and
# is up ~100/110 of the time, so the line makes ~0.9/h: the bounds 0.5 and
# 1.0 are many standard errors away from it over 10 x 20000 h.
check "two-machines results obey the modelling rules" 0 cat "$TMP/two.json"
expect_json '
st = j["stations"]
assert st["M1"]["states"]["starved"]["mean"] == 0, "M1 starved"
assert st["M2"]["states"]["blocked"]["mean"] == 0, "M2 blocked"
assert st["M2"]["states"]["failed"]["mean"] == 0, "M2 failed"
assert st["M1"]["states"]["failed"]["mean"] > 0, "M1 never failed"
for s in st.values():
    assert s["states"]["setup"]["mean"] == 0 and s["states"]["off_shift"]["mean"] == 0
b = j["buffers"]["B1"]
assert 0 <= b["mean_level"]["mean"] <= 3 and 0 <= b["max_level"] <= 3, b
tp = j["throughput_per_hour"]["mean"]
assert 0.5 < tp < 1.0, tp
'

# Throughput counts the parts the last station passes to the sink.
check "throughput agrees with the last station's output" 0 cat "$TMP/two.json"
expect_json '
tp = j["throughput_per_hour"]["mean"] * j["horizon_s"] / 3600
out = j["stations"]["M2"]["parts_out"]["mean"]
assert abs(tp - out) <= 1e-6 * max(1, out), (tp, out)
'

check "options override the plant's settings" 0 \
    takt run "$TWO" --replications 3 --seed 7 --horizon 100h --warmup 30min --json -
expect_json '
assert j["replications"] == 3, j["replications"]
assert j["seed"] == 7, j["seed"]
assert j["horizon_s"] == 360000, j["horizon_s"]
assert j["warmup_s"] == 1800, j["warmup_s"]
'

check "a bare number is seconds; warm-up may be 0" 0 \
    takt run "$TWO" --replications 2 --horizon 7200 --warmup 0 --json -
expect_json '
assert j["horizon_s"] == 7200 and j["warmup_s"] == 0, (j["horizon_s"], j["warmup_s"])
'

check "the largest seed is kept exactly" 0 \
    takt run "$TWO" --replications 2 --horizon 100h --seed 18446744073709551615 --json -
expect_json 'assert j["seed"] == 18446744073709551615, j["seed"]'

check "one replication still gives strict JSON" 0 \
    takt run "$TWO" --replications 1 --horizon 100h --json -
expect_json 'assert j["replications"] == 1'

# ---------------------------------------------------------------- --json PATH

check "--json PATH writes JSON there and the text report to stdout" 0 \
    takt run "$TWO" --replications 3 --horizon 1000h --json "$TMP/out.json"
expect_contains stdout throughput
expect_contains stdout M1
expect_json "$TMP/out.json" 'assert j["replications"] == 3 and set(j["stations"]) == {"M1", "M2"}'

check "--json PATH and --json - write the same JSON" 0 \
    takt run "$TWO" --replications 3 --horizon 1000h --json -
expect_same "$T_OUT" "$TMP/out.json"

check "--json to an unwritable place fails" any \
    takt run "$TWO" --replications 2 --horizon 100h --json "$TMP/no/such/dir/out.json"
[ "$T_STATUS" -ne 0 ] || fail_because "exit status 0"
expect_nonempty stderr

# ---------------------------------------------------------------- determinism

# run_json NAME ARGS...: the JSON of `takt run TWO ARGS --json -` in $TMP/NAME.
run_json() {
    out=$1
    shift
    takt run "$TWO" --replications 7 --horizon 2000h --warmup 100h "$@" --json - \
        >"$TMP/$out" 2>/dev/null
}

check "same seed gives byte-identical JSON" 0 run_json s1a --seed 1
run_json s1b --seed 1
expect_nonempty "$TMP/s1a"
expect_same "$TMP/s1a" "$TMP/s1b"

check "a different seed gives different results" 0 run_json s2 --seed 2
expect_nonempty "$TMP/s2"
expect_differ "$TMP/s1a" "$TMP/s2"

check "--threads 1 and --threads 2 give byte-identical JSON" 0 run_json t1 --seed 5 --threads 1
run_json t2 --seed 5 --threads 2
run_json t4 --seed 5 --threads 4
expect_nonempty "$TMP/t1"
expect_same "$TMP/t1" "$TMP/t2"
expect_same "$TMP/t1" "$TMP/t4"

# ---------------------------------------------------------------- the scenarios

check "mm1.yaml runs" 0 takt run "$SCEN/mm1.yaml" --replications 2 --horizon 500h --warmup 50h --json -
expect_json 'assert set(j["stations"]) == {"M"}, sorted(j["stations"])'

check "five-station-line.yaml runs" 0 \
    takt run "$SCEN/five-station-line.yaml" --replications 2 --horizon 200h --json -
expect_json '
assert set(j["stations"]) == {"Load", "Weld1", "Weld2", "Seal", "Unload"}, sorted(j["stations"])
assert set(j["buffers"]) == {"B1", "B2", "C1", "B4"}, sorted(j["buffers"])
assert j["buffers"]["C1"]["max_level"] <= 6
for s, v in j["stations"].items():
    assert abs(sum(k["mean"] for k in v["states"].values()) - 1) < 1e-6, s
'

# ---------------------------------------------------------------- good fixtures

check "plant settings in every unit" 0 takt run "$FIX/good-units.yaml" --json -
expect_json '
assert j["horizon_s"] == 2 * 7 * 86400, j["horizon_s"]
assert j["warmup_s"] == 86400, j["warmup_s"]
assert j["replications"] == 3 and j["seed"] == 7
'

# One machine with a constant 1-min cycle, raw parts always there and the
# sink always free: it works all the time and makes 60 parts/h (up to one
# part cut at the window's edges: 1/100 per hour over 100 h).
check "a lone constant machine works all the time" 0 takt run "$FIX/good-minimal.yaml" --json -
expect_json '
m = j["stations"]["M"]["states"]
assert abs(m["working"]["mean"] - 1) < 1e-9, m
tp = j["throughput_per_hour"]["mean"]
assert abs(tp - 60) <= 0.011, tp
'

finish
