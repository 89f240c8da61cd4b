/*
 * api.h — what the files behind include/takt.h share: the public types'
 * insides, which wrap the experiment layer's own (so those may change
 * without changing the ABI), and the mapping of internal return codes to
 * takt_status.  Not installed; nothing outside src/api includes it.
 */
#ifndef TAKT_API_INTERNAL_H
#define TAKT_API_INTERNAL_H

#include "takt.h"
#include "exp/summary.h"

struct takt_options {
    exp_options exp;
    volatile int cancelled;         /* takt_options_cancel's own flag    */
    const volatile int *flag;       /* the caller's flag, or NULL        */
};

struct takt_result {
    takt_summary *sum;              /* owned                             */
    int bottleneck;                 /* station index, -1 none            */
};

/* A result owning sum (freed with it on failure); NULL out of memory. */
takt_result *api_result_new(takt_summary *sum);

/* The experiment options to run with: o's, or the defaults when o is
 * NULL; the stop flag set to the one in force. */
void api_exp_options(const takt_options *o, exp_options *out);

/* The status of exp_run / sweep_run's return code. */
takt_status api_status_of_run(int rc);

/* *message = a malloc'd copy of text (when message is not NULL). */
void api_message(char **message, const char *text);

/* Station or buffer (including the queues in front of sources) index by
 * name; -1 when there is none. */
int api_station_index(const takt_plant *p, const char *name);
int api_buffer_index(const takt_plant *p, const char *name);

#endif
