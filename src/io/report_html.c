/*
 * report_html.c — the report people look at: one self-contained HTML page
 * (inline CSS and SVG, no script, no font or file fetched), which opens
 * from disk, mails as one attachment and prints on A4.
 *
 * The page reads top-down the way a plant review goes: what was simulated,
 * the headline figures with their 95 % intervals, targets, the plant as a
 * flow diagram with its bottleneck, then why (station states, bottleneck
 * shares, buffers), then the calendar view (output per day, cumulative
 * output against targets, months, customer wait) when the plant has dates.
 *
 * Everything comes from the summary; charts are drawn by svg.c and
 * svg_diagram.c, the calendar view is in report_html_days.c.  Long tables are cut to the rows that matter most (the
 * CSV and JSON reports hold them all), so a plant of hundreds of stations
 * still gives a page one can read.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "io/report_estimate.h"
#include "report.h"
#include "report_html.h"
#include "report_series.h"
#include "svg.h"
#include "../core/date.h"

#define MAX_ROWS 40                 /* rows of a station or buffer chart */
#define MAX_DIAGRAM 600             /* stations drawn in the diagram     */

static const char css[] =
":root{--ink:#17212b;--muted:#5a6877;--line:#dde3ea;--bg:#f4f6f9;--accent:#0b5cab}\n"
"*{box-sizing:border-box}\n"
"body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,'Segoe UI',"
"Roboto,'Helvetica Neue',Arial,'DejaVu Sans',sans-serif;-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
"main{max-width:1120px;margin:0 auto;padding:28px 24px 56px}\n"
"header h1{font-size:27px;line-height:1.2;margin:0 0 4px}\n"
".sub{color:var(--muted);margin:0 0 14px}\n"
"dl.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:2px 18px;margin:0 0 20px;"
"font-size:13.5px}\n"
"dl.facts div{display:flex;justify-content:space-between;gap:8px;border-bottom:1px dotted var(--line);padding:3px 0}\n"
"dl.facts dt{color:var(--muted)} dl.facts dd{margin:0;font-weight:600;text-align:right}\n"
".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px;margin:0 0 18px}\n"
".card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 16px 11px;"
"border-top:4px solid var(--accent)}\n"
".card .k{font-size:13px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}\n"
".card .v{font-size:28px;font-weight:650;font-variant-numeric:tabular-nums;line-height:1.25}\n"
".card .v small{font-size:14px;font-weight:500;color:var(--muted);margin-left:4px}\n"
".card .ci{font-size:12.5px;color:var(--muted);font-variant-numeric:tabular-nums}\n"
".card.plan{border-top-color:#9aa5b1}\n"
"section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:18px 22px 14px;margin:0 0 18px}\n"
"h2{font-size:19px;margin:0 0 2px} h3{font-size:15px;margin:14px 0 4px}\n"
"p.lead{color:var(--muted);margin:0 0 12px;font-size:13.5px;max-width:76ch}\n"
"p.note{color:var(--muted);font-size:12.5px;margin:6px 0 0}\n"
"svg.chart{display:block;width:100%;height:auto;margin:6px 0}\n"
"svg text{font-family:inherit;font-size:12.5px;fill:#26323d}\n"
"svg .lb{font-size:12.5px} svg .b{font-weight:700} svg .nt{fill:#5a6877;font-size:12px}\n"
"svg .tk{fill:#5a6877;font-size:11.5px} svg .at{fill:#3b4753;font-size:12.5px;font-weight:600}\n"
"svg .lg{font-size:12.5px} svg .gr{stroke:#e6ebf0} svg .ax{stroke:#8794a1}\n"
"svg .mk{font-size:12px;font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px} svg .gl{font-size:12px;font-weight:700}\n"
"svg .el{font-size:11px;fill:#3b4753;paint-order:stroke;stroke:#fff;stroke-width:3px}\n"
"svg .ed{fill:none;stroke:#6b7785;stroke-width:1.4} svg .dsh{stroke:#8e5ea2;stroke-dasharray:5 4}\n"
"svg .bt{fill:#fff;font-size:9.5px;font-weight:700;letter-spacing:.06em}\n"
"svg .nn{font-weight:600} svg .cn{fill:#fff;stroke:#5b6b7b;stroke-width:1.4}\n"
"svg .cnt{font-size:10px;font-weight:700;fill:#3b4753}\n"
".tw{overflow-x:auto}\n"
"table{border-collapse:collapse;width:100%;font-size:14px;font-variant-numeric:tabular-nums}\n"
"th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:right;vertical-align:top}\n"
"th{font-size:12.5px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.03em}\n"
"th:first-child,td:first-child{text-align:left}\n"
".badge{display:inline-block;padding:1px 9px;border-radius:99px;font-size:12.5px;font-weight:700}\n"
".ok{background:#def3e8;color:#13683f} .bad{background:#fde6dc;color:#a2360b}\n"
"footer{color:var(--muted);font-size:12.5px;margin-top:22px}\n"
"@media (max-width:700px){main{padding:14px 10px}.card .v{font-size:23px}"
"section{overflow-x:auto;padding:14px 12px}svg.chart{min-width:640px}}\n"
"@media print{body{background:#fff;font-size:10.5pt}main{max-width:none;padding:0}"
"section,.card{border-color:#c8d0d8}section{break-inside:avoid;page-break-inside:avoid;padding:10px 12px}"
".cards{grid-template-columns:repeat(3,1fr)}h2{break-after:avoid}@page{size:A4;margin:12mm}}\n";

