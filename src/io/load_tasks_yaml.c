/*
 * load_tasks_yaml.c — the YAML task file of `takt balance` (docs/balance.md):
 *
 *   name: final assembly, trim 1
 *   takt: 76s                      # or stations: 12
 *   products: [{name: SU7, share: 0.6}, {name: YU7, share: 0.4}]
 *   tasks:
 *     - {name: harness, time: 42s}
 *     - {name: seats, time: {SU7: 38s, YU7: 47s}, after: [harness], cv: 0.1}
 *   zones: {together: [[a, b]], apart: [[c, d]]}
 *
 * Every problem is reported at its line and column; names that are not
 * known get a "did you mean".  Times are kept to the millisecond.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "distparse.h"
#include "load_tasks.h"
#include "suggest.h"
#include "yaml_doc.h"

typedef struct reader {
    diags *d;
    bal_tasks *t;
    const ynode **after;        /* each task's 'after' node (or NULL)        */
    const ynode **node;         /* each task's entry                         */
    int errors;
} reader;

#define ERR(R, n, ...) do { diags_add((R)->d, (n)->line, (n)->col, __VA_ARGS__); (R)->errors++; } while (0)

static const char *describe(const ynode *n, char *buf, size_t len) { return ynode_describe(n, buf, len); }

static int is_text(const ynode *n) { return n && n->kind == YNODE_SCALAR && !ynode_is_null(n); }

/* Unknown key check with a suggestion; returns 1 when key is one of keys. */
static int known_key(reader *R, const ynode *k, const char *const *keys, int nkeys, const char *where)
{
    for (int i = 0; i < nkeys; i++) if (!strcmp(k->text, keys[i])) return 1;
    char clip[80], hint[120] = "";
    const char *g = text_suggest(k->text, keys, nkeys);
    if (g) snprintf(hint, sizeof hint, " (did you mean '%s'?)", g);
    ERR(R, k, "unknown key '%s' in %s%s", text_clip(k->text, clip, sizeof clip, 60), where, hint);
    return 0;
}

static const ynode *get(const ynode *map, const char *key)
{
    for (int i = 0; map && map->kind == YNODE_MAP && i < map->n; i++)
        if (!strcmp(map->pairs[i].key->text, key)) return map->pairs[i].value;
    return NULL;
}

static int duration(reader *R, const ynode *v, const char *what, double *out)
{
    char err[200], buf[80];
    if (!is_text(v)) { ERR(R, v, "%s: expected a duration such as 42s, got %s", what, describe(v, buf, sizeof buf)); return -1; }
    if (parse_duration(v->text, out, err, sizeof err) < 0) { ERR(R, v, "%s: %s", what, err); return -1; }
    if (!(*out >= 0) || *out > 1e9) { ERR(R, v, "%s: the time must be from 0 to 1e9 seconds", what); return -1; }
    return 0;
}

static int number(reader *R, const ynode *v, const char *what, double lo, double hi, double *out)
{
    char buf[80], *end;
    if (is_text(v) && !v->quoted) {
        *out = strtod(v->text, &end);
        if (end != v->text && !*end && *out >= lo && *out <= hi) return 0;
    }
    ERR(R, v, "%s: expected a number from %g to %g, got %s", what, lo, hi, describe(v, buf, sizeof buf));
    return -1;
}

static int find_name(char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++) if (names[i] && !strcmp(names[i], s)) return i;
    return -1;
}

/* The task named by v, or -1 having said why (with a suggestion). */
static int task_ref(reader *R, const ynode *v, const char *where)
{
    char buf[80], clip[80], hint[120] = "";
    if (!is_text(v)) { ERR(R, v, "%s: expected a task name, got %s", where, describe(v, buf, sizeof buf)); return -1; }
    int i = find_name(R->t->name, R->t->n, v->text);
    if (i >= 0) return i;
    const char *g = R->t->n <= 5000 ? text_suggest(v->text, (const char *const *)R->t->name, R->t->n) : NULL;
    if (g) snprintf(hint, sizeof hint, " (did you mean '%s'?)", text_clip(g, clip, sizeof clip, 60));
    ERR(R, v, "%s: unknown task '%s'%s", where, text_clip(v->text, buf, sizeof buf, 60), hint);
    return -1;
}

