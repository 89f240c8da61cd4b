/*
 * cmd_fit.c — `takt fit FILE --observed OBS.csv --free PATH=LO..HI ...`:
 * calibrate settings of a plant to an observed series of cars produced
 * (delivered) per period, and say how well the series determines them.
 *
 * Everything that can be refused is refused before the first simulation:
 * the options, the plant, the observed file (every row), every --free
 * path and both ends of its range (each built by the loader, so a bad
 * path or value gets the loader's message), the output files, and a
 * --plant output that would overwrite an input.  The method is in
 * src/exp/fit.h; docs/fit.md explains it for users.  Uses only takt.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli.h"

#define FIT_MAX 16

#define FIT_HELP (-1)

typedef struct fit_args {
    const char *file, *observed, *json, *html, *plant_out;
    int quiet, budget, profile_evals;
    const char *free[FIT_MAX];
    int nfree;
    const char *fixed[FIT_MAX];     /* --set PATH=VALUE, before the free ones */
    int nfixed;
    takt_options *opt;
} fit_args;

void help_fit(FILE *f)
{
    fprintf(f,
        "Usage: takt fit FILE --observed OBS.csv --free PATH=LO..HI [--free ...] [OPTIONS]\n\n"
        "Finds the values of the free settings that make the simulated cars produced\n"
        "(delivered) per period closest to an observed series, with a 95 %% interval for\n"
        "each, and says which the series cannot determine.\n\n"
        "  --observed OBS.csv  columns date and produced and/or delivered (and optionally\n"
        "                     weight): the count of the period ending on that date\n"
        "  --free PATH=LO..HI  a setting as in takt sweep --set, and its range: 1.0..2.5,\n"
        "                     whole numbers 1..6, dates 2024-05-01..2024-07-31, 60s..90s\n"
        "  --set PATH=VALUE   a fixed setting for every candidate (e.g. --set until=2025-06-30);\n"
        "                     --plant does not write it\n"
        "  --replications N   replications of every candidate (default: the file's)\n"
        "  --seed S           the seed every candidate is simulated with (default: the file's)\n"
        "  --threads N        worker threads (default: all cores); results do not depend on it\n"
        "  --budget N         simulations for the search (default: 200)\n"
        "  --profile-evals N  simulations to re-fit the other settings at each point of an\n"
        "                     interval's profile (default: 4 per other setting; 0: slices)\n"
        "  --json PATH|-      write the result as JSON to PATH, or to stdout instead of the text\n"
        "  --html PATH        write a page with the observed against the simulated series\n"
        "  --plant OUT.yaml   write the plant file with the fitted values (not over an input)\n"
        "  --quiet            no progress or timing on stderr\n"
        "See docs/fit.md.\n");
}

static int parse_number_opt(const char *name, const char *v, fit_args *a)
{
    long long n;
    if (!strcmp(name, "--replications")) {
        if (cli_parse_long(v, 1, 100000, &n) < 0)
            return usage_error("--replications must be a whole number from 1 to 100000, got '%s'", v);
        takt_options_set_replications(a->opt, (int)n);
    } else if (!strcmp(name, "--threads")) {
        if (cli_parse_long(v, 1, 256, &n) < 0)
            return usage_error("--threads must be a whole number from 1 to 256, got '%s'", v);
        takt_options_set_threads(a->opt, (int)n);
    } else if (!strcmp(name, "--budget")) {
        if (cli_parse_long(v, 1, 1000000, &n) < 0)
            return usage_error("--budget must be a whole number from 1 to 1000000, got '%s'", v);
        a->budget = (int)n;
    } else if (!strcmp(name, "--profile-evals")) {
        if (cli_parse_long(v, 0, 100000, &n) < 0)
            return usage_error("--profile-evals must be a whole number from 0 to 100000, got '%s'", v);
        a->profile_evals = (int)n;
    } else {
        char *end;
        errno = 0;
        unsigned long long s = strtoull(v, &end, 10);
        if (errno || end == v || *end || v[0] == '-')
            return usage_error("--seed must be a whole number from 0 to 18446744073709551615, got '%s'", v);
        takt_options_set_seed(a->opt, s);
    }
    return 0;
}

