/*
 * cmd_optimise.c — `takt optimise FILE --vary PATH=LO..HI ...`: integer
 * settings chosen for the most throughput under a budget (--total), or
 * the smallest total that reaches a target (--objective min-total
 * --target 'throughput>=N/h').  The search and the selection are in
 * src/exp/optimise.c; here: arguments, '*' in paths, the designs' plants
 * (through the loader's --set machinery), and the reports.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "exp/cluster.h"
#include "exp/optimise.h"
#include "io/jsonw.h"
#include "io/load.h"
#include "io/override.h"
#include "io/yaml_doc.h"
#include "io/yaml_write.h"

#define DEFAULT_CANDIDATES 8

typedef struct opt_args {
    const char *file, *json, *plant_out;
    opt_problem pr;
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
        "  --replications N    replications per design (default: the file's)\n"
        "  --seed S            base random seed, the same for every design (default: the file's)\n"
        "  --threads N         worker threads (default: all cores); results do not depend on it\n"
        "  --json PATH|-       write the JSON result to PATH, or to stdout instead of the text\n"
        "  --plant OUT.yaml    write the plant with the best settings applied\n"
        "  --quiet             no timing line on stderr\n", DEFAULT_CANDIDATES);
}

static void print_diags(const diags *d)
{
    char line[2048];
    for (int i = 0; i < d->n; i++) {
        diags_format(d, i, line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
}

/* ---- '*' in paths ------------------------------------------------------- */

typedef struct paths { char **v; int n; } paths;

static const ynode *child(const ynode *n, const char *seg)
{
    if (!n) return NULL;
    if (n->kind == YNODE_MAP) {
        for (int i = 0; i < n->n; i++)
            if (!strcmp(n->pairs[i].key->text, seg)) return n->pairs[i].value;
    } else if (n->kind == YNODE_SEQ) {
        for (int i = 0; i < n->n; i++) {
            const ynode *it = n->items[i];
            const ynode *nm = it->kind == YNODE_MAP ? child(it, "name") : NULL;
            if (nm && nm->kind == YNODE_SCALAR && !strcmp(nm->text, seg)) return it;
        }
        char *end;
        long k = strtol(seg, &end, 10);
        if (*seg && !*end && k >= 0 && k < n->n) return n->items[k];
    }
    return NULL;
}

static int push(paths *p, const char *s)
{
    char **v = realloc(p->v, sizeof(char *) * (size_t)(p->n + 1));
    if (!v) return -1;
    p->v = v;
    if (!(v[p->n] = strdup(s))) return -1;
    p->n++;
    return 0;
}

/* Expand rest (a dot path) below node n, with done the path so far. */
static int expand(const ynode *n, const char *done, const char *rest, paths *out)
{
    char seg[256], next[1024];
    const char *dot = strchr(rest, '.');
    size_t l = dot ? (size_t)(dot - rest) : strlen(rest);
    if (l >= sizeof seg) return -1;
    memcpy(seg, rest, l);
    seg[l] = 0;
    if (strcmp(seg, "*") != 0) {
        snprintf(next, sizeof next, "%s%s%s", done, *done ? "." : "", seg);
        if (!dot) return push(out, next);
        return expand(child(n, seg), next, dot + 1, out);
    }
    if (!n || n->kind == YNODE_SCALAR) return 0;
    for (int i = 0; i < n->n; i++) {
        char name[256];
        const ynode *it;
        if (n->kind == YNODE_MAP) {
            snprintf(name, sizeof name, "%s", n->pairs[i].key->text);
            it = n->pairs[i].value;
        } else {
            it = n->items[i];
            const ynode *nm = it->kind == YNODE_MAP ? child(it, "name") : NULL;
            if (nm && nm->kind == YNODE_SCALAR) snprintf(name, sizeof name, "%s", nm->text);
            else snprintf(name, sizeof name, "%d", i);
        }
        snprintf(next, sizeof next, "%s%s%s", done, *done ? "." : "", name);
        if (!dot) { if (push(out, next)) return -1; }
        else if (expand(it, next, dot + 1, out)) return -1;
    }
    return 0;
}

