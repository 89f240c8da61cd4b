# lib.sh — a tiny test framework for takt's command-line tests (POSIX sh).
#
#   . tests/cli/lib.sh
#   check "version prints the version" 0 takt --version
#   expect_stdout_match '^takt [0-9.]+$'
#   expect_stderr_empty
#   ...
#   finish                      # prints "N passed, N failed"; exit status
#
# `check NAME STATUS CMD...` starts a test: it runs CMD with stdout and
# stderr captured and compares its exit status with STATUS (a number, or
# "any").  The expect_* calls that follow add assertions to that test.  A
# test passes when all its assertions hold; a failing test is printed with
# the command, the reasons and the command's output.  Each test is counted
# once, whatever the number of its assertions.
#
# `takt ARGS...` runs "$TAKT" (default build/takt), under $TAKT_WRAPPER if
# set (e.g. TAKT_WRAPPER="valgrind -q --error-exitcode=99") and under a
# timeout of $TAKT_CLI_TIMEOUT seconds (default 120).
#
# Plain sh, no bash: the suite runs wherever `make test` runs.

T_PASSED=0
T_FAILED=0
T_NAME=""
T_WHY=""
T_CMD=""
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/takt-cli.XXXXXX") || exit 1
T_OUT="$T_DIR/.stdout"
T_ERR="$T_DIR/.stderr"
trap 'rm -rf "$T_DIR"' EXIT
trap 'exit 130' INT TERM

: "${TAKT:=build/takt}"
: "${TAKT_CLI_TIMEOUT:=120}"

takt() {
    if command -v timeout >/dev/null 2>&1; then
        # shellcheck disable=SC2086  # the wrapper is a command line
        timeout "$TAKT_CLI_TIMEOUT" $TAKT_WRAPPER "$TAKT" "$@"
    else
        # shellcheck disable=SC2086
        $TAKT_WRAPPER "$TAKT" "$@"
    fi
}

# fail_because TEXT: mark the current test failed with a reason.
fail_because() {
    T_WHY="$T_WHY
    - $1"
}

# Close the current test (if any) and count it.
end_test() {
    [ -n "$T_NAME" ] || return 0
    if [ -z "$T_WHY" ]; then
        T_PASSED=$((T_PASSED + 1))
    else
        T_FAILED=$((T_FAILED + 1))
        printf 'FAIL: %s\n  command: %s%s\n' "$T_NAME" "$T_CMD" "$T_WHY"
        show_stream stdout "$T_OUT"
        show_stream stderr "$T_ERR"
    fi
    T_NAME=""
}

show_stream() {
    if [ -s "$2" ]; then
        printf '  %s:\n' "$1"
        head -n 25 "$2" | sed 's/^/    | /'
        _t_n=$(wc -l <"$2")
        [ "$_t_n" -gt 25 ] && printf '    | ... (%s lines)\n' "$_t_n"
    else
        printf '  %s: (empty)\n' "$1"
    fi
    return 0
}

# check NAME STATUS CMD...
check() {
    end_test
    T_NAME=$1
    _t_want=$2
    shift 2
    T_WHY=""
    T_CMD="$*"
    "$@" </dev/null >"$T_OUT" 2>"$T_ERR"
    T_STATUS=$?
    if [ "$_t_want" != any ] && [ "$T_STATUS" -ne "$_t_want" ]; then
        fail_because "exit status $T_STATUS, expected $_t_want"
    fi
    return 0
}

# check_stdin NAME STATUS INPUT_FILE CMD...: as check, with stdin from a file.
check_stdin() {
    end_test
    T_NAME=$1
    _t_want=$2
    _t_input=$3
    shift 3
    T_WHY=""
    T_CMD="$* < $_t_input"
    "$@" <"$_t_input" >"$T_OUT" 2>"$T_ERR"
    T_STATUS=$?
    if [ "$_t_want" != any ] && [ "$T_STATUS" -ne "$_t_want" ]; then
        fail_because "exit status $T_STATUS, expected $_t_want"
    fi
    return 0
}

stream_file() {
    case "$1" in
        stdout) echo "$T_OUT" ;;
        stderr) echo "$T_ERR" ;;
        *) echo "$1" ;;
    esac
}

# expect_contains STREAM TEXT: STREAM (stdout, stderr or a file) contains
# TEXT literally, ignoring case.
expect_contains() {
    grep -Fqi -- "$2" "$(stream_file "$1")" ||
        fail_because "$1 does not contain '$2'"
}

