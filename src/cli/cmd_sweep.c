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
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "exp/sweep.h"
#include "io/override.h"
#include "io/report.h"
#include "io/report_sweep.h"
#include "io/store.h"

#define MAX_JOBS 10000000LL         /* replications over all combinations */
#define SWEEP_HELP (-1)             /* --help given: nothing more to do  */

typedef struct sweep_args {
    const char *file;
    char *text;                     /* the file's bytes, read once       */
    size_t len;
    const char *json, *csv, *db;
    int quiet, no_db;
    sweep_spec spec;
    takt_options opt;
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
        "  --quiet            no progress or timing on stderr\n"
        "See docs/sweep.md.\n");
}

static int parse_number_opt(const char *arg, const char *v, sweep_args *a)
{
    unsigned long long n;
    if (cli_is_opt(arg, "--replications")) {
        if (cli_parse_uint(v, 1, 1000000, &n) < 0)
            return usage_error("--replications must be a whole number from 1 to 1000000, got '%s'", v);
        a->opt.replications = (int)n;
    } else if (cli_is_opt(arg, "--threads")) {
        if (cli_parse_uint(v, 1, 256, &n) < 0)
            return usage_error("--threads must be a whole number from 1 to 256, got '%s'", v);
        a->opt.threads = (int)n;
    } else {
        if (cli_parse_uint(v, 0, UINT64_MAX, &n) < 0)
            return usage_error("--seed must be a whole number from 0 to 18446744073709551615, got '%s'", v);
        a->opt.seed = n;
        a->opt.have_seed = 1;
    }
    return 0;
}

static int parse_sweep_args(int argc, char **argv, sweep_args *a)
{
    static const char *const valued[] = { "--set", "--replications", "--seed", "--threads",
                                          "--json", "--csv", "--db", NULL };
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
        char err[512];
        int rc = 0;
        if (!strcmp(name, "--set")) {
            if (sweep_add_axis(&a->spec, v, err, sizeof err) < 0) return usage_error("--set: %s", err);
        } else if (!strcmp(name, "--json")) a->json = v;
        else if (!strcmp(name, "--csv")) a->csv = v;
        else if (!strcmp(name, "--db")) a->db = v;
        else rc = parse_number_opt(name, v, a);
        if (rc) return rc;
    }
    if (!a->file) return usage_error("sweep needs a plant file: takt sweep FILE --set KEY=VALUES ...");
    if (a->spec.naxes == 0)
        return usage_error("sweep needs at least one --set KEY=VALUES (e.g. --set buffers.B1.capacity=1..5)");
    return 0;
}

/* ---- the combinations ---------------------------------------------------- */

/* "KEY=VALUE, KEY=VALUE" of combination c. */
static void print_settings(FILE *f, const sweep_spec *s, long c)
{
    const char *set[SWEEP_MAX_AXES];
    sweep_settings(s, c, set);
    for (int i = 0; i < s->naxes; i++) fprintf(f, "%s%s", i ? ", " : "", set[i]);
}

static void print_diags(const diags *d)
{
    char line[2048];
    for (int i = 0; i < d->n; i++) {
        diags_format(d, i, line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
}

/* Every combination's plant, or NULL (problems printed; *bad set when
 * the problem is in the input rather than out of memory). */
static takt_plant **load_all(const sweep_args *a, long n, int *bad)
{
    takt_plant **plants = calloc((size_t)n, sizeof *plants);
    const char *set[SWEEP_MAX_AXES];
    *bad = 0;
    for (long c = 0; plants && c < n; c++) {
        diags d;
        diags_init(&d, a->file);
        sweep_settings(&a->spec, c, set);
        plants[c] = load_plant_bytes_with(a->text, a->len, a->file, set, a->spec.naxes, &d);
        if (!plants[c]) {
            fprintf(stderr, "takt: sweep combination %ld of %ld (", c + 1, n);
            print_settings(stderr, &a->spec, c);
            fprintf(stderr, "):\n");
            print_diags(&d);
            *bad = d.n > 0;
        }
        diags_free(&d);
        if (!plants[c]) break;
        if (c + 1 == n) return plants;
    }
    for (long c = 0; plants && c < n; c++) takt_plant_free(plants[c]);
    free(plants);
    return NULL;
}

static void free_all(takt_plant **plants, takt_summary **sums, long n)
{
    for (long c = 0; c < n; c++) {
        if (sums) summary_free(sums[c]);
        if (plants) takt_plant_free(plants[c]);
    }
    free(sums);
    free(plants);
}

static long long total_jobs(const sweep_args *a, takt_plant *const *plants, long n)
{
    long long t = 0;
    for (long c = 0; c < n; c++) t += a->opt.replications > 0 ? a->opt.replications : plants[c]->replications;
    return t;
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

/* The sweep's command line with each --set narrowed to this combination's
 * value: running it reproduces this one run. */
static char *command_of(int argc, char **argv, const char *const *set)
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
            put_word(m, set[axis++]);
        } else {
            put_word(m, argv[i]);
        }
    }
    if (fclose(m) != 0) { free(text); return NULL; }
    return text;
}

