/*
 * test_features.c — the car-plant features that move parts, against
 * theory: assembly, products (mix, sequence, cycle time by product,
 * routing by product and by probability, release dates), changeovers,
 * batches, scrap and rework, workshop roll-ups and deadlock detection.
 * Time-related features (shifts, dates, ramp-up, openings, demand,
 * targets) are in test_features2.c.
 *
 * Two kinds of check, each stated where it is made:
 *   - Deterministic plants (constant cycle times, a fixed release
 *     sequence) have exact answers.  A count of parts in a window of
 *     length H of a periodic schedule is H / period up to the part cut by
 *     each edge of the window, so counts must match within one part (one
 *     batch for batches); shares of time within one period / H.
 *   - Random plants (a product mix, routing probabilities, scrap) are
 *     compared with the statistical rule of test_theory.c: the mean over
 *     replications must lie within 4 half-widths of its 95 % interval
 *     (about 9 standard errors: a correct model fails with probability
 *     ~1e-5) plus 0.5 % of the exact value for the edge effects of a
 *     finite window.  Seeds are fixed, so runs are reproducible.
 *
 * Every run also passes the invariants of feature_sim.c (conservation of
 * parts including scrapped and merged ones, states summing to one, daily
 * series adding up).
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
#include "exp/catalogue.h"
#include "feature_sim.h"

#define REL 0.005                   /* window-edge slack of the statistical rule */
#define YAML_MAX 4096

static double out_of(const fsim *s, const char *station)
{
    return s->sum->stations[fs_station(s, station)].parts_out.mean;
}

/* Per replication: parts_out of station a / (parts_out of a + of b). */
static kpi share_of(const fsim *s, const char *a, const char *b)
{
    double v[64];
    int ia = fs_station(s, a), ib = fs_station(s, b), n = s->sum->replications;
    assert_true(n <= 64);
    for (int r = 0; r < n; r++) {
        double x = s->sum->reps[r].stations[ia].parts_out, y = s->sum->reps[r].stations[ib].parts_out;
        v[r] = x / (x + y);
    }
    return fs_kpi(v, n);
}

/* ---- assembly -------------------------------------------------------- */

/* Two feeders into an assembly station, constant cycle times: builds come
 * at the rate of the slowest of feeder 1 (its rate / its take), feeder 2
 * and the assembly itself.  Every build consumes take1 + take2 parts and
 * makes one, so merged = (take1 + take2 - 1) per build started. */
static void test_assembly_rates(void **state)
{
    static const struct { double f1, f2, a; int take1, take2; double per_h; } cases[] = {
        { 120, 180, 150, 1, 1, 20 },       /* feeder 2 limits */
        { 180, 120, 150, 1, 1, 20 },       /* feeder 1 limits */
        { 120, 120, 150, 1, 1, 24 },       /* the assembly limits */
        { 30, 60, 45, 3, 1, 40 },          /* 3 parts of feeder 1 per build: 90 s */
        { 10, 60, 30, 5, 1, 60 },          /* take 5 of a fast feeder: feeder 2 limits */
        { 60, 20, 30, 1, 4, 45 },          /* take 4 of feeder 2: 80 s per build */
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char y[YAML_MAX], name[32];
        snprintf(name, sizeof name, "assembly-%zu", i + 1);
        snprintf(y, sizeof y,
                 "name: %s\nhorizon: 1000h\nwarmup: 10h\nreplications: 2\n"
                 "stations:\n"
                 "  - {name: F1, cycle: %.0fs}\n  - {name: F2, cycle: %.0fs}\n"
                 "  - {name: A, assembly: true, cycle: %.0fs}\n"
                 "buffers:\n"
                 "  - {name: B1, from: F1, to: A, capacity: %d, take: %d}\n"
                 "  - {name: B2, from: F2, to: A, capacity: %d, take: %d}\n",
                 name, cases[i].f1, cases[i].f2, cases[i].a,
                 2 * cases[i].take1 + 3, cases[i].take1, 2 * cases[i].take2 + 3, cases[i].take2);
        fsim s = fs_run(name, y);
        double builds = cases[i].per_h * 1000;
        int used = cases[i].take1 + cases[i].take2;
        fs_exact(&s, "builds in 1000 h", out_of(&s, "A"), builds, 1);
        for (int r = 0; r < s.sum->replications; r++) {
            const rep_obs *o = &s.sum->reps[r];
            fs_exact(&s, "merged parts", (double)o->merged, (used - 1) * (double)o->parts_out, used - 1);
        }
        fs_free(&s);
    }
}

