/*
 * test_resources.c — carrier loops and resource pools against queueing
 * theory:
 *   - a CONWIP line (a carrier loop over the whole line, the first station
 *     never short of material) is a closed network with product form:
 *     exact mean-value analysis (load-dependent for multi-server stations,
 *     an infinite-server station for the carriers' return) gives the
 *     throughput, the carriers waiting at `from` and the loop lead time;
 *   - a repair crew of r shared by K machines is the finite-source queue
 *     M/M/r//K: the machines' failed share and the mean number waiting
 *     for the crew;
 *   - an operator shared by the two stations of a line (buffer between
 *     them), served first come first served, against the exact Markov
 *     chain of that line written out here (markov_pool below).
 *
 * Tolerance: the rule of test_theory.c, |mean - exact| <= 4 half-widths of
 * the 95 % interval over the replications plus 1 % of the exact value
 * (the 1 % covers the initial transient a finite warm-up leaves); with a
 * fixed seed a false failure has probability well under 1e-4 per figure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "takt.h"
#include "exp/summary.h"
#include "feature_sim.h"

#define REL 0.01
#define YAML_MAX 4096

/* ---- exact MVA of a closed network --------------------------------------- */

#define MVA_MAX 8

typedef struct mva_out {
    double x;                       /* throughput (per hour)            */
    double q[MVA_MAX];              /* mean customers at each station   */
} mva_out;

/* Stations 0..n-1 with mean service s[i] (h) and c[i] servers (0: an
 * infinite-server delay); N customers.  Load-dependent exact MVA with the
 * marginal queue-length probabilities. */
static mva_out mva(int n, const double *s, const int *c, int N)
{
    static double p[MVA_MAX][64], pn[MVA_MAX][64];
    mva_out o = { 0 };
    assert_true(N < 63 && n <= MVA_MAX);
    for (int i = 0; i < n; i++) {
        memset(p[i], 0, sizeof p[i]);
        p[i][0] = 1;
    }
    for (int k = 1; k <= N; k++) {
        double R[MVA_MAX], tot = 0;
        for (int i = 0; i < n; i++) {
            R[i] = 0;
            for (int j = 1; j <= k; j++) {
                double rate = c[i] == 0 ? j : (j < c[i] ? j : c[i]);
                R[i] += j * s[i] / rate * p[i][j - 1];
            }
            tot += R[i];
        }
        double x = k / tot;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 1; j <= k; j++) {
                double rate = c[i] == 0 ? j : (j < c[i] ? j : c[i]);
                pn[i][j] = x * s[i] / rate * p[i][j - 1];
                sum += pn[i][j];
            }
            pn[i][0] = 1 - sum;
            memcpy(p[i], pn[i], sizeof p[i]);
        }
        o.x = x;
        for (int i = 0; i < n; i++) o.q[i] = x * R[i];
    }
    return o;
}

/* A CONWIP line of n stations (s in hours, c servers) with `cards`
 * carriers returning after exp(ret) hours (ret 0: at once). */
