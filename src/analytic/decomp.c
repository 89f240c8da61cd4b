/*
 * decomp.c — decomposition of a serial line into two-machine blocks (see
 * decomp.h and docs/estimate.md).
 *
 * Block i holds buffer i (capacity N) between "up" = station i and
 * "down" = station i+1.  Up's phases: its own PH phases; "starved"
 * phases, one per phase of station i-1 plus one for "station i-1 is itself
 * starved" (left at the rate block i-1 finds); and "blocked".  Down's
 * phases: its own PH phases; "starved"; "blocked" phases, one per phase of
 * station i+2 plus one for "station i+2 is itself blocked".  Copying the
 * neighbour's phases makes the length of a starving or blocking period
 * phase-type with the neighbour's own dynamics (a repair of station i-1
 * starves station i for a repair time, not for an exponential guess),
 * which is where most of the accuracy of the method comes from.
 *
 * A block's state is (buffer level n, up phase a, down phase b).  The
 * chain is a quasi-birth-death process in n; it is solved exactly by
 * linear level reduction (R matrices from the top level down, then back
 * substitution).
 */
#include "analytic/decomp.h"
#include "analytic/anderson.h"
#include "analytic/linalg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITER     1000
#define PLAIN_SWEEPS 3        /* before Anderson mixing starts (anderson.h) */
#define TOLERANCE    1e-5     /* relative change of any figure a block passes on */
#define MAX_LEVEL_DOUBLES (6L * 1000 * 1000)   /* R matrices of one block */
#define NSIDE (2 * PH_MAX + 3)               /* phases of one side    */
#define MAX_SWEEP_WORK 1.5e8        /* levels x states^3 over the blocks  */
#define MAX_TOTAL_WORK 1.5e11       /* the same over all sweeps (seconds)  */

/* What block i knows of its neighbours. */
typedef struct starving {           /* station i's supply (from block i-1) */
    double after_done[PH_MAX + 1];  /* P(starved, station i-1 in phase p) */
    double after_unblock[PH_MAX + 1]; /*  after a hand-over ended a block */
    double rate_starved;            /* station i-1 leaves "starved"      */
    double rate_done;               /* it finishes a part while station i */
                                    /* waits for it (compact form only)  */
} starving;

typedef struct blocking {           /* station i+1's exit (from block i+1) */
    double after_done[PH_MAX + 1];  /* P(blocked, station i+2 in phase p) */
    double next_blocked;            /* P(station i+2 blocked after a part) */
    double rate_blocked;            /* station i+2 leaves "blocked"      */
    double rate_done;               /* it finishes a part while station i+1 */
                                    /* waits for room (compact form only) */
} blocking;

typedef struct block {
    const ph *up, *down, *prev, *next;  /* prev / next NULL at the ends  */
    const ph *upc, *downc;          /* up and down as their neighbours see them */
    int compact;                    /* neighbours in compact form: their */
                                    /* finishing rates come from the blocks */
    long cap;
    const starving *sv;
    const blocking *bk;
    /* layout */
    int nu, idle0, nidle, aB, A;    /* up: own, starved.., blocked       */
    int nd, bI, blk0, nblk, B;      /* down: own, starved, blocked..     */
    int *map[3];                    /* level type -> (a*B+b) -> local    */
    int m[3];
} block;

/* A target distribution of one side after an event. */
typedef struct choice { int n; int idx[NSIDE]; double w[NSIDE]; } choice;

enum { TAG_UP_DONE = 1, TAG_UP_BLOCK = 2, TAG_TAKE_DONE = 4,
       TAG_TAKE_UNBLOCK = 8, TAG_DOWN_IDLE = 16, TAG_DOWN_DONE = 32 };

typedef struct sink sink;
typedef void (*sink_fn)(sink *s, int n, int a, int b, int n2, int a2, int b2,
                        double rate, int tag);
struct sink { sink_fn add; };

/* ---- layout ------------------------------------------------------------ */