/* ---- products -------------------------------------------------------- */

/* Parts drawn from the mix, sent by product to one end station each: the
 * share of each end station is the product's share, binomially spread. */
static void test_product_mix(void **state)
{
    static const struct { const char *mix; double share_a; } cases[] = {
        { "", 0.3 },                                     /* the plant's shares */
        { ", mix: {A: 0.85, B: 0.15}", 0.85 },           /* the station's own */
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char y[YAML_MAX];
        snprintf(y, sizeof y,
                 "name: mix\nhorizon: 500h\nreplications: 10\nseed: %zu\n"
                 "products:\n  - {name: A, share: 0.3}\n  - {name: B, share: 0.7}\n"
                 "stations:\n  - {name: M, cycle: 1min%s}\n"
                 "  - {name: SA, cycle: 10s}\n  - {name: SB, cycle: 10s}\n"
                 "buffers:\n"
                 "  - {name: MA, from: M, to: SA, capacity: 10, products: [A]}\n"
                 "  - {name: MB, from: M, to: SB, capacity: 10, products: [B]}\n",
                 11 + i, cases[i].mix);
        fsim s = fs_run("mix", y);
        fs_expect(&s, "share of A", share_of(&s, "SA", "SB"), cases[i].share_a, REL);
        fs_free(&s);
    }
}

/* sequence: [A, B, B] releases exactly one A in three; routing by product
 * sends the As, and only they, to SA.  (Routing that ignored products
 * would send everything to SA, the first buffer with room.) */
static void test_sequence_and_routing_by_product(void **state)
{
    const char *y =
        "name: sequence\nhorizon: 500h\nreplications: 2\n"
        "products:\n  - {name: A}\n  - {name: B}\n"
        "sequence: [A, B, B]\n"
        "stations:\n  - {name: M, cycle: 1min}\n"
        "  - {name: SA, cycle: 10s}\n  - {name: SB, cycle: 10s}\n"
        "buffers:\n"
        "  - {name: MA, from: M, to: SA, capacity: 10, products: [A]}\n"
        "  - {name: MB, from: M, to: SB, capacity: 10, products: [B]}\n";
    (void)state;
    fsim s = fs_run("sequence", y);
    double made = out_of(&s, "M");
    fs_exact(&s, "parts of M", made, 500 * 60, 1);
    fs_exact(&s, "As at SA", out_of(&s, "SA"), made / 3, 1);
    fs_exact(&s, "Bs at SB", out_of(&s, "SB"), 2 * made / 3, 1);
    fs_free(&s);
}

/* One machine, cycle 1 h for A and 2 h for B.  Drawn with shares 1/2 the
 * mean cycle is 1.5 h, so TH = 1/1.5 per hour (renewal theorem); in the
 * alternating sequence [A, B] it is exactly 2 parts every 3 h. */
static void test_cycle_by_product(void **state)
{
    const char *drawn =
        "name: cycle-by-product\nhorizon: 20000h\nreplications: 10\nseed: 21\n"
        "products:\n  - {name: A, share: 0.5}\n  - {name: B, share: 0.5}\n"
        "stations:\n  - {name: M, cycle: {A: 1h, default: 2h}}\n";
    const char *alternating =
        "name: cycle-by-product-seq\nhorizon: 3000h\nreplications: 2\n"
        "products:\n  - {name: A}\n  - {name: B}\n"
        "sequence: [A, B]\n"
        "stations:\n  - {name: M, cycle: {A: 1h, B: 2h}}\n";
    (void)state;
    fsim s = fs_run("cycle-by-product", drawn);
    fs_expect(&s, "throughput/h", s.sum->throughput_per_hour, 1 / 1.5, REL);
    fs_free(&s);
    s = fs_run("cycle-by-product-seq", alternating);
    fs_exact(&s, "parts in 3000 h", out_of(&s, "M"), 2000, 1);
    fs_free(&s);
}

