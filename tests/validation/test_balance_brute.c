/*
 * test_balance_brute.c — the line-balancing solvers against brute force.
 *
 * Random small problems (up to 10 tasks, random precedence, sometimes
 * pairs that must be apart) are solved by the branch-and-bound and by a
 * plain backtracking that tries every station for every task in
 * topological order with no bounds and no dominance.  The two must agree
 * on the optimum; every answer is checked feasible by bal_check (an
 * independent check of precedence, cycle, apart pairs and that each task
 * is placed once), and every lower bound must be at most the optimum.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "balance/bounds.h"
#include "balance/graph.h"
#include "balance/search.h"
#include "balance/solve.h"

#define INSTANCES 1500

typedef struct brute {
    const bal_graph *g;
    int64_t c;
    int m;
    int *st;
    int64_t *load;
} brute;

/* Can tasks topo[h..] be placed in stations 1..m? */
static int place(brute *b, int h)
{
    const bal_graph *g = b->g;
    if (h == g->n) return 1;
    int i = g->topo[h], lo = 1;
    for (int e = g->pstart[i]; e < g->pstart[i + 1]; e++)
        if (b->st[g->pred[e]] > lo) lo = b->st[g->pred[e]];
    for (int k = lo; k <= b->m; k++) {
        if (b->load[k] + g->t[i] > b->c) continue;
        int clash = 0;
        if (g->apart)
            for (int j = 0; j < g->n; j++)
                if (b->st[j] == k && bal_set_has(g->apart + (size_t)i * (size_t)g->words, j)) clash = 1;
        if (clash) continue;
        b->st[i] = k;
        b->load[k] += g->t[i];
        if (place(b, h + 1)) return 1;
        b->load[k] -= g->t[i];
        b->st[i] = 0;
    }
    return 0;
}

static int feasible(const bal_graph *g, int64_t c, int m)
{
    brute b = { g, c, m, calloc((size_t)g->n, sizeof(int)), calloc((size_t)m + 2, sizeof(int64_t)) };
    assert_non_null(b.st);
    assert_non_null(b.load);
    int ok = place(&b, 0);
    free(b.st);
    free(b.load);
    return ok;
}

static int brute_stations(const bal_graph *g, int64_t c)
{
    for (int m = 1; m <= g->n; m++) if (feasible(g, c, m)) return m;
    return -1;
}