static int level_type(const block *k, long n)
{
    return n == 0 ? 0 : n < k->cap ? 1 : 2;
}

static int valid(const block *k, long n, int a, int b)
{
    int upB = a == k->aB, downI = b == k->bI;
    if (upB && n != k->cap) return 0;
    if (downI && n != 0) return 0;
    return !(upB && downI);
}

static int block_layout(block *k)
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

static void block_release(block *k)
{
    for (int t = 0; t < 3; t++) { free(k->map[t]); k->map[t] = NULL; }
}

static int local(const block *k, long n, int a, int b)
{
    return k->map[level_type(k, n)][a * k->B + b];
}

static int level_size(const block *k, long n) { return k->m[level_type(k, n)]; }

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

static void level_events(const block *k, sink *s, long n)
{
    for (int a = 0; a < k->A; a++)
        for (int b = 0; b < k->B; b++)
            if (valid(k, n, a, b)) state_events(k, s, n, a, b);
}

/* ---- solving one block --------------------------------------------------- */

typedef struct matrix_sink {
    sink base;
    const block *k;
    long n;
    int m, mup, mdown;
    double *D, *U, *L;              /* m x m, m x mup, m x mdown         */
} matrix_sink;

static void matrix_add(sink *s, int n, int a, int b, int n2, int a2, int b2,
                       double rate, int tag)
{
    matrix_sink *ms = (matrix_sink *)s;
    (void)tag;
    int i = local(ms->k, n, a, b), j = local(ms->k, n2, a2, b2);
    if (n2 == n) {
        if (i == j) return;
        ms->D[i * ms->m + j] += rate;
    } else if (n2 == n + 1) {
        ms->U[i * ms->mup + j] += rate;
    } else {
        ms->L[i * ms->mdown + j] += rate;
    }
    ms->D[i * ms->m + i] -= rate;
}

typedef struct work {
    double *R;                      /* all R_n, packed                   */
    long *Roff;                     /* offset of R_n                     */
    double *pi;                     /* all levels, packed                */
    long *pioff;
    double *D, *U, *L, *Lprev, *S, *row;
    int *piv;
    long levels;                    /* allocated for this many levels    */
    long rsize, pisize;
    int mmax;
} work;

static int work_fit(work *w, const block *k)
{
    int mmax = k->m[0];
    if (k->m[1] > mmax) mmax = k->m[1];
    if (k->m[2] > mmax) mmax = k->m[2];
    long levels = k->cap + 1;
    long rsize = 0, pisize = 0;
    for (long n = 0; n <= k->cap; n++) {
        pisize += level_size(k, n);
        if (n > 0) rsize += (long)level_size(k, n - 1) * level_size(k, n);
    }
    if (rsize > MAX_LEVEL_DOUBLES) return -2;
    if (mmax > w->mmax) {
        size_t sq = (size_t)mmax * (size_t)mmax;
        double *D = realloc(w->D, sq * sizeof(double));
        if (D) w->D = D;
        double *U = realloc(w->U, sq * sizeof(double));
        if (U) w->U = U;
        double *L = realloc(w->L, sq * sizeof(double));
        if (L) w->L = L;
        double *Lp = realloc(w->Lprev, sq * sizeof(double));
        if (Lp) w->Lprev = Lp;
        double *S = realloc(w->S, sq * sizeof(double));
        if (S) w->S = S;
        double *row = realloc(w->row, (size_t)mmax * sizeof(double));
        if (row) w->row = row;
        int *piv = realloc(w->piv, (size_t)mmax * 2 * sizeof(int));
        if (piv) w->piv = piv;
        if (!D || !U || !L || !Lp || !S || !row || !piv) return -1;
        w->mmax = mmax;
    }
    if (levels > w->levels) {
        long *ro = realloc(w->Roff, (size_t)levels * sizeof(long));
        if (ro) w->Roff = ro;
        long *po = realloc(w->pioff, (size_t)levels * sizeof(long));
        if (po) w->pioff = po;
        if (!ro || !po) return -1;
        w->levels = levels;
    }
    if (rsize > w->rsize) {
        double *R = realloc(w->R, (size_t)rsize * sizeof(double));
        if (!R) return -1;
        w->R = R; w->rsize = rsize;
    }
    if (pisize > w->pisize) {
        double *pi = realloc(w->pi, (size_t)pisize * sizeof(double));
        if (!pi) return -1;
        w->pi = pi; w->pisize = pisize;
    }
    long ro = 0, po = 0;
    for (long n = 0; n <= k->cap; n++) {
        w->pioff[n] = po; po += level_size(k, n);
        w->Roff[n] = ro;
        if (n > 0) ro += (long)level_size(k, n - 1) * level_size(k, n);
    }
    return 0;
}

