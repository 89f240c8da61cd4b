/*
 * test_cluster.c — the wire format that carries observations between MPI
 * ranks (rep_obs_pack / rep_obs_unpack) and the single-process behaviour
 * of the cluster calls.
 *
 * Reports on rank 0 must be byte-identical to a single-process run, so a
 * round trip must give back every field bit for bit (NaN, -0 and the
 * infinities included), every array, and the customer-wait histogram.
 * The strongest check is end to end: summaries built from unpacked
 * observations print the same JSON as those built from the originals.
 * Damaged or foreign input must be refused, never misread.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exp/cluster.h"
#include "exp/summary.h"
#include "core/stats.h"
#include "io/load.h"
#include "io/report.h"

/* ---- a hand-made plant and observation ------------------------------------- */

typedef struct fixture {
    takt_plant p;
    rep_obs o;
} fixture;

/* Counts are all the wire format reads from a plant. */
static void plant_shape(takt_plant *p, int nstations, int nbuffers, int nsources, int ntargets)
{
    memset(p, 0, sizeof *p);
    p->nstations = nstations;
    p->nbuffers = nbuffers;
    p->nsources = nsources;
    p->ntargets = ntargets;
}

static double *doubles(int n, double first, double step)
{
    double *v = calloc((size_t)n + 1, sizeof *v);
    assert_non_null(v);
    for (int i = 0; i < n; i++) v[i] = first + step * i;
    return v;
}

/* Every field set, with awkward values where a lossy format would slip. */
static void full_obs(fixture *f)
{
    takt_plant *p = &f->p;
    rep_obs *o = &f->o;
    plant_shape(p, 3, 2, 1, 2);
    memset(o, 0, sizeof *o);
    o->throughput_per_hour = 1.0 / 3;
    o->lead_time_s = NAN;
    o->wip = -0.0;
    o->parts_in = LONG_MAX; o->parts_out = LONG_MIN;
    o->wip_start = -1; o->wip_end = 12345;
    o->scrapped = 7; o->merged = 3;
    o->events = UINT64_MAX;
    o->stations = calloc(4, sizeof *o->stations);
    o->buffers = calloc(4, sizeof *o->buffers);
    assert_non_null(o->stations);
    assert_non_null(o->buffers);
    for (int i = 0; i < 3; i++) {
        o->stations[i].parts_out = 100 + i;
        for (int q = 0; q < NSTATES; q++) o->stations[i].state[q] = (q + 1) / 7.0 + i;
        o->stations[i].bn_sole = i == 1 ? INFINITY : 0.1 * i;
        o->stations[i].bn_shifting = -INFINITY;
        o->stations[i].recent_out = 17.0 * i + 0.25;
    }
    for (int i = 0; i < 3; i++)
        o->buffers[i] = (buffer_obs){ 0.5 + i, 3.0 * i, 1e300 };
    o->ndays = 5;
    o->day_produced = doubles(5, 10, 1.5);
    o->day_delivered = doubles(5, 9, 2.25);
    o->day_backlog = doubles(5, 100, -3);
    o->target_reached = doubles(2, 86400.5, 1);
    o->target_reached[1] = NAN;
    o->produced = 99; o->delivered = 98; o->ordered = 120;
    o->wait_mean_s = 3.5e5;
    o->wait_n = 98;
    o->wait = malloc(sizeof *o->wait);
    assert_non_null(o->wait);
    qhist_init(o->wait, 60.0);
    qhist_add(o->wait, 0);
    qhist_add(o->wait, 30);
    for (int i = 1; i < 200; i++) qhist_add(o->wait, 3600.0 * i);
    qhist_add(o->wait, 1e12);                   /* past the last bin */
}

/* ---- comparisons ------------------------------------------------------------ */

#define assert_same_bits(a, b) assert_same_bits_at((a), (b), #a, __FILE__, __LINE__)

static void assert_same_bits_at(double a, double b, const char *what, const char *file, int line)
{
    if (memcmp(&a, &b, sizeof a) != 0)
        fail_msg("%s:%d: %s: %.17g came back as %.17g", file, line, what, a, b);
}

