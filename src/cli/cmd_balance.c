/*
 * cmd_balance.c — `takt balance FILE`: cut a line's work into stations
 * that fit the takt (SALBP-1) or the fewest seconds for a number of
 * stations (SALBP-2), report the answer, and optionally write the balanced
 * line as a plant file and simulate it.
 *
 * Everything that can be refused is refused before solving: the task file,
 * the options and the output paths (opened under temporary names).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef struct balance_args {
    const char *file, *json, *plant, *template_path;
    double takt_s, time_limit;
    long long stations;
    int simulate, quiet;
} balance_args;

void help_balance(FILE *f)
{
    fprintf(f,
        "Usage: takt balance FILE [--takt D | --stations N] [OPTIONS]\n\n"
        "Assigns the tasks of FILE (a task file, Scholl .IN2 or Otto .alb) to stations:\n"
        "with a takt, the fewest stations (SALBP-1); with a number of stations, the\n"
        "shortest cycle (SALBP-2).  Exact where it can be: the answer says whether it is\n"
        "proven optimal, or gives its gap to the lower bound.  See docs/balance.md.\n\n"
        "Options:\n"
        "  --takt D           cycle time, e.g. 76s (overrides the file's)\n"
        "  --stations N       number of stations (overrides the file's)\n"
        "  --time-limit D     stop searching after D and give the best found (default 10s)\n"
        "  --json PATH|-      write the answer as JSON to PATH, or to stdout instead of the text\n"
        "  --plant OUT.yaml   write the balanced line as a plant file\n"
        "  --template PLANT   take run settings, failures and buffers from this plant file\n"
        "  --simulate         simulate the balanced line and print the takt it reaches\n"
        "  --quiet            no timing line on stderr\n");
}

/* A duration argument; nonzero having said what is wrong with it. */
static int duration(const char *name, const char *v, double *seconds)
{
    char *why = NULL;
    if (takt_parse_duration(v, seconds, &why) == TAKT_OK) return 0;
    usage_error("%s: %s", name, why ? why : "out of memory");
    free(why);
    return 1;
}

static int parse_args(int argc, char **argv, balance_args *a)
{
    memset(a, 0, sizeof *a);
    a->time_limit = 10;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v;
        long long n;
        if (arg[0] != '-') {
            if (a->file) return usage_error("more than one task file given ('%s' and '%s')", a->file, arg);
            a->file = arg;
            continue;
        }
#define NEED(name) if (!(v = cli_opt_value(argc, argv, &i, name))) return usage_error("%s needs a value", name)
        if (!strcmp(arg, "--simulate")) a->simulate = 1;
        else if (!strcmp(arg, "--quiet") || !strcmp(arg, "-q")) a->quiet = 1;
        else if (cli_is_opt(arg, "--takt")) {
            NEED("--takt");
            if (duration("--takt", v, &a->takt_s)) return EXIT_BAD_INPUT;
            if (!(a->takt_s > 0) || a->takt_s > 1e9) return usage_error("--takt must be more than 0 and at most 1e9 s, got '%s'", v);
        } else if (cli_is_opt(arg, "--stations")) {
            NEED("--stations");
            if (cli_parse_long(v, 1, 100000, &n) < 0)
                return usage_error("--stations must be a whole number from 1 to 100000, got '%s'", v);
            a->stations = n;
        } else if (cli_is_opt(arg, "--time-limit")) {
            NEED("--time-limit");
            if (duration("--time-limit", v, &a->time_limit)) return EXIT_BAD_INPUT;
            if (!(a->time_limit > 0)) return usage_error("--time-limit must be more than 0, got '%s'", v);
        } else if (cli_is_opt(arg, "--json")) { NEED("--json"); a->json = v; }
        else if (cli_is_opt(arg, "--plant")) { NEED("--plant"); a->plant = v; }
        else if (cli_is_opt(arg, "--template")) { NEED("--template"); a->template_path = v; }
        else return usage_error("unknown option '%s' for balance", arg);
#undef NEED
    }
    if (!a->file) return usage_error("balance needs a task file (takt balance FILE --takt D)");
    if (a->takt_s > 0 && a->stations) return usage_error("give --takt or --stations, not both");
    if (a->template_path && !a->plant && !a->simulate) return usage_error("--template needs --plant or --simulate");
    return 0;
}