# expect_match STREAM ERE: some line of STREAM matches the extended regex.
expect_match() {
    grep -Eq -- "$2" "$(stream_file "$1")" ||
        fail_because "no line of $1 matches /$2/"
}

# expect_no_match STREAM ERE: no line of STREAM matches.
expect_no_match() {
    ! grep -Eq -- "$2" "$(stream_file "$1")" ||
        fail_because "a line of $1 matches /$2/"
}

# expect_every_line STREAM ERE: STREAM is not empty and all its lines match.
expect_every_line() {
    _t_f=$(stream_file "$1")
    if [ ! -s "$_t_f" ]; then
        fail_because "$1 is empty, expected lines matching /$2/"
    elif grep -Evq -- "$2" "$_t_f"; then
        fail_because "a line of $1 does not match /$2/: $(grep -Ev -- "$2" "$_t_f" | head -n 1)"
    fi
}

# expect_is STREAM TEXT: STREAM is exactly TEXT plus a newline.
expect_is() {
    printf '%s\n' "$2" | cmp -s - "$(stream_file "$1")" ||
        fail_because "$1 is not exactly '$2'"
}

expect_empty() {
    [ ! -s "$(stream_file "$1")" ] || fail_because "$1 is not empty"
}

expect_nonempty() {
    [ -s "$(stream_file "$1")" ] || fail_because "$1 is empty"
}

# expect_lines STREAM OP N: the number of lines compares (-eq, -ge, ...) to N.
expect_lines() {
    _t_n=$(wc -l <"$(stream_file "$1")")
    test "$_t_n" "$2" "$3" || fail_because "$1 has $_t_n lines, expected $2 $3"
}

# expect_same FILE1 FILE2: identical bytes.
expect_same() {
    cmp -s "$1" "$2" || fail_because "$(basename "$1") and $(basename "$2") differ"
}

expect_differ() {
    ! cmp -s "$1" "$2" || fail_because "$(basename "$1") and $(basename "$2") are identical"
}

# expect_json [FILE] CODE: FILE (default: stdout) is strict JSON (no NaN or
# Infinity) and the Python CODE, run with the document in `j`, raises
# nothing.  Use `assert COND, MESSAGE`.
expect_json() {
    if [ $# -ge 2 ]; then _t_f=$(stream_file "$1"); shift; else _t_f=$T_OUT; fi
    _t_why=$(python3 - "$_t_f" "$1" 2>&1 <<'PY'
import json, math, sys
def reject(name):
    raise ValueError("not JSON: " + name)
try:
    with open(sys.argv[1], encoding="utf-8") as fh:
        j = json.load(fh, parse_constant=reject)
except Exception as e:
    print("invalid JSON: %s" % e)
    sys.exit(1)
try:
    exec(sys.argv[2], {"j": j, "math": math})
except AssertionError as e:
    print("assertion failed: %s" % (e if str(e) else sys.argv[2].strip().splitlines()[0]))
    sys.exit(1)
except Exception as e:
    print("%s: %s" % (type(e).__name__, e))
    sys.exit(1)
PY
    ) || fail_because "JSON check: $_t_why"
}

# expect_true DESCRIPTION CMD...: CMD succeeds.
expect_true() {
    _t_desc=$1
    shift
    "$@" >/dev/null 2>&1 || fail_because "$_t_desc"
}

# finish: close the last test, print the summary line, exit 0 when all passed.
finish() {
    end_test
    echo "$T_PASSED passed, $T_FAILED failed"
    [ "$T_FAILED" -eq 0 ] && [ "$T_PASSED" -gt 0 ]
    exit $?
}

# find_takt NAME: resolve $TAKT (default: build/takt of this checkout) to an
# absolute path; when it is not an executable, print why and the summary
# line of a failed suite, and return 1.
find_takt() {
    _root=$(cd "$(dirname "$0")/../.." && pwd)
    if [ -z "${TAKT:-}" ] || [ "$TAKT" = build/takt ]; then TAKT="$_root/build/takt"; fi
    case "$TAKT" in /*) ;; *) TAKT="$(pwd)/$TAKT" ;; esac
    if [ ! -x "$TAKT" ]; then
        echo "$1: no executable $TAKT (build it first)" >&2
        echo "0 passed, 1 failed"
        return 1
    fi
}
