/*
 * test_theory.c — takt's numbers against queueing and production-line
 * theory.  Every case builds a plant from YAML text, simulates it through
 * the public API and compares the summary with an exact value: closed
 * forms (two-machine lines, zero-buffer lines, a machine with failures,
 * M/M/1, M/M/c, M/D/1, Jackson tandem) or the exact Markov chain of
 * markov.c for random small lines with failures and finite buffers.
 *
 * The one statistical rule.  A simulated mean m with 95 % half-width h
 * (Student t, 9 degrees of freedom over 10 replications) agrees with the
 * exact value x when |m - x| <= 4 h + 0.005 |x|.  4 h is about 9 standard
 * errors: a correct simulator exceeds it with probability ~1e-5 per
 * comparison, so a failure means a wrong model, not bad luck.  The 0.5 %
 * covers what the half-width does not see: the bias of a finite warm-up
 * and of counting whole parts in a finite window.  Seeds are fixed, so a
 * run is reproducible bit for bit.
 *
 * Every simulation also passes three exact checks on every replication:
 * conservation of parts, station states summing to one, and Little's law
 * (see check_run).  docs/validation.md explains the theory and tolerances.
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
#include "markov.h"

#define REL_SLACK  0.005            /* warm-up and edge bias, see above  */
#define HALF_WIDTHS 4.0
#define YAML_MAX   4096

typedef struct sim {
    const char *name;
    takt_plant *plant;
    takt_summary *sum;
} sim;

/* ---- the invariants every run must satisfy --------------------------- */

/* Little's law on the measured window [0, T]: integral of WIP = sum of the
 * sojourns of the parts that left, minus the part of their sojourn spent
 * before the window (parts present at the start), plus the time spent in
 * the window by parts still present at the end.  Those two edge terms
 * are about (wip_start + wip_end) times a sojourn, so the mismatch between
 * WIP*T and parts_out*lead_time is bounded by a few of those: we allow
 * 4 (wip_start + wip_end + 2) mean sojourns.  A WIP that omits a place
 * where parts wait (a queue, a machine) misses by a fraction of T instead,
 * hundreds of times more. */
static void check_little(const sim *s, const rep_obs *o, int r)
{
    double t = s->sum->horizon;
    if (o->parts_out == 0) return;
    double gap = fabs(o->wip * t - (double)o->parts_out * o->lead_time_s);
    double allowed = 4.0 * (double)(o->wip_start + o->wip_end + 2) * o->lead_time_s;
    if (gap > allowed)
        fail_msg("%s rep %d: Little's law: WIP %.6g vs throughput x lead time %.6g "
                 "(gap %.4g part-s > %.4g)", s->name, r, o->wip,
                 (double)o->parts_out * o->lead_time_s / t, gap, allowed);
}

static void check_run(const sim *s)
{
    const takt_summary *sum = s->sum;
    const takt_plant *p = sum->plant;
    for (int r = 0; r < sum->replications; r++) {
        const rep_obs *o = &sum->reps[r];
        if (o->wip_start + o->parts_in != o->parts_out + o->wip_end)
            fail_msg("%s rep %d: parts not conserved: %ld at start + %ld in != %ld out + %ld at end",
                     s->name, r, o->wip_start, o->parts_in, o->parts_out, o->wip_end);
        for (int i = 0; i < p->nstations; i++) {
            double total = 0;
            for (int q = 0; q < NSTATES; q++) {
                assert_true(o->stations[i].state[q] >= -1e-12);
                total += o->stations[i].state[q];
            }
            if (fabs(total - 1) > 1e-9)
                fail_msg("%s rep %d station %s: state fractions sum to %.12f",
                         s->name, r, p->stations[i].name, total);
        }
        check_little(s, o, r);
    }
    for (int i = 0; i < p->nstations; i++) {
        double total = 0;
        for (int q = 0; q < NSTATES; q++) total += sum->stations[i].state[q].mean;
        assert_true(fabs(total - 1) <= 1e-9);
    }
}

/* ---- running a plant ------------------------------------------------- */