/* Routing by probability: p on the buffers, or on a station's `to:` list
 * (direct hand-overs to stations fast enough never to hold a part up). */
static void test_routing_by_probability(void **state)
{
    const char *by_buffer =
        "name: route-p\nhorizon: 500h\nreplications: 10\nseed: 31\n"
        "stations:\n  - {name: M, cycle: 1min}\n"
        "  - {name: S1, cycle: 10s}\n  - {name: S2, cycle: 10s}\n"
        "buffers:\n"
        "  - {name: M1, from: M, to: S1, capacity: 5, p: 0.25}\n"
        "  - {name: M2, from: M, to: S2, capacity: 5, p: 0.75}\n";
    const char *by_to =
        "name: route-to\nhorizon: 500h\nreplications: 10\nseed: 32\n"
        "stations:\n"
        "  - {name: M, cycle: 1min, to: [{station: S1, p: 0.4}, {station: S2, p: 0.6}]}\n"
        "  - {name: S1, cycle: 10s}\n  - {name: S2, cycle: 10s}\n";
    (void)state;
    fsim s = fs_run("route-p", by_buffer);
    fs_expect(&s, "share to S1", share_of(&s, "S1", "S2"), 0.25, REL);
    fs_exact(&s, "throughput/h", s.sum->throughput_per_hour.mean, 60, 1.0 / 500);
    fs_free(&s);
    s = fs_run("route-to", by_to);
    fs_expect(&s, "share to S1", share_of(&s, "S1", "S2"), 0.4, REL);
    fs_exact(&s, "throughput/h", s.sum->throughput_per_hour.mean, 60, 1.0 / 500);
    fs_free(&s);
}

/* A is on sale until the end of day 10, B from the start of day 11; M
 * releases a part every 7 min from time 0 (part k at 7k min, through the
 * end station at 7k + 8 min).  So exactly the parts released before
 * 14,400 min are As, none of B before, and all later ones Bs. */
static void test_product_dates(void **state)
{
    const char *y =
        "name: product-dates\nstart: 2024-01-01\nuntil: 2024-01-20\nreplications: 2\n"
        "products:\n"
        "  - {name: A, share: 0.5, until: 2024-01-10}\n"
        "  - {name: B, share: 0.5, from: 2024-01-11}\n"
        "stations:\n  - {name: M, cycle: 7min}\n"
        "  - {name: SA, cycle: 1min}\n  - {name: SB, cycle: 1min}\n"
        "buffers:\n"
        "  - {name: MA, from: M, to: SA, capacity: 5, products: [A]}\n"
        "  - {name: MB, from: M, to: SB, capacity: 5, products: [B]}\n";
    const double switch_min = 10 * 1440, end_min = 20 * 1440;
    double as = 0, bs = 0;
    (void)state;
    for (long k = 0; 7.0 * k + 8 < end_min; k++) {
        if (7.0 * k < switch_min) as++;
        else bs++;
    }
    fsim s = fs_run("product-dates", y);
    fs_exact(&s, "As (released by day 10)", out_of(&s, "SA"), as, 0);
    fs_exact(&s, "Bs (released from day 11)", out_of(&s, "SB"), bs, 0);
    fs_free(&s);
}

/* ---- changeovers ----------------------------------------------------- */

/* Constant cycle c = 1 h and changeover s = 30 min whenever the product
 * changes.  [A, B] changes every part: 1.5 h a part, setup share 1/3.
 * [A, A, B, B] changes every second part: 5 h per 4 parts, share 1/5.
 * [A] never changes: 1 h a part and no setup at all. */