/* ---- header and headline figures ------------------------------------ */

static void fact(FILE *f, const char *k, const char *v)
{
    fprintf(f, "<div><dt>%s</dt><dd>", k);
    html_esc(f, v);
    fputs("</dd></div>\n", f);
}

static void header(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    char a[64], b[64];
    int machines = 0;
    for (int i = 0; i < p->nstations; i++) machines += p->stations[i].servers;
    fputs("<header><h1>", f);
    html_esc(f, p->name);
    fputs("</h1><p class='sub'>Simulation report \xe2\x80\x94 takt " TAKT_VERSION, f);
    if (p->file) { fputs(" \xc2\xb7 ", f); html_esc(f, p->file); }
    fputs("</p><dl class='facts'>\n", f);
    snprintf(a, sizeof a, "%d (%d machine%s)", p->nstations, machines, machines == 1 ? "" : "s");
    fact(f, "Stations", a);
    snprintf(a, sizeof a, "%d", p->nbuffers);
    fact(f, "Buffers", a);
    if (p->nsources) { snprintf(a, sizeof a, "%d", p->nsources); fact(f, "Arrival sources", a); }
    if (p->nworkshops) { snprintf(a, sizeof a, "%d", p->nworkshops); fact(f, "Workshops", a); }
    if (p->has_start) {
        date_format(p->start_day, a);
        fact(f, "Start", a);
        html_date(p, s->warmup + s->horizon - 1, b);
        fact(f, "End", b);
    }
    fmt_duration(a, sizeof a, s->horizon);
    fact(f, "Measured", a);
    fmt_duration(a, sizeof a, s->warmup);
    fact(f, "Warm-up", a);
    snprintf(a, sizeof a, "%d", s->replications);
    fact(f, "Replications", a);
    snprintf(a, sizeof a, "%llu", (unsigned long long)s->seed);
    fact(f, "Seed", a);
    fmt_int(a, sizeof a, (double)s->events);
    fact(f, "Events simulated", a);
    fputs("</dl></header>\n", f);
}

/* A card: the mean, its unit, and the 95 % interval lo..hi (in the same
 * unit).  Equal bounds mean no interval (one replication). */
static void card(FILE *f, const char *k, double mean, double lo, double hi, const char *u,
                 int sig, const takt_summary *s)
{
    char m[48], l[48], h[48];
    fmt_num(m, sizeof m, mean, sig);
    for (int d = sig; d <= sig + 3; d++) {      /* enough digits to tell them apart */
        fmt_num(l, sizeof l, lo, d);
        fmt_num(h, sizeof h, hi, d);
        if (strcmp(l, h) != 0) break;
    }
    fprintf(f, "<div class='card'><div class='k'>%s</div><div class='v'>%s<small>%s</small></div>"
            "<div class='ci'>", k, m, u);
    if (s->replications < 2) fputs("one replication: no interval", f);
    else if (lo == hi) fputs("the same in every replication", f);
    else fprintf(f, "95" NNBSP "%% interval %s\xe2\x80\x93%s", l, h);
    fputs("</div></div>\n", f);
}

static void card_kpi(FILE *f, const char *k, kpi v, const char *u, double scale, int sig,
                     const takt_summary *s)
{
    card(f, k, v.mean / scale, (v.mean - v.ci95) / scale, (v.mean + v.ci95) / scale, u, sig, s);
}

