/*
 * test_features2.c — the car-plant features that depend on time, against
 * theory: shift calendars (breaks, weekdays, plans, holidays, work that
 * freezes and resumes, failures on the operating clock), dates and the
 * daily and monthly series, ramp-up, openings, customer demand, targets
 * and the annual capacity.  Features that move parts are in
 * test_features.c.
 *
 * Most plants here are deterministic: one machine with a constant cycle
 * time that never lacks material.  Its exact schedule follows from the
 * documented semantics alone — off shift the part in progress freezes and
 * resumes; the cycle time is multiplied by the ramp factor when the part
 * starts; a car belongs to the day (floor of time / 1 day) it leaves — and
 * is computed here independently of takt (`schedule` below), so daily
 * counts and lead times must match exactly.  The cases are chosen so that
 * no part finishes at the very instant a shift ends (where either order of
 * the two events is correct); `schedule` fails the test if one does.
 *
 * Random cases (orders, exponential cycles) use the rule of test_theory.c:
 * within 4 half-widths of the 95 % interval plus a stated relative slack.
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
#include "io/report.h"
#include "core/date.h"
#include "feature_sim.h"

#define DAY 86400.0
#define HOUR 3600.0
#define WEEK (7 * DAY)
#define YAML_MAX 4096
#define MAX_SPANS 256
#define MAX_DAYS 64

/* ---- an independent schedule of one machine ------------------------- */

/* Working time as sorted, disjoint [a, b) spans in seconds (adjacent spans
 * merged, so a span end is a real change from on to off). */
typedef struct spans {
    double a[MAX_SPANS], b[MAX_SPANS];
    int n;
} spans;

static void spans_add(spans *w, double a, double b)
{
    if (b <= a) return;
    if (w->n > 0 && w->b[w->n - 1] == a) { w->b[w->n - 1] = b; return; }
    assert_true(w->n < MAX_SPANS);
    w->a[w->n] = a; w->b[w->n] = b; w->n++;
}

/* The time at which `work` seconds of working time after t are done. */
static double advance(const spans *w, double t, double work)
{
    for (int i = 0; i < w->n; i++) {
        if (w->b[i] <= t) continue;
        double from = t > w->a[i] ? t : w->a[i], room = w->b[i] - from;
        if (work < room) return from + work;
        if (work == room) fail_msg("schedule: a part ends exactly at a shift end (%.0f s)", w->b[i]);
        work -= room;
        t = w->b[i];
    }
    return INFINITY;
}

/* Start of the next working time at or after t. */
static double next_on(const spans *w, double t)
{
    for (int i = 0; i < w->n; i++)
        if (w->b[i] > t) return t > w->a[i] ? t : w->a[i];
    return INFINITY;
}

/* One machine that never lacks material, constant cycle `cycle` times
 * factor(start time): cars per day up to `end`, and the mean lead time
 * (release to finish) of those that finished. */
typedef struct plan {
    double per_day[MAX_DAYS];
    double lead_mean;
    long n;
} plan;

static plan schedule(const spans *w, double cycle, double (*factor)(double), double end)
{
    plan p;
    double t = next_on(w, 0), lead = 0;
    memset(&p, 0, sizeof p);
    while (t < end) {
        double done = advance(w, t, cycle * (factor ? factor(t) : 1));
        if (done >= end) break;
        int d = (int)floor(done / DAY);
        assert_true(d < MAX_DAYS);
        p.per_day[d]++;
        lead += done - t;
        p.n++;
        t = next_on(w, done);
    }
    p.lead_mean = p.n ? lead / (double)p.n : 0;
    return p;
}

/* The daily series of replication 0 equals the schedule, day by day (every
 * replication is the same: nothing is random). */
static void expect_days(const fsim *s, const plan *p)
{
    char what[32];
    assert_true(s->sum->ndays <= MAX_DAYS);
    for (int r = 0; r < s->sum->replications; r++)
        for (int d = 0; d < s->sum->ndays; d++) {
            snprintf(what, sizeof what, "cars on day %d", d);
            if (r == 0) fs_exact(s, what, s->sum->reps[r].day_produced[d], p->per_day[d], 0);
            else assert_true(s->sum->reps[r].day_produced[d] == p->per_day[d]);
        }
}

