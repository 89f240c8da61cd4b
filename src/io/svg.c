/*
 * svg.c — text and charts for the HTML report (see svg.h).
 *
 * Charts are written straight to the stream as SVG with a fixed viewBox
 * SVG_WIDTH wide; the page scales them, so sizes here are in viewBox
 * units that equal CSS pixels at full width.  Text widths are estimated
 * from character counts (no font metrics without a browser), with room
 * to spare, and long names are cut with "…" and kept whole in a tooltip.
 *
 * Long series stay small: a line or band with more points than there are
 * pixel columns is reduced to the lowest and highest value of each column,
 * which draws the same picture as every point would.
 *
 * The box-and-arrow diagram of a plant is in svg_diagram.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "svg.h"
#include "../core/date.h"

#define CHAR_W 7.0                  /* mean glyph width at 12.5 px       */

/* ---- text and numbers ----------------------------------------------- */

static void esc_char(FILE *f, unsigned char c)
{
    switch (c) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    case '\'': fputs("&#39;", f); break;
    default: if (c >= 0x20 && c != 0x7f) fputc(c, f); else if (c == '\t' || c == '\n') fputc(' ', f);
    }
}

void html_esc(FILE *f, const char *s)
{
    for (; s && *s; s++) esc_char(f, (unsigned char)*s);
}

static int utf8_len(const char *s)
{
    int n = 0;
    for (; s && *s; s++) n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

void html_esc_cut(FILE *f, const char *s, int max)
{
    if (!s) return;
    if (utf8_len(s) <= max) { html_esc(f, s); return; }
    int n = 0;
    for (; *s; s++) {
        int lead = ((unsigned char)*s & 0xc0) != 0x80;
        if (lead && ++n > max - 1) break;
        esc_char(f, (unsigned char)*s);
    }
    fputs("\xe2\x80\xa6", f);
}

/* ---- axes and legends ------------------------------------------------ */

static double nice_step(double span, int maxn)
{
    static const double m[] = { 1, 2, 2.5, 5, 10 };
    if (!(span > 0)) return 1;
    double raw = span / maxn, mag = pow(10, floor(log10(raw)));
    for (int i = 0; i < 5; i++)
        if (m[i] * mag >= raw * (1 - 1e-9)) return m[i] * mag;
    return 10 * mag;
}

/* Top of an axis from 0 that holds v, on a step of nice_step. */
static double nice_top(double v, int maxn, double *step)
{
    if (!(v > 0) || !isfinite(v)) v = 1;
    *step = nice_step(v, maxn);
    double top = ceil(v / *step * (1 - 1e-9)) * *step;
    return top > 0 ? top : *step;
}

enum { SW_RECT, SW_LINE, SW_BAND, SW_DIAMOND, SW_TICK, SW_DASH, SW_OUTLINE };

/* One legend entry at (*x, y); advances *x. */
static void legend(FILE *f, double *x, double y, const char *color, int kind, const char *name)
{
    double s = 12, cx = *x;
    switch (kind) {
    case SW_LINE: case SW_DASH:
        fprintf(f, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='%s' stroke-width='2.5'%s/>",
                cx, y - 4, cx + 18, y - 4, color, kind == SW_DASH ? " stroke-dasharray='5 3'" : "");
        s = 18; break;
    case SW_BAND:
        fprintf(f, "<rect x='%.1f' y='%.1f' width='18' height='10' fill='%s' fill-opacity='.2'/>", cx, y - 9, color);
        s = 18; break;
    case SW_DIAMOND:
        fprintf(f, "<path d='M%.1f %.1fl5 5-5 5-5-5z' fill='%s'/>", cx + 6, y - 9, color); break;
    case SW_TICK:
        fprintf(f, "<rect x='%.1f' y='%.1f' width='2.5' height='13' fill='%s'/>", cx + 4, y - 10, color); break;
    case SW_OUTLINE:
        fprintf(f, "<rect x='%.1f' y='%.1f' width='12' height='12' rx='2' fill='none' stroke='%s' stroke-width='2.5'/>",
                cx, y - 10, color); break;
    default:
        fprintf(f, "<rect x='%.1f' y='%.1f' width='12' height='12' rx='2' fill='%s'/>", cx, y - 10, color);
    }
    fprintf(f, "<text x='%.1f' y='%.1f' class='lg'>", cx + s + 5, y);
    html_esc(f, name);
    fputs("</text>", f);
    *x += s + 5 + utf8_len(name) * CHAR_W + 18;
}

static void svg_open(FILE *f, double h, const char *title)
{
    fprintf(f, "<svg class='chart' viewBox='0 0 %d %.0f' "
            "width='%d' height='%.0f' role='img'><title>", SVG_WIDTH, h, SVG_WIDTH, h);
    html_esc(f, title);
    fputs("</title>\n", f);
}

/* ---- horizontal bars ------------------------------------------------- */

#define HB_ROW 22
#define HB_BAR 14
#define HB_TOP 34

static int max_chars(const hbar_row *r, int n, int note)
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        int l = utf8_len(note ? r[i].note : r[i].label);
        if (l > m) m = l;
    }
    return m;
}

