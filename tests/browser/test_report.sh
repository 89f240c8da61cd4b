#!/bin/sh
# test_report.sh — the HTML report, opened in a real browser.
#
#   TAKT=build/takt sh tests/browser/test_report.sh
#
# For each plant below it writes a report with takt and checks that:
#   - the page is self-contained: no script, no link to anything outside
#     it (no http:, src=, href=, @import, url() other than "#id");
#   - names are escaped (a plant whose names are HTML);
#   - headless Chromium renders it: a screenshot that is not blank;
#   - every chart is laid out with a size, no chart text sticks out of its
#     chart, and the page has no horizontal scroll bar, at laptop width and
#     at phone width (measured by tests/browser/measure.js, injected into a
#     COPY of the page: the report itself stays script-free);
#   - the browser logs no console message and no network request (the
#     network is cut with --host-resolver-rules, so a fetch would log).
# The plants: scenarios/two-machines.yaml, the built-in default plant,
# scenarios/mm1.yaml (an arrival source; one replication, so no bands), a
# small car plant (calendar, workshops, demand, targets: every chart), a
# generated plant of 300 stations in 5 workshops over ~7 years (long
# series, wrapped diagram), and a plant with HTML in its names.
#
# Needs Debian's `chromium` (scripts/install-deps installs it); without it
# the suite counts one failure and says so.  Installs nothing itself.
# Prints "ok"/"FAIL" per test and, last, "N passed, N failed".

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${TAKT:=$root/build/takt}"
: "${TAKT_BROWSER_TIMEOUT:=$((120 * ${TAKT_SLOWDOWN:-1}))}"   # a hang guard; sanitized builds are slower
passed=0
failed=0
work=$(mktemp -d "${TMPDIR:-/tmp}/takt-browser.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; [ -n "$2" ] && printf '%s\n' "$2" | sed 's/^/    | /'; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

if ! command -v chromium >/dev/null 2>&1; then
    bad "chromium is not installed (apt-get install chromium, or scripts/install-deps)"
    finish
fi
if [ ! -x "$TAKT" ]; then
    bad "no takt binary at $TAKT (make build/takt)"
    finish
fi

with_timeout() {
    if command -v timeout >/dev/null 2>&1; then timeout "$TAKT_BROWSER_TIMEOUT" "$@"; else "$@"; fi
}

# browser OUTFILE ERRFILE ARGS... : headless Chromium, cut off from the
# network, with a fresh profile.
browser() {
    _out=$1 _err=$2; shift 2
    _prof=$(mktemp -d "$work/profile.XXXXXX")
    with_timeout chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-extensions --host-resolver-rules='MAP * ~NOTFOUND' \
        --user-data-dir="$_prof" --hide-scrollbars "$@" >"$_out" 2>"$_err"
    _rc=$?
    rm -rf "$_prof"
    return $_rc
}

# ---- plants ------------------------------------------------------------

cat >"$work/names.yaml" <<'EOF'
name: "<script>alert('plant')</script> & co"
horizon: 200h
replications: 2
seed: 3
stations:
  - name: "<b>press</b>"
    cycle: exp(50min)
  - name: "Weld \"A\" & 'B' <i>"
    cycle: exp(45min)
    failures:
      - {ttf: exp(20h), ttr: exp(1h)}
buffers:
  - {name: "</svg><p>buffer", from: "<b>press</b>", to: "Weld \"A\" & 'B' <i>", capacity: 4}
EOF

# A small car plant with every part of the calendar view: a start date,
# shifts and holidays, workshops, products, orders, deliveries, targets.
cat >"$work/car.yaml" <<'EOF'
name: small car plant
start: 2025-01-06
until: 2025-12-31
replications: 3
seed: 11
calendar: two-shift
products:
  - {name: A, share: 0.7}
  - {name: B, share: 0.3}
calendars:
  - name: two-shift
    shifts:
      - {start: "06:00", end: "14:00", breaks: [{start: "10:00", end: "10:30"}]}
      - {start: "14:00", end: "22:00", breaks: [{start: "18:00", end: "18:30"}]}
    days: [mon, tue, wed, thu, fri]
    holidays: [2025-05-01, 2025-12-24..2025-12-26]
workshops:
  - {name: body}
  - {name: paint}
  - {name: assembly}
stations:
  - {name: body-1, workshop: body, cycle: "tri(80s, 90s, 110s)", failures: [{ttf: exp(6h), ttr: exp(15min)}]}
  - {name: body-2, workshop: body, cycle: "tri(80s, 88s, 105s)"}
  - {name: paint, workshop: paint, cycle: "tri(82s, 90s, 100s)", setup: "tri(0s, 30s, 60s)"}
  - {name: inspection, workshop: paint, cycle: 60s, rework: {p: 0.05, to: repair}}
  - {name: repair, workshop: paint, cycle: exp(20min), servers: 2}
  - {name: assembly, workshop: assembly, cycle: "tri(85s, 92s, 110s)", failures: [{ttf: exp(4h), ttr: exp(10min)}]}
buffers:
  - {name: b1, from: body-1, to: body-2, capacity: 5}
  - {name: b2, from: body-2, to: paint, capacity: 20}
  - {name: oven, from: paint, to: inspection, capacity: 30, transit: 40min}
  - {name: b4, from: inspection, to: assembly, capacity: 40}
demand:
  backlog: {A: 3000, B: 1000}
  orders:
    - {product: A, per_week: 450}
    - {product: B, from: 2025-03-01, per_week: 250}
  delivery: tri(2d, 5d, 14d)
targets:
  - {produced: 20000, by: 2025-06-30}
  - {delivered: 60000, by: 2025-12-31}
EOF

# 10 lines of 30 stations in 5 workshops, about 7 years from a start date:
# a big diagram (wrapped into bands) and long daily series.
awk 'BEGIN {
  print "name: generated plant, 300 stations"; print "start: 2020-01-06"; print "horizon: 2500d";
  print "replications: 2"; print "seed: 5";
  print "workshops:"; for (w = 0; w < 5; w++) printf "  - {name: shop-%d}\n", w;
  print "targets:"; print "  - {produced: 100000, by: 2021-06-30}"; print "  - {produced: 300000, by: 2025-12-31}";
  print "stations:";
  for (l = 0; l < 10; l++) for (k = 0; k < 30; k++) {
    printf "  - {name: L%02d-S%02d, workshop: shop-%d, cycle: exp(%dmin)", l, k, int(k / 6), 50 + (l * 7 + k * 3) % 13;
    if (k % 7 == 3) printf ", failures: [{ttf: exp(40h), ttr: exp(2h)}]";
    print "}";
  }
  print "buffers:";
  for (l = 0; l < 10; l++) for (k = 0; k < 29; k++)
    printf "  - {name: L%02d-B%02d, from: L%02d-S%02d, to: L%02d-S%02d, capacity: %d}\n", l, k, l, k, l, k + 1, 2 + (k % 4);
}' >"$work/big.yaml"