/* ---- arguments ------------------------------------------------------------ */

typedef struct vary { const char *arg; } vary;

static int parse_range(const char *s, long *lo, long *hi)
{
    char *end;
    errno = 0;
    *lo = strtol(s, &end, 10);
    if (errno || end == s || strncmp(end, "..", 2) != 0) return -1;
    s = end + 2;
    *hi = strtol(s, &end, 10);
    if (errno || end == s || *end) return -1;
    return 0;
}

/* "throughput>=45/h" (also /min, /s, /d, or a bare number per hour). */
static int parse_target(const char *s, double *per_hour)
{
    const char *p = strstr(s, ">=");
    if (strncmp(s, "throughput", 10) != 0 || !p) return -1;
    char *end;
    errno = 0;
    double v = strtod(p + 2, &end);
    if (errno || end == p + 2 || !(v > 0)) return -1;
    double f;
    if (!*end || !strcmp(end, "/h")) f = 1;
    else if (!strcmp(end, "/min")) f = 60;
    else if (!strcmp(end, "/s")) f = 3600;
    else if (!strcmp(end, "/d")) f = 1.0 / 24;
    else return -1;
    *per_hour = v * f;
    return 0;
}

static int add_decisions(opt_args *a, const ydoc *doc, const char *arg)
{
    const char *eq = strrchr(arg, '=');
    long lo, hi;
    if (!eq || eq == arg || parse_range(eq + 1, &lo, &hi))
        return usage_error("--vary '%s': expected PATH=LO..HI with whole numbers, "
                           "e.g. buffers.*.capacity=0..20", arg);
    char path[1024];
    size_t l = (size_t)(eq - arg);
    if (l >= sizeof path) return usage_error("--vary: path too long");
    memcpy(path, arg, l);
    path[l] = 0;
    paths ps = {0};
    if (expand(doc->root, "", path, &ps)) return usage_error("--vary '%s': bad path", arg);
    if (ps.n == 0) {
        free(ps.v);
        return usage_error("--vary '%s': '*' matches nothing in %s", arg, a->file);
    }
    int rc = 0;
    for (int i = 0; i < ps.n; i++) {
        int dup = 0;
        for (int k = 0; k < a->pr.n; k++) dup |= !strcmp(a->pr.d[k].path, ps.v[i]);
        if (dup) { rc = usage_error("--vary: '%s' is varied twice", ps.v[i]); }
        else if (!rc && a->pr.n == OPT_MAX_DECISIONS)
            rc = usage_error("--vary: at most %d settings", OPT_MAX_DECISIONS);
        if (rc) { free(ps.v[i]); continue; }
        a->pr.d[a->pr.n].path = ps.v[i];
        a->pr.d[a->pr.n].lo = lo;
        a->pr.d[a->pr.n].hi = hi;
        a->pr.n++;
    }
    free(ps.v);
    return rc;
}

