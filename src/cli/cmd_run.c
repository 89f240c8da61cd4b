/*
 * cmd_run.c — `takt run` and `takt check`.
 *
 * Everything that can be refused is refused before simulating: the plant,
 * the option values, the run store and the output paths (opened under
 * temporary names).  Reports are written only after every replication
 * finished; the run is recorded and the files renamed into place as the
 * last step, together; an interrupted or failed run leaves nothing.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "io/distparse.h"
#include "io/override.h"
#include "io/report.h"
#include "io/store.h"
#include "exp/summary.h"
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
        unsigned long long n;
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
            if (cli_parse_uint(v, 1, 1000000, &n) < 0)
                return usage_error("--replications must be a whole number from 1 to 1000000, got '%s'", v);
            a->opt.replications = (int)n;
        } else if (cli_is_opt(arg, "--seed")) {
            NEED("--seed");
            if (cli_parse_uint(v, 0, UINT64_MAX, &n) < 0)
                return usage_error("--seed must be a whole number from 0 to 18446744073709551615, got '%s'", v);
            a->opt.seed = n; a->opt.have_seed = 1;
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
            if (cli_parse_uint(v, 1, 256, &n) < 0)
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
        } else {
            return usage_error("unknown option '%s'", arg);
        }
#undef NEED
    }
    return 0;
}

/* The plant named on the command line, or the built-in one; *text and
 * *len are the bytes loaded (a file's read once: the store hashes them). */
