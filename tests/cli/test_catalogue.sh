#!/bin/sh
# test_catalogue.sh — a guard: the reporters, the sweep's tables and the
# run store name no station state and no headline figure themselves; they
# take every name from the results catalogue (src/exp/catalogue.c).  A
# string literal in them that is exactly a state's or a figure's key or
# label, or a column made of one (<key>_mean, <key>_ci95), is a second
# definition that would drift when the catalogue changes.
#
#   TAKT=build/takt sh tests/cli/test_catalogue.sh
#
# The names are read from catalogue.c itself; the guard is also run on a
# file holding a stray name, to show that it would catch one.

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_catalogue.sh || exit 1
TMP=$T_DIR
CAT="$root/src/exp/catalogue.c"

# The first two strings (key, label) of each row of a table of catalogue.c.
names_of() {
    awk -v table="$1" '
        index($0, table) && /=/ { inside = 1; next }
        inside && /^};/ { inside = 0 }
        inside && /"/ {
            line = $0; n = 0
            while (n < 2 && match(line, /"[^"]*"/)) {
                print substr(line, RSTART + 1, RLENGTH - 2)
                line = substr(line, RSTART + RLENGTH); n++
            }
        }' "$CAT"
}

# Keys and labels of the headline figures (and the JSON group and member
# names of those that sit in a group, from the rows' second lines).
headline_names() { names_of "catalogue_headline[]" | sort -u; }

state_names() { names_of "catalogue_states[]" | grep -v '^#' | sort -u; }

# stray FILE...: print every line holding a catalogue name as a literal.
stray() {
    { state_names; headline_names; } | sort -u >"$TMP/names"
    while IFS= read -r name; do
        [ -n "$name" ] || continue
        grep -nF -e "\"$name\"" -e "${name}_mean" -e "${name}_ci95" "$@" /dev/null | sed "s|^|[$name] |"
    done <"$TMP/names"
}

OUTPUT_SIDE=$(cd "$root" && ls src/io/report*.c src/io/store*.c src/io/svg*.c src/io/fmt.c \
                               src/cli/cmd_sweep.c src/cli/cmd_store.c src/exp/summary*.c 2>/dev/null)

check "the catalogue's names are read from catalogue.c" 0 true
n_states=$(state_names | wc -l)
n_head=$(headline_names | wc -l)
[ "$n_states" -ge 6 ] || fail_because "found only $n_states state names in $CAT"
[ "$n_head" -ge 10 ] || fail_because "found only $n_head headline names in $CAT"
state_names | grep -qx off_shift || fail_because "the state off_shift was not found"
state_names | grep -qx "off shift" || fail_because "the label 'off shift' was not found"
headline_names | grep -qx throughput_per_hour || fail_because "throughput_per_hour was not found"

check "no reporter, sweep table or store names a state or headline figure" 0 true
(cd "$root" && stray $OUTPUT_SIDE) >"$TMP/stray"
[ -s "$TMP/stray" ] && fail_because "names outside the catalogue:
$(cat "$TMP/stray")"

check "the guard catches a stray name" 0 true
printf 'static const char *h = "off shift";\nstatic const char *c = "SELECT working_mean";\n' >"$TMP/bad.c"
stray "$TMP/bad.c" >"$TMP/caught"
grep -q '\[off shift\]' "$TMP/caught" || fail_because "a stray label was not caught"
grep -q '\[working\]' "$TMP/caught" || fail_because "a stray column was not caught"

finish
