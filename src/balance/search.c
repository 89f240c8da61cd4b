/*
 * search.c — station-oriented branch-and-bound for line balancing.
 *
 * A state is the set of tasks already assigned to stations 1..m.  From it
 * the next station is given each of its maximal loads (no further available
 * task would fit) that is not dominated, in order of least idle time first.
 * Pruned:
 *   - states whose bin-packing or chain bound on the remaining tasks needs
 *     more stations than the target;
 *   - loads leaving more idle time than the target allows in all;
 *   - loads that leave out a task which must go in this station because its
 *     followers need every station up to the target;
 *   - loads holding a task i where an available task j that dominates it
 *     (j at least as long, j's followers include i's) could take its place
 *     (Jackson's rule: some optimal answer never does that);
 *   - states seen before with as few stations (memo.h).
 * When an assignment is found, the target drops below it and the search
 * goes on, so whatever is explored stays explored.
 */
#include <stdlib.h>
#include <string.h>
#include "bounds.h"
#include "memo.h"
#include "search.h"
#include "search_impl.h"
#include "solve.h"

uint64_t bal_mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

void bal_search_tick(search *s)
{
    if ((++s->ticks & 1023) == 0 && s->deadline > 0 && bal_clock() > s->deadline) s->stop = 1;
}

static int subset(const uint64_t *a, const uint64_t *b, size_t W)   /* a within b */
{
    for (size_t w = 0; w < W; w++) if (a[w] & ~b[w]) return 0;
    return 1;
}

/* j dominates i: swapping them never hurts.  Ties between identical tasks
 * go to the lower number, so exactly one of a pair of twins is preferred. */
static int build_dominance(search *s)
{
    const bal_graph *g = s->g;
    int n = s->n;
    size_t W = s->W, cap = 1024, len = 0;
    s->dom_start = malloc(((size_t)n + 1) * sizeof *s->dom_start);
    s->dom = malloc(cap * sizeof *s->dom);
    if (!s->dom_start || !s->dom) return -1;
    for (int i = 0; i < n; i++) {
        s->dom_start[i] = (int)len;
        int i_apart = 0;
        if (g->apart) for (size_t w = 0; w < W; w++) if (g->apart[(size_t)i * W + w]) i_apart = 1;
        if (i_apart) continue;
        const uint64_t *fi = g->follow + (size_t)i * W;
        for (int j = 0; j < n; j++) {
            if (j == i || g->t[j] < g->t[i]) continue;
            const uint64_t *fj = g->follow + (size_t)j * W;
            if (bal_set_has(fj, i) || bal_set_has(fi, j) || !subset(fi, fj, W)) continue;
            if (g->t[j] == g->t[i] && subset(fj, fi, W) && j > i) continue;
            if (g->apart) {
                int j_apart = 0;
                for (size_t w = 0; w < W; w++) if (g->apart[(size_t)j * W + w]) j_apart = 1;
                if (j_apart) continue;
            }
            if (len == cap) {
                int *d = realloc(s->dom, 2 * cap * sizeof *d);
                if (!d) return -1;
                s->dom = d;
                cap *= 2;
            }
            s->dom[len++] = j;
        }
    }
    s->dom_start[n] = (int)len;
    return 0;
}

static int dominated(const search *s, int64_t load)
{
    const bal_graph *g = s->g;
    for (int k = 0; k < s->nload; k++) {
        int i = s->load[k], free_of_succ = 1;
        for (int e = g->sstart[i]; e < g->sstart[i + 1]; e++)
            if (s->inload[g->succ[e]]) { free_of_succ = 0; break; }
        if (!free_of_succ) continue;
        for (int d = s->dom_start[i]; d < s->dom_start[i + 1]; d++) {
            int j = s->dom[d];
            if (!s->station[j] && !s->inload[j] && s->npred[j] == 0
                && load - g->t[i] + g->t[j] <= s->c)
                return 1;
        }
    }
    return 0;
}

static int clashes(const search *s, int j)
{
    const uint64_t *a = s->g->apart + (size_t)j * s->W;
    for (size_t w = 0; w < s->W; w++) if (a[w] & s->loadset[w]) return 1;
    return 0;
}

