/*
 * cmd_run.c — `takt run` and `takt check`.
 *
 * Everything that can be refused is refused before simulating: the plant,
 * the option values, and the output paths (opened under temporary names).
 * Reports are written only after every replication finished, then renamed
 * into place; an interrupted run discards everything.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "io/distparse.h"
#include "io/report.h"
#include "io/store.h"
#include "exp/summary.h"
#include "exp/improve.h"
#include "model/plant.h"

typedef struct run_args {
    const char *file;
    const char *json, *html, *csv, *db;
    int quiet, no_db;
    takt_options opt;
} run_args;

static int parse_run_args(int argc, char **argv, run_args *a)
{
    memset(a, 0, sizeof *a);
    takt_options_default(&a->opt);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v;
        long long n;
        char err[256];
        double d;
        if (arg[0] != '-' || !strcmp(arg, "-")) {
            if (a->file) return usage_error("more than one plant file given ('%s' and '%s')", a->file, arg);
            a->file = arg;
            continue;
        }
        if (!strcmp(arg, "--quiet") || !strcmp(arg, "-q")) { a->quiet = 1; continue; }
#define NEED(name) if (!(v = cli_opt_value(argc, argv, &i, name))) return usage_error("%s needs a value", name)
        if (cli_is_opt(arg, "--replications")) {
            NEED("--replications");
            if (cli_parse_long(v, 1, 1000000, &n) < 0)
                return usage_error("--replications must be a whole number from 1 to 1000000, got '%s'", v);
            a->opt.replications = (int)n;
        } else if (cli_is_opt(arg, "--seed")) {
            NEED("--seed");
            char *end; errno = 0;
            unsigned long long s = strtoull(v, &end, 10);
            if (errno || end == v || *end || v[0] == '-')
                return usage_error("--seed must be a whole number from 0 to 18446744073709551615, got '%s'", v);
            a->opt.seed = s; a->opt.have_seed = 1;
        } else if (cli_is_opt(arg, "--horizon") || cli_is_opt(arg, "--warmup")) {
            int hz = cli_is_opt(arg, "--horizon");
            NEED(hz ? "--horizon" : "--warmup");
            if (parse_duration(v, &d, err, sizeof err) < 0)
                return usage_error("%s: %s", hz ? "--horizon" : "--warmup", err);
            if (hz && !(d > 0)) return usage_error("--horizon must be > 0, got '%s'", v);
            if (d > 1000.0 * 365 * 86400) return usage_error("%s is longer than 1000 years: '%s'", arg, v);
            if (hz) a->opt.horizon = d; else a->opt.warmup = d;
        } else if (cli_is_opt(arg, "--threads")) {
            NEED("--threads");
            if (cli_parse_long(v, 1, 256, &n) < 0)
                return usage_error("--threads must be a whole number from 1 to 256, got '%s'", v);
            a->opt.threads = (int)n;
        } else if (cli_is_opt(arg, "--json")) {
            NEED("--json");
            a->json = v;
        } else if (cli_is_opt(arg, "--html")) {
            NEED("--html");
            a->html = v;
        } else if (cli_is_opt(arg, "--csv")) {
            NEED("--csv");
            a->csv = v;
        } else if (cli_is_opt(arg, "--db")) {
            NEED("--db");
            a->db = v;
        } else if (!strcmp(arg, "--no-db")) {
            a->no_db = 1;
        } else if (cli_is_opt(arg, "--bottleneck")) {
            NEED("--bottleneck");
            if (cli_parse_bottleneck(v, &a->opt.bottleneck) < 0)
                return usage_error("--bottleneck must be 'paired' or 'active', got '%s'", v);
        } else {
            return usage_error("unknown option '%s'", arg);
        }
#undef NEED
    }
    return 0;
}

/* Load the plant named on the command line, or the built-in one. */
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

static char *join_args(int argc, char **argv)
{
    size_t n = 16;
    for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
    char *s = malloc(n);
    if (!s) return NULL;
    strcpy(s, "takt run");
    for (int i = 0; i < argc; i++) { strcat(s, " "); strcat(s, argv[i]); }
    return s;
}

/* Open the output files up front so a bad path fails before simulating. */
static int open_outputs(run_args *a, outfile *json, outfile *html)
{
    char err[512];
    if (!a->no_db && parent_writable(a->db ? a->db : "takt.db") < 0) {
        if (a->db) {
            fprintf(stderr, "takt: cannot write '%s': %s\n", a->db, strerror(errno));
            return -1;
        }
        /* the default store is a convenience: a read-only directory must
         * not stop a run (an explicit --db must be writable) */
        if (!a->quiet)
            fprintf(stderr, "takt: not recording this run: cannot write 'takt.db' here: %s\n",
                    strerror(errno));
        a->no_db = 1;
    }
    if (a->csv && report_csv_check(a->csv, err, sizeof err) < 0) {
        fprintf(stderr, "takt: %s\n", err);
        return -1;
    }
    if (a->json && outfile_open(json, a->json) < 0) return -1;
    if (a->html && outfile_open(html, a->html) < 0) {
        outfile_discard(json);
        return -1;
    }
    return 0;
}

