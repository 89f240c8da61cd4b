/*
 * block_solve.c — the exact stationary distribution of one block (see
 * block.h).  The block's chain is a quasi-birth-death process in the
 * buffer level; it is solved by linear level reduction (R matrices from
 * the top level down, then back substitution), and between the sweeps of
 * the decomposition by iterative refinement on the factors kept from the
 * last solve: the figures a block gets from its neighbours change little
 * from one sweep to the next, so a few O(states x phases) refinement steps
 * replace the O(levels x states^3) factorisation.
 */
#include "analytic/block.h"
#include "analytic/linalg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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



int work_fit(work *w, const block *k)
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
        if (pi) w->pi = pi;
        double *sc = realloc(w->scratch, (size_t)pisize * sizeof(double));
        if (sc) w->scratch = sc;
        if (!pi || !sc) return -1;
        w->pisize = pisize;
    }
    long ro = 0, po = 0;
    for (long n = 0; n <= k->cap; n++) {
        w->pioff[n] = po; po += level_size(k, n);
        w->Roff[n] = ro;
        if (n > 0) ro += (long)level_size(k, n - 1) * level_size(k, n);
    }
    return 0;
}

void work_release(work *w)
{
    free(w->R); free(w->Roff); free(w->pi); free(w->pioff);
    free(w->D); free(w->U); free(w->L); free(w->Lprev); free(w->S);
    free(w->row); free(w->piv); free(w->scratch);
    free(w->tfrom); free(w->tto); free(w->trate);
    free(w->ttag); free(w->ta); free(w->tb); free(w->ta2); free(w->tb2);
}

/* ---- kept factors and refinement ----------------------------------------- */

#define REFINE_TOL  1e-12     /* |pi Q| / flow out of all states, at least */
#define REFINE_MAX  8         /* steps before solving afresh              */
#define REFINE_RATE 0.25      /* each step must cut the residual this much */

long fact_doubles(const block *k)
{
    long s = 0;
    for (long n = 0; n <= k->cap; n++) {
        long m = level_size(k, n);
        s += m * m + 3 * m;
        if (n > 0) s += 3 * m * level_size(k, n - 1);
    }
    return s;
}

int fact_init(fact *f, const block *k)
{
    memset(f, 0, sizeof *f);
    for (long n = 0; n <= k->cap; n++) {
        long m = level_size(k, n);
        f->ssize += m * m;
        f->pisize += m;
        if (n > 0) f->rsize += m * level_size(k, n - 1);
    }
    size_t rs = (size_t)(f->rsize ? f->rsize : 1);
    f->R = malloc(sizeof(double) * rs);
    f->S = malloc(sizeof(double) * (size_t)f->ssize);
    f->pi = malloc(sizeof(double) * (size_t)f->pisize);
    f->Soff = malloc(sizeof(long) * (size_t)(k->cap + 1));
    f->piv = malloc(sizeof(int) * (size_t)f->pisize);
    f->rrow = malloc(sizeof(int) * (size_t)f->pisize);
    f->nrrow = malloc(sizeof(int) * (size_t)(k->cap + 1));
    f->Lptr = malloc(sizeof(long) * (size_t)(f->pisize + k->cap + 1));
    f->Lcol = malloc(sizeof(int) * rs);
    f->Lval = malloc(sizeof(double) * rs);
    if (!f->R || !f->S || !f->pi || !f->Soff || !f->piv || !f->rrow || !f->nrrow ||
        !f->Lptr || !f->Lcol || !f->Lval) {
        fact_release(f);
        return -1;
    }
    long so = 0;
    for (long n = 0; n <= k->cap; n++) {
        f->Soff[n] = so;
        so += (long)level_size(k, n) * level_size(k, n);
    }
    return 0;
}

void fact_release(fact *f)
{
    free(f->R); free(f->S); free(f->pi); free(f->Soff); free(f->piv);
    free(f->rrow); free(f->nrrow); free(f->Lptr); free(f->Lcol); free(f->Lval);
    memset(f, 0, sizeof *f);
}

