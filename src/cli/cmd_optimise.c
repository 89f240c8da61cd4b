/*
 * cmd_optimise.c — `takt optimise FILE --vary PATH=LO..HI ...`: integer
 * settings chosen for the most throughput under a budget (--total), or
 * the smallest total that reaches a target (--objective min-total
 * --target 'throughput>=N/h').  The search, '*' in paths and the reports
 * are the library's (takt_optimise_* in takt.h); here: arguments, the
 * output files and what the terminal shows.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define DEFAULT_CANDIDATES TAKT_OPTIMISE_CANDIDATES
#define MAX_VARY 64             /* as many as takt_optimise_vary takes */

typedef struct opt_args {
    const char *file, *json, *plant_out;
    takt_optimise *o;
    takt_options *opt;
    long total;
    takt_objective objective;
    double target_per_hour;
    double indifference;            /* per hour; 0: the library's default */
    int max_replications;           /* 0: the library's default           */
    int candidates;
    int quiet;
} opt_args;

void help_optimise(FILE *f)
{
    fprintf(f,
        "Usage: takt optimise FILE --vary PATH=LO..HI ... [OPTIONS]\n\n"
        "Chooses integer settings of FILE (paths as in 'takt sweep'; '*' for\n"
        "every element, e.g. buffers.*.capacity) for the most throughput, searching\n"
        "with the analytic estimate where it applies and deciding by simulation with\n"
        "common random numbers (docs/optimise.md).\n\n"
        "Options:\n"
        "  --vary PATH=LO..HI  a setting to choose, between LO and HI (repeatable)\n"
        "  --total N           the varied settings add up to N (a budget)\n"
        "  --objective O       max-throughput (default) or min-total\n"
        "  --target 'throughput>=N/h'  for min-total: the rate to reach (95 %% confidence)\n"
        "  --candidates N      designs compared by simulation at the end (default %d)\n"
        "  --indifference R    differences below R (e.g. 0.1/h) need not be resolved\n"
        "                      (default: 0.25 %% of the throughput)\n"
        "  --max-replications N  per design in the final comparison (default: 10 times\n"
        "                      the first stage's)\n"
        "  --replications N    replications per design (default: the file's)\n"
        "  --seed S            base random seed, the same for every design (default: the file's)\n"
        "  --threads N         worker threads (default: all cores); results do not depend on it\n"
        "  --json PATH|-       write the JSON result to PATH, or to stdout instead of the text\n"
        "  --plant OUT.yaml    write the plant with the best settings applied\n"
        "  --quiet             no timing line on stderr\n", DEFAULT_CANDIDATES);
}


/* "45/h" (also /min, /s, /d, or a bare number per hour). */
static int parse_rate(const char *s, double *per_hour)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || !(v > 0) || !(v < 1e300)) return -1;
    double f;
    if (!*end || !strcmp(end, "/h")) f = 1;
    else if (!strcmp(end, "/min")) f = 60;
    else if (!strcmp(end, "/s")) f = 3600;
    else if (!strcmp(end, "/d")) f = 1.0 / 24;
    else return -1;
    *per_hour = v * f;
    return 0;
}

/* "throughput>=45/h" (also /min, /s, /d, or a bare number per hour). */
static int parse_target(const char *s, double *per_hour)
{
    const char *p = strstr(s, ">=");
    if (strncmp(s, "throughput", 10) != 0 || !p) return -1;
    return parse_rate(p + 2, per_hour);
}


