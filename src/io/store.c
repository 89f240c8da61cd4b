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

int store_open_read(const char *path, sqlite3 **db, char *err, int errlen)
{
    struct stat sb;
    *db = NULL;
    if (stat(path, &sb) < 0) {
        snprintf(err, (size_t)errlen, "no run store '%s': %s (runs are recorded by 'takt run')",
                 path, strerror(errno));
        return 2;
    }
    /* Read-write when allowed (only SELECTs are run): a read-only
     * connection to a WAL database leaves empty -wal and -shm files behind. */
    int flags = access(path, W_OK) == 0 ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(path, db, flags, NULL) != SQLITE_OK) {
        store_error(*db, "cannot open the run store", path, err, errlen);
        sqlite3_close(*db); *db = NULL;
        return 1;
    }
    sqlite3_busy_timeout(*db, STORE_BUSY_MS);
    int v = store_version(*db);
    const char *why = v == 0 ? "it holds no runs" : v == -1 ? "it is not a takt run store" : NULL;
    if (v == -2 && sqlite3_errcode(*db) == SQLITE_NOTADB) why = "it is not an SQLite database";
    if (why) snprintf(err, (size_t)errlen, "cannot read '%s': %s", path, why);
    else if (v == -2) store_error(*db, "cannot read the run store", path, err, errlen);
    else if (v > STORE_SCHEMA_VERSION)
        snprintf(err, (size_t)errlen, "cannot read '%s': its schema version %d is newer than this "
                 "takt's (%d)", path, v, STORE_SCHEMA_VERSION);
    else return 0;
    sqlite3_close(*db); *db = NULL;
    return why ? 2 : 1;
}

/* ---- recording -------------------------------------------------------- */

/* Run sql, retrying while the database is busy, up to STORE_BUSY_MS.
 * The busy timeout covers most waits, but SQLite returns SQLITE_BUSY at
 * once in a few cases (switching to WAL while another connection opens
 * the file, WAL recovery), which two takt processes starting together
 * do meet. */
static int exec_patient(sqlite3 *db, const char *sql)
{
    struct timespec pause = { 0, 20 * 1000 * 1000 };
    int rc;
    for (int waited = 0; ; waited += 20) {
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
        if ((rc & 0xff) != SQLITE_BUSY || waited >= STORE_BUSY_MS) return rc;
        nanosleep(&pause, NULL);
    }
}

static long long record_in(sqlite3 *db, const char *path, const takt_summary *s, const store_meta *m,
                           char *err, int errlen)
{
    if (exec_patient(db, "BEGIN IMMEDIATE") != SQLITE_OK)
        return store_error(db, "cannot write the run store", path, err, errlen);
    long long id = -1;
    if (store_ensure_schema(db, path, err, errlen) == 0) {
        id = store_insert_run(db, s, m);
        if (id < 0 || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            id = store_error(db, "cannot record the run in", path, err, errlen);
    }
    if (id < 0 && !sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return id;
}

long long store_record(const char *path, const takt_summary *s, const store_meta *m,
                       char *err, int errlen)
{
    sqlite3 *db = NULL;
    if (!path || !*path) { snprintf(err, (size_t)errlen, "the run store needs a file name"); return -1; }
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        store_error(db, "cannot open the run store", path, err, errlen);
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, STORE_BUSY_MS);
    long long id = -1;
    if (sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK ||
        exec_patient(db, "PRAGMA journal_mode = WAL") != SQLITE_OK)
        store_error(db, "cannot open the run store", path, err, errlen);
    else
        id = record_in(db, path, s, m, err, errlen);
    if (sqlite3_close(db) != SQLITE_OK && id > 0) {
        store_error(db, "cannot close the run store", path, err, errlen);
        id = -1;
    }
    return id;
}

int store_check(const char *path, char *err, int errlen)
{
    struct stat sb;
    if (!path || !*path) { snprintf(err, (size_t)errlen, "the run store needs a file name"); return -1; }
    if (stat(path, &sb) < 0) {
        char *dir = strdup(path);
        if (!dir) { snprintf(err, (size_t)errlen, "out of memory"); return -1; }
        char *slash = strrchr(dir, '/');
        const char *d = !slash ? "." : slash == dir ? "/" : (*slash = 0, dir);
        int ok = access(d, W_OK | X_OK) == 0;
        int e = errno;
        if (!ok) snprintf(err, (size_t)errlen, "cannot create the run store '%s': %s", path, strerror(e));
        free(dir);
        return ok ? 0 : -1;
    }
    sqlite3 *db = NULL;
    int rc = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        store_error(db, "cannot write the run store", path, err, errlen);
    } else {
        sqlite3_busy_timeout(db, STORE_BUSY_MS);
        int v = store_version(db);
        if (sqlite3_db_readonly(db, "main") == 1)
            snprintf(err, (size_t)errlen, "cannot write the run store '%s': %s", path, strerror(EACCES));
        else if (v == -2) store_error(db, "cannot read the run store", path, err, errlen);
        else if (v == -1)
            snprintf(err, (size_t)errlen, "'%s' is an SQLite database but not a takt run store; "
                     "give another --db path", path);
        else if (v > STORE_SCHEMA_VERSION)
            snprintf(err, (size_t)errlen, "cannot record in '%s': its schema version %d is newer "
                     "than this takt's (%d)", path, v, STORE_SCHEMA_VERSION);
        else rc = 0;
    }
    sqlite3_close(db);
    return rc;
}
