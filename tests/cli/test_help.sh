#!/bin/sh
# test_help.sh — the command line is consistent, and the manual page says
# what the help says.
#
#   TAKT=build/takt sh tests/cli/test_help.sh
#
# For every command that `takt --help` lists: `takt help CMD` and
# `takt CMD --help` (and -h) print the same text, exit 0 and write nothing
# on stderr; the unknown-command message names every command.  Then
# docs/takt.1 against the help: the same commands, and for each command
# the same set of options (--name), both ways.  Finally `man -l` renders
# the page without a warning (man-db is installed by scripts/install-deps).

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_help.sh || exit 1
MAN="$root/docs/takt.1"
TMP=$T_DIR
cd "$TMP" || exit 1

# The commands, as `takt help` lists them ("  takt NAME ...").
takt help >"$TMP/help" 2>&1
commands=$(sed -n 's/^  takt \([a-z][a-z-]*\).*/\1/p' "$TMP/help" | grep -v -x -e help -e version | sort -u)

check "takt --help lists the commands" 0 test -n "$commands"

# options FILE: the --options a text names, one a line, sorted.
options() {
    sed 's/\\-/-/g' "$1" | grep -oE -- '--[a-z][a-z-]*' | sort -u
}

for c in $commands; do
    takt help "$c" >"$TMP/h-$c" 2>/dev/null
    check "takt help $c prints its usage" 0 takt help "$c"
    expect_match stdout "^Usage: takt $c"
    expect_empty stderr
    for flag in --help -h; do
        check "takt $c $flag is takt help $c" 0 takt "$c" "$flag"
        expect_same "$T_OUT" "$TMP/h-$c"
        expect_empty stderr
    done

    # The man page's section of this command: from its .SS line to the next.
    awk -v c="$c" '/^\.SS/ { on = ($0 ~ "^\\.SS \"takt " c "[ \"]") ; next } on' "$MAN" >"$TMP/m-$c"
    check "docs/takt.1 has a section for $c" 0 test -s "$TMP/m-$c"
    options "$TMP/h-$c" | grep -v -x -e --help >"$TMP/ho-$c"
    options "$TMP/m-$c" >"$TMP/mo-$c"
    check "docs/takt.1 and takt help $c name the same options" 0 \
        diff "$TMP/ho-$c" "$TMP/mo-$c"
done

# Every command the man page documents is a command of takt.
sed -n 's/^\.SS "takt \([a-z][a-z-]*\).*/\1/p' "$MAN" | grep -v -x -e help -e version | sort -u >"$TMP/man-commands"
printf '%s\n' $commands | sort -u >"$TMP/help-commands"
check "docs/takt.1 documents exactly the commands of takt --help" 0 diff "$TMP/help-commands" "$TMP/man-commands"

check "the unknown-command message names every command" 2 takt frobnicate
for c in $commands help version; do expect_contains stderr "$c"; done
expect_empty stdout

check "takt help with an unknown command is a usage error" 2 takt help frobnicate
expect_contains stderr "frobnicate"

check "takt --help prints the general help, then the options of run" 0 takt --help
expect_true "it starts with takt help's text" sh -c 'head -c "$(wc -c <"$1")" "$2" | cmp -s - "$1"' sh "$TMP/help" "$T_OUT"
expect_contains stdout "Usage: takt run"
check "takt -h is takt --help" 0 takt -h
expect_contains stdout "Usage: takt run"

check "man -l renders docs/takt.1 without a warning" 0 \
    sh -c 'MANWIDTH=80 man --warnings -l "$1" | col -b' sh "$MAN"
expect_empty stderr
expect_contains stdout "takt run"
expect_contains stdout "EXIT STATUS"

finish