/* The headline figures people see, as cards: those with an interval
 * (the others have their own place: the customer's wait is in the
 * calendar view); after the rate, the takt it achieves. */
/* The takt achieved on shift at each line end (summary_rate_on_shift,
 * as the text and JSON reports give it), beside the planned takt, and the
 * annual capacity at that rate. */
static void takt_cards(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    if (!p->has_start) return;
    double t[64];
    int n = 0;
    for (int i = 0; i < p->nstations && n < 64; i++) {
        double jph = summary_rate_on_shift(s, i);
        if (jph > 0) t[n++] = 3600 / jph;
    }
    if (n > 0) {
        double lo = t[0], hi = t[0];
        for (int k = 1; k < n; k++) { lo = fmin(lo, t[k]); hi = fmax(hi, t[k]); }
        char a[32], b[32], plan[64] = "";
        fmt_num(a, sizeof a, lo, 3);
        fmt_num(b, sizeof b, hi, 3);
        if (p->takt > 0) {
            fmt_num(plan, 32, p->takt, 3);
            strcat(plan, NNBSP "s planned, ");
        }
        fprintf(f, "<div class='card'><div class='k'>Takt achieved on shift</div><div class='v'>%s%s%s"
                "<small>s</small></div><div class='ci'>%sat the end of the run, per line end</div></div>\n",
                a, n > 1 && strcmp(a, b) ? "\xe2\x80\x93" : "", n > 1 && strcmp(a, b) ? b : "", plan);
    }
    if (p->takt > 0) {
        char m[32];
        fmt_num(m, sizeof m, p->takt, 3);
        fprintf(f, "<div class='card plan'><div class='k'>Takt planned</div><div class='v'>%s"
                "<small>s</small></div><div class='ci'>a line takt, in working time</div></div>\n", m);
    }
    char a_year[64];
    snprintf(a_year, sizeof a_year, "%s a year", plant_units(p));
    card_kpi(f, "Annual capacity", s->annual_capacity, a_year, 1, 4, s);
}

static void cards(FILE *f, const takt_summary *s)
{
    fputs("<div class='cards'>\n", f);
    for (int i = 0; i < catalogue_nheadline; i++) {
        const figure_def *fd = &catalogue_headline[i];
        if (fd->kind != CAT_KPI || !catalogue_shows(fd, s)) continue;
        kpi v = catalogue_value(fd, s);
        char label[64];
        snprintf(label, sizeof label, "%s", fd->label);
        label[0] = (char)toupper((unsigned char)label[0]);
        if (!strcmp(fd->unit, "s")) {
            fmt_unit u = fmt_time_unit(v.mean);
            card_kpi(f, label, v, u.name, u.scale, 3, s);
        } else {
            card_kpi(f, label, v, catalogue_unit(fd, s->plant), 1, fd->whole ? 4 : 3, s);
        }
        if (fd != catalogue_throughput() || v.mean <= 0) continue;
        /* over all hours, nights and weekends included: the time between
         * jobs, not the takt a line is planned at */
        double gap = 3600 / v.mean, lo = 3600 / (v.mean + v.ci95);
        double hi = v.mean - v.ci95 > 0 ? 3600 / (v.mean - v.ci95) : INFINITY;
        fmt_unit u = fmt_time_unit(gap);
        snprintf(label, sizeof label, "Time between %s, all hours", plant_units(s->plant));
        card(f, label, gap / u.scale, lo / u.scale, hi / u.scale, u.name, 4, s);
        if (summary_estimate(s)) estimate_html_card(f, summary_estimate(s), &v, plant_rate_unit(s->plant));
        takt_cards(f, s);
    }
    /* the counts of output this plant has (a plant without demand has no
     * delivered), named as their cards are */
    char counts[128] = "";
    int ncounts = 0;
    for (int i = 0; i < catalogue_nheadline; i++) {
        const figure_def *fd = &catalogue_headline[i];
        if (fd->kind != CAT_KPI || !fd->whole || !catalogue_is_output(fd) || !catalogue_holds(fd, s))
            continue;
        size_t k = strlen(counts);
        snprintf(counts + k, sizeof counts - k, "%s%s", ncounts ? " and " : "", fd->label);
        ncounts++;
    }
    fprintf(f, "</div>\n<p class='note'>Mean over the replications with its 95" NNBSP "%% confidence "
            "interval (Student t). Throughput, takt, lead time and work in process are measured "
            "after the warm-up; %s count%s from time 0.</p>\n", counts, ncounts > 1 ? "" : "s");
}

