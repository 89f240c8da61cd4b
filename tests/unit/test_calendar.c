/*
 * test_calendar.c — civil dates (date.c) and shift calendars (calendar.c).
 *
 * Dates are checked against a brute-force day counter that steps through
 * every day of 1900..2999 with its own month lengths and leap rule, so the
 * closed forms are compared with plain counting, not with themselves.
 *
 * Calendars are checked two ways: small hand-built plants whose weekly
 * hours and boundaries follow from the shift times by arithmetic (37.5 h a
 * week for one 8-hour shift with a 30-minute break, Monday to Friday), and
 * random calendars (fixed seed) against a brute-force evaluator that asks,
 * minute by minute, "does any shift of today or yesterday cover this
 * minute, outside its breaks?".  Every boundary in a calendar is a whole
 * minute, so the status is constant within each minute and sampling every
 * minute is exact: on-time, on/off and every change must match exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "core/date.h"
#include "model/calendar.h"

#define H 3600.0
#define DAY 86400.0
#define WEEK_S (7 * DAY)
#define MON_FRI 0x1fu
#define ALL_DAYS 0x7fu

/* ---- dates ------------------------------------------------------------ */

static int brute_leap(int y)
{
    if (y % 400 == 0) return 1;
    if (y % 100 == 0) return 0;
    return y % 4 == 0;
}

static int brute_month_len(int y, int m)
{
    if (m == 2) return brute_leap(y) ? 29 : 28;
    if (m == 4 || m == 6 || m == 9 || m == 11) return 30;
    return 31;
}

static void next_civil(int *y, int *m, int *d)
{
    if (++*d > brute_month_len(*y, *m)) {
        *d = 1;
        if (++*m > 12) { *m = 1; ++*y; }
    }
}

static void check_day(int y, int m, int d, int64_t n)
{
    int yy, mm, dd;
    assert_int_equal(date_from_civil(y, m, d), n);
    date_to_civil(n, &yy, &mm, &dd);
    assert_int_equal(yy, y);
    assert_int_equal(mm, m);
    assert_int_equal(dd, d);
    char buf[11], want[16];
    date_format(n, buf);
    snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
    assert_string_equal(buf, want);
    int64_t back = -1;
    assert_int_equal(date_parse(buf, &back), 0);
    assert_int_equal(back, n);
}

/* Count up from 1970-01-01 (day 0 by definition) to 2999-12-31, and count
 * down to 1900-01-01 by counting up from there and checking we land on 0. */
static void test_date_round_trip(void **state)
{
    (void)state;
    int y = 1970, m = 1, d = 1;
    int64_t n = 0;
    for (; y < 3000; n++, next_civil(&y, &m, &d))
        check_day(y, m, d, n);
    y = 1900; m = 1; d = 1;
    int64_t first = date_from_civil(1900, 1, 1), k = first;
    for (; y < 1970; k++, next_civil(&y, &m, &d))
        check_day(y, m, d, k);
    assert_int_equal(k, 0);
    /* 70 years, 17 of them leap (1904..1968; 1900 is not). */
    assert_int_equal(first, -(70 * 365 + 17));
}

static void test_date_leap_years(void **state)
{
    (void)state;
    int64_t day;
    assert_int_equal(date_parse("2024-02-29", &day), 0);
    assert_int_equal(date_parse("2000-02-29", &day), 0);
    assert_int_equal(date_parse("2023-02-29", &day), -1);
    assert_int_equal(date_parse("1900-02-29", &day), -1);
    assert_int_equal(date_parse("2100-02-29", &day), -1);
    assert_int_equal(date_from_civil(2024, 3, 1) - date_from_civil(2024, 2, 28), 2);
    assert_int_equal(date_from_civil(2023, 3, 1) - date_from_civil(2023, 2, 28), 1);
    assert_int_equal(date_from_civil(2001, 1, 1) - date_from_civil(2000, 1, 1), 366);
    assert_int_equal(date_from_civil(2101, 1, 1) - date_from_civil(2100, 1, 1), 365);
}