static void work_release(work *w)
{
    free(w->R); free(w->Roff); free(w->pi); free(w->pioff);
    free(w->D); free(w->U); free(w->L); free(w->Lprev); free(w->S);
    free(w->row); free(w->piv);
}

static void level_matrices(const block *k, work *w, long n)
{
    matrix_sink ms;
    ms.base.add = matrix_add;
    ms.k = k; ms.n = n;
    ms.m = level_size(k, n);
    ms.mup = n < k->cap ? level_size(k, n + 1) : 0;
    ms.mdown = n > 0 ? level_size(k, n - 1) : 0;
    ms.D = w->D; ms.U = w->U; ms.L = w->L;
    memset(w->D, 0, sizeof(double) * (size_t)ms.m * (size_t)ms.m);
    memset(w->U, 0, sizeof(double) * (size_t)ms.m * (size_t)(ms.mup ? ms.mup : 1));
    memset(w->L, 0, sizeof(double) * (size_t)ms.m * (size_t)(ms.mdown ? ms.mdown : 1));
    level_events(k, &ms.base, n);
}

/* pi Q = 0 by linear level reduction.  S holds the factored (-S_n)^T of
 * the level above while the level below is built. */
static int block_solve(const block *k, work *w)
{
    long N = k->cap;
    int *piv = w->piv;
    int mS = 0;                     /* size of the factored S above      */
    for (long n = N; n >= 0; n--) {
        int m = level_size(k, n);
        level_matrices(k, w, n);    /* D_n, U_n (to n+1), L_n (to n-1)   */
        if (n < N) {
            /* R_{n+1} = U_n (-S_{n+1})^-1, row by row */
            double *R = w->R + w->Roff[n + 1];
            for (int i = 0; i < m; i++) {
                /* most states cannot move up (up is not finishing a part):
                 * their rows of U, and so of R, are zero */
                int any = 0;
                for (int j = 0; j < mS; j++) {
                    w->row[j] = w->U[i * mS + j];
                    any |= w->row[j] != 0;
                }
                if (any) lu_solve(w->S, mS, piv, w->row);
                memcpy(R + (long)i * mS, w->row, sizeof(double) * (size_t)mS);
            }
            /* S_n = D_n + R_{n+1} L_{n+1} */
            for (int i = 0; i < m; i++)
                for (int t = 0; t < mS; t++) {
                    double r = R[(long)i * mS + t];
                    if (r == 0) continue;
                    const double *lr = w->Lprev + (long)t * m;
                    double *dr = w->D + (long)i * m;
                    for (int j = 0; j < m; j++) dr[j] += r * lr[j];
                }
        }
        if (n > 0) {
            /* factor (-S_n)^T for the next row solves; keep L_n */
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++) w->S[j * m + i] = -w->D[i * m + j];
            if (lu_factor(w->S, m, piv) != 0) return -3;
            memcpy(w->Lprev, w->L, sizeof(double) * (size_t)m * (size_t)level_size(k, n - 1));
            mS = m;
        } else {
            /* pi_0 S_0 = 0 with one equation replaced by sum = 1 */
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++) w->S[j * m + i] = w->D[i * m + j];
            double *pi0 = w->pi + w->pioff[0];
            for (int j = 0; j < m; j++) { w->S[(m - 1) * m + j] = 1; pi0[j] = 0; }
            pi0[m - 1] = 1;
            if (lu_factor(w->S, m, piv) != 0) return -3;
            lu_solve(w->S, m, piv, pi0);
        }
    }
    double total = 0;
    for (long n = 0; n <= N; n++) {
        int m = level_size(k, n);
        double *pn = w->pi + w->pioff[n];
        if (n > 0) {
            int mp = level_size(k, n - 1);
            const double *pp = w->pi + w->pioff[n - 1];
            const double *R = w->R + w->Roff[n];
            for (int j = 0; j < m; j++) pn[j] = 0;
            for (int i = 0; i < mp; i++) {
                if (pp[i] == 0) continue;
                for (int j = 0; j < m; j++) pn[j] += pp[i] * R[(long)i * m + j];
            }
        }
        for (int j = 0; j < m; j++) {
            if (pn[j] < 0) pn[j] = 0;   /* rounding */
            total += pn[j];
        }
    }
    if (!(total > 0)) return -3;
    for (long n = 0; n <= N; n++) {
        int m = level_size(k, n);
        double *pn = w->pi + w->pioff[n];
        for (int j = 0; j < m; j++) pn[j] /= total;
    }
    return 0;
}

