#!/bin/sh
# test_api.sh — the library as an embedder gets it: `make install` into a
# temporary PREFIX, then C programs built with pkg-config, linked against
# the shared library and, separately, the static one.  Every C example of
# docs/api.md (a ```c block after an "<!-- example: NAME.c ARGS -->" line)
# is compiled and run from the repository root.  The first one must read
# the throughput of scenarios/two-machines.yaml as the same numbers, to the
# last bit, as `takt run --json` writes.
#
#   TAKT=build/takt sh tests/cli/test_api.sh
#
# The install is made by this checkout's Makefile from the build directory
# under test ($TAKT_BUILD, or the one holding $TAKT), or from a build of its
# own when that directory has no shared library.

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_api.sh || exit 1

D=$T_DIR
PREFIX="$D/prefix"
TWO="$root/scenarios/two-machines.yaml"
CC=${CC:-cc}
build=${TAKT_BUILD:-$(dirname "$TAKT")}
case "$build" in "$root"/*) build=${build#"$root"/} ;; esac
# A build directory without the shared library (make valgrind builds only
# the binary, with its own flags): install from a fresh build of our own,
# rather than rebuild that directory under the suite that is using it.
case "$build" in /*) full=$build ;; *) full="$root/$build" ;; esac
[ -e "$full/libtakt.so" ] || build="$D/build"

version_part() { sed -n "s/^#define TAKT_VERSION_$1 \\([0-9]*\\)\$/\\1/p" "$root/include/takt.h"; }
MAJOR=$(version_part MAJOR)
VERSION="$MAJOR.$(version_part MINOR).$(version_part PATCH)"

# ---- make install ----------------------------------------------------------

check "make install PREFIX=... installs the library, header, takt.pc and Python module" 0 \
    make -C "$root" --no-print-directory -s install PREFIX="$PREFIX" BUILD="$build"
for f in "lib/libtakt.so.$VERSION" lib/libtakt.a include/takt.h lib/pkgconfig/takt.pc \
         bin/takt lib/python3*/dist-packages/takt/__init__.py; do
    # shellcheck disable=SC2086  # the glob is meant
    [ -f "$PREFIX"/$f ] || fail_because "no $f installed"
done
for l in "libtakt.so.$MAJOR" libtakt.so; do
    [ "$(readlink "$PREFIX/lib/$l")" = "libtakt.so.$VERSION" ] ||
        fail_because "lib/$l is not a link to libtakt.so.$VERSION"
done

check "the shared library's soname is libtakt.so.MAJOR" 0 objdump -p "$PREFIX/lib/libtakt.so.$VERSION"
expect_match stdout "SONAME +libtakt\\.so\\.$MAJOR\$"

# Only the API is exported: every defined dynamic symbol is a takt_ function,
# and every TAKT_API function of takt.h is among them.
nm -D --defined-only "$PREFIX/lib/libtakt.so.$VERSION" | awk '{ print $3 }' | sort >"$D/exported"
sed -n 's/^TAKT_API [^(]*[ *]\(takt_[a-z0-9_]*\)(.*/\1/p' "$root/include/takt.h" | sort >"$D/declared"
check "libtakt.so exports exactly the functions takt.h declares" 0 cmp "$D/exported" "$D/declared"
[ "$(wc -l <"$D/declared")" -ge 60 ] || fail_because "found only $(wc -l <"$D/declared") TAKT_API functions in takt.h"

export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"
check "pkg-config knows takt at the header's version" 0 pkg-config --modversion takt
expect_is stdout "$VERSION"
check "pkg-config --libs takt is -ltakt alone (the rest is private)" 0 pkg-config --libs takt
expect_every_line stdout "^-L$PREFIX/lib -ltakt *\$"
check "pkg-config --static --libs takt adds libyaml and SQLite" 0 pkg-config --static --libs takt
expect_match stdout '-lyaml'
expect_match stdout '-lsqlite3'
if nm -u "$PREFIX/lib/libtakt.so.$VERSION" | grep -q ' MPI_Init'; then
    expect_match stdout '-lmpi'
fi

# ---- the examples of docs/api.md -------------------------------------------

mkdir -p "$D/examples"
awk -v dir="$D/examples" '
    /^<!-- example: / { name = $3; args = ""; for (i = 4; i < NF; i++) args = args " " $i; next }
    name != "" && /^```c$/ { file = dir "/" name; print name args > (dir "/list"); copying = 1; next }
    copying && /^```$/ { copying = 0; close(file); name = ""; next }
    copying { print > file }