static void test_date_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2024-02-30", "2024-3-28", "2024-03-28x", "2024-03-2", "", "2024",
        "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00", "2024/03/28",
        " 2024-03-28", "1899-12-31", "3000-01-01", "+024-03-28", "2024-03-28 ",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t day = 12345;
        if (date_parse(bad[i], &day) != -1)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(day, 12345);
    }
    int64_t day;
    assert_int_equal(date_parse(NULL, &day), -1);
    assert_int_equal(date_parse("1900-01-01", &day), 0);
    assert_int_equal(date_parse("2999-12-31", &day), 0);
}

static void test_date_weekday(void **state)
{
    (void)state;
    int64_t day;
    assert_int_equal(date_parse("2024-03-28", &day), 0);
    assert_int_equal(date_weekday(day), 3);                          /* Thursday */
    assert_int_equal(date_weekday(date_from_civil(1970, 1, 1)), 3);  /* Thursday */
    assert_int_equal(date_weekday(date_from_civil(2000, 1, 1)), 5);  /* Saturday */
    assert_int_equal(date_weekday(date_from_civil(1900, 1, 1)), 0);  /* Monday */
    assert_int_equal(date_weekday(date_from_civil(2024, 6, 1)), 5);  /* Saturday */
    assert_int_equal(date_weekday(date_from_civil(1969, 12, 28)), 6); /* Sunday */
    for (int64_t n = date_from_civil(1900, 1, 1); n < date_from_civil(3000, 1, 1); n++)
        assert_int_equal(date_weekday(n + 1), (date_weekday(n) + 1) % 7);
}

static void test_date_format_month(void **state)
{
    (void)state;
    char buf[8];
    date_format_month(date_from_civil(2024, 3, 28), buf);
    assert_string_equal(buf, "2024-03");
    date_format_month(date_from_civil(1999, 12, 31), buf);
    assert_string_equal(buf, "1999-12");
}

/* ---- calendars built by hand ------------------------------------------ */

static shift_def shift(int start, int end, shift_span *breaks, int nbreaks)
{
    return (shift_def){ .span = { start, end }, .breaks = breaks, .nbreaks = nbreaks };
}

static cal_plan plan(shift_def *shifts, int n, unsigned weekdays)
{
    return (cal_plan){ .from_day = INT64_MIN, .until_day = INT64_MAX,
                       .shifts = shifts, .nshifts = n, .weekdays = weekdays };
}

static calendar cal(cal_plan *plans, int nplans, int64_t *holidays, int nholidays)
{
    return (calendar){ .name = "test", .plans = plans, .nplans = nplans,
                       .holidays = holidays, .nholidays = nholidays };
}

/* Monday, 2024-03-25. */
static int64_t monday(void)
{
    int64_t d = date_from_civil(2024, 3, 25);
    assert_int_equal(date_weekday(d), 0);
    return d;
}

#define HM(h, m) ((h) * 60 + (m))
#define AT(day, h, m) ((day) * DAY + (h) * H + (m) * 60.0)

static void test_one_shift_week(void **state)
{
    (void)state;
    shift_span brk = { HM(10, 0), HM(10, 30) };
    shift_def s = shift(HM(6, 0), HM(14, 0), &brk, 1);
    cal_plan p = plan(&s, 1, MON_FRI);
    calendar c = cal(&p, 1, NULL, 0);
    int64_t d0 = monday();

    assert_true(calendar_on_time(&c, d0, 0, WEEK_S) == 37.5 * H);
    assert_true(calendar_on_time(&c, d0, 0, 52 * WEEK_S) == 52 * 37.5 * H);
    /* Ten years, 521 whole weeks: also checks that the walk is quick. */
    assert_true(calendar_on_time(&c, d0, 0, 521 * WEEK_S) == 521 * 37.5 * H);
    assert_true(calendar_on_time(&c, d0, AT(0, 9, 0), AT(0, 11, 0)) == 1.5 * H);

    assert_false(calendar_on(&c, d0, 0));
    assert_false(calendar_on(&c, d0, AT(0, 5, 59)));
    assert_true(calendar_on(&c, d0, AT(0, 6, 0)));
    assert_true(calendar_on(&c, d0, AT(0, 9, 59)));
    assert_false(calendar_on(&c, d0, AT(0, 10, 0)));
    assert_true(calendar_on(&c, d0, AT(0, 10, 30)));
    assert_false(calendar_on(&c, d0, AT(0, 14, 0)));
    assert_true(calendar_on(&c, d0, AT(0, 14, 0) - 1e-3));
    assert_false(calendar_on(&c, d0, AT(5, 8, 0)));                 /* Saturday */
    assert_false(calendar_on(&c, d0, AT(6, 8, 0)));                 /* Sunday */
    assert_true(calendar_on(&c, d0, AT(7, 8, 0)));                  /* Monday */
    assert_int_equal(calendar_plan_of(&c, d0), 0);
}

