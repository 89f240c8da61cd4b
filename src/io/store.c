/*
 * store.c — the SQLite run store: its schema and the recording of a run
 * (docs/run-store.md).  Listing, showing and comparing runs live in
 * store_query.c.
 *
 * A run is recorded in one BEGIN IMMEDIATE transaction: either every row
 * of it is there or none.  IMMEDIATE takes the write lock up front, so a
 * second takt process writing the same file waits for it (busy timeout)
 * instead of failing half-way with a lock upgrade it cannot get.  The
 * schema is created inside that same transaction, so two processes that
 * both find a new, empty file do not race to create it.  WAL journal
 * mode lets `takt runs` read while a run is being recorded.
 *
 * The plant is identified by the SHA-256 of its file's bytes, written
 * here to avoid a dependency; `sha256sum plant.yaml` prints the same hex.
 * Seeds are 64-bit unsigned; SQLite integers are signed, so a seed is
 * stored as the signed integer with the same 64 bits (seeds below 2^63,
 * the usual ones, read back unchanged).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "store.h"
#include "store_internal.h"
#include "report.h"
#include "../core/date.h"

_Static_assert(NSTATES == 6, "the stations table has one column pair per station state");

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS runs (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  started_at TEXT NOT NULL,\n"
    "  plant TEXT NOT NULL,\n"
    "  plant_file TEXT,\n"
    "  plant_hash TEXT,\n"
    "  seed INTEGER NOT NULL,\n"
    "  replications INTEGER NOT NULL,\n"
    "  horizon_s REAL NOT NULL,\n"
    "  warmup_s REAL NOT NULL,\n"
    "  takt_version TEXT NOT NULL,\n"
    "  command_line TEXT,\n"
    "  wall_s REAL,\n"
    "  events INTEGER,\n"
    "  sweep_id INTEGER);\n"
    "CREATE TABLE IF NOT EXISTS kpis (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  name TEXT NOT NULL, mean REAL, ci95 REAL);\n"
    "CREATE TABLE IF NOT EXISTS stations (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  station TEXT NOT NULL, workshop TEXT, servers INTEGER NOT NULL,\n"
    "  parts_out_mean REAL, parts_out_ci95 REAL,\n"
    "  working_mean REAL, working_ci95 REAL, starved_mean REAL, starved_ci95 REAL,\n"
    "  blocked_mean REAL, blocked_ci95 REAL, failed_mean REAL, failed_ci95 REAL,\n"
    "  setup_mean REAL, setup_ci95 REAL, off_shift_mean REAL, off_shift_ci95 REAL,\n"
    "  bottleneck_sole REAL, bottleneck_shifting REAL);\n"
    "CREATE TABLE IF NOT EXISTS buffers (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  buffer TEXT NOT NULL, capacity INTEGER,\n"
    "  mean_level REAL, mean_level_ci95 REAL, max_level REAL);\n"
    "CREATE TABLE IF NOT EXISTS series (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  kind TEXT NOT NULL CHECK (kind IN ('daily', 'monthly')), date TEXT NOT NULL,\n"
    "  produced REAL, produced_ci95 REAL, delivered REAL, delivered_ci95 REAL,\n"
    "  backlog REAL, backlog_ci95 REAL);\n"
    "CREATE TABLE IF NOT EXISTS targets (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  what TEXT NOT NULL, value REAL NOT NULL, by TEXT,\n"
    "  reached TEXT, reached_lo TEXT, reached_hi TEXT,\n"
    "  replications_reached INTEGER NOT NULL, met INTEGER NOT NULL);\n"
    "CREATE INDEX IF NOT EXISTS kpis_run ON kpis(run_id);\n"
    "CREATE INDEX IF NOT EXISTS stations_run ON stations(run_id);\n"
    "CREATE INDEX IF NOT EXISTS buffers_run ON buffers(run_id);\n"
    "CREATE INDEX IF NOT EXISTS series_run ON series(run_id, kind);\n"
    "CREATE INDEX IF NOT EXISTS targets_run ON targets(run_id);\n";

/* ---- SHA-256 (FIPS 180-4) -------------------------------------------- */

