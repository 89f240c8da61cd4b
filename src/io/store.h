/*
 * store.h — the SQLite run store: every run recorded with its KPIs,
 * stations and series, for listing, showing and comparing later
 * (docs/run-store.md has the schema).
 */
#ifndef TAKT_STORE_H
#define TAKT_STORE_H

#include <stdio.h>
#include "../exp/summary.h"

typedef struct store_meta {
    const char *plant_file;         /* path, or NULL for the built-in plant */
    const char *plant_text;         /* the plant file's bytes: hashed and kept */
    size_t plant_len;
    /* The settings applied to the plant file, "PATH=VALUE" as --set takes
     * them, in the order given; swept[i] is 1 for a value a sweep varies
     * (swept may be NULL: none is). */
    const char *const *settings;
    const int *swept;
    int nsettings;
    const char *command_line;
    double wall_s;                  /* wall-clock time of the run        */
    long long sweep_id;             /* 0 when not part of a sweep        */
} store_meta;

/* Recording in steps, so that the runs of a command and its output files
 * are committed together: store_begin opens (creating if missing) and
 * locks the store, waiting at most STORE_BUSY_MS (10 s) in all for
 * another writer, and checks it; store_add adds one run (its id, or -1);
 * store_commit makes them permanent; store_abort drops them.  commit and
 * abort close the store.  Errors: NULL or -1 with a message in err. */
typedef struct store_txn store_txn;
store_txn *store_begin(const char *db, char *err, int errlen);
long long store_add(store_txn *t, const takt_summary *s, const store_meta *m, char *err, int errlen);
int store_commit(store_txn *t, char *err, int errlen);
void store_abort(store_txn *t);

/* Record one run in one transaction.  Returns the new run id (> 0), or -1
 * with a message in err. */
long long store_record(const char *db, const takt_summary *s, const store_meta *m,
                       char *err, int errlen);

/* Whether store_record could write to db, checked before simulating so a
 * bad --db path fails early: an existing file must be a writable, intact
 * takt run store of a version this takt knows (store_check.c); a missing
 * one must be creatable.  Creates nothing.  Returns 0, or -1 with a
 * message in err. */
int store_check(const char *db, char *err, int errlen);

/* `takt runs`, `takt show RUN`, `takt compare RUN RUN` (paired by
 * replication when both runs share seed and replications, else Welch's;
 * store_compare.c): print to f.
 * Return 0, 2 for bad input (no such run), 1 for other errors (message in err). */
int store_list(const char *db, FILE *f, char *err, int errlen);
int store_show(const char *db, long long run, FILE *f, char *err, int errlen);
int store_compare(const char *db, long long a, long long b, FILE *f, char *err, int errlen);
/* `takt compare --json`: the same comparison as one JSON object. */
int store_compare_json(const char *db, long long a, long long b, FILE *f, char *err, int errlen);
/* `takt show RUN --plant`: the plant file's bytes as the run simulated
 * them; 2 when the run has none (recorded before version 4). */
int store_show_plant(const char *db, long long run, FILE *f, char *err, int errlen);

/* Whether two 95 % intervals mean ± half overlap: 1 they overlap, 0 they
 * are disjoint (the difference is significant), -1 unknown (a value is
 * missing).  Used by store_compare for the stations' working shares. */
int store_ci_overlap(double mean_a, double half_a, double mean_b, double half_b);

#endif
