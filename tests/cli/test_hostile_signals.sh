#!/bin/sh
# test_hostile_signals.sh — signals at every moment of a run (issue 10,
# items 8-10; docs/robustness.md, "Interruption"): SIGINT, SIGTERM, SIGHUP
# and SIGPIPE while the plant loads, while it simulates and while each
# report is written end takt within a second, with status 130, and leave
# nothing behind: no report, no temporary file, no run in the store.
#
#   TAKT=build/takt sh tests/cli/test_hostile_signals.sh
#
# A plant of 100,000 stations makes each phase last long enough to be hit:
# loading takes about a second, and writing the reports several seconds.
# Each moment is found by watching the run (its standard output, its
# temporary files), not by guessing times.

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_hostile_signals.sh || exit 1

TMP=$T_DIR
if [ -n "${TAKT_WRAPPER:-}" ]; then SLOW=${TAKT_SLOWDOWN:-50}; else SLOW=${TAKT_SLOWDOWN:-1}; fi
cd "$TMP" || exit 1

now_ms() { date +%s%3N; }

awk 'BEGIN { print "horizon: 10s"; print "warmup: 0s"; print "replications: 1"; print "stations:";
    for (i = 0; i < 100000; i++) printf "  - {name: S%d, cycle: 1s}\n", i }' >"$TMP/big.yaml"

# wait_for COND: poll (every 10 ms, up to 120 s) until the shell test COND
# holds; 1 if it never did or the run ended first.
wait_for() {
    _i=0
    while [ $_i -lt 12000 ]; do
        eval "$1" && return 0
        kill -0 "$_pid" 2>/dev/null || return 1
        sleep 0.01
        _i=$((_i + 1))
    done
    return 1
}

# interrupt SIGNAL MOMENT: run the big plant with every output (JSON,
# HTML, CSV, a new run store) into a fresh directory; at MOMENT send
# SIGNAL; print the status, the milliseconds to exit and what is left.
#   start    50 ms after the start (the first instructions of main)
#   load     0.3 s after the start (reading the plant)
#   text     once the text report has begun on standard output
#   json     once the JSON report's temporary file has content
#   html     once the HTML report's temporary file has content
interrupt() {
    _sig=$1
    _when=$2
    _d="$TMP/$_sig-$_when"
    rm -rf "$_d" "$_d.out"
    mkdir "$_d" || return 1
    # shellcheck disable=SC2086  # the wrapper is a command line
    $TAKT_WRAPPER "$TAKT" run "$TMP/big.yaml" --db "$_d/runs.db" --json "$_d/out.json" \
        --html "$_d/out.html" --csv "$_d/csv" >"$_d.out" 2>"$_d.err" &
    _pid=$!
    _hit=1
    case $_when in
        start) sleep 0.05 ;;
        load) sleep 0.3 ;;
        text) wait_for '[ -s "$_d.out" ]' || _hit=0 ;;
        json) wait_for '[ -n "$(find "$_d" -name "out.json.tmp.*" -size +1k)" ]' || _hit=0 ;;
        html) wait_for '[ -n "$(find "$_d" -name "out.html.tmp.*" -size +1k)" ]' || _hit=0 ;;
    esac
    kill -s "$_sig" "$_pid" 2>/dev/null || _hit=0
    _t0=$(now_ms)
    wait "$_pid"
    _st=$?
    _t1=$(now_ms)
    echo "status=$_st ms=$((_t1 - _t0)) hit=$_hit"
    cat "$_d.err" >&2
    echo "left:" $(cd "$_d" && find . -mindepth 1 | sort)
}

moment() {
    check "SIG$1 at $2: status 130 within a second, nothing left" 0 interrupt "$1" "$2"
    expect_match stdout 'hit=1$'
    expect_match stdout '^status=130 '
    ms=$(sed -n 's/^status=[0-9]* ms=\([0-9]*\) .*/\1/p' "$T_OUT")
    [ -n "$ms" ] && [ "$ms" -le $((1000 * SLOW)) ] ||
        fail_because "exit took ${ms:-?} ms after the signal (limit $((1000 * SLOW)) ms)"
    expect_contains stderr 'interrupted'
    expect_match stdout '^left:$'
}

moment INT start
moment TERM load
moment INT load
moment HUP load
moment INT text
moment TERM text
moment INT json
moment TERM html
moment HUP json
moment PIPE html

finish
