#!/bin/sh
# test_optimise.sh — end-to-end tests of `takt optimise`: the JSON names of
# issue 14, '*' in --vary paths, the budget respected, byte-identical JSON
# for 1 and 2 threads and (when mpirun is present and takt has MPI) for 1
# and 2 processes, the final comparison's --indifference and
# --max-replications, --plant writing a plant that loads and carries the best
# settings, min-total with a target, the search by simulation when the
# estimate does not apply, and exit status 2 with a clear message, before
# any simulation, for a path that does not exist, an infeasible budget and
# an unreachable target.
#
#   TAKT=build/takt sh tests/cli/test_optimise.sh

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_optimise.sh || exit 1
TMP=$T_DIR
cd "$TMP" || exit 1

cat >"$TMP/line.yaml" <<'EOF2'
name: four stations
horizon: 300h
warmup: 5h
replications: 5
seed: 3
stations:
  - name: A
    cycle: exp(60s)
    failures:
      - {ttf: exp(1h), ttr: exp(6min)}
  - name: B
    cycle: exp(50s)
  - name: C
    cycle: exp(55s)
    failures:
      - {ttf: exp(2h), ttr: exp(10min)}
  - name: D
    cycle: exp(45s)
buffers:
  - {name: B1, from: A, to: B, capacity: 2}
  - {name: B2, from: B, to: C, capacity: 2}
  - {name: B3, from: C, to: D, capacity: 2}
EOF2

check "optimise --json: the names of the contract, the budget met" 0 \
    takt optimise "$TMP/line.yaml" --vary 'buffers.*.capacity=0..8' --total 10 --threads 1 --quiet --json "$TMP/t1.json"
expect_json "$TMP/t1.json" '
assert j["objective"] == "max-throughput"
b = j["best"]
assert set(b["settings"]) == {"buffers.B1.capacity", "buffers.B2.capacity", "buffers.B3.capacity"}, b
assert sum(b["settings"].values()) == 10
assert all(0 <= v <= 8 for v in b["settings"].values())
t = b["throughput_per_hour"]
assert set(t) == {"mean", "ci95"} and t["mean"] > 0 and t["ci95"] > 0
assert isinstance(j["tied"], list)
for d in j["tied"]:
    assert sum(d["settings"].values()) == 10
    assert d["throughput_per_hour"]["mean"] <= t["mean"]
assert j["evaluated"] >= 1 + len(j["tied"])
assert j["search"] == "estimate"
'
check "the text names the best design" 0 \
    takt optimise "$TMP/line.yaml" --vary 'buffers.*.capacity=0..8' --total 10 --quiet
expect_match stdout '^best: buffers\.B1\.capacity=[0-9]+, buffers\.B2\.capacity=[0-9]+, buffers\.B3\.capacity=[0-9]+'
expect_match stdout 'throughput [0-9.]+ ± [0-9.]+ /h, total 10'

check "two threads give byte-identical JSON" 0 \
    takt optimise "$TMP/line.yaml" --vary 'buffers.*.capacity=0..8' --total 10 --threads 2 --quiet --json "$TMP/t2.json"
expect_same "$TMP/t1.json" "$TMP/t2.json"

if command -v mpirun >/dev/null 2>&1 && grep -q MPI_Init_thread "$TAKT"; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    check "two MPI processes give byte-identical JSON" 0 \
        mpirun --oversubscribe --allow-run-as-root -np 2 "$TAKT" optimise "$TMP/line.yaml" \
        --vary 'buffers.*.capacity=0..8' --total 10 --threads 1 --quiet --json "$TMP/m2.json"
    expect_same "$TMP/t1.json" "$TMP/m2.json"
else
    echo "test_optimise.sh: no mpirun or takt built without MPI: the MPI check does not apply" >&2
fi

# The final comparison (KN): a zone wider than any difference needs no
# replication past the first stage (5, the file's); a zone far narrower
# than the noise separates nothing, so every candidate runs to the cap.
check "--indifference wide: every candidate stops after the first stage" 0 \
    takt optimise "$TMP/line.yaml" --vary 'buffers.*.capacity=0..8' --total 10 --indifference 1000/h --quiet --json -
expect_json '
assert j["replications"] == 5 * j["evaluated"], j
assert j["best"]["replications"] == 5
'
check "--indifference narrow: every candidate runs to --max-replications" 0 \
    takt optimise "$TMP/line.yaml" --vary 'buffers.*.capacity=0..8' --total 10 --indifference 0.00001/h \
    --max-replications 9 --quiet --json -
expect_json '
assert j["replications"] == 9 * j["evaluated"], j
assert j["best"]["replications"] == 9
assert all(d["replications"] == 9 for d in j["tied"])
'
# A zone in between: some candidates leave after the first stage, the
# others get more replications in later batches; threads and MPI
# processes must not change a number of it.
check "--indifference 0.05/h: a sequential run over several stages" 0 \
    takt optimise "$TMP/line.yaml" --vary 'buffers.*.capacity=0..8' --total 10 --indifference 0.05/h \
    --threads 1 --quiet --json "$TMP/k1.json"
