/*
 * takt.h — the public C API of takt, a discrete-event simulator for car
 * plants and other discrete production lines.
 *
 *   takt_plant *p = takt_load("plant.yaml", &errors);   // or takt_load_string
 *   takt_options o; takt_options_default(&o);
 *   takt_summary *s; takt_simulate(p, &o, &s);
 *   takt_write_json(stdout, s);
 *   takt_summary_free(s); takt_plant_free(p);
 *
 * A plant is immutable once loaded and may be simulated by many threads at
 * once.  Results depend only on the plant, its seed and the options, never
 * on the number of threads or processes.
 */
#ifndef TAKT_H
#define TAKT_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

#define TAKT_VERSION "0.1.0"

typedef struct takt_plant takt_plant;
typedef struct takt_summary takt_summary;

typedef struct takt_options {
    int replications;               /* <= 0: the plant's                 */
    uint64_t seed; int have_seed;   /* have_seed = 0: the plant's        */
    double horizon, warmup;         /* seconds; < 0: the plant's         */
    int threads;                    /* <= 0: all cores                   */
    const volatile int *stop;       /* set *stop to interrupt; may be NULL */
    /* Progress: called from worker threads (must be thread-safe) after
     * every replication and every ~65,000 events, with the replication
     * number and the fraction of its simulated time done.  May be NULL. */
    void (*progress)(void *ctx, int rep, double frac);
    void *progress_ctx;
    /* When a run fails for a reason in the plant (a deadlock), *error
     * receives a malloc'd message (free it).  May be NULL. */
    char **error;
    /* How the bottleneck is named: TAKT_BOTTLENECK_PAIRED (the default)
     * confirms a shortlist by paired improvement runs, which adds a few
     * runs of the plant; TAKT_BOTTLENECK_ACTIVE takes the active-period
     * method's pick without simulating more (docs/diagnosis.md). */
    int bottleneck;
} takt_options;

enum { TAKT_BOTTLENECK_PAIRED = 0, TAKT_BOTTLENECK_ACTIVE = 1 };

const char *takt_version(void);

/* Load and validate a plant file.  On error returns NULL and, if errors is
 * not NULL, sets *errors to a malloc'd text of one "FILE:LINE:COLUMN:
 * message" line per problem (free it with free()). */
takt_plant *takt_load(const char *path, char **errors);
takt_plant *takt_load_string(const char *name, const char *yaml, size_t len, char **errors);
void takt_plant_free(takt_plant *p);

void takt_options_default(takt_options *o);

/* Simulate all replications.  Returns 0; -1 out of memory; -2 interrupted;
 * -3 the plant deadlocked (see takt_options.error). */
int takt_simulate(const takt_plant *p, const takt_options *o, takt_summary **out);
void takt_summary_free(takt_summary *s);

/* Reports.  Return 0, or -1 on a write error. */
int takt_write_json(FILE *f, const takt_summary *s);
int takt_write_text(FILE *f, const takt_summary *s);

#endif
