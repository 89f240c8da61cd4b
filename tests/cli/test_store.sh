#!/bin/sh
# test_store.sh — end-to-end tests of what takt leaves behind after a run:
# the SQLite run store (`--db`, `takt runs`, `takt show`, `takt compare`),
# the CSV tables (`--csv`) and the progress bar on a terminal.
#
#   TAKT=build/takt sh tests/cli/test_store.sh
#
# Every file is written under a fresh temporary directory (never the
# repository's takt.db).  The store is read back with the sqlite3 program
# and CSV is compared with the JSON report in python3: the same numbers
# must appear in both.  The progress bar needs a terminal; `script`
# provides one (those tests are skipped, and say so, without it).

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_store.sh || exit 1

TWO="$root/scenarios/two-machines.yaml"
D=$T_DIR
DB="$D/runs.db"

# sql DB QUERY: the query's output, or "sqlite3 failed".
sql() {
    sqlite3 "$1" "$2" 2>/dev/null || echo "sqlite3 failed"
}

# expect_equal WHAT GOT WANT
expect_equal() {
    [ "$2" = "$3" ] || fail_because "$1 is '$2', expected '$3'"
}

# expect_csv_is_json DIR JSON: the CSV tables in DIR hold the JSON
# report's numbers (as doubles, and the KPIs as the very same text), the
# same rows in the same order, and a table exists exactly when the JSON
# has that part.
expect_csv_is_json() {
    expect_json "$2" "
import csv, os
D = '$1'
raw = open('$2').read()
def rows(name):
    with open(os.path.join(D, name), newline='') as fh:
        return list(csv.DictReader(fh))
def same(cell, value, what):
    if value is None:
        assert cell == '', (what, cell)
    else:
        assert float(cell) == value, (what, cell, value)
def kpi(r, prefix, k):
    same(r[prefix + '_mean'], k['mean'], prefix)
    same(r[prefix + '_ci95'], k['ci95'], prefix)
STATES = ('working', 'starved', 'blocked', 'failed', 'setup', 'off_shift', 'waiting', 'maintenance', 'closed')
for r in rows('kpis.csv'):
    n = r['kpi']
    if n.startswith('customer_wait_weeks_'):
        same(r['mean'], j['customer_wait_weeks'][n[len('customer_wait_weeks_'):]], n)
        assert r['ci95'] == '', n
    else:
        same(r['mean'], j[n]['mean'], n)
        same(r['ci95'], j[n]['ci95'], n)
        assert ('\"mean\": ' + r['mean']) in raw, (n, r['mean'])
st = rows('stations.csv')
assert [r['station'] for r in st] == list(j['stations']), 'station order'
for r in st:
    js = j['stations'][r['station']]
    kpi(r, 'parts_out', js['parts_out'])
    for q in STATES:
        kpi(r, q, js['states'][q])
    same(r['bottleneck_sole'], j['bottlenecks'][r['station']]['sole'], 'sole')
    same(r['bottleneck_shifting'], j['bottlenecks'][r['station']]['shifting'], 'shifting')
    assert r['workshop'] == '' or r['workshop'] in j['workshops'], r['workshop']
bf = rows('buffers.csv')
assert [r['buffer'] for r in bf] == list(j['buffers']), 'buffer order'
for r in bf:
    kpi(r, 'mean_level', j['buffers'][r['buffer']]['mean_level'])
    same(r['max_level'], j['buffers'][r['buffer']]['max_level'], 'max_level')
for f, key in (('daily', 'daily'), ('monthly', 'monthly'), ('targets', 'targets'), ('workshops', 'workshops')):
    assert os.path.exists(os.path.join(D, f + '.csv')) == (key in j), f
if 'daily' in j:
    d = rows('daily.csv')
    assert [x['date'] for x in d] == [x['date'] for x in j['daily']], 'dates'
    for x, jx in zip(d, j['daily']):
        for k in ('produced', 'delivered', 'backlog'):
            kpi(x, k, jx[k])
    m = rows('monthly.csv')
    assert [x['month'] for x in m] == [x['month'] for x in j['monthly']], 'months'
    for x, jx in zip(m, j['monthly']):
        for k in ('produced', 'delivered', 'backlog_end'):
            kpi(x, k, jx[k])
if 'targets' in j:
    t = rows('targets.csv')
    assert len(t) == len(j['targets']), 'targets'
    for x, jx in zip(t, j['targets']):
        assert x['what'] == jx['what'], x
        same(x['value'], jx['value'], 'value')
        for k in ('by', 'reached', 'reached_lo', 'reached_hi'):
            assert (x[k] or None) == jx[k], (k, x, jx)
        assert int(x['replications_reached']) == jx['replications_reached'], x
        assert x['met'] == ('true' if jx['met'] else 'false'), x
if 'workshops' in j:
    w = rows('workshops.csv')
    assert [x['workshop'] for x in w] == list(j['workshops']), 'workshop order'
    for x in w:
        jw = j['workshops'][x['workshop']]
        kpi(x, 'parts_out', jw['parts_out'])
        for q in STATES:
            kpi(x, q, jw['states'][q])
"
}