static void targets_section(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    if (p->ntargets == 0) return;
    fputs("<section><h2>Targets</h2><p class='lead'>When the cumulative count first reached each "
          "target: the mean over the replications and the range that holds 95" NNBSP "% of them. "
          "A target is met when every replication reached it by its date.</p>\n<div class='tw'><table><thead><tr>"
          "<th>Target</th><th>By</th><th>Reached (mean)</th><th>95" NNBSP "% of replications</th>"
          "<th>Reached in</th><th>Status</th></tr></thead><tbody>\n", f);
    for (int t = 0; t < p->ntargets; t++) {
        const target *tg = &p->targets[t];
        const target_sum *ts = &s->targets[t];
        char v[32], by[16], m[16], lo[16], hi[16];
        fmt_int(v, sizeof v, tg->value);
        html_deadline(p, tg->by, by);
        html_date(p, ts->reached, m);
        html_date(p, ts->lo, lo);
        html_date(p, ts->hi, hi);
        if (ts->nreached == 0) strcpy(hi, "\xe2\x80\x94"), lo[0] = 0;
        fprintf(f, "<tr><td>%s %s</td><td>%s</td><td>%s</td><td>%s%s%s</td>"
                "<td>%d of %d</td><td><span class='badge %s'>%s</span></td></tr>\n",
                v, catalogue_target_kind(tg), by, m, lo,
                lo[0] ? " \xe2\x80\x93 " : "", hi,
                ts->nreached, s->replications, ts->met ? "ok" : "bad", ts->met ? "met" : "missed");
    }
    fputs("</tbody></table></div></section>\n", f);
}

/* ---- the plant as a diagram ------------------------------------------ */

static void station_tip(char *buf, size_t len, const takt_summary *s, int i)
{
    const station_sum *st = &s->stations[i];
    size_t k = (size_t)snprintf(buf, len, "%s", s->plant->stations[i].name);
    for (int q = 0; q < NSTATES && k < len; q++) {
        char v[24];
        fmt_pct(v, sizeof v, st->state[catalogue_state_at(q)].mean);
        k += (size_t)snprintf(buf + k, len - k, "%s%s %s", q ? ", " : ": ", catalogue_states[catalogue_state_at(q)].label, v);
    }
    for (int g = 0, n = 0; g < catalogue_nstation && k < len; g++) {
        if (!catalogue_station[g].group) continue;       /* the bottleneck shares */
        char v[24];
        fmt_pct(v, sizeof v, catalogue_value(&catalogue_station[g], st).mean);
        k += (size_t)snprintf(buf + k, len - k, "%s%s %s", n++ ? ", " : "; ", catalogue_station[g].label, v);
    }
}

/* "busy (working + setup)": the states that count as busy. */
static void busy_legend(char *buf, size_t len)
{
    size_t k = (size_t)snprintf(buf, len, "busy (");
    for (int q = 0, n = 0; q < NSTATES && k < len; q++)
        if (catalogue_states[q].busy)
            k += (size_t)snprintf(buf + k, len - k, "%s%s", n++ ? " + " : "", catalogue_states[q].label);
    if (k < len) snprintf(buf + k, len - k, ")");
}