/* ---- what a solved block tells its neighbours ------------------------------ */

typedef struct flows {
    sink base;
    const block *k;
    const work *w;
    double up_done;                 /* completions of up = throughput    */
    double up_block[PH_MAX + 1];    /* up blocked, by down's collapsed phase */
    double take_done, take_unblock;
    double idle_done[PH_MAX + 1], idle_unblock[PH_MAX + 1];
    /* leaving "starved" while down is starved too, and leaving "blocked"
     * while up is blocked too: the rates a neighbour block uses for its
     * collapsed phase, which it only visits in exactly that situation */
    double out_up_idle, out_down_blocked;
    double p_both_idle, p_both_blocked;
    /* finishing while the other side waits: up while down is starved,
     * down while up is blocked (for the compact neighbour forms) */
    double up_done_idle, p_upwork_idle, down_done_blocked, p_downwork_blocked;
} flows;

static double pi_at(const block *k, const work *w, long n, int a, int b)
{
    return w->pi[w->pioff[n] + local(k, n, a, b)];
}

static void flows_add(sink *s, int n, int a, int b, int n2, int a2, int b2,
                      double rate, int tag)
{
    flows *f = (flows *)s;
    const block *k = f->k;
    double r = rate * pi_at(k, f->w, n, a, b);
    (void)n2;
    if (r == 0) return;
    if (tag & TAG_UP_DONE) f->up_done += r;
    if ((tag & TAG_UP_DONE) && b == k->bI) f->up_done_idle += r;
    if ((tag & TAG_DOWN_DONE) && a == k->aB) f->down_done_blocked += r;
    if (tag & TAG_UP_BLOCK) f->up_block[b < k->nd ? k->down->mode[b] : k->downc->n] += r;
    if (tag & TAG_TAKE_DONE) f->take_done += r;
    if (tag & TAG_TAKE_UNBLOCK) f->take_unblock += r;
    if (tag & TAG_DOWN_IDLE) {
        int p = a < k->nu ? k->up->mode[a] : k->upc->n;
        if (tag & TAG_TAKE_UNBLOCK) f->idle_unblock[p] += r;
        else f->idle_done[p] += r;
    }
    int up_idle = a >= k->idle0 && a < k->aB, up_idle2 = a2 >= k->idle0 && a2 < k->aB;
    if (up_idle && !up_idle2 && b == k->bI) f->out_up_idle += r;
    if (b >= k->blk0 && b2 < k->blk0 && a == k->aB) f->out_down_blocked += r;
}