# The two-machine line with M1 twice as slow: about half the throughput.
SLOW="$D/slow.yaml"
sed 's/cycle: exp(1h)/cycle: exp(2h)/' "$TWO" >"$SLOW"

# ---------------------------------------------------------------- recording

check "a run is recorded in --db" 0 takt run "$TWO" --db "$DB" --horizon 2000h
expect_contains stderr "recorded as run 1"
expect_equal "runs in the store" "$(sql "$DB" 'select count(*) from runs')" 1

check "a second run gets id 2" 0 takt run "$SLOW" --db "$DB" --horizon 2000h --seed 7 -q
expect_empty stderr
expect_equal "runs in the store" "$(sql "$DB" 'select count(*) from runs')" 2
expect_equal "run 2's seed" "$(sql "$DB" 'select seed from runs where id = 2')" 7
expect_equal "run 2's stations" "$(sql "$DB" "select group_concat(station) from stations where run_id = 2")" "M1,M2"
expect_equal "the journal mode" "$(sql "$DB" 'pragma journal_mode')" wal

check "the plant hash is the file's SHA-256" 0 true
if command -v sha256sum >/dev/null 2>&1; then
    want=$(sha256sum "$TWO" | cut -d' ' -f1)
    expect_equal "run 1's plant_hash" "$(sql "$DB" 'select plant_hash from runs where id = 1')" "$want"
fi

check "the store's numbers are the JSON's" 0 takt run "$TWO" --db "$DB" --horizon 2000h -q --json "$D/run3.json"
expect_json "$D/run3.json" "
import sqlite3
db = sqlite3.connect('$DB')
kpis = dict(db.execute('select name, mean from kpis where run_id = 3'))
for name in ('throughput_per_hour', 'lead_time_s', 'wip', 'produced'):
    assert kpis[name] == j[name]['mean'], (name, kpis[name], j[name]['mean'])
for station, working in db.execute('select station, working_mean from stations where run_id = 3'):
    assert working == j['stations'][station]['states']['working']['mean'], station
"

check "the store records the bottleneck the report names" 0 takt run "$SLOW" --db "$D/bn.db" --horizon 2000h -q --seed 7
marked=$(grep '◀ bottleneck$' "$T_OUT" | awk '{ print $1 }')
[ -n "$marked" ] || fail_because "the text report marks no station"
expect_equal "the recorded bottleneck" "$(sql "$D/bn.db" 'select bottleneck from runs where id = 1')" "$marked"

# ---------------------------------------------------------------- runs, show, compare

check "takt runs lists every run" 0 takt runs --db "$DB"
expect_lines stdout -eq 4
expect_match stdout '^ +1 +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z +42 +10 '
expect_match stdout '^ +2 .* 7 +10 .*two machines and a buffer$'

check "takt show prints a run" 0 takt show 2 --db "$DB"
expect_contains stdout "two machines and a buffer"
expect_contains stdout "$SLOW"
expect_contains stdout "throughput_per_hour"
expect_match stdout '^  M1 '
expect_match stdout '^  B1 +3 '

check "takt show --db=PATH works too" 0 takt show 1 --db="$DB"
expect_contains stdout "seed"

check "takt compare shows the slower line's lower throughput as a difference" 0 takt compare 1 2 --db "$DB"
expect_match stdout '^  throughput_per_hour .* -[0-9.e+-]+ ± [0-9.e+-]+ \(-[0-9.]+ %\) +differ$'
expect_match stdout '^  M1 .* (overlap|differ)$'
expect_match stdout '^What differs: plant file, seed'

check "a run compared with itself differs nowhere" 0 takt compare 1 1 --db "$DB"
expect_no_match stdout 'differ$'
expect_match stdout '^  throughput_per_hour .* \+0 ± 0 .* not shown$'

check "unknown run: show exits 2" 2 takt show 9 --db "$DB"
expect_contains stderr "no run 9"
expect_empty stdout

check "unknown run: compare exits 2" 2 takt compare 1 9 --db "$DB"
expect_contains stderr "no run 9"

for cmd in runs "show 1" "compare 1 2"; do
    # shellcheck disable=SC2086  # cmd is a command and its arguments
    check "no store: takt $cmd exits 2 and creates nothing" 2 takt $cmd --db "$D/none.db"
    expect_contains stderr "none.db"
    expect_true "none.db is not created" test ! -e "$D/none.db"