static void conwip_case(const char *name, int n, const double *s, const int *c, int cards,
                        double ret)
{
    char yaml[YAML_MAX];
    int len = snprintf(yaml, sizeof yaml, "name: %s\nhorizon: 20000h\nwarmup: 1000h\n"
                       "replications: 8\nseed: 11\ncarriers:\n  - {name: cards, count: %d, "
                       "from: S0, to: S%d%s%.6gh%s}\nstations:\n", name, cards, n - 1,
                       ret > 0 ? ", return: exp(" : "", ret, ret > 0 ? ")" : "");
    if (ret <= 0) len = snprintf(yaml, sizeof yaml, "name: %s\nhorizon: 20000h\nwarmup: 1000h\n"
                                 "replications: 8\nseed: 11\ncarriers:\n  - {name: cards, "
                                 "count: %d, from: S0, to: S%d}\nstations:\n", name, cards, n - 1);
    for (int i = 0; i < n; i++)
        len += snprintf(yaml + len, sizeof yaml - (size_t)len, "  - {name: S%d, cycle: exp(%gh),"
                        " servers: %d}\n", i, s[i], c[i]);
    len += snprintf(yaml + len, sizeof yaml - (size_t)len, "buffers:\n");
    for (int i = 0; i + 1 < n; i++)
        len += snprintf(yaml + len, sizeof yaml - (size_t)len, "  - {name: B%d, from: S%d, to: "
                        "S%d, capacity: inf}\n", i, i, i + 1);
    assert_true(len < (int)sizeof yaml);

    double sv[MVA_MAX];
    int cv[MVA_MAX];
    for (int i = 0; i < n; i++) { sv[i] = s[i]; cv[i] = c[i]; }
    int m = n;
    if (ret > 0) { sv[m] = ret; cv[m] = 0; m++; }
    mva_out e = mva(m, sv, cv, cards);
    /* carriers free at S0: those queued there beyond its busy servers */
    double free_exact = e.q[0] - e.x * s[0];
    double lead_exact = (cards - free_exact - (ret > 0 ? e.q[n] : 0)) / e.x;

    fsim f = fs_run(name, yaml);
    const loop_sum *l = &f.sum->loops[0];
    fs_expect(&f, "throughput", f.sum->throughput_per_hour, e.x, REL);
    fs_expect(&f, "loop throughput", l->throughput_per_hour, e.x, REL);
    fs_expect(&f, "free carriers", l->free, free_exact, REL);
    kpi lead_h = { l->lead_time_s.mean / 3600, l->lead_time_s.ci95 / 3600 };
    fs_expect(&f, "loop lead time", lead_h, lead_exact, REL);
    /* every carrier is free, riding or travelling back: the riders are the
     * line's work in process, exactly */
    fs_exact(&f, "riders = line WIP", l->wip.mean, f.sum->wip.mean, 1e-9 * cards);
    fs_free(&f);
}

static void test_conwip_single_server(void **state)
{
    (void)state;
    const double s[] = { 1.0, 1.25, 0.8 };
    const int c[] = { 1, 1, 1 };
    conwip_case("conwip1", 3, s, c, 1, 0);
    conwip_case("conwip3", 3, s, c, 3, 0);
    conwip_case("conwip6", 3, s, c, 6, 0);
}

static void test_conwip_multi_server_and_return(void **state)
{
    (void)state;
    const double s[] = { 1.0, 2.6, 0.7, 1.5 };
    const int c[] = { 1, 2, 1, 2 };
    conwip_case("conwip-ms2", 4, s, c, 2, 0);
    conwip_case("conwip-ms5", 4, s, c, 5, 0);
    conwip_case("conwip-ret4", 4, s, c, 4, 0.75);
}

/* ---- the repair crew: M/M/r//K ---------------------------------------------- */

static void test_repair_crew(void **state)
{
    (void)state;
    const int K = 5, r = 2;
    const double mttf = 4.0, mttr = 1.0;      /* hours */
    char yaml[YAML_MAX];
    int len = snprintf(yaml, sizeof yaml, "name: crew\nhorizon: 40000h\nwarmup: 500h\n"
                       "replications: 8\nseed: 5\nresources:\n  - {name: crew, count: %d}\n"
                       "stations:\n", r);
    for (int i = 0; i < K; i++)
        len += snprintf(yaml + len, sizeof yaml - (size_t)len, "  - name: M%d\n    cycle: 1min\n"
                        "    failures:\n      - {ttf: exp(%gh), ttr: exp(%gh), repair_by: crew}\n",
                        i, mttf, mttr);
    assert_true(len < (int)sizeof yaml);
    /* birth-death chain on the number of machines down */
    double pn[16], sum = 0, down = 0, queue = 0;
    double rho = mttr / mttf;
    pn[0] = 1;
    for (int n = 1; n <= K; n++) {
        double births = (K - n + 1), deaths = n < r ? n : r;
        pn[n] = pn[n - 1] * births * rho / deaths;
    }
    for (int n = 0; n <= K; n++) sum += pn[n];
    for (int n = 0; n <= K; n++) {
        pn[n] /= sum;
        down += n * pn[n];
        queue += (n > r ? n - r : 0) * pn[n];
    }
    fsim f = fs_run("crew", yaml);
    /* machines work whenever they are up (the first station never lacks
     * parts, the last never blocks): failed share = E[down] / K */
    double failed = 0, ci = 0;
    for (int i = 0; i < K; i++) {
        failed += f.sum->stations[i].state[ST_FAILED].mean / K;
        ci += f.sum->stations[i].state[ST_FAILED].ci95 / K;
    }
    fs_expect(&f, "failed share", (kpi){ failed, ci }, down / K, REL);
    fs_expect(&f, "waiting for the crew", f.sum->pools[0].waiting, queue, REL);
    fs_expect(&f, "crew utilisation", f.sum->pools[0].utilisation, (down - queue) / r, REL);
    fs_free(&f);
}

