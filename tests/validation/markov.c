/*
 * markov.c — the exact continuous-time Markov chain of a small serial
 * line (see markov.h), used as the reference the simulator is checked
 * against.
 *
 * A state is every machine's condition (idle, working, blocked holding a
 * finished part, failed holding a part) plus every buffer's level.  Only
 * states reachable from the empty line are enumerated (breadth first from
 * "machine 1 working, all else empty"); a dense table indexed by the
 * mixed-radix code of the state maps it to its compact number.  Events
 * are completions, failures and repairs; the moves of parts that follow a
 * completion (hand-over to an idle machine, release of a blocked upstream
 * machine, and so on up the line) are instantaneous and folded into the
 * one transition, which keeps the chain free of vanishing states.
 *
 * pi Q = 0 is solved by dense Gaussian elimination when the space is small
 * (exact to rounding), otherwise by Gauss-Seidel sweeps over the incoming
 * transitions of each state, which needs only the sparse generator.  Both
 * paths report the residual so callers can see how exact the answer is.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "markov.h"

#define MAX_RAW_STATES   (8L * 1000 * 1000)
#define MAX_DENSE_STATES 1200
#define AUTO_DENSE_STATES 600
#define GS_MAX_SWEEPS    200000
#define GS_TOLERANCE     1e-13

typedef struct line_state {
    int m[MARKOV_MAX_MACHINES];
    int b[MARKOV_MAX_MACHINES - 1];
} line_state;

typedef struct chain {
    const markov_line *line;
    int k;                          /* machines                          */
    long nraw;                      /* size of the mixed-radix code space */
    int *index;                     /* raw code -> compact number, or -1 */
    long *code;                     /* compact number -> raw code        */
    int n, cap;                     /* states found, allocated           */
    /* transitions, grouped by target (incoming lists) */
    int *in_start, *in_from;
    double *in_rate;
    double *exit_rate;
} chain;

markov_line markov_uniform_line(int nmachines, double mu, int capacity)
{
    markov_line l;
    memset(&l, 0, sizeof l);
    l.nmachines = nmachines;
    for (int i = 0; i < MARKOV_MAX_MACHINES; i++) {
        l.machine[i].mu = mu;
        if (i < MARKOV_MAX_MACHINES - 1) l.capacity[i] = capacity;
    }
    return l;
}

static int line_valid(const markov_line *l)
{
    if (l->nmachines < 1 || l->nmachines > MARKOV_MAX_MACHINES) return 0;
    for (int i = 0; i < l->nmachines; i++) {
        const markov_machine *m = &l->machine[i];
        if (!(m->mu > 0) || m->p < 0) return 0;
        if (m->p > 0 && !(m->r > 0)) return 0;
        if (i < l->nmachines - 1 && l->capacity[i] < 0) return 0;
    }
    return 1;
}

/* ---- state coding ---------------------------------------------------- */

static long state_encode(const chain *c, const line_state *s)
{
    long code = 0;
    for (int i = 0; i < c->k; i++) code = code * MK_NSTATES + s->m[i];
    for (int i = 0; i < c->k - 1; i++)
        code = code * (c->line->capacity[i] + 1) + s->b[i];
    return code;
}

static void state_decode(const chain *c, long code, line_state *s)
{
    for (int i = c->k - 2; i >= 0; i--) {
        long radix = c->line->capacity[i] + 1;
        s->b[i] = (int)(code % radix);
        code /= radix;
    }
    for (int i = c->k - 1; i >= 0; i--) {
        s->m[i] = (int)(code % MK_NSTATES);
        code /= MK_NSTATES;
    }
}

/* ---- the dynamics ---------------------------------------------------- */

/* Machine i has just given up its part: it takes the next one if it can,
 * and a machine upstream that was blocked on it is released in turn. */
static void machine_refill(const chain *c, line_state *s, int i)
{
    if (i == 0) {                   /* raw material is always there      */
        s->m[0] = MK_WORKING;
        return;
    }
    if (s->b[i - 1] > 0) {
        s->b[i - 1]--;
        s->m[i] = MK_WORKING;
        if (s->m[i - 1] == MK_BLOCKED) {
            s->b[i - 1]++;
            machine_refill(c, s, i - 1);
        }
    } else if (s->m[i - 1] == MK_BLOCKED) {     /* direct hand-over      */
        s->m[i] = MK_WORKING;
        machine_refill(c, s, i - 1);
    } else {
        s->m[i] = MK_IDLE;
    }
}

/* Machine i finishes its part (blocking after service). */
static void machine_complete(const chain *c, line_state *s, int i)
{
    if (i == c->k - 1) {            /* to the sink                       */
        machine_refill(c, s, i);
        return;
    }
    if (s->m[i + 1] == MK_IDLE) {
        s->m[i + 1] = MK_WORKING;
        machine_refill(c, s, i);
    } else if (s->b[i] < c->line->capacity[i]) {
        s->b[i]++;
        machine_refill(c, s, i);
    } else {
        s->m[i] = MK_BLOCKED;
    }
}

