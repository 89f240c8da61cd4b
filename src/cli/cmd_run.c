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

typedef struct run_args {
    const char *file;
    const char *json, *html, *csv, *db;
    int quiet, no_db;
    takt_options *opt;              /* owned */
} run_args;

static int parse_run_args(int argc, char **argv, run_args *a)
{
    memset(a, 0, sizeof *a);
    if (!(a->opt = takt_options_new())) {
        fprintf(stderr, "takt: out of memory\n");
        return EXIT_INTERNAL;
    }
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v;
        long long n;
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
            takt_options_set_replications(a->opt, (int)n);
        } else if (cli_is_opt(arg, "--seed")) {
            NEED("--seed");
            char *end; errno = 0;
            unsigned long long s = strtoull(v, &end, 10);
            if (errno || end == v || *end || v[0] == '-')
                return usage_error("--seed must be a whole number from 0 to 18446744073709551615, got '%s'", v);
            takt_options_set_seed(a->opt, s);
        } else if (cli_is_opt(arg, "--horizon") || cli_is_opt(arg, "--warmup")) {
            int hz = cli_is_opt(arg, "--horizon");
            NEED(hz ? "--horizon" : "--warmup");
            char *why = NULL;
            if (takt_parse_duration(v, &d, &why) != TAKT_OK) {
                int rc = usage_error("%s: %s", hz ? "--horizon" : "--warmup", why ? why : "out of memory");
                free(why);
                return rc;
            }
            if (hz && !(d > 0)) return usage_error("--horizon must be > 0, got '%s'", v);
            if (d > 1000.0 * 365 * 86400) return usage_error("%s is longer than 1000 years: '%s'", arg, v);
            if (hz) takt_options_set_horizon(a->opt, d); else takt_options_set_warmup(a->opt, d);
        } else if (cli_is_opt(arg, "--threads")) {
            NEED("--threads");
            if (cli_parse_long(v, 1, 256, &n) < 0)
                return usage_error("--threads must be a whole number from 1 to 256, got '%s'", v);
            takt_options_set_threads(a->opt, (int)n);
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
            if (cli_set_bottleneck(a->opt, v) < 0)
                return usage_error("--bottleneck must be 'paired' or 'active', got '%s'", v);
        } else {
            return usage_error("unknown option '%s'", arg);
        }
#undef NEED
    }
    return 0;
}

takt_plant *cli_load_plant(const char *file)
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
    char *why = NULL;
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
    if (a->csv && takt_check_csv_dir(a->csv, &why) != TAKT_OK) {
        fprintf(stderr, "takt: %s\n", why ? why : "out of memory");
        free(why);
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
static int finish_output(outfile *o, const char *path, takt_format format, const takt_result *r)
{
    errno = 0;
    if (takt_result_write(r, format, o->f) != TAKT_OK || fflush(o->f) != 0) {
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

static int record(const run_args *a, const takt_result *r, int argc, char **argv, double wall)
{
    size_t len = 0;
    char *text = a->file ? cli_slurp(a->file, &len) : NULL;
    char *cmd = join_args(argc - 1, argv + 1), *why = NULL;
    const char *db = a->db ? a->db : "takt.db";
    long long id = 0;
    takt_status st = takt_store_record(db, r, a->file,
                                       a->file ? (text ? text : "") : (const char *)takt_default_plant,
                                       a->file ? len : takt_default_plant_len,
                                       cmd ? cmd : "takt run", wall, 0, &id, &why);
    free(text); free(cmd);
    if (st != TAKT_OK) {
        fprintf(stderr, "takt: run store: %s\n", why ? why : takt_strerror(st));
        free(why);
        return -1;
    }
    if (id > 0 && !a->quiet) fprintf(stderr, "takt: recorded as run %lld in %s\n", id, db);
    return 0;
}

/* Every report the options ask for; 0, or -1 when one failed (said why). */
static int report_all(const run_args *a, const takt_result *r, outfile *json, outfile *html)
{
    int werr = 0;
    if (!(a->json && !strcmp(a->json, "-")) && takt_result_write(r, TAKT_FORMAT_TEXT, stdout) != TAKT_OK)
        werr = 1;
    if (a->json && finish_output(json, a->json, TAKT_FORMAT_JSON, r) < 0) werr = 1;
    if (a->html && finish_output(html, a->html, TAKT_FORMAT_HTML, r) < 0) werr = 1;
    if (a->csv) {
        char *why = NULL;
        if (takt_result_write_csv_dir(r, a->csv, &why) != TAKT_OK) {
            fprintf(stderr, "takt: %s\n", why ? why : "out of memory");
            werr = 1;
        }
        free(why);
    }
    return werr ? -1 : 0;
}

/* Simulate the loaded plant and report; returns the exit status. */
static int simulate(run_args *a, const takt_plant *p, int argc, char **argv)
{
    outfile json = {0}, html = {0};
    if (open_outputs(a, &json, &html) < 0) return EXIT_BAD_INPUT;
    cli_catch_signals();
    takt_options_set_stop_flag(a->opt, &cli_stop);
    /* the bar counts the paired runs that name the bottleneck too */
    progress *pg = progress_new_more(takt_options_replications_for(a->opt, p),
                                     takt_options_paired_runs_for(a->opt, p), a->quiet);
    takt_options_set_progress(a->opt, pg ? progress_cb : NULL, pg);
    takt_result *r = NULL;
    char *why = NULL;
    double t0 = cli_now();
    takt_status st = takt_simulate(p, a->opt, &r, &why);
    double wall = cli_now() - t0;
    progress_done(pg);
    if (st != TAKT_OK) {
        outfile_discard(&json); outfile_discard(&html);
        int rc = EXIT_INTERNAL;
        if (st == TAKT_ENOTROOT) {                  /* an MPI rank other than 0 */
            rc = EXIT_OK;
        } else if (st == TAKT_EINTERRUPTED) {
            fprintf(stderr, "takt: interrupted: the replications run so far were discarded; nothing was written\n");
            rc = EXIT_INTERRUPTED;
        } else if (st == TAKT_EDEADLOCK) {
            fprintf(stderr, "%s: %s\n", a->file ? a->file : takt_default_plant_name,
                    why ? why : "the plant deadlocked");
            rc = EXIT_BAD_INPUT;
        } else {
            fprintf(stderr, "takt: out of memory while simulating\n");
        }
        free(why);
        return rc;
    }
    int werr = report_all(a, r, &json, &html) < 0;
    if (!a->no_db && !werr && record(a, r, argc, argv, wall) < 0) werr = 1;
    unsigned long long events = takt_result_events(r);
    if (!a->quiet)
        fprintf(stderr, "takt: %llu events in %.3f s (%.0f ns/event)\n", events, wall,
                events ? 1e9 * wall / (double)events : 0.0);
    if (a->html && !werr && !a->quiet) fprintf(stderr, "takt: report written to %s\n", a->html);
    takt_result_free(r);
    return werr ? EXIT_INTERNAL : EXIT_OK;
}

int cmd_run(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args(argc, argv, &a);
    if (rc == 0) {
        takt_plant *p = cli_load_plant(a.file);
        rc = p ? simulate(&a, p, argc, argv) : EXIT_BAD_INPUT;
        takt_plant_free(p);
    }
    takt_options_free(a.opt);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    if (argc < 2) return usage_error("check needs a plant file");
    if (argc > 2) return usage_error("check takes one plant file, got %d arguments", argc - 1);
    takt_plant *p = cli_load_plant(argv[1]);
    if (!p) return EXIT_BAD_INPUT;
    printf("ok\n");
    takt_plant_free(p);
    return EXIT_OK;
}
