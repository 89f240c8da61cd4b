#!/bin/sh
# test_hostile_out.sh — output files under hostile conditions (issue 10,
# items 1-7; docs/robustness.md, "Output files"): devices and other
# special files, outputs that are the plant or each other, standard output
# that cannot be written, paths refused before simulating, long names,
# file modes, and the numbers on the command line.
#
#   TAKT=build/takt sh tests/cli/test_hostile_out.sh
#
# Some cases need root (device nodes made with mknod, another user through
# setpriv and the existing 'nobody' user); the suite runs as root here and
# in CI.  Without root, the device cases use /dev/null and /dev/full
# themselves (which only root could replace) and the other-user case is
# not run.

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_hostile_out.sh || exit 1

TWO="$root/scenarios/two-machines.yaml"
TMP=$T_DIR
if [ -n "${TAKT_WRAPPER:-}" ]; then SLOW=${TAKT_SLOWDOWN:-50}; else SLOW=${TAKT_SLOWDOWN:-1}; fi
cd "$TMP" || exit 1
ROOT=
[ "$(id -u)" = 0 ] && ROOT=1

now_ms() { date +%s%3N; }

expect_no_tmp() {
    _n=$(find "${1:-$TMP}" -name '*.tmp.*' | wc -l)
    [ "$_n" -eq 0 ] || fail_because "temporary files left behind: $(find "${1:-$TMP}" -name '*.tmp.*' | head -n 3)"
}

# quick: a short run of the two-machine line, no store, no chatter.
Q="--no-db --quiet --replications 2 --horizon 10h"

# refused_early NAME ARGS...: refused with status 2 before simulating.  The
# run asked for (2,000,000 h x 1,000 replications) would take about 15
# minutes on two cores, so a refusal that came after simulating would meet
# the 30-second limit on the command (a guard 30 times short of the run,
# not a measure of speed) and fail.
refused_early() {
    _name=$1
    shift
    _save=$TAKT_CLI_TIMEOUT
    TAKT_CLI_TIMEOUT=$((30 * SLOW))
    check "$_name" 2 takt run "${PLANT:-$TWO}" --quiet --horizon 2000000h --replications 1000 "$@"
    TAKT_CLI_TIMEOUT=$_save
    expect_empty stdout
    expect_nonempty stderr
    expect_no_tmp
}

# ------------------------------------------------- 1. devices and special files

if [ -n "$ROOT" ] && mknod "$TMP/null" c 1 3 2>/dev/null && mknod "$TMP/full" c 1 7 2>/dev/null; then
    NULLDEV="$TMP/null"; FULLDEV="$TMP/full"
else
    NULLDEV=/dev/null; FULLDEV=/dev/full
fi
# shellcheck disable=SC2086
check "--json to a null device writes into it" 0 takt run "$TWO" $Q --json "$NULLDEV"
[ -c "$NULLDEV" ] || fail_because "$NULLDEV is no longer a character device"
expect_no_tmp
# shellcheck disable=SC2086
check "--html to a full device fails with status 1" 1 takt run "$TWO" $Q --html "$FULLDEV"
expect_contains stderr "No space left"
[ -c "$FULLDEV" ] || fail_because "$FULLDEV is no longer a character device"
expect_no_tmp

mkfifo "$TMP/fifo"
timeout $((60 * SLOW)) cat "$TMP/fifo" >"$TMP/from-fifo.json" &
reader=$!
# shellcheck disable=SC2086
check "--json into a FIFO" 0 takt run "$TWO" $Q --json "$TMP/fifo"
wait "$reader"
[ -p "$TMP/fifo" ] || fail_because "the FIFO was replaced"
expect_json "$TMP/from-fifo.json" 'assert j["replications"] == 2'
expect_no_tmp

python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$TMP/sock" 2>/dev/null
if [ -S "$TMP/sock" ]; then
    refused_early "--json to a socket is refused" --no-db --json "$TMP/sock"
    expect_contains stderr "socket"
    [ -S "$TMP/sock" ] || fail_because "the socket was replaced"