static void assert_same_array(const double *a, const double *b, int n)
{
    if (!a || !b) {
        assert_true(a == b);
        return;
    }
    for (int i = 0; i < n; i++) assert_same_bits(a[i], b[i]);
}

static void assert_same_obs(const takt_plant *p, const rep_obs *a, const rep_obs *b)
{
    assert_same_bits(a->throughput_per_hour, b->throughput_per_hour);
    assert_same_bits(a->lead_time_s, b->lead_time_s);
    assert_same_bits(a->wip, b->wip);
    assert_int_equal(a->parts_in, b->parts_in);
    assert_int_equal(a->parts_out, b->parts_out);
    assert_int_equal(a->wip_start, b->wip_start);
    assert_int_equal(a->wip_end, b->wip_end);
    assert_int_equal(a->scrapped, b->scrapped);
    assert_int_equal(a->merged, b->merged);
    assert_true(a->events == b->events);
    for (int i = 0; i < p->nstations; i++) {
        assert_same_bits(a->stations[i].parts_out, b->stations[i].parts_out);
        for (int q = 0; q < NSTATES; q++) assert_same_bits(a->stations[i].state[q], b->stations[i].state[q]);
        assert_same_bits(a->stations[i].bn_sole, b->stations[i].bn_sole);
        assert_same_bits(a->stations[i].bn_shifting, b->stations[i].bn_shifting);
        assert_same_bits(a->stations[i].recent_out, b->stations[i].recent_out);
    }
    for (int i = 0; i < p->nbuffers + p->nsources; i++) {
        assert_same_bits(a->buffers[i].mean_level, b->buffers[i].mean_level);
        assert_same_bits(a->buffers[i].max_level, b->buffers[i].max_level);
        assert_same_bits(a->buffers[i].parts_in, b->buffers[i].parts_in);
    }
    assert_int_equal(a->ndays, b->ndays);
    assert_same_array(a->day_produced, b->day_produced, a->ndays);
    assert_same_array(a->day_delivered, b->day_delivered, a->ndays);
    assert_same_array(a->day_backlog, b->day_backlog, a->ndays);
    assert_same_array(a->target_reached, b->target_reached, p->ntargets);
    assert_int_equal(a->produced, b->produced);
    assert_int_equal(a->delivered, b->delivered);
    assert_int_equal(a->ordered, b->ordered);
    assert_same_bits(a->wait_mean_s, b->wait_mean_s);
    assert_int_equal(a->wait_n, b->wait_n);
    if (!a->error || !b->error) assert_true(a->error == b->error);
    else assert_string_equal(a->error, b->error);
    if (!a->wait || !b->wait) {
        assert_true(a->wait == b->wait);
        return;
    }
    assert_same_bits(a->wait->lo, b->wait->lo);
    assert_int_equal(a->wait->n, b->wait->n);
    assert_int_equal(a->wait->zeros, b->wait->zeros);
    assert_memory_equal(a->wait->bins, b->wait->bins, sizeof a->wait->bins);
}

static void round_trip(const takt_plant *p, const rep_obs *o, rep_obs *back)
{
    unsigned char *buf;
    size_t len;
    assert_int_equal(rep_obs_pack(p, o, &buf, &len), 0);
    assert_non_null(buf);
    assert_int_equal(rep_obs_unpack(p, buf, len, back), 0);
    free(buf);
}

/* ---- tests ------------------------------------------------------------------- */

static void test_round_trip_every_field(void **state)
{
    (void)state;
    fixture f;
    rep_obs back;
    full_obs(&f);
    round_trip(&f.p, &f.o, &back);
    assert_same_obs(&f.p, &f.o, &back);
    rep_obs_free(&back);
    rep_obs_free(&f.o);
}

/* A plant without a calendar has no daily series and may have no wait
 * histogram: absent arrays must stay absent, not become empty ones. */
