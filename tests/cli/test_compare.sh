#!/bin/sh
# test_compare.sh — end-to-end tests of comparing recorded runs: `takt
# compare A B` (paired by replication on common random numbers, or
# Welch's interval; text and --json), `takt runs` with a sweep's values,
# `takt show RUN --plant`, `takt run --set`, the migration of a store of
# version 3, and bad input.
#
#   TAKT=build/takt sh tests/cli/test_compare.sh
#
# The paired interval of the JSON is recomputed here in python3 from the
# per-replication values the store keeps (sqlite3 module), with the
# textbook formula and t(0.975, 4) from tables.

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_compare.sh || exit 1

TWO="$root/scenarios/two-machines.yaml"
D=$T_DIR
DB="$D/runs.db"

sql() {
    sqlite3 "$1" "$2" 2>/dev/null || echo "sqlite3 failed"
}

# ---------------------------------------------------------------- recording what differs

check "run --set changes one value and is recorded with it" 0 \
    takt run "$TWO" --db "$DB" -q --replications 5 --horizon 1000h --set 'stations.M1.cycle=exp(50min)'
expect_equal() { [ "$2" = "$3" ] || fail_because "$1 is '$2', expected '$3'"; }
expect_equal "the recorded setting" "$(sql "$DB" 'select path || "=" || value || swept from settings where run_id = 1')" \
    "stations.M1.cycle=exp(50min)0"

check "the same plant on the same seed and replications, unchanged" 0 \
    takt run "$TWO" --db "$DB" -q --replications 5 --horizon 1000h
check "the changed plant on another seed" 0 \
    takt run "$TWO" --db "$DB" -q --replications 5 --horizon 1000h --seed 7 --set 'stations.M1.cycle=exp(50min)'
check "a sweep of one setting on the same seed" 0 \
    takt sweep "$TWO" --db "$DB" -q --replications 5 --set horizon=1000h --set buffers.B1.capacity=1,6
expect_equal "the sweep's swept values" \
    "$(sql "$DB" "select group_concat(run_id || ':' || path || '=' || value || '/' || swept, ' ') from settings where run_id >= 4")" \
    "4:horizon=1000h/0 4:buffers.B1.capacity=1/1 5:horizon=1000h/0 5:buffers.B1.capacity=6/1"

check "--set needs PATH=VALUE" 2 takt run "$TWO" --no-db --set nonsense
expect_contains stderr "PATH=VALUE"
check "a bad --set path is the plant's error, before simulating" 2 takt run "$TWO" --no-db --set stations.X9.cycle=1h
expect_contains stderr "X9"

# ---------------------------------------------------------------- takt runs

check "takt runs lists each sweep run with its swept values" 0 takt runs --db "$DB"
expect_lines stdout -eq 6
expect_match stdout '^ +1 .*two machines and a buffer +stations\.M1\.cycle=exp\(50min\)$'
expect_match stdout '^ +2 .*two machines and a buffer$'
expect_match stdout '^ +4 .*two machines and a buffer +buffers\.B1\.capacity=1, horizon=1000h$'
expect_match stdout '^ +5 .*two machines and a buffer +buffers\.B1\.capacity=6, horizon=1000h$'
expect_match stdout '^ +id .* plant +settings$'

# ---------------------------------------------------------------- compare: paired

check "compare on the same seeds pairs by replication" 0 takt compare 2 1 --db "$DB"
expect_contains stdout "paired by replication (common random numbers: both runs used seed 42 and 5 replications)"
expect_match stdout '^  settings +- +stations\.M1\.cycle=exp\(50min\) +differs$'
expect_match stdout '^What differs: settings\.$'
expect_match stdout '^  throughput_per_hour .* \+[0-9.e+-]+ ± [0-9.e+-]+ \(\+[0-9.]+ %\) +differ$'
expect_no_match stdout 'Welch'

check "compare --json - on the same seeds" 0 takt compare 2 1 --db "$DB" --json -
expect_json "
assert j['method'] == 'paired', j['method']
assert j['differs'] == ['settings'], j['differs']
assert j['a']['id'] == 2 and j['b']['id'] == 1
assert j['b']['settings'] == {'stations.M1.cycle': 'exp(50min)'}, j['b']['settings']
assert j['a']['seed'] == 42 and j['a']['replications'] == 5
for k in ('throughput_per_hour', 'lead_time_s', 'wip', 'produced', 'scrapped'):
    assert j['kpis'][k]['method'] == 'paired', k
    assert j['kpis'][k]['df'] == 4, k
