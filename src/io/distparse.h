/*
 * distparse.h — the text forms of durations and distributions in plant
 * files: "90s", "1.5h", "2 min", "exp(1h)", "tri(50min, 1h, 70min)", ...
 * Units: s, min, h, d, w; a bare number is seconds.
 */
#ifndef TAKT_DISTPARSE_H
#define TAKT_DISTPARSE_H

#include "../core/dist.h"

/* Parse a duration into seconds.  Returns 0, or -1 with a message in err
 * (e.g. "unknown unit 'mins' in '5 mins' (expected s, min, h, d or w)"). */
int parse_duration(const char *text, double *seconds, char *err, int errlen);

/* Parse a distribution (or a plain duration, meaning a constant) and
 * prepare it.  Empirical values are malloc'd into d->values.  Returns 0,
 * or -1 with a message in err. */
int parse_dist(const char *text, dist *d, char *err, int errlen);

#endif
