#!/bin/sh
# bench/run.sh [TAKT] — takt's benchmarks; prints a table and writes
# bench/results.md (the machine, the compiler, the date and the numbers).
#
#   make bench            (builds build/takt first)
#   sh bench/run.sh build/takt
#
# What is measured, and why:
#   line10        the event loop itself: 10 machines, one replication of
#                 2,000,000 h (~1e7 events); ns per event is the figure to watch.
#   loop10        line10 as a closed loop of 30 carriers, every station
#                 needing one of 6 operators, repairs by a crew of 2: what
#                 carriers and resource requests cost per event.
#   line200       many stations and a big event calendar (200 stations,
#                 mixed distributions, failures, small buffers).
#   default       the built-in plant, one replication.
#   line10 /10    memory: the same line over a tenth of the horizon (ten
#                 times line10's would pass takt's limit of 1000 years).  Peak
#                 RSS must not grow with simulated time: a replication keeps
#                 fixed-size statistics, no per-event history.
#   threads       the two-machine scenario with 20 replications (of 10x the
#                 file's horizon) on 1 and on 2 threads: replications per
#                 second and their ratio.
#   mpirun -np 2  the same 20 replications over two MPI processes of one
#                 thread each, when mpirun is installed.
#
# Every row runs with --bottleneck active: it measures the simulation of
# the plant itself.  A plain `takt run` also confirms its bottleneck by
# paired improvement runs (docs/diagnosis.md), which costs up to three more
# simulations of the plant; that cost is stated there, not mixed in here.
#
# Events, simulation time and ns/event come from takt's own timing line
# ("takt: N events in X s (Y ns/event)"), which covers the simulation only;
# wall time and peak RSS come from /usr/bin/time -v, or else from a small
# python3 getrusage wrapper.  Reports go to a scratch directory, never to
# the run store.
#
# Environment: BENCH_RESULTS (default bench/results.md).

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
takt=${1:-"$root/build/takt"}
case "$takt" in /*) ;; *) takt="$(pwd)/$takt" ;; esac
results=${BENCH_RESULTS:-"$here/results.md"}

if [ ! -x "$takt" ]; then
    echo "bench/run.sh: no executable $takt (run make first)" >&2
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/takt-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
rows="$tmp/rows"
: >"$rows"

# ---------------------------------------------------------------- how to time

# timed OUT ERR CMD...: run CMD, stdout to OUT, stderr to ERR, and write
# "wall_seconds peak_rss_kib cpu_seconds" to $tmp/usage (or "? ? ?" if
# unknown; cpu = user + system time).
if /usr/bin/time -v true >/dev/null 2>&1; then
    timer="/usr/bin/time -v"
    timed() {
        _out=$1 _err=$2
        shift 2
        /usr/bin/time -v -o "$tmp/time" "$@" >"$_out" 2>"$_err"
        _st=$?
        awk -F': ' '
            /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0
                                       for (i = 1; i <= n; i++) w = w * 60 + p[i] }
            /Maximum resident set size/ { r = $2 }
            /User time \(seconds\)/ { c += $2 }
            /System time \(seconds\)/ { c += $2 }
            END { printf "%.3f %s %.2f\n", w, (r == "" ? "?" : r), c }' "$tmp/time" >"$tmp/usage"
        return $_st
    }
elif command -v python3 >/dev/null 2>&1; then
    timer="python3 resource.getrusage(RUSAGE_CHILDREN)"
    timed() {
        _out=$1 _err=$2
        shift 2
        python3 - "$tmp/usage" "$@" >"$_out" 2>"$_err" <<'PY'
import resource, subprocess, sys, time
t0 = time.monotonic()
rc = subprocess.call(sys.argv[2:])
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
rss = ru.ru_maxrss                                              # KiB on Linux
open(sys.argv[1], "w").write("%.3f %d %.2f\n" % (wall, rss, ru.ru_utime + ru.ru_stime))
sys.exit(rc)
PY
    }
else
    timer="none (no /usr/bin/time, no python3): wall and RSS unknown"
    timed() {
        _out=$1 _err=$2
        shift 2
        "$@" >"$_out" 2>"$_err"
        _st=$?
        echo "? ? ?" >"$tmp/usage"
        return $_st
    }
fi

# ---------------------------------------------------------------- benchmarks

# bench NAME ARGS...: one `takt run` (or the built-in plant), one row.
bench() {
    name=$1
    shift
    printf '  %-14s ' "$name" >&2
    if ! timed "$tmp/out" "$tmp/err" "$takt" run "$@" --bottleneck active --no-db --json "$tmp/report.json"; then
        echo "failed:" >&2
        sed 's/^/    | /' "$tmp/err" >&2
        printf '%s|failed|||||\n' "$name" >>"$rows"
        return 1
    fi
    read -r events sim ns <<EOF
$(sed -n 's/^takt: \([0-9]*\) events in \([0-9.]*\) s (\([0-9]*\) ns\/event).*/\1 \2 \3/p' "$tmp/err" | tail -n 1)
EOF
    read -r wall rss _ <"$tmp/usage"
    echo "$name|$events|$sim|$ns|$rss|$wall" >>"$rows"
    echo "$events events, $sim s, $ns ns/event, peak RSS $rss KiB" >&2
}

