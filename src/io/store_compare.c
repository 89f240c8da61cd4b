/*
 * store_compare.c — `takt compare A B`: what differs between two recorded
 * runs, and the difference B − A of each headline figure with its 95 %
 * interval, as text or JSON (docs/run-store.md).
 *
 * Two runs with the same seed and the same number of replications used
 * the same random numbers replication by replication (common random
 * numbers: replication i of each is seeded from (seed, i)), so their
 * figures are paired by replication index and the interval is that of
 * the mean paired difference, usually far narrower than an interval that
 * treats the runs as independent.  Otherwise — or for runs recorded
 * before the store kept per-replication values — the runs are
 * independent samples and the interval is Welch's, with the
 * Welch–Satterthwaite degrees of freedom (src/core/diffci.c).  The output
 * says which was used, figure by figure in JSON.
 *
 * A figure "differs" when its interval excludes 0: a significant
 * difference at the 5 % level.  The stations' working shares, for which
 * no per-replication values are kept, are still compared by whether their
 * two intervals overlap (store_ci_overlap).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "store.h"
#include "store_read.h"
#include "fmt.h"
#include "report.h"
#include "jsonw.h"
#include "../core/diffci.h"

/* One headline figure of both runs and their difference. */
typedef struct kpi_cmp {
    const char *name;
    const named_row *a, *b;         /* NULL: the run does not have it    */
    diff_ci d;                      /* mean NAN: no difference           */
    int paired;                     /* 1 paired, 0 Welch, -1 no interval */
} kpi_cmp;

typedef struct comparison {
    run_meta a, b;
    named_rows ka, kb, sa, sb;      /* KPIs, station working shares      */
    kpi_cmp *k;
    int nk;
    int same_seeds;                 /* same seed and replications (>= 2) */
    int npaired, nwelch;
} comparison;

static void cmp_free(comparison *c)
{
    store_rows_free(&c->ka); store_rows_free(&c->kb);
    store_rows_free(&c->sa); store_rows_free(&c->sb);
    store_meta_free(&c->a); store_meta_free(&c->b);
    free(c->k);
}

int store_ci_overlap(double ma, double ha, double mb, double hb)
{
    if (isnan(ma) || isnan(ha) || isnan(mb) || isnan(hb)) return -1;
    return fabs(ma - mb) <= fabs(ha) + fabs(hb);
}

static int significant(const diff_ci *d)
{
    if (isnan(d->mean) || isnan(d->half)) return -1;
    return fabs(d->mean) > d->half;
}

/* The standard deviation of n >= 2 values (n - 1 in the denominator). */
static double sample_sd(const double *v, int n)
{
    double m = 0, ss = 0;
    for (int i = 0; i < n; i++) m += v[i];
    m /= n;
    for (int i = 0; i < n; i++) ss += (v[i] - m) * (v[i] - m);
    return sqrt(ss / (n - 1));
}

/* The difference of one figure: paired when both runs share their seeds
 * and the store has every replication's value of both, else Welch's; a
 * figure without an interval (fewer than 2 replications, a quantile of
 * the customer wait) gets the difference of its means alone.  0, or -1
 * on an SQLite error. */