static int read_products(reader *R, const ynode *seq)
{
    bal_tasks *t = R->t;
    char buf[80];
    if (seq->kind != YNODE_SEQ || seq->n == 0) { ERR(R, seq, "'products' must be a list of {name, share}"); return -1; }
    t->products = seq->n;
    t->product = calloc((size_t)seq->n, sizeof *t->product);
    t->share = calloc((size_t)seq->n, sizeof *t->share);
    if (!t->product || !t->share) { ERR(R, seq, "out of memory"); return -1; }
    int with_share = 0;
    static const char *const keys[] = { "name", "share" };
    for (int p = 0; p < seq->n; p++) {
        const ynode *e = seq->items[p];
        if (e->kind != YNODE_MAP) { ERR(R, e, "a product must be a mapping {name, share}, got %s", describe(e, buf, sizeof buf)); continue; }
        for (int k = 0; k < e->n; k++) known_key(R, e->pairs[k].key, keys, 2, "a product");
        const ynode *nm = get(e, "name"), *sh = get(e, "share");
        if (!is_text(nm)) { ERR(R, nm ? nm : e, "a product needs a 'name'"); continue; }
        if (find_name(t->product, p, nm->text) >= 0) { ERR(R, nm, "duplicate product '%s'", text_clip(nm->text, buf, sizeof buf, 60)); continue; }
        t->product[p] = strdup(nm->text);
        if (sh) { with_share++; number(R, sh, "'share'", 0, 1, &t->share[p]); }
    }
    if (with_share && with_share != seq->n) { ERR(R, seq, "give every product a 'share' or none"); return -1; }
    double sum = 0;
    for (int p = 0; p < seq->n; p++) {
        if (!with_share) t->share[p] = 1.0 / seq->n;
        sum += t->share[p];
    }
    if (fabs(sum - 1) > 1e-6) { ERR(R, seq, "the shares of the products add up to %g, not 1", sum); return -1; }
    return 0;
}

static void read_time(reader *R, int i, const ynode *v)
{
    bal_tasks *t = R->t;
    char what[120], buf[80];
    snprintf(what, sizeof what, "task '%s': 'time'", text_clip(t->name[i], buf, sizeof buf, 60));
    if (v->kind != YNODE_MAP) {
        double s = 0;
        duration(R, v, what, &s);
        t->time_s[i] = s;
        for (int p = 0; p < t->products; p++) t->ptime_s[(size_t)i * (size_t)t->products + (size_t)p] = s;
        return;
    }
    if (!t->products) { ERR(R, v, "%s: times per product need a 'products' list at the top level", what); return; }
    char *seen = calloc((size_t)t->products, 1);
    if (!seen) { ERR(R, v, "out of memory"); return; }
    for (int k = 0; k < v->n; k++) {
        const ynode *key = v->pairs[k].key;
        int p = find_name(t->product, t->products, key->text);
        if (p < 0) {
            char hint[120] = "";
            const char *g = text_suggest(key->text, (const char *const *)t->product, t->products);
            if (g) snprintf(hint, sizeof hint, " (did you mean '%s'?)", g);
            ERR(R, key, "%s: unknown product '%s'%s", what, text_clip(key->text, buf, sizeof buf, 60), hint);
            continue;
        }
        seen[p] = 1;
        duration(R, v->pairs[k].value, what, &t->ptime_s[(size_t)i * (size_t)t->products + (size_t)p]);
    }
    t->time_s[i] = 0;
    for (int p = 0; p < t->products; p++) {
        if (!seen[p]) ERR(R, v, "%s: no time for product '%s'", what, t->product[p]);
        t->time_s[i] += t->share[p] * t->ptime_s[(size_t)i * (size_t)t->products + (size_t)p];
    }
    free(seen);
}