/* A shift [from_h, to_h) every day of [0, days) except `skip` days. */
static void daily_shift(spans *w, int days, double from_h, double to_h, const int *skip, int nskip)
{
    for (int d = 0; d < days; d++) {
        int off = 0;
        for (int k = 0; k < nskip; k++) off |= skip[k] == d;
        if (!off) spans_add(w, d * DAY + from_h * HOUR, d * DAY + to_h * HOUR);
    }
}

/* ---- shifts ---------------------------------------------------------- */

/* An 8-hour shift every day (off 2/3 of the time exactly, over whole
 * days); with a 30-minute break 7.5 h; on weekdays only (the default
 * days; 2024-01-01 is a Monday) 20 of 28 days.  A machine of constant
 * cycle c makes on-time / c parts, within the one cut by the end. */
static void test_shift_shares(void **state)
{
    static const struct { const char *cal; double on_h; } cases[] = {
        { "shifts: [{start: \"06:00\", end: \"14:00\"}]\n"
          "    days: [mon, tue, wed, thu, fri, sat, sun]\n", 28 * 8.0 },
        { "shifts: [{start: \"06:00\", end: \"14:00\", breaks: [{start: \"10:00\", end: \"10:30\"}]}]\n"
          "    days: [mon, tue, wed, thu, fri, sat, sun]\n", 28 * 7.5 },
        { "shifts: [{start: \"06:00\", end: \"14:00\"}]\n", 20 * 8.0 },
        { "shifts: [{start: \"22:00\", end: \"06:00\"}]\n"
          "    days: [mon, tue, wed, thu, fri, sat, sun]\n", 28 * 8.0 },  /* 00-06 and 22-24 */
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char y[YAML_MAX], name[32];
        snprintf(name, sizeof name, "shift-%zu", i + 1);
        snprintf(y, sizeof y,
                 "name: %s\nstart: 2024-01-01\nuntil: 2024-01-28\nreplications: 2\n"
                 "calendar: c\ncalendars:\n  - name: c\n    %s"
                 "stations:\n  - {name: M, cycle: 50min}\n", name, cases[i].cal);
        fsim s = fs_run(name, y);
        const station_sum *m = &s.sum->stations[0];
        double total_h = 28 * 24.0;
        fs_exact(&s, "off shift", m->state[ST_OFF_SHIFT].mean, 1 - cases[i].on_h / total_h, 1e-12);
        fs_exact(&s, "working", m->state[ST_WORKING].mean, cases[i].on_h / total_h, 1e-12);
        fs_exact(&s, "parts", m->parts_out.mean, floor(cases[i].on_h * 60 / 50), 1);
        fs_free(&s);
    }
}

/* A 5-hour part on an 06:00-14:00 shift: the first finishes at 11:00; the
 * second runs 11:00-14:00, freezes, and finishes at 08:00 the next day;
 * and so on: 1, 2, 1, 2 cars on days 0-3, lead times 5, 21, 5, 21, 21,
 * 5 h (mean 13 h), as `schedule` also finds. */
static void test_work_freezes_and_resumes(void **state)
{
    const char *y =
        "name: freeze\nstart: 2024-01-01\nuntil: 2024-01-04\nreplications: 2\n"
        "calendar: c\ncalendars:\n  - name: c\n    shifts: [{start: \"06:00\", end: \"14:00\"}]\n"
        "    days: [mon, tue, wed, thu, fri, sat, sun]\n"
        "stations:\n  - {name: M, cycle: 5h}\n";
    spans w = { .n = 0 };
    (void)state;
    daily_shift(&w, 5, 6, 14, NULL, 0);
    plan p = schedule(&w, 5 * HOUR, NULL, 4 * DAY);
    fs_exact(&(fsim){ "freeze", NULL, NULL }, "theory: mean lead h", p.lead_mean / HOUR, 13, 1e-9);
    fsim s = fs_run("freeze", y);
    expect_days(&s, &p);
    fs_exact(&s, "lead time h", s.sum->lead_time_s.mean / HOUR, p.lead_mean / HOUR, 1e-9);
    fs_free(&s);
}