/* ---- one operator shared by the two stations of a line ---------------------- */

/* The line A -> buffer (capacity K) -> B; A never lacks parts, B's parts
 * leave.  Both need the one operator for each cycle (exp(1/ma), exp(1/mb)).
 * State: buffer level n, B holding a part hb, A blocked ab, operator at w
 * (0 idle, 1 A, 2 B).  The transitions follow takt's documented rules: a
 * finishing station gives the operator back before passing its part on;
 * the waiting station (first come) gets it; a part passed to an idle B is
 * taken at once, and B then asks before A asks for its next cycle. */
#define MK_MAX_K 8
#define MK_STATES (2 * 2 * 3 * (MK_MAX_K + 1))

static int mk_index(int n, int hb, int ab, int w)
{
    return ((n * 2 + hb) * 2 + ab) * 3 + w;
}

typedef struct pool_chain {
    double working_a, working_b, waiting_a, waiting_b, blocked_a, starved_b, x, busy;
} pool_chain;

static void mk_next_a(int K, int *n, int *hb, int *ab, int *w)
{
    *w = *hb ? 2 : 0;                   /* the operator goes back */
    if (!*hb && *n == 0) {              /* B idle takes the part and asks */
        *hb = 1;
        *w = 2;
    } else if (*n < K) {
        (*n)++;
    } else {
        *ab = 1;                        /* A blocks, asks for nothing */
        return;
    }
    if (*w == 0) *w = 1;                /* A asks for its next cycle */
}

static void mk_next_b(int *n, int *hb, int *ab, int *w)
{
    *w = !*ab ? 1 : 0;                  /* A waiting gets the operator */
    *hb = 0;
    if (*n > 0) {                       /* B takes the next part and asks */
        (*n)--;
        *hb = 1;
        if (*w == 0) *w = 2;
        if (*ab) {                      /* A's part goes in; A asks */
            *ab = 0;
            (*n)++;
        }
    }
}