# ---- checks --------------------------------------------------------------

# report NAME MINSVGS ARGS...: write $work/NAME.html with takt ARGS.
report() {
    _name=$1 _min=$2; shift 2
    _html="$work/$_name.html"
    if with_timeout "$TAKT" run "$@" --no-db --quiet --html "$_html" >"$work/$_name.out" 2>&1 &&
       [ -s "$_html" ]; then
        ok "$_name: takt writes the report"
    else
        bad "$_name: takt writes the report" "$(tail -n 5 "$work/$_name.out")"
        return 1
    fi
    check_contained "$_name" "$_html"
    check_screenshot "$_name" "$_html"
    check_layout "$_name" "$_html" "$_min" 1280,2000
    check_layout "$_name" "$_html" 1 400,1600 "phone width "
    check_console "$_name" "$_html"
    return 0
}

check_contained() {
    _why=""
    grep -qi '<script' "$2" && _why="$_why a <script> element;"
    grep -qiE 'https?:|ftp:|file:' "$2" && _why="$_why a URL;"
    grep -qiE '(src|href|srcset|action)=' "$2" && _why="$_why a src/href attribute;"
    grep -qi '@import' "$2" && _why="$_why an @import;"
    grep -oi 'url([^)]*)' "$2" | grep -qv '^url(#' && _why="$_why a url() that is not #id;"
    grep -qi '<link' "$2" && _why="$_why a <link> element;"
    if [ -z "$_why" ]; then ok "$1: self-contained, no script"; else bad "$1: self-contained, no script" "$_why"; fi
}