# reps_per_s LABEL ARGS...: replications per second of the threads test.
threads_rows="$tmp/threads"
: >"$threads_rows"
reps_per_s() {
    label=$1
    shift
    printf '  %-22s ' "$label" >&2
    if ! timed "$tmp/out" "$tmp/err" "$@"; then
        echo "failed:" >&2
        sed 's/^/    | /' "$tmp/err" >&2
        echo "$label|failed" >>"$threads_rows"
        return 1
    fi
    sim=$(sed -n 's/^takt: [0-9]* events in \([0-9.]*\) s.*/\1/p' "$tmp/err" | tail -n 1)
    read -r wall rss _ <"$tmp/usage"
    rps=$(awk -v s="$sim" 'BEGIN { if (s > 0) printf "%.1f", 20 / s; else print "?" }')
    echo "$label|$rps|$sim|$wall" >>"$threads_rows"
    echo "$rps replications/s (simulation $sim s, wall $wall s)" >&2
}

echo "takt benchmarks ($("$takt" --version | head -n 1))" >&2
echo "timing with: $timer" >&2
status=0
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
bench line10 "$here/line10.yaml" || status=1
bench line200 "$here/line200.yaml" || status=1
bench loop10 "$here/loop10.yaml" || status=1
bench default --replications 1 || status=1
bench "line10 /10" "$here/line10.yaml" --horizon 200000h || status=1

# The built-in plant as `takt` runs it: default options, so its bottleneck
# confirmed by paired runs (docs/diagnosis.md), on two threads.
printf '  %-14s ' "takt --no-db" >&2
if timed "$tmp/out" "$tmp/err" "$takt" --no-db --quiet --threads 2 --json "$tmp/default.json"; then
    read -r plant_wall _ plant_cpu <"$tmp/usage"
    echo "wall $plant_wall s, CPU $plant_cpu s" >&2
else
    plant_wall=failed plant_cpu=failed
    echo "failed" >&2
    status=1
fi

# Ten times the file's horizon, so each replication lasts long enough
# (~0.1 s) for the timing to mean something.
two="$root/scenarios/two-machines.yaml"
reps="--replications 20 --horizon 200000h --no-db"      # split into words below
# shellcheck disable=SC2086
reps_per_s "20 reps, 1 thread" "$takt" run "$two" $reps --bottleneck active --threads 1 --json "$tmp/r1.json" || status=1
# shellcheck disable=SC2086
reps_per_s "20 reps, 2 threads" "$takt" run "$two" $reps --bottleneck active --threads 2 --json "$tmp/r2.json" || status=1
if command -v mpirun >/dev/null 2>&1; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    # shellcheck disable=SC2086
    reps_per_s "mpirun -np 2, 1 thread" mpirun --oversubscribe -np 2 "$takt" run "$two" $reps --bottleneck active \
        --threads 1 --json "$tmp/m2.json" || status=1
else
    echo "  mpirun: not installed, MPI row skipped" >&2
