/*
 * store_check.c — is a run store what it should be?  Checked before any
 * simulation (`takt run`, `takt sweep`) and before anything is printed
 * (`takt show`, `takt compare`), so a damaged or foreign store is refused
 * with a message instead of being found half-way.
 *
 * What is refused: a path that is not a regular file (a directory, a
 * device, /proc/version), bytes that are not an SQLite database (random
 * data, a truncated header), a database that is not a takt run store (no
 * schema_version table, an empty one), a newer schema version, a table
 * missing or with other columns than the schema's, and a database whose
 * pages are corrupt (SQLite's quick_check, which reads every page once:
 * milliseconds for a store of a few megabytes).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "store.h"
#include "store_internal.h"

/* A column recording adds by itself when a store lacks it: a figure of
 * the results catalogue (store_schema.c), so a store written before that
 * figure existed is not damaged. */
typedef struct addable_q {
    const char *column;
    int found;
} addable_q;

static void match_figure(void *ctx, const char *name, const char *type)
{
    addable_q *q = ctx;
    if (!strcmp(name, q->column) && !strcmp(type, "REAL")) q->found = 1;
}

static int addable(const char *table, const char *column)
{
    addable_q q = { column, 0 };
    for (int k = TABLE_STATIONS; k <= TABLE_TARGETS; k++)
        if (!strcmp(store_table_name((store_table)k), table)) store_columns((store_table)k, match_figure, &q);
    return q.found;
}

/* Every table of the current schema is there with every column recording
 * needs.  0, or -1 with err set. */
static int same_tables(sqlite3 *db, const char *path, char *err, int errlen)
{
    sqlite3 *ref = NULL;
    sqlite3_stmt *st = NULL, *cols = NULL;
    int rc = -1;
    char *schema = store_schema_sql();
    if (!schema || sqlite3_open(":memory:", &ref) != SQLITE_OK ||
        sqlite3_exec(ref, schema, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(ref, "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c "
                                "WHERE m.type = 'table' ORDER BY m.name, c.cid", -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, (size_t)errlen, "out of memory");
        goto done;
    }
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(st, 0);
        const char *column = (const char *)sqlite3_column_text(st, 1);
        int has = store_has_column(db, table, column);
        if (has < 0) { store_error(db, "cannot read the run store", path, err, errlen); goto done; }
        if (has || addable(table, column)) continue;
        int table_there = 0;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM pragma_table_info(?1)", -1, &cols, NULL) == SQLITE_OK) {
            sqlite3_bind_text(cols, 1, table, -1, SQLITE_STATIC);
            table_there = sqlite3_step(cols) == SQLITE_ROW && sqlite3_column_int(cols, 0) > 0;
        }
        if (table_there)
            snprintf(err, (size_t)errlen, "'%s' is a damaged run store: its table '%s' has no column "
                     "'%s'", path, table, column);
        else
            snprintf(err, (size_t)errlen, "'%s' is a damaged run store: its table '%s' is missing",
                     path, table);
        goto done;
    }
    rc = step == SQLITE_DONE ? 0 : -1;
    if (rc) snprintf(err, (size_t)errlen, "out of memory");
done:
    sqlite3_finalize(cols);
    sqlite3_finalize(st);
    sqlite3_close(ref);
    free(schema);
    return rc;
}

static int quick_check(sqlite3 *db, const char *path, char *err, int errlen)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL) != SQLITE_OK)
        return store_error(db, "cannot read the run store", path, err, errlen);
    int rc = sqlite3_step(st);
    const unsigned char *r = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
    int ok = r && strcmp((const char *)r, "ok") == 0;
    if (!ok && r)
        snprintf(err, (size_t)errlen, "'%s' is a damaged run store (SQLite finds: %.200s)", path,
                 (const char *)r);
    else if (!ok)
        store_error(db, "cannot read the run store", path, err, errlen);
    sqlite3_finalize(st);
    return ok ? 0 : -1;
}

int store_validate(sqlite3 *db, const char *path, int thorough, char *err, int errlen)
{
    int v = store_version(db);
    if (v == -2 && (sqlite3_errcode(db) & 0xff) == SQLITE_NOTADB) {
        snprintf(err, (size_t)errlen, "'%s' is not a run store: it is not an SQLite database", path);
        return -1;
    }
    if (v == -2) return store_error(db, "cannot read the run store", path, err, errlen);
    if (v == -1) {
        snprintf(err, (size_t)errlen, "'%s' is an SQLite database but not a takt run store; "
                 "give another --db path", path);
        return -1;
    }
    if (v > STORE_SCHEMA_VERSION) {
        snprintf(err, (size_t)errlen, "cannot use '%s': its schema version %d is newer than "
                 "this takt's (%d)", path, v, STORE_SCHEMA_VERSION);
        return -1;
    }
    if (thorough && v > 0 && quick_check(db, path, err, errlen) < 0) return -1;
    if (v == STORE_SCHEMA_VERSION && same_tables(db, path, err, errlen) < 0) return -1;
    return v;
}

/* The first bytes of a non-empty file must be SQLite's header: refuses
 * random bytes, and files whose size says nothing (/proc/version is
 * "empty" to stat, and SQLite would take it for a new database). */
static int sqlite_header(const char *path, char *err, int errlen)
{
    static const char magic[16] = "SQLite format 3";
    char head[16];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        snprintf(err, (size_t)errlen, "cannot read the run store '%s': %s", path, strerror(errno));
        return -1;
    }
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    if (n == 0) return 0;
    if (n == (ssize_t)sizeof head && memcmp(head, magic, sizeof head) == 0) return 0;
    snprintf(err, (size_t)errlen, "'%s' is not a run store: it is not an SQLite database", path);
    return -1;
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
        int ok = errno == ENOENT && access(d, W_OK | X_OK) == 0;
        int e = errno;
        if (!ok) snprintf(err, (size_t)errlen, "cannot create the run store '%s': %s", path, strerror(e));
        free(dir);
        return ok ? 0 : -1;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(err, (size_t)errlen, "cannot use '%s' as the run store: it is %s", path,
                 S_ISDIR(sb.st_mode) ? "a directory" : "not a regular file");
        return -1;
    }
    if (sqlite_header(path, err, errlen) < 0) return -1;
    sqlite3 *db = NULL;
    int rc = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        store_error(db, "cannot write the run store", path, err, errlen);
    } else {
        sqlite3_busy_timeout(db, STORE_BUSY_MS);
        if (sqlite3_db_readonly(db, "main") == 1)
            snprintf(err, (size_t)errlen, "cannot write the run store '%s': %s", path, strerror(EACCES));
        else if (store_validate(db, path, 1, err, errlen) >= 0)
            rc = 0;
    }
    sqlite3_close(db);
    return rc;
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
    else if (store_validate(*db, path, 1, err, errlen) >= 0) return 0;
    else why = "";                  /* damaged: the user's input, status 2 */
    sqlite3_close(*db); *db = NULL;
    return why ? 2 : 1;
}
