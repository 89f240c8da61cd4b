/*
 * api_optimise.c — choosing integer settings of a plant file through
 * takt.h: the decisions ("PATH=LO..HI", '*' expanded over the file's
 * elements), the budget or target, the checks made before any long run,
 * and the run itself (src/exp/optimise.c), each design a plant loaded
 * with the loader's --set machinery.  The reports are api_optimise_report.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api_optimise.h"
#include "io/override.h"
#include "io/yaml_write.h"

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

/* ---- the problem ---------------------------------------------------------- */

static char *api_opt_printed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *api_opt_printed(const char *fmt, ...)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) return NULL;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(m, fmt, ap);
    va_end(ap);
    if (fclose(m) != 0) { free(text); return NULL; }
    return text;
}

static void set_message(char **message, char *text)
{
    if (message) *message = text;
    else free(text);
}

/* d's problems, one line each ending in a newline, after head. */
static char *diag_lines(const char *head, const diags *d)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) return NULL;
    if (head) fputs(head, m);
    char line[2048];
    for (int i = 0; i < d->n; i++) {
        diags_format(d, i, line, sizeof line);
        fprintf(m, "%s\n", line);
    }
    if (fclose(m) != 0) { free(text); return NULL; }
    return text;
}

takt_status takt_optimise_new(const char *path, takt_optimise **out, char **message)
{
    if (message) *message = NULL;
    if (!out || !path) return TAKT_EBADINPUT;
    *out = NULL;
    takt_optimise *o = calloc(1, sizeof *o);
    if (!o || !(o->file = strdup(path))) { free(o); return TAKT_ENOMEM; }
    exp_options_default(&o->pr.run);
    o->pr.total = -1;
    o->pr.candidates = TAKT_OPTIMISE_CANDIDATES;
    FILE *f = fopen(path, "rb");
    size_t len = 0;
    FILE *m = f ? open_memstream(&o->text, &len) : NULL;
    char buf[65536];
    for (size_t k; m && (k = fread(buf, 1, sizeof buf, f)) > 0; ) fwrite(buf, 1, k, m);
    int err = errno;
    if (m && fclose(m) != 0) { free(o->text); o->text = NULL; }
    if (f) fclose(f);
    if (!o->text) {
        set_message(message, api_opt_printed("cannot read '%s': %s", path, strerror(err)));
        takt_optimise_free(o);
        return TAKT_EIO;
    }
    diags d;
    diags_init(&d, path);
    if (ydoc_parse(&o->doc, o->text, len, &d)) {
        takt_status st = d.n ? TAKT_EBADINPUT : TAKT_ENOMEM;
        set_message(message, diag_lines(NULL, &d));
        diags_free(&d);
        takt_optimise_free(o);
        return st;
    }
    diags_free(&d);
    *out = o;
    return TAKT_OK;
}

void takt_optimise_free(takt_optimise *o)
{
    if (!o) return;
    if (o->have_result) optimise_result_free(&o->r, o->pr.n);
    optimise_problem_free(&o->pr);
    ydoc_free(&o->doc);
    free(o->text);
    free(o->file);
    free(o);
}

