/*
 * cmd_improve.c — `takt improve [FILE] [--by 10%] [--what cycle|mttr]`:
 * for every station, the throughput gained by making its cycle time (or
 * its repairs) shorter by the given share, from paired runs on common
 * random numbers (src/exp/improve.h), largest gain first, as text and JSON.
 *
 * The baseline and every improved plant are jobs of one pool, spread over
 * threads and MPI ranks like a sweep; rank 0 reports, and the JSON holds no
 * wall-clock figure, so it is byte-identical for any number of threads or
 * ranks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define IMPROVE_HELP (-1)

typedef struct improve_args {
    const char *file, *json;
    int quiet;
    double by;
    takt_improve_what what;
    takt_options *opt;              /* owned */
} improve_args;

void help_improve(FILE *f)
{
    fprintf(f,
        "Usage: takt improve [FILE] [OPTIONS]\n\n"
        "For every station of FILE (default: the built-in plant), the throughput gained\n"
        "by making its cycle time shorter by a share, from paired runs on common random\n"
        "numbers, each gain with the 95 %% interval of the paired differences; largest\n"
        "gain first.\n\n"
        "  --by SHARE         how much shorter: 10%% (default) or 0.1; above 0, below 100%%\n"
        "  --what cycle|mttr  improve the cycle time (default) or the repair times of\n"
        "                     every failure mode (stations without failures are left out)\n"
        "  --replications N   replications of each plant (default: the file's)\n"
        "  --seed S           base random seed (default: the file's)\n"
        "  --horizon D        measured time after warm-up (default: the file's)\n"
        "  --warmup D         warm-up time not measured (default: the file's)\n"
        "  --threads N        worker threads (default: all cores); results do not depend on it\n"
        "  --json PATH|-      write {\"plant\", \"by\", \"improvements\": [...]} to PATH or stdout\n"
        "  --quiet            no progress or timing on stderr\n"
        "See docs/diagnosis.md.\n");
}

/* "10%" or "0.1": a share strictly between 0 and 1. */
static int parse_share(const char *v, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || end == v) return -1;
    if (*end == '%') { x /= 100; end++; }
    if (*end || !(x > 0 && x < 1)) return -1;
    *out = x;
    return 0;
}

static int parse_value(improve_args *a, const char *name, const char *v)
{
    long long n;
    double d;
    if (!strcmp(name, "--by")) {
        if (parse_share(v, &a->by) < 0)
            return usage_error("--by must be a share above 0 and below 100%%, e.g. 10%% or 0.1; got '%s'", v);
    } else if (!strcmp(name, "--what")) {
        if (!strcmp(v, "cycle")) a->what = TAKT_IMPROVE_CYCLE;
        else if (!strcmp(v, "mttr")) a->what = TAKT_IMPROVE_MTTR;
        else return usage_error("--what must be 'cycle' or 'mttr', got '%s'", v);
    } else if (!strcmp(name, "--replications")) {
        if (cli_parse_long(v, 1, 1000000, &n) < 0)
            return usage_error("--replications must be a whole number from 1 to 1000000, got '%s'", v);
        takt_options_set_replications(a->opt, (int)n);
    } else if (!strcmp(name, "--threads")) {
        if (cli_parse_long(v, 1, 256, &n) < 0)
            return usage_error("--threads must be a whole number from 1 to 256, got '%s'", v);
        takt_options_set_threads(a->opt, (int)n);
    } else if (!strcmp(name, "--seed")) {
        char *end;
        errno = 0;
        unsigned long long s = strtoull(v, &end, 10);
        if (errno || end == v || *end || v[0] == '-')
            return usage_error("--seed must be a whole number from 0 to 18446744073709551615, got '%s'", v);
        takt_options_set_seed(a->opt, s);
    } else if (!strcmp(name, "--horizon") || !strcmp(name, "--warmup")) {
        int hz = !strcmp(name, "--horizon");
        char *why = NULL;
        if (takt_parse_duration(v, &d, &why) != TAKT_OK) {
            int rc = usage_error("%s: %s", name, why ? why : "out of memory");
            free(why);
            return rc;
        }
        if (hz && !(d > 0)) return usage_error("--horizon must be > 0, got '%s'", v);
        if (d > 1000.0 * 365 * 86400) return usage_error("%s is longer than 1000 years: '%s'", name, v);
        if (hz) takt_options_set_horizon(a->opt, d); else takt_options_set_warmup(a->opt, d);
    } else {
        a->json = v;
    }
    return 0;
}