static int parse_args(int argc, char **argv, opt_args *a, const char **varies, int *nvary)
{
    static const char *const valued[] = { "--vary", "--total", "--objective", "--target",
        "--candidates", "--replications", "--seed", "--threads", "--json", "--plant", NULL };
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
            if (*nvary == OPT_MAX_DECISIONS) return usage_error("too many --vary options");
            varies[(*nvary)++] = v;
        } else if (!strcmp(name, "--total")) {
            if (cli_parse_long(v, 0, 1000000000LL, &n)) return usage_error("--total needs a whole number >= 0, got '%s'", v);
            a->pr.total = (long)n;
        } else if (!strcmp(name, "--objective")) {
            if (!strcmp(v, "max-throughput")) a->pr.objective = OPT_MAX_THROUGHPUT;
            else if (!strcmp(v, "min-total")) a->pr.objective = OPT_MIN_TOTAL;
            else return usage_error("--objective: expected max-throughput or min-total, got '%s'", v);
        } else if (!strcmp(name, "--target")) {
            if (parse_target(v, &a->pr.target_per_hour))
                return usage_error("--target: expected 'throughput>=N/h' (or /min, /s, /d), got '%s'", v);
        } else if (!strcmp(name, "--candidates")) {
            if (cli_parse_long(v, 1, 60, &n)) return usage_error("--candidates needs 1..60, got '%s'", v);
            a->pr.candidates = (int)n;
        } else if (!strcmp(name, "--replications")) {
            if (cli_parse_long(v, 2, 100000, &n)) return usage_error("--replications needs 2..100000, got '%s'", v);
            a->pr.run.replications = (int)n;
        } else if (!strcmp(name, "--seed")) {
            errno = 0;
            unsigned long long s = strtoull(v, &end, 10);
            if (errno || end == v || *end || v[0] == '-') return usage_error("--seed needs a whole number >= 0, got '%s'", v);
            a->pr.run.seed = s;
            a->pr.run.have_seed = 1;
        } else if (!strcmp(name, "--threads")) {
            if (cli_parse_long(v, 1, 4096, &n)) return usage_error("--threads needs 1..4096, got '%s'", v);
            a->pr.run.threads = (int)n;
        } else if (!strcmp(name, "--json")) a->json = v;
        else if (!strcmp(name, "--plant")) a->plant_out = v;
    }
    if (!a->file) return usage_error("optimise needs a plant file: takt optimise FILE --vary PATH=LO..HI");
    if (*nvary == 0) return usage_error("optimise needs at least one --vary PATH=LO..HI (e.g. --vary 'buffers.*.capacity=0..20')");
    if (a->pr.target_per_hour > 0 && a->pr.objective != OPT_MIN_TOTAL)
        return usage_error("--target goes with --objective min-total");
    return 0;
}

/* ---- designs ---------------------------------------------------------------- */

static takt_plant *build_design(void *ctx, const char *const *sets, int n, char *err, int errlen)
{
    const opt_args *a = ctx;
    diags d;
    diags_init(&d, a->file);
    takt_plant *p = load_plant_file_with(a->file, sets, n, &d);
    if (!p && d.n > 0) diags_format(&d, 0, err, (size_t)errlen);
    else if (!p) snprintf(err, (size_t)errlen, "out of memory");
    diags_free(&d);
    return p;
}

/* ---- reports ------------------------------------------------------------------ */

static const char *objective_name(const opt_problem *pr)
{
    return pr->objective == OPT_MIN_TOTAL ? "min-total" : "max-throughput";
}

static void json_design(jsonw *w, const char *key, const opt_problem *pr, const opt_design *d)
{
    jw_obj(w, key);
    jw_obj(w, "settings");
    for (int i = 0; i < pr->n; i++) jw_int(w, pr->d[i].path, d->x[i]);
    jw_end(w);
    jw_kpi(w, "throughput_per_hour", d->throughput_per_hour.mean, d->throughput_per_hour.ci95);
    long s = 0;
    for (int i = 0; i < pr->n; i++) s += d->x[i];
    jw_int(w, "total", s);
    jw_end(w);
}

static int write_json(FILE *f, const opt_problem *pr, const opt_result *r)
{
    jsonw w;
    jw_init(&w, f, 1);
    jw_obj(&w, NULL);
    jw_str(&w, "objective", objective_name(pr));
    if (pr->objective == OPT_MIN_TOTAL) jw_num(&w, "target_per_hour", pr->target_per_hour);
    json_design(&w, "best", pr, &r->best);
    jw_arr(&w, "tied");
    for (int i = 0; i < r->ntied; i++) json_design(&w, NULL, pr, &r->tied[i]);
    jw_end(&w);
    jw_int(&w, "evaluated", r->evaluated);
    jw_int(&w, "estimated", r->estimated);
    jw_str(&w, "search", r->by_estimate ? "estimate" : "simulation");
    jw_end(&w);
    fputc('\n', f);
    return ferror(f) ? -1 : 0;
}