static void hbar_row_draw(FILE *f, const hbar_chart *c, const hbar_row *r, double y,
                          double x0, double scale, double lw, int cut)
{
    if (r->strong)
        fprintf(f, "<rect x='0' y='%.1f' width='%d' height='%d' fill='#fdebe6'/>",
                y - 3, SVG_WIDTH, HB_ROW - 2);
    fprintf(f, "<text x='%.1f' y='%.1f' text-anchor='end' class='%s'>", lw - 8, y + HB_BAR - 3,
            r->strong ? "lb b" : "lb");
    html_esc_cut(f, r->label, cut);
    fputs("</text>", f);
    double x = x0;
    for (int k = 0; k < c->nseries; k++) {
        double w = r->v[k] * scale;
        if (!(w > 0)) continue;
        fprintf(f, "<rect x='%.2f' y='%.1f' width='%.2f' height='%d' fill='%s'><title>",
                x, y, w, HB_BAR, c->colors[k]);
        char v[32];
        if (c->percent) fmt_pct(v, sizeof v, r->v[k]); else fmt_num(v, sizeof v, r->v[k], 3);
        html_esc(f, r->label); fputs(" \xe2\x80\x94 ", f); html_esc(f, c->series[k]);
        fprintf(f, ": %s</title></rect>", v);
        x += w;
    }
    if (isfinite(r->max) && r->max > 0)
        fprintf(f, "<rect x='%.2f' y='%.1f' width='2.5' height='%d' fill='#333'/>",
                x0 + r->max * scale - 1.25, y - 2, HB_BAR + 4);
    if (r->note) {
        fprintf(f, "<text x='%.1f' y='%.1f' class='nt'>", x0 + (c->xmax > 0 ? c->xmax : 1) * scale + 10,
                y + HB_BAR - 3);
        html_esc(f, r->note);
        fputs("</text>", f);
    }
    if (r->tip) { fputs("<title>", f); html_esc(f, r->tip); fputs("</title>", f); }
    fputc('\n', f);
}