static int parse_fit_args(int argc, char **argv, fit_args *a)
{
    static const char *const valued[] = { "--observed", "--free", "--set", "--replications", "--seed", "--threads",
                                          "--budget", "--profile-evals", "--json", "--html", "--plant", NULL };
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v, *name = NULL;
        if (arg[0] != '-') {
            if (a->file) return usage_error("more than one plant file given ('%s' and '%s')", a->file, arg);
            a->file = arg;
            continue;
        }
        if (!strcmp(arg, "--quiet") || !strcmp(arg, "-q")) { a->quiet = 1; continue; }
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) { help_fit(stdout); return FIT_HELP; }
        for (int k = 0; valued[k] && !name; k++)
            if (cli_is_opt(arg, valued[k])) name = valued[k];
        if (!name) return usage_error("fit: unknown option '%s'", arg);
        if (!(v = cli_opt_value(argc, argv, &i, name))) return usage_error("%s needs a value", name);
        if (!strcmp(name, "--free")) {
            if (a->nfree == FIT_MAX) return usage_error("--free: at most %d free settings", FIT_MAX);
            a->free[a->nfree++] = v;
        } else if (!strcmp(name, "--set")) {
            if (a->nfixed == FIT_MAX) return usage_error("--set: at most %d fixed settings", FIT_MAX);
            if (!strchr(v, '=')) return usage_error("--set expects PATH=VALUE, got '%s'", v);
            a->fixed[a->nfixed++] = v;
        } else if (!strcmp(name, "--observed")) a->observed = v;
        else if (!strcmp(name, "--json")) a->json = v;
        else if (!strcmp(name, "--html")) a->html = v;
        else if (!strcmp(name, "--plant")) a->plant_out = v;
        else {
            int rc = parse_number_opt(name, v, a);
            if (rc) return rc;
        }
    }
    if (!a->file) return usage_error("fit needs a plant file: takt fit FILE --observed OBS.csv --free PATH=LO..HI");
    if (!a->observed) return usage_error("fit needs --observed OBS.csv (columns date,produced and/or delivered)");
    if (a->nfree == 0) return usage_error("fit needs at least one --free PATH=LO..HI (e.g. --free ramp.1.factor=1.0..2.0)");
    if (a->html && !strcmp(a->html, "-")) return usage_error("--html needs a file name");
    if (a->plant_out && !strcmp(a->plant_out, "-")) return usage_error("--plant needs a file name");
    return 0;
}