static void text_design(FILE *f, const opt_problem *pr, const opt_design *d)
{
    long s = 0;
    for (int i = 0; i < pr->n; i++) {
        fprintf(f, "%s%s=%ld", i ? ", " : "", pr->d[i].path, d->x[i]);
        s += d->x[i];
    }
    fprintf(f, "\n      throughput %.4g ± %.3g /h, total %ld\n",
            d->throughput_per_hour.mean, d->throughput_per_hour.ci95, s);
}

static int write_text(FILE *f, const opt_problem *pr, const opt_result *r)
{
    fprintf(f, "Optimised (%s", objective_name(pr));
    if (pr->objective == OPT_MIN_TOTAL) fprintf(f, ", target %g/h", pr->target_per_hour);
    fprintf(f, "): searched with the %s, %ld design%s simulated with common random numbers",
            r->by_estimate ? "analytic estimate" : "simulation", r->evaluated,
            r->evaluated == 1 ? "" : "s");
    if (r->estimated) fprintf(f, ", %ld estimated", r->estimated);
    fprintf(f, "\n\nbest: ");
    text_design(f, pr, &r->best);
    if (r->ntied == 0) fprintf(f, "\nNo other design is statistically tied with it (paired 95 %%).\n");
    else fprintf(f, "\nStatistically tied with it (not significantly worse, paired 95 %%):\n");
    for (int i = 0; i < r->ntied; i++) { fprintf(f, "  - "); text_design(f, pr, &r->tied[i]); }
    return ferror(f) ? -1 : 0;
}

static int write_plant(const opt_args *a, const opt_result *r)
{
    cli_file o = {0};
    char *buf = malloc((size_t)a->pr.n * 512);
    const char *sets[OPT_MAX_DECISIONS];
    if (!buf) return EXIT_INTERNAL;
    for (int i = 0; i < a->pr.n; i++) {
        optimise_setting(&a->pr, i, r->best.x[i], buf + i * 512, 512);
        sets[i] = buf + i * 512;
    }
    int rc = EXIT_OK;
    if (cli_file_open(&o, a->plant_out) < 0) { free(buf); return EXIT_BAD_INPUT; }
    diags d;
    diags_init(&d, a->file);
    int w = plant_file_write_with(o.f, a->file, sets, a->pr.n, &d);
    if (w == -1) { print_diags(&d); rc = EXIT_INTERNAL; }
    if (w == -2) { fprintf(stderr, "takt: cannot write '%s'\n", a->plant_out); rc = EXIT_INTERNAL; }
    if (rc != EXIT_OK) cli_file_discard(&o);
    else if (cli_file_commit(&o) < 0) {
        rc = EXIT_INTERNAL;                     /* said why */
    }
    diags_free(&d);
    free(buf);
    return rc;
}

static int report(const opt_args *a, const opt_result *r)
{
    int rc = EXIT_OK;
    if (!(a->json && !strcmp(a->json, "-")) && write_text(stdout, &a->pr, r) < 0) rc = EXIT_INTERNAL;
    if (a->json) {
        cli_file o = {0};
        if (cli_file_open(&o, a->json) < 0) return EXIT_BAD_INPUT;
        if (write_json(o.f, &a->pr, r) < 0) {
            fprintf(stderr, "takt: cannot write '%s'\n", a->json);
            cli_file_discard(&o);
            rc = EXIT_INTERNAL;
        } else if (cli_file_commit(&o) < 0) {  /* said why */
            rc = EXIT_INTERNAL;
        }
    }
    if (a->plant_out && rc == EXIT_OK) rc = write_plant(a, r);
    return rc;
}

/* ---- the command ------------------------------------------------------------ */

