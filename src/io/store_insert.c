/*
 * store_insert.c — the rows of one run in the run store.  The INSERTs name
 * their columns and are generated from the same walk of the catalogue as
 * the schema (store_columns), so a figure added to the catalogue is
 * stored without a line here, and a store whose columns were added by a
 * migration (at the end of its tables) is written correctly.
 *
 * The plant is identified by the SHA-256 of its file's bytes (libmd);
 * `sha256sum plant.yaml` prints the same hex.  Seeds are 64-bit unsigned;
 * SQLite integers are signed, so a seed is stored as the signed integer
 * with the same 64 bits (seeds below 2^63, the usual ones, read back
 * unchanged).
 */
#include <math.h>
#include <sha2.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store.h"
#include "store_internal.h"
#include "report.h"
#include "../core/date.h"
#include "../exp/catalogue_rep.h"

/* ---- values -------------------------------------------------------------- */

static void bind_real(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v)) sqlite3_bind_null(st, i);
    else sqlite3_bind_double(st, i, v);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s) sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

/* A day number's date for time t (s since time 0), or NULL for NaN. */
static void bind_date(sqlite3_stmt *st, int i, const takt_plant *p, double t)
{
    char buf[16];
    if (isnan(t) || !p->has_start) { sqlite3_bind_null(st, i); return; }
    date_format(p->start_day + (int64_t)floor(t / 86400.0), buf);
    sqlite3_bind_text(st, i, buf, -1, SQLITE_TRANSIENT);
}

