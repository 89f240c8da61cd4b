#!/bin/sh
# test_headline.sh — the text, HTML and JSON reports of one run give the
# same headline figures in the same units: throughput, the time between
# units of output over all hours, lead time, produced, work in process,
# the takt achieved on shift beside the planned takt, the annual capacity
# and the bottleneck.  The unit of output is the plant's (`unit: car`:
# cars/h and cars; without `unit:`, parts/h and parts), and text tables
# write numbers in grouped fixed notation, never with an exponent.
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
# It makes cars; the same line without `unit:` makes parts.
cat >"$TMP/line.yaml" <<'EOF'
name: two-shift line
start: 2024-01-01
until: 2024-03-31
replications: 3
seed: 8
takt: 70s
unit: car
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
grep -v '^unit:' "$TMP/line.yaml" >"$TMP/parts.yaml"

# compare TEXT HTML JSON SINGULAR PLURAL: the headline figures of one run.
compare() {
    expect_true "same figures, same units ($5)" python3 - "$@" <<'PY'
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
html = open(sys.argv[2], encoding="utf-8").read().replace("\u202f", "")
j = json.load(open(sys.argv[3]))
one, many = sys.argv[4], sys.argv[5]
rate = many + "/h"
scale = {"s": 1, "min": 60, "h": 3600, "d": 86400}

def near(what, got, want, rel):
    assert abs(got - want) <= rel * abs(want) + 1e-9, "%s: %r against %r" % (what, got, want)

def card(label):
    m = re.search(r"<div class='k'>%s</div><div class='v'>([0-9.,\u2013-]+)<small>([^<]*)</small>" % re.escape(label), html)
    assert m, "no HTML card " + label
    return m.group(1), m.group(2)

def num(t):
    assert re.fullmatch(r"-?[0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)?", t), "not grouped fixed notation: " + t
    return float(t.replace(",", ""))

def text_line(label):
    # a line of the Results block: label, mean [± half-width], unit and the rest
    m = re.search(r"^  %s +([0-9.,]+)(?: ± [0-9.,]+)? +(.+)$" % re.escape(label), text, re.M)
    assert m, "no text line " + label
    return m.group(1), m.group(2)

# the JSON names the unit of output
assert (j["unit"], j["units"]) == (one, many), (j["unit"], j["units"])

# throughput: one unit everywhere, from the plant's unit
th = j["throughput_per_hour"]["mean"]
v, u = text_line("throughput")
near("text throughput", num(v), th, 5e-4)
hv, hu = card("Throughput")
near("HTML throughput", float(hv), th, 5e-3)
assert u == hu == rate, (u, hu, rate)

# the time between units of output over all hours (calendar time, and
# labelled so): the same value and unit in text and HTML
v, u = text_line("time between " + many)
hv, hu = card("Time between %s, all hours" % many)
assert u == "%s per %s, all hours" % (hu, one), (u, hu)
near("text time between", num(v) * scale[hu], 3600 / th, 5e-4)
near("HTML time between", float(hv) * scale[hu], 3600 / th, 5e-3)

# lead time: the unit chosen by magnitude, the same in both
lt = j["lead_time_s"]["mean"]
v, u = text_line("lead time")
hv, hu = card("Lead time")
assert u == hu, (u, hu)
near("text lead time", num(v) * scale[u], lt, 5e-4)
near("HTML lead time", float(hv) * scale[hu], lt, 5e-3)

# counts: produced in the unit of output, work in process in parts
for label, key, unit in (("produced", "produced", many), ("work in process", "wip", "parts")):
    want = j[key]["mean"]
    v, u = text_line(label)
    hv, hu = card(label[0].upper() + label[1:])
    assert u == hu == unit, (label, u, hu, unit)
    near("text " + label, num(v), want, 5e-4)
    near("HTML " + label, float(hv.replace(",", "")), want, 5e-3)

# the takt achieved on shift beside the planned one: in the headline of
# both, and per line end in the text's rate at the end of the run
ends = j["end_rate"]["line_ends"]
assert list(ends) == ["test"], ends
t = ends["test"]["takt_achieved_s"]
v, u = text_line("takt achieved on shift")
assert u == "s at the end of the run, per line end", u
near("text takt on shift", num(v), t, 1e-3)
m = re.search(r"^  test +[0-9.]+ %s on shift, takt achieved on shift +([0-9.]+) s \(planned 70 s\)$" % re.escape(rate), text, re.M)
assert m, "no on-shift takt per line end in the text"
near("text takt on shift per line end", float(m.group(1)), t, 1e-3)
hv, hu = card("Takt achieved on shift")
assert hu == "s", hu
near("HTML takt on shift", float(hv), t, 5e-3)
assert j["end_rate"]["planned_takt_s"] == 70
v, u = text_line("takt planned")
assert num(v) == 70 and u.startswith("s, "), (v, u)
assert "<div class='k'>Takt planned</div><div class='v'>70<small>s</small>" in html
# the calendar-time figure is not the takt: nights count there
assert 3600 / th > 1.3 * t, (3600 / th, t)

# annual capacity, in units of output a year
cap = j["end_rate"]["annual_capacity"]["mean"]
v, u = text_line("annual capacity")
assert u == many + " a year", u
near("text annual capacity", num(v), cap, 1e-5)
hv, hu = card("Annual capacity")
assert hu == u, (hu, u)
near("HTML annual capacity", float(hv.replace(",", "")), cap, 5e-4)

# the bottleneck and its gain, in units of output per hour
b = j["bottleneck"]["station"]
assert re.search(r"^  bottleneck +station %s \(.* %s; paired runs" % (re.escape(b), re.escape(rate)), text, re.M), \
    "the text names another bottleneck or another unit"
assert "output most: <b>%s</b>" % b in html, "the HTML names another bottleneck"
assert "Gain of a shorter cycle (%s)" % rate in html

# no other rate anywhere, no exponent in a text table
for other in {"jobs/h", "parts/h", "cars/h"} - {rate}:
    assert other not in text and other not in html, "%s in a report of %s" % (other, many)
assert not re.search(r"[0-9]e[+-][0-9]", text), "an exponent in the text report"
PY
}

check "a plant of cars writes text, JSON and HTML" 0 \
    takt run "$TMP/line.yaml" --json "$TMP/r.json" --html "$TMP/r.html" --no-db --quiet
cp "$T_OUT" "$TMP/r.txt"
check "text, HTML and JSON agree on the headline figures of a plant of cars" 0 true
compare "$TMP/r.txt" "$TMP/r.html" "$TMP/r.json" car cars

check "a plant of parts (no unit:) writes text, JSON and HTML" 0 \
    takt run "$TMP/parts.yaml" --json "$TMP/p.json" --html "$TMP/p.html" --no-db --quiet
cp "$T_OUT" "$TMP/p.txt"
check "text, HTML and JSON agree on the headline figures of a plant of parts" 0 true
compare "$TMP/p.txt" "$TMP/p.html" "$TMP/p.json" part parts

check "a plant without demand: no delivery, backlog or wait columns or cards" 0 true
for r in r.txt r.html p.txt p.html; do
    expect_no_match "$TMP/$r" '[Dd]elivered|[Bb]acklog|[Cc]ustomer wait'
done

finish