static int read_doc(const char *file, ydoc *doc, char **text)
{
    size_t len;
    diags d;
    diags_init(&d, file);
    *text = cli_slurp(file, &len);
    if (!*text) {
        fprintf(stderr, "takt: cannot read '%s': %s\n", file, strerror(errno));
        diags_free(&d);
        return -1;
    }
    if (ydoc_parse(doc, *text, len, &d)) {
        print_diags(&d);
        diags_free(&d);
        return -1;
    }
    diags_free(&d);
    return 0;
}

int cmd_optimise(int argc, char **argv)
{
    opt_args a;
    memset(&a, 0, sizeof a);
    exp_options_default(&a.pr.run);
    a.pr.total = -1;
    a.pr.candidates = DEFAULT_CANDIDATES;
    const char *varies[OPT_MAX_DECISIONS];
    int nvary = 0;
    int rc = parse_args(argc, argv, &a, varies, &nvary);
    if (rc < 0) return EXIT_OK;     /* --help */
    if (rc) return rc;
    ydoc doc;
    char *text = NULL;
    memset(&doc, 0, sizeof doc);
    if (read_doc(a.file, &doc, &text)) { ydoc_free(&doc); free(text); return EXIT_BAD_INPUT; }
    for (int i = 0; i < nvary && rc == 0; i++) rc = add_decisions(&a, &doc, varies[i]);
    ydoc_free(&doc);
    free(text);
    char err[1024];
    if (rc == 0 && optimise_check(&a.pr, err, sizeof err)) rc = usage_error("optimise: %s", err);
    if (rc == 0) {
        /* every path must name a setting of the plant: try the low ends */
        long lo[OPT_MAX_DECISIONS];
        for (int i = 0; i < a.pr.n; i++) lo[i] = a.pr.d[i].lo;
        char *buf = malloc((size_t)a.pr.n * 512);
        const char *sets[OPT_MAX_DECISIONS];
        for (int i = 0; buf && i < a.pr.n; i++) {
            optimise_setting(&a.pr, i, lo[i], buf + i * 512, 512);
            sets[i] = buf + i * 512;
        }
        diags d;
        diags_init(&d, a.file);
        takt_plant *p = buf ? load_plant_file_with(a.file, sets, a.pr.n, &d) : NULL;
        if (!p) {
            fprintf(stderr, "takt: optimise: the settings at the low ends of the ranges do not make a valid plant:\n");
            print_diags(&d);
            rc = EXIT_BAD_INPUT;
        }
        takt_plant_free(p);
        diags_free(&d);
        free(buf);
    }
    if (rc == 0 && a.json && strcmp(a.json, "-") && parent_writable(a.json) < 0)
        rc = usage_error("--json '%s': cannot write there", a.json);
    if (rc == 0 && a.plant_out && parent_writable(a.plant_out) < 0)
        rc = usage_error("--plant '%s': cannot write there", a.plant_out);
    if (rc) { optimise_problem_free(&a.pr); return rc; }
    a.pr.build = build_design;
    a.pr.ctx = &a;
    a.pr.run.stop = &cli_stop;
    opt_result r;
    double t0 = cli_now();
    cli_signals_soft(1);                /* a signal stops the run in order */
    int s = optimise_run(&a.pr, &r);
    cli_signals_soft(0);
    if (s == EXP_NOT_ROOT) rc = EXIT_OK;
    else if (s == -2) { fprintf(stderr, "takt: interrupted: nothing was written\n"); rc = EXIT_INTERRUPTED; }
    else if (s == -4 || s == -5) { fprintf(stderr, "takt: optimise: %s\n", r.message); rc = EXIT_BAD_INPUT; }
    else if (s != 0) { fprintf(stderr, "takt: out of memory\n"); rc = EXIT_INTERNAL; }
    else {
        rc = report(&a, &r);
        if (!a.quiet)
            fprintf(stderr, "takt: %ld designs simulated, %ld estimated in %.2f s\n",
                    r.evaluated, r.estimated, cli_now() - t0);
    }
    if (s == 0) optimise_result_free(&r, a.pr.n);
    optimise_problem_free(&a.pr);
    return rc;
}
