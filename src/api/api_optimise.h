/*
 * api_optimise.h — what api_optimise.c (the problem and the run) and
 * api_optimise_report.c (its reports) share: the public takt_optimise's
 * insides.  Not installed.
 */
#ifndef TAKT_API_OPTIMISE_H
#define TAKT_API_OPTIMISE_H

#include "api.h"
#include "exp/optimise.h"
#include "io/yaml_doc.h"

struct takt_optimise {
    char *file;
    char *text;                     /* the plant file's bytes            */
    ydoc doc;                       /* parsed, for '*' in paths          */
    opt_problem pr;
    opt_result r;
    int have_result;
};

/* Design 0 (the best) or 1..ntied (the tied ones); NULL before a result
 * or out of range. */
const opt_design *api_opt_design(const takt_optimise *o, int design);

#endif
