/*
 * store_query.c — reading the run store for people: `takt runs` (one line
 * per run), `takt show RUN` (a run's settings, KPIs, stations, buffers,
 * targets) and `takt compare A B` (KPIs and station working shares side
 * by side, with whether their 95 % intervals overlap).
 *
 * Only SELECTs are run, so looking never changes the store, and WAL mode
 * lets it work while another takt is recording.  Rows are printed in the order they
 * were recorded (rowid), which is the plant file's order.
 *
 * "differ" in a comparison means the two 95 % intervals are disjoint.
 * That is a conservative test: disjoint intervals imply a significant
 * difference (at a level well below 5 %), while overlapping ones do not
 * prove that there is none.  It needs at least two replications per run.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "store.h"
#include "store_internal.h"
#include "report.h"

typedef struct run_meta {
    long long id;
    char *started_at, *plant, *plant_file, *plant_hash, *version, *command_line;
    char *bottleneck;               /* NULL in stores before version 2   */
    unsigned long long seed;
    int replications;
    double horizon, warmup, wall_s;
    long long events, sweep_id;
} run_meta;

typedef struct named_row {
    char *name;
    double mean, ci95;              /* NAN when NULL                     */
} named_row;

typedef struct named_rows {
    named_row *v;
    int n;
} named_rows;

/* ---- small formatting helpers ----------------------------------------- */

static double col_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? strdup((const char *)s) : NULL;
}

/* Print s left-aligned in width columns, counting UTF-8 characters (so
 * "±" takes one column, not two bytes). */
static void pad(FILE *f, const char *s, int width)
{
    int cols = 0;
    for (const char *c = s; *c; c++) cols += ((unsigned char)*c & 0xc0) != 0x80;
    fputs(s, f);
    for (; cols < width; cols++) fputc(' ', f);
}

/* "0.90685 ± 0.0029", or "-" when there is no value. */
static void fmt_pm(char *buf, size_t len, double mean, double ci95, double scale, const char *unit)
{
    char m[24], c[16];              /* 6 digits, grouped; 2 digits */
    fmt_fixed(m, sizeof m, mean * scale, 6);
    fmt_fixed(c, sizeof c, ci95 * scale, 2);
    if (isnan(mean)) snprintf(buf, len, "-");
    else if (isnan(ci95)) snprintf(buf, len, "%s%s", m, unit);
    else snprintf(buf, len, "%s ± %s%s", m, c, unit);
}

int store_ci_overlap(double ma, double ha, double mb, double hb)
{
    if (isnan(ma) || isnan(ha) || isnan(mb) || isnan(hb)) return -1;
    return fabs(ma - mb) <= fabs(ha) + fabs(hb);
}

static int no_run(const char *path, long long id, char *err, int errlen)
{
    snprintf(err, (size_t)errlen, "no run %lld in '%s' ('takt runs --db %s' lists them)", id, path, path);
    return 2;
}

/* ---- loading ---------------------------------------------------------- */

static void meta_free(run_meta *m)
{
    free(m->started_at); free(m->plant); free(m->plant_file); free(m->plant_hash);
    free(m->version); free(m->command_line); free(m->bottleneck);
    memset(m, 0, sizeof *m);
}