done

check "not a run store: takt runs exits 2" 2 takt runs --db "$SLOW"
expect_contains stderr "not an SQLite database"

check "show without a run id is a usage error" 2 takt show --db "$DB"
check "a run id must be a number" 2 takt show first --db "$DB"
expect_contains stderr "first"
check "compare needs two runs" 2 takt compare 1 --db "$DB"
check "runs takes no run id" 2 takt runs 1 --db "$DB"
check "--db needs a value" 2 takt runs --db

# ---------------------------------------------------------------- what is not written

mkdir "$D/cwd"
check "--no-db records nothing" 0 sh -c "cd '$D/cwd' && '$TAKT' run '$TWO' --horizon 500h --no-db --db '$D/nodb.db'"
expect_true "no takt.db" test ! -e "$D/cwd/takt.db"
expect_true "no --db file" test ! -e "$D/nodb.db"
expect_no_match stderr 'recorded'

check "without --db the run goes to takt.db in the current directory" 0 \
    sh -c "cd '$D/cwd' && '$TAKT' run '$TWO' --horizon 500h"
expect_true "takt.db exists" test -f "$D/cwd/takt.db"
expect_contains stderr "recorded as run 1 in takt.db"

check "an unwritable --db path is an error (refused before simulating)" 2 takt run "$TWO" --horizon 500h --db "$D/no/such/dir/x.db"
expect_contains stderr "$D/no/such/dir/x.db"
expect_contains stderr "no such file or directory"

sqlite3 "$D/other.db" 'create table runs (x)'
check "another program's database is refused before simulating" 2 takt run "$TWO" --horizon 500h --db "$D/other.db"
expect_empty stdout
expect_contains stderr "not a takt run store"
expect_equal "tables of other.db" "$(sql "$D/other.db" 'select count(*) from sqlite_master')" 1

# An interrupted run writes nothing: a long run, stopped by SIGINT.
check "an interrupted run records nothing" 0 true
before=$(sql "$DB" 'select count(*) from runs')
"$TAKT" run "$TWO" --db "$DB" --horizon 8000000h --replications 64 --threads 2 -q >/dev/null 2>"$D/int.err" &
pid=$!
sleep 1
kill -INT "$pid" 2>/dev/null
wait "$pid"
status=$?
expect_equal "exit status" "$status" 130
expect_contains "$D/int.err" "interrupted"
expect_equal "runs in the store" "$(sql "$DB" 'select count(*) from runs')" "$before"

# ---------------------------------------------------------------- concurrency

check "four takt processes recording into one new store at once all succeed" 0 true
pids=""
for i in 1 2 3 4; do
    "$TAKT" run "$TWO" --db "$D/busy.db" --seed "$i" --horizon 1000h -q >/dev/null 2>"$D/busy.$i" &
    pids="$pids $!"
done
for p in $pids; do
    wait "$p" || fail_because "a process exited with status $?: $(cat "$D"/busy.* | head -n 3)"
done
expect_equal "runs in the store" "$(sql "$D/busy.db" 'select count(*) from runs')" 4
expect_equal "distinct seeds" "$(sql "$D/busy.db" 'select count(distinct seed) from runs')" 4
expect_equal "station rows" "$(sql "$D/busy.db" 'select count(*) from stations')" 8

# ---------------------------------------------------------------- CSV

CSV="$D/csv/out"
check "--csv writes the tables into a new directory" 0 \
    takt run "$TWO" --no-db -q --horizon 2000h --csv "$CSV" --json "$D/csv.json"
for f in kpis stations buffers; do
    expect_true "$f.csv exists" test -s "$CSV/$f.csv"
done
expect_true "no daily.csv without a calendar" test ! -e "$CSV/daily.csv"
expect_match "$CSV/kpis.csv" '^kpi,mean,ci95$'
expect_match "$CSV/stations.csv" '^station,workshop,servers,parts_out_mean,parts_out_ci95,working_mean,working_ci95,starved_mean,starved_ci95,blocked_mean,blocked_ci95,failed_mean,failed_ci95,setup_mean,setup_ci95,off_shift_mean,off_shift_ci95,waiting_mean,waiting_ci95,maintenance_mean,maintenance_ci95,closed_mean,closed_ci95,bottleneck_sole,bottleneck_shifting$'
expect_match "$CSV/buffers.csv" '^buffer,capacity,mean_level_mean,mean_level_ci95,max_level$'
expect_match "$CSV/buffers.csv" '^B1,3,'
expect_true "only CSV files in the directory" test "$(ls "$CSV" | grep -cv '\.csv$')" -eq 0
expect_csv_is_json "$CSV" "$D/csv.json"

