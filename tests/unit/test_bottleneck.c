/*
 * test_bottleneck.c — the active-period bottleneck tracker (bottleneck.c).
 *
 * Two kinds of checks.  Hand-made period sets whose sole and shifting
 * shares follow from the definition by a few lines of arithmetic (written
 * next to each case).  And random period sets (fixed seeds) compared with a
 * brute-force evaluator of the definition: it cuts the window at every
 * period boundary, finds at the middle of each piece the top-ranked period
 * covering it by scanning all periods, lists the bottleneck periods in
 * time order and then asks, piece by piece, whether a piece of a
 * bottleneck period lies in the previous or the next one.  It shares no
 * code or idea of the streaming tracker (no pruning, no stack, no
 * settling).  Times are whole numbers, so every length, overlap and sum is
 * exact in doubles; ties of length and start happen on purpose.  The
 * comparison tolerance, 1e-12 of a share, only absorbs the final division.
 *
 * The random streams are fed the way a run feeds them: in time order, with
 * redundant calls and on/off toggles at one instant mixed in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "model/bottleneck.h"

#define EPS 1e-12
#define MAXP 4096

typedef struct ival { double s, e; int station; } ival;

/* ---- feeding the tracker -------------------------------------------- */

typedef struct change { double t; int station, active, order; } change;

static int cmp_change(const void *a, const void *b)
{
    const change *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return x->order - y->order;
}

/* Feed periods (any order) over [t0, t_end] and return the shares. */
static void run_periods(const ival *p, int np, int n, double t0, double t_end,
                        double *sole, double *shift)
{
    change *c = calloc((size_t)np * 2 + 1, sizeof *c);
    assert_non_null(c);
    for (int k = 0; k < np; k++) {
        c[2 * k] = (change){ p[k].s, p[k].station, 1, 2 * k };
        c[2 * k + 1] = (change){ p[k].e, p[k].station, 0, 2 * k + 1 };
    }
    qsort(c, (size_t)np * 2, sizeof *c, cmp_change);
    bn_tracker *b = bn_new(n, t0);
    assert_non_null(b);
    for (int k = 0; k < 2 * np; k++)
        assert_int_equal(bn_set(b, c[k].station, c[k].active, c[k].t), 0);
    bn_finish(b, t_end, sole, shift);
    bn_free(b);
    free(c);
}

/* ---- hand-made cases -------------------------------------------------- */

static void expect(const double *got, const double *want, int n)
{
    for (int i = 0; i < n; i++) assert_true(fabs(got[i] - want[i]) < EPS);
}

/* One station busy the whole window: the sole bottleneck all the time. */
static void test_always_active(void **state)
{
    (void)state;
    double sole[3], shift[3];
    bn_tracker *b = bn_new(3, 10);
    assert_non_null(b);
    bn_set(b, 1, 1, 10);
    bn_set(b, 0, 1, 12); bn_set(b, 0, 0, 15);
    bn_set(b, 2, 1, 20); bn_set(b, 2, 0, 50);
    bn_finish(b, 110, sole, shift);
    bn_free(b);
    expect(sole, (double[]){ 0, 1, 0 }, 3);
    expect(shift, (double[]){ 0, 0, 0 }, 3);
}

static void test_no_activity(void **state)
{
    (void)state;
    double sole[2] = { 9, 9 }, shift[2] = { 9, 9 };
    bn_tracker *b = bn_new(2, 0);
    assert_non_null(b);
    bn_set(b, 0, 0, 5);                 /* inactive already: no effect */
    bn_finish(b, 100, sole, shift);
    bn_free(b);
    expect(sole, (double[]){ 0, 0 }, 2);
    expect(shift, (double[]){ 0, 0 }, 2);
}

/* A [0,3], B [3,5], A [5,8]: they hand over without overlap, so there is
 * no shifting; A is the bottleneck 6 of 8 time units, B 2 of 8. */
static void test_two_alternating(void **state)
{
    (void)state;
    ival p[] = { { 0, 3, 0 }, { 3, 5, 1 }, { 5, 8, 0 } };
    double sole[2], shift[2];
    run_periods(p, 3, 2, 0, 8, sole, shift);
    expect(sole, (double[]){ 6 / 8.0, 2 / 8.0 }, 2);
    expect(shift, (double[]){ 0, 0 }, 2);
}

