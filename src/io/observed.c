/*
 * observed.c — the CSV reader of the observed series (observed.h).
 *
 * Checked before any simulation, so a typing error costs nothing: the
 * columns, every date (valid, increasing, within the plant's days) and
 * every count (a number >= 0).  A date outside the plant's days is refused
 * rather than clipped, because a period the model does not cover would be
 * compared with nothing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "observed.h"
#include "suggest.h"
#include "../core/date.h"

enum { COL_DATE, COL_PRODUCED, COL_DELIVERED, COL_WEIGHT, NCOLS };
static const char *const col_name[NCOLS] = { "date", "produced", "delivered", "weight" };

#define MAX_FIELDS 16

typedef struct field {
    const char *s;
    int len, col;                   /* trimmed text; 1-based column      */
} field;

/* Split one line (no newline) at commas, trimming blanks. */
static int split(const char *line, int len, field *f, int max)
{
    int n = 0, i = 0;
    for (;;) {
        int start = i;
        while (i < len && line[i] != ',') i++;
        int a = start, b = i;
        while (a < b && (line[a] == ' ' || line[a] == '\t')) a++;
        while (b > a && (line[b - 1] == ' ' || line[b - 1] == '\t')) b--;
        if (n < max) { f[n].s = line + a; f[n].len = b - a; f[n].col = a + 1; }
        n++;
        if (i >= len) return n;
        i++;
    }
}

static int header(diags *d, const field *f, int n, int *which)
{
    int seen[NCOLS] = { 0 }, bad = 0;
    for (int i = 0; i < n && i < MAX_FIELDS; i++) {
        char name[64];
        snprintf(name, sizeof name, "%.*s", f[i].len, f[i].s);
        which[i] = -1;
        for (int c = 0; c < NCOLS; c++)
            if (!strcmp(name, col_name[c])) which[i] = c;
        if (which[i] < 0) {
            const char *g = text_suggest(name, col_name, NCOLS);
            char tip[96] = "";
            if (g) snprintf(tip, sizeof tip, " (did you mean '%s'?)", g);
            diags_add(d, 1, f[i].col, "unknown column '%s'%s: expected date, produced, delivered "
                      "or weight", name, tip);
            bad = 1;
        } else if (seen[which[i]]++) {
            diags_add(d, 1, f[i].col, "column '%s' given twice", name);
            bad = 1;
        }
    }
    if (n > MAX_FIELDS) { diags_add(d, 1, 1, "too many columns (%d)", n); bad = 1; }
    if (!bad && !seen[COL_DATE]) { diags_add(d, 1, 1, "no 'date' column"); bad = 1; }
    if (!bad && !seen[COL_PRODUCED] && !seen[COL_DELIVERED]) {
        diags_add(d, 1, 1, "no 'produced' or 'delivered' column: nothing to fit");
        bad = 1;
    }
    return bad ? -1 : 0;
}

/* A count or weight: empty (NAN), or a finite number >= 0. */
static int number(const field *f, double *v)
{
    char buf[64], *end;
    if (f->len == 0) { *v = NAN; return 0; }
    if (f->len >= (int)sizeof buf) return -1;
    memcpy(buf, f->s, (size_t)f->len);
    buf[f->len] = '\0';
    *v = strtod(buf, &end);
    return end != buf && !*end && isfinite(*v) && *v >= 0 && strspn(buf, "0123456789.eE+-") == (size_t)f->len ? 0 : -1;
}

typedef struct reader {
    const takt_plant *p;
    int ndays;
    fit_observed *out;
    int cap;
    int64_t prev_day;
    int prev_last;                  /* last day index of the previous row */
    diags *d;
} reader;