static int diagram_section(FILE *f, const takt_summary *s, int bn)
{
    const takt_plant *p = s->plant;
    char legend[160];
    busy_legend(legend, sizeof legend);
    fprintf(f, "<section><h2>Flow</h2><p class='lead'>Stations from raw material (left) to the end of "
            "the line (right), coloured by how %s they are; numbers on the "
            "arrows are buffer capacities. Point at a box for its states.</p>\n", legend);
    if (p->nstations > MAX_DIAGRAM) {
        fprintf(f, "<p class='note'>%d stations are too many to draw legibly here; see the "
                "station and workshop charts below.</p></section>\n", p->nstations);
        return 0;
    }
    int n = p->nstations, ne = p->nbuffers, dashed = 0;
    dg_node *nodes = calloc((size_t)n + 1, sizeof *nodes);
    dg_edge *edges = calloc((size_t)ne + 1, sizeof *edges);
    char *text = malloc(((size_t)n + (size_t)ne + 1) * 400);
    const char **groups = calloc((size_t)p->nworkshops + 1, sizeof *groups);
    if (!nodes || !edges || !text || !groups) { free(nodes); free(edges); free(text); free(groups); return -1; }
    for (int w = 0; w < p->nworkshops; w++) groups[w] = p->workshops[w].name;
    for (int i = 0; i < n; i++) {
        const station *st = &p->stations[i];
        char *sub = text + (size_t)i * 400, *tip = sub + 64, v[24];
        fmt_pct(v, sizeof v, catalogue_busy(&s->stations[i]));
        if (st->servers > 1) snprintf(sub, 64, "%s busy \xc2\xb7 \xc3\x97%d", v, st->servers);
        else snprintf(sub, 64, "%s busy", v);
        station_tip(tip, 336, s, i);
        int onward = 0;             /* outputs other than its rework loop */
        for (int k = 0; k < st->nout; k++)
            onward += !(st->rework_p > 0 && p->buffers[st->out[k]].to == st->rework_to);
        nodes[i] = (dg_node){ st->name, sub, tip, st->workshop, catalogue_busy(&s->stations[i]), i == bn,
                              st->nin == 0 || st->nsrc > 0, onward == 0 };
    }
    for (int b = 0; b < ne; b++) {
        const buffer *bf = &p->buffers[b];
        char *lab = text + ((size_t)n + b) * 400, *tip = lab + 24, cap[24], m[24], x[24];
        if (bf->capacity == CAP_INF) strcpy(cap, "\xe2\x88\x9e");
        else fmt_int(cap, sizeof cap, (double)bf->capacity);
        memcpy(lab, cap, sizeof cap);
        fmt_num(m, sizeof m, s->buffers[b].mean_level.mean, 3);
        fmt_num(x, sizeof x, s->buffers[b].max_level, 3);
        snprintf(tip, 376, "%s: capacity %s, mean level %s, max %s", bf->name, cap, m, x);
        int rework = bf->implicit || (p->stations[bf->from].rework_p > 0 &&
                                      p->stations[bf->from].rework_to == bf->to);
        dashed |= rework;
        edges[b] = (dg_edge){ bf->from, bf->to, lab, tip, rework };
    }
    dg_graph g = { "Flow diagram of the plant", nodes, n, edges, ne, groups, p->nworkshops,
                   legend, bn >= 0 ? "bottleneck" : NULL,
                   dashed ? "rework / loop" : NULL };
    int rc = svg_diagram(f, &g);
    free(nodes); free(edges); free(text); free(groups);
    fputs("</section>\n", f);
    return rc;
}

/* ---- why: states, bottleneck shares, buffers ------------------------- */

typedef struct ranked { int i; double key, key2; } ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->key != y->key) return x->key > y->key ? -1 : 1;
    if (x->key2 != y->key2) return x->key2 > y->key2 ? -1 : 1;
    return x->i - y->i;
}

/* Stations: the named bottleneck first, then by active-period share (then
 * the busiest). */
static ranked *rank_stations(const takt_summary *s, int bn)
{
    int n = s->plant->nstations;
    ranked *r = malloc(((size_t)n + 1) * sizeof *r);
    if (!r) return NULL;
    for (int i = 0; i < n; i++)
        r[i] = (ranked){ i, i == bn ? 3.0 : summary_bottleneck_share(&s->stations[i]),
                         catalogue_busy(&s->stations[i]) };
    qsort(r, (size_t)n, sizeof *r, cmp_ranked);
    return r;
}

static void cut_note(FILE *f, int shown, int total, const char *what)
{
    if (shown < total)
        fprintf(f, "<p class='note'>Showing %d of %d %s; the CSV and JSON reports hold all of them.</p>\n",
                shown, total, what);
}