static void test_round_trip_without_optional_arrays(void **state)
{
    (void)state;
    fixture f;
    rep_obs back;
    full_obs(&f);
    free(f.o.day_produced); free(f.o.day_delivered); free(f.o.day_backlog);
    free(f.o.target_reached); free(f.o.wait);
    f.o.day_produced = f.o.day_delivered = f.o.day_backlog = NULL;
    f.o.target_reached = NULL;
    f.o.wait = NULL;
    f.o.ndays = 0;
    round_trip(&f.p, &f.o, &back);
    assert_null(back.day_produced);
    assert_null(back.target_reached);
    assert_null(back.wait);
    assert_same_obs(&f.p, &f.o, &back);
    rep_obs_free(&back);
    rep_obs_free(&f.o);
}

/* The wait histogram travels sparsely: an observation with a few filled
 * bins must be far smaller than the histogram itself. */
static void test_wait_histogram_is_sparse(void **state)
{
    (void)state;
    fixture f;
    unsigned char *buf;
    size_t len;
    full_obs(&f);
    assert_int_equal(rep_obs_pack(&f.p, &f.o, &buf, &len), 0);
    assert_true(len < sizeof(qhist) / 4);
    free(buf);
    rep_obs_free(&f.o);
}

static void test_refuses_damaged_input(void **state)
{
    (void)state;
    fixture f;
    unsigned char *buf;
    size_t len;
    rep_obs back;
    full_obs(&f);
    assert_int_equal(rep_obs_pack(&f.p, &f.o, &buf, &len), 0);
    for (size_t n = 0; n < len; n++) {                 /* every truncation */
        assert_int_equal(rep_obs_unpack(&f.p, buf, n, &back), -1);
        assert_null(back.stations);                    /* nothing half-filled */
    }
    unsigned char *longer = malloc(len + 1);
    assert_non_null(longer);
    memcpy(longer, buf, len);
    longer[len] = 0;
    assert_int_equal(rep_obs_unpack(&f.p, longer, len + 1, &back), -1);
    longer[0] ^= 0x5a;                                 /* not an observation */
    assert_int_equal(rep_obs_unpack(&f.p, longer, len, &back), -1);
    free(longer);
    assert_int_equal(rep_obs_unpack(&f.p, NULL, 0, &back), -1);
    rep_obs_free(&f.o);
    free(buf);
}

/* A rank that loaded another plant is caught by the counts. */
static void test_refuses_another_plant(void **state)
{
    (void)state;
    fixture f;
    unsigned char *buf;
    size_t len;
    rep_obs back;
    full_obs(&f);
    assert_int_equal(rep_obs_pack(&f.p, &f.o, &buf, &len), 0);
    takt_plant other;
    plant_shape(&other, 4, 2, 1, 2);
    assert_int_equal(rep_obs_unpack(&other, buf, len, &back), -1);
    plant_shape(&other, 3, 3, 0, 2);                   /* same total, moved */
    assert_int_equal(rep_obs_unpack(&other, buf, len, &back), 0);
    rep_obs_free(&back);
    plant_shape(&other, 3, 2, 1, 1);
    assert_int_equal(rep_obs_unpack(&other, buf, len, &back), -1);
    free(buf);
    rep_obs_free(&f.o);
}

/* A day count that claims more than the bytes hold is refused before it
 * is allocated. */
static void test_refuses_impossible_day_count(void **state)
{
    (void)state;
    fixture f;
    unsigned char *buf;
    size_t len;
    rep_obs back;
    full_obs(&f);
    assert_int_equal(rep_obs_pack(&f.p, &f.o, &buf, &len), 0);
    /* the day count is the fifth 32-bit word, little-endian */
    buf[16] = 0xff; buf[17] = 0xff; buf[18] = 0xff; buf[19] = 0x7f;
    assert_int_equal(rep_obs_unpack(&f.p, buf, len, &back), -1);
    free(buf);
    rep_obs_free(&f.o);
}

/* A run that stopped (a deadlock) has no statistics, only its message:
 * that travels, so rank 0 can say why; a run that never started travels
 * as an empty observation. */
