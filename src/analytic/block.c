/*
 * block.c — the states and events of one two-machine block (see block.h
 * and decomp.c).
 *
 * Up's phases: its own PH phases; "starved" phases, one per phase of
 * station i-1 plus one for "station i-1 is itself starved" (left at the
 * rate block i-1 finds); and "blocked".  Down's phases: its own PH phases;
 * "starved"; "blocked" phases, one per phase of station i+2 plus one for
 * "station i+2 is itself blocked".
 */
#include "analytic/block.h"

#include <stdlib.h>

/* ---- layout ------------------------------------------------------------ */

int block_layout(block *k)
{
    k->nu = k->up->n;
    k->idle0 = k->nu;
    k->nidle = k->prev ? k->prev->n + 1 : 0;
    k->aB = k->idle0 + k->nidle;
    k->A = k->aB + 1;
    k->nd = k->down->n;
    k->bI = k->nd;
    k->blk0 = k->nd + 1;
    k->nblk = k->next ? k->next->n + 1 : 0;
    k->B = k->blk0 + k->nblk;
    for (int t = 0; t < 3; t++) {
        long n = t == 0 ? 0 : t == 1 ? 1 : k->cap;
        if (t == 1 && k->cap < 2) { k->map[t] = NULL; k->m[t] = 0; continue; }
        if (t == 2 && k->cap == 0) { k->map[t] = NULL; k->m[t] = 0; continue; }
        k->map[t] = malloc(sizeof(int) * (size_t)(k->A * k->B));
        if (!k->map[t]) return -1;
        int c = 0;
        for (int a = 0; a < k->A; a++)
            for (int b = 0; b < k->B; b++)
                k->map[t][a * k->B + b] = valid(k, n, a, b) ? c++ : -1;
        k->m[t] = c;
    }
    return 0;
}

void block_release(block *k)
{
    for (int t = 0; t < 3; t++) { free(k->map[t]); k->map[t] = NULL; }
}


/* ---- events ------------------------------------------------------------ */

static void one(choice *c, int idx) { c->n = 1; c->idx[0] = idx; c->w[0] = 1; }

/* Station `p` starts a part: its entry phases, offset by `base`. */
static void start(choice *c, const ph *p, int base)
{
    c->n = 0;
    for (int j = 0; j < p->n; j++)
        if (p->alpha[j] > 0) { c->idx[c->n] = base + j; c->w[c->n++] = p->alpha[j]; }
}

/* Up takes its next part: starved (with the neighbour's phase) or working. */
static void up_take(const block *k, choice *c, int unblocked)
{
    double q = 0;
    c->n = 0;
    if (k->prev) {
        const double *sv = unblocked ? k->sv->after_unblock : k->sv->after_done;
        for (int p = 0; p < k->nidle; p++)
            if (sv[p] > 0) { c->idx[c->n] = k->idle0 + p; c->w[c->n++] = sv[p]; q += sv[p]; }
    }
    if (q > 1) q = 1;
    for (int j = 0; j < k->nu; j++)
        if (k->up->alpha[j] > 0 && q < 1) {
            c->idx[c->n] = j; c->w[c->n++] = (1 - q) * k->up->alpha[j];
        }
}

static void emit(sink *s, long n, int a, int b, long n2, const choice *ca,
                 const choice *cb, double rate, int tag)
{
    for (int i = 0; i < ca->n; i++)
        for (int j = 0; j < cb->n; j++) {
            double r = rate * ca->w[i] * cb->w[j];
            if (r > 0) s->add(s, (int)n, a, b, (int)n2, ca->idx[i], cb->idx[j], r, tag);
        }
}

/* Down passes its part on and takes the next one (from the buffer, or the
 * blocked up's part when the buffer has no room, or nothing). */
static void down_take(const block *k, sink *s, long n, int a, int b,
                      double rate, int unblocked)
{
    int tag = unblocked ? TAG_TAKE_UNBLOCK : TAG_TAKE_DONE | TAG_DOWN_DONE;
    choice ca, cb;
    start(&cb, k->down, 0);
    if (a == k->aB) {               /* up's part moves in, up is free     */
        up_take(k, &ca, 1);
        emit(s, n, a, b, n, &ca, &cb, rate, tag);
    } else if (n > 0) {
        one(&ca, a);
        emit(s, n, a, b, n - 1, &ca, &cb, rate, tag);
    } else {
        one(&ca, a); one(&cb, k->bI);
        emit(s, n, a, b, n, &ca, &cb, rate, tag | TAG_DOWN_IDLE);
    }
}