/* 0 found, 2 no such run, 1 error. */
static int load_meta(sqlite3 *db, const char *path, long long id, run_meta *m, char *err, int errlen)
{
    sqlite3_stmt *st;
    memset(m, 0, sizeof *m);
    /* A store of version 1, read without migrating it, has no bottleneck. */
    int has_bn = store_has_column(db, "runs", "bottleneck") == 1;
    if (sqlite3_prepare_v2(db, has_bn ?
                           "SELECT started_at, plant, plant_file, plant_hash, takt_version, "
                           "command_line, seed, replications, horizon_s, warmup_s, wall_s, events, "
                           "sweep_id, bottleneck FROM runs WHERE id = ?1" :
                           "SELECT started_at, plant, plant_file, plant_hash, takt_version, "
                           "command_line, seed, replications, horizon_s, warmup_s, wall_s, events, "
                           "sweep_id, NULL FROM runs WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
        return store_error(db, "cannot read the run store", path, err, errlen), 1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        m->id = id;
        m->started_at = col_dup(st, 0);
        m->plant = col_dup(st, 1);
        m->plant_file = col_dup(st, 2);
        m->plant_hash = col_dup(st, 3);
        m->version = col_dup(st, 4);
        m->command_line = col_dup(st, 5);
        m->seed = (unsigned long long)sqlite3_column_int64(st, 6);
        m->replications = sqlite3_column_int(st, 7);
        m->horizon = col_real(st, 8);
        m->warmup = col_real(st, 9);
        m->wall_s = col_real(st, 10);
        m->events = sqlite3_column_int64(st, 11);
        m->sweep_id = sqlite3_column_int64(st, 12);
        m->bottleneck = col_dup(st, 13);
    } else if (rc != SQLITE_DONE) {
        store_error(db, "cannot read the run store", path, err, errlen);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? no_run(path, id, err, errlen) : 1;
}

static void rows_free(named_rows *r)
{
    for (int i = 0; i < r->n; i++) free(r->v[i].name);
    free(r->v);
    r->v = NULL; r->n = 0;
}

/* Rows (name, mean, ci95) of a query with one parameter, the run id. */
static int load_rows(sqlite3 *db, const char *sql, long long id, named_rows *r)
{
    sqlite3_stmt *st;
    int cap = 0, rc;
    r->v = NULL; r->n = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (r->n == cap) {
            cap = cap ? 2 * cap : 16;
            named_row *v = realloc(r->v, (size_t)cap * sizeof *v);
            if (!v) { rc = SQLITE_NOMEM; break; }
            r->v = v;
        }
        named_row *row = &r->v[r->n];
        row->name = col_dup(st, 0);
        if (!row->name) { rc = SQLITE_NOMEM; break; }
        row->mean = col_real(st, 1);
        row->ci95 = col_real(st, 2);
        r->n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) { rows_free(r); return -1; }
    return 0;
}

static const named_row *find_row(const named_rows *r, const char *name)
{
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->v[i].name, name)) return &r->v[i];
    return NULL;
}

/* ---- takt runs ---------------------------------------------------------- */

static int list_to(const char *path, FILE *f, char *err, int errlen)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int rc = store_open_read(path, &db, err, errlen);
    if (rc) return rc;
    const figure_def *rate = catalogue_throughput();
    char rate_head[64];
    snprintf(rate_head, sizeof rate_head, "%s (%s)", rate->label, rate->unit);
    if (sqlite3_prepare_v2(db, "SELECT r.id, r.started_at, r.seed, r.replications, r.horizon_s, "
                               "k.mean, k.ci95, r.plant FROM runs r LEFT JOIN kpis k "
                               "ON k.run_id = r.id AND k.name = ?1 ORDER BY r.id",
                           -1, &st, NULL) != SQLITE_OK) {
        store_error(db, "cannot read the run store", path, err, errlen);
        sqlite3_close(db);
        return 1;
    }
    sqlite3_bind_text(st, 1, rate->key, -1, SQLITE_STATIC);
    int n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char horizon[32], th[64];
        if (n++ == 0)
            fprintf(f, "%5s  %-20s  %10s  %5s  %-10s  %-20s  %s\n", "id", "started (UTC)", "seed",
                    "reps", "horizon", rate_head, "plant");
        fmt_duration(horizon, sizeof horizon, col_real(st, 4));
        fmt_pm(th, sizeof th, col_real(st, 5), col_real(st, 6), 1, "");
        const unsigned char *started = sqlite3_column_text(st, 1);
        const unsigned char *plant = sqlite3_column_text(st, 7);
        fprintf(f, "%5lld  %-20s  %10llu  %5d  %-10s  ", (long long)sqlite3_column_int64(st, 0),
                started ? (const char *)started : "", (unsigned long long)sqlite3_column_int64(st, 2),
                sqlite3_column_int(st, 3), horizon);
        pad(f, th, 20);
        fprintf(f, "  %s\n", plant ? (const char *)plant : "");
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_error(db, "cannot read the run store", path, err, errlen);
        sqlite3_close(db);
        return 1;
    }
    if (n == 0) fprintf(f, "no runs recorded in %s\n", path);
    sqlite3_close(db);
    return ferror(f) ? (snprintf(err, (size_t)errlen, "cannot write the list"), 1) : 0;
}

/* ---- takt show ---------------------------------------------------------- */