static int difference(sqlite3 *db, comparison *c, kpi_cmp *k)
{
    int na = c->a.replications, nb = c->b.replications;
    k->d = (diff_ci){ NAN, NAN, NAN };
    k->paired = -1;
    if (!k->a || !k->b || isnan(k->a->mean) || isnan(k->b->mean)) return 0;
    double *va = calloc((size_t)(na > 0 ? na : 1), sizeof *va);
    double *vb = calloc((size_t)(nb > 0 ? nb : 1), sizeof *vb);
    int rc = 0, ha = 0, hb = 0;
    if (!va || !vb) rc = -1;
    if (rc == 0 && na >= 2 && nb >= 2) {
        ha = store_load_reps(db, c->a.id, k->name, va, na);
        hb = store_load_reps(db, c->b.id, k->name, vb, nb);
        if (ha < 0 || hb < 0) rc = -1;
    }
    if (rc == 0 && c->same_seeds && ha == 1 && hb == 1) {
        k->d = diffci_paired(va, vb, na);
        k->paired = 1;
        c->npaired++;
    } else if (rc == 0) {
        /* the deviations from the values when kept, else from the
         * half-widths (the same numbers up to rounding) */
        double sa = ha == 1 ? sample_sd(va, na) : diffci_sd_from_half(k->a->ci95, na);
        double sb = hb == 1 ? sample_sd(vb, nb) : diffci_sd_from_half(k->b->ci95, nb);
        double ma = k->a->mean, mb = k->b->mean;
        k->d = diffci_welch(ma, sa, na, mb, sb, nb);
        if (!isnan(k->d.half)) {
            k->paired = 0;
            c->nwelch++;
        }
    }
    free(va); free(vb);
    return rc;
}

static int load(sqlite3 *db, const char *path, long long ida, long long idb, comparison *c,
                char *err, int errlen)
{
    int rc = store_load_meta(db, path, ida, &c->a, err, errlen);
    if (rc == 0) rc = store_load_meta(db, path, idb, &c->b, err, errlen);
    if (rc) return rc;
    static const char kpi_sql[] = "SELECT name, mean, ci95 FROM kpis WHERE run_id = ?1 ORDER BY rowid";
    const state_def *cmp_state = &catalogue_states[ST_WORKING];
    char st_sql[160];
    snprintf(st_sql, sizeof st_sql, "SELECT station, %s_mean, %s_ci95 FROM stations "
             "WHERE run_id = ?1 ORDER BY rowid", cmp_state->key, cmp_state->key);
    if (store_load_rows(db, kpi_sql, ida, &c->ka) < 0 || store_load_rows(db, kpi_sql, idb, &c->kb) < 0 ||
        store_load_rows(db, st_sql, ida, &c->sa) < 0 || store_load_rows(db, st_sql, idb, &c->sb) < 0)
        return store_error(db, "cannot read the run store", path, err, errlen), 1;
    c->same_seeds = c->a.seed == c->b.seed && c->a.replications == c->b.replications &&
                    c->a.replications >= 2;
    /* every figure of a, then those only in b */
    c->k = calloc((size_t)(c->ka.n + c->kb.n + 1), sizeof *c->k);
    if (!c->k) return snprintf(err, (size_t)errlen, "out of memory"), 1;
    for (int i = 0; i < c->ka.n; i++)
        c->k[c->nk++] = (kpi_cmp){ c->ka.v[i].name, &c->ka.v[i], store_find_row(&c->kb, c->ka.v[i].name),
                                   { NAN, NAN, NAN }, 0 };
    for (int i = 0; i < c->kb.n; i++)
        if (!store_find_row(&c->ka, c->kb.v[i].name))
            c->k[c->nk++] = (kpi_cmp){ c->kb.v[i].name, NULL, &c->kb.v[i], { NAN, NAN, NAN }, 0 };
    for (int i = 0; i < c->nk; i++)
        if (difference(db, c, &c->k[i]) < 0)
            return store_error(db, "cannot read the run store", path, err, errlen), 1;
    return 0;
}

/* ---- what differs ------------------------------------------------------------ */

enum { D_PLANT, D_SETTINGS, D_SWEPT, D_SEED, D_REPS, D_HORIZON, D_WARMUP, ND };
static const char *const differs_key[ND] = { "plant_hash", "settings", "swept", "seed", "replications",
                                              "horizon_s", "warmup_s" };
static const char *const differs_label[ND] = { "plant file", "settings", "swept values", "seed",
                                                "replications", "horizon", "warm-up" };

static int str_differ(const char *x, const char *y)
{
    return strcmp(x ? x : "", y ? y : "") != 0;
}

