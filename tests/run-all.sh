#!/bin/sh
# run-all.sh BUILD_DIR — run every test of takt and give one verdict.
#
# Runs each cmocka test binary under BUILD_DIR/tests (unit, validation, ...),
# then every shell suite tests/*/test_*.sh against BUILD_DIR/takt.  Counts
# come from the suites' own summaries: cmocka's "[  PASSED  ] N test(s)." and
# "[  FAILED  ] N test(s)" lines, and the CLI suite's last line "N passed,
# N failed".  A suite that crashes, times out or exits non-zero without
# reporting a failure counts as one failed test, so that nothing breaks
# silently.  Output of a failing suite is shown; passing suites print one line.
#
# The last line is always "N passed, N failed"; the exit status is 0 only
# when nothing failed and at least one test ran.
#
# Each suite's line ends with its wall time in seconds.
#
# Environment: TAKT_TEST_TIMEOUT (seconds per suite, default 900);
# TAKT_SKIP, suite names as printed (e.g. "validation/test_theory
# cli/test_fit.sh") that are not run: each gets a "skipped" line, so the
# log says what did not run (make asan uses it, see the Makefile).

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
    echo "usage: sh tests/run-all.sh BUILD_DIR" >&2
    exit 2
fi

build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
limit=${TAKT_TEST_TIMEOUT:-900}
log=$(mktemp "${TMPDIR:-/tmp}/takt-test.XXXXXX") || exit 1
list=$(mktemp "${TMPDIR:-/tmp}/takt-test.XXXXXX") || exit 1
trap 'rm -f "$log" "$list"' EXIT
trap 'exit 130' INT TERM
unset CMOCKA_MESSAGE_OUTPUT CMOCKA_XML_FILE   # the parser expects the default format

total_passed=0
total_failed=0

if command -v timeout >/dev/null 2>&1; then
    with_timeout() { timeout "$limit" "$@"; }
else
    with_timeout() { "$@"; }
fi

# sum_matches ERE: the sum of the first number on each line of $log that
# matches ERE.
sum_matches() {
    grep -E "$1" "$log" | sed 's/[^0-9]*\([0-9][0-9]*\).*/\1/' |
        awk '{ s += $1 } END { print s + 0 }'
}

show_log() {
    sed 's/^/    | /' "$log" | tail -n 200
}

# record NAME PASSED FAILED STATUS
record() {
    total_passed=$((total_passed + $2))
    total_failed=$((total_failed + $3))
    printf '%-40s %s passed, %s failed' "$1" "$2" "$3"
    [ "$4" -ne 0 ] && printf ' (exit status %s)' "$4"
    printf ' [%s s]' "$(($(date +%s) - t_start))"
    printf '\n'
    [ "$3" -ne 0 ] && show_log
    return 0
}

# skipped NAME: whether TAKT_SKIP names the suite (and say so).
skipped() {
    case " ${TAKT_SKIP:-} " in
        *" $1 "*) printf '%-40s skipped (TAKT_SKIP)\n' "$1"; return 0 ;;
    esac
    return 1
}

run_cmocka() {
    name=${1#"$build"/tests/}
    skipped "$name" && return 0
    t_start=$(date +%s)
    with_timeout "$1" </dev/null >"$log" 2>&1
    status=$?
    passed=$(sum_matches '^\[  PASSED  \] [0-9]+ test\(s\)')
    failed=$(sum_matches '^\[  FAILED  \] [0-9]+ test\(s\)')
    if ! grep -Eq '^\[==========\] [0-9]+ test\(s\) run' "$log"; then
        echo "    (no cmocka summary: crashed, timed out or not a cmocka test)" >>"$log"
        failed=$((failed + 1))
    elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
        failed=1
    fi
    record "$name" "$passed" "$failed" "$status"
}

# run_script PATH: a shell suite (tests/*/test_*.sh) whose last line is
# "N passed, N failed"; it finds the program in $TAKT.
run_script() {
    name=${1#"$here"/}
    skipped "$name" && return 0
    t_start=$(date +%s)
    TAKT="$build/takt" TAKT_BUILD="$build" with_timeout sh "$1" </dev/null >"$log" 2>&1
    status=$?
    last=$(tail -n 1 "$log")
    if printf '%s\n' "$last" | grep -Eq '^[0-9]+ passed, [0-9]+ failed$'; then
        passed=${last%% *}
        failed=$(printf '%s\n' "$last" | sed 's/.*, \([0-9]*\) failed$/\1/')
        [ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
    else
        echo "    (no summary line: the suite crashed or timed out)" >>"$log"
        passed=0
        failed=1
    fi
    record "$name" "$passed" "$failed" "$status"
}

if [ -d "$build/tests" ]; then
    find "$build/tests" -type f -perm -u+x ! -name '*.o' ! -name '*.d' | sort >"$list"
    while IFS= read -r bin; do
        run_cmocka "$bin"
    done <"$list"
fi

if [ -x "$build/takt" ]; then
    # TAKT_SUITES (optional): a pattern of the shell suites to run, e.g. 'cli/*'
    for script in "$here"/${TAKT_SUITES:-*}/test_*.sh; do
        [ -f "$script" ] && run_script "$script"
    done
else
    printf '%-40s %s\n' "tests/*/test_*.sh" "no $build/takt: counted as 1 failed"
    total_failed=$((total_failed + 1))
fi

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ] && [ "$total_passed" -gt 0 ]