static void test_next_change_sequence(void **state)
{
    (void)state;
    shift_span brk = { HM(10, 0), HM(10, 30) };
    shift_def s = shift(HM(6, 0), HM(14, 0), &brk, 1);
    cal_plan p = plan(&s, 1, MON_FRI);
    calendar c = cal(&p, 1, NULL, 0);
    int64_t d0 = monday();
    double t = 0;
    for (int week = 0; week < 3; week++)
        for (int day = 0; day < 5; day++) {
            int dd = week * 7 + day;
            double want[4] = { AT(dd, 6, 0), AT(dd, 10, 0), AT(dd, 10, 30), AT(dd, 14, 0) };
            for (int k = 0; k < 4; k++) {
                t = calendar_next_change(&c, d0, t);
                assert_true(t == want[k]);
                assert_int_equal(calendar_on(&c, d0, t), k % 2 == 0);
            }
        }
    /* From inside an interval and from exactly on a boundary. */
    assert_true(calendar_next_change(&c, d0, AT(0, 7, 0)) == AT(0, 10, 0));
    assert_true(calendar_next_change(&c, d0, AT(0, 10, 0)) == AT(0, 10, 30));
    assert_true(calendar_next_change(&c, d0, AT(4, 14, 0)) == AT(7, 6, 0));
}

static void test_back_to_back_shifts_merge(void **state)
{
    (void)state;
    shift_def s[3] = { shift(HM(6, 0), HM(14, 0), NULL, 0),
                       shift(HM(14, 0), HM(22, 0), NULL, 0),
                       shift(HM(22, 0), HM(30, 0), NULL, 0) };
    cal_plan p = plan(s, 2, MON_FRI);
    calendar c = cal(&p, 1, NULL, 0);
    int64_t d0 = monday();
    assert_true(calendar_next_change(&c, d0, AT(0, 6, 0)) == AT(0, 22, 0));
    /* Three shifts: on from Monday 06:00 until the Friday night shift ends. */
    p.nshifts = 3;
    assert_true(calendar_next_change(&c, d0, 0) == AT(0, 6, 0));
    assert_true(calendar_next_change(&c, d0, AT(0, 6, 0)) == AT(5, 6, 0));
    assert_true(calendar_on_time(&c, d0, 0, WEEK_S) == 5 * 24 * H);
    /* Every day, round the clock: never changes. */
    p.weekdays = ALL_DAYS;
    assert_true(isinf(calendar_next_change(&c, d0, AT(0, 3, 0))));
    assert_true(isinf(calendar_on_time(&c, d0, 0, INFINITY)));
    /* A holiday on Wednesday breaks it: off from Wednesday 06:00 (end of
     * Tuesday's night shift) to Thursday 06:00 (Thursday 00:00-06:00 is
     * Wednesday's night shift, off with it). */
    int64_t hol = d0 + 2;
    c.holidays = &hol;
    c.nholidays = 1;
    assert_true(calendar_next_change(&c, d0, AT(0, 6, 0)) == AT(2, 6, 0));
    assert_true(calendar_next_change(&c, d0, AT(2, 6, 0)) == AT(3, 6, 0));
    assert_true(isinf(calendar_next_change(&c, d0, AT(3, 6, 0))));
    assert_true(calendar_on_time(&c, d0, 0, AT(10, 0, 0)) == 10 * DAY - 24 * H);
}

