#!/bin/sh
# test_python.sh — the Python module (python/takt) over the shared library
# of the build under test, run with Debian's python3 (/usr/bin/python3, not
# whatever python3 comes first on PATH).  Figures are compared with what
# `takt run --json` writes for the same plant and seed: they must be equal
# to the last bit, since both come from the same code and seed.  The
# notebook-style session of docs/python.md (its ```python blocks after a
# "<!-- session -->" line) is run as written, and the module is used once
# as `make install` puts it under a PREFIX.
#
#   TAKT=build/takt sh tests/python/test_python.sh

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$root/tests/cli/lib.sh"

find_takt test_python.sh || exit 1

PY=/usr/bin/python3
D=$T_DIR
build=${TAKT_BUILD:-$(dirname "$TAKT")}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
TWO="$root/scenarios/two-machines.yaml"
DEMAND="$root/tests/cli/plants/demand.yaml"

if [ ! -x "$PY" ]; then
    echo "test_python.sh: no $PY (scripts/install-deps installs python3)" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

# py NAME CODE [ARGS]: run CODE with the in-tree module and the build's library.
py() {
    _n=$1 _c=$2
    shift 2
    check "$_n" 0 env PYTHONPATH="$root/python" TAKT_LIBRARY="$build/libtakt.so.0" \
        "$PY" -c "$_c" "$@"
}

takt run "$TWO" --json "$D/two.json" --no-db --quiet >/dev/null
takt run "$DEMAND" --json "$D/demand.json" --no-db --quiet >/dev/null

py "import takt: the library's version is the header's" '
import sys, re, takt
want = re.search(r"#define TAKT_VERSION \"(.*)\"", open(sys.argv[1]).read()).group(1)
assert takt.version() == want, (takt.version(), want)
' "$root/include/takt.h"

py "res.throughput equals takt run --json's, to the last bit" '
import json, sys, takt
j = json.load(open(sys.argv[1]))
res = takt.load(sys.argv[2]).run()
t = j["throughput_per_hour"]
assert res.throughput == (t["mean"], t["ci95"]), (res.throughput, t)
print("%r %r" % res.throughput)
' "$D/two.json" "$TWO"

py "every station state, part count and buffer level equals the JSON report's" '
import json, sys, takt
j = json.load(open(sys.argv[1]))
res = takt.load(sys.argv[2]).run()
assert set(res.stations) == set(j["stations"]), res.stations
for name, st in res.stations.items():
    js = j["stations"][name]
    assert set(st.states) == set(js["states"]), (st.states, js["states"])
    for s, (m, c) in st.states.items():
        assert (m, c) == (js["states"][s]["mean"], js["states"][s]["ci95"]), (name, s)
    assert st.parts_out == (js["parts_out"]["mean"], js["parts_out"]["ci95"])
    assert abs(sum(m for m, _ in st.states.values()) - 1) < 1e-9
b = res.buffers["B1"].mean_level
jb = j["buffers"]["B1"]["mean_level"]
assert b == (jb["mean"], jb["ci95"]), (b, jb)
for k in ("lead_time_s", "wip", "produced"):
    assert res.figure(k) == (j[k]["mean"], j[k]["ci95"]), k
' "$D/two.json" "$TWO"

py "to_json() is byte for byte takt run --json" '
import sys, takt
assert takt.load(sys.argv[2]).run().to_json() == open(sys.argv[1]).read()
' "$D/two.json" "$TWO"

py "options: replications, seed, horizon, threads reach the run (the thread count changes nothing)" '
import sys, takt
p = takt.load(sys.argv[1])
a = p.run(replications=4, seed=7, threads=1, horizon=1000 * 3600, warmup=0)
b = p.run(replications=4, seed=7, threads=2, horizon=1000 * 3600, warmup=0)
assert (a.replications, a.seed, a.horizon, a.warmup) == (4, 7, 3600000.0, 0.0)
assert a.to_json() == b.to_json()
c = p.run(replications=4, seed=8, threads=1, horizon=1000 * 3600, warmup=0)
assert c.throughput != a.throughput
' "$TWO"