static void show_meta(FILE *f, const run_meta *m)
{
    char h[32], w[32];
    fmt_duration(h, sizeof h, m->horizon);
    fmt_duration(w, sizeof w, m->warmup);
    fprintf(f, "Run %lld — %s\n", m->id, m->plant ? m->plant : "");
    fprintf(f, "  %-14s %s\n", "started (UTC)", m->started_at ? m->started_at : "-");
    fprintf(f, "  %-14s %s\n", "plant file", m->plant_file ? m->plant_file : "(built-in plant)");
    fprintf(f, "  %-14s %s\n", "plant sha256", m->plant_hash ? m->plant_hash : "-");
    fprintf(f, "  %-14s %llu\n", "seed", m->seed);
    fprintf(f, "  %-14s %d\n", "replications", m->replications);
    fprintf(f, "  %-14s %s after %s warm-up\n", "horizon", h, w);
    fprintf(f, "  %-14s takt %s\n", "version", m->version ? m->version : "?");
    fprintf(f, "  %-14s %s\n", "command", m->command_line ? m->command_line : "-");
    fprintf(f, "  %-14s %.3f s, %lld events\n", "wall time", m->wall_s, m->events);
    if (m->sweep_id > 0) fprintf(f, "  %-14s %lld\n", "sweep", m->sweep_id);
    if (m->bottleneck) fprintf(f, "  %-14s %s\n", "bottleneck", m->bottleneck);
}

static int show_kpis(FILE *f, sqlite3 *db, long long id)
{
    named_rows r;
    if (load_rows(db, "SELECT name, mean, ci95 FROM kpis WHERE run_id = ?1 ORDER BY rowid", id, &r) < 0)
        return -1;
    fprintf(f, "\nKPIs (mean ± 95 %% half-width)\n");
    for (int i = 0; i < r.n; i++) {
        char v[64];
        fmt_pm(v, sizeof v, r.v[i].mean, r.v[i].ci95, 1, "");
        fprintf(f, "  %-26s %s\n", r.v[i].name, v);
    }
    rows_free(&r);
    return 0;
}

static int name_width(sqlite3 *db, const char *sql, long long id, int least)
{
    sqlite3_stmt *st;
    int w = least;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return w;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > w) w = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return w;
}

/* A column of `show`'s station table: an SQL expression (NULL when the
 * store predates the column), its heading, and whether it is a share. */
typedef struct show_col {
    char expr[96];
    const char *head;
    int share;
} show_col;

typedef struct show_cols {
    show_col v[64];
    int n;
    sqlite3 *db;
} show_cols;

static void show_add(show_cols *c, const char *column, const char *head, int share)
{
    if (c->n == 64) return;
    show_col *sc = &c->v[c->n++];
    snprintf(sc->expr, sizeof sc->expr, "%s", store_has_column(c->db, "stations", column) == 1 ? column : "NULL");
    sc->head = head;
    sc->share = share;
}

/* Station figures, mean and half-width (parts out); the states and the
 * bottleneck shares as percentages. */
static void show_station_cols(show_cols *c)
{
    static char names[NSTATES][80];
    for (int k = 0; k < catalogue_nstation; k++) {
        const figure_def *fd = &catalogue_station[k];
        if (fd->group || !fd->sql) continue;
        show_add(c, fd->sql, fd->label, 0);
        show_add(c, fd->sql_ci ? fd->sql_ci : "NULL", NULL, 0);
    }
    for (int q = 0; q < NSTATES; q++) {
        snprintf(names[q], sizeof names[q], "%s_mean", catalogue_states[q].key);
        show_add(c, names[q], catalogue_states[q].label, 1);
    }
    for (int k = 0; k < catalogue_nstation; k++) {
        const figure_def *fd = &catalogue_station[k];
        if (fd->group && fd->sql) show_add(c, fd->sql, fd->label, 1);
    }
}

