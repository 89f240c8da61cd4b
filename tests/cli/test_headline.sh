#!/bin/sh
# test_headline.sh — the text, HTML and JSON reports of one run give the
# same headline figures in the same units: throughput, the time between
# jobs over all hours, lead time, the takt achieved on shift beside the
# planned takt, the annual capacity and the bottleneck.
#
#   TAKT=build/takt sh tests/cli/test_headline.sh
#
# Each figure is read from each report as it is printed (the text's and
# the HTML's rounded numbers, the JSON's full ones) and compared within the
# rounding of the coarser print.

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_headline.sh || exit 1

TMP=$T_DIR
cd "$TMP" || exit 1

# A dated line on two shifts with a planned takt: every headline figure.
cat >"$TMP/line.yaml" <<'EOF'
name: two-shift line
start: 2024-01-01
until: 2024-03-31
replications: 3
seed: 8
takt: 70s
calendar: two-shift
calendars:
  - name: two-shift
    shifts: [{start: "06:00", end: "14:00"}, {start: "14:00", end: "22:00"}]
stations:
  - {name: body, cycle: "normal(60s, 5s)"}
  - {name: paint-and-final-inspection-line, cycle: "normal(68s, 4s)", failures: [{ttf: exp(1h), ttr: exp(3min)}]}
  - {name: test, cycle: "tri(50s, 60s, 70s)"}
buffers:
  - {name: b1, from: body, to: paint-and-final-inspection-line, capacity: 4}
  - {name: b2, from: paint-and-final-inspection-line, to: test, capacity: 4}
EOF

check "one run writes text, JSON and HTML" 0 \
    takt run "$TMP/line.yaml" --json "$TMP/r.json" --html "$TMP/r.html" --no-db --quiet
cp "$T_OUT" "$TMP/r.txt"

check "text, HTML and JSON agree on the headline figures" 0 true
expect_true "same figures, same units" python3 - "$TMP/r.txt" "$TMP/r.html" "$TMP/r.json" <<'PY'
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
html = open(sys.argv[2], encoding="utf-8").read().replace("\u202f", "")
j = json.load(open(sys.argv[3]))
scale = {"s": 1, "min": 60, "h": 3600, "d": 86400}

def near(what, got, want, rel):
    assert abs(got - want) <= rel * abs(want) + 1e-9, "%s: %r against %r" % (what, got, want)

def card(label):
    m = re.search(r"<div class='k'>%s</div><div class='v'>([0-9.,\u2013-]+)<small>([^<]*)</small>" % re.escape(label), html)
    assert m, "no HTML card " + label
    return m.group(1), m.group(2)

def text_line(label):
    m = re.search(r"^  %s +([0-9.]+)(?: ± [0-9.]+)? +(\S+)" % re.escape(label), text, re.M)
    assert m, "no text line " + label
    return float(m.group(1)), m.group(2)

# throughput: one unit everywhere
th = j["throughput_per_hour"]["mean"]
v, u = text_line("throughput")
near("text throughput", v, th, 5e-4)
hv, hu = card("Throughput")
near("HTML throughput", float(hv), th, 5e-3)
assert u == hu == "jobs/h", (u, hu)

# time between jobs over all hours: same value and unit in text and HTML
v, u = text_line("time between jobs")
hv, hu = card("Time between jobs, all hours")
assert u == hu, (u, hu)
near("text time between jobs", v * scale[u], 3600 / th, 5e-4)
near("HTML time between jobs", float(hv) * scale[hu], 3600 / th, 5e-3)

# lead time: the unit chosen by magnitude, the same in both
lt = j["lead_time_s"]["mean"]
v, u = text_line("lead time")
hv, hu = card("Lead time")
assert u == hu, (u, hu)
near("text lead time", v * scale[u], lt, 5e-4)
near("HTML lead time", float(hv) * scale[hu], lt, 5e-3)

# the takt achieved on shift beside the planned one
ends = j["end_rate"]["line_ends"]
assert list(ends) == ["test"], ends
t = ends["test"]["takt_achieved_s"]
m = re.search(r"^  test +[0-9.]+ jobs/h on shift, takt achieved on shift +([0-9.]+) s \(planned 70 s\)$", text, re.M)
assert m, "no on-shift takt in the text"
near("text takt on shift", float(m.group(1)), t, 1e-3)
hv, hu = card("Takt achieved on shift")
assert hu == "s", hu
near("HTML takt on shift", float(hv), t, 5e-3)
assert j["end_rate"]["planned_takt_s"] == 70
assert "<div class='k'>Takt planned</div><div class='v'>70<small>s</small>" in html
# the calendar-time figure is not the takt: nights count there
assert 3600 / th > 1.3 * t, (3600 / th, t)

# annual capacity
cap = j["end_rate"]["annual_capacity"]["mean"]
m = re.search(r"^  annual capacity +([0-9]+) ± ", text, re.M)
assert m, "no annual capacity in the text"
near("text annual capacity", float(m.group(1)), cap, 1e-5)
hv, hu = card("Annual capacity")
near("HTML annual capacity", float(hv.replace(",", "")), cap, 5e-4)

# the bottleneck
b = j["bottleneck"]["station"]
assert re.search(r"^  bottleneck +station %s \(" % re.escape(b), text, re.M), "text names another bottleneck"
assert "output most: <b>%s</b>" % b in html, "HTML names another bottleneck"
PY

check "a plant without demand: no delivery, backlog or wait columns" 0 true
expect_no_match "$TMP/r.txt" 'delivered|backlog|customer wait'

finish