py "series(\"daily\") and series(\"monthly\") equal the JSON report's" '
import json, sys, takt
j = json.load(open(sys.argv[1]))
res = takt.load(sys.argv[2]).run()
daily = res.series("daily")
assert len(daily) == len(j["daily"]) > 20, len(daily)
for got, want in zip(daily, j["daily"]):
    assert got["date"] == want["date"]
    for k in ("produced", "delivered", "backlog"):
        assert got[k] == (want[k]["mean"], want[k]["ci95"]), (got, want)
monthly = res.series("monthly")
assert [m["date"] for m in monthly] == [m["month"] for m in j["monthly"]]
assert takt.load(sys.argv[3]).run(replications=2, horizon=3600).series("daily") == []
try:
    res.series("hourly")
    raise SystemExit("no KeyError")
except KeyError:
    pass
' "$D/demand.json" "$DEMAND" "$TWO"

py "to_pandas(): a DataFrame with pandas, else an ImportError that says how to get it" '
import sys, takt
res = takt.load(sys.argv[1]).run(replications=2, horizon=3600 * 100)
try:
    import pandas
except ImportError:
    try:
        res.to_pandas()
        raise SystemExit("to_pandas() worked without pandas")
    except ImportError as e:
        assert "needs pandas" in str(e) and "python3-pandas" in str(e), str(e)
        print("without pandas:", e)
else:
    df = res.to_pandas()
    assert list(df.index) == ["M1", "M2"], df.index
    assert df.loc["M1", "blocked_mean"] == res.stations["M1"].states["blocked"][0]
    print("with pandas")
' "$TWO"

py "a bad plant raises TaktError with file, line and column" '
import takt
try:
    takt.loads("stations: 3\n", name="bad.yaml")
    raise SystemExit("loaded")
except takt.TaktError as e:
    assert e.status == 1 and str(e).startswith("bad.yaml:1:11: "), (e.status, str(e))
try:
    takt.load("/nonexistent/plant.yaml")
    raise SystemExit("loaded")
except takt.TaktError as e:
    assert "/nonexistent/plant.yaml" in str(e), str(e)
'

py "settings: applied at load, read back; a bad one is refused" '
import sys, takt
p = takt.load(sys.argv[1], settings={"buffers.B1.capacity": 7, "stations.M2.servers": 3})
assert p.setting("buffers.B1.capacity") == 7 and p.setting("stations.M2.servers") == 3
assert p.setting("replications") == 10 and p.setting("horizon") == 20000 * 3600
try:
    takt.load(sys.argv[1], settings=["buffers.B9.capacity=2"])
    raise SystemExit("accepted")
except takt.TaktError as e:
    assert "B9" in str(e), str(e)
try:
    p.setting("stations.M1.colour")
    raise SystemExit("found")
except KeyError:
    pass
' "$TWO"

py "a progress callback that returns True cancels the run" '
import sys, takt
calls = []
def progress(rep, frac):
    calls.append(rep)
    return True
try:
    takt.load(sys.argv[1]).run(replications=20, threads=1, progress=progress)
    raise SystemExit("not cancelled")
except takt.TaktError as e:
    assert e.status == 3, e.status
assert calls, "progress never called"
try:
    takt.load(sys.argv[1]).run(replications=0)
    raise SystemExit("accepted 0 replications")
except ValueError:
    pass
' "$TWO"

py "sweep: each combination equals a run of its own plant" '
import sys, takt
rows = takt.sweep(sys.argv[1], {"buffers.B1.capacity": "1..3", "stations.M2.servers": "1,2"},
                  replications=3, seed=5, horizon=500 * 3600, threads=2)
assert [tuple(v.values()) for v, _ in rows] == [("1", "1"), ("1", "2"), ("2", "1"), ("2", "2"),
                                               ("3", "1"), ("3", "2")], rows
for values, r in rows:
    own = takt.load(sys.argv[1], settings=values).run(replications=3, seed=5, horizon=500 * 3600)
    assert r.throughput == own.throughput, (values, r.throughput, own.throughput)
    assert r.stations["M1"].states["blocked"] == own.stations["M1"].states["blocked"]
try:
    takt.sweep(sys.argv[1], {"buffers.B1.capacity": "1,x"})
    raise SystemExit("accepted")