typedef struct move { long code; double rate; } move;

/* The transitions out of one state; returns how many (at most 2 per machine). */
static int state_moves(const chain *c, long code, move *mv)
{
    line_state s, t;
    int n = 0;
    state_decode(c, code, &s);
    for (int i = 0; i < c->k; i++) {
        const markov_machine *m = &c->line->machine[i];
        if (s.m[i] == MK_WORKING) {
            t = s;
            machine_complete(c, &t, i);
            mv[n++] = (move){ state_encode(c, &t), m->mu };
            if (m->p > 0) {
                t = s;
                t.m[i] = MK_FAILED;
                mv[n++] = (move){ state_encode(c, &t), m->p };
            }
        } else if (s.m[i] == MK_FAILED) {
            t = s;
            t.m[i] = MK_WORKING;
            mv[n++] = (move){ state_encode(c, &t), m->r };
        }
    }
    return n;
}

/* ---- building the chain ---------------------------------------------- */

static int chain_add(chain *c, long code)
{
    if (c->index[code] >= 0) return 0;
    if (c->n == c->cap) {
        int cap = c->cap ? 2 * c->cap : 1024;
        long *p = realloc(c->code, (size_t)cap * sizeof *p);
        if (!p) return -1;
        c->code = p;
        c->cap = cap;
    }
    c->index[code] = c->n;
    c->code[c->n++] = code;
    return 0;
}

static int chain_enumerate(chain *c)
{
    line_state s;
    move mv[2 * MARKOV_MAX_MACHINES];
    memset(&s, 0, sizeof s);
    s.m[0] = MK_WORKING;
    if (chain_add(c, state_encode(c, &s))) return -1;
    for (int next = 0; next < c->n; next++) {
        int nm = state_moves(c, c->code[next], mv);
        for (int j = 0; j < nm; j++)
            if (chain_add(c, mv[j].code)) return -1;
    }
    return 0;
}

/* Group the transitions by target state, as Gauss-Seidel and the dense
 * transpose both want them. */
static int chain_incoming(chain *c)
{
    move mv[2 * MARKOV_MAX_MACHINES];
    int n = c->n;
    long total = 0;
    int *fill;
    if (n <= 0) return -1;
    c->in_start = calloc((size_t)n + 1, sizeof *c->in_start);
    c->exit_rate = calloc((size_t)n, sizeof *c->exit_rate);
    fill = calloc((size_t)n, sizeof *fill);
    if (!c->in_start || !c->exit_rate || !fill) { free(fill); return -1; }
    for (int i = 0; i < n; i++) {
        int nm = state_moves(c, c->code[i], mv);
        for (int j = 0; j < nm; j++) {
            c->in_start[c->index[mv[j].code] + 1]++;
            c->exit_rate[i] += mv[j].rate;
            total++;
        }
    }
    for (int i = 0; i < n; i++) c->in_start[i + 1] += c->in_start[i];
    c->in_from = malloc((size_t)total * sizeof *c->in_from);
    c->in_rate = malloc((size_t)total * sizeof *c->in_rate);
    if (!c->in_from || !c->in_rate) { free(fill); return -1; }
    for (int i = 0; i < n; i++) {
        int nm = state_moves(c, c->code[i], mv);
        for (int j = 0; j < nm; j++) {
            int to = c->index[mv[j].code];
            int at = c->in_start[to] + fill[to]++;
            c->in_from[at] = i;
            c->in_rate[at] = mv[j].rate;
        }
    }
    free(fill);
    return 0;
}

static void chain_free(chain *c)
{
    free(c->index); free(c->code);
    free(c->in_start); free(c->in_from); free(c->in_rate); free(c->exit_rate);
}

/* ---- solving pi Q = 0 ------------------------------------------------ */

/* max_j |(pi Q)_j| relative to the largest exit rate. */
static double chain_residual(const chain *c, const double *pi)
{
    double worst = 0, scale = 0;
    for (int j = 0; j < c->n; j++) {
        double flow = -pi[j] * c->exit_rate[j];
        for (int a = c->in_start[j]; a < c->in_start[j + 1]; a++)
            flow += pi[c->in_from[a]] * c->in_rate[a];
        if (fabs(flow) > worst) worst = fabs(flow);
        if (c->exit_rate[j] > scale) scale = c->exit_rate[j];
    }
    return scale > 0 ? worst / scale : worst;
}

/* Q^T pi = 0 with the last balance equation replaced by sum(pi) = 1;
 * Gaussian elimination with partial pivoting. */
