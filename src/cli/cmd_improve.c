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
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "exp/improve.h"
#include "io/distparse.h"
#include "io/jsonw.h"

#define IMPROVE_HELP (-1)

typedef struct improve_args {
    const char *file, *json;
    int quiet;
    double by;
    improve_what what;
    takt_options opt;
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
    char err[256];
    if (!strcmp(name, "--by")) {
        if (parse_share(v, &a->by) < 0)
            return usage_error("--by must be a share above 0 and below 100%%, e.g. 10%% or 0.1; got '%s'", v);
    } else if (!strcmp(name, "--what")) {
        if (!strcmp(v, "cycle")) a->what = IMPROVE_CYCLE;
        else if (!strcmp(v, "mttr")) a->what = IMPROVE_MTTR;
        else return usage_error("--what must be 'cycle' or 'mttr', got '%s'", v);
    } else if (!strcmp(name, "--replications")) {
        if (cli_parse_long(v, 1, 1000000, &n) < 0)
            return usage_error("--replications must be a whole number from 1 to 1000000, got '%s'", v);
        a->opt.replications = (int)n;
    } else if (!strcmp(name, "--threads")) {
        if (cli_parse_long(v, 1, 256, &n) < 0)
            return usage_error("--threads must be a whole number from 1 to 256, got '%s'", v);
        a->opt.threads = (int)n;
    } else if (!strcmp(name, "--seed")) {
        char *end;
        errno = 0;
        unsigned long long s = strtoull(v, &end, 10);
        if (errno || end == v || *end || v[0] == '-')
            return usage_error("--seed must be a whole number from 0 to 18446744073709551615, got '%s'", v);
        a->opt.seed = s;
        a->opt.have_seed = 1;
    } else if (!strcmp(name, "--horizon") || !strcmp(name, "--warmup")) {
        int hz = !strcmp(name, "--horizon");
        if (parse_duration(v, &d, err, sizeof err) < 0) return usage_error("%s: %s", name, err);
        if (hz && !(d > 0)) return usage_error("--horizon must be > 0, got '%s'", v);
        if (d > 1000.0 * 365 * 86400) return usage_error("%s is longer than 1000 years: '%s'", name, v);
        if (hz) a->opt.horizon = d; else a->opt.warmup = d;
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

/* ---- reports ------------------------------------------------------------ */

typedef struct improve_report {
    const improve_args *a;
    const takt_plant *p;
    int replications;
    unsigned long long seed;
    kpi throughput;
    const station_gain *gains;
    int n;
} improve_report;

static int write_text(FILE *f, const improve_report *r)
{
    const takt_plant *p = r->p;
    int wd = 20;
    for (int k = 0; k < r->n; k++) {
        int l = (int)strlen(p->stations[r->gains[k].station].name);
        if (l > wd) wd = l < 60 ? l : 60;
    }
    fprintf(f, "takt %s — %s\n", TAKT_VERSION, p->name);
    fprintf(f, "  each station's %s %.3g %% shorter; %d replication%s paired on common random "
            "numbers, seed %llu\n", r->a->what == IMPROVE_MTTR ? "repair times" : "cycle time",
            100 * r->a->by, r->replications, r->replications == 1 ? "" : "s", r->seed);
    fprintf(f, "  throughput %.4g ± %.3g jobs/h as it is\n\n", r->throughput.mean, r->throughput.ci95);
    fprintf(f, "  %4s  %-*s %14s %11s %9s\n", "rank", wd, "station", "gain (jobs/h)", "± 95 %", "gain (%)");
    for (int k = 0; k < r->n; k++) {
        const station_gain *g = &r->gains[k];
        double rel = r->throughput.mean > 0 ? 100 * g->gain.mean / r->throughput.mean : NAN;
        fprintf(f, "  %4d  %-*s %+14.4g %11.2g %+9.2f\n", k + 1, wd, p->stations[g->station].name,
                g->gain.mean, g->gain.ci95, rel);
    }
    if (r->n > 0 && r->replications < 2)
        fprintf(f, "\n  (one replication: no intervals; give --replications 2 or more)\n");
    return ferror(f) ? -1 : 0;
}

static int write_json(FILE *f, const improve_report *r)
{
    jsonw w;
    jw_init(&w, f, 1);
    jw_obj(&w, NULL);
    jw_str(&w, "plant", r->p->name);
    jw_num(&w, "by", r->a->by);
    jw_str(&w, "what", improve_what_name(r->a->what));
    jw_int(&w, "replications", r->replications);
    jw_uint(&w, "seed", r->seed);
    jw_kpi(&w, "throughput_per_hour", r->throughput.mean, r->throughput.ci95);
    jw_arr(&w, "improvements");
    for (int k = 0; k < r->n; k++) {
        jw_obj(&w, NULL);
        jw_str(&w, "station", r->p->stations[r->gains[k].station].name);
        jw_kpi(&w, "throughput_gain_per_hour", r->gains[k].gain.mean, r->gains[k].gain.ci95);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    return ferror(f) ? -1 : 0;
}

/* ---- the command -------------------------------------------------------- */

static takt_plant *load(const char *file)
{
    char *errors = NULL;
    takt_plant *p = file
        ? takt_load(file, &errors)
        : takt_load_string(takt_default_plant_name, (const char *)takt_default_plant,
                           takt_default_plant_len, &errors);
    if (!p) fputs(errors ? errors : "takt: cannot load the plant\n", stderr);
    free(errors);
    return p;
}

/* The stations to improve: all of them, or those that fail for mttr. */
static int targets(const takt_plant *p, improve_what what, int *st)
{
    int n = 0;
    for (int i = 0; i < p->nstations; i++)
        if (what == IMPROVE_CYCLE || p->stations[i].nfailures > 0) st[n++] = i;
    return n;
}

static int report(improve_args *a, improve_report *r, outfile *json)
{
    int werr = 0;
    if (!(a->json && !strcmp(a->json, "-")) && write_text(stdout, r) < 0) werr = 1;
    if (a->json) {
        errno = 0;
        if (write_json(json->f, r) < 0 || fflush(json->f) != 0) {
            fprintf(stderr, "takt: cannot write '%s': %s\n", a->json, errno ? strerror(errno) : "write error");
            outfile_discard(json);
            werr = 1;
        } else if (outfile_commit(json) < 0) {
            fprintf(stderr, "takt: cannot write '%s': %s\n", a->json, strerror(errno));
            werr = 1;
        }
    }
    return werr ? EXIT_INTERNAL : EXIT_OK;
}

static int simulate(improve_args *a, const takt_plant *p, int *st, int n, outfile *json)
{
    station_gain *gains = calloc((size_t)n + 1, sizeof *gains);
    improve_report r = { a, p, a->opt.replications > 0 ? a->opt.replications : p->replications,
                         a->opt.have_seed ? a->opt.seed : p->seed, { 0, 0 }, gains, n };
    char *why = NULL;
    int status = EXIT_INTERNAL, rc = -1;
    cli_catch_signals();
    a->opt.stop = &cli_stop;
    a->opt.error = &why;
    progress *pg = progress_new_more(r.replications, r.replications * n, a->quiet);
    a->opt.progress = pg ? progress_cb : NULL;
    a->opt.progress_ctx = pg;
    double t0 = cli_now();
    if (gains) rc = improve_run(p, &a->opt, NULL, st, n, a->what, a->by, 0, gains, &r.throughput);
    double wall = cli_now() - t0;
    progress_done(pg);
    if (rc == EXP_NOT_ROOT) {
        status = EXIT_OK;
    } else if (rc == -2 || (rc == 0 && cli_stop)) {
        fprintf(stderr, "takt: interrupted: nothing was written\n");
        status = EXIT_INTERRUPTED;
    } else if (rc == -3) {
        fprintf(stderr, "%s: %s\n", a->file ? a->file : takt_default_plant_name,
                why ? why : "the plant deadlocked");
        status = EXIT_BAD_INPUT;
    } else if (rc != 0) {
        fprintf(stderr, "takt: out of memory while simulating\n");
    } else {
        improve_rank(gains, n);
        status = report(a, &r, json);
        if (!a->quiet)
            fprintf(stderr, "takt: %d plants × %d replications in %.3f s\n", n + 1, r.replications, wall);
    }
    if (rc != 0) outfile_discard(json);
    free(why);
    free(gains);
    return status;
}

int cmd_improve(int argc, char **argv)
{
    improve_args a;
    memset(&a, 0, sizeof a);
    takt_options_default(&a.opt);
    a.by = IMPROVE_BY_DEFAULT;
    int status = parse_improve_args(argc, argv, &a);
    if (status == IMPROVE_HELP) return EXIT_OK;
    if (status) return status;
    takt_plant *p = load(a.file);
    if (!p) return EXIT_BAD_INPUT;
    int *st = calloc((size_t)p->nstations + 1, sizeof *st);
    if (!st) { takt_plant_free(p); fprintf(stderr, "takt: out of memory\n"); return EXIT_INTERNAL; }
    int n = targets(p, a.what, st);
    outfile json = {0};
    if (n == 0) {
        fprintf(stderr, "%s: no station has failures: nothing to repair faster (--what mttr)\n",
                a.file ? a.file : takt_default_plant_name);
        status = EXIT_BAD_INPUT;
    } else if (a.json && outfile_open(&json, a.json) < 0) {
        status = EXIT_BAD_INPUT;
    } else {
        status = simulate(&a, p, st, n, &json);
    }
    free(st);
    takt_plant_free(p);
    return status;
}