except takt.TaktError as e:
    assert "sweep combination 2 of 2" in str(e), str(e)
' "$TWO"

takt balance "$root/scenarios/tasks/trim1.yaml" --stations 4 --json "$D/bal.json" --quiet >/dev/null
py "balance: the answer of takt balance --json, and a plant that loads" '
import json, sys, takt
b = takt.balance(sys.argv[1], stations=4)
j = json.load(open(sys.argv[2]))
assert b["stations"] == j["stations"] and b["cycle_s"] == j["cycle_s"], (b, j)
assert b["optimal"] == j["optimal"] and b["lower_bound"] == j["lower_bound"], (b, j)
assert b["assignment"] == {t: s["station"] for s in j["assignment"] for t in s["tasks"]}
assert len(takt.loads(b["plant"]).stations) == 4
try:
    takt.balance(sys.argv[1], takt=30)
    raise SystemExit("accepted")
except takt.TaktError as e:
    assert "longer than the takt 30s" in str(e), str(e)
' "$root/scenarios/tasks/trim1.yaml" "$D/bal.json"

check "takt run records a run in a store" 0 takt run "$TWO" --db "$D/runs.db" --quiet
py "open_store: the runs of a store, with their figures" '
import json, sys, takt
runs = takt.open_store(sys.argv[1])
assert len(runs) == 1, runs
r = runs[0]
j = json.load(open(sys.argv[2]))
assert r["id"] == 1 and r["plant"] == "two machines and a buffer" and r["replications"] == 10
assert r["figures"]["throughput_per_hour"][0] == j["throughput_per_hour"]["mean"]
try:
    takt.open_store(sys.argv[1] + ".missing")
    raise SystemExit("opened")
except takt.TaktError as e:
    assert e.status == 6 and "no run store" in str(e), (e.status, str(e))
' "$D/runs.db" "$D/two.json"

# The notebook-style session of docs/python.md, run as written.
awk '/^<!-- session -->$/ { want = 1; next }
     want && /^```python$/ { on = 1; want = 0; next }
     on && /^```$/ { on = 0; print ""; next }
     on { print }' "$root/docs/python.md" >"$D/session.py"
check "docs/python.md's session runs as written" 0 \
    sh -c "cd '$root' && PYTHONPATH='$root/python' TAKT_LIBRARY='$build/libtakt.so.0' '$PY' '$D/session.py'"
expect_match stdout '^two machines and a buffer \[.M1., .M2.\] \[.B1.\]$'
expect_match stdout '^throughput 0\.9[0-9]{2} ± 0\.0[0-9]{2} parts/h$'
expect_match stdout '^4 0\.[0-9]{3} ± '
[ "$(grep -c . "$D/session.py")" -ge 15 ] || fail_because "the session has fewer than 15 lines"

# The module as make install puts it, found by its place beside the library.
check "the installed module imports from PREFIX/lib/python3.X/dist-packages and runs" 0 \
    sh -c "make -C '$root' --no-print-directory -s install PREFIX='$D/prefix' BUILD='$build' &&
           cd '$D' && PYTHONPATH=\$(echo '$D'/prefix/lib/python3*/dist-packages) '$PY' -c '
import takt, sys
assert takt._lib.lib._name.startswith(sys.argv[1]), takt._lib.lib._name
print(takt.load(sys.argv[2]).run(replications=2, horizon=36000).throughput)' '$D/prefix/lib' '$TWO'"
expect_match stdout '^\([0-9.]+, [0-9.]+\)$'

# With PREFIX=/usr/local and PREFIX=/usr, Debian's python3 finds the module
# without PYTHONPATH: the folder make install uses is on its path.
for prefix in /usr/local /usr; do
    dir=$(make -C "$root" --no-print-directory -n install PREFIX="$prefix" BUILD="$build" |
          sed -n 's|^install -m 644 python/takt/\*\.py \(.*\)/takt/$|\1|p')
    check "make install PREFIX=$prefix puts the module on python3's default path ($dir)" 0 \
        env -u PYTHONPATH "$PY" -c 'import sys; assert sys.argv[1] in sys.path, sys.path' "$dir"
    [ -n "$dir" ] || fail_because "no module folder in make -n install"
done

finish