check_screenshot() {
    _png="$work/$1.png"
    browser "$work/$1.shot.out" "$work/$1.shot.err" --screenshot="$_png" --window-size=1280,2000 "file://$2"
    _size=$(wc -c <"$_png" 2>/dev/null || echo 0)
    _sig=$(od -An -c -N4 "$_png" 2>/dev/null | tr -d ' ')
    if [ "$_size" -gt 30000 ] && [ "$_sig" = '211PNG' ]; then
        ok "$1: renders a screenshot ($_size bytes)"
    else
        bad "$1: renders a screenshot" "PNG of $_size bytes, signature '$_sig'"
    fi
}

# check_layout NAME HTML MINSVGS WINDOW [LABEL]
check_layout() {
    _copy="$work/$1.measure.html"
    awk -v js="$here/measure.js" '
        /<\/body>/ { printf "<script>"; while ((getline l < js) > 0) print l; print "</script>" }
        { print }' "$2" >"$_copy"
    browser "$work/$1.dom" "$work/$1.dom.err" --window-size="$4" --dump-dom "file://$_copy"
    _t=$(grep -o 'SVGCHECK svgs=[0-9][^<]*' "$work/$1.dom" | head -n 1)
    _label="$1: ${5}charts laid out"
    if [ -z "$_t" ]; then bad "$_label" "no measurement in the page (did it load?)"; return; fi
    _n=$(printf '%s' "$_t" | sed 's/.*svgs=\([0-9]*\).*/\1/')
    _zero=$(printf '%s' "$_t" | sed 's/.*zero=\([0-9]*\).*/\1/')
    _texts=$(printf '%s' "$_t" | sed 's/.*texts=\([0-9]*\).*/\1/')
    _out=$(printf '%s' "$_t" | sed 's/.*outside=\([0-9]*\).*/\1/')
    _over=$(printf '%s' "$_t" | sed 's/.*overflow=\(-*[0-9]*\).*/\1/')
    if [ "$_n" -ge "$3" ] && [ "$_zero" -eq 0 ] && [ "$_texts" -gt 0 ] && [ "$_out" -eq 0 ] && [ "$_over" -le 0 ]; then
        ok "$_label ($_n charts, $_texts texts)"
    else
        bad "$_label" "$_t (want at least $3 charts, none of zero size or text outside, no overflow)"
    fi
}

check_console() {
    browser "$work/$1.log.out" "$work/$1.log" --enable-logging=stderr --v=0 --dump-dom "file://$2"
    if grep -E 'CONSOLE|Uncaught|Failed to load|net::ERR|Refused to' "$work/$1.log" >"$work/$1.bad"; then
        bad "$1: no console message, no network request" "$(head -n 5 "$work/$1.bad")"
    else
        ok "$1: no console message, no network request"
    fi
}

# ---- the plants ------------------------------------------------------------

report two-machines 4 "$root/scenarios/two-machines.yaml" --replications 3 --horizon 3000h
report default 4 --replications 2
report mm1-one-replication 3 "$root/scenarios/mm1.yaml" --replications 1 --horizon 2000h
report car 9 "$work/car.yaml"
# the big plant checks layout, not the bottleneck: its quick pick saves the
# three paired runs of the default method (docs/diagnosis.md)
report big 8 "$work/big.yaml" --bottleneck active
if report names 4 "$work/names.yaml"; then
    f="$work/names.html"
    if grep -q '&lt;b&gt;press&lt;/b&gt;' "$f" && grep -q '&lt;/svg&gt;&lt;p&gt;buffer' "$f" &&
       grep -q 'Weld &quot;A&quot; &amp; &#39;B&#39; &lt;i&gt;' "$f" && ! grep -q '<b>press' "$f" &&
       ! grep -q '<i>' "$f" && ! grep -q '</svg><p>' "$f"; then
        ok "names: station and buffer names are escaped"
    else
        bad "names: station and buffer names are escaped" "$(grep -o '.\{20\}press.\{20\}' "$f" | head -n 3)"
    fi
fi

finish