/* Failures on the operating clock: ttf 5 h of work, repair 1 h, shift
 * 06:00-14:00.  Day 0: works 06-11, fails 11-12, works 12-14 (2 h of its
 * next 5); day 1: 06-09 (the other 3), fails 09-10, works 10-14; day 2:
 * 06-07, fails 07-08, works 08-13, fails 13-14; day 3 repeats day 0.  So
 * 4 h failed and 20 h worked every 3 days: failed 1/18, working 5/18.  A
 * clock that also ran off shift would fail in the night instead. */
static void test_operating_clock_off_shift(void **state)
{
    const char *y =
        "name: op-clock\nstart: 2024-01-01\nuntil: 2024-01-30\nreplications: 2\n"
        "calendar: c\ncalendars:\n  - name: c\n    shifts: [{start: \"06:00\", end: \"14:00\"}]\n"
        "    days: [mon, tue, wed, thu, fri, sat, sun]\n"
        "stations:\n  - name: M\n    cycle: 1min\n    failures: [{ttf: 5h, ttr: 1h}]\n";
    (void)state;
    fsim s = fs_run("op-clock", y);
    const station_sum *m = &s.sum->stations[0];
    fs_exact(&s, "failed", m->state[ST_FAILED].mean, 1.0 / 18, 1e-12);
    fs_exact(&s, "working", m->state[ST_WORKING].mean, 5.0 / 18, 1e-12);
    fs_exact(&s, "off shift", m->state[ST_OFF_SHIFT].mean, 2.0 / 3, 1e-12);
    fs_exact(&s, "parts", m->parts_out.mean, 10 * 20 * 60, 1);
    fs_free(&s);
}

/* Plans and holidays: 06:00-14:00 every day; from 2024-01-06 (day 5) a
 * plan of 06:00-22:00; holidays on day 3 and days 8-9.  A 61-minute
 * part (`schedule` checks that none ends exactly at a shift end) gives a
 * daily series that `schedule` predicts exactly: the jump on day 5,
 * nothing on the holidays. */
static void test_plans_and_holidays(void **state)
{
    const char *y =
        "name: plans\nstart: 2024-01-01\nuntil: 2024-01-14\nreplications: 2\n"
        "calendar: c\ncalendars:\n  - name: c\n    shifts: [{start: \"06:00\", end: \"14:00\"}]\n"
        "    days: [mon, tue, wed, thu, fri, sat, sun]\n"
        "    holidays: [2024-01-04, \"2024-01-09..2024-01-10\"]\n"
        "    plans:\n      - {from: 2024-01-06, shifts: [{start: \"06:00\", end: \"22:00\"}]}\n"
        "stations:\n  - {name: M, cycle: 61min}\n";
    static const int holidays[] = { 3, 8, 9 };
    spans w = { .n = 0 };
    (void)state;
    for (int d = 0; d < 15; d++) {
        int off = d == 3 || d == 8 || d == 9;
        if (!off) spans_add(&w, d * DAY + 6 * HOUR, d * DAY + (d < 5 ? 14 : 22) * HOUR);
    }
    plan p = schedule(&w, 61 * 60, NULL, 14 * DAY);
    fsim s = fs_run("plans", y);
    expect_days(&s, &p);
    for (size_t k = 0; k < sizeof holidays / sizeof *holidays; k++)
        assert_true(s.sum->daily[holidays[k]].produced.mean == 0);
    assert_true(s.sum->daily[4].produced.mean <= 8 && s.sum->daily[5].produced.mean >= 15);
    fs_free(&s);
}

/* ---- dates ----------------------------------------------------------- */

