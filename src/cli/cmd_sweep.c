/*
 * cmd_sweep.c — `takt sweep FILE --set KEY=VALUES ...`: every combination
 * of a few settings, each simulated with all its replications, side by
 * side in one table (and as JSON, CSV and runs in the run store).
 *
 * As with `takt run`, everything that can be refused is refused before
 * simulating: the options, every combination's plant (each is built by the
 * loader with the settings applied, so a bad key or value is reported by
 * the loader that knows the plant format), the output files and the store.
 * Each combination's report is exactly what `takt run` prints as JSON for
 * the same plant and seed, so a sweep row can be checked, or reproduced,
 * with a plain run.  In the store, every combination is one run, with a
 * command line that reruns just that combination, linked to the others
 * by a sweep id.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

#define MAX_JOBS 10000000LL         /* replications over all combinations */
#define SWEEP_HELP (-1)             /* --help given: nothing more to do  */

typedef struct sweep_args {
    const char *file;
    char *text;                     /* the file's bytes, read once       */
    size_t len;
    const char *json, *csv, *db;
    int quiet, no_db;
    takt_sweep *sweep;
    takt_options *opt;
} sweep_args;

/* ---- options ------------------------------------------------------------ */

void help_sweep(FILE *f)
{
    fprintf(f,
        "Usage: takt sweep FILE --set KEY=VALUES [--set KEY=VALUES ...] [OPTIONS]\n\n"
        "Simulates every combination of the settings (the first --set varies slowest),\n"
        "each with all its replications, and prints one row per combination.\n\n"
        "  --set KEY=VALUES   KEY is a path in the plant file (buffers.B1.capacity,\n"
        "                     stations.M1.servers, stations.M1.cycle, horizon, ...);\n"
        "                     VALUES a comma list (2,3,4 or exp(1h),tri(1h, 2h, 3h)) or\n"
        "                     a whole-number range FROM..TO or FROM..TO..STEP\n"
        "  --replications N   replications of every combination (default: the file's)\n"
        "  --seed S           base random seed (default: the file's)\n"
        "  --threads N        worker threads (default: all cores); results do not depend on it\n"
        "  --json PATH|-      one JSON array: {\"set\": ..., \"summary\": <as takt run --json>}\n"
        "  --csv PATH         one CSV row per combination\n"
        "  --db PATH          record each combination as a run in this store (default: takt.db)\n"
        "  --no-db            do not record the runs\n"
        "  --bottleneck paired|active  name each combination's bottleneck by paired\n"
        "                     improvement runs (default; a few more runs each) or by\n"
        "                     the active-period method\n"
        "  --quiet            no progress or timing on stderr\n"
        "See docs/sweep.md.\n");
}

static int parse_number_opt(const char *arg, const char *v, sweep_args *a)
{
    long long n;
    unsigned long long seed;
    if (cli_is_opt(arg, "--replications")) {
        if (cli_parse_long(v, 1, 1000000, &n) < 0)
            return usage_error("--replications must be a whole number from 1 to 1000000, got '%s'", v);
        takt_options_set_replications(a->opt, (int)n);
    } else if (cli_is_opt(arg, "--threads")) {
        if (cli_parse_long(v, 1, 256, &n) < 0)
            return usage_error("--threads must be a whole number from 1 to 256, got '%s'", v);
        takt_options_set_threads(a->opt, (int)n);
    } else {
        if (cli_parse_uint(v, 0, UINT64_MAX, &seed) < 0)
            return usage_error("--seed must be a whole number from 0 to 18446744073709551615, got '%s'", v);
        takt_options_set_seed(a->opt, seed);
    }
    return 0;
}