static void test_holidays(void **state)
{
    (void)state;
    shift_def s = shift(HM(6, 0), HM(14, 0), NULL, 0);
    cal_plan p = plan(&s, 1, MON_FRI);
    int64_t d0 = monday();
    int64_t hol[3] = { d0 + 3, d0 + 4, d0 + 7 + 2 };   /* Thu, Fri, next Wed */
    calendar c = cal(&p, 1, hol, 3);
    assert_true(calendar_on(&c, d0, AT(2, 8, 0)));
    assert_false(calendar_on(&c, d0, AT(3, 8, 0)));
    assert_false(calendar_on(&c, d0, AT(4, 8, 0)));
    assert_false(calendar_on(&c, d0, AT(9, 8, 0)));
    assert_true(calendar_on(&c, d0, AT(10, 8, 0)));
    assert_true(calendar_next_change(&c, d0, AT(2, 8, 0)) == AT(2, 14, 0));
    assert_true(calendar_next_change(&c, d0, AT(2, 14, 0)) == AT(7, 6, 0));
    assert_true(calendar_next_change(&c, d0, AT(8, 14, 0)) == AT(10, 6, 0));
    assert_true(calendar_on_time(&c, d0, 0, 2 * WEEK_S) == 7 * 8 * H);
    /* Periodic past the last holiday: unbounded on-time is infinite. */
    assert_true(isinf(calendar_on_time(&c, d0, 0, INFINITY)));
}

static void test_overnight_shift(void **state)
{
    (void)state;
    shift_span brk = { HM(25, 0), HM(25, 30) };            /* 01:00-01:30 */
    shift_def s = shift(HM(22, 0), HM(30, 0), &brk, 1);    /* 22:00-06:00 */
    cal_plan p = plan(&s, 1, MON_FRI);
    int64_t d0 = monday();
    calendar c = cal(&p, 1, NULL, 0);
    assert_false(calendar_on(&c, d0, AT(0, 3, 0)));     /* Sunday night is off */
    assert_true(calendar_on(&c, d0, AT(0, 22, 0)));
    assert_true(calendar_on(&c, d0, AT(1, 0, 0)));      /* Tuesday 00:00 */
    assert_false(calendar_on(&c, d0, AT(1, 1, 0)));     /* break */
    assert_true(calendar_on(&c, d0, AT(1, 1, 30)));
    assert_false(calendar_on(&c, d0, AT(1, 6, 0)));
    assert_true(calendar_on(&c, d0, AT(5, 3, 0)));      /* Saturday: Friday's shift */
    assert_false(calendar_on(&c, d0, AT(6, 3, 0)));
    /* No change at midnight. */
    assert_true(calendar_next_change(&c, d0, AT(0, 22, 0)) == AT(1, 1, 0));
    assert_true(calendar_next_change(&c, d0, AT(1, 6, 0)) == AT(1, 22, 0));
    assert_true(calendar_next_change(&c, d0, AT(5, 1, 30)) == AT(5, 6, 0));
    assert_true(calendar_next_change(&c, d0, AT(5, 6, 0)) == AT(7, 22, 0));
    assert_true(calendar_on_time(&c, d0, 0, WEEK_S) == 5 * 7.5 * H);
    /* A holiday on Wednesday removes Wednesday night, not Tuesday's tail. */
    int64_t hol = d0 + 2;
    c.holidays = &hol;
    c.nholidays = 1;
    assert_true(calendar_on(&c, d0, AT(2, 3, 0)));
    assert_false(calendar_on(&c, d0, AT(2, 23, 0)));
    assert_false(calendar_on(&c, d0, AT(3, 3, 0)));
    assert_true(calendar_on_time(&c, d0, 0, WEEK_S) == 4 * 7.5 * H);
}

