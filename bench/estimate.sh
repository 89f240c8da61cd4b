#!/bin/sh
# bench/estimate.sh [TAKT] — speed of `takt estimate` and `takt optimise`;
# appends a section to bench/results.md (BENCH_RESULTS).  Called once at
# the end of bench/run.sh; runs alone too:
#
#   sh bench/estimate.sh build/takt
#
# What is measured (wall time of the whole command, start-up included;
# the best of 5 runs for the estimates, one run for the optimiser, whose
# CPU time, user and system, is given too: on a shared machine it says
# more than the wall time):
#   estimate line10    10 stations, mixed cycles (exp, tri, const,
#                      erlang), failures on every other station, buffers 2-8
#   estimate line100   the same pattern over 100 stations
#   optimise line10    the 10-station line, 50 buffer places over its 9
#                      buffers (0..12 each), 5 replications of 500 h per
#                      design simulated, 2 threads
# Targets (issue 14): under 10 ms, under 100 ms, under 30 s.

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
takt=${1:-"$root/build/takt"}
case "$takt" in /*) ;; *) takt="$(pwd)/$takt" ;; esac
results=${BENCH_RESULTS:-"$here/results.md"}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/takt-bench-est.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

line() {    # line N > FILE
    awk -v n="$1" 'BEGIN {
        split("exp(60s) tri(50s,60s,75s) 55s erlang(2,58s)", cyc, " ")
        printf "name: line%d\nhorizon: 500h\nwarmup: 10h\nreplications: 5\nseed: 1\nstations:\n", n
        for (i = 0; i < n; i++) {
            printf "  - name: S%d\n    cycle: %s\n", i, cyc[i % 4 + 1]
            if (i % 2 == 0)
                printf "    failures:\n      - {ttf: exp(%dh), ttr: exp(%dmin)}\n", 4 + i % 5, 5 + (i * 7) % 20
        }
        printf "buffers:\n"
        for (i = 0; i < n - 1; i++)
            printf "  - {name: B%d, from: S%d, to: S%d, capacity: %d}\n", i, i, i + 1, 2 + (i * 3) % 7
    }'
}

now() { python3 -c 'import time; print(time.monotonic())'; }

# best wall time (s) of 5 runs of the command
best_of() {
    best=""
    for _ in 1 2 3 4 5; do
        t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
        best=$(python3 -c "import sys; a=float(sys.argv[1])-float(sys.argv[2]); b=sys.argv[3]; print(a if b=='' or a<float(b) else b)" "$t1" "$t0" "$best")
    done
    echo "$best"
}

line 10 >"$tmp/line10.yaml"
line 100 >"$tmp/line100.yaml"
e10=$(best_of "$takt" estimate "$tmp/line10.yaml")
e100=$(best_of "$takt" estimate "$tmp/line100.yaml")
th10=$("$takt" estimate "$tmp/line10.yaml" --json - | python3 -c 'import json,sys; print("%.2f" % json.load(sys.stdin)["throughput_per_hour"])')
sim10=$("$takt" run "$tmp/line10.yaml" --no-db --quiet --json - | python3 -c 'import json,sys; t=json.load(sys.stdin)["throughput_per_hour"]; print("%.2f ± %.2f" % (t["mean"], t["ci95"]))')
t0=$(now)
/usr/bin/time -f '%U %S' -o "$tmp/opt.cpu" "$takt" optimise "$tmp/line10.yaml" --vary 'buffers.*.capacity=0..12' \
    --total 50 --threads 2 --quiet --json "$tmp/opt.json" >/dev/null 2>&1
t1=$(now)
opt=$(python3 -c "print('%.1f' % (float('$t1') - float('$t0')))")
optcpu=$(awk '{ printf "%.1f", $1 + $2 }' "$tmp/opt.cpu" 2>/dev/null)
optn=$(python3 -c "import json; j=json.load(open('$tmp/opt.json')); print('%d simulated (%d replications), %d estimated, best %.2f/h' % (j['evaluated'], j['replications'], j['estimated'], j['best']['throughput_per_hour']['mean']))" 2>/dev/null || echo "failed")

{
    echo
    echo "## Estimate and optimise (bench/estimate.sh)"
    echo
    echo "Wall time of the whole command, start-up included (estimates: best of 5)."
    echo
    echo "| benchmark | wall (s) | target (s) | note |"
    echo "|---|---:|---:|---|"
    printf '| estimate line10 | %.4f | 0.010 | estimate %s/h, simulated %s/h |\n' "$e10" "$th10" "$sim10"
    printf '| estimate line100 | %.4f | 0.100 | |\n' "$e100"
    printf '| optimise line10, 50 places, 2 threads | %s | 30 | %s; CPU time %s s |\n' "$opt" "$optn" "$optcpu"
} >>"$results"
tail -n 9 "$results"