check "--csv into an existing directory replaces the files" 0 \
    takt run "$TWO" --no-db -q --horizon 1000h --seed 3 --csv "$CSV"
expect_true "only CSV files in the directory" test "$(ls "$CSV" | grep -cv '\.csv$')" -eq 0

touch "$D/plain-file"
check "--csv onto a file is an error (refused before simulating)" 2 takt run "$TWO" --no-db -q --horizon 500h --csv "$D/plain-file"
expect_contains stderr "plain-file"
expect_contains stderr "not a directory"

check "--csv below a file is an error (refused before simulating)" 2 takt run "$TWO" --no-db -q --horizon 500h --csv "$D/plain-file/sub"
expect_contains stderr "plain-file/sub"

# A plant with a calendar start has daily and monthly series; the car
# plant scenario also has targets, workshops and customer demand.
CAL="$D/calendar.yaml"
{ cat "$TWO"; echo "start: 2024-01-30"; } >"$CAL"
check "--csv writes daily and monthly series for a plant with a start date" 0 \
    takt run "$CAL" --no-db -q --horizon 1000h --warmup 0 --csv "$D/cal" --json "$D/cal.json"
expect_match "$D/cal/daily.csv" '^date,produced_mean,produced_ci95,delivered_mean,delivered_ci95,backlog_mean,backlog_ci95$'
expect_match "$D/cal/daily.csv" '^2024-01-30,'
expect_lines "$D/cal/daily.csv" -eq 43       # 1000 h = 41.7 days, and the header
expect_match "$D/cal/monthly.csv" '^month,produced_mean,produced_ci95,delivered_mean,delivered_ci95,backlog_end_mean,backlog_end_ci95$'
expect_match "$D/cal/monthly.csv" '^2024-01,'
expect_match "$D/cal/monthly.csv" '^2024-03,'
expect_csv_is_json "$D/cal" "$D/cal.json"

EV="$root/scenarios/beijing-ev.yaml"
if [ -f "$EV" ]; then
    check "--csv of the car plant: targets, workshops, demand" 0 \
        takt run "$EV" --no-db -q --horizon 60d --replications 2 --csv "$D/ev" --json "$D/ev.json"
    for f in daily monthly targets workshops; do
        expect_true "$f.csv exists" test -s "$D/ev/$f.csv"
    done
    expect_match "$D/ev/targets.csv" '^what,value,by,reached,reached_lo,reached_hi,replications_reached,met$'
    expect_match "$D/ev/kpis.csv" '^customer_wait_weeks_p90,[0-9.e+-]*,$'
    expect_csv_is_json "$D/ev" "$D/ev.json"

    check "the car plant's series and targets are recorded in the store" 0 \
        takt run "$EV" --db "$D/ev.db" -q --horizon 60d --replications 2
    expect_equal "daily rows" "$(sql "$D/ev.db" "select count(*) from series where kind = 'daily'")" 60
    expect_equal "monthly rows" "$(sql "$D/ev.db" "select count(*) from series where kind = 'monthly'")" 3
    expect_equal "targets" "$(sql "$D/ev.db" 'select count(*) from targets')" \
        "$(($(wc -l <"$D/ev/targets.csv") - 1))"
fi

# ---------------------------------------------------------------- progress bar

# Long enough (a few seconds) for the bar to appear after its 1 s delay.
# `script` (util-linux, part of every Debian system) gives takt a terminal;
# TERM is set because takt draws no bar on a "dumb" terminal, and CI may
# run with TERM unset or dumb.
LONG="run $TWO --no-db --horizon 1500000h --replications 3 --threads 1"
on_tty() { env TERM=xterm script -qfec "$1" /dev/null; }
check "on a terminal, a long run shows a progress bar" 0 on_tty "$TAKT $LONG"
# (the bar counts the replications, then the paired runs that name the
# bottleneck; which of the two it shows first depends on the machine)
expect_match stdout '\[[#.]{20}\] ([0-3]/3 replications|[0-6]/6 paired runs) +[0-9]+ %  ETA '
expect_contains stdout "throughput"

check "no progress bar with --quiet" 0 on_tty "$TAKT $LONG --quiet"
expect_no_match stdout 'ETA'

check "no progress bar when stderr is a file" 0 on_tty "$TAKT $LONG 2>'$D/bar.err'"
expect_no_match stdout 'ETA'
expect_no_match "$D/bar.err" 'ETA|replications'
expect_contains "$D/bar.err" "events in"

check "no progress bar on a dumb terminal" 0 env TERM=dumb script -qfec "$TAKT $LONG" /dev/null
expect_no_match stdout 'ETA'

check "short runs show no progress bar even on a terminal" 0 on_tty "$TAKT run $TWO --no-db --horizon 1000h"
expect_no_match stdout 'ETA'

finish