static void test_dated_plan(void **state)
{
    (void)state;
    shift_def one = shift(HM(6, 0), HM(14, 0), NULL, 0);
    shift_def two[2] = { shift(HM(6, 0), HM(14, 0), NULL, 0),
                         shift(HM(14, 0), HM(22, 0), NULL, 0) };
    int64_t june = date_from_civil(2024, 6, 1), d0 = monday();
    cal_plan p[3] = { plan(&one, 1, MON_FRI), plan(two, 2, MON_FRI), plan(NULL, 0, 0) };
    p[1].from_day = june;
    /* A shutdown inside the two-shift period; later plans win. */
    p[2].from_day = date_from_civil(2024, 7, 29);
    p[2].until_day = date_from_civil(2024, 8, 9);
    calendar c = cal(p, 3, NULL, 0);
    assert_int_equal(calendar_plan_of(&c, june - 1), 0);
    assert_int_equal(calendar_plan_of(&c, june), 1);
    assert_int_equal(calendar_plan_of(&c, p[2].from_day), 2);
    assert_int_equal(calendar_plan_of(&c, p[2].until_day), 2);
    assert_int_equal(calendar_plan_of(&c, p[2].until_day + 1), 1);

    double friday = (double)(june - 1 - d0), monday_after = friday + 3;
    assert_false(calendar_on(&c, d0, AT(friday, 15, 0)));
    assert_true(calendar_on(&c, d0, AT(monday_after, 15, 0)));
    assert_true(calendar_next_change(&c, d0, AT(friday, 14, 0)) == AT(monday_after, 6, 0));
    assert_true(calendar_next_change(&c, d0, AT(monday_after, 6, 0)) == AT(monday_after, 22, 0));
    assert_true(calendar_on_time(&c, d0, AT(friday - 4, 0, 0), AT(friday + 1, 0, 0)) == 40 * H);
    assert_true(calendar_on_time(&c, d0, AT(monday_after, 0, 0), AT(monday_after + 7, 0, 0)) == 80 * H);
    double shut = (double)(p[2].from_day - d0);
    assert_true(calendar_on_time(&c, d0, AT(shut, 0, 0), AT(shut + 12, 0, 0)) == 0);
    assert_true(calendar_next_change(&c, d0, AT(shut - 3, 22, 0)) == AT(shut + 14, 6, 0));
}

static void test_never_on(void **state)
{
    (void)state;
    shift_span whole = { HM(6, 0), HM(14, 0) };
    shift_def s = shift(HM(6, 0), HM(14, 0), &whole, 1);   /* all break */
    shift_def t = shift(HM(6, 0), HM(14, 0), NULL, 0);
    int64_t d0 = monday(), hol = d0 + 400;
    cal_plan p[2] = { plan(&t, 1, 0), plan(&s, 1, ALL_DAYS) };
    calendar c = cal(p, 2, &hol, 1);
    for (double x = 0; x < 3 * WEEK_S; x += 600)
        assert_false(calendar_on(&c, d0, x));
    assert_true(isinf(calendar_next_change(&c, d0, 0)));
    assert_true(isinf(calendar_next_change(&c, d0, 1e8)));
    assert_true(calendar_on_time(&c, d0, 0, 52 * WEEK_S) == 0);
    assert_true(calendar_on_time(&c, d0, 0, INFINITY) == 0);
    calendar none = cal(NULL, 0, NULL, 0);
    assert_int_equal(calendar_plan_of(&none, d0), -1);
    assert_false(calendar_on(&none, d0, 3600));
    assert_true(isinf(calendar_next_change(&none, d0, 0)));
    assert_true(calendar_on_time(&none, d0, 0, WEEK_S) == 0);
    /* Finite unbounded on-time: on only until a dated plan ends. */
    p[1] = plan(&t, 1, ALL_DAYS);
    p[1].until_day = d0 + 9;
    assert_true(calendar_on_time(&c, d0, 0, INFINITY) == 10 * 8 * H);
    assert_true(isinf(calendar_next_change(&c, d0, AT(9, 14, 0))));
}

/* Boundaries twenty years on are still exact: a hair before one is off. */
static void test_far_precision(void **state)
{
    (void)state;
    shift_def s = shift(HM(6, 0), HM(14, 0), NULL, 0);
    cal_plan p = plan(&s, 1, ALL_DAYS);
    calendar c = cal(&p, 1, NULL, 0);
    int64_t d0 = monday();
    for (int d = 7300; d < 7310; d++) {
        double on = AT(d, 6, 0), off = AT(d, 14, 0), midnight = AT(d, 0, 0);
        assert_false(calendar_on(&c, d0, nextafter(on, 0)));
        assert_true(calendar_on(&c, d0, on));
        assert_true(calendar_on(&c, d0, nextafter(off, 0)));
        assert_false(calendar_on(&c, d0, off));
        assert_true(calendar_next_change(&c, d0, nextafter(on, 0)) == on);
        assert_true(calendar_next_change(&c, d0, nextafter(midnight, 0)) == on);
        assert_true(calendar_on_time(&c, d0, nextafter(midnight, 0), AT(d + 1, 0, 0)) == 8 * H);
    }
}

/* The instant just before a midnight belongs to the day that ends there,
 * although t / 86400 may round up to the next day's number. */