fi
# The machine's own parallelism: the same 1-thread run twice at once, as two
# independent processes.  No program can scale past this ratio here; on a
# virtual machine whose cores share a physical core it is well below 2.
t0=$(date +%s.%N)
# shellcheck disable=SC2086
"$takt" run "$two" $reps --bottleneck active --threads 1 --quiet >/dev/null 2>&1 &
# shellcheck disable=SC2086
"$takt" run "$two" $reps --bottleneck active --threads 1 --quiet >/dev/null 2>&1
wait
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { w = b - a; printf "two processes at once, 1 thread each (machine check)|%.1f|%.3f|%.3f\n", 40 / w, w, w }' \
    >>"$threads_rows"

for other in "$tmp/r2.json" "$tmp/m2.json"; do
    if [ -s "$tmp/r1.json" ] && [ -s "$other" ] && ! cmp -s "$tmp/r1.json" "$other"; then
        echo "bench/run.sh: $(basename "$other") differs from the 1-thread results" >&2
        status=1
    fi
done

# ---------------------------------------------------------------- the report

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
[ -n "$cpu" ] || cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
cores=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
compiler=$(${CC:-cc} --version 2>/dev/null | head -n 1)
one_thread=$(awk -F'|' 'NR == 1 { print $2 }' "$threads_rows")

{
    echo "# takt benchmarks"
    echo
    echo "Written by \`make bench\` (bench/run.sh); numbers from one run each, so"
    echo "expect a few per cent of noise between runs."
    echo
    echo "| | |"
    echo "|---|---|"
    echo "| takt | $("$takt" --version | tr "\n" " ") |"
    echo "| CPU | ${cpu:-unknown} |"
    echo "| cores | $cores |"
    echo "| compiler | ${compiler:-unknown} |"
    echo "| kernel | $(uname -sr) |"
    echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
    echo "| load average before | ${load:-unknown} (other work on the machine slows the numbers) |"
    echo "| timing | $timer |"
    echo
    echo "## Simulation speed and memory"
    echo
    echo "| benchmark | events | simulation (s) | ns/event | peak RSS (MiB) | wall (s) |"
    echo "|---|---:|---:|---:|---:|---:|"
    awk -F'|' '{
        rss = ($5 ~ /^[0-9]+$/) ? sprintf("%.1f", $5 / 1024) : $5
        printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, rss, $6 }' "$rows"
    echo
    echo "line10 /10 simulates a tenth of line10's horizon: the peak RSS of the two"
    echo "should be equal, since a replication's memory does not grow with time."
    echo
    echo "## The built-in plant as \`takt\` runs it"
    echo
    echo "\`takt --no-db --threads 2\`: 4 replications and the paired runs that"
    echo "confirm the bottleneck (docs/diagnosis.md, What it costs).  CPU time is"
    echo "user + system; on a quiet machine the wall time is about half of it."
    echo
    echo "| run | wall (s) | CPU (s) | load average before |"
    echo "|---|---:|---:|---|"
    echo "| takt --no-db --threads 2 | $plant_wall | $plant_cpu | ${load:-unknown} |"
    echo
    echo "## Replications on threads and processes"
    echo
    echo "Two-machine scenario (scenarios/two-machines.yaml), 20 replications of"
    echo "200,000 h each (ten times the file's horizon); replications/s from the"
    echo "simulation time, wall time including start-up.  The reports of all rows"
    echo "are checked to be byte-identical.  The last row runs two independent"
    echo "1-thread processes at once (40 replications in all): the parallel capacity"
    echo "of the machine itself, which bounds every speed-up above."
    echo
    echo "| run | replications/s | speed-up | simulation (s) | wall (s) |"
    echo "|---|---:|---:|---:|---:|"
    awk -F'|' -v base="$one_thread" '{
        up = (base > 0 && $2 > 0) ? sprintf("%.2f", $2 / base) : "?"
        printf "| %s | %s | %s | %s | %s |\n", $1, $2, up, $3, $4 }' "$threads_rows"
} >"$results"

# line balancing (takt balance): its own script, its table appended
sh "$here/salbp.sh" "$takt" >>"$results" || status=1

echo >&2
cat "$results"
echo >&2
echo "written to $results" >&2
BENCH_RESULTS="$results" sh "$here/estimate.sh" "$takt" || status=1
exit $status