static void state_events(const block *k, sink *s, long n, int a, int b)
{
    choice ca, cb;
    /* ---- up ---- */
    if (a < k->nu) {
        const ph *p = k->up;
        for (int j = 0; j < p->n; j++)
            if (j != a && p->g[a][j] > 0) {
                one(&ca, j); one(&cb, b);
                emit(s, n, a, b, n, &ca, &cb, p->g[a][j], 0);
            }
        double d = p->done[a];
        if (d > 0) {
            if (b == k->bI) {       /* straight into the starved down     */
                up_take(k, &ca, 0); start(&cb, k->down, 0);
                emit(s, n, a, b, n, &ca, &cb, d, TAG_UP_DONE);
            } else if (n < k->cap) {
                up_take(k, &ca, 0); one(&cb, b);
                emit(s, n, a, b, n + 1, &ca, &cb, d, TAG_UP_DONE);
            } else {
                one(&ca, k->aB); one(&cb, b);
                emit(s, n, a, b, n, &ca, &cb, d, TAG_UP_DONE | TAG_UP_BLOCK);
            }
        }
    } else if (a < k->aB) {         /* starved: station i-1's phase       */
        int p = a - k->idle0;
        const ph *q = k->prev;
        one(&cb, b);
        if (p < q->n) {
            for (int j = 0; j < q->n; j++)
                if (j != p && q->g[p][j] > 0) {
                    one(&ca, k->idle0 + j);
                    emit(s, n, a, b, n, &ca, &cb, q->g[p][j], 0);
                }
            double d = q->done[p];
            if (d > 0 && k->compact && k->sv->rate_done > 0) d = k->sv->rate_done;
            if (d > 0) {            /* the part arrives: up starts it     */
                start(&ca, k->up, 0);
                emit(s, n, a, b, n, &ca, &cb, d, 0);
            }
        } else {                    /* station i-1 gets a part            */
            start(&ca, q, k->idle0);
            emit(s, n, a, b, n, &ca, &cb, k->sv->rate_starved, 0);
        }
    }
    /* ---- down ---- */
    if (b < k->nd) {
        const ph *p = k->down;
        for (int j = 0; j < p->n; j++)
            if (j != b && p->g[b][j] > 0) {
                one(&ca, a); one(&cb, j);
                emit(s, n, a, b, n, &ca, &cb, p->g[b][j], 0);
            }
        double d = p->done[b];
        if (d > 0) {
            double q = 0;
            if (k->next) {
                cb.n = 0;
                for (int j = 0; j < k->nblk; j++) {
                    double w = k->bk->after_done[j];
                    if (w > 0) { cb.idx[cb.n] = k->blk0 + j; cb.w[cb.n++] = w; q += w; }
                }
                if (q > 1) q = 1;
                one(&ca, a);
                emit(s, n, a, b, n, &ca, &cb, d, TAG_DOWN_DONE);
            }
            if (q < 1) down_take(k, s, n, a, b, d * (1 - q), 0);
        }
    } else if (b > k->bI) {         /* blocked: station i+2's phase       */
        int p = b - k->blk0;
        const ph *q = k->next;
        one(&ca, a);
        if (p < q->n) {
            for (int j = 0; j < q->n; j++)
                if (j != p && q->g[p][j] > 0) {
                    one(&cb, k->blk0 + j);
                    emit(s, n, a, b, n, &ca, &cb, q->g[p][j], 0);
                }
            double d = q->done[p];
            if (d > 0 && k->compact && k->bk->rate_done > 0) d = k->bk->rate_done;
            if (d > 0) {
                double nb = k->bk->next_blocked;
                if (nb > 0) {
                    one(&cb, k->blk0 + q->n);
                    emit(s, n, a, b, n, &ca, &cb, d * nb, 0);
                }
                if (nb < 1) down_take(k, s, n, a, b, d * (1 - nb), 1);
            }
        } else {
            down_take(k, s, n, a, b, k->bk->rate_blocked, 1);
        }
    }
}

void level_events(const block *k, sink *s, long n)
{
    for (int a = 0; a < k->A; a++)
        for (int b = 0; b < k->B; b++)
            if (valid(k, n, a, b)) state_events(k, s, n, a, b);
}