static int read_tasks(reader *R, const ynode *seq)
{
    bal_tasks *t = R->t;
    char buf[80];
    if (seq->kind != YNODE_SEQ || seq->n == 0) { ERR(R, seq, "'tasks' must be a list of {name, time, after, cv}"); return -1; }
    int n = seq->n;
    t->n = n;
    t->name = calloc((size_t)n, sizeof *t->name);
    t->time_s = calloc((size_t)n, sizeof *t->time_s);
    t->cv = calloc((size_t)n, sizeof *t->cv);
    t->ptime_s = calloc((size_t)n * (size_t)(t->products ? t->products : 1), sizeof *t->ptime_s);
    t->line = calloc((size_t)n, sizeof *t->line);
    t->col = calloc((size_t)n, sizeof *t->col);
    R->after = calloc((size_t)n, sizeof *R->after);
    R->node = calloc((size_t)n, sizeof *R->node);
    if (!t->name || !t->time_s || !t->cv || !t->ptime_s || !R->after || !R->node || !t->line || !t->col) { ERR(R, seq, "out of memory"); return -1; }
    static const char *const keys[] = { "name", "time", "after", "cv" };
    int before = R->errors;
    for (int i = 0; i < n; i++) {
        const ynode *e = seq->items[i], *nm = get(e, "name");
        R->node[i] = e;
        t->line[i] = e->line;
        t->col[i] = e->col;
        if (e->kind != YNODE_MAP) { ERR(R, e, "a task must be a mapping {name, time, after, cv}, got %s", describe(e, buf, sizeof buf)); continue; }
        if (!is_text(nm)) { ERR(R, nm ? nm : e, "a task needs a 'name'"); continue; }
        if (find_name(t->name, i, nm->text) >= 0) { ERR(R, nm, "duplicate task '%s'", text_clip(nm->text, buf, sizeof buf, 60)); continue; }
        t->name[i] = strdup(nm->text);
        if (!t->name[i]) { ERR(R, nm, "out of memory"); return -1; }
    }
    if (R->errors > before) return -1;
    for (int i = 0; i < n; i++) {
        const ynode *e = seq->items[i];
        for (int k = 0; k < e->n; k++) known_key(R, e->pairs[k].key, keys, 4, "a task");
        const ynode *tm = get(e, "time"), *cv = get(e, "cv");
        if (!tm) ERR(R, e, "task '%s' is missing 'time' (e.g. time: 42s)", text_clip(t->name[i], buf, sizeof buf, 60));
        else read_time(R, i, tm);
        if (cv) number(R, cv, "'cv'", 0, 10, &t->cv[i]);
        R->after[i] = get(e, "after");
    }
    return 0;
}

static int add_arc(reader *R, int *cap, int a, int b)
{
    bal_tasks *t = R->t;
    if (t->narcs == *cap) {
        *cap = *cap * 2 + 16;
        int *f = realloc(t->from, (size_t)*cap * sizeof *f);
        if (f) t->from = f;
        int *g = realloc(t->to, (size_t)*cap * sizeof *g);
        if (g) t->to = g;
        if (!f || !g) return -1;
    }
    t->from[t->narcs] = a;
    t->to[t->narcs] = b;
    t->narcs++;
    return 0;
}

static void read_after(reader *R)
{
    bal_tasks *t = R->t;
    int cap = 0;
    char where[120], buf[80];
    for (int i = 0; i < t->n; i++) {
        const ynode *a = R->after[i];
        if (!a || ynode_is_null(a)) continue;
        snprintf(where, sizeof where, "task '%s': 'after'", text_clip(t->name[i], buf, sizeof buf, 60));
        int cnt = a->kind == YNODE_SEQ ? a->n : 1;
        for (int k = 0; k < cnt; k++) {
            const ynode *v = a->kind == YNODE_SEQ ? a->items[k] : a;
            int j = task_ref(R, v, where);
            if (j < 0) continue;
            if (j == i) { ERR(R, v, "%s: task '%s' cannot come after itself", where, t->name[i]); continue; }
            if (add_arc(R, &cap, j, i) < 0) { ERR(R, v, "out of memory"); return; }
        }
    }
}

/* A precedence cycle, named task by task, reported at the 'after' of the
 * first task on it. */