static void block_flows(const block *k, const work *w, flows *f)
{
    memset(f, 0, sizeof *f);
    f->base.add = flows_add;
    f->k = k; f->w = w;
    for (long n = 0; n <= k->cap; n++) {
        level_events(k, &f->base, n);
        for (int a = 0; a < k->A; a++)
            for (int b = 0; b < k->B; b++) {
                if (!valid(k, n, a, b)) continue;
                if (a >= k->idle0 && a < k->aB && b == k->bI)
                    f->p_both_idle += pi_at(k, w, n, a, b);
                if (a == k->aB && b >= k->blk0)
                    f->p_both_blocked += pi_at(k, w, n, a, b);
                if (a < k->nu && !k->up->failed[a] && b == k->bI)
                    f->p_upwork_idle += pi_at(k, w, n, a, b);
                if (b < k->nd && !k->down->failed[b] && a == k->aB)
                    f->p_downwork_blocked += pi_at(k, w, n, a, b);
            }
    }
}

/* Occupancy of up's and down's state classes, and the mean level. */
static void block_states(const block *k, const work *w, double up[DS_NSTATES],
                         double down[DS_NSTATES], double *level, long off, long bcap)
{
    memset(up, 0, sizeof(double) * DS_NSTATES);
    memset(down, 0, sizeof(double) * DS_NSTATES);
    *level = 0;
    for (long n = 0; n <= k->cap; n++)
        for (int a = 0; a < k->A; a++)
            for (int b = 0; b < k->B; b++) {
                if (!valid(k, n, a, b)) continue;
                double p = pi_at(k, w, n, a, b);
                long in = n - off < 0 ? 0 : n - off > bcap ? bcap : n - off;
                *level += (double)in * p;
                if (a < k->nu) up[k->up->failed[a] ? DS_FAILED : DS_WORKING] += p;
                else if (a < k->aB) up[DS_STARVED] += p;
                else up[DS_BLOCKED] += p;
                if (b < k->nd) down[k->down->failed[b] ? DS_FAILED : DS_WORKING] += p;
                else if (b == k->bI) down[DS_STARVED] += p;
                else down[DS_BLOCKED] += p;
            }
}

/* ---- the line ------------------------------------------------------------ */

long decomp_max_capacity(void) { return 10000; }

static double sum(const double *v, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++) s += v[i];
    return s;
}

