/*
 * calendar.c — shift calendars, answered day by day without materialising
 * the horizon.
 *
 * Everything reduces to one question: what are the on-intervals of day D?
 * They come from the shifts that start on D (under D's plan, if D is a work
 * day) and from the tails of the shifts that started on D-1 and run past
 * midnight (under D-1's plan and holiday status, because a shift belongs to
 * the day it starts on).  Those pieces are clipped to the day, sorted and
 * merged into at most a few hundred intervals in a stack array, so a query
 * costs a handful of comparisons and never allocates; the run calls
 * calendar_next_change once per shift boundary per calendar, which is rare
 * next to the events of the line.
 *
 * "Never changes again" needs a bound on the search.  After the last plan
 * boundary and the last holiday (plus one day for overnight tails), every
 * day looks like the same weekday a week earlier, so a week without a
 * change past that quiet day means the status is constant forever.  The
 * same periodicity answers calendar_on_time over an unbounded span.
 *
 * Times are doubles of seconds since midnight of start_day; day boundaries
 * and shift boundaries are whole numbers of seconds below 2^53, so they and
 * their differences are exact, and comparisons at a boundary are reliable.
 */
#include "model/calendar.h"

#include <math.h>
#include <stddef.h>

#include "core/date.h"

#define DAY_MIN 1440                /* minutes in a day                  */
#define DAY_SEC 86400.0
#define SHIFT_PIECES (CAL_MAX_BREAKS + 1)
#define DAY_PIECES (2 * CAL_MAX_SHIFTS * SHIFT_PIECES)
#define WEEK 7

typedef struct span { int a, b; } span;   /* minutes, [a, b) */

int calendar_plan_of(const calendar *c, int64_t day)
{
    if (!c || c->nplans <= 0)
        return -1;
    for (int i = c->nplans - 1; i >= 1; i--)
        if (c->plans[i].from_day <= day && day <= c->plans[i].until_day)
            return i;
    return 0;
}