static void find_cycle(reader *R)
{
    bal_tasks *t = R->t;
    int n = t->n;
    int *indeg = calloc((size_t)n, sizeof *indeg), *queue = malloc((size_t)n * sizeof *queue);
    int *mark = calloc((size_t)n, sizeof *mark);
    if (!indeg || !queue || !mark) goto out;
    for (int k = 0; k < t->narcs; k++) indeg[t->to[k]]++;
    int h = 0, q = 0;
    for (int i = 0; i < n; i++) if (!indeg[i]) queue[q++] = i;
    while (h < q) {
        int i = queue[h++];
        for (int k = 0; k < t->narcs; k++)
            if (t->from[k] == i && --indeg[t->to[k]] == 0) queue[q++] = t->to[k];
    }
    if (q == n) goto out;
    int i = 0;
    while (!indeg[i]) i++;
    /* walk back through blocked predecessors until a task repeats */
    int step = 1;
    while (!mark[i]) {
        mark[i] = step++;
        for (int k = 0; k < t->narcs; k++)
            if (t->to[k] == i && indeg[t->from[k]]) { i = t->from[k]; break; }
    }
    /* i is on the cycle; collect it forwards by walking back once more */
    int len = 0, j = i;
    int *cyc = queue;
    do {
        cyc[len++] = j;
        for (int k = 0; k < t->narcs; k++)
            if (t->to[k] == j && indeg[t->from[k]] && mark[t->from[k]]) { j = t->from[k]; break; }
    } while (j != i && len < n);
    char msg[1024];
    size_t used = 0;
    used += (size_t)snprintf(msg, sizeof msg, "the precedence has a cycle: ");
    for (int k = len - 1; k >= -1 && used < sizeof msg - 80; k--) {
        int x = cyc[k < 0 ? len - 1 : k];
        used += (size_t)snprintf(msg + used, sizeof msg - used, "%s%s", k == len - 1 ? "" : " -> ", t->name[x]);
    }
    const ynode *at = R->after[cyc[len - 1]] ? R->after[cyc[len - 1]] : R->node[cyc[len - 1]];
    ERR(R, at, "%s", msg);
out:
    free(indeg); free(queue); free(mark);
}

static int find_group(int *parent, int i) { while (parent[i] != i) i = parent[i] = parent[parent[i]]; return i; }

static void read_zones(reader *R, const ynode *z)
{
    bal_tasks *t = R->t;
    char buf[80];
    static const char *const keys[] = { "together", "apart" };
    if (z->kind != YNODE_MAP) { ERR(R, z, "'zones' must be a mapping with 'together' and/or 'apart'"); return; }
    for (int k = 0; k < z->n; k++) known_key(R, z->pairs[k].key, keys, 2, "'zones'");
    int *parent = malloc((size_t)t->n * sizeof *parent);
    if (!parent) { ERR(R, z, "out of memory"); return; }
    for (int i = 0; i < t->n; i++) parent[i] = i;
    const ynode *tog = get(z, "together"), *ap = get(z, "apart");
    const ynode *lists[2] = { tog, ap };
    int cap = 0;
    for (int w = 0; w < 2; w++) {
        const ynode *L = lists[w];
        const char *what = w ? "'apart'" : "'together'";
        if (!L) continue;
        if (L->kind != YNODE_SEQ) { ERR(R, L, "%s must be a list of lists of task names, e.g. [[a, b]]", what); continue; }
        for (int g = 0; g < L->n; g++) {
            const ynode *grp = L->items[g];
            if (grp->kind != YNODE_SEQ || grp->n < 2) { ERR(R, grp, "%s: each entry is a list of two or more task names, got %s", what, describe(grp, buf, sizeof buf)); continue; }
            int first = -1;
            for (int k = 0; k < grp->n; k++) {
                int i = task_ref(R, grp->items[k], what);
                if (i < 0) continue;
                if (!w) {
                    if (first >= 0) parent[find_group(parent, i)] = find_group(parent, first);
                    else first = i;
                    continue;
                }
                for (int k2 = 0; k2 < k; k2++) {
                    int j = find_name(t->name, t->n, grp->items[k2]->text ? grp->items[k2]->text : "");
                    if (j < 0 || j == i) continue;
                    if (cap == t->napart) {
                        cap = cap * 2 + 8;
                        int *a = realloc(t->apart_a, (size_t)cap * sizeof *a);
                        if (a) t->apart_a = a;
                        int *b = realloc(t->apart_b, (size_t)cap * sizeof *b);
                        if (b) t->apart_b = b;
                        if (!a || !b) { ERR(R, grp, "out of memory"); free(parent); return; }
                    }
                    t->apart_a[t->napart] = j;
                    t->apart_b[t->napart] = i;
                    t->napart++;
                }
            }
        }
    }
    t->group = malloc((size_t)t->n * sizeof *t->group);
    if (!t->group) { ERR(R, z, "out of memory"); free(parent); return; }
    int *id = malloc((size_t)t->n * sizeof *id);
    if (!id) { ERR(R, z, "out of memory"); free(parent); return; }
    for (int i = 0; i < t->n; i++) id[i] = -1;
    for (int i = 0; i < t->n; i++) {
        int r = find_group(parent, i);
        int alone = 1;
        for (int j = 0; j < t->n && alone; j++) if (j != i && find_group(parent, j) == r) alone = 0;
        if (alone) { t->group[i] = -1; continue; }
        if (id[r] < 0) id[r] = t->ngroups++;
        t->group[i] = id[r];
    }
    free(id);
    for (int k = 0; k < t->napart; k++) {
        int a = t->apart_a[k], b = t->apart_b[k];
        if (find_group(parent, a) == find_group(parent, b))
            ERR(R, ap, "contradictory zones: '%s' and '%s' must be apart, but 'together' puts them in one station",
                t->name[a], t->name[b]);
    }
    free(parent);
}