t = j['kpis']['throughput_per_hour']
assert t['significant'] is True and t['difference']['mean'] > 0, t
assert set(t) == {'a', 'b', 'difference', 'method', 'df', 'significant'}, set(t)
assert set(j['stations']) == {'M1', 'M2'}
assert set(j['stations']['M1']['working']) == {'a', 'b', 'difference', 'overlap'}
import sqlite3, statistics
db = sqlite3.connect('$DB')
for k in ('throughput_per_hour', 'wip', 'produced'):
    v = {r: dict(db.execute('select rep, value from kpi_reps where run_id = ? and name = ?', (r, k))) for r in (1, 2)}
    d = [v[1][i] - v[2][i] for i in range(5)]
    half = 2.7764451051977943 * statistics.stdev(d) / 5 ** 0.5
    got = j['kpis'][k]['difference']
    assert abs(got['mean'] - sum(d) / 5) <= 1e-12 * abs(got['mean']), (k, got, d)
    assert abs(got['ci95'] - half) <= 1e-9 * half, (k, got['ci95'], half)
    a = j['kpis'][k]['a']
    assert a['mean'] == db.execute('select mean from kpis where run_id = 2 and name = ?', (k,)).fetchone()[0]
"

check "compare --json PATH writes the file and nothing to stdout" 0 takt compare 4 5 --db "$DB" --json "$D/cmp.json"
expect_empty stdout
expect_json "$D/cmp.json" "
assert j['method'] == 'paired'
assert j['differs'] == ['swept'], j['differs']
assert j['a']['swept'] == {'buffers.B1.capacity': '1'} and j['b']['swept'] == {'buffers.B1.capacity': '6'}
assert j['a']['settings'] == {'horizon': '1000h'}
"

check "compare of a sweep's runs names the swept values" 0 takt compare 4 5 --db "$DB"
expect_match stdout '^  swept +buffers\.B1\.capacity=1 +buffers\.B1\.capacity=6 +differs$'
expect_match stdout '^What differs: swept values\.$'

# ---------------------------------------------------------------- compare: Welch

check "compare on different seeds uses Welch's interval" 0 takt compare 2 3 --db "$DB"
expect_contains stdout "Welch's interval (the runs do not share their random numbers: different seeds)"
expect_match stdout '^What differs: settings, seed\.$'
expect_match stdout '^  seed +42 +7 +differs$'
expect_no_match stdout 'paired by replication'

check "compare --json on different seeds" 0 takt compare 2 3 --db "$DB" --json -
expect_json "
assert j['method'] == 'welch'
assert j['differs'] == ['settings', 'seed'], j['differs']
t = j['kpis']['throughput_per_hour']
assert t['method'] == 'welch' and 4 <= t['df'] <= 8, t
va, vb = t['a'], t['b']
# Welch-Satterthwaite by hand from the two half-widths (t(0.975, 4) from tables)
sa, sb = va['ci95'] * 5 ** 0.5 / 2.7764451051977943, vb['ci95'] * 5 ** 0.5 / 2.7764451051977943
qa, qb = sa * sa / 5, sb * sb / 5
df = (qa + qb) ** 2 / (qa * qa / 4 + qb * qb / 4)
assert abs(t['df'] - df) <= 1e-9 * df, (t['df'], df)
"

check "different replications: Welch's" 0 takt run "$TWO" --db "$DB" -q --replications 4 --horizon 1000h
check "compare says the replications differ" 0 takt compare 2 6 --db "$DB"
expect_contains stdout "different numbers of replications"
expect_match stdout '^  replications +5 +4 +differs$'

check "figures without an interval get the difference of their means alone" 0 \
    takt run "$root/tests/cli/plants/demand.yaml" --db "$D/demand.db" -q --bottleneck active
takt run "$root/tests/cli/plants/demand.yaml" --db "$D/demand.db" -q --bottleneck active \
    --set 'demand.delivery=4d' >/dev/null 2>&1 || fail_because "the second demand run failed"
check "compare of a plant with demand, as JSON" 0 takt compare 1 2 --db "$D/demand.db" --json -
expect_json "
assert j['method'] == 'paired', j['method']
assert j['kpis']['delivered']['method'] == 'paired'
w = j['kpis']['customer_wait_weeks_mean']
assert w['method'] is None and w['df'] is None and w['significant'] is None, w
assert abs(w['difference']['mean'] - 1 / 7) < 1e-9 and w['difference']['ci95'] is None, w
"
check "and as text" 0 takt compare 1 2 --db "$D/demand.db"
expect_no_match stdout 'Welch'
expect_match stdout '^  customer_wait_weeks_mean .* \+0\.1429 \(\+33\.3 %\) +-$'

check "one replication: no interval, and the text says why" 0 \
    takt run "$TWO" --db "$D/one.db" -q --replications 1 --horizon 100h --bottleneck active
takt run "$TWO" --db "$D/one.db" -q --replications 1 --horizon 100h --bottleneck active --seed 9 >/dev/null 2>&1
check "compare of runs of one replication" 0 takt compare 1 2 --db "$D/one.db"
expect_contains stdout "No intervals: a run has fewer than 2 replications."
expect_no_match stdout 'Welch|paired by'