static int show_stations(FILE *f, sqlite3 *db, long long id)
{
    sqlite3_stmt *st;
    show_cols c = { .n = 0, .db = db };
    int w = name_width(db, "SELECT max(length(station)) FROM stations WHERE run_id = ?1", id, 8), rc;
    show_station_cols(&c);
    char *sql = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&sql, &len);
    if (!m) return -1;
    fputs("SELECT station", m);
    for (int i = 0; i < c.n; i++) fprintf(m, ", %s", c.v[i].expr);
    fputs(" FROM stations WHERE run_id = ?1 ORDER BY rowid", m);
    if (fclose(m) != 0) { free(sql); return -1; }
    rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    free(sql);
    if (rc != SQLITE_OK) return -1;
    sqlite3_bind_int64(st, 1, id);
    fprintf(f, "\nStations (shares of time, %%)\n  ");
    pad(f, "station", w);
    for (int i = 0; i < c.n; i++) {
        if (!c.v[i].head) continue;
        int cw = (int)strlen(c.v[i].head) > 10 ? (int)strlen(c.v[i].head) : 10;
        if (c.v[i].share) fprintf(f, " %*s", cw, c.v[i].head);
        else fprintf(f, "  %-20s", c.v[i].head);
    }
    fputc('\n', f);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fputs("  ", f);
        pad(f, (const char *)sqlite3_column_text(st, 0), w);
        for (int i = 0; i < c.n; i++) {
            if (!c.v[i].head) continue;
            int cw = (int)strlen(c.v[i].head) > 10 ? (int)strlen(c.v[i].head) : 10;
            double v = col_real(st, i + 1);
            if (!c.v[i].share) {
                char out[64];
                double ci = i + 1 < c.n && !c.v[i + 1].head ? col_real(st, i + 2) : NAN;
                fmt_pm(out, sizeof out, v, ci, 1, "");
                fputs("  ", f);
                pad(f, out, 20);
            } else if (isnan(v)) fprintf(f, " %*s", cw, "-");
            else fprintf(f, " %*.1f", cw, 100 * v);
        }
        fputc('\n', f);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int show_buffers(FILE *f, sqlite3 *db, long long id)
{
    sqlite3_stmt *st;
    int w = name_width(db, "SELECT max(length(buffer)) FROM buffers WHERE run_id = ?1", id, 8), rc, n = 0;
    if (sqlite3_prepare_v2(db, "SELECT buffer, capacity, mean_level, mean_level_ci95, max_level "
                               "FROM buffers WHERE run_id = ?1 ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char level[64], cap[32];
        if (n++ == 0) {
            fprintf(f, "\nBuffers\n  ");
            pad(f, "buffer", w);
            fprintf(f, "  %8s  %-20s  %s\n", "capacity", "mean level", "max level");
        }
        fmt_pm(level, sizeof level, col_real(st, 2), col_real(st, 3), 1, "");
        if (sqlite3_column_type(st, 1) == SQLITE_NULL) snprintf(cap, sizeof cap, "inf");
        else snprintf(cap, sizeof cap, "%lld", (long long)sqlite3_column_int64(st, 1));
        fputs("  ", f);
        pad(f, (const char *)sqlite3_column_text(st, 0), w);
        fprintf(f, "  %8s  ", cap);
        pad(f, level, 20);
        char top[40];
        fmt_fixed(top, sizeof top, col_real(st, 4), 6);
        fprintf(f, "  %s\n", top);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static const char *col_or(sqlite3_stmt *st, int i, const char *none)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : none;
}

static int show_plant_layer(FILE *f, sqlite3 *db, long long id)
{
    sqlite3_stmt *st;
    int rc;
    if (sqlite3_prepare_v2(db, "SELECT sum(kind = 'daily'), sum(kind = 'monthly'), "
                               "min(CASE kind WHEN 'daily' THEN date END), "
                               "max(CASE kind WHEN 'daily' THEN date END) "
                               "FROM series WHERE run_id = ?1", -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_int64(st, 1, id);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0)
        fprintf(f, "\nSeries: %d days (%s to %s) and %d months, in the table series\n",
                sqlite3_column_int(st, 0), col_or(st, 2, "?"), col_or(st, 3, "?"), sqlite3_column_int(st, 1));
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) return -1;
    if (sqlite3_prepare_v2(db, "SELECT what, value, by, reached, reached_lo, reached_hi, met FROM targets "
                               "WHERE run_id = ?1 ORDER BY rowid", -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_int64(st, 1, id);
    for (int n = 0; (rc = sqlite3_step(st)) == SQLITE_ROW; n++) {
        if (n == 0) fprintf(f, "\nTargets\n");
        fprintf(f, "  %s %.10g by %s: ", col_or(st, 0, "?"), col_real(st, 1), col_or(st, 2, "-"));
        if (sqlite3_column_type(st, 3) == SQLITE_NULL) fprintf(f, "not reached");
        else fprintf(f, "reached %s (%s to %s)", col_or(st, 3, "-"), col_or(st, 4, "-"), col_or(st, 5, "-"));
        fprintf(f, ", %s\n", sqlite3_column_int(st, 6) ? "met" : "not met");
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int show_to(const char *path, long long id, FILE *f, char *err, int errlen)
{
    sqlite3 *db;
    run_meta m;
    int rc = store_open_read(path, &db, err, errlen);
    if (rc) return rc;
    rc = load_meta(db, path, id, &m, err, errlen);
    if (rc == 0) {
        show_meta(f, &m);
        if (show_kpis(f, db, id) < 0 || show_stations(f, db, id) < 0 || show_buffers(f, db, id) < 0 ||
            show_plant_layer(f, db, id) < 0)
            rc = (store_error(db, "cannot read the run store", path, err, errlen), 1);
        else if (ferror(f))
            rc = (snprintf(err, (size_t)errlen, "cannot write the report"), 1);
    }
    meta_free(&m);
    sqlite3_close(db);
    return rc;
}

/* ---- takt compare -------------------------------------------------------- */

/* How a row's values are shown: times scale, with unit; differences
 * with diff_unit (percentage points for shares). */
typedef struct row_fmt {
    double scale;
    const char *unit, *diff_unit;
} row_fmt;

/* One line: name, A, B, B - A (and relative), verdict. */
static void compare_line(FILE *f, int w, const char *name, const named_row *a, const named_row *b,
                         const row_fmt *rf, int reps_ok)
{
    char va[64], vb[64], diff[64];
    const char *verdict = "-";
    fmt_pm(va, sizeof va, a ? a->mean : NAN, a ? a->ci95 : NAN, rf->scale, rf->unit);
    fmt_pm(vb, sizeof vb, b ? b->mean : NAN, b ? b->ci95 : NAN, rf->scale, rf->unit);
    snprintf(diff, sizeof diff, "-");
    if (a && b && !isnan(a->mean) && !isnan(b->mean)) {
        double d = b->mean - a->mean;
        char dv[40];
        fmt_fixed(dv, sizeof dv, d * rf->scale, 4);
        if (a->mean != 0)
            snprintf(diff, sizeof diff, "%s%s%s (%+.1f %%)", d > 0 ? "+" : "", dv, rf->diff_unit,
                     100 * d / fabs(a->mean));
        else
            snprintf(diff, sizeof diff, "%s%s%s", d > 0 ? "+" : "", dv, rf->diff_unit);
        int o = store_ci_overlap(a->mean, a->ci95, b->mean, b->ci95);
        if (reps_ok && o >= 0) verdict = o ? "overlap" : "differ";
    }
    fputs("  ", f);
    pad(f, name, w);
    fputs("  ", f); pad(f, va, 22);
    fputs("  ", f); pad(f, vb, 22);
    fputs("  ", f); pad(f, diff, 24);
    fprintf(f, "  %s\n", verdict);
}

/* Every name of a, then those only in b, each compared. */
static void compare_rows(FILE *f, const char *title, const named_rows *a, const named_rows *b,
                         const row_fmt *rf, int reps_ok, const run_meta *ma, const run_meta *mb)
{
    int w = (int)strlen(title) - 2;
    char ha[32], hb[32];
    for (int i = 0; i < a->n; i++) if ((int)strlen(a->v[i].name) > w) w = (int)strlen(a->v[i].name);
    for (int i = 0; i < b->n; i++) if ((int)strlen(b->v[i].name) > w) w = (int)strlen(b->v[i].name);
    snprintf(ha, sizeof ha, "run %lld", ma->id);
    snprintf(hb, sizeof hb, "run %lld", mb->id);
    fprintf(f, "\n");
    pad(f, title, w + 2);
    fputs("  ", f); pad(f, ha, 22);
    fputs("  ", f); pad(f, hb, 22);
    fputs("  ", f); pad(f, "difference", 24);
    fputs("  95 % intervals\n", f);
    for (int i = 0; i < a->n; i++)
        compare_line(f, w, a->v[i].name, &a->v[i], find_row(b, a->v[i].name), rf, reps_ok);
    for (int i = 0; i < b->n; i++)
        if (!find_row(a, b->v[i].name)) compare_line(f, w, b->v[i].name, NULL, &b->v[i], rf, reps_ok);
}

static void compare_meta(FILE *f, const run_meta *a, const run_meta *b)
{
    char ha[32], hb[32];
    fprintf(f, "Run %lld and run %lld (difference = run %lld - run %lld)\n", a->id, b->id, b->id, a->id);
    fprintf(f, "  %-13s %s  |  %s\n", "plant", a->plant ? a->plant : "", b->plant ? b->plant : "");
    if (a->plant_hash && b->plant_hash && strcmp(a->plant_hash, b->plant_hash) != 0)
        fprintf(f, "  %-13s differ (%.12s  |  %.12s)\n", "plant files", a->plant_hash, b->plant_hash);
    fprintf(f, "  %-13s %llu  |  %llu\n", "seed", a->seed, b->seed);
    fprintf(f, "  %-13s %d  |  %d\n", "replications", a->replications, b->replications);
    fmt_duration(ha, sizeof ha, a->horizon);
    fmt_duration(hb, sizeof hb, b->horizon);
    fprintf(f, "  %-13s %s  |  %s\n", "horizon", ha, hb);
}

static int compare_to(const char *path, long long ida, long long idb, FILE *f, char *err, int errlen)
{
    sqlite3 *db;
    run_meta a, b;
    named_rows ka = { 0 }, kb = { 0 }, sa = { 0 }, sb = { 0 };
    int rc = store_open_read(path, &db, err, errlen);
    if (rc) return rc;
    memset(&b, 0, sizeof b);
    rc = load_meta(db, path, ida, &a, err, errlen);
    if (rc == 0) rc = load_meta(db, path, idb, &b, err, errlen);
    static const char kpi_sql[] = "SELECT name, mean, ci95 FROM kpis WHERE run_id = ?1 ORDER BY rowid";
    /* stations side by side by their first state, working */
    const state_def *cmp_state = &catalogue_states[ST_WORKING];
    char st_sql[160], st_title[64];
    snprintf(st_sql, sizeof st_sql, "SELECT station, %s_mean, %s_ci95 FROM stations "
             "WHERE run_id = ?1 ORDER BY rowid", cmp_state->key, cmp_state->key);
    snprintf(st_title, sizeof st_title, "%c%s share", toupper((unsigned char)cmp_state->label[0]),
             cmp_state->label + 1);
    if (rc == 0 && (load_rows(db, kpi_sql, ida, &ka) < 0 || load_rows(db, kpi_sql, idb, &kb) < 0 ||
                    load_rows(db, st_sql, ida, &sa) < 0 || load_rows(db, st_sql, idb, &sb) < 0))
        rc = (store_error(db, "cannot read the run store", path, err, errlen), 1);
    if (rc == 0) {
        int reps_ok = a.replications >= 2 && b.replications >= 2;
        static const row_fmt plain = { 1, "", "" }, share = { 100, " %", " pp" };
        compare_meta(f, &a, &b);
        compare_rows(f, "KPI", &ka, &kb, &plain, reps_ok, &a, &b);
        compare_rows(f, st_title, &sa, &sb, &share, reps_ok, &a, &b);
        fprintf(f, "\n%s\n", reps_ok
            ? "differ: the 95 % intervals do not overlap, a significant difference; overlap: no "
              "difference shown (it may still exist)."
            : "Intervals are not compared: a run has fewer than 2 replications.");
        if (ferror(f)) rc = (snprintf(err, (size_t)errlen, "cannot write the comparison"), 1);
    }
    rows_free(&ka); rows_free(&kb); rows_free(&sa); rows_free(&sb);
    meta_free(&a); meta_free(&b);
    sqlite3_close(db);
    return rc;
}

/* ---- printing all or nothing --------------------------------------------- */

/* The whole text is made in memory first and printed only when every
 * query succeeded, so a store that fails half-way prints nothing. */
typedef struct query {
    const char *path;
    long long a, b;
    int what;                       /* 0 list, 1 show, 2 compare        */
} query;

static int print_all_or_nothing(const query *q, FILE *out, char *err, int errlen)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) { snprintf(err, (size_t)errlen, "out of memory"); return 1; }
    int rc = q->what == 0 ? list_to(q->path, f, err, errlen)
           : q->what == 1 ? show_to(q->path, q->a, f, err, errlen)
           : compare_to(q->path, q->a, q->b, f, err, errlen);
    if (fclose(f) != 0 && rc == 0) rc = (snprintf(err, (size_t)errlen, "out of memory"), 1);
    if (rc == 0 && (fwrite(text, 1, len, out) != len || fflush(out) != 0))
        rc = (snprintf(err, (size_t)errlen, "cannot write to standard output: %s", strerror(errno)), 1);
    free(text);
    return rc;
}

int store_list(const char *path, FILE *f, char *err, int errlen)
{
    query q = { path, 0, 0, 0 };
    return print_all_or_nothing(&q, f, err, errlen);
}

int store_show(const char *path, long long id, FILE *f, char *err, int errlen)
{
    query q = { path, id, 0, 1 };
    return print_all_or_nothing(&q, f, err, errlen);
}

int store_compare(const char *path, long long a, long long b, FILE *f, char *err, int errlen)
{
    query q = { path, a, b, 2 };
    return print_all_or_nothing(&q, f, err, errlen);
}
