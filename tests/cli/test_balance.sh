#!/bin/sh
# test_balance.sh — end-to-end tests of `takt balance`: the worked example
# of docs/balance.md (run as written), the JSON names of the contract and
# an independent check of every assignment (each task once, precedence,
# station time within the takt), the benchmark formats, SALBP-2, the plant
# file it writes (accepted by `takt check`, written under a temporary name),
# the template, --simulate, and the errors of bad input (exit status 2, with
# FILE:LINE:COL).
#
#   TAKT=build/takt sh tests/cli/test_balance.sh

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_balance.sh || exit 1

TMP=$T_DIR
cd "$TMP" || exit 1
DATA=$root/../shared/data/salbp
[ -d "$DATA" ] || DATA=/work/shared/data/salbp

# The worked example, taken from the docs as written there.
awk '/<!-- example: trim1 -->/ { on = 1; next } on && /^```yaml/ { inside = 1; next }
     inside && /^```/ { exit } inside { print }' "$root/docs/balance.md" >trim1.yaml

# Python check of an answer against its task file: every task once, each
# 'after' in the same or an earlier station, station times as reported and
# within the takt (SALBP-1) or the cycle found (SALBP-2).
cat >verify.py <<'PY'
def check(j, tasks, after, limit):
    seen = {}
    for st in j["assignment"]:
        total = 0.0
        for t in st["tasks"]:
            assert t not in seen, "task %s twice" % t
            seen[t] = st["station"]
            total += tasks[t]
        assert abs(total - st["time_s"]) < 1e-6, "station %d time" % st["station"]
        assert st["time_s"] <= limit + 1e-6, "station %d over the cycle" % st["station"]
    assert set(seen) == set(tasks), "not every task assigned"
    for b, pre in after.items():
        for a in pre:
            assert seen[a] <= seen[b], "%s after %s broken" % (b, a)
    assert len(j["assignment"]) == j["stations"]
    assert j["lower_bound"] <= (j["stations"] if j["problem"] == "salbp-1" else j["takt_s"]) + 1e-9
PY

check "scenarios/tasks/trim1.yaml (docs/api.md's example) is the worked example of docs/balance.md" 0 \
    sh -c "grep -v '^#' '$root/scenarios/tasks/trim1.yaml' | cmp - trim1.yaml"

check "the docs example balances to 6 stations, proven optimal" 0 takt balance trim1.yaml
expect_match stdout '^stations +6$'
expect_contains stdout "proven optimal"
expect_match stdout 'YU7 +82s +OVER the takt'

check "JSON of the docs example has the contract's names and a valid assignment" 0 takt balance trim1.yaml --json -
expect_json '
exec(open("verify.py").read())
for k in ("problem", "takt_s", "stations", "cycle_s", "lower_bound", "optimal", "assignment"):
    assert k in j, k
assert j["problem"] == "salbp-1" and j["takt_s"] == 76 and j["optimal"] is True
mix = {"harness": 42, "dashboard": 55, "seats": 0.6*38 + 0.4*47, "glass": 30, "sealer": 20,
       "wheels-front": 25, "wheels-rear": 25, "doors": 0.6*50 + 0.4*62, "fluids": 35, "test": 40}
after = {"dashboard": ["harness"], "seats": ["harness"], "glass": ["dashboard"], "sealer": ["glass"],
         "wheels-front": ["seats"], "wheels-rear": ["seats"], "doors": ["dashboard"],
         "fluids": ["sealer", "doors"], "test": ["fluids", "wheels-front", "wheels-rear"]}
check(j, mix, after, 76)
where = {t: s["station"] for s in j["assignment"] for t in s["tasks"]}
assert where["wheels-front"] == where["wheels-rear"], "together zone"
assert where["glass"] != where["sealer"], "apart zone"
for s in j["assignment"]:
    assert set(s["product_time_s"]) == {"SU7", "YU7"}
    assert s["overload"] == [p for p in ("SU7", "YU7") if s["product_time_s"][p] > 76]
'

check "the plant file of the balanced line passes takt check" 0 takt balance trim1.yaml --plant line.yaml --quiet
expect_true "line.yaml written" test -s line.yaml
expect_true "no temporary file left" sh -c '! ls line.yaml.tmp* 2>/dev/null | grep -q .'
check "takt check accepts the written plant" 0 takt check line.yaml
expect_match stdout '^ok'
check "the written plant has one station per balanced station" 0 grep -c '^  - name: S' line.yaml
expect_is stdout 6

cat >template.yaml <<'EOF'
name: trim template
horizon: 300h
warmup: 10h
replications: 3
seed: 7
stations:
  - {name: T1, cycle: 60s}
  - {name: T2, cycle: 60s, failures: [{ttf: exp(8h), ttr: exp(10min)}]}
  - {name: T3, cycle: 60s}
buffers:
  - {name: a, from: T1, to: T2, capacity: 2}
  - {name: b, from: T2, to: T3, capacity: 3}
EOF
check "a template gives run settings, failures and buffers by position" 0 takt balance trim1.yaml --plant t.yaml --template template.yaml --quiet
expect_match t.yaml '^horizon: 300h$'
expect_match t.yaml 'failures: \[\{ttf: exp\(8h\), ttr: exp\(10min\)\}\]'
expect_match t.yaml 'name: B1, from: S1, to: S2, capacity: 2'
expect_match t.yaml 'name: B2, from: S2, to: S3, capacity: 3'
expect_match t.yaml 'name: B3, from: S3, to: S4, capacity: 0'
check "takt check accepts the plant written from a template" 0 takt check t.yaml

# The 'balance' mapping: balanced station S3 takes T2's failures and the
# buffer leaving T2; S1 takes T3 (no failures, no buffer leaving it);
# stations it leaves out take nothing.
sed 's/^seed: 7$/seed: 7\nbalance: {S1: T3, S3: T2, S9: T1}/' template.yaml >mapped.yaml
check "takt check accepts a plant with a balance mapping" 0 takt check mapped.yaml
check "a template's balance mapping picks the stations by name" 0 takt balance trim1.yaml --plant m.yaml --template mapped.yaml --quiet
expect_true "S3 has T2's failures, no other station has any" sh -c \
    "awk '/^  - name: /{s=\$3} /failures:/{print s}' m.yaml | tr '\n' ' ' | grep -qx 'S3 '"
expect_match m.yaml 'name: B1, from: S1, to: S2, capacity: 0'
expect_match m.yaml 'name: B2, from: S2, to: S3, capacity: 0'
expect_match m.yaml 'name: B3, from: S3, to: S4, capacity: 3'
check "takt check accepts the plant written through the mapping" 0 takt check m.yaml

sed 's/^seed: 7$/seed: 7\nbalance: {S1: T3, S2: T7}/' template.yaml >badmap.yaml
check "a mapping to an unknown station is refused at its place" 2 takt balance trim1.yaml --plant x.yaml --template badmap.yaml
expect_match stderr "^badmap.yaml:6:23: 'balance': S2: expected the name of a station of this plant, got 'T7'"
sed 's/^seed: 7$/seed: 7\nbalance: {S1: T3, station2: T2}/' template.yaml >badkey.yaml
check "a mapping from a name that is no balanced station is refused" 2 takt balance trim1.yaml --plant x.yaml --template badkey.yaml
expect_match stderr "^badkey.yaml:6:19: 'balance': 'station2' is not a balanced station; expected S1, S2"
sed 's/^seed: 7$/seed: 7\nbalance: [T1, T2]/' template.yaml >badlist.yaml
check "a balance list instead of a mapping is refused" 2 takt balance trim1.yaml --plant x.yaml --template badlist.yaml
expect_match stderr "^badlist.yaml:6:10: 'balance' maps the balanced stations onto this plant's: expected a mapping"
expect_true "no plant written after a bad mapping" test ! -e x.yaml

check "--simulate prints the takt achieved against the target" 0 takt balance trim1.yaml --simulate --template template.yaml --quiet
expect_match stdout '^takt target +76s$'
expect_match stdout '^takt achieved +[0-9.]+s'

# A line with no variability, no overload and no failures reaches its
# longest station time (a deterministic flow line); the count of parts in
# the window may be off by one of 20,000, hence 59.99..60.01 s.
cat >steady.yaml <<'EOF'
takt: 60s
tasks:
  - {name: a, time: 30s}
  - {name: b, time: 30s, after: [a]}
  - {name: c, time: 50s, after: [b]}
  - {name: d, time: 40s, after: [c]}
EOF
check "a deterministic balanced line reaches its longest station time" 0 takt balance steady.yaml --simulate --quiet
expect_match stdout '^stations +3$'
expect_match stdout '^takt achieved +(59\.99[0-9]*|60|60\.00[0-9]*)s'

check "Scholl .IN2 with --takt" 0 takt balance "$DATA/scholl/JACKSON.IN2" --takt 10 --json -
expect_json 'assert j["stations"] == 5 and j["optimal"] is True and j["lower_bound"] == 5'

check "SALBP-2 on a Scholl graph" 0 takt balance "$DATA/scholl/JACKSON.IN2" --stations 5 --json -
expect_json 'assert j["problem"] == "salbp-2" and j["takt_s"] == 10 and j["optimal"] is True and j["cycle_s"] <= 10'

# .IN2 with comments after the end marker and a DOS end-of-file byte
printf '4\r\n3\r\n4\r\n5\r\n2\r\n1,2\r\n1,3\r\n3,4\r\n-1,-1\r\ncomment line\r\n\032' >tiny.IN2
check ".IN2 ignores what follows -1,-1" 0 takt balance tiny.IN2 --takt 7 --json -
expect_json 'assert j["stations"] == 2 and j["optimal"] is True'

check "Otto .alb uses its own cycle time" 0 takt balance "$DATA/otto/small/instance_n=20_1.alb" --json -
expect_json 'assert j["takt_s"] == 1000 and j["optimal"] is True and j["stations"] >= j["lower_bound"]'

# the answers on .alb files are valid against the file itself
for f in "$DATA/otto/medium/instance_n=50_1.alb" "$DATA/otto/large/instance_n=100_2.alb"; do
    check "assignment valid for $(basename "$f")" 0 takt balance "$f" --json - --time-limit 5
    expect_json '
exec(open("verify.py").read())
text = open("'"$f"'").read().replace("\r", "")
sec = lambda name: text.split("<" + name + ">")[1].split("<")[0].split()
tasks = dict((a, float(b)) for a, b in (l.split() for l in text.split("<task times>")[1].split("<")[0].strip().splitlines()))
after = {}
for l in sec("precedence relations"):
    a, b = l.split(",")
    after.setdefault(b, []).append(a)
check(j, tasks, after, float(sec("cycle time")[0]))
'
done

# the plant of a balanced benchmark instance passes takt check, for both
# formats and both problems
for args in "scholl/ARC83.IN2 --takt 5048" "scholl/TONGE70.IN2 --stations 10" "otto/large/instance_n=100_3.alb"; do
    set -- $args
    f=$1; shift
    check "plant of $(basename "$f") $*" 0 takt balance "$DATA/$f" "$@" --time-limit 2 --plant bench-line.yaml --quiet
    check "takt check accepts the plant of $(basename "$f") $*" 0 takt check bench-line.yaml
    expect_match stdout '^ok'
done

cat >mix.yaml <<'EOF'
takt: 60s
products: [{name: SU7, share: 0.5}, {name: YU7, share: 0.4}]
tasks:
  - {name: a, time: 10s}
EOF
check "shares that do not add up to 1" 2 takt balance mix.yaml
expect_match stderr "^mix.yaml:2:11: the shares of the products add up to 0.9, not 1$"

cat >mix2.yaml <<'EOF'
takt: 60s
products: [{name: SU7, share: 0.6}, {name: YU7, share: 0.4}]
tasks:
  - {name: a, time: {SU7: 10s, YU8: 12s}}
EOF
check "a per-product time names an unknown product, and one is missing" 2 takt balance mix2.yaml
expect_match stderr "^mix2.yaml:4:32: task 'a': 'time': unknown product 'YU8' \\(did you mean 'YU7'\\?\\)$"
expect_match stderr "^mix2.yaml:4:21: task 'a': 'time': no time for product 'YU7'$"

# ---- errors -----------------------------------------------------------------
cat >cycle.yaml <<'EOF'
takt: 60s
tasks:
  - {name: a, time: 10s}
  - {name: b, time: 20s, after: [c]}
  - {name: c, time: 20s, after: [b, a]}
EOF
check "a precedence cycle names its tasks" 2 takt balance cycle.yaml
expect_match stderr '^cycle.yaml:[0-9]+:[0-9]+: the precedence has a cycle: (b -> c -> b|c -> b -> c)$'

cat >unknown.yaml <<'EOF'
takt: 60s
tasks:
  - {name: harness, time: 10s}
  - {name: b, time: 20s, after: [harnes]}
EOF
check "an unknown task in after, with a suggestion" 2 takt balance unknown.yaml
expect_match stderr "^unknown.yaml:4:34: task 'b': 'after': unknown task 'harnes' \(did you mean 'harness'\?\)$"

cat >long.yaml <<'EOF'
takt: 60s
tasks:
  - {name: a, time: 10s}
  - {name: b, time: 61s, after: [a]}
EOF
check "a task longer than the takt is named" 2 takt balance long.yaml
expect_match stderr "^long.yaml:4:5: task 'b' takes 61s, longer than the takt 60s"

cat >zones.yaml <<'EOF'
takt: 60s
tasks:
  - {name: a, time: 10s}
  - {name: b, time: 20s}
  - {name: c, time: 20s}
zones:
  together: [[a, b], [b, c]]
  apart: [[c, a]]
EOF
check "contradictory zones" 2 takt balance zones.yaml
expect_match stderr "^zones.yaml:8:10: contradictory zones: 'c' and 'a' must be apart"

cat >both.yaml <<'EOF'
takt: 60s
stations: 3
tasks:
  - {name: a, time: 10s}
EOF
check "takt and stations both" 2 takt balance both.yaml
expect_match stderr "^both.yaml:2:11: give 'takt' .* or 'stations' .*not both"

cat >neither.yaml <<'EOF'
tasks:
  - {name: a, time: 10s}
EOF
check "takt and stations neither" 2 takt balance neither.yaml
expect_match stderr "^neither.yaml:1:1: no cycle time"
check "neither in the file, but --stations on the command line" 0 takt balance neither.yaml --stations 1

check "--takt and --stations together are refused" 2 takt balance trim1.yaml --takt 60s --stations 4
expect_contains stderr "not both"
check ".IN2 without a cycle time" 2 takt balance tiny.IN2
expect_match stderr '^tiny.IN2:1:1: no cycle time'
printf '3\n1\n2\n' >short.IN2
check ".IN2 cut short" 2 takt balance short.IN2 --takt 5
expect_match stderr '^short.IN2:[0-9]+:1: expected the time of task 3 of 3'
check "an output in a missing directory fails before solving" 2 takt balance trim1.yaml --plant no/such/dir/x.yaml
expect_true "no plant written" test ! -e no/such/dir/x.yaml
check "a bad template is refused" 2 takt balance trim1.yaml --plant x.yaml --template unknown.yaml
expect_true "no plant written after a bad template" test ! -e x.yaml

finish
