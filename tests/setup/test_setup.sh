#!/bin/sh
# test_setup.sh — the build follows its configuration, prints one short
# line per file, and scripts/install-deps waits for apt's lock.
#
#   sh tests/setup/test_setup.sh
#
# The build tests compile one file of the library into a temporary build
# directory (never build/): after a build, `make -q` says it is up to date;
# after a change of what the build depends on (MPI, CFLAGS, CC) it says it
# is not, and the rebuild happens.  The lock tests hold dpkg's frontend
# lock from python3 (a POSIX record lock, as apt's own) and need root, as
# installing packages does; without root they count as failed, never as
# passed.

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$root/tests/cli/lib.sh"

TMP=$T_DIR
B="$TMP/b"
OBJ="$B/src/core/heap.o"
mk() { make --no-print-directory -C "$root" BUILD="$B" "$@"; }

# ---------------------------------------------------------------- build

check "make prints one short line per file" 0 mk MPI=0 "$OBJ"
expect_every_line stdout '^  [A-Z]+ +[^ ]+$'
expect_contains stdout "CC   src/core/heap.c"

check "the object is up to date afterwards" 0 mk MPI=0 -q "$OBJ"

check "another CFLAGS makes it out of date" 1 mk MPI=0 CFLAGS="-O1 -g" -q "$OBJ"

check "make V=1 prints the whole command line" 0 mk MPI=0 CFLAGS="-O1 -g" V=1 "$OBJ"
expect_match stdout '(^| )-c src/core/heap\.c -o '
expect_contains stdout "-O1 -g"

check "the rebuilt object is up to date under its flags" 0 mk MPI=0 CFLAGS="-O1 -g" -q "$OBJ"

check "another compiler makes it out of date" 1 mk MPI=0 CFLAGS="-O1 -g" CC="cc -DTAKT_OTHER_CC" -q "$OBJ"

if pkg-config --exists ompi-c 2>/dev/null; then
    mk MPI=0 "$OBJ" >/dev/null 2>&1
    check "Open MPI installed: the default build is out of date after MPI=0" 1 mk -q "$OBJ"
    check "and the default build uses MPI" 0 grep -q 'MPI=1 auto' "$B/config"
else
    check "Open MPI (ompi-c) is installed, as scripts/install-deps makes it" 0 false
fi

# ---------------------------------------------------------------- apt's lock

LOCK=/var/lib/dpkg/lock-frontend
# hold SECONDS: hold dpkg's frontend lock for SECONDS in the background.
hold() {
    /usr/bin/python3 -c '
import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.lockf(f, fcntl.LOCK_EX)
open(sys.argv[3], "w").close()
time.sleep(float(sys.argv[2]))' "$LOCK" "$1" "$TMP/held" &
    HOLDER=$!
    i=0
    while [ ! -f "$TMP/held" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}

if [ "$(id -u)" != 0 ]; then
    check "the lock tests need root (as installing packages does)" 0 false
else
    rm -f "$TMP/held"
    hold 4
    t0=$(date +%s)
    check "install-deps waits while another process holds apt's lock" 0 \
        env TAKT_APT_WAIT=60 sh "$root/scripts/install-deps" --wait-lock
    t1=$(date +%s)
    [ $((t1 - t0)) -ge 2 ] || fail_because "returned after $((t1 - t0)) s, while the lock was held for 4 s"
    expect_contains stderr "waiting"
    expect_lines stderr -eq 1
    wait "$HOLDER"

    rm -f "$TMP/held"
    hold 8
    check "install-deps gives up with a message after TAKT_APT_WAIT" 1 \
        env TAKT_APT_WAIT=2 sh "$root/scripts/install-deps" --wait-lock
    expect_contains stderr "still busy"
    expect_no_match stdout .
    wait "$HOLDER"

    check "install-deps --wait-lock returns at once when apt is free" 0 \
        sh "$root/scripts/install-deps" --wait-lock
    expect_empty stderr
fi

check "install-deps --list names python3 and every build package" 0 sh "$root/scripts/install-deps" --list
for p in build-essential pkg-config libyaml-dev libsqlite3-dev libcmocka-dev python3 openmpi-bin chromium; do
    expect_contains stdout "$p"
done

finish
