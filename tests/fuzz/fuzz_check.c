/*
 * fuzz_check.c — what takt promises for any input bytes, checked on one
 * input: the fuzz target (fuzz_load.c), the corpus replay (replay.c) and
 * the unit test of limits (tests/unit/test_limits.c) all call
 * fuzz_check_one().
 *
 * The promises:
 *   - takt_load_string() returns, without crashing, leaking or reading
 *     out of bounds (the sanitizers see to that part);
 *   - it returns a plant, or a message of one line per problem, each
 *     "NAME:LINE:COLUMN: text" with a position inside the input, or
 *     "NAME: text" for a problem of the file as a whole;
 *   - a plant it returns passes plant_validate() again with no problem
 *     (the loader must not hand out a plant its own checks refuse);
 *   - settings written as comment lines "#set PATH=VALUE" (the way `takt
 *     sweep --set` gives them) go through the same loader with the
 *     overrides applied, under the same promises: the comment keeps the
 *     input valid YAML, so the fuzzer explores both at once;
 *   - a small plant simulates a little (1 replication, 10 simulated hours,
 *     at most about 131,000 events) and writes its reports without
 *     crashing; deadlocks and "does not advance" are answers, not crashes.
 *
 * The simulation is capped through the public interrupt: the progress
 * callback (called every 65,536 events) raises the stop flag, and the run
 * ends at the next check.  Plants above a size guard are only loaded, so
 * one input cannot take seconds: fuzzing needs thousands of inputs a
 * second to explore anything.
 *
 * The file is included (not linked) by its users, because the test build
 * links only the support sources of tests/unit and tests/validation.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "takt.h"
#include "model/plant.h"
#include "core/diag.h"
#include "io/override.h"
#include "io/report.h"

#define FUZZ_NAME "fuzz.yaml"
#define FUZZ_HORIZON (10.0 * 3600.0)    /* 10 simulated hours            */
#define FUZZ_MAX_STATIONS 64
#define FUZZ_MAX_BUFFERS 256
#define FUZZ_MAX_MACHINES 512
#define FUZZ_MAX_SETS 8

typedef struct fuzz_verdict {
    int loaded;                 /* 1: a plant, 0: errors                  */
    int simulated;              /* takt_simulate's status, or 1 if skipped */
    char why[512];              /* the broken promise, "" if none          */
} fuzz_verdict;

/* Stop the run at the first progress call: an event cap without any hook
 * beyond the public API. */
static void fuzz_cap_events(void *ctx, int rep, double frac)
{
    (void)rep;
    (void)frac;
    *(volatile int *)ctx = 1;
}

/* An upper bound of the lines YAML sees: it also breaks lines at a lone
 * CR, at NEL (U+0085) and at U+2028/U+2029, in UTF-8 or UTF-16, so every
 * byte that may belong to a line break counts (CR LF counts twice; a
 * bound is all the check needs). */
static int count_lines(const uint8_t *data, size_t size)
{
    int n = 1;
    for (size_t i = 0; i < size; i++)
        if (data[i] == '\n' || data[i] == '\r' || data[i] == 0x85 || data[i] == 0xa8
            || data[i] == 0xa9 || data[i] == 0x28 || data[i] == 0x29)
            n++;
    return n;
}

/* Read a decimal number at *s (advancing it); -1 if there is none. */
static long read_number(const char **s)
{
    long n = 0;
    int digits = 0;
    while (**s >= '0' && **s <= '9' && digits < 10) {
        n = n * 10 + (**s - '0');
        (*s)++;
        digits++;
    }
    return digits ? n : -1;
}

/* One message line: "NAME: text" or "NAME:LINE:COL: text", LINE within
 * the input and text not empty.  Returns 0 or -1 with why set. */
static int check_message_line(const char *line, size_t len, int nlines, fuzz_verdict *v)
{
    const size_t nl = strlen(FUZZ_NAME);
    const char *s = line + nl;
    if (len < nl + 3 || memcmp(line, FUZZ_NAME, nl) != 0 || *s != ':')
        goto bad;
    s++;
    if (*s != ' ') {
        long ln = read_number(&s), col = -1;
        if (*s == ':') {
            s++;
            col = read_number(&s);
        }
        /* libyaml puts an error at the end of a file that lacks its
         * final newline on the line after the last one. */
        if (ln < 1 || ln > nlines + 1 || col < 1 || *s != ':')
            goto bad;
        s++;
    }
    if (*s != ' ' || (size_t)(s + 1 - line) >= len)
        goto bad;
    return 0;
bad:
    snprintf(v->why, sizeof v->why, "malformed message line (input has %d lines): '%.*s'",
             nlines, (int)(len > 300 ? 300 : len), line);
    return -1;
}

static int check_errors(const char *errors, int nlines, fuzz_verdict *v)
{
    if (!errors || !*errors) {
        snprintf(v->why, sizeof v->why, "no plant and no error message");
        return -1;
    }
    for (const char *p = errors; *p; ) {
        const char *end = strchr(p, '\n');
        if (!end) {
            snprintf(v->why, sizeof v->why, "error text does not end with a newline");
            return -1;
        }
        if (check_message_line(p, (size_t)(end - p), nlines, v) < 0)
            return -1;
        p = end + 1;
    }
    return 0;
}

