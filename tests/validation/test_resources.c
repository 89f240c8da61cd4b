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
 *   - operators shared by the two stations of a line (buffer between
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

/* ---- operators shared by the two stations of a line ---------------------- */

/* The line A (na = 1 or 2 machines) -> buffer (capacity K) -> B; A never
 * lacks parts, B's parts leave.  Every cycle (exp(sa), exp(sb)) needs one
 * of `ops` operators.  The state is written out in full: what each machine
 * does, the buffer level, the queue of machines waiting for an operator
 * (first come, first served) and the order in which A's machines blocked.
 * The moves follow takt's documented rules step by step: a finishing
 * machine gives its operator back (to the head of the queue) before it
 * passes its part on; a part passed to an idle B is taken at once, and B
 * asks for an operator before A's machine asks for its next cycle; when B
 * takes a part from a full buffer, the machine of A that blocked first
 * puts its part in and then asks.  Reachable states are found breadth
 * first from the state at time 0; the chain is solved by power iteration
 * of the uniformised chain. */
enum { MW = 0, MQ, MB };                /* working, waiting (queued), blocked/starved */
#define OP_MAX_STATES 4096

typedef struct op_state {
    signed char m[3];                   /* machines A1, A2 (if any), B      */
    signed char q[3];                   /* waiting machines, in order, -1   */
    signed char blk[2];                 /* blocked A machines, in order, -1 */
    signed char n;                      /* buffer level                     */
} op_state;

typedef struct op_line { int na, K, ops; } op_line;

static int op_busy(const op_line *L, const op_state *x)
{
    int b = 0;
    for (int i = 0; i < L->na; i++) b += x->m[i] == MW;
    return b + (x->m[2] == MW);
}

/* Machine i asks for an operator. */
static void op_ask(const op_line *L, op_state *x, int i)
{
    if (op_busy(L, x) < L->ops && x->q[0] < 0) { x->m[i] = MW; return; }
    x->m[i] = MQ;
    for (int k = 0; k < 3; k++) if (x->q[k] < 0) { x->q[k] = (signed char)i; return; }
}

/* An operator comes back: the head of the queue takes it. */
static void op_back(op_state *x)
{
    if (x->q[0] < 0) return;
    x->m[x->q[0]] = MW;
    x->q[0] = x->q[1]; x->q[1] = x->q[2]; x->q[2] = -1;
}

static op_state op_finish_a(const op_line *L, op_state x, int i)
{
    x.m[i] = MB;                        /* holds its finished part */
    op_back(&x);
    if (x.n < L->K) {
        if (x.m[2] == MB && x.n == 0) op_ask(L, &x, 2);   /* idle B takes it */
        else x.n++;
        op_ask(L, &x, i);
    } else {
        x.blk[x.blk[0] < 0 ? 0 : 1] = (signed char)i;
    }
    return x;
}

static op_state op_finish_b(const op_line *L, op_state x)
{
    x.m[2] = MB;
    op_back(&x);
    if (x.n > 0) {
        x.n--;
        op_ask(L, &x, 2);
        if (x.blk[0] >= 0) {            /* the first blocked A puts its part in */
            int u = x.blk[0];
            x.blk[0] = x.blk[1]; x.blk[1] = -1;
            x.n++;
            op_ask(L, &x, u);
        }
    }
    return x;
}

static int op_find(op_state *seen, int *nseen, const op_state *x)
{
    for (int k = 0; k < *nseen; k++)
        if (memcmp(&seen[k], x, sizeof *x) == 0) return k;
    assert_true(*nseen < OP_MAX_STATES);
    seen[*nseen] = *x;
    return (*nseen)++;
}

typedef struct pool_chain {
    double working_a, waiting_a, blocked_a, working_b, waiting_b, starved_b, x, busy;
} pool_chain;

static pool_chain markov_pool(op_line L, double sa, double sb)
{
    static op_state st[OP_MAX_STATES];
    static int to[OP_MAX_STATES][3];
    static double rate[OP_MAX_STATES][3], pi[OP_MAX_STATES], nx[OP_MAX_STATES];
    int ns = 0;
    op_state x0;
    memset(&x0, -1, sizeof x0);
    x0.n = 0;
    x0.m[0] = x0.m[1] = x0.m[2] = MB;
    for (int i = 0; i < L.na; i++) op_ask(&L, &x0, i);   /* time 0: A asks, B starved */
    op_find(st, &ns, &x0);
    for (int k = 0; k < ns; k++) {      /* ns grows as states are found */
        op_state x = st[k];
        for (int i = 0; i < 3; i++) {
            rate[k][i] = 0;
            to[k][i] = k;
            if ((i < L.na || i == 2) && x.m[i] == MW) {
                op_state y = i == 2 ? op_finish_b(&L, x) : op_finish_a(&L, x, i);
                int j = op_find(st, &ns, &y);
                to[k][i] = j;
                rate[k][i] = 1 / (i == 2 ? sb : sa);
            }
        }
    }
    double lam = 2 * (2 / sa + 1 / sb);
    memset(pi, 0, sizeof pi);
    pi[0] = 1;
    for (int it = 0; it < 2000000; it++) {
        double diff = 0;
        memcpy(nx, pi, (size_t)ns * sizeof *nx);
        for (int k = 0; k < ns; k++)
            for (int i = 0; i < 3; i++) {
                double flow = pi[k] * rate[k][i] / lam;
                nx[k] -= flow;
                nx[to[k][i]] += flow;
            }
        for (int k = 0; k < ns; k++) diff = fmax(diff, fabs(nx[k] - pi[k]));
        memcpy(pi, nx, (size_t)ns * sizeof *pi);
        if (diff < 1e-15) break;
    }
    pool_chain o = { 0 };
    for (int k = 0; k < ns; k++) {
        const op_state *x = &st[k];
        for (int i = 0; i < L.na; i++) {
            o.working_a += pi[k] * (x->m[i] == MW) / L.na;
            o.waiting_a += pi[k] * (x->m[i] == MQ) / L.na;
            o.blocked_a += pi[k] * (x->m[i] == MB) / L.na;
        }
        o.working_b += pi[k] * (x->m[2] == MW);
        o.waiting_b += pi[k] * (x->m[2] == MQ);
        o.starved_b += pi[k] * (x->m[2] == MB);
        o.busy += pi[k] * op_busy(&L, x) / L.ops;
    }
    o.x = o.working_b / sb;
    /* states left at time 0 and never seen again keep a residue of the
     * iteration (~1e-16): it is 0 */
    double *v = &o.working_a;
    for (int k = 0; k < 8; k++) if (fabs(v[k]) < 1e-12) v[k] = 0;
    return o;
}

static void pool_case(op_line L, double sa, double sb)
{
    char yaml[YAML_MAX];
    snprintf(yaml, sizeof yaml, "name: operators\nhorizon: 40000h\nwarmup: 500h\n"
             "replications: 8\nseed: 9\nresources:\n  - {name: operators, count: %d}\n"
             "stations:\n  - {name: A, cycle: exp(%gh), servers: %d, needs: {operators: 1}}\n"
             "  - {name: B, cycle: exp(%gh), needs: {operators: 1}}\nbuffers:\n"
             "  - {name: AB, from: A, to: B, capacity: %d}\n", L.ops, sa, L.na, sb, L.K);
    pool_chain e = markov_pool(L, sa, sb);
    fsim f = fs_run("operators", yaml);
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
    /* one operator, one machine each: the stations take turns */
    pool_case((op_line){ .na = 1, .K = 2, .ops = 1 }, 1.0, 1.0);
    /* two machines at A and B share two operators: one of the three waits */
    pool_case((op_line){ .na = 2, .K = 2, .ops = 2 }, 1.6, 0.9);
    pool_case((op_line){ .na = 2, .K = 1, .ops = 2 }, 2.0, 0.8);
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
