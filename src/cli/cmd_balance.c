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
#include "balance/bounds.h"
#include "balance/solve.h"
#include "balance/tasks.h"
#include "io/balance_plant.h"
#include "io/balance_report.h"
#include "io/yaml_doc.h"
#include "io/distparse.h"
#include "io/load_tasks.h"
#include "exp/summary.h"

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

static int parse_args(int argc, char **argv, balance_args *a)
{
    memset(a, 0, sizeof *a);
    a->time_limit = 10;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v;
        char err[256];
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
            if (parse_duration(v, &a->takt_s, err, sizeof err) < 0) return usage_error("--takt: %s", err);
            if (!(a->takt_s > 0) || a->takt_s > 1e9) return usage_error("--takt must be more than 0 and at most 1e9 s, got '%s'", v);
        } else if (cli_is_opt(arg, "--stations")) {
            NEED("--stations");
            if (cli_parse_long(v, 1, 100000, &n) < 0)
                return usage_error("--stations must be a whole number from 1 to 100000, got '%s'", v);
            a->stations = n;
        } else if (cli_is_opt(arg, "--time-limit")) {
            NEED("--time-limit");
            if (parse_duration(v, &a->time_limit, err, sizeof err) < 0) return usage_error("--time-limit: %s", err);
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

static void print_diags(const diags *d)
{
    char line[2048];
    for (int i = 0; i < d->n; i++) {
        diags_format(d, i, line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
}

/* A node of the graph that cannot fit the takt: name its tasks. */
static int too_long(const balance_args *a, const bal_tasks *t, const int *node_of, int node, double takt)
{
    int first = -1, count = 0;
    double sum = 0;
    for (int i = 0; i < t->n; i++) if (node_of[i] == node) { if (first < 0) first = i; count++; sum += t->time_s[i]; }
    int line = t->line ? t->line[first] : 0, col = t->col ? t->col[first] : 0;
    if (count == 1)
        fprintf(stderr, "%s:%d:%d: task '%s' takes %.6gs, longer than the takt %.6gs: no station can hold it\n",
                a->file, line, col, t->name[first], sum, takt);
    else
        fprintf(stderr, "%s:%d:%d: the tasks zoned together with '%s' take %.6gs in all, longer than the takt %.6gs\n",
                a->file, line, col, t->name[first], sum, takt);
    return EXIT_BAD_INPUT;
}

/* Simulate the plant text and say what takt the line reaches. */
static int simulate(const char *text, size_t len, const bal_outcome *o, int quiet)
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
    printf("takt target       %.6gs\n", o->takt_s);
    printf("takt achieved     %.6gs ± %.3gs (95 %% CI)  (%.6g ± %.3g parts/h)\n", achieved, achieved_hw, th, hw);
    printf("reached           %.1f %% of the target rate\n", th > 0 ? 100.0 * o->takt_s / achieved : 0.0);
    if (!quiet) fprintf(stderr, "takt: simulated in %.2f s\n", cli_now() - t0);
    takt_result_free(r);
    takt_plant_free(p);
    return EXIT_OK;
}

static int plant_and_simulate(const balance_args *a, const bal_outcome *o, const ydoc *tmpl, cli_file *plant)
{
    if (a->plant) {
        if (bal_write_plant(plant->f, o, tmpl, a->file) < 0) {
            fprintf(stderr, "takt: cannot write '%s': %s\n", a->plant, strerror(errno));
            cli_file_discard(plant);
            return EXIT_INTERNAL;
        }
        if (cli_file_commit(plant) < 0) return EXIT_INTERNAL;   /* said why */
    }
    if (!a->simulate) return EXIT_OK;
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) return EXIT_INTERNAL;
    int wrc = bal_write_plant(m, o, tmpl, a->file);
    if (fclose(m) != 0 || wrc < 0) { free(text); return EXIT_INTERNAL; }
    int rc = simulate(text, len, o, a->quiet);
    free(text);
    return rc;
}

int cmd_balance(int argc, char **argv)
{
    balance_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc) return rc;
    ydoc tmpl = { 0 };
    if (a.template_path) {
        char *errors = NULL;
        takt_plant *p = takt_load(a.template_path, &errors);
        if (!p) {
            fputs(errors ? errors : "takt: cannot load the template\n", stderr);
            free(errors);
            return EXIT_BAD_INPUT;
        }
        takt_plant_free(p);
        diags td;
        diags_init(&td, a.template_path);
        if (bal_template_read(&tmpl, a.template_path, &td) < 0) {
            print_diags(&td);
            diags_free(&td);
            ydoc_free(&tmpl);
            return EXIT_BAD_INPUT;
        }
        diags_free(&td);
    }
    bal_tasks t;
    diags d;
    diags_init(&d, a.file);
    if (load_tasks_file(a.file, &t, &d) < 0) {
        print_diags(&d);
        diags_free(&d);
        ydoc_free(&tmpl);
        return EXIT_BAD_INPUT;
    }
    diags_free(&d);
    int problem;
    double takt = 0;
    int stations = 0;
    if (a.takt_s > 0) { problem = 1; takt = a.takt_s; }
    else if (a.stations) { problem = 2; stations = (int)a.stations; }
    else if (t.takt_s > 0 && !t.stations) { problem = 1; takt = t.takt_s; }
    else if (t.stations) { problem = 2; stations = t.stations; }
    else {
        fprintf(stderr, "%s:1:1: no cycle time: give 'takt' (or 'stations') in the file, or --takt (or --stations)\n", a.file);
        bal_tasks_free(&t);
        ydoc_free(&tmpl);
        return EXIT_BAD_INPUT;
    }
    bal_graph g;
    int *node_of = NULL, bad = 0;
    rc = bal_tasks_graph(&t, &g, &node_of, &bad);
    if (rc == -2) {
        fprintf(stderr, "%s:%d:%d: the precedence has a cycle through task '%s'\n", a.file,
                t.line ? t.line[bad] : 0, t.col ? t.col[bad] : 0, t.name[bad]);
        bal_tasks_free(&t);
        ydoc_free(&tmpl);
        return EXIT_BAD_INPUT;
    }
    if (rc < 0) { fprintf(stderr, "takt: out of memory\n"); bal_tasks_free(&t); ydoc_free(&tmpl); return EXIT_INTERNAL; }
    int64_t c = problem == 1 ? bal_tasks_units(&t, takt) : 0;
    if (problem == 1) {
        if (c < 1) c = 1;
        for (int k = 0; k < g.n; k++)
            if (g.t[k] > c) {
                rc = too_long(&a, &t, node_of, k, takt);
                goto out;
            }
    }
    cli_file json = { 0 }, plant = { 0 };
    if (a.json && cli_file_open(&json, a.json) < 0) { rc = EXIT_BAD_INPUT; goto out; }
    if (a.plant && cli_file_open(&plant, a.plant) < 0) { cli_file_discard(&json); rc = EXIT_BAD_INPUT; goto out; }

    bal_answer ans;
    rc = problem == 1 ? bal_salbp1(&g, c, a.time_limit, &ans) : bal_salbp2(&g, stations, a.time_limit, &ans);
    if (rc < 0) {
        fprintf(stderr, "takt: out of memory while balancing\n");
        cli_file_discard(&json); cli_file_discard(&plant);
        rc = EXIT_INTERNAL;
        goto out;
    }
    int *station = malloc(((size_t)t.n + 1) * sizeof *station);
    if (!station) { bal_answer_free(&ans); cli_file_discard(&json); cli_file_discard(&plant); rc = EXIT_INTERNAL; goto out; }
    for (int i = 0; i < t.n; i++) station[i] = ans.station[node_of[i]];
    bal_outcome o = {
        .tasks = &t, .problem = problem, .stations = ans.stations, .station = station,
        .optimal = ans.optimal, .timed_out = ans.timed_out, .seconds = ans.seconds, .nodes = ans.nodes,
    };
    if (problem == 1) { o.takt_s = takt; o.lower_bound = ans.lower_bound; }
    else { o.takt_s = (double)ans.cycle * t.unit_s; o.lower_bound = (double)ans.cycle_bound * t.unit_s; }
    rc = EXIT_OK;
    if (!(a.json && !strcmp(a.json, "-"))) bal_report_text(stdout, &o);
    if (a.json) {
        if (bal_report_json(json.f, &o) < 0) {
            fprintf(stderr, "takt: cannot write '%s': %s\n", a.json, strerror(errno));
            cli_file_discard(&json);
            rc = EXIT_INTERNAL;
        } else if (cli_file_commit(&json) < 0) {
            rc = EXIT_INTERNAL;                 /* said why */
        }
    }
    if (rc == EXIT_OK && (a.plant || a.simulate))
        rc = plant_and_simulate(&a, &o, a.template_path ? &tmpl : NULL, &plant);
    else cli_file_discard(&plant);
    free(station);
    bal_answer_free(&ans);
out:
    free(node_of);
    bal_graph_free(&g);
    bal_tasks_free(&t);
    ydoc_free(&tmpl);
    return rc;
}
