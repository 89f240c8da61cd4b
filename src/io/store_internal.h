/*
 * store_internal.h — what store.c (schema, recording) shares with
 * store_query.c (listing, showing, comparing); not part of the API.
 */
#ifndef TAKT_STORE_INTERNAL_H
#define TAKT_STORE_INTERNAL_H

#include <sqlite3.h>

#define STORE_SCHEMA_VERSION 1
#define STORE_BUSY_MS 10000         /* wait this long for another writer */

/* Put "what 'path': reason" into err, the reason from SQLite and, for
 * file errors, from the operating system.  Returns -1. */
int store_error(sqlite3 *db, const char *what, const char *path, char *err, int errlen);

/* The schema version of an open database: 0 when it holds no tables at
 * all (a new store), -1 when it has tables but is not a takt run store,
 * -2 on an SQLite error. */
int store_version(sqlite3 *db);

/* The SQL that creates the current schema. */
const char *store_schema(void);

/* Check an open store before reading or writing it (store_check.c): its
 * schema version is one this takt knows, and at the current version
 * every table has the columns of the schema; thorough adds SQLite's
 * quick_check of every page.  Returns the version (0: no tables yet),
 * or -1 with "what is wrong with 'path'" in err. */
int store_validate(sqlite3 *db, const char *path, int thorough, char *err, int errlen);

/* Open an existing run store for reading.  Returns 0, 2 when there is no
 * such store (missing file, not a takt run store), 1 on other errors. */
int store_open_read(const char *path, sqlite3 **db, char *err, int errlen);

#endif