' "$root/docs/api.md"
check "docs/api.md has its examples marked" 0 cat "$D/examples/list"
expect_lines stdout -ge 6
expect_match stdout '^embed\.c scenarios/two-machines\.yaml$'

# Compile and run every example, shared, from the repository root.
while read -r name args; do
    exe="$D/examples/${name%.c}"
    # shellcheck disable=SC2046  # pkg-config's output is a list of words
    check "docs/api.md example $name compiles against the installed takt.pc" 0 \
        $CC -std=c11 -Wall -Wextra -Werror -o "$exe" "$D/examples/$name" \
        $(pkg-config --cflags --libs takt)
    # shellcheck disable=SC2086  # args are words
    (cd "$root" && LD_LIBRARY_PATH="$PREFIX/lib" "$exe" $args) >"$exe.out" 2>"$exe.err"
    status=$?
    check "docs/api.md example $name runs" 0 test "$status" -eq 0
    [ "$status" -eq 0 ] || { cat "$exe.err" >&2; }
done <"$D/examples/list"

# What the examples say.
check "plant.c: settings applied, a bad file told by line and column" 0 cat "$D/examples/plant.out"
expect_contains stdout "two machines: 2 stations, 1 buffers"
expect_contains stdout "B1 holds 8, M2 has 2 servers, horizon 360000 s"
expect_match stdout '^bad\.yaml:1:11: '
check "cancel.c: a cancelled run returns TAKT_EINTERRUPTED and no result" 0 cat "$D/examples/cancel.out"
expect_is stdout "interrupted, result discarded"
check "reports.c: a JSON report in memory and a CSV table" 0 cat "$D/examples/reports.out"
expect_match stdout '^JSON report: [0-9]+ bytes, starts \{$'
expect_match stdout '^station,workshop,servers,parts_out_mean'
expect_match stdout '^M1,,1,'
check "sweep.c: one line per combination, in order" 0 cat "$D/examples/sweep.out"
expect_lines stdout -eq 4
expect_match stdout '^buffers\.B1\.capacity=1 '
expect_match stdout '^buffers\.B1\.capacity=4 '
check "catalogue.c: every per-station figure of the catalogue, by its key" 0 cat "$D/examples/catalogue.out"
expect_match stdout '^M1 parts out \(parts_out\): [0-9.e+]+ parts$'
expect_match stdout '^M1 sole bottleneck \(sole\): '
check "store.c: the recorded run read back" 0 cat "$D/examples/store.out"
expect_match stdout '^run 1 \(two machines and a buffer\): 0\.[0-9]{3} parts/h$'
check "outputs.c: an empty name refused at once; the run recorded and the report placed" 0 \
    cat "$D/examples/outputs.out"
expect_match stdout "^refused: cannot write '': no file name given$"
expect_match stdout '^run 1 recorded; report in place: yes$'

# ---- the done-when check: the same numbers as takt run --json ---------------

# json_kpi FILE KEY: the "mean" and "ci95" that follow "KEY": in FILE.
json_kpi() {
    awk -v key="\"$2\":" '
        $1 == key { on = 1; next }
        on && $1 == "\"mean\":" { sub(/,$/, "", $2); m = $2 }
        on && $1 == "\"ci95\":" { print m, $2; exit }' "$1"
}

check "takt run --json of two-machines.yaml" 0 takt run "$TWO" --json "$D/two.json" --no-db --quiet
json_kpi "$D/two.json" throughput_per_hour >"$D/cli.kpi"
awk '$1 == "throughput_per_hour" { print $2, $3 }' "$D/examples/embed.out" >"$D/shared.kpi"
check "a program linked with pkg-config --libs takt reads the same throughput as takt run --json" 0 \
    awk '{ getline other < ARGV[2]; split(other, o, " ")
           if (NF != 2 || $1 != o[1] + 0 || $2 != o[2] + 0) { print $0 " vs " other; exit 1 } }' \
    "$D/shared.kpi" "$D/cli.kpi"
[ -s "$D/shared.kpi" ] || fail_because "embed.c printed no throughput"