fi

# /dev/stdout when standard output is a regular file: the report goes
# through it, and the file stays the shell's (not replaced behind it).
# The test names /dev/stdout through a link of its own, so that a takt
# that renames over the name it is given damages only the test directory.
ln -s /dev/stdout "$TMP/stdout-link"
# shellcheck disable=SC2086
check "--json /dev/stdout with stdout a file" 0 \
    sh -c 'exec "$0" run "$1" --no-db --quiet --replications 2 --horizon 10h --json "$3" >"$2"' \
    "$TAKT" "$TWO" "$TMP/stdout.txt" "$TMP/stdout-link"
expect_contains "$TMP/stdout.txt" '"replications": 2'
expect_contains "$TMP/stdout.txt" 'throughput'
[ -L "$TMP/stdout-link" ] || fail_because "the link to /dev/stdout was replaced"
expect_no_tmp "$TMP"

# ------------------------------------------------- 2. outputs that are inputs or each other

cp "$TWO" "$TMP/p.yaml"
cp "$TWO" "$TMP/p.orig"
PLANT="$TMP/p.yaml" refused_early "--json over the plant file is refused" --db "$TMP/s.db" --json "$TMP/p.yaml"
expect_contains stderr "plant"
expect_same "$TMP/p.yaml" "$TMP/p.orig"
[ ! -e "$TMP/s.db" ] || fail_because "the store was created"
ln "$TMP/p.yaml" "$TMP/hard.json"
ln -s "$TMP/p.yaml" "$TMP/soft.html"
check "--json over a hard link of the plant is refused" 2 takt run "$TMP/p.yaml" $Q --json "$TMP/hard.json"
expect_same "$TMP/p.yaml" "$TMP/p.orig"
check "--html over a symbolic link to the plant is refused" 2 takt run "$TMP/p.yaml" $Q --html "$TMP/soft.html"
expect_same "$TMP/p.yaml" "$TMP/p.orig"
check "--json and --html the same file are refused" 2 takt run "$TWO" $Q --json "$TMP/same.out" --html "$TMP/./same.out"
expect_contains stderr "same file"
[ ! -e "$TMP/same.out" ] || fail_because "same.out was written"
refused_early "--db equal to --json is refused" --db "$TMP/x.json" --json "$TMP/x.json"
[ ! -e "$TMP/x.json" ] || fail_because "x.json was written"
refused_early "--db equal to the plant is refused" --db "$TWO"
check "sweep: --json over the plant file is refused" 2 \
    takt sweep "$TMP/p.yaml" --set horizon=10h,20h --no-db --json "$TMP/p.yaml"
expect_same "$TMP/p.yaml" "$TMP/p.orig"
check "estimate: --json over a hard link of the plant is refused" 2 \
    takt estimate "$TMP/p.yaml" --json "$TMP/hard.json"
expect_contains stderr "plant"
expect_same "$TMP/p.yaml" "$TMP/p.orig"
check "improve: --json over the plant file is refused before simulating" 2 \
    takt improve "$TMP/p.yaml" --replications 2 --json "$TMP/./p.yaml"
expect_contains stderr "plant"
expect_same "$TMP/p.yaml" "$TMP/p.orig"

# The store hashes the bytes that were loaded: a plant read from a FIFO
# cannot be read twice (a second read would find nothing, or wait).
mkfifo "$TMP/plant.fifo"
timeout $((60 * SLOW)) sh -c 'cat "$0" >"$1"' "$TWO" "$TMP/plant.fifo" &
writer=$!
save=$TAKT_CLI_TIMEOUT; TAKT_CLI_TIMEOUT=$((60 * SLOW))
check "the store hashes the bytes loaded (plant from a FIFO)" 0 \
    takt run "$TMP/plant.fifo" --quiet --replications 2 --horizon 10h --db "$TMP/hash.db"
TAKT_CLI_TIMEOUT=$save
wait "$writer"
want=$(sha256sum "$TWO" | cut -d' ' -f1)
got=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select plant_hash from runs").fetchone()[0])' "$TMP/hash.db" 2>&1)
[ "$got" = "$want" ] || fail_because "recorded hash $got, expected $want"

