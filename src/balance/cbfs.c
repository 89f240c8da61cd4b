/*
 * cbfs.c — the station-oriented search in cyclic best-first order, as in
 * BB&R (Sewell & Jacobson 2012): every state reached is kept, with one
 * queue per number of filled stations; the search takes turns over the
 * depths, each turn expanding the most promising state of that depth.
 *
 * Depth-first search commits to its first few stations for a long time; a
 * line whose idle-time budget is small (a few seconds over fifty stations)
 * often needs a different early station, which depth-first search reaches
 * only after exhausting everything below.  Turning over the depths finds
 * such answers early, while keeping every state in the visited table keeps
 * the proof as complete as depth-first search's: a state is dropped only by
 * the same bounds and dominance rules (search_impl.h).
 *
 * Promise of a state (lower is better): its idle time per filled station,
 * less a small credit per task still to assign — of two states with equal
 * idle, the one that has used fewer, longer tasks keeps the small tasks
 * that fill the last gaps.
 */
#include <stdlib.h>
#include <string.h>
#include "bounds.h"
#include "search.h"
#include "search_impl.h"
#include "solve.h"

#define STATE_BYTES ((size_t)128 << 20)

typedef struct qitem { double key; int idx; } qitem;
typedef struct queue { qitem *v; size_t n, cap; } queue;

typedef struct store {
    size_t W, n, cap, max;
    uint64_t *sets, *hash;
    int *parent, *depth, *lb;
    double *key;
} store;

static int before(const qitem *a, const qitem *b)
{
    return a->key < b->key || (a->key == b->key && a->idx < b->idx);
}

static int q_push(queue *q, double key, int idx)
{
    if (q->n == q->cap) {
        size_t cap = q->cap * 2 + 64;
        qitem *v = realloc(q->v, cap * sizeof *v);
        if (!v) return -1;
        q->v = v;
        q->cap = cap;
    }
    size_t i = q->n++;
    qitem x = { key, idx };
    while (i > 0 && before(&x, &q->v[(i - 1) / 2])) { q->v[i] = q->v[(i - 1) / 2]; i = (i - 1) / 2; }
    q->v[i] = x;
    return 0;
}

static qitem q_pop(queue *q)
{
    qitem top = q->v[0], x = q->v[--q->n];
    size_t i = 0;
    for (;;) {
        size_t k = 2 * i + 1;
        if (k >= q->n) break;
        if (k + 1 < q->n && before(&q->v[k + 1], &q->v[k])) k++;
        if (!before(&q->v[k], &x)) break;
        q->v[i] = q->v[k];
        i = k;
    }
    if (q->n) q->v[i] = x;
    return top;
}

/* Append a state; -1 out of memory, -2 the store is full. */
static int st_add(store *st, const uint64_t *set, uint64_t hash, int parent, int depth, int lb, double key)
{
    if (st->n == st->cap) {
        if (st->cap >= st->max) return -2;
        size_t cap = st->cap ? st->cap * 2 : 1024;
        if (cap > st->max) cap = st->max;
        uint64_t *sets = realloc(st->sets, cap * st->W * sizeof *sets);
        if (sets) st->sets = sets;
        uint64_t *hs = realloc(st->hash, cap * sizeof *hs);
        if (hs) st->hash = hs;
        int *p = realloc(st->parent, cap * sizeof *p);
        if (p) st->parent = p;
        int *d = realloc(st->depth, cap * sizeof *d);
        if (d) st->depth = d;
        int *l = realloc(st->lb, cap * sizeof *l);
        if (l) st->lb = l;
        double *k = realloc(st->key, cap * sizeof *k);
        if (k) st->key = k;
        if (!sets || !hs || !p || !d || !l || !k) return -1;
        st->cap = cap;
    }
    memcpy(st->sets + st->n * st->W, set, st->W * sizeof *set);
    st->hash[st->n] = hash;
    st->parent[st->n] = parent;
    st->depth[st->n] = depth;
    st->lb[st->n] = lb;
    st->key[st->n] = key;
    st->n++;
    return 0;
}

/* Make the search's working arrays describe state idx. */
static void load_state(search *s, const store *st, int idx)
{
    const bal_graph *g = s->g;
    const uint64_t *set = st->sets + (size_t)idx * st->W;
    memcpy(s->assigned, set, st->W * sizeof *set);
    s->remaining = 0;
    for (int i = 0; i < s->n; i++) {
        s->station[i] = bal_set_has(set, i);
        if (!s->station[i]) s->remaining += g->t[i];
    }
    for (int i = 0; i < s->n; i++) {
        int k = 0;
        for (int e = g->pstart[i]; e < g->pstart[i + 1]; e++) k += !s->station[g->pred[e]];
        s->npred[i] = k;
    }
}

/* The answer ending with the load of rec, after state idx. */
static void answer(search *s, const store *st, int idx, const load_rec *rec)
{
    int m = st->depth[idx] + 1;
    for (int k = 0; k < rec->len; k++) s->best_station[s->tasks[rec->off + (size_t)k]] = m;
    for (int cur = idx; st->parent[cur] >= 0; cur = st->parent[cur]) {
        const uint64_t *a = st->sets + (size_t)cur * st->W, *p = st->sets + (size_t)st->parent[cur] * st->W;
        for (size_t w = 0; w < st->W; w++)
            for (uint64_t b = a[w] & ~p[w]; b; b &= b - 1)
                s->best_station[w * 64 + (size_t)__builtin_ctzll(b)] = st->depth[cur];
    }
    s->best = m;
    s->target = m - 1;
    if (s->first_only) s->stop = 1;
}