static void what_differs(const comparison *c, int d[ND])
{
    char sa[1024], sb[1024];
    d[D_PLANT] = str_differ(c->a.plant_hash, c->b.plant_hash);
    store_settings_text(&c->a, 0, sa, sizeof sa);
    store_settings_text(&c->b, 0, sb, sizeof sb);
    d[D_SETTINGS] = strcmp(sa, sb) != 0;
    store_settings_text(&c->a, 1, sa, sizeof sa);
    store_settings_text(&c->b, 1, sb, sizeof sb);
    d[D_SWEPT] = strcmp(sa, sb) != 0;
    d[D_SEED] = c->a.seed != c->b.seed;
    d[D_REPS] = c->a.replications != c->b.replications;
    d[D_HORIZON] = c->a.horizon != c->b.horizon;
    d[D_WARMUP] = c->a.warmup != c->b.warmup;
}

/* ---- text ----------------------------------------------------------------------- */

static void meta_line(FILE *f, const char *label, const char *va, const char *vb, int w, int differ)
{
    fputs("  ", f);
    store_pad(f, label, 14);
    store_pad(f, va, w);
    fputs("  ", f);
    if (differ) { store_pad(f, vb, w); fputs("  differs", f); }
    else fputs(vb, f);
    fputc('\n', f);
}

static void text_meta(FILE *f, const comparison *c, const int d[ND])
{
    const run_meta *a = &c->a, *b = &c->b;
    char v[ND][2][1024], ha[32], hb[32];
    fprintf(f, "Run %lld and run %lld (difference = run %lld - run %lld)\n", a->id, b->id, b->id, a->id);
    snprintf(v[D_PLANT][0], sizeof v[0][0], "%.12s", a->plant_hash ? a->plant_hash : "-");
    snprintf(v[D_PLANT][1], sizeof v[0][0], "%.12s", b->plant_hash ? b->plant_hash : "-");
    for (int s = 0; s < 2; s++) {
        const run_meta *m = s ? b : a;
        store_settings_text(m, 0, v[D_SETTINGS][s], sizeof v[0][0]);
        store_settings_text(m, 1, v[D_SWEPT][s], sizeof v[0][0]);
        if (!*v[D_SETTINGS][s]) strcpy(v[D_SETTINGS][s], "-");
        if (!*v[D_SWEPT][s]) strcpy(v[D_SWEPT][s], "-");
        snprintf(v[D_SEED][s], sizeof v[0][0], "%llu", m->seed);
        snprintf(v[D_REPS][s], sizeof v[0][0], "%d", m->replications);
        fmt_duration(s ? hb : ha, sizeof ha, m->horizon);
        snprintf(v[D_HORIZON][s], sizeof v[0][0], "%s", s ? hb : ha);
        fmt_duration(s ? hb : ha, sizeof ha, m->warmup);
        snprintf(v[D_WARMUP][s], sizeof v[0][0], "%s", s ? hb : ha);
    }
    int w = 22;
    for (int k = 0; k < ND; k++) if ((int)strlen(v[k][0]) > w) w = (int)strlen(v[k][0]);
    if (a->plant && (int)strlen(a->plant) > w) w = (int)strlen(a->plant);
    snprintf(ha, sizeof ha, "run %lld", a->id);
    snprintf(hb, sizeof hb, "run %lld", b->id);
    meta_line(f, "", ha, hb, w, 0);
    meta_line(f, "plant", a->plant ? a->plant : "", b->plant ? b->plant : "", w, str_differ(a->plant, b->plant));
    static const char *const label[ND] = { "plant sha256", "settings", "swept", "seed", "replications",
                                           "horizon", "warm-up" };
    for (int k = 0; k < ND; k++) meta_line(f, label[k], v[k][0], v[k][1], w, d[k]);
    int any = 0;
    for (int k = 0; k < ND; k++)
        if (d[k]) fprintf(f, "%s%s", any++ ? ", " : "What differs: ", differs_label[k]);
    fprintf(f, "%s\n", any ? "." : "Nothing differs in how the runs were made.");
}

