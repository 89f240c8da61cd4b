/*
 * store_read.h — what `takt runs`, `show` (store_query.c) and `compare`
 * (store_compare.c) share to read the run store: a run's settings and
 * its rows, and how they format a value.  Not part of the API.
 */
#ifndef TAKT_STORE_READ_H
#define TAKT_STORE_READ_H

#include <stdio.h>
#include "store_internal.h"

typedef struct run_setting {
    char *path, *value;
    int swept;                      /* a value the sweep varied          */
} run_setting;

typedef struct run_meta {
    long long id;
    char *started_at, *plant, *plant_file, *plant_hash, *version, *command_line;
    char *bottleneck;               /* NULL in stores before version 2   */
    unsigned long long seed;
    int replications;
    double horizon, warmup, wall_s;
    long long events, sweep_id;
    int has_plant_text;             /* 0 in runs recorded before version 4 */
    run_setting *settings;          /* none before version 4             */
    int nsettings;
} run_meta;

typedef struct named_row {
    char *name;
    double mean, ci95;              /* NAN when NULL                     */
} named_row;

typedef struct named_rows {
    named_row *v;
    int n;
} named_rows;

double store_col_real(sqlite3_stmt *st, int i);
char *store_col_dup(sqlite3_stmt *st, int i);

/* Print s left-aligned in width columns, counting UTF-8 characters. */
void store_pad(FILE *f, const char *s, int width);
/* "0.90685 ± 0.0029" (times scale, then unit), or "-" for no value. */
void store_fmt_pm(char *buf, size_t len, double mean, double ci95, double scale, const char *unit);

/* "no run N in 'path' (...)" into err; returns 2. */
int store_no_run(const char *path, long long id, char *err, int errlen);

/* A run's row of `runs` and its settings.  0 found, 2 no such run, 1 an
 * error (message in err).  meta_free after either. */
int store_load_meta(sqlite3 *db, const char *path, long long id, run_meta *m, char *err, int errlen);
void store_meta_free(run_meta *m);

/* Rows (name, mean, ci95) of a query with one parameter, the run id.
 * 0, or -1 (SQLite's message in db). */
int store_load_rows(sqlite3 *db, const char *sql, long long id, named_rows *r);
void store_rows_free(named_rows *r);
const named_row *store_find_row(const named_rows *r, const char *name);

/* The n per-replication values of figure `name` of a run, by replication
 * index, into v[n].  Returns 1 when every replication has a value, 0
 * when the store has none for it (a store before version 4), -1 on an
 * error. */
int store_load_reps(sqlite3 *db, long long id, const char *name, double *v, int n);

/* The settings as "PATH=VALUE, ..." of those swept (swept 1) or not
 * (swept 0) into buf; "" when there are none. */
void store_settings_text(const run_meta *m, int swept, char *buf, size_t len);

/* `takt compare` as text or (json 1) as JSON, to f (store_compare.c).
 * 0, 2 for bad input (no such run, no store), 1 for other errors. */
int store_compare_to(const char *path, long long a, long long b, int json, FILE *f, char *err,
                     int errlen);

#endif