/* Find the first "date" of the daily series in the JSON report. */
static void first_and_last_date(const takt_summary *sum, char *first, char *last)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(report_json(f, sum), 0);
    fclose(f);
    const char *daily = strstr(buf, "\"daily\"");
    assert_non_null(daily);
    const char *d = strstr(daily, "\"date\": \"");
    assert_non_null(d);
    memcpy(first, d + 9, 10); first[10] = 0;
    for (const char *n = d; (n = strstr(n + 1, "\"date\": \"")) != NULL; ) d = n;
    memcpy(last, d + 9, 10); last[10] = 0;
    free(buf);
}

/* start: anchors the dates: the daily series runs from the start day to
 * the `until` day (2024 is a leap year: 17 + 29 + 10 = 56 days), the
 * horizon ends at the end of that day (after any warm-up), and each
 * month is the sum of its days, its backlog that of its last day. */
static void test_dates_and_months(void **state)
{
    const char *base =
        "name: dates\nstart: 2024-01-15\n%s\nreplications: 3\nseed: 81\n"
        "stations:\n  - {name: M, cycle: exp(30min)}\n"
        "demand:\n  backlog: 500\n  orders: [{per_day: 40}]\n  delivery: exp(2d)\n";
    static const struct { const char *end; double warm_d; } cases[] = {
        { "until: 2024-03-10", 0 }, { "horizon: 2024-03-10\nwarmup: 2d", 2 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char y[YAML_MAX], first[11], last[11];
        snprintf(y, sizeof y, base, cases[i].end);
        fsim s = fs_run("dates", y);
        const takt_summary *sum = s.sum;
        fs_exact(&s, "days", sum->ndays, 56, 0);
        fs_exact(&s, "horizon d", sum->horizon / DAY, 56 - cases[i].warm_d, 0);
        first_and_last_date(sum, first, last);
        assert_string_equal(first, "2024-01-15");
        assert_string_equal(last, "2024-03-10");
        assert_int_equal(sum->nmonths, 3);
        static const int month_days[] = { 17, 29, 10 };
        int d = 0;
        for (int m = 0; m < 3; m++) {
            double made = 0, delivered = 0;
            for (int k = 0; k < month_days[m]; k++, d++) {
                made += sum->daily[d].produced.mean;
                delivered += sum->daily[d].delivered.mean;
            }
            int64_t first_day = m == 0 ? date_from_civil(2024, 1, 15) : date_from_civil(2024, 1 + m, 1);
            assert_true(sum->monthly[m].first_day == first_day);
            fs_exact(&s, "month made", sum->monthly[m].produced.mean, made, 1e-9 * made);
            fs_exact(&s, "month delivered", sum->monthly[m].delivered.mean, delivered, 1e-9 * delivered);
            fs_exact(&s, "month backlog", sum->monthly[m].backlog_end.mean,
                     sum->daily[d - 1].backlog.mean, 1e-9);
        }
        fs_free(&s);
    }
}

/* ---- ramp-up --------------------------------------------------------- */

static double ramp_linear(double t)                /* 3 at 0, 1 from 100 h */
{
    return t >= 100 * HOUR ? 1 : 3 - 2 * t / (100 * HOUR);
}

/* A flat ramp factor doubles every cycle (500 parts of 2 h in 1000 h);
 * plant, workshop and station factors multiply (2 x 1.25 x 1.5 = 3.75).
 * A linear ramp from 3 to 1 over 100 h: each part's cycle is 1 h times
 * the factor when it starts, a recurrence `schedule` follows.  Its count
 * is close to the integral of 1/(c f(t)) (100 h ln 3 / 2 + 100 h = 154.9
 * parts in 200 h), a little below it because a part keeps the factor of
 * its start while the ramp falls. */
static void test_ramp(void **state)
{
    const char *flat =
        "name: ramp-flat\nhorizon: 1001h\nreplications: 2\n"
        "ramp: [{at: 0h, factor: 2}]\nstations:\n  - {name: M, cycle: 1h}\n";
    const char *product =
        "name: ramp-product\nhorizon: 1001h\nreplications: 2\n"
        "ramp: [{at: 0h, factor: 2}]\n"
        "workshops: [{name: W, ramp: [{at: 0h, factor: 1.25}]}]\n"
        "stations:\n  - {name: M, cycle: 1h, workshop: W, ramp: [{at: 0h, factor: 1.5}]}\n";
    const char *linear =
        "name: ramp-linear\nstart: 2024-01-01\nhorizon: 200h\nreplications: 2\n"
        "ramp: [{date: 2024-01-01, factor: 3}, {at: 100h, factor: 1}]\n"
        "stations:\n  - {name: M, cycle: 1h}\n";
    spans always = { .n = 0 };
    (void)state;
    spans_add(&always, 0, 1e9);
    fsim s = fs_run("ramp-flat", flat);
    fs_exact(&s, "parts in 1001 h", s.sum->stations[0].parts_out.mean, 500, 0);
    fs_free(&s);
    s = fs_run("ramp-product", product);
    fs_exact(&s, "parts in 1001 h", s.sum->stations[0].parts_out.mean, floor(1001 / 3.75), 0);
    fs_free(&s);
    plan p = schedule(&always, HOUR, ramp_linear, 200 * HOUR);
    double integral = 100 * log(3) / 2 + 100;
    fs_exact(&(fsim){ "ramp-linear", NULL, NULL }, "recurrence vs integral", (double)p.n, integral, 2);
    s = fs_run("ramp-linear", linear);
    fs_exact(&s, "parts in 200 h", s.sum->stations[0].parts_out.mean, (double)p.n, 0);
    expect_days(&s, &p);
    fs_free(&s);
}

/* ---- openings -------------------------------------------------------- */

/* A station, its workshop or the whole plant opens at the start of
 * 2024-01-04 (day 3): nothing before, then a part every 50 minutes. */
static void test_openings(void **state)
{
    static const char *const where[] = {
        "stations:\n  - {name: M, cycle: 50min, opens: 2024-01-04}\n",
        ("workshops: [{name: W, opens: 2024-01-04}]\n"
         "stations:\n  - {name: M, cycle: 50min, workshop: W}\n"),
        "opens: 2024-01-04\nstations:\n  - {name: M, cycle: 50min}\n",
    };
    spans open = { .n = 0 };
    (void)state;
    spans_add(&open, 3 * DAY, 1e9);
    plan p = schedule(&open, 50 * 60, NULL, 7 * DAY);
    for (size_t i = 0; i < sizeof where / sizeof *where; i++) {
        char y[YAML_MAX];
        snprintf(y, sizeof y, "name: opens\nstart: 2024-01-01\nuntil: 2024-01-07\n"
                 "replications: 2\n%s", where[i]);
        fsim s = fs_run("opens", y);
        expect_days(&s, &p);
        for (int d = 0; d < 3; d++) assert_true(s.sum->daily[d].produced.mean == 0);
        fs_free(&s);
    }
}

/* ---- demand ---------------------------------------------------------- */

/* Production (144 a day) outruns orders (50 a day from day 1): every
 * order finds a car in stock and reaches its customer exactly the
 * delivery time (3 days) later, so the wait is 3 days for everyone and
 * each day's deliveries are the orders of three days before. */
static void test_demand_from_stock(void **state)
{
    const char *y =
        "name: stock\nstart: 2024-01-01\nuntil: 2024-01-30\nreplications: 4\nseed: 91\n"
        "stations:\n  - {name: M, cycle: 10min}\n"
        "demand:\n  orders: [{from: 2024-01-02, per_day: 50}]\n  delivery: 3d\n";
    (void)state;
    fsim s = fs_run("stock", y);
    const takt_summary *sum = s.sum;
    fs_exact(&s, "wait mean (weeks)", sum->wait_mean_w, 3 / 7.0, 1e-9);
    fs_exact(&s, "wait p50 (weeks)", sum->wait_p50_w, 3 / 7.0, 0.02 * 3 / 7.0);
    fs_exact(&s, "wait p90 (weeks)", sum->wait_p90_w, 3 / 7.0, 0.02 * 3 / 7.0);
    for (int r = 0; r < sum->replications; r++) {
        const rep_obs *o = &sum->reps[r];
        for (int d = 0; d < o->ndays; d++) {
            double ordered = o->day_backlog[d] - (d ? o->day_backlog[d - 1] : 0) + o->day_delivered[d];
            if (d < 4) assert_true(o->day_delivered[d] == 0);
            if (d + 3 < o->ndays && o->day_delivered[d + 3] != ordered)
                fail_msg("stock rep %d: %.0f ordered on day %d, %.0f delivered on day %d",
                         r, ordered, d, o->day_delivered[d + 3], d + 3);
        }
    }
    fs_free(&s);
}

/* Orders (40 a day, Poisson) outrun production (24 a day): every car
 * goes to an open order at once (no delivery time), so deliveries equal
 * production day by day and the backlog grows by 40 - 24 = 16 a day. */
static void test_demand_backlog_grows(void **state)
{
    const char *y =
        "name: backlog\nstart: 2024-01-01\nuntil: 2024-02-29\nreplications: 10\nseed: 92\n"
        "stations:\n  - {name: M, cycle: 1h}\n"
        "demand:\n  backlog: 100\n  orders: [{per_day: 40}]\n";
    double growth[10];
    (void)state;
    fsim s = fs_run("backlog", y);
    const takt_summary *sum = s.sum;
    int n = sum->ndays;
    for (int r = 0; r < 10; r++) {
        const rep_obs *o = &sum->reps[r];
        for (int d = 0; d < n; d++) assert_true(o->day_delivered[d] == o->day_produced[d]);
        growth[r] = (o->day_backlog[n - 1] - o->day_backlog[0]) / (n - 1);
    }
    fs_expect(&s, "backlog growth / day", fs_kpi(growth, 10), 16, 0.005);
    fs_free(&s);
}

/* An initial backlog of 100 and no new orders: the k-th car (made at k h)
 * goes to the k-th open order, so the backlog at the end of each day is
 * 100 minus the cars made so far, and the mean wait is 50.5 h. */
static void test_demand_initial_backlog(void **state)
{
    const char *y =
        "name: initial\nstart: 2024-01-01\nuntil: 2024-01-10\nreplications: 2\n"
        "stations:\n  - {name: M, cycle: 1h}\n"
        "demand:\n  backlog: 100\n";
    (void)state;
    fsim s = fs_run("initial", y);
    const takt_summary *sum = s.sum;
    for (int d = 0; d < sum->ndays; d++) {
        double made = floor(((d + 1) * 24.0 - 0.5) / 1.0);     /* cars at 1 h, 2 h, ... */
        fs_exact(&s, "backlog", sum->daily[d].backlog.mean, made < 100 ? 100 - made : 0, 0);
    }
    fs_exact(&s, "delivered", sum->delivered.mean, 100, 0);
    fs_exact(&s, "wait mean (h)", sum->wait_mean_w * 168, 50.5, 1e-9);
    fs_free(&s);
}

/* ---- targets --------------------------------------------------------- */

/* First day (index) on which a cumulative series reaches v, or -1. */
static int first_day(const double *per_day, int n, double v)
{
    double c = 0;
    for (int d = 0; d < n; d++) if ((c += per_day[d]) >= v) return d;
    return -1;
}

/* A target is reached on the first day its cumulative daily series
 * reaches the value and is met iff every replication reached it by the
 * end of its `by` day.  24 cars a day on average: 100 by day 5 is met,
 * 300 by day 11 (288 expected) is missed, 100,000 is never reached. */
static void test_targets(void **state)
{
    const char *y =
        "name: targets\nstart: 2024-01-01\nuntil: 2024-01-20\nreplications: 10\nseed: 93\n"
        "stations:\n  - {name: M, cycle: exp(1h)}\n"
        "demand:\n  backlog: 1000\n  delivery: \"tri(1d, 2d, 3d)\"\n"
        "targets:\n  - {produced: 100, by: 2024-01-06}\n  - {produced: 300, by: 2024-01-12}\n"
        "  - {produced: 100000, by: 2024-01-20}\n  - {delivered: 150, by: 2024-01-10}\n";
    (void)state;
    fsim s = fs_run("targets", y);
    const takt_summary *sum = s.sum;
    const takt_plant *p = sum->plant;
    for (int t = 0; t < p->ntargets; t++) {
        int by_day = (int)(p->targets[t].by / DAY) - 1, met = 1;
        double total = 0;
        for (int r = 0; r < sum->replications; r++) {
            const rep_obs *o = &sum->reps[r];
            const double *series = p->targets[t].what == TARGET_PRODUCED ? o->day_produced : o->day_delivered;
            int d = first_day(series, o->ndays, p->targets[t].value);
            double x = o->target_reached[t];
            if (d < 0) { assert_true(isnan(x)); met = 0; continue; }
            if (isnan(x) || (int)floor(x / DAY) != d)
                fail_msg("target %d rep %d: reached at %.1f h, but the series reaches it on day %d",
                         t, r, x / HOUR, d);
            if (d > by_day) met = 0;
            total += x;
        }
        assert_int_equal(sum->targets[t].met, met);
        if (sum->targets[t].nreached == sum->replications) {
            fs_exact(&s, "reached (mean)", sum->targets[t].reached, total / sum->replications,
                     1e-6 * total);
            assert_true(sum->targets[t].lo <= sum->targets[t].reached &&
                        sum->targets[t].reached <= sum->targets[t].hi);
        }
    }
    assert_true(sum->targets[0].met && !sum->targets[1].met);
    assert_int_equal(sum->targets[2].nreached, 0);
    assert_true(isnan(sum->targets[2].reached) && !sum->targets[2].met);
    fs_free(&s);
}

/* ---- annual capacity ------------------------------------------------- */

/* The rate of the last quarter per on-shift hour times a year's on-shift
 * hours: 8,760 for a 1-hour machine working around the clock; 365 x 8 h
 * / 50 min = 3,504 on an 8-hour shift every day; 4,380 when a 2-hour
 * machine feeds a last station with rework (the good cars that leave it
 * count, whatever goes round the loop).  Within one part of the quarter
 * (~0.1 %), or the statistical rule with 1 % for the random repairs. */
static void test_annual_capacity(void **state)
{
    static const struct { const char *body; double cap, rel; } cases[] = {
        { "stations:\n  - {name: M, cycle: 1h}\n", 8760, 0.002 },
        { "calendar: c\ncalendars:\n  - name: c\n    shifts: [{start: \"06:00\", end: \"14:00\"}]\n"
          "    days: [mon, tue, wed, thu, fri, sat, sun]\n"
          "stations:\n  - {name: M, cycle: 50min}\n", 3504, 0.002 },
        { "stations:\n  - {name: M0, cycle: 2h}\n"
          "  - {name: S, cycle: 1h, rework: {p: 0.2, to: R}}\n  - {name: R, cycle: exp(3h)}\n"
          "buffers:\n  - {name: B, from: M0, to: S, capacity: 5}\n", 4380, 0.01 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char y[YAML_MAX];
        snprintf(y, sizeof y, "name: capacity\nstart: 2023-01-01\nuntil: 2024-02-04\n"
                 "replications: 4\nseed: 94\n%s", cases[i].body);
        fsim s = fs_run("capacity", y);
        fs_expect(&s, "annual capacity", s.sum->annual_capacity, cases[i].cap, cases[i].rel);
        fs_free(&s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shift_shares),
        cmocka_unit_test(test_work_freezes_and_resumes),
        cmocka_unit_test(test_operating_clock_off_shift),
        cmocka_unit_test(test_plans_and_holidays),
        cmocka_unit_test(test_dates_and_months),
        cmocka_unit_test(test_ramp),
        cmocka_unit_test(test_openings),
        cmocka_unit_test(test_demand_from_stock),
        cmocka_unit_test(test_demand_backlog_grows),
        cmocka_unit_test(test_demand_initial_backlog),
        cmocka_unit_test(test_targets),
        cmocka_unit_test(test_annual_capacity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