static int parse_sweep_args(int argc, char **argv, sweep_args *a)
{
    static const char *const valued[] = { "--set", "--replications", "--seed", "--threads",
                                          "--json", "--csv", "--db", "--bottleneck", NULL };
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v = NULL, *name = NULL;
        if (arg[0] != '-' || !strcmp(arg, "-")) {
            if (a->file) return usage_error("more than one plant file given ('%s' and '%s')", a->file, arg);
            a->file = arg;
            continue;
        }
        if (!strcmp(arg, "--quiet") || !strcmp(arg, "-q")) { a->quiet = 1; continue; }
        if (!strcmp(arg, "--no-db")) { a->no_db = 1; continue; }
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) { help_sweep(stdout); return SWEEP_HELP; }
        for (int k = 0; valued[k] && !name; k++)
            if (cli_is_opt(arg, valued[k])) name = valued[k];
        if (!name) return usage_error("sweep: unknown option '%s'", arg);
        if (!(v = cli_opt_value(argc, argv, &i, name))) return usage_error("%s needs a value", name);
        int rc = 0;
        if (!strcmp(name, "--set")) {
            char *why = NULL;
            if (takt_sweep_add(a->sweep, v, &why) != TAKT_OK) {
                rc = usage_error("--set: %s", why ? why : "out of memory");
                free(why);
            }
        } else if (!strcmp(name, "--json")) a->json = v;
        else if (!strcmp(name, "--csv")) a->csv = v;
        else if (!strcmp(name, "--db")) a->db = v;
        else if (!strcmp(name, "--bottleneck")) {
            if (cli_set_bottleneck(a->opt, v) < 0)
                return usage_error("--bottleneck must be 'paired' or 'active', got '%s'", v);
        }
        else rc = parse_number_opt(name, v, a);
        if (rc) return rc;
    }
    if (!a->file) return usage_error("sweep needs a plant file: takt sweep FILE --set KEY=VALUES ...");
    if (takt_sweep_axis_count(a->sweep) == 0)
        return usage_error("sweep needs at least one --set KEY=VALUES (e.g. --set buffers.B1.capacity=1..5)");
    return 0;
}

/* "KEY=VALUE, KEY=VALUE" of combination c. */
static void print_settings(FILE *f, const takt_sweep *s, long c)
{
    for (int i = 0; i < takt_sweep_axis_count(s); i++)
        fprintf(f, "%s%s", i ? ", " : "", takt_sweep_setting(s, c, i));
}

/* ---- the run store -------------------------------------------------------- */

/* Characters a POSIX shell takes literally in an unquoted word. */
static int shell_plain(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%", *s))
            return 0;
    return 1;
}

static void put_word(FILE *f, const char *w)
{
    fputc(' ', f);
    if (shell_plain(w)) { fputs(w, f); return; }
    fputc('\'', f);
    for (; *w; w++) {
        if (*w == '\'') fputs("'\\''", f);
        else fputc(*w, f);
    }
    fputc('\'', f);
}

/* The sweep's command line with each --set narrowed to combination c's
 * value: running it reproduces this one run. */
static char *command_of(int argc, char **argv, const takt_sweep *s, long c)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) return NULL;
    fputs("takt sweep", m);
    for (int i = 1, axis = 0; i < argc; i++) {
        if (cli_is_opt(argv[i], "--set")) {
            if (argv[i][5] != '=') i++;             /* "--set K=V" */
            fputs(" --set", m);
            put_word(m, takt_sweep_setting(s, c, axis++));
        } else {
            put_word(m, argv[i]);
        }
    }
    if (fclose(m) != 0) { free(text); return NULL; }
    return text;
}

/* Add every combination as a run to the open store transaction. */
static int record_all(const sweep_args *a, int argc, char **argv, takt_store_txn *t,
                      long long *first, long long *last, long long *sweep_id)
{
    *sweep_id = takt_store_new_sweep_id();
    *first = -1;
    /* An axis is swept when its value changes between combinations; one
     * of a single value is a setting like run's --set. */
    enum { MAX_AXES = 64 };
    int naxes = takt_sweep_axis_count(a->sweep), swept[MAX_AXES];
    const char *settings[MAX_AXES];
    if (naxes > MAX_AXES) naxes = MAX_AXES;
    for (int i = 0; i < naxes; i++) {
        swept[i] = 0;
        for (long c = 1; c < takt_sweep_count(a->sweep) && !swept[i]; c++)
            swept[i] = strcmp(takt_sweep_value(a->sweep, c, i), takt_sweep_value(a->sweep, 0, i)) != 0;
    }
    for (long c = 0; c < takt_sweep_count(a->sweep); c++) {
        char *cmd = command_of(argc, argv, a->sweep, c), *why = NULL;
        for (int i = 0; i < naxes; i++) settings[i] = takt_sweep_setting(a->sweep, c, i);
        takt_status st = takt_store_add_with(t, takt_sweep_result(a->sweep, c), a->file, a->text, a->len,
                                             cmd ? cmd : "takt sweep", takt_sweep_seconds(a->sweep, c),
                                             *sweep_id, settings, swept, naxes, last, &why);
        free(cmd);
        if (st != TAKT_OK) {
            fprintf(stderr, "takt: run store: %s\n", why ? why : "out of memory");
            free(why);
            return -1;
        }
        if (*first < 0) *first = *last;
    }
    return 0;
}

