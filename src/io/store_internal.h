/*
 * store_internal.h — what store.c (schema, recording) shares with
 * store_query.c (listing, showing, comparing); not part of the API.
 */
#ifndef TAKT_STORE_INTERNAL_H
#define TAKT_STORE_INTERNAL_H

#include <sqlite3.h>

#define STORE_SCHEMA_VERSION 4
#define STORE_BUSY_MS 10000         /* wait this long for another writer */

/* Put "what 'path': reason" into err, the reason from SQLite and, for
 * file errors, from the operating system.  Returns -1. */
int store_error(sqlite3 *db, const char *what, const char *path, char *err, int errlen);

/* The schema version of an open database: 0 when it holds no tables at
 * all (a new store), -1 when it has tables but is not a takt run store,
 * -2 on an SQLite error. */
int store_version(sqlite3 *db);

/* Check an open store before reading or writing it (store_check.c): its
 * schema version is one this takt knows, and at the current version
 * every table has the columns of the schema; thorough adds SQLite's
 * quick_check of every page.  Returns the version (0: no tables yet),
 * or -1 with "what is wrong with 'path'" in err. */
int store_validate(sqlite3 *db, const char *path, int thorough, char *err, int errlen);

/* Open an existing run store for reading.  Returns 0, 2 when there is no
 * such store (missing file, not a takt run store), 1 on other errors. */
int store_open_read(const char *path, sqlite3 **db, char *err, int errlen);

/* ---- schema (store_schema.c) ---------------------------------------------- */

/* The tables whose columns come from the results catalogue. */
typedef enum store_table { TABLE_STATIONS, TABLE_BUFFERS, TABLE_SERIES, TABLE_TARGETS, TABLE_POOLS,
                            TABLE_LOOPS } store_table;
typedef void (*store_col_fn)(void *ctx, const char *name, const char *type);

/* Every column of a table, in order: fn(ctx, name, SQL type). */
void store_columns(store_table t, store_col_fn fn, void *ctx);
const char *store_table_name(store_table t);

/* The SQL that creates a fresh store at STORE_SCHEMA_VERSION (malloc'd). */
char *store_schema_sql(void);

/* Create the schema in a new store, or migrate an older one; refuse a
 * file that is something else or newer.  Called inside the write
 * transaction, which the caller rolls back on failure.  0, or -1 with a
 * message in err. */
int store_ensure_schema(sqlite3 *db, const char *path, char *err, int errlen);

/* 1 when the table has the column, 0 when not, -1 on an error. */
int store_has_column(sqlite3 *db, const char *table, const char *column);

/* ---- recording (store_insert.c) ----------------------------------------- */

typedef struct takt_summary takt_summary;
typedef struct store_meta store_meta;

/* Insert every row of one run; its id, or -1 (SQLite's message in db). */
long long store_insert_run(sqlite3 *db, const takt_summary *s, const store_meta *m);

#endif