static int states_section(FILE *f, const takt_summary *s, const ranked *r, int bn)
{
    const takt_plant *p = s->plant;
    int n = p->nstations < MAX_ROWS ? p->nstations : MAX_ROWS;
    hbar_row *rows = calloc((size_t)n + 1, sizeof *rows);
    double *v = calloc((size_t)n * NSTATES + 1, sizeof *v);
    char *notes = calloc((size_t)n + 1, 32);
    const char *names[NSTATES], *colors[NSTATES];
    if (!rows || !v || !notes) { free(rows); free(v); free(notes); return -1; }
    for (int q = 0; q < NSTATES; q++) { names[q] = catalogue_states[catalogue_state_at(q)].label; colors[q] = catalogue_states[catalogue_state_at(q)].color; }
    for (int k = 0; k < n; k++) {
        int i = r[k].i;
        for (int q = 0; q < NSTATES; q++) v[k * NSTATES + q] = s->stations[i].state[catalogue_state_at(q)].mean;
        fmt_pct(notes + k * 32, 24, catalogue_busy(&s->stations[i]));
        strcat(notes + k * 32, " busy");
        rows[k] = (hbar_row){ p->stations[i].name, v + k * NSTATES, notes + k * 32, NULL, NAN, i == bn };
    }
    fputs("<section><h2>Station states</h2><p class='lead'>Share of the measured time in each "
          "state, mean over the machines of a station. <b>Starved</b>: waiting for parts; "
          "<b>blocked</b>: holding a finished part with no room downstream. Stations upstream of "
          "a bottleneck tend to be blocked, those downstream starved. The bottleneck first, "
          "then by active-period share.</p>\n", f);
    hbar_chart c = { "Station states", names, colors, NSTATES, rows, n, 1, 1,
                     "share of measured time", NULL, bn >= 0 ? "bottleneck" : NULL };
    svg_hbars(f, &c);
    cut_note(f, n, p->nstations, "stations");
    fputs("</section>\n", f);
    free(rows); free(v); free(notes);
    return 0;
}

/* The named bottleneck and the gains of the candidates that were run. */
static void named_bottleneck(FILE *f, const takt_summary *s, int bn)
{
    const takt_plant *p = s->plant;
    const bottleneck_sum *b = &s->bottleneck;
    if (bn < 0) return;
    char by[24], m[48], c[48];
    fmt_pct(by, sizeof by, b->by);
    fputs("<p class='lead'>The <b>bottleneck</b> is the station whose improvement raises the "
          "output most: <b>", f);
    html_esc(f, p->stations[bn].name);
    fputs("</b>", f);
    if (b->method == BN_PAIRED_IMPROVEMENT) {
        fmt_num(m, sizeof m, b->gain.mean, 3);
        fmt_num(c, sizeof c, b->gain.ci95, 2);
        fprintf(f, ". A %s shorter cycle there gives %s" NNBSP "\xc2\xb1" NNBSP "%s more %s an "
                "hour, in paired runs on common random numbers (the same random numbers with and "
                "without the improvement) of the candidates below.</p>\n", by, m, c, plant_units(p));
    } else if (b->ncandidates > 0) {
        fprintf(f, ", the active-period pick: no candidate's %s shorter cycle raised the output, "
                "so the output is set elsewhere (arrivals, calendars).</p>\n", by);
    } else {
        fputs(", here by the active-period method alone (no improvement was simulated).</p>\n", f);
    }
    if (b->ncandidates == 0) return;
    fprintf(f, "<div class='tw'><table><thead><tr><th>Candidate</th><th>Gain of a shorter cycle "
            "(%s)</th><th>95" NNBSP "%% interval</th></tr></thead><tbody>\n", plant_rate_unit(p));
    for (int k = 0; k < b->ncandidates; k++) {
        const station_gain *g = &b->candidates[k];
        fmt_num(m, sizeof m, g->gain.mean, 3);
        fmt_num(c, sizeof c, g->gain.ci95, 2);
        fputs("<tr><td>", f);
        html_esc(f, p->stations[g->station].name);
        fprintf(f, "</td><td>%s%s</td><td>\xc2\xb1" NNBSP "%s</td></tr>\n", g->gain.mean > 0 ? "+" : "", m, c);
    }
    fputs("</tbody></table></div>\n", f);
}