# ------------------------------------------------- 3. standard output that cannot be written

if [ -w /dev/full ]; then
    mk_store() { "$TAKT" run "$TWO" --quiet --replications 2 --horizon 10h --db "$TMP/out.db" >/dev/null; }
    mk_store
    mk_store
    stdout_full() {
        _name=$1
        shift
        check "stdout full: $_name" 1 sh -c 'exec "$@" >/dev/full' sh "$TAKT" "$@"
        expect_match stderr "standard output|'-'"
    }
    stdout_full "run" run "$TWO" $Q
    stdout_full "run --json -" run "$TWO" $Q --json -
    expect_contains stderr "No space left"
    stdout_full "check" check "$TWO"
    stdout_full "runs" runs --db "$TMP/out.db"
    stdout_full "show" show 1 --db "$TMP/out.db"
    stdout_full "compare" compare 1 2 --db "$TMP/out.db"
    stdout_full "sweep" sweep "$TWO" --set horizon=10h,20h --no-db --quiet --replications 2
    stdout_full "--help" --help
    stdout_full "--version" --version
    stdout_full "help run" help run
    check "stdout full: run writes no file and records no run" 1 \
        sh -c 'exec "$0" run "$1" --quiet --replications 2 --horizon 10h --db "$2" --json "$3" >/dev/full' \
        "$TAKT" "$TWO" "$TMP/none.db" "$TMP/none.json"
    [ ! -e "$TMP/none.json" ] || fail_because "none.json was written"
    [ ! -e "$TMP/none.db" ] || fail_because "the run was recorded"
    expect_no_tmp
fi
check "stdout closed: --version" 1 sh -c 'exec "$0" --version >&-' "$TAKT"
check "stdout closed: run" 1 sh -c 'exec "$0" run "$1" --no-db --quiet --replications 2 --horizon 10h --json "$2" >&-' \
    "$TAKT" "$TWO" "$TMP/closed.json"
[ ! -e "$TMP/closed.json" ] || fail_because "closed.json was written"
expect_no_tmp

# takt run big.yaml | head: SIGPIPE while the text report is written
awk 'BEGIN { print "horizon: 1h"; print "stations:";
    for (i = 0; i < 3000; i++) printf "  - {name: S%d, cycle: 1s}\n", i }' >"$TMP/big.yaml"
check "run | head leaves no file behind (SIGPIPE)" 0 \
    sh -c '{ "$0" run "$1" --no-db --quiet --replications 1 --json "$2"; echo $? >"$3"; } | head -c 100 >/dev/null' \
    "$TAKT" "$TMP/big.yaml" "$TMP/piped.json" "$TMP/piped.status"
[ "$(cat "$TMP/piped.status")" = 130 ] || fail_because "status $(cat "$TMP/piped.status"), expected 130"
[ ! -e "$TMP/piped.json" ] || fail_because "piped.json was written"
expect_no_tmp

# ------------------------------------------------- 4. output problems found before simulating