/* Expand state idx: every load worth trying for its next station. */
static int expand(search *s, store *st, queue *q, int idx)
{
    const bal_graph *g = s->g;
    int m = st->depth[idx], left = 0;
    load_state(s, st, idx);
    for (int i = 0; i < s->n; i++) left += !s->station[i];
    s->nrecs = 0;
    s->ntasks = 0;
    int k = bal_search_loads(s, m);
    if (s->stop) {
        /* the time limit cut the loads short: the state goes back to its
         * queue whole, to be expanded again in the next slice (a state
         * dropped here would make a later "nothing left" a false proof) */
        return q_push(&q[m], st->key[idx], idx);
    }
    for (int r = 0; r < k && !s->stop; r++) {
        const load_rec *rec = &s->recs[r];
        uint64_t h = st->hash[idx];
        memcpy(s->assigned, st->sets + (size_t)idx * st->W, st->W * sizeof *s->assigned);
        for (int j = 0; j < rec->len; j++) {
            int t = s->tasks[rec->off + (size_t)j];
            bal_set_add(s->assigned, t);
            h ^= s->zob[t];
        }
        if (s->remaining == rec->time) { answer(s, st, idx, rec); continue; }
        if (m + 1 >= s->target || bal_memo_visit(&s->memo, h, s->assigned, m + 1)) continue;
        /* the full bounds wait until the state is expanded (most states
         * never are): here only the work bound, for the queue's pruning */
        int64_t rest = s->remaining - rec->time;
        int lb = m + 1 + (int)bal_ceil_div(rest, s->c);
        if (lb > s->target) continue;
        int64_t idle = (int64_t)(m + 1) * s->c - (g->total - rest);
        double key = (double)idle / (double)(m + 1) - 0.02 * (double)(left - rec->len);
        int rc = st_add(st, s->assigned, h, idx, m + 1, lb, key);
        if (rc == -2) { s->truncated = s->stop = 1; break; }
        if (rc < 0 || q_push(&q[m + 1], key, (int)st->n - 1) < 0) { s->oom = s->stop = 1; break; }
    }
    return 0;
}

struct bal_cbfs {
    search s;
    store st;
    queue *q;
    int target0;
};

bal_cbfs *bal_cbfs_open(const bal_graph *g, int64_t c, int target, int first_only, int *station)
{
    bal_cbfs *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    if (bal_search_open(&b->s, g, c, target, 0, 0, 0, station) < 0) { free(b); return NULL; }
    search *s = &b->s;
    s->first_only = first_only;
    b->target0 = target;
    b->st.W = s->W;
    b->st.max = STATE_BYTES / (s->W * sizeof(uint64_t) + sizeof(uint64_t) + 3 * sizeof(int));
    b->q = calloc((size_t)target + 2, sizeof *b->q);
    uint64_t *empty = calloc(s->W, sizeof *empty);
    int bad = !b->q || !empty || st_add(&b->st, empty, 0, -1, 0, 0, 0) < 0 || q_push(&b->q[0], 0, 0) < 0;
    free(empty);
    if (bad) { bal_cbfs_close(b); return NULL; }
    if (g->tmax > c) s->truncated = 1;      /* nothing to search: never complete */
    return b;
}

void bal_cbfs_close(bal_cbfs *b)
{
    if (!b) return;
    if (b->q) for (int d = 0; d <= b->target0 + 1; d++) free(b->q[d].v);
    free(b->q);
    free(b->st.sets); free(b->st.hash); free(b->st.parent); free(b->st.depth); free(b->st.lb); free(b->st.key);
    bal_search_close(&b->s);
    free(b);
}

void bal_cbfs_target(bal_cbfs *b, int target)
{
    if (target < b->s.target) b->s.target = target;
}

int bal_cbfs_run(bal_cbfs *b, double deadline, double hard, bal_search_result *r)
{
    search *s = &b->s;
    memset(r, 0, sizeof *r);
    /* the first state of a slice is expanded whole unless the hard limit
     * strikes, or a slice shorter than one state would never get on */
    s->deadline = hard;
    int first = 1;
    int done = s->truncated || s->oom || (s->first_only && s->best <= b->target0);
    s->stop = done;
    long long nodes0 = s->nodes;
    while (!s->stop) {
        int progress = 0;
        for (int d = 0; d < s->target && !s->stop; d++) {
            int idx = -1;
            while (b->q[d].n && idx < 0) {
                qitem it = q_pop(&b->q[d]);
                if (b->st.lb[it.idx] <= s->target) idx = it.idx;
            }
            if (idx < 0) continue;
            progress = 1;
            s->nodes++;
            bal_search_tick(s);
            if (expand(s, &b->st, b->q, idx) < 0) s->oom = s->stop = 1;
            if (first) {
                first = 0;
                s->deadline = deadline;
                if (deadline > 0 && bal_clock() > deadline) s->stop = 1;
            }
        }
        if (!progress) { done = 1; break; }
    }
    r->found = s->best <= b->target0;
    r->stations = s->best;
    r->complete = (done && !s->truncated && !s->oom) || (s->first_only && r->found && !s->oom);
    r->nodes = s->nodes - nodes0;
    return s->oom ? -1 : 0;
}