# The same program linked statically: libtakt.a plus pkg-config --static.
# Under `make asan` the static library is instrumented, so the program is
# linked with the sanitizers' runtime too (the shared one never is).
exe="$D/embed-static"
san_link=""
[ "${TAKT_SANITIZED:-0}" = 1 ] && san_link="-fsanitize=address,undefined"
# shellcheck disable=SC2046,SC2086
check "embed.c links statically with pkg-config --static" 0 \
    $CC -std=c11 $san_link -o "$exe" "$D/examples/embed.c" $(pkg-config --cflags takt) \
    $(pkg-config --static --libs takt | sed 's/-ltakt/-l:libtakt.a/')
check "the static program needs no libtakt.so" 0 objdump -p "$exe"
expect_no_match stdout 'NEEDED +libtakt'
check "the static program prints what the shared one does" 0 sh -c "cd '$root' && '$exe' '$TWO'"
expect_same "$T_OUT" "$D/examples/embed.out"

# ---- the CLI goes through the door too ---------------------------------------

# The Makefile compiles src/cli without -Isrc; this names the offending line.
check "src/cli includes no internal header (only cli.h, takt.h and system headers)" 1 \
    sh -c "grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*\"' '$root'/src/cli/*.c '$root'/src/cli/*.h |
           grep -vE '\"(cli|takt)\.h\"'"
expect_empty stdout
# Every command's file, so that no per-file exception can creep back in.
cli_objs=$(for c in "$root"/src/cli/*.c; do n=${c##*/}; printf '%s ' "$build/src/cli/${n%.c}.o"; done)
# shellcheck disable=SC2086  # a list of targets
check "the takt binary is built without -Isrc for every file of src/cli" 0 \
    make -C "$root" --no-print-directory -n -B V=1 BUILD="$build" $cli_objs
expect_match stdout 'src/cli/main\.c'
expect_match stdout 'src/cli/cmd_balance\.c'
expect_match stdout 'src/cli/cmd_optimise\.c'
expect_no_match stdout '-Isrc'

# ---- the library's own answers -----------------------------------------------

cat >"$D/status.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <takt.h>
int main(void)
{
    takt_options *o = takt_options_new();
    int bad = 0;
    bad += takt_options_set_replications(o, 0) != TAKT_EBADINPUT;
    bad += takt_options_set_threads(o, 257) != TAKT_EBADINPUT;
    bad += takt_options_set_horizon(o, -1) != TAKT_EBADINPUT;
    bad += takt_options_set_warmup(o, -1) != TAKT_EBADINPUT;
    bad += takt_options_set_replications(o, 3) != TAKT_OK;
    bad += strcmp(takt_strerror(TAKT_ENOMEM), "out of memory") != 0;
    bad += strcmp(takt_version(), TAKT_VERSION) != 0;
    takt_plant *p = takt_load("scenarios/two-machines.yaml", NULL);
    takt_result *r = NULL;
    bad += takt_simulate(p, o, &r, NULL) != TAKT_OK;
    double m = 0, c = 0;
    bad += takt_result_figure(r, "no_such_figure", &m, &c) != TAKT_ENOTFOUND;
    bad += takt_result_station_state(r, "M9", "blocked", &m, &c) != TAKT_ENOTFOUND;
    bad += takt_result_station_state(r, "M1", "dancing", &m, &c) != TAKT_ENOTFOUND;
    bad += takt_result_buffer_figure(r, "B1", "mean_level", &m, &c) != TAKT_OK || !(m > 0);
    bad += takt_result_series_length(r, "daily") != 0;
    bad += takt_result_series_length(r, "hourly") != -1;
    bad += takt_result_write_csv(r, "nothing.csv", stdout) != TAKT_ENOTFOUND;
    bad += takt_result_replications(r) != 3;
    double sum = 0;
    for (int q = 0; q < takt_state_count(); q++) {
        bad += takt_result_station_state(r, "M2", takt_state_name(q), &m, NULL) != TAKT_OK;
        sum += m;
    }
    bad += sum < 0.999999 || sum > 1.000001;
    takt_result_free(r);
    takt_options_free(o);
    takt_plant_free(p);
    printf("%d wrong\n", bad);
    return bad != 0;
}
EOF
# shellcheck disable=SC2046
check "status codes, range checks and unknown keys (a program of its own)" 0 \
    sh -c "$CC -std=c11 -Wall -Werror -o '$D/status' '$D/status.c' $(pkg-config --cflags --libs takt) &&
           cd '$root' && LD_LIBRARY_PATH='$PREFIX/lib' '$D/status'"
expect_is stdout "0 wrong"

finish