static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256_block(uint32_t h[8], const unsigned char *b)
{
    uint32_t w[64], v[8];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 | (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(v, h, sizeof v);
    for (int i = 0; i < 64; i++) {
        uint32_t s1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
        uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
        uint32_t t1 = v[7] + s1 + ch + sha_k[i] + w[i];
        uint32_t s0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
        uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
        memmove(v + 1, v, 7 * sizeof *v);
        v[4] += t1;
        v[0] = t1 + s0 + maj;
    }
    for (int i = 0; i < 8; i++) h[i] += v[i];
}

/* The hash of len bytes as 64 lowercase hex digits into hex[65]. */
static void sha256_hex(const void *data, size_t len, char hex[65])
{
    uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    const unsigned char *p = data;
    size_t left = len;
    for (; left >= 64; p += 64, left -= 64) sha256_block(h, p);
    unsigned char tail[128] = { 0 };
    memcpy(tail, p, left);
    tail[left] = 0x80;
    size_t n = left < 56 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++) tail[n - 1 - i] = (unsigned char)(bits >> (8 * i));
    sha256_block(h, tail);
    if (n == 128) sha256_block(h, tail + 64);
    for (int i = 0; i < 8; i++) snprintf(hex + 8 * i, 9, "%08x", (unsigned)h[i]);
}

/* ---- helpers shared with store_query.c --------------------------------- */

const char *store_schema(void)
{
    return schema_sql;
}

int store_error(sqlite3 *db, const char *what, const char *path, char *err, int errlen)
{
    int code = db ? sqlite3_errcode(db) & 0xff : SQLITE_NOMEM;
    int sys = db ? sqlite3_system_errno(db) : 0;
    const char *msg = db ? sqlite3_errmsg(db) : "out of memory";
    if ((code == SQLITE_CANTOPEN || code == SQLITE_IOERR || code == SQLITE_READONLY) && sys)
        snprintf(err, (size_t)errlen, "%s '%s': %s (%s)", what, path, msg, strerror(sys));
    else if (code == SQLITE_BUSY)
        snprintf(err, (size_t)errlen, "%s '%s': %s (another program held it for more than %d s)",
                 what, path, msg, STORE_BUSY_MS / 1000);
    else
        snprintf(err, (size_t)errlen, "%s '%s': %s", what, path, msg);
    return -1;
}

int store_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT count(*), sum(name = 'schema_version') FROM sqlite_master "
                               "WHERE type = 'table'", -1, &st, NULL) != SQLITE_OK) return -2;
    int rc = sqlite3_step(st);
    int ntables = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    int has_version = rc == SQLITE_ROW ? sqlite3_column_int(st, 1) : 0;
    sqlite3_finalize(st);
    if (ntables < 0) return -2;
    if (ntables == 0) return 0;
    if (!has_version) return -1;
    if (sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_version", -1, &st, NULL) != SQLITE_OK)
        return -2;
    rc = sqlite3_step(st);
    int v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -2;
    sqlite3_finalize(st);
    return v > 0 ? v : v == -2 ? -2 : -1;
}

/* ---- recording -------------------------------------------------------- */

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

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    return sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK ? 0 : -1;
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

static long long insert_run(sqlite3 *db, const takt_summary *s, const store_meta *m)
{
    sqlite3_stmt *st;
    char started[32], hash[65];
    if (prepare(db, "INSERT INTO runs (started_at, plant, plant_file, plant_hash, seed, replications, "
                    "horizon_s, warmup_s, takt_version, command_line, wall_s, events, sweep_id) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", &st) < 0)
        return -1;
    iso_utc(m->wall_s, started);
    sqlite3_bind_text(st, 1, started, -1, SQLITE_TRANSIENT);
    bind_text(st, 2, s->plant->name ? s->plant->name : "");
    bind_text(st, 3, m->plant_file);
    if (m->plant_text) {
        sha256_hex(m->plant_text, m->plant_len, hash);
        sqlite3_bind_text(st, 4, hash, -1, SQLITE_TRANSIENT);
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
    long long id = insert_row(st) == 0 ? (long long)sqlite3_last_insert_rowid(db) : -1;
    sqlite3_finalize(st);
    return id;
}

static int insert_kpis(sqlite3 *db, long long id, const takt_summary *s)
{
    sqlite3_stmt *st;
    named_kpi k[REPORT_MAX_KPIS];
    int n = report_kpis(s, k, REPORT_MAX_KPIS), rc = 0;
    if (prepare(db, "INSERT INTO kpis VALUES (?1, ?2, ?3, ?4)", &st) < 0) return -1;
    for (int i = 0; i < n && rc == 0; i++) {
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, k[i].name);
        bind_real(st, 3, k[i].mean);
        bind_real(st, 4, k[i].ci95);
        rc = insert_row(st);
    }
    sqlite3_finalize(st);
    return rc;
}

