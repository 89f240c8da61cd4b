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
 * substitution: block_solve.c).
 *
 * The blocks are solved in sweeps alternately down and up the line until
 * nothing they pass on changes.  Two things keep this fast: between sweeps
 * a block is refined from the factors of its last exact solve instead of
 * factored again (its neighbours' figures move little from one sweep to
 * the next), and the figures passed on are extrapolated over pairs of
 * sweeps by Anderson mixing (anderson.h), which long lines need to settle
 * at all.  The figures reported come from solves refined to rounding after
 * the last sweep.
 */
#include "analytic/decomp.h"
#include "analytic/anderson.h"
#include "analytic/block.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITER     1000
#define PLAIN_SWEEPS 3        /* before Anderson mixing starts (anderson.h) */
#define TOLERANCE    1e-5     /* relative change of any figure a block passes on */
#define MAX_SWEEP_WORK 1.5e8        /* levels x states^3 over the blocks  */
#define MAX_TOTAL_WORK 1.5e11       /* the same over all sweeps (seconds)  */
#define FACT_BUDGET  (8L << 20)     /* doubles of kept factors, all blocks */

/* ---- what a solved block tells its neighbours ------------------------------ */

typedef struct flows {
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

/* The flows of a solved block (w->pi), from its transitions (block_list). */
static void block_flows(const block *k, const work *w, flows *f)
{
    memset(f, 0, sizeof *f);
    for (long t = 0; t < w->ntr; t++) {
        double r = w->trate[t] * w->pi[w->tfrom[t]];
        if (r == 0) continue;
        int tag = w->ttag[t], a = w->ta[t], b = w->tb[t], a2 = w->ta2[t], b2 = w->tb2[t];
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
    for (long n = 0; n <= k->cap; n++)
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
    long fact_budget = FACT_BUDGET;
    starving *sv = calloc((size_t)nb, sizeof *sv);
    blocking *bk = calloc((size_t)nb, sizeof *bk);
    block *blk = calloc((size_t)nb, sizeof *blk);
    double *th = calloc((size_t)nb, sizeof *th);
    double *x = malloc(sizeof(double) * NPASSED * (size_t)nb);
    double *g = malloc(sizeof(double) * NPASSED * (size_t)nb);
    fact *fa = calloc((size_t)nb, sizeof *fa);
    work w;
    anderson an;
    memset(&w, 0, sizeof w);
    int have_an = anderson_init(&an, NPASSED * nb) == 0;
    if (!sv || !bk || !blk || !th || !x || !g || !fa || !have_an) { rc = -1; goto done; }
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
        /* blocks keep their factors for the next sweep while the memory
         * for them stays within the budget; the others factor every time */
        long fd = fact_doubles(k);
        if (fd <= fact_budget) {
            if (fact_init(&fa[i], k) != 0) { rc = -1; goto done; }
            fact_budget -= fd;
        }
    }
    int iter, settled = 0;
    /* The blocks' answers need only be a little more precise than the
     * change the sweeps are still making: refinement stops at a residual
     * 1e-3 of the last change (and at 1e-10 once the change is 1e-7); the
     * figures reported come from exact solves after the last sweep. */
    double tol = 1e-6;
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
                fact *kept = fa[i].S && !l->fresh ? &fa[i] : NULL;
                if ((rc = work_fit(&w, k)) != 0 || (rc = block_list(k, &w)) != 0) goto done;
                if ((!kept || block_refine(k, &w, kept, tol) != 0) &&
                    (rc = block_solve(k, &w, kept)) != 0) goto done;
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
        tol = fmax(1e-10, fmin(1e-6, 1e-3 * change));
        if (change < (l->tolerance > 0 ? l->tolerance : TOLERANCE)) settled = 1;
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
        if ((rc = work_fit(&w, k)) != 0 || (rc = block_list(k, &w)) != 0) goto done;
        /* exact figures: refined to rounding (a residual of 1e-12 of the
         * flow) from the kept factors, or solved afresh */
        fact *kept = fa[i].S && !l->fresh ? &fa[i] : NULL;
        if ((!kept || block_refine(k, &w, kept, 0) != 0) &&
            (rc = block_solve(k, &w, NULL)) != 0) goto done;
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
    for (int i = 0; fa && i < nb; i++) fact_release(&fa[i]);
    free(fa);
    free(sv); free(bk); free(blk); free(th); free(x); free(g);
    if (have_an) anderson_free(&an);
    work_release(&w);
    return rc;
}