/* Simulate the plant text and say what takt the line reaches. */
static int simulate(const char *text, size_t len, double takt_s, int quiet)
{
    char *errors = NULL;
    takt_plant *p = takt_load_string("balanced line", text, len, &errors);
    if (!p) {
        fprintf(stderr, "takt: the balanced line is not a valid plant (please report):\n%s", errors ? errors : "");
        free(errors);
        return EXIT_INTERNAL;
    }
    takt_options *opt = takt_options_new();
    if (!opt) { takt_plant_free(p); return EXIT_INTERNAL; }
    takt_options_set_stop_flag(opt, &cli_stop);
    takt_options_set_bottleneck(opt, TAKT_BOTTLENECK_ACTIVE);   /* only the takt is printed */
    takt_result *r = NULL;
    double t0 = cli_now();
    takt_status st = takt_simulate(p, opt, &r, NULL);
    takt_options_free(opt);
    if (st != TAKT_OK) {
        takt_plant_free(p);
        if (st == TAKT_EINTERRUPTED) return EXIT_INTERRUPTED;
        fprintf(stderr, "takt: the simulation of the balanced line failed: %s\n", takt_strerror(st));
        return EXIT_INTERNAL;
    }
    double th = 0, hw = 0;
    takt_result_figure(r, "throughput_per_hour", &th, &hw);
    double achieved = th > 0 ? 3600.0 / th : INFINITY;
    double achieved_hw = th > 0 ? 3600.0 * hw / (th * th) : NAN;
    printf("\nsimulated: %d replications of %.6gh after %.6gh warm-up\n", takt_result_replications(r),
           takt_result_horizon(r) / 3600.0, takt_result_warmup(r) / 3600.0);
    printf("takt target       %.6gs\n", takt_s);
    printf("takt achieved     %.6gs ± %.3gs (95 %% CI)  (%.6g ± %.3g parts/h)\n", achieved, achieved_hw, th, hw);
    printf("reached           %.1f %% of the target rate\n", th > 0 ? 100.0 * takt_s / achieved : 0.0);
    if (!quiet) fprintf(stderr, "takt: simulated in %.2f s\n", cli_now() - t0);
    takt_result_free(r);
    takt_plant_free(p);
    return EXIT_OK;
}

static int plant_and_simulate(const balance_args *a, const takt_balance *b, cli_file *plant)
{
    if (a->plant) {
        if (takt_balance_write_plant(b, plant->f) != TAKT_OK) {
            fprintf(stderr, "takt: cannot write '%s': %s\n", a->plant, strerror(errno));
            cli_file_discard(plant);
            return EXIT_INTERNAL;
        }
        if (cli_file_commit(plant) < 0) return EXIT_INTERNAL;   /* said why */
    }
    if (!a->simulate) return EXIT_OK;
    char *text = NULL;
    size_t len = 0;
    if (takt_balance_plant_text(b, &text, &len) != TAKT_OK) return EXIT_INTERNAL;
    int rc = simulate(text, len, takt_balance_cycle(b), a->quiet);
    free(text);
    return rc;
}

/* A refusal of the library: its lines as they are, or its status. */
static int refused(takt_status st, char *message, const char *what)
{
    if (st == TAKT_EBADINPUT && message) fputs(message, stderr);
    else fprintf(stderr, "takt: %s\n", st == TAKT_ENOMEM ? what : takt_strerror(st));
    free(message);
    return st == TAKT_EBADINPUT ? EXIT_BAD_INPUT : EXIT_INTERNAL;
}

int cmd_balance(int argc, char **argv)
{
    balance_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc) return rc;
    takt_balance *b = NULL;
    char *message = NULL;
    takt_status st = takt_balance_load(a.file, a.template_path, &b, &message);
    if (st != TAKT_OK) return refused(st, message, "out of memory");
    if (a.takt_s > 0) takt_balance_set_takt(b, a.takt_s);
    if (a.stations) takt_balance_set_stations(b, (int)a.stations);
    st = takt_balance_check(b, &message);
    if (st != TAKT_OK) { takt_balance_free(b); return refused(st, message, "out of memory"); }
    cli_file json = { 0 }, plant = { 0 };
    if (a.json && cli_file_open(&json, a.json) < 0) { takt_balance_free(b); return EXIT_BAD_INPUT; }
    if (a.plant && cli_file_open(&plant, a.plant) < 0) {
        cli_file_discard(&json);
        takt_balance_free(b);
        return EXIT_BAD_INPUT;
    }
    st = takt_balance_solve(b, a.time_limit, &message);
    if (st != TAKT_OK) {
        cli_file_discard(&json); cli_file_discard(&plant);
        takt_balance_free(b);
        return refused(st, message, "out of memory while balancing");
    }
    rc = EXIT_OK;
    if (!(a.json && !strcmp(a.json, "-"))) takt_balance_write(b, TAKT_FORMAT_TEXT, stdout);
    if (a.json) {
        if (takt_balance_write(b, TAKT_FORMAT_JSON, json.f) != TAKT_OK) {
            fprintf(stderr, "takt: cannot write '%s': %s\n", a.json, strerror(errno));
            cli_file_discard(&json);
            rc = EXIT_INTERNAL;
        } else if (cli_file_commit(&json) < 0) {
            rc = EXIT_INTERNAL;                 /* said why */
        }
    }
    if (rc == EXIT_OK && (a.plant || a.simulate)) rc = plant_and_simulate(&a, b, &plant);
    else cli_file_discard(&plant);
    takt_balance_free(b);
    return rc;
}