# ---------------------------------------------------------------- show --plant

check "show --plant prints the plant file byte for byte" 0 takt show 1 --plant --db "$DB"
expect_same "$T_OUT" "$TWO"
expect_empty stderr

check "show names the settings and the kept plant" 0 takt show 4 --db "$DB"
expect_match stdout '^  swept +buffers\.B1\.capacity=1$'
expect_match stdout '^  settings +horizon=1000h$'
expect_contains stdout "plant text     kept"

check "the built-in plant is kept too" 0 takt run --db "$D/builtin.db" -q --replications 2 --horizon 200h --bottleneck active
check "show --plant of the built-in plant" 0 takt show 1 --plant --db "$D/builtin.db"
expect_contains stdout "name:"
check "and repeats the run: the same numbers" 0 true
takt show 1 --plant --db "$D/builtin.db" >"$D/builtin.yaml"
takt run "$D/builtin.yaml" --db "$D/builtin.db" -q --replications 2 --horizon 200h --bottleneck active >/dev/null 2>&1 ||
    fail_because "the kept plant does not run"
expect_equal "the repeated run's throughput" \
    "$(sql "$D/builtin.db" "select group_concat(mean, ' ') from kpis where name = 'throughput_per_hour'")" \
    "$(sql "$D/builtin.db" "select mean || ' ' || mean from kpis where name = 'throughput_per_hour' and run_id = 1")"

# ---------------------------------------------------------------- a store of version 3

V3="$D/v3.db"
sqlite3 "$V3" <"$root/tests/unit/fixtures/store-v3.sql" 2>/dev/null
check "a store of version 3 lists its runs as they are" 0 takt runs --db "$V3"
expect_lines stdout -eq 4
expect_equal "its version" "$(sql "$V3" 'select version from schema_version')" 3

check "its sweep runs compare by Welch's interval, saying why" 0 takt compare 2 3 --db "$V3"
expect_contains stdout "no per-replication values"

check "show --plant of a run recorded before plant texts: exit 2" 2 takt show 1 --plant --db "$V3"
expect_contains stderr "no plant text"
expect_empty stdout

check "recording into it migrates it to version 4" 0 takt run "$TWO" --db "$V3" -q --replications 3 --horizon 100h
expect_equal "its version" "$(sql "$V3" 'select version from schema_version')" 4
expect_equal "its runs" "$(sql "$V3" 'select count(*) from runs')" 4
expect_equal "old runs without plant text" "$(sql "$V3" 'select count(*) from runs where plant_text is null')" 3

check "the old run compares with the new one, paired for none" 0 takt compare 1 4 --db "$V3" --json -
expect_json "assert j['method'] == 'welch', j['method']"
check "the new run's plant" 0 takt show 4 --plant --db "$V3"
expect_same "$T_OUT" "$TWO"

# ---------------------------------------------------------------- bad input

check "unknown run: compare exits 2" 2 takt compare 1 99 --db "$DB"
expect_contains stderr "no run 99"
expect_empty stdout
check "unknown run: compare --json exits 2 and writes no file" 2 takt compare 99 1 --db "$DB" --json "$D/none.json"
expect_contains stderr "no run 99"
expect_true "no JSON file is left" test ! -e "$D/none.json"
check "unknown run: show --plant exits 2" 2 takt show 99 --plant --db "$DB"
expect_contains stderr "no run 99"

sqlite3 "$D/other.db" "CREATE TABLE t (x); INSERT INTO t VALUES (1);" 2>/dev/null
for cmd in "compare 1 2" "show 1 --plant" "runs"; do
    # shellcheck disable=SC2086  # cmd is a command and its arguments
    check "a non-takt database: $cmd exits 2" 2 takt $cmd --db "$D/other.db"
    expect_contains stderr "not a takt run store"
done
check "a file that is no database: compare exits 2" 2 takt compare 1 2 --db "$TWO"
expect_contains stderr "not an SQLite database"

cp "$DB" "$D/newer.db"
sqlite3 "$D/newer.db" "UPDATE schema_version SET version = 99" 2>/dev/null
check "a store of a newer takt is refused with a clear message" 1 takt compare 1 2 --db "$D/newer.db"
expect_contains stderr "schema version 99 is newer than this takt's (4)"

check "--json needs a value" 2 takt compare 1 2 --db "$DB" --json
check "--plant is show's option only" 2 takt compare 1 2 --plant --db "$DB"
check "--json is compare's option only" 2 takt show 1 --json - --db "$DB"
check "compare --json onto the store is refused" 2 takt compare 1 2 --db "$DB" --json "$DB"
expect_equal "the store's runs" "$(sql "$DB" 'select count(*) from runs')" 6

finish