takt_status takt_optimise_vary(takt_optimise *o, const char *decision, char **message)
{
    if (message) *message = NULL;
    if (!o || !decision || o->have_result) return TAKT_EBADINPUT;
    const char *eq = strrchr(decision, '=');
    long lo, hi;
    if (!eq || eq == decision || parse_range(eq + 1, &lo, &hi)) {
        set_message(message, api_opt_printed("--vary '%s': expected PATH=LO..HI with whole numbers, "
                                             "e.g. buffers.*.capacity=0..20", decision));
        return TAKT_EBADINPUT;
    }
    char path[1024];
    size_t l = (size_t)(eq - decision);
    if (l >= sizeof path) { api_message(message, "--vary: path too long"); return TAKT_EBADINPUT; }
    memcpy(path, decision, l);
    path[l] = 0;
    paths ps = {0};
    if (expand(o->doc.root, "", path, &ps)) {
        for (int i = 0; i < ps.n; i++) free(ps.v[i]);
        free(ps.v);
        set_message(message, api_opt_printed("--vary '%s': bad path", decision));
        return TAKT_EBADINPUT;
    }
    if (ps.n == 0) {
        free(ps.v);
        set_message(message, api_opt_printed("--vary '%s': '*' matches nothing in %s", decision, o->file));
        return TAKT_EBADINPUT;
    }
    /* Every refusal is said, one line each, as the paths are taken. */
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    int refused = 0;
    for (int i = 0; i < ps.n; i++) {
        int dup = 0;
        for (int k = 0; k < o->pr.n; k++) dup |= !strcmp(o->pr.d[k].path, ps.v[i]);
        if (dup) {
            if (m) fprintf(m, "%s--vary: '%s' is varied twice", refused ? "\n" : "", ps.v[i]);
            refused = 1;
        } else if (!refused && o->pr.n == OPT_MAX_DECISIONS) {
            if (m) fprintf(m, "--vary: at most %d settings", OPT_MAX_DECISIONS);
            refused = 1;
        }
        if (refused) { free(ps.v[i]); continue; }
        o->pr.d[o->pr.n].path = ps.v[i];
        o->pr.d[o->pr.n].lo = lo;
        o->pr.d[o->pr.n].hi = hi;
        o->pr.n++;
    }
    free(ps.v);
    if (m && fclose(m) != 0) { free(text); text = NULL; }
    if (!refused) { free(text); return TAKT_OK; }
    set_message(message, text);
    return TAKT_EBADINPUT;
}

int takt_optimise_decision_count(const takt_optimise *o) { return o ? o->pr.n : 0; }

const char *takt_optimise_decision(const takt_optimise *o, int i)
{
    return o && i >= 0 && i < o->pr.n ? o->pr.d[i].path : NULL;
}

takt_status takt_optimise_set_total(takt_optimise *o, long total)
{
    if (!o || total < -1) return TAKT_EBADINPUT;
    o->pr.total = total;
    return TAKT_OK;
}

takt_status takt_optimise_set_objective(takt_optimise *o, takt_objective objective)
{
    if (!o || (objective != TAKT_MAX_THROUGHPUT && objective != TAKT_MIN_TOTAL)) return TAKT_EBADINPUT;
    o->pr.objective = objective == TAKT_MIN_TOTAL ? OPT_MIN_TOTAL : OPT_MAX_THROUGHPUT;
    return TAKT_OK;
}

takt_status takt_optimise_set_target(takt_optimise *o, double per_hour)
{
    if (!o || !(per_hour > 0)) return TAKT_EBADINPUT;
    o->pr.target_per_hour = per_hour;
    return TAKT_OK;
}

takt_status takt_optimise_set_candidates(takt_optimise *o, int candidates)
{
    if (!o || candidates < 1 || candidates > 60) return TAKT_EBADINPUT;
    o->pr.candidates = candidates;
    return TAKT_OK;
}

takt_status takt_optimise_set_selection(takt_optimise *o, double indifference_per_hour,
                                       int max_replications)
{
    if (!o || !(indifference_per_hour >= 0) || max_replications < 0 || max_replications == 1)
        return TAKT_EBADINPUT;
    o->pr.indifference = indifference_per_hour;
    o->pr.max_replications = max_replications;
    return TAKT_OK;
}

takt_status takt_optimise_check(const takt_optimise *o, char **message)
{
    if (message) *message = NULL;
    if (!o) return TAKT_EBADINPUT;
    if (o->pr.n == 0) { api_message(message, "no setting to vary"); return TAKT_EBADINPUT; }
    char err[1024];
    if (optimise_check(&o->pr, err, sizeof err)) { api_message(message, err); return TAKT_EBADINPUT; }
    return TAKT_OK;
}

/* "PATH=VALUE" of every decision at x, in buf (n * 512 bytes). */
static void settings_at(const opt_problem *pr, const long *x, char *buf, const char **sets)
{
    for (int i = 0; i < pr->n; i++) {
        optimise_setting(pr, i, x[i], buf + i * 512, 512);
        sets[i] = buf + i * 512;
    }
}

takt_status takt_optimise_check_plant(const takt_optimise *o, char **message)
{
    if (message) *message = NULL;
    if (!o) return TAKT_EBADINPUT;
    long lo[OPT_MAX_DECISIONS];
    for (int i = 0; i < o->pr.n; i++) lo[i] = o->pr.d[i].lo;
    char *buf = malloc((size_t)o->pr.n * 512 + 1);
    const char *sets[OPT_MAX_DECISIONS];
    if (!buf) return TAKT_ENOMEM;
    settings_at(&o->pr, lo, buf, sets);
    diags d;
    diags_init(&d, o->file);
    takt_plant *p = load_plant_file_with(o->file, sets, o->pr.n, &d);
    takt_status st = TAKT_OK;
    if (!p) {
        st = TAKT_EBADINPUT;
        set_message(message, diag_lines("the settings at the low ends of the ranges do not make a valid plant:\n", &d));
    }
    takt_plant_free(p);
    diags_free(&d);
    free(buf);
    return st;
}

