/*
 * store_query.c — reading the run store for people: `takt runs` (one line
 * per run, with its settings), `takt show RUN` (a run's settings, KPIs,
 * stations, buffers, targets) and `takt show RUN --plant` (the plant file
 * it simulated, byte for byte); `takt compare` is store_compare.c.  Every
 * answer is made in memory and printed only when complete.
 *
 * Only SELECTs are run, so looking never changes the store, and WAL mode
 * lets it work while another takt is recording.  Rows are printed in the order they
 * were recorded (rowid), which is the plant file's order.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "store.h"
#include "store_read.h"
#include "fmt.h"
#include "report.h"

/* ---- takt runs ---------------------------------------------------------- */

/* "path=value, ..." of a run's settings, in the order given: a sweep's
 * values first of all, so a column of sweep runs reads at a glance.  An
 * SQL expression over runs r; '' in a store without settings. */
static const char *settings_expr(sqlite3 *db)
{
    static const char with[] =
        "coalesce((SELECT group_concat(x, ', ') FROM (SELECT path || '=' || value AS x FROM settings "
        "WHERE run_id = r.id ORDER BY swept DESC, rowid)), '')";
    return store_has_column(db, "settings", "path") == 1 ? with : "''";
}

static int list_to(const char *path, FILE *f, char *err, int errlen)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int rc = store_open_read(path, &db, err, errlen);
    if (rc) return rc;
    const figure_def *rate = catalogue_throughput();
    char rate_head[64], sql[640];
    snprintf(rate_head, sizeof rate_head, "%s (%s)", rate->label, rate->unit);
    snprintf(sql, sizeof sql, "SELECT r.id, r.started_at, r.seed, r.replications, r.horizon_s, "
             "k.mean, k.ci95, r.plant, %s, (SELECT max(length(plant)) FROM runs) FROM runs r "
             "LEFT JOIN kpis k ON k.run_id = r.id AND k.name = ?1 ORDER BY r.id", settings_expr(db));
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        store_error(db, "cannot read the run store", path, err, errlen);
        sqlite3_close(db);
        return 1;
    }
    sqlite3_bind_text(st, 1, rate->key, -1, SQLITE_STATIC);
    int n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char horizon[32], th[64];
        const unsigned char *started = sqlite3_column_text(st, 1);
        const unsigned char *plant = sqlite3_column_text(st, 7);
        const unsigned char *settings = sqlite3_column_text(st, 8);
        int plant_w = sqlite3_column_int(st, 9) > 5 ? sqlite3_column_int(st, 9) : 5;
        if (n++ == 0) {
            fprintf(f, "%5s  %-20s  %10s  %5s  %-10s  %-20s  ", "id", "started (UTC)", "seed", "reps",
                    "horizon", rate_head);
            store_pad(f, "plant", plant_w);
            fputs("  settings\n", f);
        }
        fmt_duration(horizon, sizeof horizon, store_col_real(st, 4));
        store_fmt_pm(th, sizeof th, store_col_real(st, 5), store_col_real(st, 6), 1, "");
        fprintf(f, "%5lld  %-20s  %10llu  %5d  %-10s  ", (long long)sqlite3_column_int64(st, 0),
                started ? (const char *)started : "", (unsigned long long)sqlite3_column_int64(st, 2),
                sqlite3_column_int(st, 3), horizon);
        store_pad(f, th, 20);
        fputs("  ", f);
        if (settings && *settings) {
            store_pad(f, plant ? (const char *)plant : "", plant_w);
            fprintf(f, "  %s\n", (const char *)settings);
        } else {
            fprintf(f, "%s\n", plant ? (const char *)plant : "");
        }
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
    char set[1024];
    store_settings_text(m, 1, set, sizeof set);
    if (*set) fprintf(f, "  %-14s %s\n", "swept", set);
    store_settings_text(m, 0, set, sizeof set);
    if (*set) fprintf(f, "  %-14s %s\n", "settings", set);
    fprintf(f, "  %-14s %s\n", "plant text", m->has_plant_text
            ? "kept ('takt show RUN --plant' prints it)"
            : "not kept (recorded before the store kept plant texts)");
    if (m->bottleneck) fprintf(f, "  %-14s %s\n", "bottleneck", m->bottleneck);
}