static int row(reader *R, int line, const field *f, int n, const int *which, int ncols)
{
    diags *d = R->d;
    if (n != ncols) {
        diags_add(d, line, 1, "expected %d fields as in the header, got %d", ncols, n);
        return -1;
    }
    fit_period pk = { 0, 0, 0, { NAN, NAN }, 1.0, line };
    int bad = 0;
    for (int i = 0; i < n; i++) {
        char text[64];
        snprintf(text, sizeof text, "%.*s", f[i].len > 40 ? 40 : f[i].len, f[i].s);
        if (which[i] == COL_DATE) {
            char buf[16], when[16];
            snprintf(buf, sizeof buf, "%.*s", f[i].len < 15 ? f[i].len : 15, f[i].s);
            if (f[i].len > 10 || date_parse(buf, &pk.day) < 0) {
                diags_add(d, line, f[i].col, "expected a date YYYY-MM-DD, got '%s'", text);
                return -1;
            }
            int64_t idx = pk.day - R->p->start_day;
            if (idx < 0) {
                date_format(R->p->start_day, when);
                diags_add(d, line, f[i].col, "%s is before the plant's time 0 (start: %s)", buf, when);
                bad = 1;
            } else if (idx >= R->ndays) {
                date_format(R->p->start_day + R->ndays - 1, when);
                diags_add(d, line, f[i].col, "%s is after the plant's last simulated day (%s)", buf, when);
                bad = 1;
            } else if (R->out->n > 0 && pk.day <= R->prev_day) {
                date_format(R->prev_day, when);
                diags_add(d, line, f[i].col, "dates must increase: %s is not after %s", buf, when);
                bad = 1;
            }
            pk.first = R->prev_last + 1;
            pk.last = (int)idx;
        } else {
            double v;
            if (number(&f[i], &v) < 0) {
                diags_add(d, line, f[i].col, "%s: expected a number >= 0 or nothing, got '%s'",
                          col_name[which[i]], text);
                bad = 1;
            } else if (which[i] == COL_WEIGHT) {
                pk.weight = isnan(v) ? 1.0 : v;
            } else {
                pk.obs[which[i] == COL_PRODUCED ? FIT_PRODUCED : FIT_DELIVERED] = v;
            }
        }
    }
    if (bad) return -1;
    fit_observed *o = R->out;
    if (o->n == R->cap) {
        int cap = R->cap ? 2 * R->cap : 64;
        fit_period *more = realloc(o->v, (size_t)cap * sizeof *more);
        if (!more) { diags_add(d, line, 1, "out of memory"); return -1; }
        o->v = more;
        R->cap = cap;
    }
    for (int s = 0; s < FIT_NSERIES; s++) o->has[s] |= !isnan(pk.obs[s]);
    o->v[o->n++] = pk;
    R->prev_day = pk.day;
    R->prev_last = pk.last;
    return 0;
}

int observed_parse(const char *text, size_t len, const takt_plant *p, fit_observed *out,
                   diags *d)
{
    memset(out, 0, sizeof *out);
    if (!p->has_start) {
        diags_add(d, 0, 0, "the plant has no 'start:' date, so its days cannot be matched "
                  "to the observed dates");
        return -1;
    }
    reader R = { p, (int)ceil((p->warmup + p->horizon) / 86400.0), out, 0, 0, -1, d };
    int which[MAX_FIELDS], ncols = 0, line = 0, errors = 0, have_header = 0;
    size_t i = 0;
    while (i < len && errors < 20) {
        size_t e = i;
        while (e < len && text[e] != '\n') e++;
        int n = (int)(e - i);
        line++;
        const char *s = text + i;
        if (n > 0 && s[n - 1] == '\r') n--;
        i = e + 1;
        if (n > 0 && memchr(s, 0, (size_t)n)) { diags_add(d, line, 1, "not a text file"); errors++; break; }
        int k = 0;
        while (k < n && (s[k] == ' ' || s[k] == '\t')) k++;
        if (k == n || s[k] == '#') continue;
        field f[MAX_FIELDS];
        int nf = split(s, n, f, MAX_FIELDS);
        if (!have_header) {
            if (header(d, f, nf, which) < 0) return -1;
            ncols = nf;
            have_header = 1;
            continue;
        }
        if (nf > MAX_FIELDS) nf = MAX_FIELDS + 1;
        errors += row(&R, line, f, nf, which, ncols) < 0;
    }
    if (!errors && !have_header) diags_add(d, 1, 1, "empty file: expected a header such as date,produced");
    else if (!errors && out->n == 0) diags_add(d, line + 1, 1, "no rows after the header");
    else if (!errors && !out->has[FIT_PRODUCED] && !out->has[FIT_DELIVERED])
        diags_add(d, line + 1, 1, "every count is empty: nothing to fit");
    else if (!errors) return 0;
    fit_observed_free(out);
    return -1;
}
