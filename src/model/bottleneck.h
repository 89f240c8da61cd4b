/*
 * bottleneck.h — bottleneck detection by the active-period method (Roser,
 * Nakano & Tanaka, 2001/2002).
 *
 * A station is active while it works, changes over or is failed.  At each
 * moment the station whose current active period is the longest is the
 * bottleneck.  Where the longest period overlaps the active period of the
 * previous or next bottleneck, the bottleneck is shifting; otherwise it is
 * the sole bottleneck.  The result per station is the share of the
 * observed time it was the sole bottleneck and the share it was a shifting
 * one.
 *
 * The tracker is fed transitions in time order while the run goes on, and
 * resolves moments as soon as every period covering them has ended, so it
 * keeps only the periods not yet resolved: memory stays bounded by the
 * overlap of periods, not the length of the run.
 */
#ifndef TAKT_BOTTLENECK_H
#define TAKT_BOTTLENECK_H

#include <stddef.h>

typedef struct bn_tracker bn_tracker;

/* Track n stations over the window starting at t0.  NULL on out of memory. */
bn_tracker *bn_new(int n, double t0);
/* Station i becomes active (1) or inactive (0) at time t (t never
 * decreases between calls).  Returns 0, -1 on out of memory. */
int bn_set(bn_tracker *b, int i, int active, double t);
/* Close every open period at t_end and resolve the rest of the window;
 * sole[i] and shifting[i] receive shares of [t0, t_end]. */
void bn_finish(bn_tracker *b, double t_end, double *sole, double *shifting);
void bn_free(bn_tracker *b);
/* Also charge every moment a station is the bottleneck (sole or shifting)
 * to its row of s->bn, period by period (series.h). */
struct series_obs;
void bn_series(bn_tracker *b, struct series_obs *s);
/* The most periods the tracker held at once (for tests of its memory). */
size_t bn_held_max(const bn_tracker *b);

#endif
