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
 * src/exp/fit.h; docs/fit.md explains it for users.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli.h"
#include "exp/cluster.h"
#include "exp/fit.h"
#include "io/observed.h"
#include "io/override.h"
#include "io/plant_edit.h"
#include "io/report_fit.h"

#define FIT_HELP (-1)

typedef struct fit_args {
    const char *file, *observed, *json, *html, *plant_out;
    int quiet, budget, profile_evals;
    fit_param params[FIT_MAX_PARAMS];
    int nparams;
    const char *fixed[FIT_MAX_PARAMS];  /* --set PATH=VALUE, before the free ones */
    int nfixed;
    exp_options opt;
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
        a->opt.replications = (int)n;
    } else if (!strcmp(name, "--threads")) {
        if (cli_parse_long(v, 1, 256, &n) < 0)
            return usage_error("--threads must be a whole number from 1 to 256, got '%s'", v);
        a->opt.threads = (int)n;
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
        a->opt.seed = s;
        a->opt.have_seed = 1;
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
            char err[512];
            if (a->nparams == FIT_MAX_PARAMS)
                return usage_error("--free: at most %d free settings", FIT_MAX_PARAMS);
            if (fit_param_parse(v, &a->params[a->nparams], err, sizeof err) < 0)
                return usage_error("--free %s", err);
            for (int j = 0; j < a->nparams; j++)
                if (!strcmp(a->params[j].path, a->params[a->nparams].path)) {
                    fit_param_free(&a->params[a->nparams]);
                    return usage_error("--free: %s given twice", a->params[j].path);
                }
            a->nparams++;
        } else if (!strcmp(name, "--set")) {
            if (a->nfixed == FIT_MAX_PARAMS) return usage_error("--set: at most %d fixed settings", FIT_MAX_PARAMS);
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
    if (a->nparams == 0) return usage_error("fit needs at least one --free PATH=LO..HI (e.g. --free ramp.1.factor=1.0..2.0)");
    if (a->html && !strcmp(a->html, "-")) return usage_error("--html needs a file name");
    if (a->plant_out && !strcmp(a->plant_out, "-")) return usage_error("--plant needs a file name");
    return 0;
}

/* ---- plants ------------------------------------------------------------------ */