static void test_unfinished_runs_travel_as_their_message(void **state)
{
    (void)state;
    takt_plant p;
    rep_obs o, back;
    plant_shape(&p, 2, 1, 0, 0);
    memset(&o, 0, sizeof o);
    o.error = strdup("deadlock: every machine is blocked, 'M1' (1/1)");
    assert_non_null(o.error);
    round_trip(&p, &o, &back);
    assert_null(back.stations);
    assert_null(back.buffers);
    assert_non_null(back.error);
    assert_string_equal(back.error, o.error);
    rep_obs_free(&back);
    rep_obs_free(&o);
    round_trip(&p, &o, &back);                         /* never run: all empty */
    assert_null(back.stations);
    assert_null(back.error);
    rep_obs_free(&back);
}

static const char two_machines[] =
    "name: two machines\n"
    "horizon: 300h\n"
    "warmup: 20h\n"
    "seed: 7\n"
    "stations:\n"
    "  - name: M1\n"
    "    cycle: exp(1h)\n"
    "    failures:\n"
    "      - {ttf: exp(100h), ttr: exp(10h)}\n"
    "  - name: M2\n"
    "    cycle: tri(50min, 1h, 70min)\n"
    "    servers: 2\n"
    "buffers:\n"
    "  - {name: B1, from: M1, to: M2, capacity: 3}\n";

static char *json_of(takt_summary *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    assert_non_null(m);
    assert_int_equal(report_json(m, s), 0);
    assert_int_equal(fclose(m), 0);
    return text;
}

/* What rank 0 does with gathered observations: the report must not
 * change by a byte. */
static void test_summary_of_unpacked_runs_is_identical(void **state)
{
    (void)state;
    enum { R = 3 };
    diags d;
    diags_init(&d, "two.yaml");
    takt_plant *p = load_plant_string(two_machines, strlen(two_machines), &d);
    assert_non_null(p);
    diags_free(&d);
    run_limits lim = { .horizon = p->horizon, .warmup = p->warmup, .seed = p->seed };
    rep_obs *orig = calloc(R, sizeof *orig), *back = calloc(R, sizeof *back);
    assert_non_null(orig);
    assert_non_null(back);
    for (int i = 0; i < R; i++) {
        assert_int_equal(run_replication(p, &lim, i, &orig[i]), 0);
        assert_true(orig[i].parts_out > 0);
        round_trip(p, &orig[i], &back[i]);
        assert_same_obs(p, &orig[i], &back[i]);
    }
    takt_summary *a = summary_build(p, orig, R, lim.seed, lim.horizon, lim.warmup);
    takt_summary *b = summary_build(p, back, R, lim.seed, lim.horizon, lim.warmup);
    assert_non_null(a);
    assert_non_null(b);
    char *ja = json_of(a), *jb = json_of(b);
    assert_string_equal(ja, jb);
    free(ja); free(jb);
    summary_free(a); summary_free(b);
    takt_plant_free(p);
}

static const takt_plant *fixture_plant(const void *ctx, int k)
{
    (void)k;
    return ctx;
}

/* Not started by mpirun: one process, and gathering is a no-op. */
static void test_single_process(void **state)
{
    (void)state;
    fixture f;
    full_obs(&f);
    assert_int_equal(cluster_rank(), 0);
    assert_int_equal(cluster_size(), 1);
    assert_int_equal(cluster_gather(fixture_plant, &f.p, &f.o, 1), 0);
    assert_true(isnan(f.o.lead_time_s));               /* untouched */
    rep_obs_free(&f.o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_every_field),
        cmocka_unit_test(test_round_trip_without_optional_arrays),
        cmocka_unit_test(test_wait_histogram_is_sparse),
        cmocka_unit_test(test_refuses_damaged_input),
        cmocka_unit_test(test_refuses_another_plant),
        cmocka_unit_test(test_refuses_impossible_day_count),
        cmocka_unit_test(test_unfinished_runs_travel_as_their_message),
        cmocka_unit_test(test_summary_of_unpacked_runs_is_identical),
        cmocka_unit_test(test_single_process),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