static takt_plant *build_design(void *ctx, const char *const *sets, int n, char *err, int errlen)
{
    const takt_optimise *o = ctx;
    diags d;
    diags_init(&d, o->file);
    takt_plant *p = load_plant_bytes_with(o->text, strlen(o->text), o->file, sets, n, &d);
    if (!p && d.n > 0) diags_format(&d, 0, err, errlen);
    else if (!p) snprintf(err, (size_t)errlen, "out of memory");
    diags_free(&d);
    return p;
}

takt_status takt_optimise_run(takt_optimise *o, const takt_options *opt, char **message)
{
    if (message) *message = NULL;
    if (!o || o->have_result) return TAKT_EBADINPUT;
    takt_status st = takt_optimise_check(o, message);
    if (st != TAKT_OK) return st;
    api_exp_options(opt, &o->pr.run);
    o->pr.build = build_design;
    o->pr.ctx = o;
    int s = optimise_run(&o->pr, &o->r);
    if (s == 0) { o->have_result = 1; return TAKT_OK; }
    if (s == EXP_NOT_ROOT) return TAKT_ENOTROOT;
    if (s == -2) return TAKT_EINTERRUPTED;
    if (s == -4 || s == -5) { api_message(message, o->r.message); return TAKT_EBADINPUT; }
    return TAKT_ENOMEM;
}

/* ---- the result ------------------------------------------------------------ */

const opt_design *api_opt_design(const takt_optimise *o, int design)
{
    if (!o || !o->have_result || design < 0 || design > o->r.ntied) return NULL;
    return design == 0 ? &o->r.best : &o->r.tied[design - 1];
}

int takt_optimise_design_count(const takt_optimise *o)
{
    return o && o->have_result ? 1 + o->r.ntied : 0;
}

takt_status takt_optimise_design_value(const takt_optimise *o, int design, int decision,
                                       long *value)
{
    const opt_design *d = api_opt_design(o, design);
    if (!d || decision < 0 || decision >= o->pr.n) return TAKT_ENOTFOUND;
    if (value) *value = d->x[decision];
    return TAKT_OK;
}

takt_status takt_optimise_design_throughput(const takt_optimise *o, int design, double *mean,
                                            double *ci95)
{
    const opt_design *d = api_opt_design(o, design);
    if (!d) return TAKT_ENOTFOUND;
    if (mean) *mean = d->throughput_per_hour.mean;
    if (ci95) *ci95 = d->throughput_per_hour.ci95;
    return TAKT_OK;
}

long takt_optimise_simulated(const takt_optimise *o) { return o && o->have_result ? o->r.evaluated : 0; }
long takt_optimise_estimated(const takt_optimise *o) { return o && o->have_result ? o->r.estimated : 0; }
long takt_optimise_replications(const takt_optimise *o)
{
    return o && o->have_result ? o->r.replications : 0;
}

int takt_optimise_by_estimate(const takt_optimise *o)
{
    return o && o->have_result ? o->r.by_estimate : 0;
}

takt_status takt_optimise_write_plant(const takt_optimise *o, FILE *f, char **message)
{
    if (message) *message = NULL;
    if (!o || !o->have_result || !f) return TAKT_EBADINPUT;
    char *buf = malloc((size_t)o->pr.n * 512 + 1);
    const char *sets[OPT_MAX_DECISIONS];
    if (!buf) return TAKT_ENOMEM;
    settings_at(&o->pr, o->r.best.x, buf, sets);
    diags d;
    diags_init(&d, o->file);
    int w = plant_file_write_with(f, o->file, sets, o->pr.n, &d);
    takt_status st = TAKT_OK;
    if (w == -1) { st = TAKT_EBADINPUT; set_message(message, diag_lines(NULL, &d)); }
    if (w == -2) st = TAKT_EIO;
    diags_free(&d);
    free(buf);
    return st;
}
