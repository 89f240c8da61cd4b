#!/bin/sh
# test_hostile_plants.sh — plants that are valid YAML but absurd (issue 10,
# items 14-17; docs/robustness.md, "Limits" and "Runs that do not
# advance"): durations below the time resolution, demand no plant could
# meet, huge batches, and plants nothing can enter.  Each is refused by
# `takt check` at its line and column, or stopped by the run with a
# message, within seconds; an interrupt acts within a second in a plant of
# large batches.
#
#   TAKT=build/takt sh tests/cli/test_hostile_plants.sh

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_hostile_plants.sh || exit 1

TMP=$T_DIR
if [ -n "${TAKT_WRAPPER:-}" ]; then SLOW=${TAKT_SLOWDOWN:-50}; else SLOW=${TAKT_SLOWDOWN:-1}; fi
cd "$TMP" || exit 1

now_ms() { date +%s%3N; }

# refused NAME POS PHRASE: `takt check plant.yaml` refuses with status 2,
# one message at POS (LINE:COL) containing PHRASE.
refused() {
    check "refused: $1" 2 takt check "$TMP/plant.yaml"
    expect_empty stdout
    expect_match stderr "^$TMP/plant.yaml:$2: .*$3"
}

# ------------------------------------------------- 14. durations below 1 us

printf 'horizon: 1h\nstations:\n  - {name: M, cycle: 1e-300s}\n' >"$TMP/plant.yaml"
refused "cycle: 1e-300s" 3:22 'resolution'
printf 'horizon: 1h\nstations:\n  - name: M\n    cycle: "normal(0s, 1e-300s)"\n' >"$TMP/plant.yaml"
refused "cycle: normal(0s, 1e-300s)" 4:12 'resolution'
printf 'horizon: 1h\nstations:\n  - name: M\n    cycle: 1s\n    failures:\n      - {ttf: exp(1h), ttr: 1e-10h}\n' >"$TMP/plant.yaml"
refused "ttr: 1e-10h" 6:29 'resolution'
check "sweep --set stations.M.cycle=1e-300s is refused" 2 \
    takt sweep "$TMP/plant.yaml" --no-db --set 'stations.M.cycle=1s,1e-300s'
expect_contains stderr 'resolution'

# ------------------------------------------------- 15. demand

printf 'horizon: 100h\nstations:\n  - {name: M, cycle: 1h}\ndemand: {orders: [{per_day: 1e12}]}\n' >"$TMP/plant.yaml"
refused "per_day: 1e12" 4:19 '1,000,000 orders a day'
# the largest rate allowed, against a plant that makes 24 cars a day: the
# order book reaches its cap and the run says so (instead of 2 GB)
printf 'horizon: 100d\nwarmup: 0s\nreplications: 1\nstations:\n  - {name: M, cycle: 1h}\ndemand: {orders: [{per_day: 1e6}]}\n' >"$TMP/plant.yaml"
t0=$(now_ms)
check "an order book past its cap stops the run" 2 takt run "$TMP/plant.yaml" --no-db --quiet --threads 1
t1=$(now_ms)
expect_contains stderr 'open customer orders'
[ $((t1 - t0)) -le $((60000 * SLOW)) ] || fail_because "took $((t1 - t0)) ms"

# ------------------------------------------------- 16. batches

printf 'horizon: 1h\nstations:\n  - {name: Oven, cycle: 1s, servers: 10000, batch: 10000}\n' >"$TMP/plant.yaml"
refused "servers: 10000, batch: 10000" 3:5 'limit 1000000'

# Ctrl-C in a plant of 100 ovens of 10,000 parts: within a second
printf 'horizon: 1000h\nwarmup: 0s\nreplications: 1\nstations:\n  - {name: Oven, cycle: 1s, servers: 100, batch: 10000}\n' >"$TMP/ovens.yaml"
batch_interrupt() {
    # shellcheck disable=SC2086
    $TAKT_WRAPPER "$TAKT" run "$TMP/ovens.yaml" --no-db --quiet --json "$TMP/ovens.json" >/dev/null 2>"$TMP/ovens.err" &
    _pid=$!
    sleep $((1 * (SLOW > 1 ? 5 : 1)))
    kill -s INT "$_pid"
    _t0=$(now_ms)
    wait "$_pid"
    _st=$?
    _t1=$(now_ms)
    echo "status=$_st ms=$((_t1 - _t0))"
}
check "SIGINT in a plant of large batches acts within a second" 0 batch_interrupt
expect_match stdout '^status=130 '
ms=$(sed -n 's/^status=[0-9]* ms=\([0-9]*\)$/\1/p' "$T_OUT")
[ -n "$ms" ] && [ "$ms" -le $((1000 * SLOW)) ] || fail_because "exit took ${ms:-?} ms after the signal"
[ ! -e "$TMP/ovens.json" ] || fail_because "ovens.json was written"

# ------------------------------------------------- 17. nothing can enter

cat >"$TMP/plant.yaml" <<'EOF'
horizon: 10h
stations:
  - {name: A, cycle: 1min}
  - {name: B, cycle: 1min}
  - {name: C, cycle: 1min}
buffers:
  - {name: AB, from: A, to: B, capacity: 2}
  - {name: BA, from: B, to: A, capacity: 2}
  - {name: BC, from: B, to: C, capacity: 2}
EOF
refused "every station has an input, no source" 3:5 "nothing can ever enter.*'A'.*closed loop"
check "run refuses it too, before simulating" 2 takt run "$TMP/plant.yaml" --no-db --quiet
expect_empty stdout
printf 'sources:\n  - {name: In, to: A, interarrival: exp(2min)}\n' >>"$TMP/plant.yaml"
check "the same plant with a source is accepted" 0 takt check "$TMP/plant.yaml"

finish
