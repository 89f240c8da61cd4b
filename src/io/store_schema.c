/*
 * store_schema.c — the run store's schema, generated from the results
 * catalogue, and its migrations (docs/run-store.md).
 *
 * The tables' figure columns are the catalogue's: a station state gives
 * <key>_mean and <key>_ci95 in `stations`, a figure its `sql` and `sql_ci`
 * columns.  A new store gets them all at once.  An existing store is
 * brought up to date inside the transaction that records a run:
 *
 *   1. the numbered migrations from its version to STORE_SCHEMA_VERSION,
 *      in order (a change of structure: a new table or column of runs);
 *   2. every catalogue column its tables lack is added (ALTER TABLE ADD
 *      COLUMN; the rows recorded before hold NULL there, which `show`
 *      prints as "-").  So a new state or figure needs no migration
 *      written by hand.
 *
 * All of it happens in the caller's transaction: if any step fails, the
 * caller rolls back and the store is exactly as it was, at its old version.
 */
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"
#include "../exp/catalogue.h"

/* ---- the columns of each table ----------------------------------------- */

static void figure_cols(const figure_def *t, int n, int grouped, store_col_fn fn, void *ctx)
{
    for (int i = 0; i < n; i++) {
        if ((t[i].group != NULL) != grouped || !t[i].sql) continue;
        fn(ctx, t[i].sql, "REAL");
        if (t[i].sql_ci) fn(ctx, t[i].sql_ci, "REAL");
    }
}

void store_columns(store_table table, store_col_fn fn, void *ctx)
{
    char name[96];
    const char *run_id = "INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE";
    switch (table) {
    case TABLE_STATIONS:
        fn(ctx, "run_id", run_id);
        fn(ctx, "station", "TEXT NOT NULL");
        fn(ctx, "workshop", "TEXT");
        fn(ctx, "servers", "INTEGER NOT NULL");
        figure_cols(catalogue_station, catalogue_nstation, 0, fn, ctx);
        for (int q = 0; q < NSTATES; q++) {
            snprintf(name, sizeof name, "%s_mean", catalogue_states[q].key);
            fn(ctx, name, "REAL");
            snprintf(name, sizeof name, "%s_ci95", catalogue_states[q].key);
            fn(ctx, name, "REAL");
        }
        figure_cols(catalogue_station, catalogue_nstation, 1, fn, ctx);
        break;
    case TABLE_BUFFERS:
        fn(ctx, "run_id", run_id);
        fn(ctx, "buffer", "TEXT NOT NULL");
        fn(ctx, "capacity", "INTEGER");
        figure_cols(catalogue_buffer, catalogue_nbuffer, 0, fn, ctx);
        break;
    case TABLE_SERIES:
        fn(ctx, "run_id", run_id);
        fn(ctx, "kind", "TEXT NOT NULL CHECK (kind IN ('daily', 'monthly'))");
        fn(ctx, "date", "TEXT NOT NULL");
        figure_cols(catalogue_daily, catalogue_ndaily, 0, fn, ctx);
        break;
    case TABLE_TARGETS:
        fn(ctx, "run_id", run_id);
        for (int k = 0; k < catalogue_ntarget; k++)
            fn(ctx, catalogue_target[k].key, catalogue_target[k].sql_type);
        break;
    case TABLE_POOLS:
        fn(ctx, "run_id", run_id);
        fn(ctx, "pool", "TEXT NOT NULL");
        fn(ctx, "count", "INTEGER NOT NULL");
        figure_cols(catalogue_pool, catalogue_npool, 0, fn, ctx);
        break;
    case TABLE_LOOPS:
        fn(ctx, "run_id", run_id);
        fn(ctx, "loop", "TEXT NOT NULL");
        fn(ctx, "count", "INTEGER NOT NULL");
        figure_cols(catalogue_loop, catalogue_nloop, 0, fn, ctx);
        break;
    }
}

static const char *const table_name[] = { "stations", "buffers", "series", "targets", "pools",
                                           "loops" };

const char *store_table_name(store_table t) { return table_name[t]; }

/* ---- a fresh store -------------------------------------------------------- */

typedef struct sql_text {
    FILE *f;
    int n;
} sql_text;

static void create_col(void *ctx, const char *name, const char *type)
{
    sql_text *t = ctx;
    fprintf(t->f, "%s\n  %s %s", t->n++ ? "," : "", name, type);
}

/* Tables of version 4, the same in a new store and a migrated one. */
#define SETTINGS_SQL \
    "CREATE TABLE settings (\n" \
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n" \
    "  path TEXT NOT NULL, value TEXT NOT NULL, swept INTEGER NOT NULL);\n"
#define KPI_REPS_SQL \
    "CREATE TABLE kpi_reps (\n" \
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n" \
    "  name TEXT NOT NULL, rep INTEGER NOT NULL, value REAL);\n"
#define V4_INDEX_SQL \
    "CREATE INDEX settings_run ON settings(run_id);\n" \
    "CREATE INDEX kpi_reps_run ON kpi_reps(run_id, name);\n"

/* The runs table at the current version; older stores reach it through
 * the migrations below. */
static const char runs_sql[] =
    "CREATE TABLE schema_version (version INTEGER NOT NULL);\n"
    "CREATE TABLE runs (\n"
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
    "  sweep_id INTEGER,\n"
    "  bottleneck TEXT,\n"
    "  plant_text BLOB);\n"
    "CREATE TABLE kpis (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  name TEXT NOT NULL, mean REAL, ci95 REAL);\n"
    SETTINGS_SQL KPI_REPS_SQL;