static int insert_stations(sqlite3 *db, long long id, const takt_summary *s)
{
    const takt_plant *p = s->plant;
    sqlite3_stmt *st;
    int rc = 0;
    if (prepare(db, "INSERT INTO stations VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                    "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)", &st) < 0) return -1;
    for (int i = 0; i < p->nstations && rc == 0; i++) {
        const station *sp = &p->stations[i];
        const station_sum *ss = &s->stations[i];
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, sp->name);
        bind_text(st, 3, sp->workshop >= 0 ? p->workshops[sp->workshop].name : NULL);
        sqlite3_bind_int(st, 4, sp->servers);
        bind_real(st, 5, ss->parts_out.mean);
        bind_real(st, 6, ss->parts_out.ci95);
        for (int q = 0; q < NSTATES; q++) {
            bind_real(st, 7 + 2 * q, ss->state[q].mean);
            bind_real(st, 8 + 2 * q, ss->state[q].ci95);
        }
        bind_real(st, 19, ss->bn_sole.mean);
        bind_real(st, 20, ss->bn_shifting.mean);
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
    if (prepare(db, "INSERT INTO buffers VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st) < 0) return -1;
    for (int i = 0; i < p->nbuffers + p->nsources && rc == 0; i++) {
        int is_buf = i < p->nbuffers;
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, plant_buffer_name(p, i));
        if (is_buf && p->buffers[i].capacity != CAP_INF) sqlite3_bind_int64(st, 3, p->buffers[i].capacity);
        bind_real(st, 4, s->buffers[i].mean_level.mean);
        bind_real(st, 5, s->buffers[i].mean_level.ci95);
        bind_real(st, 6, s->buffers[i].max_level);
        rc = insert_row(st);
    }
    sqlite3_finalize(st);
    return rc;
}

static void bind_series(sqlite3_stmt *st, long long id, const char *kind, const char *date,
                        kpi produced, kpi delivered, kpi backlog)
{
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, date, -1, SQLITE_TRANSIENT);
    bind_real(st, 4, produced.mean);
    bind_real(st, 5, produced.ci95);
    bind_real(st, 6, delivered.mean);
    bind_real(st, 7, delivered.ci95);
    bind_real(st, 8, backlog.mean);
    bind_real(st, 9, backlog.ci95);
}

static int insert_series(sqlite3 *db, long long id, const takt_summary *s)
{
    sqlite3_stmt *st;
    char date[16];
    int rc = 0;
    if (s->ndays <= 0) return 0;
    if (prepare(db, "INSERT INTO series VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &st) < 0) return -1;
    for (int d = 0; d < s->ndays && rc == 0; d++) {
        const day_sum *ds = &s->daily[d];
        date_format(s->plant->start_day + d, date);
        bind_series(st, id, "daily", date, ds->produced, ds->delivered, ds->backlog);
        rc = insert_row(st);
    }
    for (int i = 0; i < s->nmonths && rc == 0; i++) {
        const month_sum *ms = &s->monthly[i];
        date_format_month(ms->first_day, date);
        bind_series(st, id, "monthly", date, ms->produced, ms->delivered, ms->backlog_end);
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
    if (prepare(db, "INSERT INTO targets VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &st) < 0) return -1;
    for (int t = 0; t < p->ntargets && rc == 0; t++) {
        const target_sum *ts = &s->targets[t];
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, p->targets[t].what == TARGET_PRODUCED ? "produced" : "delivered",
                          -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 3, p->targets[t].value);
        bind_date(st, 4, p, p->targets[t].by - 1);    /* by: the end of that day */
        bind_date(st, 5, p, ts->reached);
        bind_date(st, 6, p, ts->lo);
        bind_date(st, 7, p, ts->hi);
        sqlite3_bind_int(st, 8, ts->nreached);
        sqlite3_bind_int(st, 9, ts->met != 0);
        rc = insert_row(st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Create the schema in a new store; refuse a file that is something else.
 * Called inside the write transaction. */
static int ensure_schema(sqlite3 *db, const char *path, char *err, int errlen)
{
    int v = store_validate(db, path, 0, err, errlen);
    if (v < 0) return -1;
    if (v == STORE_SCHEMA_VERSION) return 0;
    char sql[64];
    snprintf(sql, sizeof sql, "INSERT INTO schema_version VALUES (%d)", STORE_SCHEMA_VERSION);
    if (sqlite3_exec(db, schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_error(db, "cannot create the run store", path, err, errlen);
    return 0;
}

/* ---- waiting for another writer ------------------------------------------ */

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* SQLite's busy handler: wait in steps of 10 ms until the deadline,
 * which is shared by every statement of the connection, so the total
 * wait is bounded (a busy timeout restarts with every statement). */
static int busy_until(void *ctx, int tries)
{
    const double *deadline = ctx;
    (void)tries;
    if (mono_s() >= *deadline) return 0;
    struct timespec pause = { 0, 10 * 1000 * 1000 };
    nanosleep(&pause, NULL);
    return 1;
}

/* From now on, the connection waits for others at most STORE_BUSY_MS in
 * all; *deadline must live as long as db. */
static void wait_at_most(sqlite3 *db, double *deadline)
{
    *deadline = mono_s() + STORE_BUSY_MS / 1000.0;
    sqlite3_busy_handler(db, busy_until, deadline);
}

/* Run sql, retrying while the database is busy, until the deadline.  The
 * busy handler covers most waits, but SQLite returns SQLITE_BUSY at once
 * in a few cases (switching to WAL while another connection opens the
 * file, WAL recovery), which two takt processes starting together do
 * meet. */
static int exec_patient(sqlite3 *db, const char *sql, const double *deadline)
{
    struct timespec pause = { 0, 20 * 1000 * 1000 };
    for (;;) {
        int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
        if ((rc & 0xff) != SQLITE_BUSY || mono_s() >= *deadline) return rc;
        nanosleep(&pause, NULL);
    }
}

struct store_txn {
    sqlite3 *db;
    char *path;
    double deadline;                /* of every wait for another writer */
};

static void txn_close(store_txn *t)
{
    if (!t) return;
    if (t->db && !sqlite3_get_autocommit(t->db)) sqlite3_exec(t->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(t->db);
    free(t->path);
    free(t);
}

store_txn *store_begin(const char *path, char *err, int errlen)
{
    if (!path || !*path) { snprintf(err, (size_t)errlen, "the run store needs a file name"); return NULL; }
    store_txn *t = calloc(1, sizeof *t);
    if (!t || !(t->path = strdup(path))) {
        snprintf(err, (size_t)errlen, "out of memory");
        free(t);
        return NULL;
    }
    if (sqlite3_open_v2(path, &t->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        store_error(t->db, "cannot open the run store", path, err, errlen);
        txn_close(t);
        return NULL;
    }
    wait_at_most(t->db, &t->deadline);
    int ok = 0;
    if (sqlite3_exec(t->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK ||
        exec_patient(t->db, "PRAGMA journal_mode = WAL", &t->deadline) != SQLITE_OK)
        store_error(t->db, "cannot open the run store", path, err, errlen);
    else if (exec_patient(t->db, "BEGIN IMMEDIATE", &t->deadline) != SQLITE_OK)
        store_error(t->db, "cannot write the run store", path, err, errlen);
    else
        ok = ensure_schema(t->db, path, err, errlen) == 0;
    if (!ok) { txn_close(t); return NULL; }
    return t;
}

long long store_add(store_txn *t, const takt_summary *s, const store_meta *m, char *err, int errlen)
{
    sqlite3 *db = t->db;
    long long id = insert_run(db, s, m);
    if (id < 0 || insert_kpis(db, id, s) < 0 || insert_stations(db, id, s) < 0 ||
        insert_buffers(db, id, s) < 0 || insert_series(db, id, s) < 0 || insert_targets(db, id, s) < 0)
        return store_error(db, "cannot record the run in", t->path, err, errlen);
    return id;
}

int store_commit(store_txn *t, char *err, int errlen)
{
    int rc = 0;
    if (exec_patient(t->db, "COMMIT", &t->deadline) != SQLITE_OK)
        rc = store_error(t->db, "cannot record the run in", t->path, err, errlen);
    else if (sqlite3_close(t->db) != SQLITE_OK)
        rc = store_error(t->db, "cannot close the run store", t->path, err, errlen);
    else
        t->db = NULL;
    txn_close(t);
    return rc;
}

void store_abort(store_txn *t)
{
    txn_close(t);
}

long long store_record(const char *path, const takt_summary *s, const store_meta *m,
                       char *err, int errlen)
{
    store_txn *t = store_begin(path, err, errlen);
    if (!t) return -1;
    long long id = store_add(t, s, m, err, errlen);
    if (id < 0) { store_abort(t); return -1; }
    return store_commit(t, err, errlen) == 0 ? id : -1;
}