static pool_chain markov_pool(int K, double ma, double mb)
{
    /* each state has at most two transitions: A or B finishing */
    static int to[MK_STATES][2];
    static double rate[MK_STATES][2], pi[MK_STATES], nx[MK_STATES];
    int ns = MK_STATES;
    assert_true(K <= MK_MAX_K);
    memset(rate, 0, sizeof rate);
    for (int n = 0; n <= K; n++)
        for (int hb = 0; hb < 2; hb++)
            for (int ab = 0; ab < 2; ab++)
                for (int w = 0; w < 3; w++) {
                    int i = mk_index(n, hb, ab, w);
                    to[i][0] = to[i][1] = i;
                    if (w == 1 && !ab) {
                        int n2 = n, hb2 = hb, ab2 = ab, w2 = w;
                        mk_next_a(K, &n2, &hb2, &ab2, &w2);
                        to[i][0] = mk_index(n2, hb2, ab2, w2);
                        rate[i][0] = ma;
                    }
                    if (w == 2 && hb) {
                        int n2 = n, hb2 = hb, ab2 = ab, w2 = w;
                        mk_next_b(&n2, &hb2, &ab2, &w2);
                        to[i][1] = mk_index(n2, hb2, ab2, w2);
                        rate[i][1] = mb;
                    }
                }
    /* pi Q = 0, sum pi = 1, by power iteration on the uniformised chain
     * started from the state at time 0 (A working, all empty), so states
     * the line never reaches keep probability 0; lazy (half the mass stays)
     * so that the iteration cannot cycle. */
    double lam = 2 * (ma + mb);
    memset(pi, 0, sizeof pi);
    pi[mk_index(0, 0, 0, 1)] = 1;
    for (int it = 0; it < 1000000; it++) {
        double diff = 0;
        memcpy(nx, pi, sizeof nx);
        for (int i = 0; i < ns; i++)
            for (int k = 0; k < 2; k++) {
                double flow = pi[i] * rate[i][k] / lam;
                nx[i] -= flow;
                nx[to[i][k]] += flow;
            }
        for (int j = 0; j < ns; j++) diff = fmax(diff, fabs(nx[j] - pi[j]));
        memcpy(pi, nx, sizeof pi);
        if (diff < 1e-15) break;
    }
    pool_chain o = { 0 };
    for (int n = 0; n <= K; n++)
        for (int hb = 0; hb < 2; hb++)
            for (int ab = 0; ab < 2; ab++)
                for (int w = 0; w < 3; w++) {
                    double q = pi[mk_index(n, hb, ab, w)];
                    o.working_a += q * (w == 1);
                    o.working_b += q * (w == 2);
                    o.blocked_a += q * ab;
                    o.waiting_a += q * (!ab && w != 1);
                    o.waiting_b += q * (hb && w != 2);
                    o.starved_b += q * !hb;
                    o.busy += q * (w != 0);
                }
    o.x = mb * o.working_b;
    return o;
}

static void pool_case(int K, double sa, double sb)
{
    char yaml[YAML_MAX];
    snprintf(yaml, sizeof yaml, "name: operator\nhorizon: 40000h\nwarmup: 500h\n"
             "replications: 8\nseed: 9\nresources:\n  - {name: operator, count: 1}\n"
             "stations:\n  - {name: A, cycle: exp(%gh), needs: {operator: 1}}\n"
             "  - {name: B, cycle: exp(%gh), needs: {operator: 1}}\nbuffers:\n"
             "  - {name: AB, from: A, to: B, capacity: %d}\n", sa, sb, K);
    pool_chain e = markov_pool(K, 1 / sa, 1 / sb);
    fsim f = fs_run("operator", yaml);
    const station_sum *a = &f.sum->stations[0], *b = &f.sum->stations[1];
    fs_expect(&f, "throughput", f.sum->throughput_per_hour, e.x, REL);
    fs_expect(&f, "A working", a->state[ST_WORKING], e.working_a, REL);
    fs_expect(&f, "A waiting", a->state[ST_WAITING], e.waiting_a, REL);
    fs_expect(&f, "A blocked", a->state[ST_BLOCKED], e.blocked_a, REL);
    fs_expect(&f, "B working", b->state[ST_WORKING], e.working_b, REL);
    fs_expect(&f, "B waiting", b->state[ST_WAITING], e.waiting_b, REL);
    fs_expect(&f, "B starved", b->state[ST_STARVED], e.starved_b, REL);
    fs_expect(&f, "operator utilisation", f.sum->pools[0].utilisation, e.busy, REL);
    fs_free(&f);
}

static void test_operator_pool_markov(void **state)
{
    (void)state;
    pool_case(1, 1.0, 1.0);
    pool_case(3, 0.8, 1.3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conwip_single_server),
        cmocka_unit_test(test_conwip_multi_server_and_return),
        cmocka_unit_test(test_repair_crew),
        cmocka_unit_test(test_operator_pool_markov),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