static void push_load(search *s, int64_t load)
{
    if (s->ntasks + (size_t)s->nload > s->tasks_cap) {
        size_t cap = s->tasks_cap * 2 + (size_t)s->nload;
        int *t = realloc(s->tasks, cap * sizeof *t);
        if (!t) { s->oom = s->stop = 1; return; }
        s->tasks = t;
        s->tasks_cap = cap;
    }
    if (s->nrecs == s->recs_cap) {
        size_t cap = s->recs_cap * 2 + 16;
        load_rec *r = realloc(s->recs, cap * sizeof *r);
        if (!r) { s->oom = s->stop = 1; return; }
        s->recs = r;
        s->recs_cap = cap;
    }
    memcpy(s->tasks + s->ntasks, s->load, (size_t)s->nload * sizeof *s->load);
    int64_t key = load;
    if (s->shuffle) {
        uint64_t h = s->shuffle;
        for (int k = 0; k < s->nload; k++) h = bal_mix64(h ^ (uint64_t)s->load[k]);
        key += (int64_t)(h % (uint64_t)(s->c / 16 + 1));
    }
    s->recs[s->nrecs++] = (load_rec){ s->ntasks, s->nload, load, key };
    s->ntasks += (size_t)s->nload;
}

/* Every maximal load extending the current one with candidates at
 * positions >= pos (each subset is built once: in order of position, and a
 * task made available by the load is appended after all others). */
static void gen(search *s, int pos, int64_t load, int64_t skipped)
{
    const bal_graph *g = s->g;
    bal_search_tick(s);
    if (s->stop) return;
    int maximal = 1;
    for (int k = 0; k < s->ncand; k++) {
        int j = s->cand[k];
        if (s->inload[j]) continue;
        if (k < pos && s->urgent[j]) return;          /* left out for good */
        if (load + g->t[j] <= s->c && !(g->apart && clashes(s, j))) { maximal = 0; break; }
    }
    if (maximal) {
        if (load < s->min_load || s->urgent_in < s->urgent_count || dominated(s, load)) return;
        push_load(s, load);
        if (s->max_loads && s->nrecs - s->node_base >= s->max_loads) s->truncated = s->cut = 1;
        return;
    }
    /* the load can only grow by tasks that could join this station at all
     * (reach) and were not left out: when that cannot reach the least load
     * the idle budget allows, no extension can either */
    for (int k = pos; k < s->ncand && !s->stop && !s->cut; k++) {
        int j = s->cand[k];
        if (s->inload[j]) continue;
        if (s->reach - skipped < s->min_load) return;
        if (load + g->t[j] > s->c || (g->apart && clashes(s, j))) { skipped += s->inreach[j] ? g->t[j] : 0; continue; }
        int saved = s->ncand;
        s->inload[j] = 1;
        s->load[s->nload++] = j;
        s->urgent_in += s->urgent[j];
        if (g->apart) bal_set_add(s->loadset, j);
        for (int e = g->sstart[j]; e < g->sstart[j + 1]; e++)
            if (--s->npred[g->succ[e]] == 0) s->cand[s->ncand++] = g->succ[e];
        gen(s, k + 1, load + g->t[j], skipped);
        for (int e = g->sstart[j]; e < g->sstart[j + 1]; e++) s->npred[g->succ[e]]++;
        s->ncand = saved;
        if (g->apart) bal_set_del(s->loadset, j);
        s->urgent_in -= s->urgent[j];
        s->nload--;
        s->inload[j] = 0;
        skipped += g->t[j];     /* j fitted, so it is within reach */
    }
}