/* Step an insert and make it ready for the next row. */
static int insert_row(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The hash of len bytes as 64 lowercase hex digits into hex[65]. */
static void sha256_hex(const void *data, size_t len, char hex[65])
{
    SHA2_CTX ctx;
    uint8_t digest[SHA256_DIGEST_LENGTH];
    SHA256Init(&ctx);
    SHA256Update(&ctx, data, len);
    SHA256Final(digest, &ctx);
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

static void iso_utc(double wall_s, char buf[32])
{
    struct timespec now;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &now);
    time_t start = now.tv_sec - (time_t)(wall_s > 0 && wall_s < 1e9 ? wall_s + 0.5 : 0);
    gmtime_r(&start, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- generated statements -------------------------------------------------- */

typedef struct insert_sql {
    FILE *f;
    int n;
} insert_sql;

static void insert_col(void *ctx, const char *name, const char *type)
{
    insert_sql *q = ctx;
    (void)type;
    fprintf(q->f, "%s\"%s\"", q->n++ ? ", " : "", name);
}

/* "INSERT INTO t (c1, c2, ...) VALUES (?1, ?2, ...)", prepared. */
static int prepare_insert(sqlite3 *db, store_table t, sqlite3_stmt **st)
{
    char *text = NULL;
    size_t len = 0;
    insert_sql q = { open_memstream(&text, &len), 0 };
    if (!q.f) return -1;
    fprintf(q.f, "INSERT INTO %s (", store_table_name(t));
    store_columns(t, insert_col, &q);
    fputs(") VALUES (", q.f);
    for (int i = 1; i <= q.n; i++) fprintf(q.f, "%s?%d", i > 1 ? ", " : "", i);
    fputc(')', q.f);
    int rc = fclose(q.f) == 0 ? sqlite3_prepare_v2(db, text, -1, st, NULL) : SQLITE_NOMEM;
    free(text);
    return rc == SQLITE_OK ? 0 : -1;
}

/* Bind the figures of a catalogue table in the order store_columns lists
 * their columns; *i is the next parameter. */
static void bind_figures(sqlite3_stmt *st, int *i, const figure_def *t, int n, int grouped, const void *base)
{
    for (int k = 0; k < n; k++) {
        if ((t[k].group != NULL) != grouped || !t[k].sql) continue;
        kpi v = catalogue_value(&t[k], base);
        bind_real(st, (*i)++, v.mean);
        if (t[k].sql_ci) bind_real(st, (*i)++, v.ci95);
    }
}

/* ---- the rows ---------------------------------------------------------------- */

static long long insert_run(sqlite3 *db, const takt_summary *s, const store_meta *m)
{
    sqlite3_stmt *st;
    char started[32], hash[65];
    if (sqlite3_prepare_v2(db, "INSERT INTO runs (started_at, plant, plant_file, plant_hash, seed, "
                               "replications, horizon_s, warmup_s, takt_version, command_line, wall_s, "
                               "events, sweep_id, bottleneck, plant_text) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    iso_utc(m->wall_s, started);
    sqlite3_bind_text(st, 1, started, -1, SQLITE_TRANSIENT);
    bind_text(st, 2, s->plant->name ? s->plant->name : "");
    bind_text(st, 3, m->plant_file);
    if (m->plant_text) {
        sha256_hex(m->plant_text, m->plant_len, hash);
        sqlite3_bind_text(st, 4, hash, -1, SQLITE_TRANSIENT);
        /* the very bytes: `show --plant` prints them, sha256sum agrees */
        sqlite3_bind_blob64(st, 15, m->plant_text, m->plant_len, SQLITE_TRANSIENT);
    }
    sqlite3_bind_int64(st, 5, (sqlite3_int64)s->seed);  /* same 64 bits, see top */
    sqlite3_bind_int(st, 6, s->replications);
    sqlite3_bind_double(st, 7, s->horizon);
    sqlite3_bind_double(st, 8, s->warmup);
    sqlite3_bind_text(st, 9, TAKT_VERSION, -1, SQLITE_STATIC);
    bind_text(st, 10, m->command_line);
    bind_real(st, 11, m->wall_s);
    sqlite3_bind_int64(st, 12, (sqlite3_int64)s->events);
    if (m->sweep_id > 0) sqlite3_bind_int64(st, 13, m->sweep_id);
    int bn = summary_bottleneck(s);
    if (bn >= 0) bind_text(st, 14, s->plant->stations[bn].name);
    long long id = insert_row(st) == 0 ? (long long)sqlite3_last_insert_rowid(db) : -1;
    sqlite3_finalize(st);
    return id;
}

static int insert_kpis(sqlite3 *db, long long id, const takt_summary *s)
{
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(db, "INSERT INTO kpis (run_id, name, mean, ci95) VALUES (?1, ?2, ?3, ?4)",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    for (int i = 0; i < catalogue_nheadline && rc == 0; i++) {
        const figure_def *fd = &catalogue_headline[i];
        if (!fd->tabled || !catalogue_holds(fd, s)) continue;
        kpi k = catalogue_value(fd, s);
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, fd->key);
        bind_real(st, 3, k.mean);
        bind_real(st, 4, k.ci95);
        rc = insert_row(st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* The settings, split at their first '=' into path and value. */
static int insert_settings(sqlite3 *db, long long id, const store_meta *m)
{
    sqlite3_stmt *st;
    int rc = 0;
    if (m->nsettings <= 0) return 0;
    if (sqlite3_prepare_v2(db, "INSERT INTO settings (run_id, path, value, swept) VALUES (?1, ?2, ?3, ?4)",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    for (int i = 0; i < m->nsettings && rc == 0; i++) {
        const char *set = m->settings[i], *eq = strchr(set, '=');
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, set, eq ? (int)(eq - set) : -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, eq ? eq + 1 : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 4, m->swept && m->swept[i] ? 1 : 0);
        rc = insert_row(st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Each headline figure's observation in every replication, in the order
 * of the kpis rows: what a paired comparison needs. */
static int insert_kpi_reps(sqlite3 *db, long long id, const takt_summary *s)
{
    sqlite3_stmt *st;
    int rc = 0;
    if (!s->reps) return 0;
    if (sqlite3_prepare_v2(db, "INSERT INTO kpi_reps (run_id, name, rep, value) VALUES (?1, ?2, ?3, ?4)",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    for (int i = 0; i < catalogue_nheadline && rc == 0; i++) {
        const figure_def *fd = &catalogue_headline[i];
        if (!fd->tabled || !catalogue_holds(fd, s) || !catalogue_has_reps(fd)) continue;
        for (int r = 0; r < s->replications && rc == 0; r++) {
            sqlite3_bind_int64(st, 1, id);
            bind_text(st, 2, fd->key);
            sqlite3_bind_int(st, 3, r);
            bind_real(st, 4, catalogue_rep_value(fd, s, r));
            rc = insert_row(st);
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static int insert_stations(sqlite3 *db, long long id, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    sqlite3_stmt *st;
    int rc = 0;
    if (prepare_insert(db, TABLE_STATIONS, &st) < 0) return -1;
    for (int i = 0; i < p->nstations && rc == 0; i++) {
        const station *sp = &p->stations[i];
        const station_sum *ss = &s->stations[i];
        int k = 1;
        sqlite3_bind_int64(st, k++, id);
        bind_text(st, k++, sp->name);
        bind_text(st, k++, sp->workshop >= 0 ? p->workshops[sp->workshop].name : NULL);
        sqlite3_bind_int(st, k++, sp->servers);
        bind_figures(st, &k, catalogue_station, catalogue_nstation, 0, ss);
        for (int q = 0; q < NSTATES; q++) {
            bind_real(st, k++, ss->state[q].mean);
            bind_real(st, k++, ss->state[q].ci95);
        }
        bind_figures(st, &k, catalogue_station, catalogue_nstation, 1, ss);
        rc = insert_row(st);
    }
    sqlite3_finalize(st);
    return rc;
}

static int insert_buffers(sqlite3 *db, long long id, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    sqlite3_stmt *st;
    int rc = 0;
    if (prepare_insert(db, TABLE_BUFFERS, &st) < 0) return -1;
    for (int i = 0; i < p->nbuffers + p->nsources && rc == 0; i++) {
        int is_buf = i < p->nbuffers, k = 1;
        sqlite3_bind_int64(st, k++, id);
        bind_text(st, k++, plant_buffer_name(p, i));
        if (is_buf && p->buffers[i].capacity != CAP_INF) sqlite3_bind_int64(st, k, p->buffers[i].capacity);
        k++;
        bind_figures(st, &k, catalogue_buffer, catalogue_nbuffer, 0, &s->buffers[i]);
        rc = insert_row(st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* A month's figures go to the columns their rows name (the same as the
 * day's: both kinds share the table), matched by column name. */
static void bind_month(sqlite3_stmt *st, const month_sum *ms)
{
    int k = 4;
    for (int d = 0; d < catalogue_ndaily; d++) {
        const figure_def *day = &catalogue_daily[d];
        if (!day->sql) continue;
        const figure_def *mon = NULL;
        for (int m = 0; m < catalogue_nmonthly && !mon; m++)
            if (catalogue_monthly[m].sql && !strcmp(catalogue_monthly[m].sql, day->sql)) mon = &catalogue_monthly[m];
        kpi v = mon ? catalogue_value(mon, ms) : (kpi){ NAN, NAN };
        bind_real(st, k++, v.mean);
        if (day->sql_ci) bind_real(st, k++, v.ci95);
    }
}

static int insert_series(sqlite3 *db, long long id, const takt_summary *s)
{
    sqlite3_stmt *st;
    char date[16];
    int rc = 0;
    if (s->ndays <= 0) return 0;
    if (prepare_insert(db, TABLE_SERIES, &st) < 0) return -1;
    for (int d = 0; d < s->ndays && rc == 0; d++) {
        int k = 4;
        date_format(s->plant->start_day + d, date);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, "daily", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, date, -1, SQLITE_TRANSIENT);
        bind_figures(st, &k, catalogue_daily, catalogue_ndaily, 0, &s->daily[d]);
        rc = insert_row(st);
    }
    for (int i = 0; i < s->nmonths && rc == 0; i++) {
        date_format_month(s->monthly[i].first_day, date);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, "monthly", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, date, -1, SQLITE_TRANSIENT);
        bind_month(st, &s->monthly[i]);
        rc = insert_row(st);
    }
    sqlite3_finalize(st);
    return rc;
}

static int insert_targets(sqlite3 *db, long long id, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    sqlite3_stmt *st;
    int rc = 0;
    if (p->ntargets <= 0) return 0;
    if (prepare_insert(db, TABLE_TARGETS, &st) < 0) return -1;
    for (int t = 0; t < p->ntargets && rc == 0; t++) {
        sqlite3_bind_int64(st, 1, id);
        for (int k = 0; k < catalogue_ntarget; k++) {
            cat_cell c = catalogue_target[k].get(s, t);
            int i = k + 2;
            switch (c.type) {
            case CAT_TEXT: bind_text(st, i, c.text); break;
            case CAT_NUMBER: bind_real(st, i, c.num); break;
            case CAT_DATE: bind_date(st, i, p, c.num); break;
            case CAT_INT: case CAT_BOOL: sqlite3_bind_int64(st, i, (sqlite3_int64)c.num); break;
            }
        }
        rc = insert_row(st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Pools or loops: name, count, then their catalogue figures. */
static int insert_group(sqlite3 *db, long long id, const takt_summary *s, store_table t, int n,
                        const char *(*name)(const takt_plant *, int),
                        int (*count)(const takt_plant *, int), const figure_def *fig, int nfig,
                        const void *(*base)(const takt_summary *, int))
{
    sqlite3_stmt *st;
    int rc = 0;
    if (n == 0) return 0;
    if (prepare_insert(db, t, &st) < 0) return -1;
    for (int i = 0; i < n && rc == 0; i++) {
        int k = 1;
        sqlite3_bind_int64(st, k++, id);
        bind_text(st, k++, name(s->plant, i));
        sqlite3_bind_int(st, k++, count(s->plant, i));
        bind_figures(st, &k, fig, nfig, 0, base(s, i));
        rc = insert_row(st);
    }
    sqlite3_finalize(st);
    return rc;
}

long long store_insert_run(sqlite3 *db, const takt_summary *s, const store_meta *m)
{
    long long id = insert_run(db, s, m);
    if (id < 0 || insert_kpis(db, id, s) < 0 || insert_settings(db, id, m) < 0 ||
        insert_kpi_reps(db, id, s) < 0 || insert_stations(db, id, s) < 0 ||
        insert_buffers(db, id, s) < 0 || insert_series(db, id, s) < 0 || insert_targets(db, id, s) < 0 ||
        insert_group(db, id, s, TABLE_POOLS, s->plant->nresources, report_pool_name,
                     report_pool_count, catalogue_pool, catalogue_npool, report_pool_sum) < 0 ||
        insert_group(db, id, s, TABLE_LOOPS, s->plant->ncarriers, report_loop_name,
                     report_loop_count, catalogue_loop, catalogue_nloop, report_loop_sum) < 0)
        return -1;
    return id;
}