/* Keep level n's factored matrix (w->S, w->piv) and L_n (w->L, m x mdown,
 * kept sparse: a row has a handful of entries). */
static void fact_keep_level(fact *f, const work *w, long n, int m, int mdown)
{
    memcpy(f->S + f->Soff[n], w->S, sizeof(double) * (size_t)m * (size_t)m);
    memcpy(f->piv + w->pioff[n], w->piv, sizeof(int) * (size_t)m);
    if (n == 0) return;
    long *ptr = f->Lptr + w->pioff[n] + n, e = w->Roff[n];
    for (int t = 0; t < m; t++) {
        ptr[t] = e;
        for (int j = 0; j < mdown; j++) {
            double v = w->L[(long)t * mdown + j];
            if (v != 0) { f->Lcol[e] = j; f->Lval[e++] = v; }
        }
    }
    ptr[m] = e;
}

/* Keep the R matrices (w->R) and which of their rows are not zero. */
static void fact_keep_r(fact *f, const block *k, const work *w)
{
    if (f->rsize > 0)               /* a block without buffer places keeps none */
        memcpy(f->R, w->R, sizeof(double) * (size_t)f->rsize);
    for (long n = 1; n <= k->cap; n++) {
        int m = level_size(k, n), mp = level_size(k, n - 1), c = 0;
        int *rows = f->rrow + w->pioff[n - 1];
        const double *R = w->R + w->Roff[n];
        for (int i = 0; i < mp; i++)
            for (int j = 0; j < m; j++)
                if (R[(long)i * m + j] != 0) { rows[c++] = i; break; }
        f->nrrow[n] = c;
    }
}

typedef struct list_sink {
    sink base;
    const block *k;
    work *w;
    int full;                       /* out of memory                     */
} list_sink;

static void list_add(sink *s, int n, int a, int b, int n2, int a2, int b2,
                     double rate, int tag)
{
    list_sink *ls = (list_sink *)s;
    work *w = ls->w;
    if (w->ntr == w->trcap) {
        long cap = w->trcap ? 2 * w->trcap : 1024;
        long *fr = realloc(w->tfrom, sizeof(long) * (size_t)cap);
        if (fr) w->tfrom = fr;
        long *to = realloc(w->tto, sizeof(long) * (size_t)cap);
        if (to) w->tto = to;
        double *ra = realloc(w->trate, sizeof(double) * (size_t)cap);
        if (ra) w->trate = ra;
        unsigned char **by[5] = { &w->ttag, &w->ta, &w->tb, &w->ta2, &w->tb2 };
        int ok = fr && to && ra;
        for (int i = 0; i < 5; i++) {
            unsigned char *p = realloc(*by[i], (size_t)cap);
            if (p) *by[i] = p; else ok = 0;
        }
        if (!ok) { ls->full = 1; return; }
        w->trcap = cap;
    }
    long t = w->ntr++;
    w->tfrom[t] = w->pioff[n] + local(ls->k, n, a, b);
    w->tto[t] = w->pioff[n2] + local(ls->k, n2, a2, b2);
    w->trate[t] = rate;
    w->ttag[t] = (unsigned char)tag;
    w->ta[t] = (unsigned char)a; w->tb[t] = (unsigned char)b;
    w->ta2[t] = (unsigned char)a2; w->tb2[t] = (unsigned char)b2;
}

int block_list(const block *k, work *w)
{
    list_sink ls;
    ls.base.add = list_add;
    ls.k = k; ls.w = w; ls.full = 0;
    w->ntr = 0;
    for (long n = 0; n <= k->cap && !ls.full; n++) level_events(k, &ls.base, n);
    return ls.full ? -1 : 0;
}

/* x Q_old = r for x (in place of r), by the kept level reduction:
 * x_n = x_{n-1} R_n - c_n with c_n = (r_n + c_{n+1} L_{n+1}) (-S_n)^-1,
 * and at level 0 the component along the null vector fixed by sum 0. */