static uint64_t next(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

/* A random graph: n tasks, times 1..tmax, arcs i<j with probability p %. */
static void random_graph(bal_graph *g, uint64_t *seed, int *n_out)
{
    int n = 3 + (int)(next(seed) % 9);
    int64_t t[16];
    int from[128], to[128], arcs = 0, tmax = 2 + (int)(next(seed) % 30), p = (int)(next(seed) % 80);
    for (int i = 0; i < n; i++) t[i] = 1 + (int64_t)(next(seed) % (uint64_t)tmax);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if ((int)(next(seed) % 100) < p && arcs < 128) { from[arcs] = i; to[arcs] = j; arcs++; }
    assert_int_equal(bal_graph_build(g, n, t, arcs, from, to, NULL), 0);
    if (next(seed) % 4 == 0) {
        int a = (int)(next(seed) % (uint64_t)n), b = (int)(next(seed) % (uint64_t)n);
        if (a != b) assert_int_equal(bal_graph_set_apart(g, a, b), 0);
    }
    *n_out = n;
}

static void test_salbp1_matches_brute_force(void **state)
{
    (void)state;
    uint64_t seed = 12345;
    char why[200];
    int searched = 0;
    for (int k = 0; k < INSTANCES; k++) {
        bal_graph g;
        int n;
        random_graph(&g, &seed, &n);
        int64_t c = g.tmax + (int64_t)(next(&seed) % (uint64_t)(g.total - g.tmax + 1));
        int opt = brute_stations(&g, c);
        assert_true(opt >= 1);
        bal_answer a;
        assert_int_equal(bal_salbp1(&g, c, 0, &a), 0);
        if (bal_check(&g, c, a.stations, a.station, why, sizeof why) != 0) fail_msg("instance %d: %s", k, why);
        assert_int_equal(a.stations, opt);
        assert_true(a.optimal);
        assert_true(bal_lb_stations(&g, c) <= opt);
        searched += a.nodes > 0;
        int *h = malloc((size_t)n * sizeof *h);
        assert_non_null(h);
        int hm = bal_heuristic(&g, c, h);
        assert_true(hm >= opt);
        assert_int_equal(bal_check(&g, c, hm, h, why, sizeof why), 0);
        free(h);
        bal_answer_free(&a);
        bal_graph_free(&g);
    }
    /* the heuristic and the bound must not settle every case, or the
     * search itself would go untested */
    printf("SALBP-1: the search ran on %d of %d instances\n", searched, INSTANCES);
    assert_true(searched >= INSTANCES / 20);
}

/* The exact search on its own, without the heuristic's answer: asked for
 * one station fewer than the optimum it must prove there is none; asked
 * for the optimum it must find an assignment (on the graph and on its
 * reverse, with and without perturbed order). */
static void test_search_alone_matches_brute_force(void **state)
{
    (void)state;
    uint64_t seed = 4242;
    char why[200];
    for (int k = 0; k < INSTANCES; k++) {
        bal_graph g, rev;
        int n;
        random_graph(&g, &seed, &n);
        assert_int_equal(bal_graph_reverse(&g, &rev), 0);
        int64_t c = g.tmax + (int64_t)(next(&seed) % (uint64_t)(g.total / 3 + 1));
        int opt = brute_stations(&g, c);
        int st[16];
        for (int dir = 0; dir < 2; dir++) {
            const bal_graph *h = dir ? &rev : &g;
            bal_search_result r;
            if (opt > 1) {
                assert_int_equal(bal_search(h, c, opt - 1, 0, 0, (uint64_t)dir, 0, st, &r), 0);
                if (r.found || !r.complete) fail_msg("instance %d dir %d: found %d stations, optimum %d", k, dir, r.stations, opt);
            }
            assert_int_equal(bal_search(h, c, opt, 1, 0, (uint64_t)k * (uint64_t)dir, 0, st, &r), 0);
            if (!r.found) fail_msg("instance %d dir %d: no assignment with the optimum %d", k, dir, opt);
            assert_true(r.stations <= opt);
            if (bal_check(h, c, r.stations, st, why, sizeof why) != 0) fail_msg("instance %d: %s", k, why);
        }
        bal_graph_free(&rev);
        bal_graph_free(&g);
    }
}

/* The cyclic best-first search on its own, the same way; the proof is
 * also run in slices of a few states (a deadline already past stops each
 * slice at its first check), which must not lose any state. */
static void test_cbfs_alone_matches_brute_force(void **state)
{
    (void)state;
    uint64_t seed = 5151;
    char why[200];
    for (int k = 0; k < INSTANCES; k++) {
        bal_graph g, rev;
        int n;
        random_graph(&g, &seed, &n);
        assert_int_equal(bal_graph_reverse(&g, &rev), 0);
        int64_t c = g.tmax + (int64_t)(next(&seed) % (uint64_t)(g.total / 3 + 1));
        int opt = brute_stations(&g, c);
        int st[16];
        for (int dir = 0; dir < 2; dir++) {
            const bal_graph *h = dir ? &rev : &g;
            bal_search_result r;
            if (opt > 1) {
                bal_cbfs *b = bal_cbfs_open(h, c, opt - 1, 0, st);
                assert_non_null(b);
                int slices = 0;
                do {
                    assert_int_equal(bal_cbfs_run(b, (k & 1) ? 1e-9 : 0, 0, &r), 0);
                    slices++;
                } while (!r.complete && !r.found && slices < 100000);
                bal_cbfs_close(b);
                if (r.found || !r.complete) fail_msg("instance %d dir %d: found %d stations, optimum %d", k, dir, r.stations, opt);
            }
            bal_cbfs *b = bal_cbfs_open(h, c, opt, 1, st);
            assert_non_null(b);
            assert_int_equal(bal_cbfs_run(b, 0, 0, &r), 0);
            bal_cbfs_close(b);
            if (!r.found) fail_msg("instance %d dir %d: no assignment with the optimum %d", k, dir, opt);
            assert_true(r.stations <= opt);
            if (bal_check(h, c, r.stations, st, why, sizeof why) != 0) fail_msg("instance %d: %s", k, why);
        }
        bal_graph_free(&rev);
        bal_graph_free(&g);
    }
}

/* Stopping and going on must lose nothing: on larger graphs (too large
 * for brute force; the uninterrupted depth-first search, checked against
 * brute force above, is the reference) the best-first search run in
 * slices of a tenth of a millisecond, each cut off in the middle of a
 * state's loads, must reach the same verdict at one station below the
 * optimum (no assignment, proof complete) and at the optimum. */
static void test_cbfs_in_slices_matches_search(void **state)
{
    (void)state;
    uint64_t seed = 99;
    for (int k = 0; k < 12; k++) {
        int n = 20 + (int)(next(&seed) % 12);
        int64_t t[40];
        int from[400], to[400], arcs = 0, p = 5 + (int)(next(&seed) % 20);
        for (int i = 0; i < n; i++) t[i] = 1 + (int64_t)(next(&seed) % 40);
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if ((int)(next(&seed) % 100) < p && arcs < 400) { from[arcs] = i; to[arcs] = j; arcs++; }
        bal_graph g;
        assert_int_equal(bal_graph_build(&g, n, t, arcs, from, to, NULL), 0);
        int64_t c = g.tmax + (int64_t)(next(&seed) % 40);
        int st[40], opt = g.n;
        bal_search_result r;
        for (;;) {          /* the optimum by the depth-first search */
            assert_int_equal(bal_search(&g, c, opt - 1, 1, 0, 0, 0, st, &r), 0);
            assert_true(r.complete);
            if (!r.found) break;
            opt = r.stations;
        }
        for (int target = opt - 1; target <= opt; target++) {
            if (target < 1) continue;
            bal_cbfs *b = bal_cbfs_open(&g, c, target, 0, st);
            assert_non_null(b);
            long slices = 0;
            do {
                assert_int_equal(bal_cbfs_run(b, bal_clock() + 1e-4, 0, &r), 0);
                slices++;
            } while (!r.complete && slices < 10000000);
            bal_cbfs_close(b);
            assert_true(r.complete);
            if (r.found != (target == opt)) fail_msg("graph %d target %d optimum %d: found %d", k, target, opt, r.found);
        }
        bal_graph_free(&g);
    }
}

static void test_salbp2_matches_brute_force(void **state)
{
    (void)state;
    uint64_t seed = 777;
    char why[200];
    for (int k = 0; k < INSTANCES / 2; k++) {
        bal_graph g;
        int n;
        random_graph(&g, &seed, &n);
        int m = 1 + (int)(next(&seed) % (uint64_t)n);
        int64_t best = -1;
        for (int64_t c = g.tmax; c <= g.total && best < 0; c++) if (feasible(&g, c, m)) best = c;
        if (best < 0) { bal_graph_free(&g); continue; }    /* apart pair with m = 1 */
        bal_answer a;
        assert_int_equal(bal_salbp2(&g, m, 0, &a), 0);
        assert_true(a.stations <= m);
        if (bal_check(&g, a.cycle, a.stations, a.station, why, sizeof why) != 0) fail_msg("instance %d: %s", k, why);
        assert_int_equal(a.cycle, best);
        assert_true(a.optimal);
        assert_true(a.cycle_bound <= best);
        assert_true(bal_lb_cycle(&g, m) <= best);
        bal_answer_free(&a);
        bal_graph_free(&g);
    }
}

/* A search stopped at once still returns a feasible answer whose bound
 * does not exceed it. */
static void test_time_limit_keeps_a_feasible_answer(void **state)
{
    (void)state;
    enum { N = 300 };
    int64_t t[N];
    int from[N], to[N], arcs = 0;
    uint64_t seed = 99;
    for (int i = 0; i < N; i++) t[i] = 1 + (int64_t)(next(&seed) % 100);
    for (int i = 1; i < N; i++) if (next(&seed) % 3 == 0) { from[arcs] = (int)(next(&seed) % (uint64_t)i); to[arcs] = i; arcs++; }
    bal_graph g;
    assert_int_equal(bal_graph_build(&g, N, t, arcs, from, to, NULL), 0);
    bal_answer a;
    char why[200];
    assert_int_equal(bal_salbp1(&g, 257, 1e-6, &a), 0);
    assert_int_equal(bal_check(&g, 257, a.stations, a.station, why, sizeof why), 0);
    assert_true(a.lower_bound <= a.stations);
    assert_true(a.optimal == (a.lower_bound == a.stations));
    bal_answer_free(&a);
    bal_graph_free(&g);
}

static void test_check_finds_violations(void **state)
{
    (void)state;
    int64_t t[3] = { 4, 5, 6 };
    int from[1] = { 0 }, to[1] = { 1 };
    bal_graph g;
    char why[200];
    assert_int_equal(bal_graph_build(&g, 3, t, 1, from, to, NULL), 0);
    int ok[3] = { 1, 1, 2 }, back[3] = { 2, 1, 1 }, over[3] = { 1, 2, 2 }, out[3] = { 1, 1, 3 };
    assert_int_equal(bal_check(&g, 10, 2, ok, why, sizeof why), 0);
    assert_int_equal(bal_check(&g, 10, 2, back, why, sizeof why), -1);
    assert_int_equal(bal_check(&g, 10, 2, over, why, sizeof why), -1);
    assert_int_equal(bal_check(&g, 10, 2, out, why, sizeof why), -1);
    bal_graph_free(&g);
    int cyc_from[3] = { 0, 1, 2 }, cyc_to[3] = { 1, 2, 0 }, bad = -1;
    assert_int_equal(bal_graph_build(&g, 3, t, 3, cyc_from, cyc_to, &bad), -2);
    assert_true(bad >= 0 && bad < 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_salbp1_matches_brute_force),
        cmocka_unit_test(test_search_alone_matches_brute_force),
        cmocka_unit_test(test_cbfs_alone_matches_brute_force),
        cmocka_unit_test(test_cbfs_in_slices_matches_search),
        cmocka_unit_test(test_salbp2_matches_brute_force),
        cmocka_unit_test(test_time_limit_keeps_a_feasible_answer),
        cmocka_unit_test(test_check_finds_violations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