static int same_file(const char *x, const char *y)
{
    struct stat a, b;
    return stat(x, &a) == 0 && stat(y, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Print a library message and map the status to an exit status. */
static int failed(takt_status st, char *msg, const char *prefix)
{
    if (msg) fprintf(stderr, "%s%s\n", prefix, msg);
    else fprintf(stderr, "takt: %s\n", takt_strerror(st));
    free(msg);
    return st == TAKT_EBADINPUT || st == TAKT_EIO ? EXIT_BAD_INPUT
         : st == TAKT_EINTERRUPTED ? EXIT_INTERRUPTED : EXIT_INTERNAL;
}

/* Everything checked before simulating; returns 0 or an exit status. */
static int check_inputs(const fit_args *a, takt_fit **fit)
{
    char *msg = NULL;
    takt_status st = takt_fit_new(a->file, a->fixed, a->nfixed, fit, &msg);
    if (st != TAKT_OK) return failed(st, msg, "");
    for (int j = 0; j < a->nfree; j++)
        if ((st = takt_fit_add_free(*fit, a->free[j], &msg)) != TAKT_OK)
            return failed(st, msg, "takt: --free ");
    if ((st = takt_fit_observed(*fit, a->observed, &msg)) != TAKT_OK) return failed(st, msg, "");
    if (a->plant_out && (same_file(a->plant_out, a->file) || same_file(a->plant_out, a->observed)
                         || !strcmp(a->plant_out, a->file) || !strcmp(a->plant_out, a->observed)))
        return usage_error("--plant %s would overwrite an input; give another file", a->plant_out);
    if ((st = takt_fit_check(*fit, a->plant_out != NULL, &msg)) != TAKT_OK)
        return failed(st, msg, a->plant_out && strncmp(msg ? msg : "", "--free", 6) ? "takt: --plant: " : "takt: ");
    const char *outs[] = { a->json, a->html, a->plant_out };
    for (int i = 0; i < 3; i++)
        if (outs[i] && strcmp(outs[i], "-") && parent_writable(outs[i]) < 0) {
            fprintf(stderr, "takt: cannot write '%s': %s\n", outs[i], strerror(errno));
            return EXIT_BAD_INPUT;
        }
    return 0;
}

/* ---- outputs --------------------------------------------------------------------- */

static int write_plant(const fit_args *a, const takt_fit *fit)
{
    char *text = NULL, *msg = NULL;
    size_t len = 0;
    takt_status st = takt_fit_plant_text(fit, &text, &len, &msg);
    if (st != TAKT_OK) {
        failed(st, msg, "takt: --plant: ");
        return -1;
    }
    cli_file o;
    int rc = cli_file_open(&o, a->plant_out);
    if (rc == 0) {
        fwrite(text, 1, len, o.f);
        if (ferror(o.f)) {
            cli_file_discard(&o);
            fprintf(stderr, "takt: cannot write '%s'\n", a->plant_out);
            rc = -1;
        } else {
            rc = cli_file_commit(&o);           /* says why it failed */
        }
    }
    free(text);
    return rc;
}

static int write_report(const char *path, takt_format format, const takt_fit *fit)
{
    cli_file o;
    if (cli_file_open(&o, path) < 0) return -1;
    if (takt_fit_write(fit, format, o.f) != TAKT_OK) {
        cli_file_discard(&o);
        fprintf(stderr, "takt: cannot write '%s'\n", path);
        return -1;
    }
    return cli_file_commit(&o);         /* says why it failed */
}

static void trace(void *ctx, int simulations, double best)
{
    (void)ctx;
    fprintf(stderr, "\rtakt: fit: %d simulations, best loss %.6g   ", simulations, best);
}

static int run_fit(fit_args *a, takt_fit *fit)
{
    takt_fit_set_budget(fit, a->budget);
    takt_fit_set_profile(fit, a->profile_evals);
    int tty = !a->quiet && isatty(2);
    takt_options_set_stop_flag(a->opt, &cli_stop);
    char *msg = NULL;
    double t0 = cli_now();
    cli_signals_soft(1);                /* a signal stops the run in order */
    takt_status st = takt_fit_run(fit, a->opt, tty ? trace : NULL, NULL, &msg);
    cli_signals_soft(0);
    double wall = cli_now() - t0;
    if (tty) fputs("\r\033[K", stderr);
    if (st == TAKT_EINTERRUPTED) {
        free(msg);
        fprintf(stderr, "takt: interrupted: nothing was written\n");
        return EXIT_INTERRUPTED;
    }
    if (st != TAKT_OK) return failed(st, msg, "takt: fit: ");
    int werr = 0;
    if (!(a->json && !strcmp(a->json, "-")) && takt_fit_write(fit, TAKT_FORMAT_TEXT, stdout) != TAKT_OK) werr = 1;
    if (a->json && write_report(a->json, TAKT_FORMAT_JSON, fit) < 0) werr = 1;
    if (a->html && write_report(a->html, TAKT_FORMAT_HTML, fit) < 0) werr = 1;
    if (a->plant_out && write_plant(a, fit) < 0) werr = 1;
    if (!a->quiet)
        fprintf(stderr, "takt: fit: %d simulations of %d replications in %.1f s\n",
                takt_fit_simulations(fit), takt_fit_replications(fit), wall);
    return werr ? EXIT_INTERNAL : EXIT_OK;
}

int cmd_fit(int argc, char **argv)
{
    fit_args a;
    memset(&a, 0, sizeof a);
    a.opt = takt_options_new();
    if (!a.opt) { fprintf(stderr, "takt: out of memory\n"); return EXIT_INTERNAL; }
    a.budget = 200;
    a.profile_evals = -1;
    int status = parse_fit_args(argc, argv, &a);
    if (status == FIT_HELP) status = EXIT_OK;
    else if (status == 0) {
        takt_fit *fit = NULL;
        status = check_inputs(&a, &fit);
        if (status == 0) status = run_fit(&a, fit);
        takt_fit_free(fit);
    }
    takt_options_free(a.opt);
    return status;
}