static void print_diags(const diags *d)
{
    char line[2048];
    for (int i = 0; i < d->n; i++) {
        diags_format(d, i, line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
}

/* The plant with the fixed settings, then `sets`. */
static takt_plant *load_with(const fit_args *a, const char *const *sets, int n, diags *d)
{
    const char *all[2 * FIT_MAX_PARAMS];
    for (int i = 0; i < a->nfixed; i++) all[i] = a->fixed[i];
    for (int i = 0; i < n; i++) all[a->nfixed + i] = sets[i];
    return load_plant_file_with(a->file, all, a->nfixed + n, d);
}

static takt_plant *build(void *ctx, const char *const *sets, int n, char **why)
{
    const fit_args *a = ctx;
    diags d;
    diags_init(&d, a->file);
    takt_plant *p = load_with(a, sets, n, &d);
    if (!p && d.n > 0) {
        char line[2048];
        diags_format(&d, 0, line, sizeof line);
        *why = strdup(line);
    }
    diags_free(&d);
    return p;
}

/* The plant at value `v` of parameter j and the middle of every other
 * range: 0, or -1 having said what the loader refused. */
static int try_values(const fit_args *a, int j, double v)
{
    char text[FIT_MAX_PARAMS][512];
    const char *sets[FIT_MAX_PARAMS];
    for (int i = 0; i < a->nparams; i++) {
        const fit_param *fp = &a->params[i];
        char value[128];
        fit_param_format(fp, i == j ? v : (fp->lo + fp->hi) / 2, value, sizeof value);
        snprintf(text[i], sizeof text[i], "%s=%s", fp->path, value);
        sets[i] = text[i];
    }
    diags d;
    diags_init(&d, a->file);
    takt_plant *p = load_with(a, sets, a->nparams, &d);
    if (!p) {
        char value[128];
        fit_param_format(&a->params[j], v, value, sizeof value);
        fprintf(stderr, "takt: --free %s: the plant refuses %s=%s:\n", a->params[j].path,
                a->params[j].path, value);
        print_diags(&d);
    }
    diags_free(&d);
    takt_plant_free(p);
    return p ? 0 : -1;
}

static int same_file(const char *x, const char *y)
{
    struct stat a, b;
    return stat(x, &a) == 0 && stat(y, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* The settings of the fitted values ("PATH=VALUE"), into text. */
static void fitted_settings(const fit_args *a, const double *v, char text[][512], const char **sets)
{
    for (int j = 0; j < a->nparams; j++) {
        char value[128];
        fit_param_format(&a->params[j], v[j], value, sizeof value);
        snprintf(text[j], 512, "%s=%s", a->params[j].path, value);
        sets[j] = text[j];
    }
}

/* Everything checked before simulating; returns 0 or an exit status. */
static int check_inputs(const fit_args *a, takt_plant **base, fit_observed *obs)
{
    diags d;
    diags_init(&d, a->file);
    *base = load_with(a, NULL, 0, &d);
    if (!*base) {
        int bad = d.n > 0;
        print_diags(&d);
        diags_free(&d);
        if (!bad) fprintf(stderr, "takt: out of memory\n");
        return bad ? EXIT_BAD_INPUT : EXIT_INTERNAL;
    }
    diags_free(&d);
    size_t len;
    char *text = cli_slurp(a->observed, &len);
    if (!text) {
        fprintf(stderr, "takt: cannot read '%s': %s\n", a->observed, strerror(errno));
        return EXIT_BAD_INPUT;
    }
    diags_init(&d, a->observed);
    int rc = observed_parse(text, len, *base, obs, &d);
    free(text);
    if (rc < 0) {
        print_diags(&d);
        diags_free(&d);
        return EXIT_BAD_INPUT;
    }
    diags_free(&d);
    if (obs->has[FIT_DELIVERED] && !(*base)->demand.enabled) {
        fprintf(stderr, "%s: the plant has no demand:, so it delivers nothing to compare with "
                "the 'delivered' column\n", a->observed);
        return EXIT_BAD_INPUT;
    }
    for (int j = 0; j < a->nparams; j++)
        if (try_values(a, j, a->params[j].lo) < 0 || try_values(a, j, a->params[j].hi) < 0)
            return EXIT_BAD_INPUT;
    if (a->plant_out) {
        if (same_file(a->plant_out, a->file) || same_file(a->plant_out, a->observed)
            || !strcmp(a->plant_out, a->file) || !strcmp(a->plant_out, a->observed))
            return usage_error("--plant %s would overwrite an input; give another file", a->plant_out);
        char *ptext = cli_slurp(a->file, &len), *out = NULL, err[600];
        double mid[FIT_MAX_PARAMS];
        char st[FIT_MAX_PARAMS][512];
        const char *sets[FIT_MAX_PARAMS];
        for (int j = 0; j < a->nparams; j++) mid[j] = (a->params[j].lo + a->params[j].hi) / 2;
        fitted_settings(a, mid, st, sets);
        size_t olen;
        rc = ptext ? plant_edit(ptext, len, sets, a->nparams, &out, &olen, err, sizeof err) : -1;
        free(ptext);
        free(out);
        if (rc < 0) {
            fprintf(stderr, "takt: --plant: %s\n", ptext ? err : strerror(errno));
            return EXIT_BAD_INPUT;
        }
    }
    const char *outs[] = { a->json, a->html, a->plant_out };
    for (int i = 0; i < 3; i++)
        if (outs[i] && strcmp(outs[i], "-") && parent_writable(outs[i]) < 0) {
            fprintf(stderr, "takt: cannot write '%s': %s\n", outs[i], strerror(errno));
            return EXIT_BAD_INPUT;
        }
    return 0;
}

/* ---- outputs --------------------------------------------------------------------- */

static int write_plant(const fit_args *a, const fit_result *r)
{
    size_t len, olen;
    char *text = cli_slurp(a->file, &len), *out = NULL, err[600];
    char st[FIT_MAX_PARAMS][512];
    const char *sets[FIT_MAX_PARAMS];
    fitted_settings(a, r->value, st, sets);
    if (!text || plant_edit(text, len, sets, a->nparams, &out, &olen, err, sizeof err) < 0) {
        fprintf(stderr, "takt: --plant: %s\n", text ? err : strerror(errno));
        free(text);
        return -1;
    }
    free(text);
    outfile o;
    int rc = outfile_open(&o, a->plant_out);
    if (rc == 0) {
        fwrite(out, 1, olen, o.f);
        if (ferror(o.f)) { outfile_discard(&o); rc = -1; }
        else rc = outfile_commit(&o);
        if (rc < 0) fprintf(stderr, "takt: cannot write '%s'\n", a->plant_out);
    }
    free(out);
    return rc;
}

static int write_report(const char *path, int (*fn)(FILE *, const fit_report *), const fit_report *rp)
{
    outfile o;
    if (outfile_open(&o, path) < 0) return -1;
    if (fn(o.f, rp) < 0) {
        outfile_discard(&o);
        fprintf(stderr, "takt: cannot write '%s'\n", path);
        return -1;
    }
    if (outfile_commit(&o) < 0) {
        fprintf(stderr, "takt: cannot write '%s': %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static void trace(void *ctx, int evals, double loss, double best)
{
    (void)ctx;
    (void)loss;
    fprintf(stderr, "\rtakt: fit: %d simulations, best loss %.6g   ", evals, best);
}

static int run_fit(fit_args *a, const takt_plant *base, const fit_observed *obs)
{
    fit_config c;
    memset(&c, 0, sizeof c);
    c.params = a->params;
    c.nparams = a->nparams;
    c.obs = obs;
    c.build = build;
    c.build_ctx = a;
    c.opt = a->opt;
    c.budget = a->budget;
    c.profile_evals = a->profile_evals >= 0 ? a->profile_evals : 4 * (a->nparams - 1);
    int tty = !a->quiet && isatty(2);
    c.trace = tty ? trace : NULL;
    cli_catch_signals();
    c.opt.stop = &cli_stop;
    fit_result r;
    char *why = NULL;
    double t0 = cli_now();
    int rc = fit_run(&c, &r, &why);
    double wall = cli_now() - t0;
    if (tty) fputs("\r\033[K", stderr);
    int status = EXIT_OK;
    if (rc == -2 || (rc == 0 && cli_stop)) {
        fprintf(stderr, "takt: interrupted: nothing was written\n");
        status = EXIT_INTERRUPTED;
    } else if (rc == -3) {
        fprintf(stderr, "takt: fit: no candidate could be simulated: %s\n", why ? why : "?");
        status = EXIT_BAD_INPUT;
    } else if (rc != 0) {
        fprintf(stderr, "takt: out of memory while fitting\n");
        status = EXIT_INTERNAL;
    } else {
        fit_report rp = { base->name, &c, &r, a->opt.have_seed ? a->opt.seed : base->seed };
        int werr = 0;
        if (!(a->json && !strcmp(a->json, "-")) && report_fit_text(stdout, &rp) < 0) werr = 1;
        if (a->json && write_report(a->json, report_fit_json, &rp) < 0) werr = 1;
        if (a->html && write_report(a->html, report_fit_html, &rp) < 0) werr = 1;
        if (a->plant_out && write_plant(a, &r) < 0) werr = 1;
        if (!a->quiet)
            fprintf(stderr, "takt: fit: %d simulations of %d replications in %.1f s\n", r.evals,
                    r.replications, wall);
        status = werr ? EXIT_INTERNAL : EXIT_OK;
        fit_result_free(&r);
    }
    free(why);
    return status;
}

int cmd_fit(int argc, char **argv)
{
    fit_args a;
    memset(&a, 0, sizeof a);
    exp_options_default(&a.opt);
    a.budget = 200;
    a.profile_evals = -1;
    int status = parse_fit_args(argc, argv, &a);
    if (status == FIT_HELP) status = EXIT_OK;
    else if (status == 0 && cluster_size() > 1)
        status = usage_error("fit runs in one process (its candidates depend on each other); "
                             "use --threads instead of mpirun");
    else if (status == 0) {
        takt_plant *base = NULL;
        fit_observed obs;
        memset(&obs, 0, sizeof obs);
        status = check_inputs(&a, &base, &obs);
        if (status == 0) status = run_fit(&a, base, &obs);
        fit_observed_free(&obs);
        takt_plant_free(base);
    }
    for (int j = 0; j < a.nparams; j++) fit_param_free(&a.params[j]);
    return status;
}