refused_early "--json ''" --no-db --json ''
refused_early "--json=" --no-db --json=
refused_early "--html ''" --no-db --html ''
refused_early "--db DIR" --db "$TMP"
expect_contains stderr "directory"
refused_early "--db ''" --db ''
refused_early "--db /proc/version" --db /proc/version
refused_early "--db a FIFO" --db "$TMP/fifo"
if [ -n "$ROOT" ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
    # a sticky directory (like /tmp) holding a file of another user: the
    # final rename could not replace it
    mkdir "$TMP/sticky"
    chmod 1777 "$TMP/sticky"
    chmod 755 "$TMP"
    echo keep >"$TMP/sticky/theirs.json"
    chmod 666 "$TMP/sticky/theirs.json"
    cp "$TWO" "$TMP/sticky/p.yaml"
    chmod 644 "$TMP/sticky/p.yaml"
    check "a file of another user in a sticky directory is refused before simulating" 2 \
        setpriv --reuid=nobody --regid=nogroup --clear-groups "$TAKT" run "$TMP/sticky/p.yaml" --no-db \
        --quiet --horizon 2000000h --replications 1000 --json "$TMP/sticky/theirs.json"
    expect_contains stderr "sticky"
    [ "$(cat "$TMP/sticky/theirs.json")" = keep ] || fail_because "theirs.json changed"
    expect_no_tmp "$TMP/sticky"
fi

# ------------------------------------------------- 5. long names

long=$(printf '%0250d' 0 | tr 0 n)
# shellcheck disable=SC2086
check "a 255-byte file name is written" 0 takt run "$TWO" $Q --json "$TMP/$long.json"
expect_json "$TMP/$long.json" 'assert j["replications"] == 2'
long255=$(printf '%0255d' 0 | tr 0 m)
# shellcheck disable=SC2086
mkdir "$TMP/$long255"
check "255-byte names: a CSV directory, and a file in a 255-byte directory" 0 \
    takt run "$TWO" $Q --csv "$TMP/$long255/$long255" --html "$TMP/$long255/$(printf '%0255d' 0 | tr 0 h)"
[ -s "$TMP/$long255/$long255/kpis.csv" ] || fail_because "kpis.csv missing"
[ -s "$TMP/$long255/$(printf '%0255d' 0 | tr 0 h)" ] || fail_because "the HTML report is missing"
expect_no_tmp

# ------------------------------------------------- 6. modes

check "every output file is 0666 less the umask" 0 \
    sh -c 'umask 022 && exec "$0" run "$1" --no-db --quiet --replications 2 --horizon 10h --json "$2/m.json" --html "$2/m.html" --csv "$2/mcsv"' \
    "$TAKT" "$TWO" "$TMP"
for f in m.json m.html mcsv/kpis.csv mcsv/stations.csv mcsv/buffers.csv; do
    mode=$(stat -c %a "$TMP/$f" 2>/dev/null)
    [ "$mode" = 644 ] || fail_because "$f has mode ${mode:-?}, expected 644 under umask 022"
done
check "sweep files too" 0 \
    sh -c 'umask 027 && exec "$0" sweep "$1" --set horizon=10h,20h --no-db --quiet --replications 2 --json "$2/s.json" --csv "$2/s.csv"' \
    "$TAKT" "$TWO" "$TMP"
for f in s.json s.csv; do
    mode=$(stat -c %a "$TMP/$f" 2>/dev/null)
    [ "$mode" = 640 ] || fail_because "$f has mode ${mode:-?}, expected 640 under umask 027"
done

# ------------------------------------------------- 7. numbers on the command line

bad_number() {
    check "refused: $1 '$2'" 2 takt run "$TWO" --no-db --quiet --horizon 10h "$1" "$2"
    expect_empty stdout
    expect_contains stderr "whole number"
}
bad_number --seed ' -1'
bad_number --seed -1
bad_number --seed '+1'
bad_number --seed ' 1'
bad_number --seed '1 '
bad_number --seed 18446744073709551616
bad_number --seed 0x10
bad_number --replications ' 5'
bad_number --replications '+2'
bad_number --replications 5e0
bad_number --threads ' 2'
bad_number --threads 02x
check "refused: sweep --seed ' 1'" 2 takt sweep "$TWO" --set horizon=10h,20h --no-db --seed ' 1'
check "refused: show ' 1'" 2 takt show ' 1' --db "$TMP/out.db"
check "refused: show +1" 2 takt show +1 --db "$TMP/out.db"
# shellcheck disable=SC2086
check "accepted: --seed 18446744073709551615" 0 takt run "$TWO" $Q --seed 18446744073709551615 --json -
expect_json 'assert j["seed"] == 18446744073709551615, j["seed"]'
# shellcheck disable=SC2086
check "accepted: --seed 007" 0 takt run "$TWO" $Q --seed 007 --json -
expect_json 'assert j["seed"] == 7, j["seed"]'

finish