static int bottleneck_section(FILE *f, const takt_summary *s, const ranked *r, int bn)
{
    const takt_plant *p = s->plant;
    int n = 0;
    while (n < p->nstations && n < 20 && r[n].key > 0.0005) n++;
    fputs("<section><h2>Bottlenecks</h2>\n", f);
    named_bottleneck(f, s, bn);
    fputs("<p class='lead'>The active-period method, a view of where the flow waits: at each "
          "moment the station that has been working (or in setup, or failed) without a pause for "
          "the longest is the bottleneck. Where its active period overlaps that of the bottleneck "
          "before or after it, the bottleneck is <b>shifting</b> between them (that time counts "
          "for both); otherwise it is the <b>sole</b> bottleneck. A station that works longer "
          "hours than the line, or one of several parallel machines, can have a large share "
          "without limiting the output: the paired runs above decide.</p>\n", f);
    if (n == 0) {
        fputs("<p class='note'>No station was active in the measured time.</p></section>\n", f);
        return 0;
    }
    /* one series per bottleneck share of the catalogue (sole, shifting) */
    static const char *const palette[] = { "#b2182b", "#f4a582", "#92c5de", "#4393c3" };
    const char *names[4], *colors[4];
    int share[4], ns = 0;
    for (int g = 0; g < catalogue_nstation && ns < 4; g++)
        if (catalogue_station[g].group) {
            share[ns] = g;
            names[ns] = catalogue_station[g].label;
            colors[ns] = palette[ns];
            ns++;
        }
    hbar_row *rows = calloc((size_t)n + 1, sizeof *rows);
    double *v = calloc((size_t)n * (size_t)ns + 1, sizeof *v);
    char *notes = calloc((size_t)n + 1, 64);
    if (!rows || !v || !notes) { free(rows); free(v); free(notes); return -1; }
    for (int k = 0; k < n; k++) {
        const station_sum *st = &s->stations[r[k].i];
        size_t at = 0;
        for (int j = 0; j < ns; j++) {
            char a[24];
            v[k * ns + j] = catalogue_value(&catalogue_station[share[j]], st).mean;
            fmt_pct(a, sizeof a, v[k * ns + j]);
            at += (size_t)snprintf(notes + k * 64 + at, at < 64 ? 64 - at : 0, "%s%s", j ? " + " : "", a);
            if (at >= 64) at = 63;
        }
        rows[k] = (hbar_row){ p->stations[r[k].i].name, v + k * ns, notes + k * 64, NULL, NAN, r[k].i == bn };
    }
    hbar_chart c = { "Bottleneck shares", names, colors, ns, rows, n, 0, 1,
                     "share of measured time", NULL, NULL };
    svg_hbars(f, &c);
    if (n < p->nstations) fprintf(f, "<p class='note'>Stations not listed were never or hardly ever "
                                     "(under 0.05" NNBSP "%%) the bottleneck.</p>\n");
    fputs("</section>\n", f);
    free(rows); free(v); free(notes);
    return 0;
}

static int buffers_section(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    int nb = p->nbuffers + p->nsources, n = 0, nopen = 0, ndirect = 0;
    if (nb == 0) return 0;
    ranked *r = malloc(((size_t)nb + 1) * sizeof *r);
    hbar_row *rows = calloc(MAX_ROWS + 1, sizeof *rows);
    double *v = calloc(MAX_ROWS + 1, sizeof *v);
    char *notes = calloc(MAX_ROWS + 1, 96);
    if (!r || !rows || !v || !notes) { free(r); free(rows); free(v); free(notes); return -1; }
    for (int i = 0; i < nb; i++) {
        long cap = i < p->nbuffers ? p->buffers[i].capacity : CAP_INF;
        if (cap == CAP_INF) { nopen++; continue; }
        if (cap == 0) { ndirect++; continue; }
        r[n++] = (ranked){ i, s->buffers[i].mean_level.mean / (double)cap, 0 };
    }
    int total = n;
    if (n > MAX_ROWS) { qsort(r, (size_t)n, sizeof *r, cmp_ranked); n = MAX_ROWS; }
    fputs("<section><h2>Buffers</h2><p class='lead'>Mean level as a share of capacity, with the "
          "highest level seen. A buffer that is mostly full sits in front of a bottleneck; one that "
          "is mostly empty sits behind it.</p>\n", f);
    for (int k = 0; k < n; k++) {
        int i = r[k].i;
        double cap = (double)p->buffers[i].capacity;
        char m[24], c[24], x[24];
        fmt_num(m, sizeof m, s->buffers[i].mean_level.mean, 3);
        fmt_int(c, sizeof c, cap);
        fmt_num(x, sizeof x, s->buffers[i].max_level, 3);
        snprintf(notes + k * 96, 96, "%s of %s (max %s)", m, c, x);
        v[k] = s->buffers[i].mean_level.mean / cap;
        rows[k] = (hbar_row){ plant_buffer_name(p, i), v + k, notes + k * 96, NULL,
                              s->buffers[i].max_level / cap, 0 };
    }
    static const char *const names[] = { "mean level" };
    static const char *const colors[] = { "#0b5cab" };
    if (n > 0) {
        hbar_chart c = { "Buffer levels", names, colors, 1, rows, n, 1, 1,
                         "share of capacity", "highest level", NULL };
        svg_hbars(f, &c);
        cut_note(f, n, total, "bounded buffers (the fullest)");
    }
    if (ndirect) fprintf(f, "<p class='note'>%d buffer%s of capacity 0 (direct hand-over) hold no parts.</p>\n",
                         ndirect, ndirect == 1 ? "" : "s");
    if (nopen) {
        fputs("<h3>Unbounded buffers and arrival queues</h3><div class='tw'><table><thead><tr><th>Name</th>"
              "<th>Mean level</th><th>Highest level</th></tr></thead><tbody>\n", f);
        for (int i = 0, shown = 0; i < nb && shown < MAX_ROWS; i++) {
            long cap = i < p->nbuffers ? p->buffers[i].capacity : CAP_INF;
            if (cap != CAP_INF) continue;
            char m[24], x[24];
            fmt_num(m, sizeof m, s->buffers[i].mean_level.mean, 3);
            fmt_num(x, sizeof x, s->buffers[i].max_level, 3);
            fputs("<tr><td>", f);
            html_esc(f, plant_buffer_name(p, i));
            fprintf(f, "%s</td><td>%s parts</td><td>%s parts</td></tr>\n",
                    i >= p->nbuffers ? " (arrivals)" : "", m, x);
            shown++;
        }
        fputs("</tbody></table></div>\n", f);
    }
    fputs("</section>\n", f);
    free(r); free(rows); free(v); free(notes);
    return 0;
}