static sim simulate(const char *name, const char *yaml, int reps,
                    double horizon_h, double warmup_h, uint64_t seed)
{
    sim s = { name, NULL, NULL };
    char *errors = NULL;
    exp_options o;
    s.plant = takt_load_string(name, yaml, strlen(yaml), &errors);
    if (!s.plant) fail_msg("plant %s does not load:\n%s\n%s", name, errors ? errors : "", yaml);
    exp_options_default(&o);
    o.replications = reps;
    o.seed = seed; o.have_seed = 1;
    o.horizon = horizon_h * 3600;
    o.warmup = warmup_h * 3600;
    o.threads = 2;
    assert_int_equal(exp_run(s.plant, &o, &s.sum), 0);
    assert_int_equal(s.sum->replications, reps);
    check_run(&s);
    return s;
}

static void sim_free(sim *s)
{
    summary_free(s->sum);
    takt_plant_free(s->plant);
}

/* Compare a KPI (scaled into theory units) with its exact value. */
static void expect(const sim *s, const char *what, kpi got, double scale, double exact)
{
    double m = got.mean * scale, h = got.ci95 * scale;
    double tol = HALF_WIDTHS * h + REL_SLACK * fabs(exact);
    print_message("  %-12s %-22s sim %10.5f +- %-9.5f exact %10.5f\n", s->name, what, m, h, exact);
    if (fabs(m - exact) > tol)
        fail_msg("%s: %s = %.6g +- %.3g, exact %.6g (off by %.3g > tolerance %.3g)",
                 s->name, what, m, h, exact, fabs(m - exact), tol);
}

/* ---- plant text ------------------------------------------------------ */

static void yaml_head(char *y, const char *name, int reps, double horizon_h, double warmup_h)
{
    snprintf(y, YAML_MAX, "name: %s\nhorizon: %.0fh\nwarmup: %.0fh\nreplications: %d\nseed: 1\n",
             name, horizon_h, warmup_h, reps);
}

static void yaml_add(char *y, const char *fmt, ...)
{
    size_t n = strlen(y);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(y + n, YAML_MAX - n, fmt, ap);
    va_end(ap);
    assert_true(strlen(y) < YAML_MAX - 1);
}

/* A serial line of exponential machines (mean times in hours; ttf = 0
 * means reliable) with buffers B1.. of the given capacities. */
static void yaml_line(char *y, const markov_line *l, const double *cycle_h,
                      const double *ttf_h, const double *ttr_h)
{
    yaml_add(y, "stations:\n");
    for (int i = 0; i < l->nmachines; i++) {
        yaml_add(y, "  - name: M%d\n    cycle: exp(%.2fh)\n", i + 1, cycle_h[i]);
        if (ttf_h && ttf_h[i] > 0)
            yaml_add(y, "    failures:\n      - {ttf: exp(%.1fh), ttr: exp(%.1fh)}\n",
                     ttf_h[i], ttr_h[i]);
    }
    if (l->nmachines > 1) yaml_add(y, "buffers:\n");
    for (int i = 0; i < l->nmachines - 1; i++)
        yaml_add(y, "  - {name: B%d, from: M%d, to: M%d, capacity: %d}\n",
                 i + 1, i + 1, i + 2, l->capacity[i]);
}

/* ---- production lines ------------------------------------------------ */

/* Two exponential machines, buffer N, rho = mu1/mu2: the closed form
 * TH = mu1 (1 - rho^(N+2)) / (1 - rho^(N+3)), and the buffer level from
 * the same birth-death chain (through markov.c, itself checked against
 * it in test_markov.c). */