int load_tasks_yaml(const char *text, size_t len, bal_tasks *t, diags *d)
{
    memset(t, 0, sizeof *t);
    ydoc doc;
    reader R = { d, t, NULL, NULL, 0 };
    char buf[80];
    if (ydoc_parse(&doc, text, len, d)) { ydoc_free(&doc); return -1; }
    const ynode *root = doc.root;
    static const char *const keys[] = { "name", "takt", "stations", "products", "tasks", "zones" };
    if (root->kind != YNODE_MAP) {
        ERR(&R, root, "the top level must be a mapping with 'tasks' and 'takt' or 'stations', got %s", describe(root, buf, sizeof buf));
        goto out;
    }
    for (int k = 0; k < root->n; k++) {
        known_key(&R, root->pairs[k].key, keys, 6, "the task file");
        for (int j = 0; j < k; j++)
            if (!strcmp(root->pairs[j].key->text, root->pairs[k].key->text))
                ERR(&R, root->pairs[k].key, "duplicate key '%s' (first at line %d)", root->pairs[k].key->text, root->pairs[j].key->line);
    }
    t->unit_s = 1e-3;
    const ynode *nm = get(root, "name"), *takt = get(root, "takt"), *st = get(root, "stations");
    const ynode *prod = get(root, "products"), *tasks = get(root, "tasks"), *zones = get(root, "zones");
    if (nm && is_text(nm)) t->title = strdup(nm->text);
    if (takt && st)
        ERR(&R, st, "give 'takt' (fewest stations for a cycle time) or 'stations' (shortest cycle for a number of stations), not both (takt at line %d)", takt->line);
    if (takt && duration(&R, takt, "'takt'", &t->takt_s) == 0 && !(t->takt_s > 0)) ERR(&R, takt, "'takt' must be more than 0");
    if (st) {
        uint64_t m;
        if (ynode_whole(st, &m) != 1 || m < 1 || m > 100000) ERR(&R, st, "'stations' must be a whole number from 1 to 100000, got %s", describe(st, buf, sizeof buf));
        else t->stations = (int)m;
    }
    if (prod && read_products(&R, prod) < 0) goto out;
    if (!tasks) { ERR(&R, root, "the task file has no 'tasks' list"); goto out; }
    int before = R.errors;
    if (read_tasks(&R, tasks) < 0) goto out;
    int named = R.errors;
    read_after(&R);
    if (R.errors > named) goto out;
    find_cycle(&R);
    if (R.errors > before) goto out;
    if (zones) read_zones(&R, zones);
out:
    free(R.after);
    free(R.node);
    ydoc_free(&doc);
    return R.errors ? -1 : 0;
}