static int by_load(const void *a, const void *b)
{
    const load_rec *x = a, *y = b;
    if (x->key != y->key) return x->key > y->key ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

static void record(search *s, int m)
{
    memcpy(s->best_station, s->station, (size_t)s->n * sizeof *s->station);
    s->best = m;
    s->target = m - 1;
    if (s->first_only) s->stop = 1;
}

int bal_search_loads(search *s, int m)
{
    const bal_graph *g = s->g;
    int cnt = 0, maxneed = 0;
    for (int r = 0; r < s->n; r++) {
        int i = s->by_time[r];
        if (!s->station[i]) {
            s->scratch[cnt++] = g->t[i];
            if (s->need[i] > maxneed) maxneed = s->need[i];
        }
    }
    int lb = bal_lb_items(s->scratch, cnt, s->c);
    if (maxneed > lb) lb = maxneed;
    if (m + lb > s->target) return -1;

    int64_t budget = (int64_t)(s->target - m) * s->c - s->remaining;
    s->min_load = s->c - budget;
    s->ncand = 0;
    s->urgent_count = 0;
    for (int r = 0; r < s->n; r++) {
        int i = s->by_time[r];          /* longest first: good loads come early */
        if (s->station[i]) continue;
        s->urgent[i] = (char)(m + 1 + s->need[i] > s->target);
        s->urgent_count += s->urgent[i];
        if (s->npred[i] == 0) s->cand[s->ncand++] = i;
    }
    /* a task can join this station only with all its unassigned
     * predecessors, so only if they fit in one station with it */
    s->reach = 0;
    for (int j = 0; j < s->n; j++) {
        if (s->station[j]) continue;
        int64_t need = g->t[j];
        const uint64_t *a = s->anc + (size_t)j * s->W;
        for (size_t w = 0; w < s->W && need <= s->c; w++)
            for (uint64_t b = a[w] & ~s->assigned[w]; b && need <= s->c; b &= b - 1)
                need += g->t[w * 64 + (size_t)__builtin_ctzll(b)];
        s->inreach[j] = need <= s->c;
        if (need <= s->c) s->reach += g->t[j];
    }
    if (s->reach < s->min_load) return -1;
    s->nload = 0;
    s->urgent_in = 0;
    size_t base = s->nrecs;
    s->node_base = base;
    s->cut = 0;
    gen(s, 0, 0, 0);
    s->cut = 0;
    if (s->nrecs > base) qsort(s->recs + base, s->nrecs - base, sizeof *s->recs, by_load);
    return (int)(s->nrecs - base);
}

static void dfs(search *s, int m, uint64_t hash)
{
    const bal_graph *g = s->g;
    s->nodes++;
    bal_search_tick(s);
    if (s->stop) return;
    if (s->remaining == 0) { record(s, m); return; }
    if (m >= s->target) return;
    size_t base = s->nrecs, tbase = s->ntasks;
    if (bal_search_loads(s, m) < 0) { s->nrecs = base; s->ntasks = tbase; return; }
    for (size_t r = base; r < s->nrecs && !s->stop; r++) {
        const int *ld = s->tasks + s->recs[r].off;
        int len = s->recs[r].len;
        uint64_t h = hash;
        for (int k = 0; k < len; k++) {
            int j = ld[k];
            s->station[j] = m + 1;
            bal_set_add(s->assigned, j);
            h ^= s->zob[j];
            s->remaining -= g->t[j];
            for (int e = g->sstart[j]; e < g->sstart[j + 1]; e++) s->npred[g->succ[e]]--;
        }
        if (!bal_memo_visit(&s->memo, h, s->assigned, m + 1)) dfs(s, m + 1, h);
        ld = s->tasks + s->recs[r].off;         /* the stack may have moved */
        for (int k = len - 1; k >= 0; k--) {
            int j = ld[k];
            for (int e = g->sstart[j]; e < g->sstart[j + 1]; e++) s->npred[g->succ[e]]++;
            s->remaining += g->t[j];
            bal_set_del(s->assigned, j);
            s->station[j] = 0;
        }
    }
    s->nrecs = base;
    s->ntasks = tbase;
}

typedef struct timed { int64_t t; int i; } timed;

static int longer_first(const void *a, const void *b)
{
    const timed *x = a, *y = b;
    if (x->t != y->t) return x->t > y->t ? -1 : 1;
    return x->i - y->i;
}

static int order_by_time(const bal_graph *g, int *order)
{
    timed *v = malloc(((size_t)g->n + 1) * sizeof *v);
    if (!v) return -1;
    for (int i = 0; i < g->n; i++) v[i] = (timed){ g->t[i], i };
    qsort(v, (size_t)g->n, sizeof *v, longer_first);
    for (int i = 0; i < g->n; i++) order[i] = v[i].i;
    free(v);
    return 0;
}

void bal_search_close(search *s)
{
    free(s->station);
    free(s->assigned); free(s->loadset); free(s->zob); free(s->npred); free(s->need);
    free(s->dom_start); free(s->dom); free(s->scratch); free(s->cand); free(s->inload);
    free(s->urgent); free(s->load); free(s->by_time); free(s->anc); free(s->inreach); free(s->tasks); free(s->recs);
    bal_memo_free(&s->memo);
}

int bal_search_open(search *sp, const bal_graph *g, int64_t c, int target, double deadline,
                    uint64_t shuffle, size_t max_loads, int *best_station)
{
    search s;
    memset(&s, 0, sizeof s);
    s.g = g; s.c = c; s.n = g->n; s.W = (size_t)g->words;
    s.target = target; s.best = target + 1;
    s.deadline = deadline;
    s.shuffle = shuffle;
    s.max_loads = max_loads;
    s.best_station = best_station;
    size_t n1 = (size_t)g->n + 1;
    s.station = calloc(n1, sizeof *s.station);
    s.assigned = calloc(s.W, sizeof *s.assigned);
    s.loadset = calloc(s.W, sizeof *s.loadset);
    s.zob = malloc(n1 * sizeof *s.zob);
    s.npred = malloc(n1 * sizeof *s.npred);
    s.need = malloc(n1 * sizeof *s.need);
    s.scratch = malloc(n1 * sizeof *s.scratch);
    s.cand = malloc(n1 * sizeof *s.cand);
    s.inload = calloc(n1, 1);
    s.urgent = calloc(n1, 1);
    s.load = malloc(n1 * sizeof *s.load);
    s.by_time = malloc(n1 * sizeof *s.by_time);
    s.anc = calloc((size_t)g->n * s.W + 1, sizeof *s.anc);
    s.inreach = calloc(n1, 1);
    if (!s.by_time || !s.station || !s.assigned || !s.loadset || !s.zob || !s.npred || !s.need || !s.scratch
        || !s.cand || !s.inload || !s.urgent || !s.load || !s.anc || !s.inreach || build_dominance(&s) < 0
        || bal_memo_init(&s.memo, g->words, MEMO_BYTES) < 0 || order_by_time(g, s.by_time) < 0) {
        bal_search_close(&s);
        return -1;
    }
    for (int i = 0; i < g->n; i++) {
        const uint64_t *f = g->follow + (size_t)i * s.W;
        for (size_t w = 0; w < s.W; w++)
            for (uint64_t b = f[w]; b; b &= b - 1)
                bal_set_add(s.anc + (w * 64 + (size_t)__builtin_ctzll(b)) * s.W, i);
    }
    for (int i = 0; i < g->n; i++) {
        s.zob[i] = bal_mix64((uint64_t)i * 0x2545f4914f6cdd1dull + 1);
        s.npred[i] = g->pstart[i + 1] - g->pstart[i];
        s.need[i] = (int)bal_ceil_div(g->tail[i], c);
        s.remaining += g->t[i];
    }
    *sp = s;
    return 0;
}

int bal_search(const bal_graph *g, int64_t c, int target, int first_only,
               double deadline, uint64_t shuffle, size_t max_loads, int *station,
               bal_search_result *r)
{
    memset(r, 0, sizeof *r);
    search s;
    if (bal_search_open(&s, g, c, target, deadline, shuffle, max_loads, station) < 0) return -1;
    s.first_only = first_only;
    if (g->tmax <= c) dfs(&s, 0, 0);
    r->found = s.best <= target;
    r->stations = s.best;
    r->complete = (!s.stop && !s.truncated) || (first_only && r->found && !s.oom);
    r->nodes = s.nodes;
    int oom = s.oom;
    bal_search_close(&s);
    return oom ? -1 : 0;
}