static void test_two_machine_lines(void **state)
{
    static const int caps[] = { 0, 1, 3, 8 };
    static const double m1_cycle[] = { 2.0, 1.0, 0.8 };        /* rho = 0.5, 1, 1.25 */
    int seed = 100;
    (void)state;
    for (size_t a = 0; a < sizeof caps / sizeof *caps; a++) {
        for (size_t b = 0; b < sizeof m1_cycle / sizeof *m1_cycle; b++) {
            char y[YAML_MAX], name[32];
            double cycle[2] = { m1_cycle[b], 1.0 }, rho = 1.0 / m1_cycle[b];
            int n = caps[a];
            markov_line l = markov_uniform_line(2, 1.0, n);
            markov_result mk;
            l.machine[0].mu = rho;
            assert_int_equal(markov_solve(&l, MARKOV_AUTO, &mk), 0);
            double th = rho == 1.0 ? (n + 2.0) / (n + 3.0)
                      : rho * (1 - pow(rho, n + 2)) / (1 - pow(rho, n + 3));
            snprintf(name, sizeof name, "two-N%d-r%.2f", n, rho);
            yaml_head(y, name, 10, 200000, 500);
            yaml_line(y, &l, cycle, NULL, NULL);
            sim s = simulate(name, y, 10, 200000, 500, (uint64_t)seed++);
            expect(&s, "throughput/h", s.sum->throughput_per_hour, 1, th);
            expect(&s, "B1 level", s.sum->buffers[0].mean_level, 1, mk.mean_level[0]);
            expect(&s, "M1 blocked", s.sum->stations[0].state[ST_BLOCKED], 1, mk.state[0][MK_BLOCKED]);
            expect(&s, "M2 starved", s.sum->stations[1].state[ST_STARVED], 1, mk.state[1][MK_IDLE]);
            sim_free(&s);
        }
    }
}

/* K identical exponential machines without buffers (capacity 0: direct
 * hand-over, blocking after service): Hunt's throughputs. */
static void test_zero_buffer_lines(void **state)
{
    static const double hunt[] = { 0, 0, 2.0 / 3.0, 22.0 / 39.0, 0.5148, 0.4858 };
    (void)state;
    for (int k = 2; k <= 5; k++) {
        char y[YAML_MAX], name[32];
        double cycle[5] = { 1, 1, 1, 1, 1 };
        markov_line l = markov_uniform_line(k, 1.0, 0);
        snprintf(name, sizeof name, "zero-buffer-%d", k);
        yaml_head(y, name, 10, 200000, 500);
        yaml_line(y, &l, cycle, NULL, NULL);
        sim s = simulate(name, y, 10, 200000, 500, 200 + (uint64_t)k);
        expect(&s, "throughput/h", s.sum->throughput_per_hour, 1, hunt[k]);
        sim_free(&s);
    }
}

/* One machine, never starved or blocked, with operation-dependent
 * failures: each part takes its cycle plus the repairs of the failures
 * during it.  Failures come at rate 1/E[ttf] per unit of working time
 * (renewal theory), so TH = 1 / (E[cycle] (1 + E[ttr]/E[ttf])) =
 * mu r / (r + p) for any distributions with those means; the machine
 * works a fraction E[ttf] / (E[ttf] + E[ttr]) of the time. */