static const char index_sql[] =
    "CREATE INDEX kpis_run ON kpis(run_id);\n"
    "CREATE INDEX stations_run ON stations(run_id);\n"
    "CREATE INDEX buffers_run ON buffers(run_id);\n"
    "CREATE INDEX series_run ON series(run_id, kind);\n"
    "CREATE INDEX targets_run ON targets(run_id);\n"
    "CREATE INDEX pools_run ON pools(run_id);\n"
    "CREATE INDEX loops_run ON loops(run_id);\n"
    V4_INDEX_SQL;

char *store_schema_sql(void)
{
    char *text = NULL;
    size_t len = 0;
    sql_text t = { open_memstream(&text, &len), 0 };
    if (!t.f) return NULL;
    fputs(runs_sql, t.f);
    for (int k = 0; k < (int)(sizeof table_name / sizeof *table_name); k++) {
        t.n = 0;
        fprintf(t.f, "CREATE TABLE %s (", table_name[k]);
        store_columns((store_table)k, create_col, &t);
        fputs(");\n", t.f);
    }
    fputs(index_sql, t.f);
    fprintf(t.f, "INSERT INTO schema_version VALUES (%d);\n", STORE_SCHEMA_VERSION);
    if (fclose(t.f) != 0) { free(text); return NULL; }
    return text;
}

/* ---- migrations -------------------------------------------------------------- */

/* Each takes a store at version `to` - 1 to version `to`.  Append only:
 * a store written by any earlier takt replays them from its version. */
typedef struct migration {
    int to;
    const char *sql;
} migration;

static const migration migrations[] = {
    /* 2: the station each run's report named as the bottleneck, so that
     * `takt runs` and `show` need not recompute it. */
    { 2, "ALTER TABLE runs ADD COLUMN bottleneck TEXT;" },
    /* 3: resource pools and carrier loops, one row each per run (their
     * figure columns, and the stations' waiting and maintenance columns,
     * come from the catalogue like any new column). */
    { 3, "CREATE TABLE pools (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, "
         "pool TEXT NOT NULL, count INTEGER NOT NULL);"
         "CREATE TABLE loops (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, "
         "loop TEXT NOT NULL, count INTEGER NOT NULL);"
         "CREATE INDEX pools_run ON pools(run_id);"
         "CREATE INDEX loops_run ON loops(run_id);" },
    /* 4: what `takt compare` pairs and `takt show --plant` prints: the
     * plant file's bytes, the settings given on the command line (--set,
     * a sweep's values) and each headline figure per replication. */
    { 4, "ALTER TABLE runs ADD COLUMN plant_text BLOB;" SETTINGS_SQL KPI_REPS_SQL V4_INDEX_SQL },
};

_Static_assert(sizeof migrations / sizeof *migrations == STORE_SCHEMA_VERSION - 1,
               "one migration to each version after 1");

int store_has_column(sqlite3 *db, const char *table, const char *column)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1, &st, NULL)
        != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

typedef struct col_sync {
    sqlite3 *db;
    const char *table;
    int failed;
} col_sync;

static void add_missing(void *ctx, const char *name, const char *type)
{
    col_sync *c = ctx;
    if (c->failed) return;
    int has = store_has_column(c->db, c->table, name);
    if (has < 0) { c->failed = 1; return; }
    if (has) return;
    char *sql = sqlite3_mprintf("ALTER TABLE %s ADD COLUMN \"%w\" %s", c->table, name, type);
    if (!sql || sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK) c->failed = 1;
    sqlite3_free(sql);
}

/* Replay the migrations after version v, then add the catalogue's
 * missing columns.  0, or -1 (SQLite's message in db). */
static int migrate(sqlite3 *db, int v)
{
    for (size_t i = 0; i < sizeof migrations / sizeof *migrations; i++) {
        if (migrations[i].to <= v) continue;
        char sql[96];
        snprintf(sql, sizeof sql, "UPDATE schema_version SET version = %d", migrations[i].to);
        if (sqlite3_exec(db, migrations[i].sql, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
            return -1;
    }
    for (int k = 0; k < (int)(sizeof table_name / sizeof *table_name); k++) {
        col_sync c = { db, table_name[k], 0 };
        store_columns((store_table)k, add_missing, &c);
        if (c.failed) return -1;
    }
    return 0;
}

int store_ensure_schema(sqlite3 *db, const char *path, char *err, int errlen)
{
    int v = store_version(db);
    if (v == -2) return store_error(db, "cannot read the run store", path, err, errlen);
    if (v == -1) {
        snprintf(err, (size_t)errlen, "'%s' is an SQLite database but not a takt run store; "
                 "give another --db path", path);
        return -1;
    }
    if (v > STORE_SCHEMA_VERSION) {
        snprintf(err, (size_t)errlen, "cannot record in '%s': its schema version %d is newer than "
                 "this takt's (%d)", path, v, STORE_SCHEMA_VERSION);
        return -1;
    }
    if (v == 0) {
        char *sql = store_schema_sql();
        int rc = sql ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
        free(sql);
        if (rc != SQLITE_OK) return store_error(db, "cannot create the run store", path, err, errlen);
        return 0;
    }
    if (migrate(db, v) < 0) {
        store_error(db, "cannot update the run store", path, err, errlen);
        size_t n = strlen(err);
        if ((int)n < errlen)
            snprintf(err + n, (size_t)errlen - n, " (from schema version %d to %d; it was left as it was)",
                     v, STORE_SCHEMA_VERSION);
        return -1;
    }
    return 0;
}