/* A probability passed between blocks, clamped against rounding. */
static double prob(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

/* The probabilities the blocks pass on, as one vector for the mixing:
 * per block its supply after a completion and after an unblocking, and
 * its exit after a completion. */
#define NPASSED (3 * (PH_MAX + 1) + 4)

static void passed_get(const starving *sv, const blocking *bk, int nb, double *x)
{
    for (int i = 0; i < nb; i++, x += NPASSED) {
        memcpy(x, sv[i].after_done, sizeof sv[i].after_done);
        memcpy(x + PH_MAX + 1, sv[i].after_unblock, sizeof sv[i].after_unblock);
        memcpy(x + 2 * (PH_MAX + 1), bk[i].after_done, sizeof bk[i].after_done);
        double *r = x + 3 * (PH_MAX + 1);
        r[0] = log(fmax(sv[i].rate_starved, 1e-30));
        r[1] = log(fmax(sv[i].rate_done, 1e-30));
        r[2] = log(fmax(bk[i].rate_blocked, 1e-30));
        r[3] = log(fmax(bk[i].rate_done, 1e-30));
    }
}

static void passed_set(starving *sv, blocking *bk, const block *blk, int nb, const double *x)
{
    for (int i = 0; i < nb; i++, x += NPASSED) {
        memcpy(sv[i].after_done, x, sizeof sv[i].after_done);
        memcpy(sv[i].after_unblock, x + PH_MAX + 1, sizeof sv[i].after_unblock);
        memcpy(bk[i].after_done, x + 2 * (PH_MAX + 1), sizeof bk[i].after_done);
        const double *r = x + 3 * (PH_MAX + 1);
        sv[i].rate_starved = exp(r[0]);
        sv[i].rate_done = exp(r[1]);
        bk[i].rate_blocked = exp(r[2]);
        bk[i].rate_done = exp(r[3]);
        for (int j = 0; j <= PH_MAX; j++) {
            sv[i].after_done[j] = prob(sv[i].after_done[j]);
            sv[i].after_unblock[j] = prob(sv[i].after_unblock[j]);
            bk[i].after_done[j] = prob(bk[i].after_done[j]);
        }
    }
    for (int i = 1; i < nb; i++)
        bk[i - 1].next_blocked = blk[i].next ? sum(bk[i].after_done, blk[i].nblk) : 0;
}

static void single_station(const decomp_line *l, decomp_result *r)
{
    double wk, fl;
    ph_busy_fractions(&l->machine[0], &wk, &fl);
    r->throughput = 1 / ph_mean(&l->machine[0]);
    memset(r->state[0], 0, sizeof r->state[0]);
    r->state[0][DS_WORKING] = wk;
    r->state[0][DS_FAILED] = fl;
    r->iterations = 0;
    r->spread = 0;
}

int decomp_solve(const decomp_line *l, decomp_result *r)
{
    if (l->k == 1) { single_station(l, r); return 0; }
    int nb = l->k - 1, rc = 0;
    double work_units = 0;
    starving *sv = calloc((size_t)nb, sizeof *sv);
    blocking *bk = calloc((size_t)nb, sizeof *bk);
    block *blk = calloc((size_t)nb, sizeof *blk);
    double *th = calloc((size_t)nb, sizeof *th);
    double *x = malloc(sizeof(double) * NPASSED * (size_t)nb);
    double *g = malloc(sizeof(double) * NPASSED * (size_t)nb);
    work w;
    anderson an;
    memset(&w, 0, sizeof w);
    int have_an = anderson_init(&an, NPASSED * nb) == 0;
    if (!sv || !bk || !blk || !th || !x || !g || !have_an) { rc = -1; goto done; }
    for (int i = 0; i < nb; i++) {
        sv[i].rate_starved = 1;
        bk[i].rate_blocked = 1;
        /* a compact neighbour works in one exponential phase, phase 0 */
        sv[i].rate_done = i > 0 && l->compact ? l->compact[i - 1].done[0] : 1;
        bk[i].rate_done = i + 2 < l->k && l->compact ? l->compact[i + 2].done[0] : 1;
        block *k = &blk[i];
        k->up = &l->machine[i];
        k->down = &l->machine[i + 1];
        const ph *seen = l->compact ? l->compact : l->machine;
        k->prev = i > 0 ? &seen[i - 1] : NULL;
        k->next = i + 2 < l->k ? &seen[i + 2] : NULL;
        k->upc = &seen[i];
        k->compact = l->compact != NULL;
        k->downc = &seen[i + 1];
        k->cap = l->capacity[i];
        k->sv = &sv[i];
        k->bk = &bk[i];
        if (k->cap < 0 || k->cap > decomp_max_capacity()) { rc = -2; goto done; }
        if (block_layout(k) != 0) { rc = -1; goto done; }
        /* the work of one sweep, ~ levels x states^3, is bounded so that
         * the estimate beside every run stays a fraction of a simulation;
         * counted, not timed, so the answer never depends on the machine */
        int mm = k->m[0] > k->m[1] ? k->m[0] : k->m[1];
        if (k->m[2] > mm) mm = k->m[2];
        work_units += (double)(k->cap + 1) * mm * mm * mm;
        if (work_units > MAX_SWEEP_WORK) { rc = -2; goto done; }
    }
    int iter, settled = 0;
    for (iter = 1; iter <= MAX_ITER && !settled; iter++) {
        if (work_units * iter > MAX_TOTAL_WORK) { rc = -2; goto done; }
        double change = 0;
        if (iter % 2 == 1) passed_get(sv, bk, nb, x);
        /* one sweep a round, alternately down and up the line: each block
         * sees its neighbours' newest figures from one side */
        for (int pass = (iter - 1) % 2; pass == (iter - 1) % 2; pass = 2)
            for (int s = 0; s < nb; s++) {
                int i = pass == 0 ? s : nb - 1 - s;
                block *k = &blk[i];
                if ((rc = work_fit(&w, k)) != 0) goto done;
                if ((rc = block_solve(k, &w)) != 0) goto done;
                flows f;
                block_flows(k, &w, &f);
                double d = fabs(f.up_done - th[i]) / f.up_done;
                if (d > change) change = d;
                th[i] = f.up_done;
                if (i + 1 < nb) {   /* station i+1's supply, for block i+1 */
                    starving *n = &sv[i + 1];
                    int np = k->upc->n + 1;
                    for (int p = 0; p < np; p++) {
                        double v = f.take_done > 0 ? f.idle_done[p] / f.take_done : 0;
                        double u = f.take_unblock > 0 ? f.idle_unblock[p] / f.take_unblock : 0;
                        change = fmax(change, fabs(v - n->after_done[p]));
                        n->after_done[p] = prob(v);
                        n->after_unblock[p] = prob(u);
                    }
                    if (f.p_both_idle > 1e-12)
                        n->rate_starved = f.out_up_idle / f.p_both_idle;
                    if (f.p_upwork_idle > 1e-12)
                        n->rate_done = f.up_done_idle / f.p_upwork_idle;
                }
                if (i > 0) {        /* station i's exit, for block i-1   */
                    blocking *p = &bk[i - 1];
                    int nq = k->downc->n + 1;
                    for (int q = 0; q < nq; q++) {
                        double v = f.up_block[q] / f.up_done;
                        change = fmax(change, fabs(v - p->after_done[q]));
                        p->after_done[q] = prob(v);
                    }
                    p->next_blocked = k->next ? sum(bk[i].after_done, k->nblk) : 0;
                    if (f.p_both_blocked > 1e-12)
                        p->rate_blocked = f.out_down_blocked / f.p_both_blocked;
                    if (f.p_downwork_blocked > 1e-12)
                        p->rate_done = f.down_done_blocked / f.p_downwork_blocked;
                }
            }
        if (change < TOLERANCE) settled = 1;
        else if (iter > PLAIN_SWEEPS && iter % 2 == 0) {
            passed_get(sv, bk, nb, g);
            anderson_step(&an, x, g, -INFINITY, INFINITY);
            passed_set(sv, bk, blk, nb, g);
        }
    }
    r->iterations = iter - 1;
    /* final figures from one more solve of every block */
    double thmin = INFINITY, thmax = 0;
    for (int i = 0; i < nb; i++) {
        block *k = &blk[i];
        if ((rc = work_fit(&w, k)) != 0) goto done;
        if ((rc = block_solve(k, &w)) != 0) goto done;
        flows f;
        block_flows(k, &w, &f);
        double st[DS_NSTATES], sd[DS_NSTATES];
        block_states(k, &w, st, sd, &r->mean_level[i], l->offset ? l->offset[i] : 0,
                     l->buffer_cap ? l->buffer_cap[i] : k->cap);
        memcpy(r->state[i], st, sizeof st);
        if (i == nb - 1) memcpy(r->state[i + 1], sd, sizeof sd);
        th[i] = f.up_done;
        thmin = fmin(thmin, th[i]);
        thmax = fmax(thmax, th[i]);
    }
    r->throughput = th[nb - 1];
    r->spread = (thmax - thmin) / thmax;
    if (!settled) rc = -3;
done:
    for (int i = 0; blk && i < nb; i++) block_release(&blk[i]);
    free(sv); free(bk); free(blk); free(th); free(x); free(g);
    if (have_an) anderson_free(&an);
    work_release(&w);
    return rc;
}