static void test_single_machine_failures(void **state)
{
    static const struct { const char *cycle, *ttf, *ttr; double c, f, r; } cases[] = {
        { "exp(1h)", "exp(50h)", "exp(5h)", 1, 50, 5 },
        { "10min", "exp(8h)", "exp(2h)", 1.0 / 6, 8, 2 },
        { "tri(20min, 30min, 70min)", "uniform(10h, 30h)", "tri(1h, 2h, 6h)", 40.0 / 60, 20, 3 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char y[YAML_MAX], name[32];
        snprintf(name, sizeof name, "failing-%zu", i + 1);
        yaml_head(y, name, 10, 100000, 500);
        yaml_add(y, "stations:\n  - name: M1\n    cycle: %s\n    failures:\n"
                    "      - ttf: %s\n        ttr: %s\n", cases[i].cycle, cases[i].ttf, cases[i].ttr);
        sim s = simulate(name, y, 10, 100000, 500, 300 + (uint64_t)i);
        double avail = cases[i].f / (cases[i].f + cases[i].r);
        expect(&s, "throughput/h", s.sum->throughput_per_hour, 1, avail / cases[i].c);
        expect(&s, "working", s.sum->stations[0].state[ST_WORKING], 1, avail);
        expect(&s, "failed", s.sum->stations[0].state[ST_FAILED], 1, 1 - avail);
        sim_free(&s);
    }
}

/* xorshift64: the random lines are the same on every platform. */
static double draw(uint64_t *s)
{
    *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
    return (double)(*s >> 11) / 9007199254740992.0;
}

static double round_to(double x, double step) { return floor(x / step + 0.5) * step; }

/* The acceptance criterion: serial lines of exponential machines with
 * failures and finite buffers match the exact Markov chain in throughput
 * (and, by the same rule, in buffer levels and machine states). */
static void test_random_lines_vs_markov(void **state)
{
    uint64_t g = 0x7a6b7430u;
    (void)state;
    for (int t = 1; t <= 12; t++) {
        char y[YAML_MAX], name[32], what[32];
        double cycle[4], ttf[4], ttr[4];
        markov_line l = markov_uniform_line(2 + (int)(draw(&g) * 3), 1.0, 0);
        for (int i = 0; i < l.nmachines; i++) {
            cycle[i] = round_to(0.5 + 1.5 * draw(&g), 0.01);
            ttf[i] = ttr[i] = 0;
            l.machine[i].mu = 1 / cycle[i];
            if (draw(&g) < 0.75) {
                ttf[i] = round_to(20 + 180 * draw(&g), 0.1);
                ttr[i] = round_to(1 + 19 * draw(&g), 0.1);
                l.machine[i].p = 1 / ttf[i];
                l.machine[i].r = 1 / ttr[i];
            }
            if (i < l.nmachines - 1) l.capacity[i] = (int)(draw(&g) * 6);
        }
        markov_result mk;
        assert_int_equal(markov_solve(&l, MARKOV_AUTO, &mk), 0);
        assert_true(mk.residual < 1e-12);
        snprintf(name, sizeof name, "random-%d", t);
        yaml_head(y, name, 10, 20000, 500);
        yaml_line(y, &l, cycle, ttf, ttr);
        sim s = simulate(name, y, 10, 20000, 500, 400 + (uint64_t)t);
        expect(&s, "throughput/h", s.sum->throughput_per_hour, 1, mk.throughput);
        expect(&s, "WIP", s.sum->wip, 1, mk.wip);
        for (int i = 0; i < l.nmachines - 1; i++) {
            snprintf(what, sizeof what, "B%d level", i + 1);
            expect(&s, what, s.sum->buffers[i].mean_level, 1, mk.mean_level[i]);
        }
        for (int i = 0; i < l.nmachines; i++) {
            const station_sum *st = &s.sum->stations[i];
            snprintf(what, sizeof what, "M%d working", i + 1);
            expect(&s, what, st->state[ST_WORKING], 1, mk.state[i][MK_WORKING]);
            snprintf(what, sizeof what, "M%d starved", i + 1);
            expect(&s, what, st->state[ST_STARVED], 1, mk.state[i][MK_IDLE]);
            snprintf(what, sizeof what, "M%d blocked", i + 1);
            expect(&s, what, st->state[ST_BLOCKED], 1, mk.state[i][MK_BLOCKED]);
            snprintf(what, sizeof what, "M%d failed", i + 1);
            expect(&s, what, st->state[ST_FAILED], 1, mk.state[i][MK_FAILED]);
        }
        sim_free(&s);
    }
}

/* ---- queues ------------------------------------------------------------ */

/* M/M/1, lambda = 0.8/h, mu = 1/h: W = 1/(mu - lambda) = 5 h,
 * L = lambda W = 4, utilisation 0.8.  With rho = 0.8 the queue forgets
 * its empty start within a few hundred hours; 1,000 h of warm-up leave no
 * measurable bias. */
static void test_mm1(void **state)
{
    const char *y =
        "name: mm1\nhorizon: 1000000h\nwarmup: 1000h\nreplications: 10\nseed: 7\n"
        "sources:\n  - {name: arrivals, interarrival: exp(1.25h), to: M1}\n"
        "stations:\n  - {name: M1, cycle: exp(1h)}\n";
    (void)state;
    sim s = simulate("mm1", y, 10, 1000000, 1000, 7);
    expect(&s, "lead time h", s.sum->lead_time_s, 1 / 3600.0, 1 / (1.0 - 0.8));
    expect(&s, "WIP", s.sum->wip, 1, 0.8 / (1.0 - 0.8));
    expect(&s, "throughput/h", s.sum->throughput_per_hour, 1, 0.8);
    expect(&s, "working", s.sum->stations[0].state[ST_WORKING], 1, 0.8);
    sim_free(&s);
}

/* Erlang's C formula: probability that an arrival waits in M/M/c. */
static double erlang_c(int c, double a)
{
    double term = 1, sum = 0;
    for (int k = 0; k < c; k++) { sum += term; term *= a / (k + 1); }
    double last = term / (1 - a / c);           /* a^c / c! / (1 - rho) */
    return last / (sum + last);
}

/* M/M/3, lambda = 2.4/h, mu = 1/h per machine (rho = 0.8): mean wait
 * Wq = C(3, 2.4) / (3 mu - lambda), lead time Wq + 1/mu; every machine of
 * the station works a fraction rho of the time. */
static void test_mmc(void **state)
{
    const char *y =
        "name: mm3\nhorizon: 400000h\nwarmup: 1000h\nreplications: 10\nseed: 8\n"
        "sources:\n  - {name: arrivals, interarrival: exp(25min), to: M1}\n"
        "stations:\n  - {name: M1, servers: 3, cycle: exp(1h)}\n";
    double lambda = 2.4, mu = 1.0, wq = erlang_c(3, lambda / mu) / (3 * mu - lambda);
    (void)state;
    sim s = simulate("mm3", y, 10, 400000, 1000, 8);
    expect(&s, "lead time h", s.sum->lead_time_s, 1 / 3600.0, wq + 1 / mu);
    expect(&s, "WIP", s.sum->wip, 1, lambda * (wq + 1 / mu));
    expect(&s, "working", s.sum->stations[0].state[ST_WORKING], 1, lambda / (3 * mu));
    sim_free(&s);
}

/* M/D/1, lambda = 0.8/h, constant cycle 1 h: Pollaczek-Khinchine,
 * Wq = lambda E[S^2] / (2 (1 - rho)) = 2 h, W = 3 h. */
static void test_md1(void **state)
{
    const char *y =
        "name: md1\nhorizon: 1000000h\nwarmup: 1000h\nreplications: 10\nseed: 9\n"
        "sources:\n  - {name: arrivals, interarrival: exp(1.25h), to: M1}\n"
        "stations:\n  - {name: M1, cycle: 1h}\n";
    double lambda = 0.8, rho = 0.8, wq = lambda * 1.0 / (2 * (1 - rho));
    (void)state;
    sim s = simulate("md1", y, 10, 1000000, 1000, 9);
    expect(&s, "lead time h", s.sum->lead_time_s, 1 / 3600.0, wq + 1);
    expect(&s, "WIP", s.sum->wip, 1, lambda * (wq + 1));
    sim_free(&s);
}

/* Two M/M/1 queues in tandem with an unbounded buffer between them
 * (Jackson): each behaves as an M/M/1 with the same arrival rate, so
 * W = 1/(mu1 - lambda) + 1/(mu2 - lambda); the buffer before M2 holds
 * the queue of the second station only, Lq2 = rho2^2 / (1 - rho2). */
static void test_jackson_tandem(void **state)
{
    const char *y =
        "name: tandem\nhorizon: 1000000h\nwarmup: 1000h\nreplications: 10\nseed: 10\n"
        "sources:\n  - {name: arrivals, interarrival: exp(1.25h), to: M1}\n"
        "stations:\n  - {name: M1, cycle: exp(0.9h)}\n  - {name: M2, cycle: exp(1h)}\n"
        "buffers:\n  - {name: B1, from: M1, to: M2, capacity: inf}\n";
    double lambda = 0.8, mu1 = 1 / 0.9, mu2 = 1.0, rho2 = lambda / mu2;
    (void)state;
    sim s = simulate("tandem", y, 10, 1000000, 1000, 10);
    expect(&s, "lead time h", s.sum->lead_time_s, 1 / 3600.0,
           1 / (mu1 - lambda) + 1 / (mu2 - lambda));
    expect(&s, "B1 level", s.sum->buffers[0].mean_level, 1, rho2 * rho2 / (1 - rho2));
    expect(&s, "M1 working", s.sum->stations[0].state[ST_WORKING], 1, lambda / mu1);
    sim_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_machine_lines),
        cmocka_unit_test(test_zero_buffer_lines),
        cmocka_unit_test(test_single_machine_failures),
        cmocka_unit_test(test_random_lines_vs_markov),
        cmocka_unit_test(test_mm1),
        cmocka_unit_test(test_mmc),
        cmocka_unit_test(test_md1),
        cmocka_unit_test(test_jackson_tandem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