static int workshops_section(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    int n = p->nworkshops;
    if (n == 0) return 0;
    hbar_row *rows = calloc((size_t)n + 1, sizeof *rows);
    double *v = calloc((size_t)n * NSTATES + 1, sizeof *v);
    char *notes = calloc((size_t)n + 1, 48);
    const char *names[NSTATES], *colors[NSTATES];
    if (!rows || !v || !notes) { free(rows); free(v); free(notes); return -1; }
    for (int q = 0; q < NSTATES; q++) { names[q] = catalogue_states[catalogue_state_at(q)].label; colors[q] = catalogue_states[catalogue_state_at(q)].color; }
    for (int w = 0; w < n; w++) {
        for (int q = 0; q < NSTATES; q++) v[w * NSTATES + q] = s->workshops[w].state[catalogue_state_at(q)].mean;
        char c[32];
        fmt_int(c, sizeof c, s->workshops[w].parts_out.mean);
        snprintf(notes + w * 48, 48, "%s out", c);
        rows[w] = (hbar_row){ p->workshops[w].name, v + w * NSTATES, notes + w * 48, NULL, NAN, 0 };
    }
    fputs("<section><h2>Workshops</h2><p class='lead'>States of all machines of each workshop "
          "together, and the parts it passed on in the measured time.</p>\n", f);
    hbar_chart c = { "Workshop states", names, colors, NSTATES, rows, n, 1, 1,
                     "share of measured time", NULL, NULL };
    svg_hbars(f, &c);
    fputs("</section>\n", f);
    free(rows); free(v); free(notes);
    return 0;
}

/* ---- the page ---------------------------------------------------------- */

int report_html(FILE *f, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    int bn = summary_bottleneck(s), rc = 0;
    ranked *r = rank_stations(s, bn);
    if (!r) return -1;
    fputs("<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>\n"
          "<meta name='viewport' content='width=device-width,initial-scale=1'>\n"
          "<meta name='generator' content='takt " TAKT_VERSION "'>\n<title>", f);
    html_esc(f, p->name);
    fprintf(f, " \xe2\x80\x94 takt report</title>\n<style>\n%s</style></head>\n<body><main>\n", css);
    header(f, s);
    cards(f, s);
    targets_section(f, s);
    if (diagram_section(f, s, bn) < 0 || states_section(f, s, r, bn) < 0 ||
        bottleneck_section(f, s, r, bn) < 0 || buffers_section(f, s) < 0 ||
        workshops_section(f, s) < 0 || html_days(f, s) < 0 ||
        report_html_series(f, s) < 0)          /* OEE, over time */
        rc = -1;
    html_resources(f, s);
    fputs("<footer>Made by takt " TAKT_VERSION ". How to read this report: docs/report.md. "
          "Station states follow VDI 3423; the bottleneck is confirmed by paired improvement runs "
          "(docs/diagnosis.md), the bottleneck shares are the active-period method of "
          "Roser, Nakano and Tanaka.</footer>\n</main></body></html>\n", f);
    free(r);
    return rc < 0 || ferror(f) ? -1 : 0;
}