/* ---- the command ----------------------------------------------------------- */

typedef struct sweep_out {
    takt_outputs *g;
    FILE *json, *csv;
} sweep_out;

static int open_outputs(sweep_args *a, sweep_out *o)
{
    if (cli_check_store(a->db, &a->no_db, a->quiet) < 0) return -1;
    if ((a->json && !(o->json = cli_output_open(o->g, a->json))) ||
        (a->csv && !(o->csv = cli_output_open(o->g, a->csv))))
        return -1;
    cli_output outs[] = { { "--json", a->json, o->json }, { "--csv", a->csv, o->csv } };
    return cli_check_distinct(a->file, outs, 2, a->no_db ? NULL : a->db ? a->db : CLI_DEFAULT_DB);
}

/* Record the runs (if asked) and put the files in place as one step. */
static int commit(const sweep_args *a, int argc, char **argv, sweep_out *o)
{
    const char *db = a->db ? a->db : CLI_DEFAULT_DB;
    char *why = NULL;
    takt_store_txn *t = NULL;
    long long first = 0, last = 0, sweep_id = 0;
    if (!a->no_db) {
        cli_signals_store(db, access(db, F_OK) != 0);
        if (takt_store_begin(db, &t, &why) != TAKT_OK) {
            fprintf(stderr, "takt: run store: %s\n", why ? why : "out of memory");
            free(why);
            why = NULL;
        } else if (record_all(a, argc, argv, t, &first, &last, &sweep_id) < 0) {
            takt_store_abort(t);
            t = NULL;
        }
        if (!t) { cli_signals_store(NULL, 0); return -1; }
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
    if (rc == 0 && t && !a->quiet)
        fprintf(stderr, "takt: recorded as runs %lld to %lld (sweep %lld) in %s\n", first, last, sweep_id, db);
    return rc;
}

/* Write everything; returns the exit status. */
static int report_all(const sweep_args *a, int argc, char **argv, sweep_out *o)
{
    char *why = NULL;
    int to_stdout = o->json == stdout;
    if (!to_stdout && (takt_sweep_write(a->sweep, TAKT_FORMAT_TEXT, stdout) != TAKT_OK || cli_stdout_ok() < 0))
        return EXIT_INTERNAL;
    errno = 0;
    int bad_json = o->json && takt_sweep_write(a->sweep, TAKT_FORMAT_JSON, o->json) != TAKT_OK;
    if (bad_json || (o->csv && takt_sweep_write(a->sweep, TAKT_FORMAT_CSV, o->csv) != TAKT_OK)) {
        fprintf(stderr, "takt: cannot write '%s': %s\n", bad_json ? a->json : a->csv,
                errno ? strerror(errno) : "write error");
        return EXIT_INTERNAL;
    }
    if (takt_outputs_finish(o->g, &why) != TAKT_OK) {
        fprintf(stderr, "takt: %s\n", why ? why : "out of memory");
        free(why);
        return EXIT_INTERNAL;
    }
    if (to_stdout && cli_stdout_ok() < 0) return EXIT_INTERNAL;
    return commit(a, argc, argv, o) < 0 ? EXIT_INTERNAL : EXIT_OK;
}

/* Simulate with the outputs open; report, or say why not.  Returns the
 * exit status; the caller discards whatever was not placed. */
static int run_sweep(sweep_args *a, int argc, char **argv, long long jobs, sweep_out *o)
{
    long n = takt_sweep_count(a->sweep);
    char *why = NULL;
    int status = EXIT_INTERNAL;
    takt_options_set_stop_flag(a->opt, &cli_stop);
    long long more = 0;                 /* the paired runs naming the bottlenecks */
    for (long c = 0; c < n; c++) more += takt_options_paired_runs_for(a->opt, takt_sweep_plant(a->sweep, c));
    progress *pg = progress_new_more((int)jobs, more > (1LL << 30) ? 1 << 30 : (int)more, a->quiet);
    takt_options_set_progress(a->opt, pg ? progress_cb : NULL, pg);
    double t0 = cli_now();
    cli_signals_soft(1);
    takt_status st = takt_sweep_run(a->sweep, a->opt, &why);
    cli_signals_soft(0);
    double wall = cli_now() - t0;
    progress_done(pg);
    if (st == TAKT_ENOTROOT) {
        status = EXIT_OK;
    } else if (st == TAKT_EINTERRUPTED || cli_stop) {
        fprintf(stderr, "takt: interrupted: the runs so far were discarded; nothing was written\n");
        status = EXIT_INTERRUPTED;
    } else if (st == TAKT_EDEADLOCK) {
        long failed = takt_sweep_failed(a->sweep);
        fprintf(stderr, "%s: sweep combination %ld of %ld (", a->file, failed + 1, n);
        print_settings(stderr, a->sweep, failed);
        fprintf(stderr, "): %s\n", why ? why : "the plant deadlocked");
        status = EXIT_BAD_INPUT;
    } else if (st != TAKT_OK) {
        fprintf(stderr, "takt: out of memory while simulating\n");
    } else {
        status = report_all(a, argc, argv, o);
        unsigned long long events = 0;
        for (long c = 0; c < n; c++) events += takt_result_events(takt_sweep_result(a->sweep, c));
        if (!a->quiet)
            fprintf(stderr, "takt: %ld combination%s, %lld runs, %llu events in %.3f s (%.0f ns/event)\n",
                    n, n == 1 ? "" : "s", jobs, events, wall,
                    events ? 1e9 * wall / (double)events : 0.0);
    }
    free(why);
    return status;
}

static int simulate(sweep_args *a, int argc, char **argv)
{
    long long jobs = takt_sweep_jobs(a->sweep, a->opt);
    if (jobs > MAX_JOBS)
        return usage_error("sweep: %lld runs in all (combinations × replications); at most %lld",
                           jobs, MAX_JOBS);
    sweep_out o;
    memset(&o, 0, sizeof o);
    if (!(o.g = cli_outputs_new())) return EXIT_INTERNAL;
    int status = open_outputs(a, &o) < 0 ? EXIT_BAD_INPUT : run_sweep(a, argc, argv, jobs, &o);
    cli_outputs_free(o.g);
    return status;
}

int cmd_sweep(int argc, char **argv)
{
    sweep_args a;
    memset(&a, 0, sizeof a);
    a.sweep = takt_sweep_new();
    a.opt = takt_options_new();
    int status = EXIT_INTERNAL;
    if (!a.sweep || !a.opt) fprintf(stderr, "takt: out of memory\n");
    else status = parse_sweep_args(argc, argv, &a);
    if (status == SWEEP_HELP) status = EXIT_OK;
    else if (status == 0 && !(a.text = cli_read_plant(a.file, &a.len))) {
        status = EXIT_BAD_INPUT;
    } else if (status == 0) {
        char *why = NULL;
        takt_status st = takt_sweep_load_string(a.sweep, a.file, a.text, a.len, NULL, 0, &why);
        if (st == TAKT_OK) status = simulate(&a, argc, argv);
        else if (st == TAKT_EBADINPUT) { fprintf(stderr, "takt: %s", why ? why : "bad input\n"); status = EXIT_BAD_INPUT; }
        else { fprintf(stderr, "takt: out of memory\n"); status = EXIT_INTERNAL; }
        free(why);
    }
    takt_sweep_free(a.sweep);
    takt_options_free(a.opt);
    free(a.text);
    return status;
}