/* A [0,6] and B [4,10] are equally long; A started first and wins the
 * tie, B follows.  Their overlap [4,6] is shifting for both: A sole
 * [0,4], B sole [6,10]. */
static void test_overlap_shifts(void **state)
{
    (void)state;
    ival p[] = { { 0, 6, 0 }, { 4, 10, 1 } };
    double sole[2], shift[2];
    run_periods(p, 2, 2, 0, 10, sole, shift);
    expect(sole, (double[]){ 0.4, 0.4 }, 2);
    expect(shift, (double[]){ 0.2, 0.2 }, 2);
}

/* B [2,5] lies inside the longer A [0,10]: never a bottleneck. */
static void test_dominated(void **state)
{
    (void)state;
    ival p[] = { { 0, 10, 0 }, { 2, 5, 1 } };
    double sole[2], shift[2];
    run_periods(p, 2, 2, 0, 10, sole, shift);
    expect(sole, (double[]){ 1, 0 }, 2);
    expect(shift, (double[]){ 0, 0 }, 2);
}

/* A [0,10] (10), B [5,20] (15), C [8,30] (22): the bottleneck goes A, B,
 * C.  A overlaps B on [5,10]: shifting 5, sole 5.  B overlaps A on [5,10]
 * and C on [8,20]: shifting over [5,20] = 15, sole 0.  C overlaps B on
 * [8,20]: shifting 12, sole 10.  Window [0,30]. */
static void test_chain_of_three(void **state)
{
    (void)state;
    ival p[] = { { 0, 10, 0 }, { 5, 20, 1 }, { 8, 30, 2 } };
    double sole[3], shift[3];
    run_periods(p, 3, 3, 0, 30, sole, shift);
    expect(sole, (double[]){ 5 / 30.0, 0, 10 / 30.0 }, 3);
    expect(shift, (double[]){ 5 / 30.0, 15 / 30.0, 12 / 30.0 }, 3);
}

/* A pause of zero length does not end a period: A is on over [0,10] with
 * an off/on at 5 (a part handed on, the next one taken at once), so A
 * [0,10] covers B [3,8] and A is the sole bottleneck.  Were the pause a
 * real end, A's halves [0,5] and [5,10] would tie with B and shift. */
static void test_zero_pause(void **state)
{
    (void)state;
    double sole[2], shift[2];
    bn_tracker *b = bn_new(2, 0);
    assert_non_null(b);
    bn_set(b, 0, 1, 0);
    bn_set(b, 1, 1, 3);
    bn_set(b, 0, 0, 5); bn_set(b, 0, 1, 5);
    bn_set(b, 0, 0, 5); bn_set(b, 0, 1, 5);
    bn_set(b, 1, 0, 8);
    bn_set(b, 0, 0, 10);
    bn_finish(b, 10, sole, shift);
    bn_free(b);
    expect(sole, (double[]){ 1, 0 }, 2);
    expect(shift, (double[]){ 0, 0 }, 2);
}

/* Idle time has no bottleneck: A [0,2] alone in [0,10] is 20 % sole. */
static void test_idle_gap(void **state)
{
    (void)state;
    ival p[] = { { 0, 2, 0 } };
    double sole[1], shift[1];
    run_periods(p, 1, 1, 0, 10, sole, shift);
    expect(sole, (double[]){ 0.2 }, 1);
    expect(shift, (double[]){ 0 }, 1);
}

/* Periods still open at the end are cut there: A [100,160] and B
 * [130,200+] cut at 200 (70 long) beats A (60); overlap [130,160]. */
static void test_open_at_end(void **state)
{
    (void)state;
    double sole[2], shift[2];
    bn_tracker *b = bn_new(2, 100);
    assert_non_null(b);
    bn_set(b, 0, 1, 100);
    bn_set(b, 1, 1, 130);
    bn_set(b, 0, 0, 160);
    bn_finish(b, 200, sole, shift);
    bn_free(b);
    expect(sole, (double[]){ 30 / 100.0, 40 / 100.0 }, 2);
    expect(shift, (double[]){ 30 / 100.0, 30 / 100.0 }, 2);
}

/* ---- brute force ------------------------------------------------------ */