static void test_just_before_midnight(void **state)
{
    (void)state;
    shift_def s = shift(HM(18, 0), HM(24, 0), NULL, 0);
    cal_plan p = plan(&s, 1, ALL_DAYS);
    calendar c = cal(&p, 1, NULL, 0);
    int64_t d0 = monday();
    for (int d = 1; d < 8000; d++) {
        double midnight = AT(d, 0, 0), before = nextafter(midnight, 0);
        if (!calendar_on(&c, d0, before) || calendar_on(&c, d0, midnight))
            fail_msg("status wrong around midnight of day %d", d);
        assert_true(calendar_next_change(&c, d0, before) == midnight);
        assert_true(calendar_on_time(&c, d0, before, midnight) == midnight - before);
    }
}

/* ---- random calendars against a minute-by-minute brute force ---------- */

#define RDAYS 366
#define SPAN_DAYS 400                 /* status kept a little past RDAYS  */
#define MINUTES (SPAN_DAYS * 1440)

typedef struct random_cal {
    shift_span brk[3][3][2];
    shift_def shifts[3][3];
    cal_plan plans[3];
    int64_t holidays[12];
    calendar c;
} random_cal;

typedef struct draw { uint64_t s; } draw;

static int draw_int(draw *d, int lo, int hi)          /* [lo, hi] */
{
    d->s ^= d->s << 13; d->s ^= d->s >> 7; d->s ^= d->s << 17;
    return lo + (int)((d->s >> 11) % (uint64_t)(hi - lo + 1));
}

static void sort_ints(int *v, int n)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            int x = v[j]; v[j] = v[j - 1]; v[j - 1] = x;
        }
}

static void random_shift(draw *d, shift_def *s, shift_span *brk)
{
    int start = draw_int(d, 0, 1439), end = start + draw_int(d, 30, 960);
    int nb = draw_int(d, 0, 2), cut[4];
    for (int i = 0; i < 2 * nb; i++)
        cut[i] = draw_int(d, start, end);
    sort_ints(cut, 2 * nb);
    for (int i = 0; i < nb; i++)
        brk[i] = (shift_span){ cut[2 * i], cut[2 * i + 1] };
    *s = shift(start, end, brk, nb);
}

static void random_calendar(draw *d, random_cal *r, int64_t d0)
{
    memset(r, 0, sizeof *r);
    int nplans = draw_int(d, 1, 3);
    for (int i = 0; i < nplans; i++) {
        int n = draw_int(d, i == 0 ? 1 : 0, 3);
        for (int k = 0; k < n; k++)
            random_shift(d, &r->shifts[i][k], r->brk[i][k]);
        for (int a = 1; a < n; a++)              /* sorted by start */
            for (int b = a; b > 0 && r->shifts[i][b - 1].span.start > r->shifts[i][b].span.start; b--) {
                shift_def x = r->shifts[i][b]; r->shifts[i][b] = r->shifts[i][b - 1]; r->shifts[i][b - 1] = x;
            }
        unsigned wd = draw_int(d, 0, 3) == 0 ? MON_FRI : (unsigned)draw_int(d, 0, 127);
        r->plans[i] = plan(r->shifts[i], n, wd);
        if (i > 0) {
            int from = draw_int(d, -30, RDAYS);
            r->plans[i].from_day = draw_int(d, 0, 4) == 0 ? INT64_MIN : d0 + from;
            r->plans[i].until_day = draw_int(d, 0, 4) == 0 ? INT64_MAX : d0 + from + draw_int(d, 0, 120);
        }
    }
    int nh = draw_int(d, 0, 12), days[12];
    for (int i = 0; i < nh; i++)
        days[i] = draw_int(d, -1, RDAYS);
    sort_ints(days, nh);
    int m = 0;
    for (int i = 0; i < nh; i++)
        if (m == 0 || days[i] != days[m - 1])
            days[m++] = days[i];
    for (int i = 0; i < m; i++)
        r->holidays[i] = d0 + days[i];
    r->c = cal(r->plans, nplans, r->holidays, m);
}

static int brute_plan(const calendar *c, int64_t day)
{
    int found = 0;
    for (int i = 1; i < c->nplans; i++)
        if (c->plans[i].from_day <= day && day <= c->plans[i].until_day)
            found = i;
    return found;
}