static int small_enough(const takt_plant *p)
{
    long machines = 0;
    for (int i = 0; i < p->nstations; i++)
        machines += p->stations[i].servers;
    return p->nstations <= FUZZ_MAX_STATIONS && p->nbuffers <= FUZZ_MAX_BUFFERS
        && p->nsources <= FUZZ_MAX_STATIONS && machines <= FUZZ_MAX_MACHINES;
}

static int revalidate(const takt_plant *p, fuzz_verdict *v)
{
    diags d;
    diags_init(&d, FUZZ_NAME);
    int n = plant_validate(p, &d);
    if (n > 0) {
        char first[300] = "";
        if (d.n > 0)
            diags_format(&d, 0, first, sizeof first);
        snprintf(v->why, sizeof v->why, "a loaded plant fails plant_validate: %s", first);
    }
    diags_free(&d);
    return n > 0 ? -1 : 0;
}

static int simulate_briefly(const takt_plant *p, fuzz_verdict *v)
{
    volatile int stop = 0;
    char *why = NULL;
    exp_options o;
    exp_options_default(&o);
    o.replications = 1;
    o.threads = 1;
    o.horizon = FUZZ_HORIZON;
    o.warmup = 0;
    o.stop = &stop;
    o.progress = fuzz_cap_events;
    o.progress_ctx = (void *)&stop;
    o.error = &why;
    takt_summary *s = NULL;
    v->simulated = exp_run(p, &o, &s);
    if (v->simulated == 0) {
        FILE *sink = fopen("/dev/null", "w");
        if (sink) {
            report_text(sink, s);
            report_json(sink, s);
            fclose(sink);
        }
        summary_free(s);
    } else if (v->simulated == -3 && !why) {
        snprintf(v->why, sizeof v->why, "takt_simulate says deadlock (-3) without a message");
    } else if (v->simulated != -1 && v->simulated != -2 && v->simulated != -3) {
        snprintf(v->why, sizeof v->why, "takt_simulate returned %d", v->simulated);
    }
    free(why);
    return v->why[0] ? -1 : 0;
}

/* The settings of the input: the rest of every line that starts with
 * "#set ", copied into sets[] (free each).  Returns how many. */
static int find_sets(const uint8_t *data, size_t size, char **sets)
{
    int n = 0;
    for (size_t i = 0; i < size && n < FUZZ_MAX_SETS; ) {
        size_t end = i;
        while (end < size && data[end] != '\n')
            end++;
        if (end - i >= 5 && memcmp(data + i, "#set ", 5) == 0) {
            size_t len = end - i - 5;
            if ((sets[n] = malloc(len + 1)) != NULL) {
                memcpy(sets[n], data + i + 5, len);
                sets[n++][len] = 0;
            }
        }
        i = end + 1;
    }
    return n;
}

/* The loader with settings, and its diagnostics as one text like
 * takt_load_string gives (NULL when the plant loaded). */
static takt_plant *load_with_sets(const uint8_t *data, size_t size, char **sets, int nsets,
                                  char **errors)
{
    diags d;
    diags_init(&d, FUZZ_NAME);
    takt_plant *p = load_plant_string_with((const char *)data, size,
                                           (const char *const *)sets, nsets, &d);
    *errors = NULL;
    if (!p) {
        size_t cap = 1, used = 0;
        for (int i = 0; i < d.n; i++)
            cap += strlen(FUZZ_NAME) + (i < d.cap && d.v[i].msg ? strlen(d.v[i].msg) : 0) + 40;
        char *out = malloc(cap);
        for (int i = 0; out && i < d.n; i++) {
            diags_format(&d, i, out + used, (int)(cap - used - 1));
            used += strlen(out + used);
            out[used++] = '\n';
        }
        if (out)
            out[used] = 0;
        *errors = out;
    }
    diags_free(&d);
    return p;
}

/* Check every promise on one input.  Returns 0, or -1 with v->why set. */
static int fuzz_check_one(const uint8_t *data, size_t size, fuzz_verdict *v)
{
    memset(v, 0, sizeof *v);
    v->simulated = 1;
    char *errors = NULL, *sets[FUZZ_MAX_SETS];
    int nsets = find_sets(data, size, sets);
    takt_plant *p = nsets == 0
        ? takt_load_string(FUZZ_NAME, (const char *)data, size, &errors)
        : load_with_sets(data, size, sets, nsets, &errors);
    for (int i = 0; i < nsets; i++)
        free(sets[i]);
    v->loaded = p != NULL;
    int rc = 0;
    if (!p) {
        rc = check_errors(errors, count_lines(data, size), v);
    } else if (errors) {
        snprintf(v->why, sizeof v->why, "a plant and an error message at once");
        rc = -1;
    } else {
        rc = revalidate(p, v);
        if (rc == 0 && small_enough(p))
            rc = simulate_briefly(p, v);
    }
    free(errors);
    takt_plant_free(p);
    return rc;
}