static void text_method(FILE *f, const comparison *c)
{
    if (c->npaired > 0)
        fprintf(f, "\nDifferences paired by replication (common random numbers: both runs used seed %llu "
                "and %d replications);\n95 %% interval of the mean paired difference, Student t with %d "
                "degrees of freedom.\n", c->a.seed, c->a.replications, c->a.replications - 1);
    if (c->nwelch > 0) {
        if (c->same_seeds)
            fprintf(f, "\n%s by Welch's interval: the store has no per-replication values %s to pair "
                    "(runs recorded before it kept them).\n", c->npaired ? "Figures marked (Welch)" :
                    "Differences", c->npaired ? "of those" : "of these runs");
        else
            fprintf(f, "\nDifferences by Welch's interval (the runs do not share their random numbers: %s);\n"
                    "Welch–Satterthwaite degrees of freedom, figure by figure.\n",
                    c->a.seed != c->b.seed ? "different seeds" :
                    c->a.replications != c->b.replications ? "different numbers of replications" :
                    "fewer than 2 replications");
    }
    if (c->npaired == 0 && c->nwelch == 0)
        fprintf(f, "\nNo intervals: %s.\n", c->a.replications < 2 || c->b.replications < 2
                ? "a run has fewer than 2 replications" : "the runs have no figure in common with one");
}

static void text_kpis(FILE *f, const comparison *c)
{
    int w = 5;
    char ha[32], hb[32];
    for (int i = 0; i < c->nk; i++) if ((int)strlen(c->k[i].name) > w) w = (int)strlen(c->k[i].name);
    snprintf(ha, sizeof ha, "run %lld", c->a.id);
    snprintf(hb, sizeof hb, "run %lld", c->b.id);
    fputc('\n', f);
    store_pad(f, "KPI", w + 2);
    fputs("  ", f); store_pad(f, ha, 22);
    fputs("  ", f); store_pad(f, hb, 22);
    fputs("  difference (95 %)\n", f);
    for (int i = 0; i < c->nk; i++) {
        const kpi_cmp *k = &c->k[i];
        char va[64], vb[64], diff[96], rel[32] = "";
        store_fmt_pm(va, sizeof va, k->a ? k->a->mean : NAN, k->a ? k->a->ci95 : NAN, 1, "");
        store_fmt_pm(vb, sizeof vb, k->b ? k->b->mean : NAN, k->b ? k->b->ci95 : NAN, 1, "");
        if (isnan(k->d.mean)) snprintf(diff, sizeof diff, "-");
        else {
            if (k->a->mean != 0) snprintf(rel, sizeof rel, " (%+.1f %%)", 100 * k->d.mean / fabs(k->a->mean));
            char dm[32], dh[24];        /* an exact 0 (a run against itself) is "0" */
            if (k->d.mean == 0) snprintf(dm, sizeof dm, "0");
            else fmt_fixed(dm, sizeof dm, k->d.mean, 4);
            if (isnan(k->d.half)) snprintf(diff, sizeof diff, "%s%s%s", k->d.mean >= 0 ? "+" : "", dm, rel);
            else {
                if (k->d.half == 0) snprintf(dh, sizeof dh, "0");
                else fmt_fixed(dh, sizeof dh, k->d.half, 2);
                snprintf(diff, sizeof diff, "%s%s ± %s%s", k->d.mean >= 0 ? "+" : "", dm, dh, rel);
            }
        }
        int sig = significant(&k->d);
        fputs("  ", f); store_pad(f, k->name, w);
        fputs("  ", f); store_pad(f, va, 22);
        fputs("  ", f); store_pad(f, vb, 22);
        fputs("  ", f); store_pad(f, diff, 32);
        fprintf(f, "  %s%s\n", sig < 0 ? "-" : sig ? "differ" : "not shown",
                k->paired == 0 && c->npaired ? " (Welch)" : "");
    }
}