static int brute_on(const calendar *c, int64_t d0, int64_t minute)
{
    int64_t today = d0 + minute / 1440;
    for (int back = 0; back <= 1; back++) {
        int64_t day = today - back;
        const cal_plan *p = &c->plans[brute_plan(c, day)];
        if (!((p->weekdays >> date_weekday(day)) & 1u))
            continue;
        int hol = 0;
        for (int h = 0; h < c->nholidays; h++)
            hol |= c->holidays[h] == day;
        if (hol)
            continue;
        int m = (int)(minute % 1440) + back * 1440;
        for (int k = 0; k < p->nshifts; k++) {
            const shift_def *s = &p->shifts[k];
            int in = s->span.start <= m && m < s->span.end;
            for (int b = 0; b < s->nbreaks; b++)
                if (s->breaks[b].start <= m && m < s->breaks[b].end)
                    in = 0;
            if (in)
                return 1;
        }
    }
    return 0;
}

static void check_random(const calendar *c, int64_t d0, draw *d, unsigned char *status)
{
    long count = 0;
    for (int64_t m = 0; m < MINUTES; m++) {
        status[m] = (unsigned char)brute_on(c, d0, m);
        if (m < RDAYS * 1440)
            count += status[m];
    }
    /* on() inside each minute and on its first instant */
    for (int64_t m = 0; m < RDAYS * 1440; m++) {
        if (calendar_on(c, d0, m * 60.0) != status[m] ||
            calendar_on(c, d0, m * 60.0 + 30.0) != status[m])
            fail_msg("on() wrong at minute %lld", (long long)m);
    }
    assert_true(calendar_on_time(c, d0, 0, RDAYS * DAY) == count * 60.0);
    /* the change sequence from 0 through the year */
    double t = 0;
    int64_t m = 1;
    while (t < RDAYS * DAY) {
        while (m < MINUTES && status[m] == status[m - 1])
            m++;
        double f = calendar_next_change(c, d0, t);
        if (m == MINUTES) {
            assert_true(f >= MINUTES * 60.0);
            break;
        }
        if (f != m * 60.0)
            fail_msg("next change after %.0f: got %.0f, want %.0f", t, f, m * 60.0);
        t = f;
        m++;
    }
    /* from random instants, and on-time over random pieces adding up */
    for (int i = 0; i < 300; i++) {
        double x = draw_int(d, 0, RDAYS * 1440 - 1) * 60.0 + draw_int(d, 0, 59999) / 1000.0;
        int64_t k = (int64_t)floor(x / 60.0) + 1;
        while (k < MINUTES && status[k] == status[k - 1])
            k++;
        double f = calendar_next_change(c, d0, x);
        if (k < MINUTES)
            assert_true(f == k * 60.0);
        else
            assert_true(f >= MINUTES * 60.0);
        double y = x + draw_int(d, 0, 20 * 86400);
        /* x is fractional, so the parts carry rounding: on-times below 4e7 s
         * have an ulp under 1e-8 s, and a few roundings stay far below 1e-6. */
        double a = calendar_on_time(c, d0, 0, x), b = calendar_on_time(c, d0, x, y);
        assert_true(fabs(a + b - calendar_on_time(c, d0, 0, y)) < 1e-6);
    }
}

static void test_random_calendars(void **state)
{
    (void)state;
    static unsigned char status[MINUTES];
    draw d = { 0x9e3779b97f4a7c15ull };
    int64_t d0 = date_from_civil(2024, 1, 1);
    for (int i = 0; i < 12; i++) {
        random_cal r;
        int64_t start = d0 + draw_int(&d, 0, 6);       /* any weekday */
        random_calendar(&d, &r, start);
        check_random(&r.c, start, &d, status);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_round_trip),
        cmocka_unit_test(test_date_leap_years),
        cmocka_unit_test(test_date_invalid),
        cmocka_unit_test(test_date_weekday),
        cmocka_unit_test(test_date_format_month),
        cmocka_unit_test(test_one_shift_week),
        cmocka_unit_test(test_next_change_sequence),
        cmocka_unit_test(test_back_to_back_shifts_merge),
        cmocka_unit_test(test_holidays),
        cmocka_unit_test(test_overnight_shift),
        cmocka_unit_test(test_dated_plan),
        cmocka_unit_test(test_never_on),
        cmocka_unit_test(test_far_precision),
        cmocka_unit_test(test_just_before_midnight),
        cmocka_unit_test(test_random_calendars),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