static takt_plant *load(const char *file, char **text, size_t *len)
{
    *text = NULL;
    *len = takt_default_plant_len;
    if (!file) {
        char *errors = NULL;
        takt_plant *p = takt_load_string(takt_default_plant_name, (const char *)takt_default_plant,
                                         takt_default_plant_len, &errors);
        if (!p) fputs(errors ? errors : "takt: cannot load the plant\n", stderr);
        free(errors);
        return p;
    }
    if (!(*text = cli_read_plant(file, len))) return NULL;
    diags d;
    char line[2048];
    diags_init(&d, file);
    takt_plant *p = load_plant_bytes_with(*text, *len, file, NULL, 0, &d);
    for (int i = 0; i < d.n; i++) {
        diags_format(&d, i, line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    if (!p && d.n == 0) fprintf(stderr, "takt: cannot load the plant\n");
    diags_free(&d);
    if (!p) { free(*text); *text = NULL; }
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
    outfile_group g;                /* JSON, HTML, CSV tables            */
    outfile *json, *html;
} run_out;

/* Everything about the outputs that can be refused is refused here,
 * before simulating: the store, the CSV directory, the JSON and HTML
 * files (opened under their temporary names), and outputs that are the
 * plant or each other.  0, or -1 having said why. */
static int open_outputs(run_args *a, run_out *o)
{
    char err[1024];
    if (cli_check_store(a->db, &a->no_db, a->quiet) < 0) return -1;
    if (a->csv && report_csv_check(a->csv, err, sizeof err) < 0) {
        fprintf(stderr, "takt: %s\n", err);
        return -1;
    }
    if ((a->json && !(o->json = outfile_group_open(&o->g, a->json, err, sizeof err))) ||
        (a->html && !(o->html = outfile_group_open(&o->g, a->html, err, sizeof err)))) {
        fprintf(stderr, "takt: %s\n", err);
        return -1;
    }
    cli_output outs[] = { { "--json", o->json }, { "--html", o->html } };
    return cli_check_distinct(a->file, outs, 2, a->no_db ? NULL : a->db ? a->db : CLI_DEFAULT_DB);
}

/* Write every report: stdout's now, the files under their temporary
 * names.  0, or -1 having said why. */
static int write_reports(const run_args *a, run_out *o, const takt_summary *s)
{
    char err[1024];
    int to_stdout = o->json && o->json->is_stdout;
    if (!to_stdout && (report_text(stdout, s) < 0 || cli_stdout_ok() < 0)) return -1;
    errno = 0;
    if ((o->json && report_json(o->json->f, s) < 0) || (o->html && report_html(o->html->f, s) < 0)) {
        fprintf(stderr, "takt: cannot write '%s': %s\n", o->html && ferror(o->html->f) ? a->html : a->json,
                errno ? strerror(errno) : "write error");
        return -1;
    }
    if (a->csv && report_csv(a->csv, s, &o->g, err, sizeof err) < 0) {
        fprintf(stderr, "takt: %s\n", err);
        return -1;
    }
    if (outfile_group_finish(&o->g, err, sizeof err) < 0) {
        fprintf(stderr, "takt: %s\n", err);
        return -1;
    }
    return to_stdout ? cli_stdout_ok() : 0;
}

/* Record the run (if asked) and put the files in place, as one step
 * that a signal does not cut.  0, or -1 having said why. */
static int commit(const run_args *a, run_out *o, const takt_summary *s, const char *text, size_t len,
                  int argc, char **argv, double wall)
{
    char err[1024];
    const char *db = a->db ? a->db : CLI_DEFAULT_DB;
    store_txn *t = NULL;
    long long id = 0;
    if (!a->no_db) {
        store_meta m;
        char *cmd = join_args(argc - 1, argv + 1);
        memset(&m, 0, sizeof m);
        m.plant_file = a->file;
        m.plant_text = a->file ? text : (const char *)takt_default_plant;
        m.plant_len = len;
        m.command_line = cmd ? cmd : "takt run";
        m.wall_s = wall;
        cli_signals_store(db, access(db, F_OK) != 0);
        t = store_begin(db, err, sizeof err);
        if (t && (id = store_add(t, s, &m, err, sizeof err)) < 0) { store_abort(t); t = NULL; }
        free(cmd);
        if (!t) {
            cli_signals_store(NULL, 0);
            fprintf(stderr, "takt: run store: %s\n", err);
            return -1;
        }
    }
    cli_signals_hold();
    int rc = t ? store_commit(t, err, sizeof err) : 0;
    if (rc < 0) fprintf(stderr, "takt: run store: %s\n", err);
    else if (outfile_group_place(&o->g, err, sizeof err) < 0) { fprintf(stderr, "takt: %s\n", err); rc = -1; }
    cli_signals_store(NULL, 0);
    cli_signals_release();
    if (rc == 0 && id > 0 && !a->quiet)
        fprintf(stderr, "takt: recorded as run %lld in %s\n", id, db);
    return rc;
}

/* The simulation's outcome other than success, as an exit status. */
static int failed_run(int rc, const run_args *a, char *why)
{
    if (rc == EXP_NOT_ROOT) return EXIT_OK;    /* an MPI rank other than 0 */
    if (rc == -2 || (rc == 0 && cli_stop)) {
        fprintf(stderr, "takt: interrupted: the replications run so far were discarded; nothing was written\n");
        return EXIT_INTERRUPTED;
    }
    if (rc == -3) {
        fprintf(stderr, "%s: %s\n", a->file ? a->file : takt_default_plant_name,
                why ? why : "the plant deadlocked");
        return EXIT_BAD_INPUT;
    }
    fprintf(stderr, "takt: out of memory while simulating\n");
    return EXIT_INTERNAL;
}

int cmd_run(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args(argc, argv, &a);
    if (rc) return rc;
    char *text;
    size_t len;
    takt_plant *p = load(a.file, &text, &len);
    if (!p) return EXIT_BAD_INPUT;
    run_out o;
    memset(&o, 0, sizeof o);
    cli_signals_guard(&o.g);
    if (open_outputs(&a, &o) < 0) {
        outfile_group_discard(&o.g);
        cli_signals_guard(NULL);
        takt_plant_free(p); free(text);
        return EXIT_BAD_INPUT;
    }
    a.opt.stop = &cli_stop;
    progress *pg = progress_new(a.opt.replications > 0 ? a.opt.replications : p->replications, a.quiet);
    a.opt.progress = pg ? progress_cb : NULL;
    a.opt.progress_ctx = pg;
    takt_summary *s = NULL;
    char *why = NULL;
    a.opt.error = &why;
    double t0 = cli_now();
    cli_signals_soft(1);
    rc = takt_simulate(p, &a.opt, &s);
    cli_signals_soft(0);
    double wall = cli_now() - t0;
    progress_done(pg);
    int status = EXIT_OK;
    if (rc != 0 || cli_stop) {
        status = failed_run(rc, &a, why);
    } else if (write_reports(&a, &o, s) < 0 ||
               commit(&a, &o, s, text, len, argc, argv, wall) < 0) {
        status = EXIT_INTERNAL;
    } else {
        if (!a.quiet)
            fprintf(stderr, "takt: %llu events in %.3f s (%.0f ns/event)\n",
                    (unsigned long long)s->events, wall,
                    s->events ? 1e9 * wall / (double)s->events : 0.0);
        if (a.html && !a.quiet) fprintf(stderr, "takt: report written to %s\n", a.html);
    }
    outfile_group_discard(&o.g);
    cli_signals_guard(NULL);
    free(why);
    takt_summary_free(s);
    takt_plant_free(p);
    free(text);
    return status;
}

int cmd_check(int argc, char **argv)
{
    if (argc < 2) return usage_error("check needs a plant file");
    if (argc > 2) return usage_error("check takes one plant file, got %d arguments", argc - 1);
    char *text;
    size_t len;
    takt_plant *p = load(argv[1], &text, &len);
    if (!p) return EXIT_BAD_INPUT;
    printf("ok\n");
    takt_plant_free(p);
    free(text);
    return EXIT_OK;
}