static int parse_args(int argc, char **argv, opt_args *a, const char **varies, int *nvary)
{
    static const char *const valued[] = { "--vary", "--total", "--objective", "--target",
        "--candidates", "--indifference", "--max-replications", "--replications", "--seed", "--threads", "--json", "--plant", NULL };
    char *end;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v = NULL, *name = NULL;
        if (arg[0] != '-' || !strcmp(arg, "-")) {
            if (a->file) return usage_error("more than one plant file given ('%s' and '%s')", a->file, arg);
            a->file = arg;
            continue;
        }
        if (!strcmp(arg, "--quiet") || !strcmp(arg, "-q")) { a->quiet = 1; continue; }
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) { help_optimise(stdout); return -1; }
        for (int k = 0; valued[k] && !name; k++)
            if (cli_is_opt(arg, valued[k])) name = valued[k];
        if (!name) return usage_error("optimise: unknown option '%s'", arg);
        if (!(v = cli_opt_value(argc, argv, &i, name))) return usage_error("%s needs a value", name);
        long long n;
        if (!strcmp(name, "--vary")) {
            if (*nvary == MAX_VARY) return usage_error("too many --vary options");
            varies[(*nvary)++] = v;
        } else if (!strcmp(name, "--total")) {
            if (cli_parse_long(v, 0, 1000000000LL, &n)) return usage_error("--total needs a whole number >= 0, got '%s'", v);
            a->total = (long)n;
        } else if (!strcmp(name, "--objective")) {
            if (!strcmp(v, "max-throughput")) a->objective = TAKT_MAX_THROUGHPUT;
            else if (!strcmp(v, "min-total")) a->objective = TAKT_MIN_TOTAL;
            else return usage_error("--objective: expected max-throughput or min-total, got '%s'", v);
        } else if (!strcmp(name, "--target")) {
            if (parse_target(v, &a->target_per_hour))
                return usage_error("--target: expected 'throughput>=N/h' (or /min, /s, /d), got '%s'", v);
        } else if (!strcmp(name, "--candidates")) {
            if (cli_parse_long(v, 1, 60, &n)) return usage_error("--candidates needs 1..60, got '%s'", v);
            a->candidates = (int)n;
        } else if (!strcmp(name, "--indifference")) {
            if (parse_rate(v, &a->indifference))
                return usage_error("--indifference: expected a rate above 0 such as 0.1/h (or /min, /s, /d), got '%s'", v);
        } else if (!strcmp(name, "--max-replications")) {
            if (cli_parse_long(v, 2, 100000, &n)) return usage_error("--max-replications needs 2..100000, got '%s'", v);
            a->max_replications = (int)n;
        } else if (!strcmp(name, "--replications")) {
            if (cli_parse_long(v, 2, 100000, &n)) return usage_error("--replications needs 2..100000, got '%s'", v);
            takt_options_set_replications(a->opt, (int)n);
        } else if (!strcmp(name, "--seed")) {
            errno = 0;
            unsigned long long s = strtoull(v, &end, 10);
            if (errno || end == v || *end || v[0] == '-') return usage_error("--seed needs a whole number >= 0, got '%s'", v);
            takt_options_set_seed(a->opt, s);
        } else if (!strcmp(name, "--threads")) {
            if (cli_parse_long(v, 1, 4096, &n)) return usage_error("--threads needs 1..4096, got '%s'", v);
            takt_options_set_threads(a->opt, n > 256 ? 256 : (int)n);   /* the same results */
        } else if (!strcmp(name, "--json")) a->json = v;
        else if (!strcmp(name, "--plant")) a->plant_out = v;
    }
    if (!a->file) return usage_error("optimise needs a plant file: takt optimise FILE --vary PATH=LO..HI");
    if (*nvary == 0) return usage_error("optimise needs at least one --vary PATH=LO..HI (e.g. --vary 'buffers.*.capacity=0..20')");
    if (a->target_per_hour > 0 && a->objective != TAKT_MIN_TOTAL)
        return usage_error("--target goes with --objective min-total");
    return 0;
}

/* ---- reports ------------------------------------------------------------------ */

/* A refusal of the library: "takt: " and each of its sentences, with the
 * hint to --help, as for a bad argument. */
static int usage_lines(char *message)
{
    if (!message) return usage_error("out of memory");
    for (char *line = message, *nl; line; line = nl ? nl + 1 : NULL) {
        if ((nl = strchr(line, '\n'))) *nl = 0;
        usage_error("%s", line);
    }
    free(message);
    return EXIT_BAD_INPUT;
}

static int write_plant(const opt_args *a)
{
    cli_file o = {0};
    if (cli_file_open(&o, a->plant_out) < 0) return EXIT_BAD_INPUT;
    char *message = NULL;
    takt_status st = takt_optimise_write_plant(a->o, o.f, &message);
    int rc = EXIT_OK;
    if (st == TAKT_EBADINPUT && message) { fputs(message, stderr); rc = EXIT_INTERNAL; }
    else if (st != TAKT_OK) { fprintf(stderr, "takt: cannot write '%s'\n", a->plant_out); rc = EXIT_INTERNAL; }
    free(message);
    if (rc != EXIT_OK) cli_file_discard(&o);
    else if (cli_file_commit(&o) < 0) {
        rc = EXIT_INTERNAL;                     /* said why */
    }
    return rc;
}