/* The stations' working shares: side by side, whether the intervals overlap. */
static void text_stations(FILE *f, const comparison *c)
{
    const state_def *sd = &catalogue_states[ST_WORKING];
    char title[64], ha[32], hb[32];
    int reps_ok = c->a.replications >= 2 && c->b.replications >= 2;
    snprintf(title, sizeof title, "%c%s share", toupper((unsigned char)sd->label[0]), sd->label + 1);
    int w = (int)strlen(title) - 2;
    for (int i = 0; i < c->sa.n; i++) if ((int)strlen(c->sa.v[i].name) > w) w = (int)strlen(c->sa.v[i].name);
    for (int i = 0; i < c->sb.n; i++) if ((int)strlen(c->sb.v[i].name) > w) w = (int)strlen(c->sb.v[i].name);
    snprintf(ha, sizeof ha, "run %lld", c->a.id);
    snprintf(hb, sizeof hb, "run %lld", c->b.id);
    fputc('\n', f);
    store_pad(f, title, w + 2);
    fputs("  ", f); store_pad(f, ha, 22);
    fputs("  ", f); store_pad(f, hb, 22);
    fputs("  ", f); store_pad(f, "difference", 24);
    fputs("  95 % intervals\n", f);
    for (int pass = 0; pass < 2; pass++) {
        const named_rows *own = pass ? &c->sb : &c->sa, *other = pass ? &c->sa : &c->sb;
        for (int i = 0; i < own->n; i++) {
            const named_row *x = &own->v[i], *y = store_find_row(other, x->name);
            if (pass && y) continue;
            const named_row *ra = pass ? NULL : x, *rb = pass ? x : y;
            char va[64], vb[64], diff[64] = "-";
            const char *verdict = "-";
            store_fmt_pm(va, sizeof va, ra ? ra->mean : NAN, ra ? ra->ci95 : NAN, 100, " %");
            store_fmt_pm(vb, sizeof vb, rb ? rb->mean : NAN, rb ? rb->ci95 : NAN, 100, " %");
            if (ra && rb && !isnan(ra->mean) && !isnan(rb->mean)) {
                double d = rb->mean - ra->mean;
                if (ra->mean != 0) snprintf(diff, sizeof diff, "%+.4g pp (%+.1f %%)", 100 * d, 100 * d / fabs(ra->mean));
                else snprintf(diff, sizeof diff, "%+.4g pp", 100 * d);
                int o = store_ci_overlap(ra->mean, ra->ci95, rb->mean, rb->ci95);
                if (reps_ok && o >= 0) verdict = o ? "overlap" : "differ";
            }
            fputs("  ", f); store_pad(f, x->name, w);
            fputs("  ", f); store_pad(f, va, 22);
            fputs("  ", f); store_pad(f, vb, 22);
            fputs("  ", f); store_pad(f, diff, 24);
            fprintf(f, "  %s\n", verdict);
        }
    }
}

static void write_text(FILE *f, const comparison *c)
{
    int d[ND];
    what_differs(c, d);
    text_meta(f, c, d);
    text_method(f, c);
    text_kpis(f, c);
    text_stations(f, c);
    fprintf(f, "\nKPIs: differ = the 95 %% interval of the difference excludes 0 (a significant "
            "difference); not shown = it includes 0 (a difference may still exist).\n");
    fprintf(f, "Working shares: differ = the two runs' 95 %% intervals do not overlap; overlap = no "
            "difference shown.\n");
}

/* ---- JSON ------------------------------------------------------------------------ */

static void json_settings(jsonw *w, const char *key, const run_meta *m, int swept)
{
    jw_obj(w, key);
    for (int i = 0; i < m->nsettings; i++)
        if (m->settings[i].swept == swept) jw_str(w, m->settings[i].path, m->settings[i].value);
    jw_end(w);
}