static int solve_dense(const chain *c, double *pi)
{
    int n = c->n;
    double *a = calloc((size_t)n * (size_t)n, sizeof *a);
    if (!a) return -2;
#define A(i, j) a[(size_t)(i) * (size_t)n + (size_t)(j)]
    for (int j = 0; j < n; j++) {
        A(j, j) = -c->exit_rate[j];
        for (int e = c->in_start[j]; e < c->in_start[j + 1]; e++)
            A(j, c->in_from[e]) += c->in_rate[e];
        pi[j] = 0;
    }
    for (int j = 0; j < n; j++) A(n - 1, j) = 1;
    pi[n - 1] = 1;
    for (int col = 0; col < n; col++) {
        int piv = col;
        for (int i = col + 1; i < n; i++)
            if (fabs(A(i, col)) > fabs(A(piv, col))) piv = i;
        if (A(piv, col) == 0) { free(a); return -3; }
        if (piv != col) {
            for (int j = 0; j < n; j++) {
                double t = A(col, j); A(col, j) = A(piv, j); A(piv, j) = t;
            }
            double t = pi[col]; pi[col] = pi[piv]; pi[piv] = t;
        }
        for (int i = col + 1; i < n; i++) {
            double f = A(i, col) / A(col, col);
            if (f == 0) continue;
            for (int j = col; j < n; j++) A(i, j) -= f * A(col, j);
            pi[i] -= f * pi[col];
        }
    }
    for (int i = n - 1; i >= 0; i--) {
        double s = pi[i];
        for (int j = i + 1; j < n; j++) s -= A(i, j) * pi[j];
        pi[i] = s / A(i, i);
    }
#undef A
    free(a);
    return 0;
}

static void normalise(double *pi, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++) sum += pi[i];
    for (int i = 0; i < n; i++) pi[i] /= sum;
}

/* Gauss-Seidel: pi_j = sum_i pi_i q_ij / q_j, sweeping in breadth-first
 * order (states near the empty line first), normalised after each sweep. */
static int solve_iterative(const chain *c, double *pi, int *sweeps)
{
    int n = c->n;
    for (int j = 0; j < n; j++) pi[j] = 1.0 / n;
    for (int it = 1; it <= GS_MAX_SWEEPS; it++) {
        double change = 0;
        for (int j = 0; j < n; j++) {
            double in = 0;
            for (int a = c->in_start[j]; a < c->in_start[j + 1]; a++)
                in += pi[c->in_from[a]] * c->in_rate[a];
            double v = in / c->exit_rate[j];
            double d = fabs(v - pi[j]) / (v > pi[j] ? v : pi[j]);
            if (v > 0 && d > change) change = d;
            pi[j] = v;
        }
        normalise(pi, n);
        if (change < GS_TOLERANCE) { *sweeps = it; return 0; }
    }
    *sweeps = GS_MAX_SWEEPS;
    return -3;
}

static void measure(const chain *c, const double *pi, markov_result *out)
{
    const markov_line *l = c->line;
    line_state s;
    for (int i = 0; i < c->n; i++) {
        state_decode(c, c->code[i], &s);
        for (int m = 0; m < c->k; m++) {
            out->state[m][s.m[m]] += pi[i];
            if (s.m[m] != MK_IDLE) out->wip += pi[i];
        }
        for (int b = 0; b < c->k - 1; b++) {
            out->mean_level[b] += pi[i] * s.b[b];
            out->wip += pi[i] * s.b[b];
        }
        if (s.m[c->k - 1] == MK_WORKING)
            out->throughput += pi[i] * l->machine[c->k - 1].mu;
    }
}

int markov_solve(const markov_line *line, markov_method method, markov_result *out)
{
    chain c;
    double *pi = NULL;
    int rc = 0;
    memset(out, 0, sizeof *out);
    if (!line_valid(line)) return -1;
    memset(&c, 0, sizeof c);
    c.line = line;
    c.k = line->nmachines;
    c.nraw = 1;
    for (int i = 0; i < c.k; i++) c.nraw *= MK_NSTATES;
    for (int i = 0; i < c.k - 1; i++) {
        c.nraw *= line->capacity[i] + 1;
        if (c.nraw > MAX_RAW_STATES) return -2;
    }
    c.index = malloc((size_t)c.nraw * sizeof *c.index);
    if (!c.index) return -2;
    memset(c.index, 0xff, (size_t)c.nraw * sizeof *c.index);   /* all -1 */
    if (chain_enumerate(&c) || chain_incoming(&c)) { rc = -2; goto done; }
    pi = malloc((size_t)c.n * sizeof *pi);
    if (!pi) { rc = -2; goto done; }
    if (method == MARKOV_AUTO)
        method = c.n <= AUTO_DENSE_STATES ? MARKOV_DENSE : MARKOV_ITERATIVE;
    if (method == MARKOV_DENSE) {
        rc = c.n <= MAX_DENSE_STATES ? solve_dense(&c, pi) : -2;
        if (rc == 0) normalise(pi, c.n);
    } else {
        rc = solve_iterative(&c, pi, &out->iterations);
    }
    if (rc) goto done;
    out->nstates = c.n;
    out->residual = chain_residual(&c, pi);
    measure(&c, pi, out);
done:
    free(pi);
    chain_free(&c);
    return rc;
}