static int ranks_above(const ival *a, const ival *b)
{
    double la = a->e - a->s, lb = b->e - b->s;
    if (la != lb) return la > lb;
    if (a->s != b->s) return a->s < b->s;
    return a->station < b->station;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int covers(const ival *p, double t) { return p->s < t && t < p->e; }

static void brute(const ival *p, int np, int n, double t0, double t_end,
                  double *sole, double *shift)
{
    double *x = calloc((size_t)np * 2 + 2, sizeof *x);
    int *top = calloc((size_t)np * 2 + 2, sizeof *top);
    int *seq = calloc((size_t)np * 2 + 2, sizeof *seq);
    assert_true(x && top && seq);
    int nx = 0, nseq = 0;
    x[nx++] = t0; x[nx++] = t_end;
    for (int k = 0; k < np; k++) { x[nx++] = p[k].s; x[nx++] = p[k].e; }
    qsort(x, (size_t)nx, sizeof *x, cmp_double);
    for (int j = 0; j + 1 < nx; j++) {
        double mid = (x[j] + x[j + 1]) / 2;
        top[j] = -1;
        if (x[j] == x[j + 1]) continue;
        for (int k = 0; k < np; k++)
            if (covers(&p[k], mid) && (top[j] < 0 || ranks_above(&p[k], &p[top[j]])))
                top[j] = k;
        if (top[j] >= 0 && (nseq == 0 || seq[nseq - 1] != top[j])) seq[nseq++] = top[j];
    }
    for (int i = 0; i < n; i++) sole[i] = shift[i] = 0;
    for (int q = 0; q < nseq; q++) {
        const ival *a = &p[seq[q]];
        for (int j = 0; j + 1 < nx; j++) {
            double mid = (x[j] + x[j + 1]) / 2, w = x[j + 1] - x[j];
            if (w == 0 || !covers(a, mid)) continue;
            int sh = (q > 0 && covers(&p[seq[q - 1]], mid)) ||
                     (q + 1 < nseq && covers(&p[seq[q + 1]], mid));
            if (sh) shift[a->station] += w; else sole[a->station] += w;
        }
    }
    for (int i = 0; i < n; i++) { sole[i] /= t_end - t0; shift[i] /= t_end - t0; }
    free(x); free(top); free(seq);
}

static uint64_t rnd_state;
static unsigned rnd(unsigned m)
{
    rnd_state ^= rnd_state << 13; rnd_state ^= rnd_state >> 7; rnd_state ^= rnd_state << 17;
    return (unsigned)(rnd_state % m);
}

/* Random on/off histories with small whole-number durations (0 allowed),
 * so periods touch, tie and pause for zero time.  `periods` receives the
 * maximal periods (touching pieces merged, zero-length ones dropped),
 * `c` the calls to feed: each station's calls in its own order, with
 * redundant calls and on/off toggles at one instant, and the stations
 * interleaved at random within an instant. */
#define MAXN 16
#define MAXC (4 * MAXP)

static int station_calls(int i, double t_end, int maxlen, ival *periods, int *np,
                         change *c, int maxc)
{
    int nc = 0;
    double t = 0;
    int on = (int)rnd(2);
    while (t < t_end && nc + 6 < maxc) {
        double d = rnd((unsigned)maxlen + 1);
        double e = t + d > t_end ? t_end : t + d;
        if (on && e > t) {
            if (*np > 0 && periods[*np - 1].station == i && periods[*np - 1].e == t)
                periods[*np - 1].e = e;
            else
                periods[(*np)++] = (ival){ t, e, i };
            assert_true(*np < MAXP);
        }
        if (on) {
            c[nc++] = (change){ t, i, 1, 0 };
            if (rnd(4) == 0) c[nc++] = (change){ t, i, 1, 0 };
            c[nc++] = (change){ e, i, 0, 0 };
        } else if (rnd(3) == 0) {
            c[nc++] = (change){ t, i, 0, 0 };
        }
        if (rnd(5) == 0) {
            c[nc++] = (change){ e, i, 1, 0 };
            c[nc++] = (change){ e, i, 0, 0 };
        }
        t = e; on = !on;
    }
    return nc;
}

static int make_history(int n, double t_end, int maxlen, ival *periods, int *np, change *out)
{
    static change per[MAXN][MAXC / MAXN];
    int len[MAXN], pos[MAXN], nout = 0;
    *np = 0;
    for (int i = 0; i < n; i++) {
        len[i] = station_calls(i, t_end, maxlen, periods, np, per[i], MAXC / MAXN);
        pos[i] = 0;
    }
    for (;;) {
        double tmin = INFINITY;
        int cand[MAXN], ncand = 0;
        for (int i = 0; i < n; i++)
            if (pos[i] < len[i] && per[i][pos[i]].t < tmin) tmin = per[i][pos[i]].t;
        if (tmin == INFINITY) break;
        for (int i = 0; i < n; i++)
            if (pos[i] < len[i] && per[i][pos[i]].t == tmin) cand[ncand++] = i;
        int i = cand[rnd((unsigned)ncand)];
        out[nout++] = per[i][pos[i]++];
    }
    return nout;
}

static void compare_random(int n, double t_end, int maxlen, int rounds)
{
    static ival periods[MAXP];
    static change c[MAXC];
    double sole[MAXN], shift[MAXN], bs[MAXN], bsh[MAXN];
    for (int r = 0; r < rounds; r++) {
        int np;
        int nc = make_history(n, t_end, maxlen, periods, &np, c);
        bn_tracker *b = bn_new(n, 0);
        assert_non_null(b);
        for (int k = 0; k < nc; k++)
            assert_int_equal(bn_set(b, c[k].station, c[k].active, c[k].t), 0);
        bn_finish(b, t_end, sole, shift);
        bn_free(b);
        brute(periods, np, n, 0, t_end, bs, bsh);
        for (int i = 0; i < n; i++) {
            if (fabs(sole[i] - bs[i]) > EPS || fabs(shift[i] - bsh[i]) > EPS)
                fail_msg("round %d station %d: sole %.15g want %.15g, shifting %.15g want %.15g",
                         r, i, sole[i], bs[i], shift[i], bsh[i]);
        }
    }
}

static void test_random_small(void **state)
{
    (void)state;
    rnd_state = 0x9e3779b97f4a7c15ull;
    compare_random(2, 30, 4, 3000);
    compare_random(3, 40, 6, 3000);
}

static void test_random_many(void **state)
{
    (void)state;
    rnd_state = 0x2545f4914f6cdd1dull;
    compare_random(8, 200, 12, 400);
    compare_random(16, 300, 30, 100);
}

/* Memory: a long run keeps only periods that overlap.  Ten stations
 * toggling for a million transitions never hold more than 2n + 1 periods
 * (fact 3 in bottleneck.c), with or without an always-busy station. */
static void test_memory_bounded(void **state)
{
    (void)state;
    rnd_state = 12345;
    const int n = 10;
    for (int with_busy = 0; with_busy < 2; with_busy++) {
        bn_tracker *b = bn_new(n, 0);
        assert_non_null(b);
        int on[10] = { 0 };
        double t = 0;
        if (with_busy) bn_set(b, 0, 1, 0);
        for (long k = 0; k < 1000000; k++) {
            int i = with_busy ? 1 + (int)rnd(n - 1) : (int)rnd(n);
            t += rnd(3);
            on[i] = !on[i];
            assert_int_equal(bn_set(b, i, on[i], t), 0);
        }
        double sole[10], shift[10];
        bn_finish(b, t, sole, shift);
        assert_true(bn_held_max(b) <= (size_t)(2 * n + 1));
        if (with_busy) assert_true(fabs(sole[0] - 1) < EPS);
        double total = 0;
        for (int i = 0; i < n; i++) total += sole[i];
        assert_true(total <= 1 + EPS);
        bn_free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_always_active),
        cmocka_unit_test(test_no_activity),
        cmocka_unit_test(test_two_alternating),
        cmocka_unit_test(test_overlap_shifts),
        cmocka_unit_test(test_dominated),
        cmocka_unit_test(test_chain_of_three),
        cmocka_unit_test(test_zero_pause),
        cmocka_unit_test(test_idle_gap),
        cmocka_unit_test(test_open_at_end),
        cmocka_unit_test(test_random_small),
        cmocka_unit_test(test_random_many),
        cmocka_unit_test(test_memory_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