/* Write a report through an outfile; 0 or -1 (message printed). */
static int finish_output(outfile *o, const char *path, int (*write)(FILE *, const takt_summary *),
                         const takt_summary *s)
{
    errno = 0;
    if (write(o->f, s) < 0 || fflush(o->f) != 0) {
        fprintf(stderr, "takt: cannot write '%s': %s\n", path,
                errno ? strerror(errno) : "write error");
        outfile_discard(o);
        return -1;
    }
    if (outfile_commit(o) < 0) {
        fprintf(stderr, "takt: cannot write '%s': %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int record(const run_args *a, const takt_summary *s, int argc, char **argv, double wall)
{
    store_meta m;
    char err[512];
    size_t len = 0;
    char *text = a->file ? cli_slurp(a->file, &len) : NULL;
    char *cmd = join_args(argc - 1, argv + 1);
    memset(&m, 0, sizeof m);
    m.plant_file = a->file;
    m.plant_text = a->file ? text : (const char *)takt_default_plant;
    m.plant_len = a->file ? len : takt_default_plant_len;
    m.command_line = cmd ? cmd : "takt run";
    m.wall_s = wall;
    long long id = store_record(a->db ? a->db : "takt.db", s, &m, err, sizeof err);
    free(text); free(cmd);
    if (id < 0) {
        fprintf(stderr, "takt: run store: %s\n", err);
        return -1;
    }
    if (id > 0 && !a->quiet) fprintf(stderr, "takt: recorded as run %lld in %s\n", id, a->db ? a->db : "takt.db");
    return 0;
}

int cmd_run(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args(argc, argv, &a);
    if (rc) return rc;
    takt_plant *p = load(a.file);
    if (!p) return EXIT_BAD_INPUT;
    outfile json = {0}, html = {0};
    int json_stdout = a.json && !strcmp(a.json, "-");
    if (open_outputs(&a, &json, &html) < 0) { takt_plant_free(p); return EXIT_BAD_INPUT; }
    cli_catch_signals();
    a.opt.stop = &cli_stop;
    /* the bar counts the replications of the paired improvement runs too */
    int reps = a.opt.replications > 0 ? a.opt.replications : p->replications;
    int more = a.opt.bottleneck == TAKT_BOTTLENECK_ACTIVE ? 0 : improve_shortlist_max(p);
    progress *pg = progress_new_more(reps, reps * more, a.quiet);
    a.opt.progress = pg ? progress_cb : NULL;
    a.opt.progress_ctx = pg;
    takt_summary *s = NULL;
    char *why = NULL;
    a.opt.error = &why;
    double t0 = cli_now();
    rc = takt_simulate(p, &a.opt, &s);
    double wall = cli_now() - t0;
    progress_done(pg);
    if (rc == EXP_NOT_ROOT) {                  /* an MPI rank other than 0 */
        outfile_discard(&json); outfile_discard(&html);
        takt_plant_free(p);
        return EXIT_OK;
    }
    if (rc == -2 || (rc == 0 && cli_stop)) {
        fprintf(stderr, "takt: interrupted: the replications run so far were discarded; nothing was written\n");
        outfile_discard(&json); outfile_discard(&html);
        takt_summary_free(s);
        takt_plant_free(p);
        return EXIT_INTERRUPTED;
    }
    if (rc == -3) {
        fprintf(stderr, "%s: %s\n", a.file ? a.file : takt_default_plant_name,
                why ? why : "the plant deadlocked");
        free(why);
        outfile_discard(&json); outfile_discard(&html);
        takt_plant_free(p);
        return EXIT_BAD_INPUT;
    }
    if (rc != 0) {
        fprintf(stderr, "takt: out of memory while simulating\n");
        outfile_discard(&json); outfile_discard(&html);
        takt_plant_free(p);
        return EXIT_INTERNAL;
    }
    int werr = 0;
    if (!json_stdout && report_text(stdout, s) < 0) werr = 1;
    if (a.json && finish_output(&json, a.json, report_json, s) < 0) werr = 1;
    if (a.html && finish_output(&html, a.html, report_html, s) < 0) werr = 1;
    if (a.csv) {
        char err[512];
        if (report_csv(a.csv, s, err, sizeof err) < 0) {
            fprintf(stderr, "takt: %s\n", err);
            werr = 1;
        }
    }
    if (!a.no_db && !werr && record(&a, s, argc, argv, wall) < 0) werr = 1;
    if (!a.quiet)
        fprintf(stderr, "takt: %llu events in %.3f s (%.0f ns/event)\n",
                (unsigned long long)s->events, wall,
                s->events ? 1e9 * wall / (double)s->events : 0.0);
    if (a.html && !werr && !a.quiet) fprintf(stderr, "takt: report written to %s\n", a.html);
    takt_summary_free(s);
    takt_plant_free(p);
    return werr ? EXIT_INTERNAL : EXIT_OK;
}

int cmd_check(int argc, char **argv)
{
    if (argc < 2) return usage_error("check needs a plant file");
    if (argc > 2) return usage_error("check takes one plant file, got %d arguments", argc - 1);
    takt_plant *p = load(argv[1]);
    if (!p) return EXIT_BAD_INPUT;
    printf("ok\n");
    takt_plant_free(p);
    return EXIT_OK;
}