static void json_run(jsonw *w, const char *key, const run_meta *m)
{
    jw_obj(w, key);
    jw_int(w, "id", m->id);
    jw_str(w, "plant", m->plant ? m->plant : "");
    if (m->plant_file) jw_str(w, "plant_file", m->plant_file); else jw_null(w, "plant_file");
    if (m->plant_hash) jw_str(w, "plant_hash", m->plant_hash); else jw_null(w, "plant_hash");
    jw_uint(w, "seed", m->seed);
    jw_int(w, "replications", m->replications);
    jw_num(w, "horizon_s", m->horizon);
    jw_num(w, "warmup_s", m->warmup);
    json_settings(w, "settings", m, 0);
    json_settings(w, "swept", m, 1);
    jw_end(w);
}

static void write_json(FILE *f, const comparison *c)
{
    jsonw w;
    int d[ND];
    what_differs(c, d);
    jw_init(&w, f, 1);
    jw_obj(&w, NULL);
    json_run(&w, "a", &c->a);
    json_run(&w, "b", &c->b);
    jw_arr(&w, "differs");
    for (int k = 0; k < ND; k++) if (d[k]) jw_str(&w, NULL, differs_key[k]);
    jw_end(&w);
    if (c->npaired || c->nwelch) jw_str(&w, "method", c->npaired ? "paired" : "welch");
    else jw_null(&w, "method");
    jw_obj(&w, "kpis");
    for (int i = 0; i < c->nk; i++) {
        const kpi_cmp *k = &c->k[i];
        jw_obj(&w, k->name);
        if (k->a) jw_kpi(&w, "a", k->a->mean, k->a->ci95); else jw_null(&w, "a");
        if (k->b) jw_kpi(&w, "b", k->b->mean, k->b->ci95); else jw_null(&w, "b");
        jw_kpi(&w, "difference", k->d.mean, k->d.half);
        if (k->paired < 0) jw_null(&w, "method");
        else jw_str(&w, "method", k->paired ? "paired" : "welch");
        jw_num(&w, "df", k->d.df);
        int sig = significant(&k->d);
        if (sig < 0) jw_null(&w, "significant"); else jw_bool(&w, "significant", sig);
        jw_end(&w);
    }
    jw_end(&w);
    const state_def *sd = &catalogue_states[ST_WORKING];
    int reps_ok = c->a.replications >= 2 && c->b.replications >= 2;
    jw_obj(&w, "stations");
    for (int pass = 0; pass < 2; pass++) {
        const named_rows *own = pass ? &c->sb : &c->sa, *other = pass ? &c->sa : &c->sb;
        for (int i = 0; i < own->n; i++) {
            const named_row *x = &own->v[i], *y = store_find_row(other, x->name);
            if (pass && y) continue;
            const named_row *ra = pass ? NULL : x, *rb = pass ? x : y;
            jw_obj(&w, x->name);
            jw_obj(&w, sd->key);
            if (ra) jw_kpi(&w, "a", ra->mean, ra->ci95); else jw_null(&w, "a");
            if (rb) jw_kpi(&w, "b", rb->mean, rb->ci95); else jw_null(&w, "b");
            int o = ra && rb ? store_ci_overlap(ra->mean, ra->ci95, rb->mean, rb->ci95) : -1;
            jw_num(&w, "difference", ra && rb ? rb->mean - ra->mean : NAN);
            if (!reps_ok || o < 0) jw_null(&w, "overlap"); else jw_bool(&w, "overlap", o);
            jw_end(&w);
            jw_end(&w);
        }
    }
    jw_end(&w);
    jw_end(&w);
    fputc('\n', f);
}

int store_compare_to(const char *path, long long ida, long long idb, int json, FILE *f, char *err,
                     int errlen)
{
    sqlite3 *db;
    comparison c;
    memset(&c, 0, sizeof c);
    int rc = store_open_read(path, &db, err, errlen);
    if (rc) return rc;
    rc = load(db, path, ida, idb, &c, err, errlen);
    if (rc == 0) {
        if (json) write_json(f, &c); else write_text(f, &c);
        if (ferror(f)) rc = (snprintf(err, (size_t)errlen, "cannot write the comparison"), 1);
    }
    cmp_free(&c);
    sqlite3_close(db);
    return rc;
}
