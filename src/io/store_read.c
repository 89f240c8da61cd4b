/*
 * store_read.c — reading a run and its rows from the run store, shared by
 * `takt runs`, `show` and `compare` (store_read.h).  Stores of every
 * version are read as they are: what an older version did not record
 * (the bottleneck before 2, the settings, plant text and per-replication
 * values before 4) reads as absent.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "store_read.h"
#include "fmt.h"

double store_col_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

char *store_col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? strdup((const char *)s) : NULL;
}

void store_pad(FILE *f, const char *s, int width)
{
    int cols = 0;
    for (const char *c = s; *c; c++) cols += ((unsigned char)*c & 0xc0) != 0x80;
    fputs(s, f);
    for (; cols < width; cols++) fputc(' ', f);
}

void store_fmt_pm(char *buf, size_t len, double mean, double ci95, double scale, const char *unit)
{
    char m[24], c[16];              /* 6 digits, grouped; 2 digits */
    fmt_fixed(m, sizeof m, mean * scale, 6);
    fmt_fixed(c, sizeof c, ci95 * scale, 2);
    if (isnan(mean)) snprintf(buf, len, "-");
    else if (isnan(ci95)) snprintf(buf, len, "%s%s", m, unit);
    else snprintf(buf, len, "%s ± %s%s", m, c, unit);
}

int store_no_run(const char *path, long long id, char *err, int errlen)
{
    snprintf(err, (size_t)errlen, "no run %lld in '%s' ('takt runs --db %s' lists them)", id, path, path);
    return 2;
}

static int has_table(sqlite3 *db, const char *table)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", -1,
                           &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

void store_meta_free(run_meta *m)
{
    free(m->started_at); free(m->plant); free(m->plant_file); free(m->plant_hash);
    free(m->version); free(m->command_line); free(m->bottleneck);
    for (int i = 0; i < m->nsettings; i++) { free(m->settings[i].path); free(m->settings[i].value); }
    free(m->settings);
    memset(m, 0, sizeof *m);
}

/* The run's settings, in the order given.  0, or -1. */
static int load_settings(sqlite3 *db, long long id, run_meta *m)
{
    sqlite3_stmt *st;
    int rc, cap = 0;
    int there = has_table(db, "settings");
    if (there <= 0) return there;
    if (sqlite3_prepare_v2(db, "SELECT path, value, swept FROM settings WHERE run_id = ?1 ORDER BY rowid",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (m->nsettings == cap) {
            cap = cap ? 2 * cap : 4;
            run_setting *v = realloc(m->settings, (size_t)cap * sizeof *v);
            if (!v) { rc = SQLITE_NOMEM; break; }
            m->settings = v;
        }
        run_setting *s = &m->settings[m->nsettings++];
        s->path = store_col_dup(st, 0);
        s->value = store_col_dup(st, 1);
        s->swept = sqlite3_column_int(st, 2) != 0;
        if (!s->path || !s->value) { rc = SQLITE_NOMEM; break; }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_load_meta(sqlite3 *db, const char *path, long long id, run_meta *m, char *err, int errlen)
{
    sqlite3_stmt *st;
    memset(m, 0, sizeof *m);
    /* Columns a store of an older version lacks read as NULL. */
    int has_bn = store_has_column(db, "runs", "bottleneck") == 1;
    int has_text = store_has_column(db, "runs", "plant_text") == 1;
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT started_at, plant, plant_file, plant_hash, takt_version, "
             "command_line, seed, replications, horizon_s, warmup_s, wall_s, events, sweep_id, %s, %s "
             "FROM runs WHERE id = ?1", has_bn ? "bottleneck" : "NULL",
             has_text ? "plant_text IS NOT NULL" : "0");
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return store_error(db, "cannot read the run store", path, err, errlen), 1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        m->id = id;
        m->started_at = store_col_dup(st, 0);
        m->plant = store_col_dup(st, 1);
        m->plant_file = store_col_dup(st, 2);
        m->plant_hash = store_col_dup(st, 3);
        m->version = store_col_dup(st, 4);
        m->command_line = store_col_dup(st, 5);
        m->seed = (unsigned long long)sqlite3_column_int64(st, 6);
        m->replications = sqlite3_column_int(st, 7);
        m->horizon = store_col_real(st, 8);
        m->warmup = store_col_real(st, 9);
        m->wall_s = store_col_real(st, 10);
        m->events = sqlite3_column_int64(st, 11);
        m->sweep_id = sqlite3_column_int64(st, 12);
        m->bottleneck = store_col_dup(st, 13);
        m->has_plant_text = sqlite3_column_int(st, 14);
    } else if (rc != SQLITE_DONE) {
        store_error(db, "cannot read the run store", path, err, errlen);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW && load_settings(db, id, m) < 0) {
        store_error(db, "cannot read the run store", path, err, errlen);
        return 1;
    }
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? store_no_run(path, id, err, errlen) : 1;
}

void store_rows_free(named_rows *r)
{
    for (int i = 0; i < r->n; i++) free(r->v[i].name);
    free(r->v);
    r->v = NULL; r->n = 0;
}

int store_load_rows(sqlite3 *db, const char *sql, long long id, named_rows *r)
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
        row->name = store_col_dup(st, 0);
        if (!row->name) { rc = SQLITE_NOMEM; break; }
        row->mean = store_col_real(st, 1);
        row->ci95 = store_col_real(st, 2);
        r->n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) { store_rows_free(r); return -1; }
    return 0;
}

const named_row *store_find_row(const named_rows *r, const char *name)
{
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->v[i].name, name)) return &r->v[i];
    return NULL;
}

int store_load_reps(sqlite3 *db, long long id, const char *name, double *v, int n)
{
    sqlite3_stmt *st;
    int there = has_table(db, "kpi_reps");
    if (there <= 0) return there;
    if (sqlite3_prepare_v2(db, "SELECT rep, value FROM kpi_reps WHERE run_id = ?1 AND name = ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    int rc, got = 0, odd = 0;
    for (int i = 0; i < n; i++) v[i] = NAN;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long rep = sqlite3_column_int64(st, 0);
        if (rep < 0 || rep >= n || !isnan(v[rep])) { odd = 1; continue; }  /* not a run's own */
        v[rep] = store_col_real(st, 1);
        if (!isnan(v[rep])) got++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return -1;
    return got == n && !odd ? 1 : 0;
}

void store_settings_text(const run_meta *m, int swept, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = 0;
    for (int i = 0; i < m->nsettings && at < len; i++) {
        if (m->settings[i].swept != swept) continue;
        int k = snprintf(buf + at, len - at, "%s%s=%s", at ? ", " : "", m->settings[i].path,
                         m->settings[i].value);
        if (k < 0) break;
        at += (size_t)k;
    }
}
