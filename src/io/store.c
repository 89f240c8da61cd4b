/*
 * store.c — the SQLite run store: opening it and recording a run in one
 * transaction (docs/run-store.md).  Listing, showing and comparing runs live in
 * store_query.c.
 *
 * A run is recorded in one BEGIN IMMEDIATE transaction: either every row
 * of it is there or none.  IMMEDIATE takes the write lock up front, so a
 * second takt process writing the same file waits for it (busy timeout)
 * instead of failing half-way with a lock upgrade it cannot get.  The
 * schema is created (or an older one migrated, store_schema.c) inside
 * that same transaction, so two processes that both find a new, empty
 * file do not race to create it, and a failed migration leaves the store
 * as it was.  WAL journal mode lets `takt runs` read while a run is being
 * recorded.  The rows themselves are written by store_insert.c.
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

/* ---- helpers shared with store_query.c --------------------------------- */

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
        ok = store_ensure_schema(t->db, path, err, errlen) == 0 &&
             store_validate(t->db, path, 0, err, errlen) >= 0;
    if (!ok) { txn_close(t); return NULL; }
    return t;
}

long long store_add(store_txn *t, const takt_summary *s, const store_meta *m, char *err, int errlen)
{
    long long id = store_insert_run(t->db, s, m);
    if (id < 0) return store_error(t->db, "cannot record the run in", t->path, err, errlen);
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
