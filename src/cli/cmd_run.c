/*
 * cmd_run.c — `takt run` and `takt check`.
 *
 * Everything that can be refused is refused before simulating: the plant,
 * the option values, the run store and the output paths (opened under
 * temporary names, as one output group).  Reports are written only after
 * every replication finished; the run is recorded and the files renamed
 * into place as the last step, together; an interrupted or failed run
 * leaves nothing.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

#define RUN_MAX_SETS 64

typedef struct run_args {
    const char *file;
    const char *json, *html, *csv, *db;
    int quiet, no_db;
    takt_options *opt;              /* owned */
    const char *sets[RUN_MAX_SETS]; /* --set PATH=VALUE, in order        */
    int nsets;
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
            unsigned long long s;
            if (cli_parse_uint(v, 0, UINT64_MAX, &s) < 0)
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
        } else if (!strcmp(arg, "--series")) {
            takt_options_set_series(a->opt, 1);
        } else if (cli_is_opt(arg, "--set")) {
            NEED("--set");
            if (!strchr(v, '=')) return usage_error("--set takes PATH=VALUE (e.g. buffers.B1.capacity=5), got '%s'", v);
            if (a->nsets == RUN_MAX_SETS) return usage_error("at most %d --set options", RUN_MAX_SETS);
            a->sets[a->nsets++] = v;
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

/* The plant named on the command line, or the built-in one, with the
 * settings (--set) applied; *text and *len are the bytes loaded (a file's
 * are read once: the store hashes and keeps them).  NULL having printed
 * the problems. */
static takt_plant *load_with(const char *file, const char *const *sets, int nsets, char **text,
                             size_t *len)
{
    char *errors = NULL;
    takt_plant *p;
    *text = NULL;
    *len = takt_default_plant_len;
    if (!file) {
        p = takt_load_string_with(takt_default_plant_name, (const char *)takt_default_plant,
                                  takt_default_plant_len, sets, nsets, &errors);
    } else {
        if (!(*text = cli_read_plant(file, len))) return NULL;
        p = takt_load_file_text(file, *text, *len, sets, nsets, &errors);
    }
    if (!p) fputs(errors ? errors : "takt: cannot load the plant\n", stderr);
    free(errors);
    if (!p) { free(*text); *text = NULL; }
    return p;
}

static takt_plant *load(const char *file, char **text, size_t *len)
{
    return load_with(file, NULL, 0, text, len);
}

takt_plant *cli_load_plant(const char *file)
{
    char *text;
    size_t len;
    takt_plant *p = load(file, &text, &len);
    free(text);
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

typedef struct run_out {
    takt_outputs *g;                /* JSON, HTML, CSV tables            */
    FILE *json, *html;
} run_out;

/* Everything about the outputs that can be refused is refused here,
 * before simulating: the store, the CSV directory, the JSON and HTML
 * files (opened under their temporary names), and outputs that are the
 * plant or each other.  0, or -1 having said why. */
static int open_outputs(run_args *a, run_out *o)
{
    char *why = NULL;
    if (cli_check_store(a->db, &a->no_db, a->quiet) < 0) return -1;
    if (a->csv && takt_check_csv_dir(a->csv, &why) != TAKT_OK) {
        fprintf(stderr, "takt: %s\n", why ? why : "out of memory");
        free(why);
        return -1;
    }
    if ((a->json && !(o->json = cli_output_open(o->g, a->json))) ||
        (a->html && !(o->html = cli_output_open(o->g, a->html))))
        return -1;
    cli_output outs[] = { { "--json", a->json, o->json }, { "--html", a->html, o->html } };
    return cli_check_distinct(a->file, outs, 2, a->no_db ? NULL : a->db ? a->db : CLI_DEFAULT_DB);
}

/* Write every report: stdout's now, the files under their temporary
 * names.  0, or -1 having said why. */
static int write_reports(const run_args *a, run_out *o, const takt_result *r)
{
    char *why = NULL;
    int to_stdout = o->json == stdout;
    if (!to_stdout && (takt_result_write(r, TAKT_FORMAT_TEXT, stdout) != TAKT_OK || cli_stdout_ok() < 0))
        return -1;
    errno = 0;
    int bad_json = o->json && takt_result_write(r, TAKT_FORMAT_JSON, o->json) != TAKT_OK;
    if (bad_json || (o->html && takt_result_write(r, TAKT_FORMAT_HTML, o->html) != TAKT_OK)) {
        fprintf(stderr, "takt: cannot write '%s': %s\n", bad_json ? a->json : a->html,
                errno ? strerror(errno) : "write error");
        return -1;
    }
    if ((a->csv && takt_outputs_csv(o->g, r, a->csv, &why) != TAKT_OK) ||
        takt_outputs_finish(o->g, &why) != TAKT_OK) {
        fprintf(stderr, "takt: %s\n", why ? why : "out of memory");
        free(why);
        return -1;
    }
    return to_stdout ? cli_stdout_ok() : 0;
}

/* Record the run (if asked) and put the files in place, as one step
 * that a signal does not cut.  0, or -1 having said why. */
static int commit(const run_args *a, run_out *o, const takt_result *r, const char *text, size_t len,
                  int argc, char **argv, double wall)
{
    char *why = NULL;
    const char *db = a->db ? a->db : CLI_DEFAULT_DB;
    takt_store_txn *t = NULL;
    long long id = 0;
    if (!a->no_db) {
        char *cmd = join_args(argc - 1, argv + 1);
        cli_signals_store(db, access(db, F_OK) != 0);
        if (takt_store_begin(db, &t, &why) == TAKT_OK &&
            takt_store_add_with(t, r, a->file, a->file ? text : (const char *)takt_default_plant, len,
                                cmd ? cmd : "takt run", wall, 0, a->sets, NULL, a->nsets, &id,
                                &why) != TAKT_OK) {
            takt_store_abort(t);
            t = NULL;
        }
        free(cmd);
        if (!t) {
            cli_signals_store(NULL, 0);
            fprintf(stderr, "takt: run store: %s\n", why ? why : "out of memory");
            free(why);
            return -1;
        }
    }
    cli_signals_hold();
    int rc = 0;
    if (t && takt_store_commit(t, &why) != TAKT_OK) {
        fprintf(stderr, "takt: run store: %s\n", why ? why : "out of memory");
        rc = -1;
    } else if (takt_outputs_place(o->g, &why) != TAKT_OK) {
        fprintf(stderr, "takt: %s\n", why ? why : "out of memory");
        rc = -1;
    }
    free(why);
    cli_signals_store(NULL, 0);
    cli_signals_release();
    if (rc == 0 && id > 0 && !a->quiet)
        fprintf(stderr, "takt: recorded as run %lld in %s\n", id, db);
    return rc;
}

/* The simulation's outcome other than success, as an exit status. */
static int failed_run(takt_status st, const run_args *a, const char *why)
{
    if (st == TAKT_ENOTROOT) return EXIT_OK;       /* an MPI rank other than 0 */
    if (st == TAKT_EINTERRUPTED || (st == TAKT_OK && cli_stop)) {
        fprintf(stderr, "takt: interrupted: the replications run so far were discarded; nothing was written\n");
        return EXIT_INTERRUPTED;
    }
    if (st == TAKT_EDEADLOCK) {
        fprintf(stderr, "%s: %s\n", a->file ? a->file : takt_default_plant_name,
                why ? why : "the plant deadlocked");
        return EXIT_BAD_INPUT;
    }
    if (st == TAKT_EBADINPUT) {
        fprintf(stderr, "%s: %s\n", a->file ? a->file : takt_default_plant_name,
                why ? why : "the plant cannot be simulated");
        return EXIT_BAD_INPUT;
    }
    fprintf(stderr, "takt: out of memory while simulating\n");
    return EXIT_INTERNAL;
}

/* Simulate the loaded plant and report; returns the exit status. */
static int simulate(run_args *a, const takt_plant *p, const char *text, size_t len,
                    int argc, char **argv)
{
    run_out o;
    memset(&o, 0, sizeof o);
    if (!(o.g = cli_outputs_new())) return EXIT_INTERNAL;
    if (open_outputs(a, &o) < 0) { cli_outputs_free(o.g); return EXIT_BAD_INPUT; }
    takt_options_set_stop_flag(a->opt, &cli_stop);
    /* the bar counts the paired runs that name the bottleneck too */
    progress *pg = progress_new_more(takt_options_replications_for(a->opt, p),
                                     takt_options_paired_runs_for(a->opt, p), a->quiet);
    takt_options_set_progress(a->opt, pg ? progress_cb : NULL, pg);
    takt_result *r = NULL;
    char *why = NULL;
    double t0 = cli_now();
    cli_signals_soft(1);
    takt_status st = takt_simulate(p, a->opt, &r, &why);
    cli_signals_soft(0);
    double wall = cli_now() - t0;
    progress_done(pg);
    int status = EXIT_OK;
    if (st != TAKT_OK || cli_stop) {
        status = failed_run(st, a, why);
    } else if (write_reports(a, &o, r) < 0 || commit(a, &o, r, text, len, argc, argv, wall) < 0) {
        status = EXIT_INTERNAL;
    } else {
        unsigned long long events = takt_result_events(r);
        if (!a->quiet)
            fprintf(stderr, "takt: %llu events in %.3f s (%.0f ns/event)\n", events, wall,
                    events ? 1e9 * wall / (double)events : 0.0);
        if (a->html && !a->quiet) fprintf(stderr, "takt: report written to %s\n", a->html);
    }
    cli_outputs_free(o.g);
    free(why);
    takt_result_free(r);
    return status;
}

int cmd_run(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args(argc, argv, &a);
    if (rc == 0) {
        char *text;
        size_t len;
        takt_plant *p = load_with(a.file, a.sets, a.nsets, &text, &len);
        rc = p ? simulate(&a, p, text, len, argc, argv) : EXIT_BAD_INPUT;
        takt_plant_free(p);
        free(text);
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