static void fact_apply(const block *k, const work *w, const fact *f, double *x)
{
    long N = k->cap;
    for (long n = N; n >= 0; n--) {
        int m = level_size(k, n);
        double *c = x + w->pioff[n];
        if (n < N) {
            int mu = level_size(k, n + 1);
            const double *cu = x + w->pioff[n + 1];
            const long *ptr = f->Lptr + w->pioff[n + 1] + n + 1;
            for (int t = 0; t < mu; t++)
                for (long e = ptr[t]; e < ptr[t + 1]; e++) c[f->Lcol[e]] += cu[t] * f->Lval[e];
        }
        if (n == 0) c[m - 1] = 0;
        lu_solve(f->S + f->Soff[n], m, f->piv + w->pioff[n], c);
    }
    for (long n = 1; n <= N; n++) {
        int m = level_size(k, n);
        double *xn = x + w->pioff[n];
        const double *xp = x + w->pioff[n - 1];
        const double *R = f->R + w->Roff[n];
        const int *rows = f->rrow + w->pioff[n - 1];
        for (int j = 0; j < m; j++) xn[j] = -xn[j];
        for (int q = 0; q < f->nrrow[n]; q++) {
            int i = rows[q];
            if (xp[i] == 0) continue;
            const double *rr = R + (long)i * m;
            for (int j = 0; j < m; j++) xn[j] += xp[i] * rr[j];
        }
    }
}

int block_refine(const block *k, work *w, fact *f, double tol)
{
    if (!f->valid) return 1;
    long size = f->pisize, ntr = w->ntr;
    const long *from = w->tfrom, *to = w->tto;
    const double *rate = w->trate;
    double *pi = w->pi, *r = w->scratch, prev = INFINITY;
    memcpy(pi, f->pi, sizeof(double) * (size_t)size);
    for (int step = 0;; step++) {
        double flow = 0, res = 0;
        memset(r, 0, sizeof(double) * (size_t)size);
        for (long t = 0; t < ntr; t++) {
            double v = pi[from[t]] * rate[t];
            r[to[t]] += v;
            r[from[t]] -= v;
            flow += v;
        }
        for (long i = 0; i < size; i++) res += fabs(r[i]);
        res = flow > 0 ? res / flow : INFINITY;
        if (res < fmax(tol, REFINE_TOL)) break;
        if (step == REFINE_MAX || !(res < REFINE_RATE * prev)) return 1;
        prev = res;
        for (long i = 0; i < size; i++) r[i] = -r[i];
        fact_apply(k, w, f, r);
        double total = 0;
        for (long i = 0; i < size; i++) { pi[i] += r[i]; total += pi[i]; }
        if (!(total > 0)) return 1;
        for (long i = 0; i < size; i++) pi[i] /= total;
    }
    double total = 0;
    for (long i = 0; i < size; i++) { if (pi[i] < 0) pi[i] = 0; total += pi[i]; }
    for (long i = 0; i < size; i++) pi[i] /= total;
    memcpy(f->pi, pi, sizeof(double) * (size_t)size);
    return 0;
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
int block_solve(const block *k, work *w, fact *f)
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
            if (f) fact_keep_level(f, w, n, m, level_size(k, n - 1));
        } else {
            /* pi_0 S_0 = 0 with one equation replaced by sum = 1 */
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++) w->S[j * m + i] = w->D[i * m + j];
            double *pi0 = w->pi + w->pioff[0];
            for (int j = 0; j < m; j++) { w->S[(m - 1) * m + j] = 1; pi0[j] = 0; }
            pi0[m - 1] = 1;
            if (lu_factor(w->S, m, piv) != 0) return -3;
            if (f) fact_keep_level(f, w, 0, m, 0);
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
    if (f) {
        fact_keep_r(f, k, w);
        memcpy(f->pi, w->pi, sizeof(double) * (size_t)f->pisize);
        f->valid = 1;
    }
    return 0;
}
