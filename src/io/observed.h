/*
 * observed.h — the observed series of a fit (takt fit --observed): a CSV
 * file with a header naming its columns, `date` and `produced` and/or
 * `delivered` (and optionally `weight`), one row per period:
 *
 *     date,produced,delivered
 *     2024-03-31,1850,
 *     2024-04-30,7020,5400
 *
 * Each row counts what was made (delivered) in the period that ends on its
 * date, since the previous row's date (the first row: since the plant's
 * time 0).  A cell may be empty (not observed); a row with both counts
 * empty only marks where the next period starts.  Lines starting with #
 * are comments.  Every problem is reported as FILE:LINE:COLUMN.
 */
#ifndef TAKT_OBSERVED_H
#define TAKT_OBSERVED_H

#include <stddef.h>
#include "../core/diag.h"
#include "../exp/fit.h"

/* Read text against plant p (its start date and its last day).  Returns 0
 * with *out filled (free with fit_observed_free), or -1 with one
 * diagnostic per problem in d. */
int observed_parse(const char *text, size_t len, const takt_plant *p, fit_observed *out,
                   diags *d);

#endif
