#!/bin/sh
# bench/salbp.sh [TAKT] — line-balancing benchmarks of `takt balance`;
# prints a Markdown section (bench/run.sh appends it to bench/results.md).
#
#   Scholl SALBP-1   the 25 graphs of shared/data/salbp/scholl, each with its
#                    standard cycle times (Scholl 1993; listed below)
#   Scholl SALBP-2   each graph with the station counts that the SALBP-1
#                    answers above give (a derived set, see the table note)
#   Otto n=20/50/100 the 525 instances of each size, their own cycle time
#   Otto n=1000      best found and gap to the bound
#
# Environment: SALBP_DATA (default ../shared/data/salbp from the repository),
# SALBP_LIMIT (seconds per instance, default 10), SALBP_LIMIT_1000 (default
# 10), SALBP_STRIDE (run every k-th Otto instance, default 1: all of them).

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
takt=${1:-"$root/build/takt"}
case "$takt" in /*) ;; *) takt="$(pwd)/$takt" ;; esac
data=${SALBP_DATA:-"$root/../shared/data/salbp"}
[ -d "$data" ] || data=/work/shared/data/salbp
limit=${SALBP_LIMIT:-10}
limit1000=${SALBP_LIMIT_1000:-10}
stride=${SALBP_STRIDE:-1}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

if [ ! -d "$data/scholl" ]; then
    echo "bench/salbp.sh: no data in $data" >&2
    exit 1
fi

# Scholl's SALBP-1 cycle times per graph.
scholl_cycles() {
cat <<'LIST'
MERTENS 6 7 8 10 15 18
BOWMAN8 20
JAESCHKE 6 7 8 10 18
JACKSON 7 9 10 13 14 21
MANSOOR 48 62 94
MITCHELL 14 15 21 26 35 39
ROSZIEG 14 16 18 21 25 32
HESKIA 138 205 216 256 324 342
BUXEY 27 30 33 36 41 47 54
SAWYER30 25 27 30 33 36 41 47 54 75
LUTZ1 1414 1572 1768 2020 2357 2828
GUNTHER 41 44 49 54 61 69 81
KILBRID 56 57 62 69 79 92 110 111 138 184
HAHN 2004 2338 2806 3507 4676
WARNECKE 54 56 58 60 62 65 68 71 74 78 82 86 92 97 104 111
TONGE70 160 168 176 185 195 207 220 234 251 270 293 320 364 410 468 527
WEE-MAG 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 45 46 47 49 50 52 54 56
ARC83 3786 3985 4206 4454 4732 5048 5408 5824 5853 6309 6842 6883 7571 8412 8898 10816
LUTZ2 11 12 13 14 15 16 17 18 19 20 21
LUTZ3 75 79 83 87 92 97 103 110 118 127 137 150
MUKHERJE 176 183 192 201 211 222 234 248 263 281 301 324 351
ARC111 5755 5785 6016 6267 6540 6837 7162 7520 7916 8356 8847 9400 10027 10743 11378 11570 17067
BARTHOL2 84 85 87 89 91 93 95 97 99 101 104 106 109 112 115 118 121 125 129 133 138 142 146 152 157 163 170
BARTHOLD 403 434 470 513 564 626 705 805
SCHOLL 1394 1422 1452 1483 1515 1548 1584 1620 1659 1699 1742 1787 1834 1883 1935 1991 2049 2111 2177 2247 2322 2402 2488 2580 2680 2787
LIST
}

# One run: prints "stations lower_bound optimal seconds" (from the JSON).
one() {
    "$takt" balance "$@" --json - 2>/dev/null | awk -F'[:,]' '
        /"stations":/ { s = $2 } /"lower_bound":/ { lb = $2 } /"optimal":/ { o = $2 }
        /"solve_seconds":/ { t = $2 } /"cycle_s":/ { c = $2 } /"takt_s":/ { k = $2 }
        END { gsub(/ /, "", o); printf "%s %s %s %s %s\n", s + 0, lb + 0, (o == "true"), t + 0, k + 0 }'
}

# Each result line: key stations lower_bound optimal seconds takt_s.
# Rows "set|instances|optimal|within 1 s|total s|max s"
summarize() {   # name file
    awk -v name="$1" '{ n++; opt += $4; if ($5 <= 1) fast++; tot += $5; if ($5 > mx) mx = $5 }
        END { printf "%s|%d|%d (%.1f %%)|%d|%.1f|%.2f\n", name, n, opt, n ? 100 * opt / n : 0, fast, tot, mx }' "$2"
}

scholl_cycles | while read -r graph cycles; do
    for c in $cycles; do
        echo "$graph:$c $(one "$data/scholl/$graph.IN2" --takt "$c" --time-limit "$limit")"
    done
done >"$scratch/s1"

# SALBP-2 on the station counts of the SALBP-1 answers (distinct per graph)
awk '{ split($1, k, ":"); print k[1], $2 }' "$scratch/s1" | sort -u | while read -r graph m; do
    echo "$graph:$m $(one "$data/scholl/$graph.IN2" --stations "$m" --time-limit "$limit")"
done >"$scratch/s2"

for size in small:20 medium:50 large:100; do
    dir=${size%%:*}; n=${size##*:}
    i=0
    for f in "$data/otto/$dir"/*.alb; do
        i=$((i + 1))
        [ $((i % stride)) -eq 0 ] || [ "$stride" -eq 1 ] || continue
        echo "$(basename "$f") $(one "$f" --time-limit "$limit")"
    done >"$scratch/o$n"
done

i=0
for f in "$data/otto/verylarge"/*.alb; do
    i=$((i + 1))
    [ $((i % (stride * 25))) -eq 1 ] || continue
    echo "$(basename "$f") $(one "$f" --time-limit "$limit1000")"
done >"$scratch/o1000"

echo
echo "## Line balancing (takt balance)"
echo
echo "Exact SALBP solver on the standard data sets; limit $limit s per instance"
echo "(n = 1000: $limit1000 s); times are the solver's own, one process on this machine."
[ "$stride" -eq 1 ] || echo "Otto sets: every ${stride}th instance only (SALBP_STRIDE=$stride)."
echo
echo "| set | instances | proven optimal | within 1 s | total (s) | max (s) |"
echo "|---|---:|---:|---:|---:|---:|"
{
    summarize "Scholl SALBP-1 (standard cycle times)" "$scratch/s1"
    summarize "Scholl SALBP-2 (station counts of the SALBP-1 answers)" "$scratch/s2"
    summarize "Otto n=20" "$scratch/o20"
    summarize "Otto n=50" "$scratch/o50"
    summarize "Otto n=100" "$scratch/o100"
    summarize "Otto n=1000" "$scratch/o1000"
} | awk -F'|' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
echo
echo "Otto n = 1000 (every 25th instance), best found against the bound:"
echo
awk '{ n++; gap = ($3 > 0) ? ($2 - $3) / $3 : 0; g += gap; if (gap > mg) mg = gap; opt += $4 }
    END { printf "mean gap %.2f %%, largest %.2f %%, %d of %d proven optimal\n", 100 * g / n, 100 * mg, opt, n }' "$scratch/o1000"
echo
bad=$( { awk '$3 > $2' "$scratch/s1" "$scratch/o20" "$scratch/o50" "$scratch/o100" "$scratch/o1000"
         awk '$3 > $6' "$scratch/s2"; } | wc -l)
echo "Proof check: answers whose lower bound exceeds them: $bad (must be 0)."
echo
echo "Not proven within the limit:"
echo
awk '$4 == 0 { printf "- Scholl SALBP-1 %s (graph:cycle): %s stations, bound %s\n", $1, $2, $3 }' "$scratch/s1"
awk '$4 == 0 { printf "- Scholl SALBP-2 %s (graph:stations): cycle %s, bound %s\n", $1, $6, $3 }' "$scratch/s2"
for n in 20 50 100; do
    awk -v n=$n '$4 == 0 { printf "- Otto n=%s %s: %s stations, bound %s\n", n, $1, $2, $3 }' "$scratch/o$n"
done