static int parse_improve_args(int argc, char **argv, improve_args *a)
{
    static const char *const valued[] = { "--by", "--what", "--replications", "--seed",
                                          "--horizon", "--warmup", "--threads", "--json", NULL };
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v, *name = NULL;
        if (arg[0] != '-' || !strcmp(arg, "-")) {
            if (a->file) return usage_error("more than one plant file given ('%s' and '%s')", a->file, arg);
            a->file = arg;
            continue;
        }
        if (!strcmp(arg, "--quiet") || !strcmp(arg, "-q")) { a->quiet = 1; continue; }
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) { help_improve(stdout); return IMPROVE_HELP; }
        for (int k = 0; valued[k] && !name; k++)
            if (cli_is_opt(arg, valued[k])) name = valued[k];
        if (!name) return usage_error("improve: unknown option '%s'", arg);
        if (!(v = cli_opt_value(argc, argv, &i, name))) return usage_error("%s needs a value", name);
        int rc = parse_value(a, name, v);
        if (rc) return rc;
    }
    return 0;
}

/* ---- the command -------------------------------------------------------- */

static int report(const improve_args *a, const takt_improvement *im, cli_file *json)
{
    int werr = 0;
    if (!(a->json && !strcmp(a->json, "-")) && takt_improvement_write(im, TAKT_FORMAT_TEXT, stdout) != TAKT_OK)
        werr = 1;
    if (a->json) {
        errno = 0;
        if (takt_improvement_write(im, TAKT_FORMAT_JSON, json->f) != TAKT_OK || fflush(json->f) != 0) {
            fprintf(stderr, "takt: cannot write '%s': %s\n", a->json, errno ? strerror(errno) : "write error");
            cli_file_discard(json);
            werr = 1;
        } else if (cli_file_commit(json) < 0) {  /* said why */
            werr = 1;
        }
    }
    return werr ? EXIT_INTERNAL : EXIT_OK;
}

static int simulate(improve_args *a, const takt_plant *p, int n, cli_file *json)
{
    int reps = takt_options_replications_for(a->opt, p);
    takt_options_set_stop_flag(a->opt, &cli_stop);
    progress *pg = progress_new_more(reps, reps * n, a->quiet);
    takt_options_set_progress(a->opt, pg ? progress_cb : NULL, pg);
    takt_improvement *im = NULL;
    char *why = NULL;
    double t0 = cli_now();
    cli_signals_soft(1);                /* a signal stops the run in order */
    takt_status st = takt_improve(p, a->opt, a->what, a->by, &im, &why);
    cli_signals_soft(0);
    double wall = cli_now() - t0;
    progress_done(pg);
    int status = EXIT_INTERNAL;
    if (st == TAKT_OK) {
        status = report(a, im, json);
        if (!a->quiet)
            fprintf(stderr, "takt: %d plants × %d replications in %.3f s\n", n + 1, reps, wall);
    } else if (st == TAKT_ENOTROOT) {           /* an MPI rank other than 0 */
        status = EXIT_OK;
    } else if (st == TAKT_EINTERRUPTED) {
        fprintf(stderr, "takt: interrupted: nothing was written\n");
        status = EXIT_INTERRUPTED;
    } else if (st == TAKT_EDEADLOCK || st == TAKT_EBADINPUT) {
        fprintf(stderr, "%s: %s\n", a->file ? a->file : takt_default_plant_name,
                why ? why : takt_strerror(st));
        status = EXIT_BAD_INPUT;
    } else {
        fprintf(stderr, "takt: out of memory while simulating\n");
    }
    if (st != TAKT_OK) cli_file_discard(json);
    free(why);
    takt_improvement_free(im);
    return status;
}

int cmd_improve(int argc, char **argv)
{
    improve_args a;
    memset(&a, 0, sizeof a);
    a.by = 0.10;
    a.what = TAKT_IMPROVE_CYCLE;
    if (!(a.opt = takt_options_new())) {
        fprintf(stderr, "takt: out of memory\n");
        return EXIT_INTERNAL;
    }
    int status = parse_improve_args(argc, argv, &a);
    if (status == IMPROVE_HELP) status = EXIT_OK;
    else if (status == 0) {
        takt_plant *p = cli_load_plant(a.file);
        int n = p ? takt_improve_station_count(p, a.what) : 0;
        cli_file json = {0};
        if (!p) {
            status = EXIT_BAD_INPUT;
        } else if (n == 0) {
            fprintf(stderr, "%s: no station has failures: nothing to repair faster (--what mttr)\n",
                    a.file ? a.file : takt_default_plant_name);
            status = EXIT_BAD_INPUT;
        } else if (a.json && strcmp(a.json, "-") &&
                   cli_check_distinct(a.file, (cli_output[]){ { "--json", a.json, NULL } }, 1, NULL) < 0) {
            status = EXIT_BAD_INPUT;
        } else if (a.json && cli_file_open(&json, a.json) < 0) {
            status = EXIT_BAD_INPUT;
        } else {
            status = simulate(&a, p, n, &json);
        }
        takt_plant_free(p);
    }
    takt_options_free(a.opt);
    return status;
}