static int show_kpis(FILE *f, sqlite3 *db, long long id)
{
    named_rows r;
    if (store_load_rows(db, "SELECT name, mean, ci95 FROM kpis WHERE run_id = ?1 ORDER BY rowid", id, &r) < 0)
        return -1;
    fprintf(f, "\nKPIs (mean ± 95 %% half-width)\n");
    for (int i = 0; i < r.n; i++) {
        char v[64];
        store_fmt_pm(v, sizeof v, r.v[i].mean, r.v[i].ci95, 1, "");
        fprintf(f, "  %-26s %s\n", r.v[i].name, v);
    }
    store_rows_free(&r);
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
    store_pad(f, "station", w);
    for (int i = 0; i < c.n; i++) {
        if (!c.v[i].head) continue;
        int cw = (int)strlen(c.v[i].head) > 10 ? (int)strlen(c.v[i].head) : 10;
        if (c.v[i].share) fprintf(f, " %*s", cw, c.v[i].head);
        else fprintf(f, "  %-20s", c.v[i].head);
    }
    fputc('\n', f);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fputs("  ", f);
        store_pad(f, (const char *)sqlite3_column_text(st, 0), w);
        for (int i = 0; i < c.n; i++) {
            if (!c.v[i].head) continue;
            int cw = (int)strlen(c.v[i].head) > 10 ? (int)strlen(c.v[i].head) : 10;
            double v = store_col_real(st, i + 1);
            if (!c.v[i].share) {
                char out[64];
                double ci = i + 1 < c.n && !c.v[i + 1].head ? store_col_real(st, i + 2) : NAN;
                store_fmt_pm(out, sizeof out, v, ci, 1, "");
                fputs("  ", f);
                store_pad(f, out, 20);
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
            store_pad(f, "buffer", w);
            fprintf(f, "  %8s  %-20s  %s\n", "capacity", "mean level", "max level");
        }
        store_fmt_pm(level, sizeof level, store_col_real(st, 2), store_col_real(st, 3), 1, "");
        if (sqlite3_column_type(st, 1) == SQLITE_NULL) snprintf(cap, sizeof cap, "inf");
        else snprintf(cap, sizeof cap, "%lld", (long long)sqlite3_column_int64(st, 1));
        fputs("  ", f);
        store_pad(f, (const char *)sqlite3_column_text(st, 0), w);
        fprintf(f, "  %8s  ", cap);
        store_pad(f, level, 20);
        char top[40];
        fmt_fixed(top, sizeof top, store_col_real(st, 4), 6);
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
        fprintf(f, "  %s %.10g by %s: ", col_or(st, 0, "?"), store_col_real(st, 1), col_or(st, 2, "-"));
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
    rc = store_load_meta(db, path, id, &m, err, errlen);
    if (rc == 0) {
        show_meta(f, &m);
        if (show_kpis(f, db, id) < 0 || show_stations(f, db, id) < 0 || show_buffers(f, db, id) < 0 ||
            show_plant_layer(f, db, id) < 0)
            rc = (store_error(db, "cannot read the run store", path, err, errlen), 1);
        else if (ferror(f))
            rc = (snprintf(err, (size_t)errlen, "cannot write the report"), 1);
    }
    store_meta_free(&m);
    sqlite3_close(db);
    return rc;
}

/* ---- takt show --plant ---------------------------------------------------- */

static int show_plant_to(const char *path, long long id, FILE *f, char *err, int errlen)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int rc = store_open_read(path, &db, err, errlen);
    if (rc) return rc;
    int has_text = store_has_column(db, "runs", "plant_text") == 1;
    if (sqlite3_prepare_v2(db, has_text ? "SELECT plant_text FROM runs WHERE id = ?1"
                                        : "SELECT NULL FROM runs WHERE id = ?1", -1, &st, NULL) != SQLITE_OK) {
        store_error(db, "cannot read the run store", path, err, errlen);
        sqlite3_close(db);
        return 1;
    }
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        const void *bytes = sqlite3_column_blob(st, 0);
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        if (n > 0 && fwrite(bytes, 1, n, f) != n) rc = (snprintf(err, (size_t)errlen, "cannot write the plant"), 1);
    } else if (step == SQLITE_ROW) {
        snprintf(err, (size_t)errlen, "run %lld in '%s' has no plant text: it was recorded before the "
                 "store kept plant texts (its plant file's sha256 is in 'takt show %lld')", id, path, id);
        rc = 2;
    } else if (step == SQLITE_DONE) {
        rc = store_no_run(path, id, err, errlen);
    } else {
        rc = (store_error(db, "cannot read the run store", path, err, errlen), 1);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

/* ---- printing all or nothing --------------------------------------------- */

/* The whole text is made in memory first and printed only when every
 * query succeeded, so a store that fails half-way prints nothing. */
typedef struct query {
    const char *path;
    long long a, b;
    int what;                       /* 0 list, 1 show, 2 compare, 3 compare as JSON, 4 plant */
} query;

static int print_all_or_nothing(const query *q, FILE *out, char *err, int errlen)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) { snprintf(err, (size_t)errlen, "out of memory"); return 1; }
    int rc = q->what == 0 ? list_to(q->path, f, err, errlen)
           : q->what == 1 ? show_to(q->path, q->a, f, err, errlen)
           : q->what == 4 ? show_plant_to(q->path, q->a, f, err, errlen)
           : store_compare_to(q->path, q->a, q->b, q->what == 3, f, err, errlen);
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

int store_compare_json(const char *path, long long a, long long b, FILE *f, char *err, int errlen)
{
    query q = { path, a, b, 3 };
    return print_all_or_nothing(&q, f, err, errlen);
}

int store_show_plant(const char *path, long long id, FILE *f, char *err, int errlen)
{
    query q = { path, id, 0, 4 };
    return print_all_or_nothing(&q, f, err, errlen);
}