static int is_holiday(const calendar *c, int64_t day)
{
    int lo = 0, hi = c->nholidays;            /* search [lo, hi) */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (c->holidays[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->nholidays && c->holidays[lo] == day;
}

static int shift_count(const cal_plan *p)
{
    return p->nshifts < CAL_MAX_SHIFTS ? p->nshifts : CAL_MAX_SHIFTS;
}

static int shift_end(const shift_def *s)
{
    return s->span.end < CAL_MAX_SHIFT_END ? s->span.end : CAL_MAX_SHIFT_END;
}

static int plan_spills(const cal_plan *p)
{
    for (int i = 0; i < shift_count(p); i++)
        if (shift_end(&p->shifts[i]) > DAY_MIN)
            return 1;
    return 0;
}

/* The plan that works on `day`, or NULL if the day is off (no plan, not a
 * weekday of the plan, a holiday).  With tails_only, a day whose plan has
 * no shift past midnight counts as off: the caller wants only its tails,
 * and this skips the holiday search for the common case. */
static const cal_plan *working_plan(const calendar *c, int64_t day, int tails_only)
{
    int i = calendar_plan_of(c, day);
    if (i < 0)
        return NULL;
    const cal_plan *p = &c->plans[i];
    if (!((p->weekdays >> date_weekday(day)) & 1u))
        return NULL;
    if (tails_only && !plan_spills(p))
        return NULL;
    return is_holiday(c, day) ? NULL : p;
}

/* A shift minus its breaks, in the shift's own frame; returns the count. */
static int shift_pieces(const shift_def *s, span *out)
{
    int end = shift_end(s), cursor = s->span.start, n = 0;
    int nb = s->nbreaks < CAL_MAX_BREAKS ? s->nbreaks : CAL_MAX_BREAKS;
    for (int i = 0; i < nb && cursor < end; i++) {
        const shift_span *b = &s->breaks[i];
        int stop = b->start < end ? b->start : end;
        if (stop > cursor)
            out[n++] = (span){ cursor, stop };
        if (b->end > cursor)
            cursor = b->end;
    }
    if (cursor < end)
        out[n++] = (span){ cursor, end };
    return n;
}

/* Append the pieces of p's shifts, shifted back by `offset` minutes and
 * clipped to [0, DAY_MIN). */
static int add_plan(const cal_plan *p, int offset, span *out, int n)
{
    span piece[SHIFT_PIECES];
    for (int i = 0; i < shift_count(p); i++) {
        int k = shift_pieces(&p->shifts[i], piece);
        for (int j = 0; j < k; j++) {
            int a = piece[j].a - offset, b = piece[j].b - offset;
            a = a < 0 ? 0 : a;
            b = b > DAY_MIN ? DAY_MIN : b;
            if (a < b)
                out[n++] = (span){ a, b };
        }
    }
    return n;
}

/* Sort by start (input is nearly sorted: shifts come sorted) and merge
 * overlapping or touching spans, so no boundary inside the day is a
 * non-change. */
static int merge_spans(span *s, int n)
{
    for (int i = 1; i < n; i++) {
        span x = s[i];
        int j = i;
        for (; j > 0 && s[j - 1].a > x.a; j--)
            s[j] = s[j - 1];
        s[j] = x;
    }
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (m > 0 && s[i].a <= s[m - 1].b) {
            if (s[i].b > s[m - 1].b)
                s[m - 1].b = s[i].b;
        } else {
            s[m++] = s[i];
        }
    }
    return m;
}

/* The merged on-intervals of `day` in minutes from its midnight. */
static int day_spans(const calendar *c, int64_t day, span *out)
{
    int n = 0;
    const cal_plan *prev = working_plan(c, day - 1, 1);
    if (prev)
        n = add_plan(prev, DAY_MIN, out, n);
    const cal_plan *p = working_plan(c, day, 0);
    if (p)
        n = add_plan(p, 0, out, n);
    return merge_spans(out, n);
}

/* The day (relative to time 0) holding t, and the seconds into it.  The
 * quotient is corrected because t / 86400 may round up to the next whole
 * number just below a midnight. */
static int64_t day_index(double t, double *sec)
{
    double q = floor(t / DAY_SEC);
    if (t < q * DAY_SEC)
        q -= 1.0;
    else if (t >= (q + 1.0) * DAY_SEC)
        q += 1.0;
    *sec = t - q * DAY_SEC;
    return (int64_t)q;
}

static int spans_contain(const span *s, int n, double sec)
{
    for (int i = 0; i < n && s[i].a * 60.0 <= sec; i++)
        if (sec < s[i].b * 60.0)
            return 1;
    return 0;
}

int calendar_on(const calendar *c, int64_t start_day, double t)
{
    if (!c || c->nplans <= 0 || !isfinite(t))
        return 0;
    double sec;
    int64_t r = day_index(t, &sec);
    span s[DAY_PIECES];
    int n = day_spans(c, start_day + r, s);
    return spans_contain(s, n, sec);
}

/* 1 if some plan has a weekday and a shift with time left after breaks;
 * otherwise the calendar is never on and no day needs looking at. */
static int can_ever_work(const calendar *c)
{
    span piece[SHIFT_PIECES];
    for (int i = 0; i < c->nplans; i++) {
        const cal_plan *p = &c->plans[i];
        if (!(p->weekdays & 0x7fu))
            continue;
        for (int j = 0; j < shift_count(p); j++)
            if (shift_pieces(&p->shifts[j], piece) > 0)
                return 1;
    }
    return 0;
}

/* The first day from which every day repeats the same weekday a week
 * before: past all dated plan boundaries and holidays, plus one day for
 * overnight tails.  INT64_MIN if nothing is dated. */
static int64_t quiet_day(const calendar *c)
{
    int64_t q = INT64_MIN;
    for (int i = 1; i < c->nplans; i++) {
        const cal_plan *p = &c->plans[i];
        if (p->from_day != INT64_MIN && p->from_day > q)
            q = p->from_day;
        if (p->until_day != INT64_MAX && p->until_day + 1 > q)
            q = p->until_day + 1;
    }
    if (c->nholidays > 0 && c->holidays[c->nholidays - 1] + 1 > q)
        q = c->holidays[c->nholidays - 1] + 1;
    return q == INT64_MIN ? q : q + 1;
}

/* The first piece boundary of a day after t where the status differs from
 * cur; the day is cut into alternating off/on pieces starting at minute 0,
 * so a piece at midnight that continues the previous day's status is no
 * change. */
static double first_flip(const span *s, int n, double base, double t, int cur)
{
    int pos = 0;
    for (int i = 0; i <= n; i++) {
        int on_at = i < n ? s[i].a : DAY_MIN;
        if (on_at > pos && cur && base + pos * 60.0 > t)
            return base + pos * 60.0;            /* off piece [pos, on_at) */
        if (i == n)
            break;
        double on = base + s[i].a * 60.0;
        if (on > t && !cur)
            return on;
        pos = s[i].b;
    }
    return INFINITY;
}

double calendar_next_change(const calendar *c, int64_t start_day, double t)
{
    if (!c || c->nplans <= 0 || !isfinite(t) || !can_ever_work(c))
        return INFINITY;
    double sec;
    int64_t r = day_index(t, &sec);
    int64_t day = start_day + r, quiet = quiet_day(c);
    int64_t last = (quiet > day ? quiet : day) + WEEK;
    span s[DAY_PIECES];
    int n = day_spans(c, day, s);
    int cur = spans_contain(s, n, sec);
    for (int64_t d = day;; ) {
        double flip = first_flip(s, n, (double)(d - start_day) * DAY_SEC, t, cur);
        if (flip < INFINITY || d >= last)
            return flip;
        d++;
        n = day_spans(c, d, s);
    }
}

/* On-time within [t0, t1), both finite, walking the days in between. */
static double on_time_between(const calendar *c, int64_t start_day, double t0, double t1)
{
    double sec, total = 0.0;
    int64_t r0 = day_index(t0, &sec), r1 = day_index(t1, &sec);
    span s[DAY_PIECES];
    for (int64_t r = r0; r <= r1; r++) {
        int n = day_spans(c, start_day + r, s);
        double base = (double)r * DAY_SEC;
        for (int i = 0; i < n; i++) {
            double lo = base + s[i].a * 60.0, hi = base + s[i].b * 60.0;
            lo = lo > t0 ? lo : t0;
            hi = hi < t1 ? hi : t1;
            if (hi > lo)
                total += hi - lo;
        }
    }
    return total;
}

double calendar_on_time(const calendar *c, int64_t start_day, double t0, double t1)
{
    if (!c || c->nplans <= 0 || !isfinite(t0) || !(t1 > t0))
        return 0.0;
    if (isfinite(t1))
        return on_time_between(c, start_day, t0, t1);
    /* Unbounded: finite only if a periodic week past the quiet day is off. */
    double sec;
    int64_t from = start_day + day_index(t0, &sec) + 1, quiet = quiet_day(c);
    int64_t periodic = quiet > from ? quiet : from;
    double tp = (double)(periodic - start_day) * DAY_SEC;
    if (on_time_between(c, start_day, tp, tp + WEEK * DAY_SEC) > 0.0)
        return INFINITY;
    return on_time_between(c, start_day, t0, tp);
}

/* ---- stations ----------------------------------------------------------- */

static const workshop *station_workshop(const takt_plant *p, int i)
{
    int w = p->stations[i].workshop;
    return w >= 0 && w < p->nworkshops ? &p->workshops[w] : NULL;
}

int station_calendar(const takt_plant *p, int i)
{
    const workshop *w = station_workshop(p, i);
    int c = p->stations[i].calendar >= 0 ? p->stations[i].calendar
          : w && w->calendar >= 0 ? w->calendar : p->calendar;
    return c >= 0 && c < p->ncalendars ? c : -1;
}

double station_opens(const takt_plant *p, int i)
{
    const workshop *w = station_workshop(p, i);
    double t = p->opens > p->stations[i].opens ? p->opens : p->stations[i].opens;
    if (w && w->opens > t) t = w->opens;
    return t;
}

double station_on_time(const takt_plant *p, int i, double t0, double t1)
{
    double open = station_opens(p, i);
    if (t0 < open) t0 = open;
    if (t1 <= t0) return 0;
    int c = station_calendar(p, i);
    return c < 0 ? t1 - t0 : calendar_on_time(&p->calendars[c], p->start_day, t0, t1);
}