static int report(const opt_args *a)
{
    int rc = EXIT_OK;
    if (!(a->json && !strcmp(a->json, "-")) && takt_optimise_write(a->o, TAKT_FORMAT_TEXT, stdout) != TAKT_OK)
        rc = EXIT_INTERNAL;
    if (a->json) {
        cli_file o = {0};
        if (cli_file_open(&o, a->json) < 0) return EXIT_BAD_INPUT;
        if (takt_optimise_write(a->o, TAKT_FORMAT_JSON, o.f) != TAKT_OK) {
            fprintf(stderr, "takt: cannot write '%s'\n", a->json);
            cli_file_discard(&o);
            rc = EXIT_INTERNAL;
        } else if (cli_file_commit(&o) < 0) {  /* said why */
            rc = EXIT_INTERNAL;
        }
    }
    if (a->plant_out && rc == EXIT_OK) rc = write_plant(a);
    return rc;
}

/* ---- the command ------------------------------------------------------------ */

/* The problem as the arguments give it, checked before any long run. */
static int set_up(opt_args *a, const char *const *varies, int nvary)
{
    char *message = NULL;
    takt_status st = takt_optimise_new(a->file, &a->o, &message);
    if (st != TAKT_OK) {
        if (st == TAKT_EBADINPUT && message) fputs(message, stderr);
        else fprintf(stderr, "takt: %s\n", message ? message : takt_strerror(st));
        free(message);
        return EXIT_BAD_INPUT;
    }
    for (int i = 0; i < nvary; i++)
        if (takt_optimise_vary(a->o, varies[i], &message) != TAKT_OK) return usage_lines(message);
    takt_optimise_set_total(a->o, a->total);
    takt_optimise_set_objective(a->o, a->objective);
    if (a->target_per_hour > 0) takt_optimise_set_target(a->o, a->target_per_hour);
    takt_optimise_set_candidates(a->o, a->candidates);
    if (a->indifference > 0 || a->max_replications > 0)
        takt_optimise_set_selection(a->o, a->indifference, a->max_replications);
    if (takt_optimise_check(a->o, &message) != TAKT_OK) {
        int rc = usage_error("optimise: %s", message ? message : "out of memory");
        free(message);
        return rc;
    }
    st = takt_optimise_check_plant(a->o, &message);
    if (st != TAKT_OK) {
        if (message) fprintf(stderr, "takt: optimise: %s", message);
        else fprintf(stderr, "takt: %s\n", takt_strerror(st));
        free(message);
        return st == TAKT_EBADINPUT ? EXIT_BAD_INPUT : EXIT_INTERNAL;
    }
    if (a->json && strcmp(a->json, "-") && parent_writable(a->json) < 0)
        return usage_error("--json '%s': cannot write there", a->json);
    if (a->plant_out && parent_writable(a->plant_out) < 0)
        return usage_error("--plant '%s': cannot write there", a->plant_out);
    return 0;
}

static int optimise(opt_args *a, const char *const *varies, int nvary)
{
    int rc = set_up(a, varies, nvary);
    if (rc) return rc;
    takt_options_set_stop_flag(a->opt, &cli_stop);
    char *message = NULL;
    double t0 = cli_now();
    cli_signals_soft(1);                /* a signal stops the run in order */
    takt_status st = takt_optimise_run(a->o, a->opt, &message);
    cli_signals_soft(0);
    if (st == TAKT_ENOTROOT) rc = EXIT_OK;
    else if (st == TAKT_EINTERRUPTED) { fprintf(stderr, "takt: interrupted: nothing was written\n"); rc = EXIT_INTERRUPTED; }
    else if (st == TAKT_EBADINPUT) { fprintf(stderr, "takt: optimise: %s\n", message ? message : ""); rc = EXIT_BAD_INPUT; }
    else if (st != TAKT_OK) { fprintf(stderr, "takt: out of memory\n"); rc = EXIT_INTERNAL; }
    else {
        rc = report(a);
        if (!a->quiet)
            fprintf(stderr, "takt: %ld designs simulated (%ld replications), %ld estimated in %.2f s\n",
                    takt_optimise_simulated(a->o), takt_optimise_replications(a->o),
                    takt_optimise_estimated(a->o), cli_now() - t0);
    }
    free(message);
    return rc;
}

int cmd_optimise(int argc, char **argv)
{
    opt_args a;
    memset(&a, 0, sizeof a);
    a.total = -1;
    a.objective = TAKT_MAX_THROUGHPUT;
    a.candidates = DEFAULT_CANDIDATES;
    if (!(a.opt = takt_options_new())) { fprintf(stderr, "takt: out of memory\n"); return EXIT_INTERNAL; }
    const char *varies[MAX_VARY];
    int nvary = 0;
    int rc = parse_args(argc, argv, &a, varies, &nvary);
    if (rc < 0) rc = EXIT_OK;       /* --help */
    else if (rc == 0) rc = optimise(&a, varies, nvary);
    takt_optimise_free(a.o);
    takt_options_free(a.opt);
    return rc;
}