/* A sweep id no earlier sweep in the store has: the start time in
 * microseconds (two sweeps would have to start in the same microsecond). */
static long long new_sweep_id(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Add every combination as a run to the open store transaction. */
static int record_all(const sweep_args *a, int argc, char **argv, takt_summary *const *sums,
                      const double *seconds, long n, store_txn *t, long long *first, long long *last,
                      long long *sweep_id)
{
    store_meta m;
    memset(&m, 0, sizeof m);
    m.plant_file = a->file;
    m.plant_text = a->text;
    m.plant_len = a->len;
    m.sweep_id = *sweep_id = new_sweep_id();
    *first = -1;
    for (long c = 0; c < n; c++) {
        const char *set[SWEEP_MAX_AXES];
        char err[1024];
        sweep_settings(&a->spec, c, set);
        char *cmd = command_of(argc, argv, set);
        m.command_line = cmd ? cmd : "takt sweep";
        m.wall_s = seconds[c];
        *last = store_add(t, sums[c], &m, err, sizeof err);
        free(cmd);
        if (*last < 0) { fprintf(stderr, "takt: run store: %s\n", err); return -1; }
        if (*first < 0) *first = *last;
    }
    return 0;
}

/* ---- the command ----------------------------------------------------------- */

typedef struct sweep_out {
    outfile_group g;
    outfile *json, *csv;
} sweep_out;

static int open_outputs(sweep_args *a, sweep_out *o)
{
    char err[1024];
    if (cli_check_store(a->db, &a->no_db, a->quiet) < 0) return -1;
    if ((a->json && !(o->json = outfile_group_open(&o->g, a->json, err, sizeof err))) ||
        (a->csv && !(o->csv = outfile_group_open(&o->g, a->csv, err, sizeof err)))) {
        fprintf(stderr, "takt: %s\n", err);
        return -1;
    }
    cli_output outs[] = { { "--json", o->json }, { "--csv", o->csv } };
    return cli_check_distinct(a->file, outs, 2, a->no_db ? NULL : a->db ? a->db : CLI_DEFAULT_DB);
}

/* Record the runs (if asked) and put the files in place as one step. */
static int commit(const sweep_args *a, int argc, char **argv, sweep_out *o,
                  takt_summary *const *sums, const double *seconds, long n)
{
    const char *db = a->db ? a->db : CLI_DEFAULT_DB;
    char err[1024];
    store_txn *t = NULL;
    long long first = 0, last = 0, sweep_id = 0;
    if (!a->no_db) {
        cli_signals_store(db, access(db, F_OK) != 0);
        if (!(t = store_begin(db, err, sizeof err))) fprintf(stderr, "takt: run store: %s\n", err);
        else if (record_all(a, argc, argv, sums, seconds, n, t, &first, &last, &sweep_id) < 0) {
            store_abort(t);
            t = NULL;
        }
        if (!t) { cli_signals_store(NULL, 0); return -1; }
    }
    cli_signals_hold();
    int rc = t ? store_commit(t, err, sizeof err) : 0;
    if (rc < 0) fprintf(stderr, "takt: run store: %s\n", err);
    else if (outfile_group_place(&o->g, err, sizeof err) < 0) { fprintf(stderr, "takt: %s\n", err); rc = -1; }
    cli_signals_store(NULL, 0);
    cli_signals_release();
    if (rc == 0 && t && !a->quiet)
        fprintf(stderr, "takt: recorded as runs %lld to %lld (sweep %lld) in %s\n", first, last, sweep_id, db);
    return rc;
}

/* Write everything; returns the exit status. */
static int report_all(const sweep_args *a, int argc, char **argv, sweep_out *o,
                      takt_summary *const *sums, const double *seconds, long n)
{
    char err[1024];
    int to_stdout = o->json && o->json->is_stdout;
    if (!to_stdout && (report_sweep_table(stdout, &a->spec, sums, n) < 0 || cli_stdout_ok() < 0)) return EXIT_INTERNAL;
    errno = 0;
    if ((o->json && report_sweep_json(o->json->f, &a->spec, sums, n) < 0) ||
        (o->csv && report_sweep_csv(o->csv->f, &a->spec, sums, n) < 0)) {
        fprintf(stderr, "takt: cannot write '%s': %s\n", o->csv && ferror(o->csv->f) ? a->csv : a->json,
                errno ? strerror(errno) : "write error");
        return EXIT_INTERNAL;
    }
    if (outfile_group_finish(&o->g, err, sizeof err) < 0) {
        fprintf(stderr, "takt: %s\n", err);
        return EXIT_INTERNAL;
    }
    if (to_stdout && cli_stdout_ok() < 0) return EXIT_INTERNAL;
    return commit(a, argc, argv, o, sums, seconds, n) < 0 ? EXIT_INTERNAL : EXIT_OK;
}

/* Simulate with the outputs open; report, or say why not.  Returns the
 * exit status; the outputs are committed or discarded. */
static int run_sweep(sweep_args *a, int argc, char **argv, takt_plant **plants, long n,
                     long long jobs, sweep_out *o)
{
    takt_summary **sums = calloc((size_t)n, sizeof *sums);
    double *seconds = calloc((size_t)n, sizeof *seconds);
    char *why = NULL;
    int failed = 0, status = EXIT_INTERNAL, rc = -1;
    a->opt.stop = &cli_stop;
    a->opt.error = &why;
    progress *pg = progress_new((int)jobs, a->quiet);
    a->opt.progress = pg ? progress_cb : NULL;
    a->opt.progress_ctx = pg;
    double t0 = cli_now();
    cli_signals_soft(1);
    if (sums && seconds)
        rc = sweep_run((const takt_plant *const *)plants, (int)n, &a->opt, sums, seconds, &failed);
    cli_signals_soft(0);
    double wall = cli_now() - t0;
    progress_done(pg);
    if (rc == EXP_NOT_ROOT) {
        status = EXIT_OK;
    } else if (rc == -2 || cli_stop) {
        fprintf(stderr, "takt: interrupted: the runs so far were discarded; nothing was written\n");
        status = EXIT_INTERRUPTED;
    } else if (rc == -3) {
        fprintf(stderr, "%s: sweep combination %d of %ld (", a->file, failed + 1, n);
        print_settings(stderr, &a->spec, failed);
        fprintf(stderr, "): %s\n", why ? why : "the plant deadlocked");
        status = EXIT_BAD_INPUT;
    } else if (rc != 0) {
        fprintf(stderr, "takt: out of memory while simulating\n");
    } else {
        status = report_all(a, argc, argv, o, sums, seconds, n);
        uint64_t events = 0;
        for (long c = 0; c < n; c++) events += sums[c]->events;
        if (!a->quiet)
            fprintf(stderr, "takt: %ld combination%s, %lld runs, %llu events in %.3f s (%.0f ns/event)\n",
                    n, n == 1 ? "" : "s", jobs, (unsigned long long)events, wall,
                    events ? 1e9 * wall / (double)events : 0.0);
    }
    free(why);
    free_all(NULL, sums, n);
    free(seconds);
    return status;
}

static int simulate(sweep_args *a, int argc, char **argv, takt_plant **plants, long n)
{
    long long jobs = total_jobs(a, plants, n);
    if (jobs > MAX_JOBS)
        return usage_error("sweep: %lld runs in all (combinations × replications); at most %lld",
                           jobs, MAX_JOBS);
    sweep_out o;
    memset(&o, 0, sizeof o);
    cli_signals_guard(&o.g);
    int status = open_outputs(a, &o) < 0 ? EXIT_BAD_INPUT
               : run_sweep(a, argc, argv, plants, n, jobs, &o);
    outfile_group_discard(&o.g);
    cli_signals_guard(NULL);
    return status;
}

int cmd_sweep(int argc, char **argv)
{
    sweep_args a;
    memset(&a, 0, sizeof a);
    takt_options_default(&a.opt);
    int status = parse_sweep_args(argc, argv, &a);
    if (status == SWEEP_HELP) status = EXIT_OK;
    else if (status == 0 && !(a.text = cli_read_plant(a.file, &a.len))) {
        status = EXIT_BAD_INPUT;
    } else if (status == 0) {
        long n = sweep_count(&a.spec);
        int bad;
        takt_plant **plants = load_all(&a, n, &bad);
        if (!plants) {
            if (!bad) fprintf(stderr, "takt: out of memory\n");
            status = bad ? EXIT_BAD_INPUT : EXIT_INTERNAL;
        } else {
            status = simulate(&a, argc, argv, plants, n);
            free_all(plants, NULL, n);
        }
    }
    sweep_spec_free(&a.spec);
    free(a.text);
    return status;
}