static void test_setup(void **state)
{
    static const struct { const char *seq; double parts, setup_share; } cases[] = {
        { "[A, B]", 2000, 1.0 / 3 },
        { "[A, A, B, B]", 2400, 1.0 / 5 },
        { "[A]", 3000, 0 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char y[YAML_MAX];
        snprintf(y, sizeof y,
                 "name: setup\nhorizon: 3000h\nwarmup: 10h\nreplications: 2\n"
                 "products:\n  - {name: A}\n  - {name: B}\n"
                 "sequence: %s\n"
                 "stations:\n  - {name: M, cycle: 1h, setup: 30min}\n", cases[i].seq);
        fsim s = fs_run(cases[i].seq, y);
        const station_sum *m = &s.sum->stations[0];
        fs_exact(&s, "parts in 3000 h", m->parts_out.mean, cases[i].parts, 2);
        fs_exact(&s, "setup share", m->state[ST_SETUP].mean, cases[i].setup_share, 5.0 / 3000);
        fs_exact(&s, "working share", m->state[ST_WORKING].mean, 1 - cases[i].setup_share, 5.0 / 3000);
        if (cases[i].setup_share == 0) assert_true(m->state[ST_SETUP].mean == 0);
        fs_free(&s);
    }
}

/* ---- batches --------------------------------------------------------- */

/* batch: 4 with a constant 1 h cycle: 4 parts an hour when never starved
 * or blocked.  Into a 20 min machine, the batch machine is paced by it:
 * 3 parts an hour, and the batch machine works 60 of every 80 minutes
 * and is blocked the other 20. */
static void test_batch(void **state)
{
    const char *alone =
        "name: batch\nhorizon: 1000h\nwarmup: 10h\nreplications: 2\n"
        "stations:\n  - {name: M, cycle: 1h, batch: 4}\n";
    const char *blocked =
        "name: batch-blocked\nhorizon: 1000h\nwarmup: 10h\nreplications: 2\n"
        "stations:\n  - {name: M1, cycle: 1h, batch: 4}\n  - {name: M2, cycle: 20min}\n"
        "buffers:\n  - {name: B, from: M1, to: M2, capacity: 3}\n";
    const char *random =
        "name: batch-random\nhorizon: 2000h\nreplications: 5\nseed: 41\n"
        "stations:\n  - {name: M1, cycle: exp(1h), batch: 4}\n"
        "  - {name: M2, cycle: exp(15min), batch: 3, scrap: 0.05}\n"
        "  - {name: M3, cycle: exp(5min)}\n"
        "buffers:\n  - {name: B1, from: M1, to: M2, capacity: 2}\n"
        "  - {name: B2, from: M2, to: M3, capacity: 1}\n";
    (void)state;
    fsim s = fs_run("batch", alone);
    fs_exact(&s, "parts in 1000 h", out_of(&s, "M"), 4000, 4);
    fs_exact(&s, "working share", s.sum->stations[0].state[ST_WORKING].mean, 1, 1e-12);
    fs_free(&s);
    s = fs_run("batch-blocked", blocked);
    fs_exact(&s, "parts in 1000 h", out_of(&s, "M2"), 3000, 1);
    fs_exact(&s, "M1 working", s.sum->stations[0].state[ST_WORKING].mean, 0.75, 80.0 / 60000);
    fs_exact(&s, "M1 blocked", s.sum->stations[0].state[ST_BLOCKED].mean, 0.25, 80.0 / 60000);
    fs_free(&s);
    s = fs_run("batch-random", random);      /* conservation is checked by fs_run */
    assert_true(s.sum->scrapped.mean > 0);
    fs_free(&s);
}

/* ---- quality --------------------------------------------------------- */

/* scrap: p.  Each finished part is scrapped with probability p, so the
 * share scrapped among parts finished is p, and a line after the scrapping
 * station gets (1 - p) of what entered it. */
static void test_scrap(void **state)
{
    const char *one =
        "name: scrap\nhorizon: 2000h\nreplications: 10\nseed: 51\n"
        "stations:\n  - {name: M, cycle: 1min, scrap: 0.1}\n";
    const char *line =
        "name: scrap-line\nhorizon: 2000h\nreplications: 10\nseed: 52\n"
        "stations:\n  - {name: M1, cycle: 1min}\n  - {name: M2, cycle: 50s, scrap: 0.2}\n"
        "  - {name: M3, cycle: 30s}\n"
        "buffers:\n  - {name: B1, from: M1, to: M2, capacity: 5}\n"
        "  - {name: B2, from: M2, to: M3, capacity: 5}\n";
    double v[10], w[10];
    (void)state;
    fsim s = fs_run("scrap", one);
    for (int r = 0; r < 10; r++) {
        const rep_obs *o = &s.sum->reps[r];
        v[r] = (double)o->scrapped / (double)(o->scrapped + o->parts_out);
        w[r] = (double)o->parts_out / (double)o->parts_in;
    }
    fs_expect(&s, "share scrapped", fs_kpi(v, 10), 0.1, REL);
    fs_expect(&s, "out / in", fs_kpi(w, 10), 0.9, REL);
    fs_free(&s);
    s = fs_run("scrap-line", line);
    int m1 = fs_station(&s, "M1"), m3 = fs_station(&s, "M3");
    for (int r = 0; r < 10; r++) {
        const rep_obs *o = &s.sum->reps[r];
        v[r] = o->stations[m3].parts_out / o->stations[m1].parts_out;
        w[r] = (double)o->scrapped / o->stations[m1].parts_out;
    }
    fs_expect(&s, "M3 out / M1 out", fs_kpi(v, 10), 0.8, REL);
    fs_expect(&s, "scrapped / M1 out", fs_kpi(w, 10), 0.2, REL);
    fs_free(&s);
}

/* rework {p, to: R}: a part is sent to R with probability p each time S
 * finishes it and comes back, so S finishes it a geometric number of
 * times, 1/(1 - p) on average: S's parts out (to the sink and to rework)
 * per part leaving the plant is 1/(1 - p), R's is p/(1 - p).  M0 (2 min)
 * is the bottleneck (S is loaded 1.25 min per 2 min), so 30 parts an
 * hour leave.  Nothing is lost: conservation is checked by fs_run. */
static void test_rework(void **state)
{
    const char *y =
        "name: rework\nhorizon: 2000h\nwarmup: 20h\nreplications: 10\nseed: 61\n"
        "stations:\n  - {name: M0, cycle: 2min}\n"
        "  - {name: S, cycle: 1min, rework: {p: 0.2, to: R}}\n"
        "  - {name: R, cycle: exp(5min), servers: 2}\n"
        "buffers:\n  - {name: B0, from: M0, to: S, capacity: 10}\n";
    double v[10], w[10];
    (void)state;
    fsim s = fs_run("rework", y);
    int is = fs_station(&s, "S"), ir = fs_station(&s, "R");
    for (int r = 0; r < 10; r++) {
        const rep_obs *o = &s.sum->reps[r];
        v[r] = o->stations[is].parts_out / (double)o->parts_out;
        w[r] = o->stations[ir].parts_out / (double)o->parts_out;
    }
    fs_expect(&s, "S passes per part", fs_kpi(v, 10), 1 / 0.8, REL);
    fs_expect(&s, "R passes per part", fs_kpi(w, 10), 0.2 / 0.8, 0.02);
    fs_expect(&s, "throughput/h", s.sum->throughput_per_hour, 30, REL);
    assert_true(s.sum->scrapped.mean == 0);
    fs_free(&s);
}

/* ---- workshops ------------------------------------------------------- */

/* A workshop's state shares are the server-weighted mean of its stations'
 * (a linear identity, exact up to rounding); its parts out are what
 * leaves it: W's are what B passes to C, V's are the cars that leave the
 * plant from C (C's trips to its rework station R stay inside V). */
static void test_workshops(void **state)
{
    const char *y =
        "name: workshops\nhorizon: 2000h\nwarmup: 20h\nreplications: 10\nseed: 71\n"
        "workshops:\n  - {name: W}\n  - {name: V}\n"
        "stations:\n"
        "  - {name: A, workshop: W, servers: 2, cycle: exp(2min)}\n"
        "  - name: B\n    workshop: W\n    cycle: exp(1min)\n"
        "    failures: [{ttf: exp(2h), ttr: exp(10min)}]\n"
        "  - {name: C, workshop: V, cycle: exp(50s), rework: {p: 0.1, to: R}}\n"
        "  - {name: R, workshop: V, cycle: exp(5min)}\n"
        "buffers:\n  - {name: AB, from: A, to: B, capacity: 3}\n"
        "  - {name: BC, from: B, to: C, capacity: 3}\n";
    (void)state;
    fsim s = fs_run("workshops", y);
    const takt_summary *sum = s.sum;
    int a = fs_station(&s, "A"), b = fs_station(&s, "B"), c = fs_station(&s, "C"),
        r = fs_station(&s, "R");
    const workshop_sum *w = &sum->workshops[fs_workshop(&s, "W")];
    const workshop_sum *v = &sum->workshops[fs_workshop(&s, "V")];
    for (int q = 0; q < NSTATES; q++) {
        char what[40];
        double ew = (2 * sum->stations[a].state[q].mean + sum->stations[b].state[q].mean) / 3;
        double ev = (sum->stations[c].state[q].mean + sum->stations[r].state[q].mean) / 2;
        snprintf(what, sizeof what, "W %s", catalogue_states[q].key);
        fs_exact(&s, what, w->state[q].mean, ew, 1e-12);
        snprintf(what, sizeof what, "V %s", catalogue_states[q].key);
        fs_exact(&s, what, v->state[q].mean, ev, 1e-12);
    }
    double left = 0;
    for (int i = 0; i < sum->replications; i++) left += (double)sum->reps[i].parts_out;
    left /= sum->replications;
    fs_exact(&s, "W parts out = B's", w->parts_out.mean, sum->stations[b].parts_out.mean, 1e-9);
    fs_exact(&s, "V parts out = leaving", v->parts_out.mean, left, 1e-9);
    fs_free(&s);
}

/* ---- deadlock -------------------------------------------------------- */

/* B sends every second part back to A; with every buffer holding one part,
 * A blocked on a full AB while B is blocked on a full BA can never move
 * again.  The run must stop with -3 and say which station is blocked. */
static void test_deadlock(void **state)
{
    const char *y =
        "name: jam\nhorizon: 1000h\nreplications: 2\n"
        "stations:\n  - {name: S, cycle: 1min}\n"
        "  - {name: loop-a, cycle: \"uniform(1min, 2min)\"}\n"
        "  - {name: loop-b, cycle: \"uniform(1min, 2min)\", routing: round-robin}\n"
        "  - {name: C, cycle: 1min}\n"
        "buffers:\n  - {name: SA, from: S, to: loop-a, capacity: 1}\n"
        "  - {name: AB, from: loop-a, to: loop-b, capacity: 1}\n"
        "  - {name: BA, from: loop-b, to: loop-a, capacity: 1}\n"
        "  - {name: BC, from: loop-b, to: C, capacity: 1}\n";
    char *errors = NULL, *why = NULL;
    takt_summary *sum = NULL;
    takt_options o;
    (void)state;
    takt_plant *p = takt_load_string("jam", y, strlen(y), &errors);
    if (!p) fail_msg("jam does not load: %s", errors ? errors : "");
    takt_options_default(&o);
    o.threads = 2;
    o.error = &why;
    assert_int_equal(takt_simulate(p, &o, &sum), -3);
    assert_null(sum);
    assert_non_null(why);
    print_message("  deadlock: %s\n", why);
    assert_non_null(strstr(why, "deadlock"));
    assert_true(strstr(why, "station 'loop-a'") || strstr(why, "station 'loop-b'"));
    free(why);
    takt_plant_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_assembly_rates),
        cmocka_unit_test(test_product_mix),
        cmocka_unit_test(test_sequence_and_routing_by_product),
        cmocka_unit_test(test_cycle_by_product),
        cmocka_unit_test(test_routing_by_probability),
        cmocka_unit_test(test_product_dates),
        cmocka_unit_test(test_setup),
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_scrap),
        cmocka_unit_test(test_rework),
        cmocka_unit_test(test_workshops),
        cmocka_unit_test(test_deadlock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