expect_json "$TMP/k1.json" '
assert j["best"]["replications"] > 5, j
assert j["replications"] < j["evaluated"] * j["best"]["replications"], j
'
check "... the same on two threads" 0 \
    takt optimise "$TMP/line.yaml" --vary 'buffers.*.capacity=0..8' --total 10 --indifference 0.05/h \
    --threads 2 --quiet --json "$TMP/k2.json"
expect_same "$TMP/k1.json" "$TMP/k2.json"
if command -v mpirun >/dev/null 2>&1 && grep -q MPI_Init_thread "$TAKT"; then
    check "... and on two MPI processes" 0 \
        mpirun --oversubscribe --allow-run-as-root -np 2 "$TAKT" optimise "$TMP/line.yaml" \
        --vary 'buffers.*.capacity=0..8' --total 10 --indifference 0.05/h --threads 1 --quiet --json "$TMP/km.json"
    expect_same "$TMP/k1.json" "$TMP/km.json"
fi
check "--indifference 0: exit 2" 2 \
    takt optimise "$TMP/line.yaml" --vary 'buffers.*.capacity=0..8' --total 10 --indifference 0
expect_contains stderr "--indifference: expected a rate above 0"
check "--max-replications 1: exit 2" 2 \
    takt optimise "$TMP/line.yaml" --vary 'buffers.*.capacity=0..8' --total 10 --max-replications 1
expect_contains stderr "--max-replications needs 2..100000"

check "--plant writes the plant with the best settings" 0 \
    takt optimise "$TMP/line.yaml" --vary 'buffers.*.capacity=0..8' --total 10 --quiet --json "$TMP/p.json" --plant "$TMP/best.yaml"
check "the written plant loads" 0 takt check "$TMP/best.yaml"
check "and carries the best settings" 0 takt estimate "$TMP/best.yaml" --json -
expect_true "best.yaml has the settings of the JSON" python3 -c "
import json, re
j = json.load(open('$TMP/p.json'))['best']['settings']
text = open('$TMP/best.yaml').read()
for path, v in j.items():
    name = path.split('.')[1]
    assert re.search(r'name: %s, from: [A-Z], to: [A-Z], capacity: %d}' % (name, v), text), (name, v)"

check "min-total: the smallest total reaching the target" 0 \
    takt optimise "$TMP/line.yaml" --vary 'buffers.*.capacity=0..8' --objective min-total \
    --target 'throughput>=44/h' --quiet --json -
expect_json '
assert j["objective"] == "min-total"
b = j["best"]
t = b["throughput_per_hour"]
assert t["mean"] - t["ci95"] >= 44, t
for d in j["tied"]:
    assert d["total"] == b["total"]
'

cat >"$TMP/conveyor.yaml" <<'EOF2'
name: with a conveyor
horizon: 100h
warmup: 2h
replications: 4
seed: 8
stations:
  - {name: A, cycle: exp(60s)}
  - {name: B, cycle: exp(55s)}
  - {name: C, cycle: exp(50s)}
buffers:
  - {name: B1, from: A, to: B, capacity: 1, transit: 1min}
  - {name: B2, from: B, to: C, capacity: 1}
EOF2
check "outside the estimate, the search simulates" 0 \
    takt optimise "$TMP/conveyor.yaml" --vary 'buffers.*.capacity=1..4' --total 5 --quiet --json -
expect_json '
assert j["search"] == "simulation"
assert sum(j["best"]["settings"].values()) == 5
assert j["evaluated"] > 1
'

check "a path that does not exist: exit 2, did you mean" 2 \
    takt optimise "$TMP/line.yaml" --vary 'buffers.B9.capacity=0..3'
expect_contains stderr "no buffer 'B9'"
expect_contains stderr "did you mean"
check "a misspelt key: exit 2, did you mean" 2 \
    takt optimise "$TMP/line.yaml" --vary 'buffers.B1.capacty=0..3'
expect_contains stderr "did you mean 'capacity'"
check "'*' matching nothing: exit 2" 2 \
    takt optimise "$TMP/line.yaml" --vary 'resources.*.count=1..3'
expect_contains stderr "matches nothing"
check "an infeasible budget: exit 2, says the possible totals" 2 \
    takt optimise "$TMP/line.yaml" --vary 'buffers.*.capacity=0..8' --total 30
expect_contains stderr "between 0 and 24"
check "an unreachable target: exit 2, says the best reached" 2 \
    takt optimise "$TMP/line.yaml" --vary 'buffers.*.capacity=0..8' --objective min-total --target 'throughput>=100/h'
expect_match stderr 'no design reaches the target of 100/h: .*reaches [0-9.]+ ± '
check "a bad range: exit 2" 2 takt optimise "$TMP/line.yaml" --vary 'buffers.B1.capacity=5..2'
check "a bad target: exit 2" 2 takt optimise "$TMP/line.yaml" --vary 'buffers.B1.capacity=0..2' \
    --objective min-total --target 'speed>3'
check "no --vary: exit 2" 2 takt optimise "$TMP/line.yaml"
check "help optimise" 0 takt help optimise
expect_contains stdout "Usage: takt optimise FILE --vary"

finish