void svg_hbars(FILE *f, const hbar_chart *c0)
{
    hbar_chart c = *c0;
    double hi = 0, step, top;
    for (int i = 0; i < c.nrows; i++) {
        double t = 0;
        for (int k = 0; k < c.nseries; k++) t += c.rows[i].v[k];
        if (t > hi) hi = t;
        if (isfinite(c.rows[i].max) && c.rows[i].max > hi) hi = c.rows[i].max;
    }
    if (c.xmax > 0) top = c.xmax, step = nice_step(top, 6);
    else if (c.percent && hi > 0.5 && hi <= 1) top = 1, step = 0.2;  /* shares: the whole */
    else top = nice_top(hi, 6, &step);
    c.xmax = top;
    int cut = 34;
    double lw = fmin(fmax(max_chars(c.rows, c.nrows, 0), 6), cut) * CHAR_W + 18;
    double nw = c.rows && max_chars(c.rows, c.nrows, 1) ? max_chars(c.rows, c.nrows, 1) * CHAR_W + 16 : 8;
    double x0 = lw, pw = SVG_WIDTH - lw - nw - 10, scale = pw / top;
    double h = HB_TOP + c.nrows * HB_ROW + 44;
    svg_open(f, h, c.title);
    double lx = x0, ly = 16;
    for (int k = 0; k < c.nseries; k++) legend(f, &lx, ly, c.colors[k], SW_RECT, c.series[k]);
    if (c.max_name) legend(f, &lx, ly, "#333", SW_TICK, c.max_name);
    if (c.strong_name) legend(f, &lx, ly, "#fdebe6", SW_RECT, c.strong_name);
    double yb = HB_TOP + c.nrows * HB_ROW;
    for (int i = 0; i * step <= top * (1 + 1e-9); i++) {
        double v = i * step, x = x0 + v * scale;
        char t[32];
        if (c.percent) fmt_pct(t, sizeof t, v); else fmt_num(t, sizeof t, v, 4);
        fprintf(f, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%.1f' class='gr'/>"
                "<text x='%.1f' y='%.1f' text-anchor='middle' class='tk'>%s</text>",
                x, HB_TOP - 4, x, yb, x, yb + 15, t);
    }
    for (int i = 0; i < c.nrows; i++)
        hbar_row_draw(f, &c, &c.rows[i], HB_TOP + i * HB_ROW, x0, scale, lw, cut);
    fprintf(f, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' class='ax'/>", x0, yb, x0 + pw, yb);
    fprintf(f, "<text x='%.1f' y='%.1f' text-anchor='middle' class='at'>", x0 + pw / 2, yb + 34);
    html_esc(f, c.xlabel);
    fputs("</text></svg>\n", f);
}

/* ---- x-y charts over days -------------------------------------------- */

#define XY_L 74
#define XY_R 22
#define XY_T 40
#define XY_B 46

typedef struct xy_frame {
    double x0, x1, top;             /* data range                        */
    double px0, px1, py0, py1;      /* plot area (py0 bottom)            */
} xy_frame;

static double fx(const xy_frame *a, double x) { return a->px0 + (x - a->x0) / (a->x1 - a->x0) * (a->px1 - a->px0); }
static double fy(const xy_frame *a, double y) { return a->py0 - y / a->top * (a->py0 - a->py1); }
static double sx(const xy_series *s, int i) { return s->x ? s->x[i] : s->x0 + i; }

static const char *const month_abbr[12] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

static void x_tick(FILE *f, const xy_frame *a, double day, const char *label)
{
    double x = fx(a, day), half = utf8_len(label) * 3.6;
    const char *anchor = x + half > SVG_WIDTH - 2 ? "end" : x - half < 2 ? "start" : "middle";
    fprintf(f, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' class='ax'/>"
            "<text x='%.1f' y='%.1f' text-anchor='%s' class='tk'>%s</text>",
            x, a->py0, x, a->py0 + 5, x, a->py0 + 18, anchor, label);
}

/* Ticks on days, weeks, months or years, whichever gives at most ~10. */
static void x_dates(FILE *f, const xy_frame *a)
{
    double span = a->x1 - a->x0;
    char t[40];
    int y, m, d;
    if (span <= 75) {
        int step = span <= 10 ? 1 : span <= 20 ? 2 : span <= 70 ? 7 : 14;
        for (int64_t day = (int64_t)ceil(a->x0); day <= a->x1; day++) {
            if (step >= 7 ? (day - 4) % 7 != 0 || ((day - 4) / 7) % (step / 7) != 0 : day % step != 0)
                continue;                        /* weeks start on Mondays */
            date_to_civil(day, &y, &m, &d);
            snprintf(t, sizeof t, "%d %s", d, month_abbr[m - 1]);
            x_tick(f, a, (double)day, t);
        }
        return;
    }
    static const int steps[] = { 1, 2, 3, 6, 12, 24, 60, 120, 600 };
    int step = 600;
    for (int i = 0; i < 9; i++)
        if (span / 30.44 / steps[i] <= 10) { step = steps[i]; break; }
    date_to_civil((int64_t)floor(a->x0), &y, &m, &d);
    int first = 1;
    for (long mi = (long)y * 12 + (m - 1) + (d > 1); ; mi++) {
        if (mi % step) continue;
        int64_t day = date_from_civil((int)(mi / 12), (int)(mi % 12) + 1, 1);
        if (day > a->x1) break;
        if (step >= 12) snprintf(t, sizeof t, "%ld", mi / 12);
        else if (first || mi % 12 == 0) snprintf(t, sizeof t, "%s %ld", month_abbr[mi % 12], mi / 12);
        else snprintf(t, sizeof t, "%s", month_abbr[mi % 12]);
        x_tick(f, a, (double)day, t);
        first = 0;
    }
}

/* The points of v (a line, or one edge of a band) as path commands,
 * reduced to the lowest and highest value of each pixel column; reversed
 * for the lower edge of a band, which is drawn on the way back. */
static void xy_path(FILE *f, const xy_frame *a, const xy_series *s, const double *v, int reverse)
{
    int n = s->n, cols = (int)(a->px1 - a->px0) + 1;
    char cmd = reverse ? 'L' : 'M';
    if (n <= 2 * cols) {
        for (int k = 0; k < n; k++) {
            int i = reverse ? n - 1 - k : k;
            if (!isfinite(v[i])) continue;
            fprintf(f, "%c%.1f %.1f", cmd, fx(a, sx(s, i)), fy(a, v[i]));
            cmd = 'L';
        }
        return;
    }
    int k = 0;
    while (k < n) {
        int i = reverse ? n - 1 - k : k;
        int col = (int)fx(a, sx(s, i));
        double lo = v[i], hi = v[i];
        int ilo = i, ihi = i;
        for (k++; k < n; k++) {
            int j = reverse ? n - 1 - k : k;
            if ((int)fx(a, sx(s, j)) != col) break;
            if (v[j] < lo) { lo = v[j]; ilo = j; }
            if (v[j] > hi) { hi = v[j]; ihi = j; }
        }
        int first = (ilo < ihi) != reverse ? ilo : ihi, second = first == ilo ? ihi : ilo;
        fprintf(f, "%c%.1f %.1f", cmd, fx(a, sx(s, first)), fy(a, v[first]));
        cmd = 'L';
        if (second != first) fprintf(f, "L%.1f %.1f", fx(a, sx(s, second)), fy(a, v[second]));
    }
}

static void xy_series_draw(FILE *f, const xy_frame *a, const xy_series *s)
{
    if (s->n <= 0) return;
    if (s->kind == XY_BAND) {
        fputs("<path d='", f);
        xy_path(f, a, s, s->y2, 0);
        xy_path(f, a, s, s->y, 1);
        fprintf(f, "Z' fill='%s' fill-opacity='.2' stroke='none'/>\n", s->color);
    } else if (s->kind == XY_BARS) {
        double w = (s->width > 0 ? s->width : 1) * (a->px1 - a->px0) / (a->x1 - a->x0);
        double gap = w > 6 ? w * 0.18 : 0;
        fprintf(f, "<g fill='%s'>", s->color);
        for (int i = 0; i < s->n; i++) {
            if (!(s->y[i] > 0)) continue;
            double x = fx(a, sx(s, i)), y = fy(a, s->y[i]);
            fprintf(f, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f'/>",
                    x + gap / 2, y, fmax(w - gap, 0.6), a->py0 - y);
        }
        fputs("</g>\n", f);
    } else {
        fputs("<path d='", f);
        xy_path(f, a, s, s->y, 0);
        fprintf(f, "' fill='none' stroke='%s' stroke-width='%s' stroke-linejoin='round'%s/>\n",
                s->color, s->thin ? "1" : "2", s->dashed ? " stroke-dasharray='6 4'" : "");
    }
}

static void xy_marks(FILE *f, const xy_frame *a, const xy_chart *c)
{
    for (int i = 0; i < c->nmarks; i++) {
        const xy_mark *m = &c->marks[i];
        double x = fx(a, m->x), y = fy(a, m->y);
        const char *col = m->ok ? "#1a7f4b" : "#c2410c";
        fprintf(f, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='%s' stroke-dasharray='2 3'/>"
                "<path d='M%.1f %.1fl7 7-7 7-7-7z' fill='%s' stroke='#fff'/>",
                x, a->py0, x, y, col, x, y - 7, col);
        int right = x > (a->px0 + a->px1) / 2;
        fprintf(f, "<text x='%.1f' y='%.1f' text-anchor='%s' class='mk' style='fill:%s'>",
                right ? x - 11 : x + 11, y - 6 + (i % 2) * 14, right ? "end" : "start", col);
        html_esc(f, m->label);
        fputs("</text>\n", f);
    }
}

void svg_xy(FILE *f, const xy_chart *c)
{
    double hi = 0;
    for (int k = 0; k < c->ns; k++)
        for (int i = 0; i < c->s[k].n; i++) {
            const double *v = c->s[k].kind == XY_BAND ? c->s[k].y2 : c->s[k].y;
            if (isfinite(v[i]) && v[i] > hi) hi = v[i];
        }
    for (int i = 0; i < c->nmarks; i++) if (c->marks[i].y > hi) hi = c->marks[i].y;
    double step, h = c->height > 0 ? c->height : 300;
    xy_frame a = { c->xmin, c->xmax > c->xmin ? c->xmax : c->xmin + 1, 0,
                   XY_L, SVG_WIDTH - XY_R, h - XY_B, XY_T };
    a.top = nice_top(hi * 1.04, 5, &step);
    svg_open(f, h, c->title);
    double lx = XY_L, ly = 16;
    for (int k = 0; k < c->ns; k++) {
        const xy_series *s = &c->s[k];
        int sw = s->kind == XY_BAND ? SW_BAND : s->kind == XY_BARS ? SW_RECT : s->dashed ? SW_DASH : SW_LINE;
        legend(f, &lx, ly, s->color, sw, s->name);
    }
    if (c->nmarks && c->mark_name) legend(f, &lx, ly, "#1a7f4b", SW_DIAMOND, c->mark_name);
    for (int i = 0; i * step <= a.top * (1 + 1e-9); i++) {
        char t[32];
        double y = fy(&a, i * step);
        fmt_num(t, sizeof t, i * step, 4);
        fprintf(f, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' class='gr'/>"
                "<text x='%.1f' y='%.1f' text-anchor='end' class='tk'>%s</text>",
                a.px0, y, a.px1, y, a.px0 - 6, y + 4, t);
    }
    fprintf(f, "<text transform='translate(16 %.1f) rotate(-90)' text-anchor='middle' class='at'>",
            (a.py0 + a.py1) / 2);
    html_esc(f, c->ylabel);
    fputs("</text>\n", f);
    fprintf(f, "<clipPath id='clip-%s'><rect x='%.1f' y='%.1f' width='%.1f' height='%.1f'/></clipPath>"
            "<g clip-path='url(#clip-%s)'>", c->id, a.px0, a.py1 - 20, a.px1 - a.px0 + 1,
            a.py0 - a.py1 + 21, c->id);
    for (int pass = 0; pass < 3; pass++)
        for (int k = 0; k < c->ns; k++) {
            int kind = c->s[k].kind;
            if ((pass == 0 && kind == XY_BAND) || (pass == 1 && kind == XY_BARS) ||
                (pass == 2 && kind == XY_LINE))
                xy_series_draw(f, &a, &c->s[k]);
        }
    fputs("</g>", f);
    xy_marks(f, &a, c);
    fprintf(f, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' class='ax'/>", a.px0, a.py0, a.px1, a.py0);
    fprintf(f, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' class='ax'/>", a.px0, a.py0, a.px0, a.py1);
    x_dates(f, &a);
    fprintf(f, "<text x='%.1f' y='%.1f' text-anchor='middle' class='at'>date</text></svg>\n",
            (a.px0 + a.px1) / 2, h - 8);
}
