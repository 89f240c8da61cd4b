/*
 * load_calendar.c — shift calendars in plant files.
 *
 *   calendars:
 *     - name: two-shift
 *       shifts:
 *         - {start: "06:00", end: "14:30", breaks: [{start: "10:00", end: "10:30"}]}
 *         - {start: "14:30", end: "23:00"}
 *       days: [mon, tue, wed, thu, fri]
 *       holidays: [2024-05-01, "2024-08-05..2024-08-23"]
 *       plans:
 *         - {from: 2024-09-01, shifts: [{start: "22:00", end: "06:00"}]}
 *
 * The file speaks in clock times; the model (calendar.h) in minutes from
 * the midnight of the day a shift starts, so a night shift 22:00-06:00 is
 * 1320..1800 and its breaks after midnight are past 1440.  That
 * conversion, and the limits calendar.c relies on to answer queries from
 * fixed arrays, are checked here, where a problem can still be shown at
 * the line that causes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "load_internal.h"
#include "../model/calendar.h"
#include "suggest.h"

#define DAY_MIN 1440
#define MAX_HOLIDAYS 100000             /* days, ranges counted out        */
#define WORKWEEK 0x1fu                  /* Monday to Friday               */

typedef struct calendar_entry {
    calendar c;
    const ynode *shifts, *days, *holidays, *plans;
} calendar_entry;

typedef struct plan_entry {
    cal_plan plan;
    const ynode *from, *until, *shifts, *days;
} plan_entry;

typedef struct span_entry {             /* a shift or a break as written  */
    int start, end;
    const ynode *breaks;
} span_entry;

static const field span_fields[] = {
    FIELD(span_entry, "start", F_CLOCK, start, "when it starts, e.g. start: \"06:00\""),
    FIELD(span_entry, "end", F_CLOCK, end, "when it ends, e.g. end: \"14:30\""),
    FIELD(span_entry, "breaks", F_NODE, breaks, NULL),
};
SECTION(shift_section, "in %s", span_fields);
/* A break is a span without breaks of its own. */
static const section break_section = { "in %s", span_fields, 2 };

static const field plan_fields[] = {
    FIELD(plan_entry, "from", F_NODE, from, NULL),
    FIELD(plan_entry, "until", F_NODE, until, NULL),
    FIELD(plan_entry, "shifts", F_NODE, shifts, NULL),
    FIELD(plan_entry, "days", F_NODE, days, NULL),
};
SECTION(plan_section, "in %s", plan_fields);

static const field calendar_fields[] = {
    FIELD(calendar_entry, "name", F_TEXT, c.name, "its name, e.g. name: two-shift"),
    FIELD(calendar_entry, "shifts", F_NODE, shifts,
          "its shifts, e.g. shifts: [{start: \"06:00\", end: \"14:30\"}]"),
    FIELD(calendar_entry, "days", F_NODE, days, NULL),
    FIELD(calendar_entry, "holidays", F_NODE, holidays, NULL),
    FIELD(calendar_entry, "plans", F_NODE, plans, NULL),
};
SECTION(calendar_section, "in %s", calendar_fields);

/* Minutes in a shift's frame (up to two days) as a clock time. */
static void clock_text(int minutes, char *buf, size_t len)
{
    int m = minutes < 0 ? 0 : minutes > 2 * DAY_MIN ? 2 * DAY_MIN : minutes;
    if (m > DAY_MIN)
        m -= DAY_MIN;
    snprintf(buf, len, "%02d:%02d", m / 60, m % 60);
}

/* ---- shifts and breaks ---------------------------------------------------- */

static int by_start(const void *a, const void *b)
{
    const shift_span *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

static int shift_by_start(const void *a, const void *b)
{
    return by_start(&((const shift_def *)a)->span, &((const shift_def *)b)->span);
}

/* Breaks of shift sh, in the shift's frame, sorted; 0 or -1. */
static int read_breaks(walker *W, const ynode *v, shift_def *sh, const char *label)
{
    char a[16], b[16], c[16], d[16];
    if (!v || ynode_is_null(v))
        return 0;
    if (v->kind != YNODE_SEQ) {
        type_error(W, v, "breaks", "a list, e.g. [{start: \"10:00\", end: \"10:30\"}]");
        return -1;
    }
    if (v->n > CAL_MAX_BREAKS) {
        diags_add(W->d, v->line, v->col, "%s has %d breaks: at most %d are allowed", label,
                  v->n, CAL_MAX_BREAKS);
        return -1;
    }
    span_entry spans[CAL_MAX_BREAKS];
    int before = W->d->n;
    for (int i = 0; i < v->n; i++)
        spans[i].start = spans[i].end = -1;
    walk_list(W, v, "breaks", "break", &break_section, spans, sizeof *spans, label);
    if (W->d->n > before || !(sh->breaks = calloc((size_t)v->n + 1, sizeof *sh->breaks)))
        return -1;
    sh->nbreaks = v->n;
    for (int i = 0; i < v->n; i++) {
        shift_span *bk = &sh->breaks[i];
        bk->start = spans[i].start < sh->span.start ? spans[i].start + DAY_MIN : spans[i].start;
        bk->end = spans[i].end;
        while (bk->end <= bk->start)
            bk->end += DAY_MIN;
        if (bk->start < sh->span.start || bk->end > sh->span.end) {
            clock_text(spans[i].start, a, sizeof a);
            clock_text(spans[i].end, b, sizeof b);
            clock_text(sh->span.start, c, sizeof c);
            clock_text(sh->span.end, d, sizeof d);
            diags_add(W->d, v->items[i]->line, v->items[i]->col, "the break %s-%s is not "
                      "inside its shift %s-%s", a, b, c, d);
            return -1;
        }
    }
    qsort(sh->breaks, (size_t)sh->nbreaks, sizeof *sh->breaks, by_start);
    for (int i = 1; i < sh->nbreaks; i++)
        if (sh->breaks[i].start < sh->breaks[i - 1].end) {
            diags_add(W->d, v->line, v->col, "breaks of %s overlap", label);
            return -1;
        }
    return 0;
}

/* A list of shifts into plan; an end at or before the start is on the
 * next day. */
static void read_shifts(walker *W, const ynode *v, cal_plan *plan, const char *label)
{
    char where[320], what[320];
    if (ynode_is_null(v))
        return;
    if (v->kind != YNODE_SEQ) {
        type_error(W, v, "shifts", "a list, e.g. [{start: \"06:00\", end: \"14:30\"}]");
        return;
    }
    if (v->n > CAL_MAX_SHIFTS) {
        diags_add(W->d, v->line, v->col, "%s has %d shifts: at most %d are allowed", label,
                  v->n, CAL_MAX_SHIFTS);
        return;
    }
    span_entry spans[CAL_MAX_SHIFTS];
    for (int i = 0; i < v->n; i++)
        spans[i] = (span_entry){ -1, -1, NULL };
    snprintf(where, sizeof where, "%s", label);
    walk_list(W, v, "shifts", "shift", &shift_section, spans, sizeof *spans, where);
    if (!(plan->shifts = calloc((size_t)v->n + 1, sizeof *plan->shifts))) {
        diags_add(W->d, 0, 0, "out of memory");
        return;
    }
    plan->nshifts = v->n;
    for (int i = 0; i < v->n; i++) {
        shift_def *sh = &plan->shifts[i];
        if (spans[i].start < 0 || spans[i].end < 0)
            continue;
        if (spans[i].start >= DAY_MIN) {
            const ynode *at = map_value(v->items[i], "start");
            diags_add(W->d, at->line, at->col, "a shift starts at 23:59 at the latest: write "
                      "00:00 for a shift that starts at midnight");
            continue;
        }
        sh->span.start = spans[i].start;
        sh->span.end = spans[i].end <= spans[i].start ? spans[i].end + DAY_MIN : spans[i].end;
        snprintf(what, sizeof what, "shift %d of %s", i + 1, label);
        read_breaks(W, spans[i].breaks, sh, what);
    }
    qsort(plan->shifts, (size_t)plan->nshifts, sizeof *plan->shifts, shift_by_start);
}

/* ---- days ------------------------------------------------------------------- */

static const char *const day_names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
static const char *const day_long[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
};

static void read_days(walker *W, const ynode *v, unsigned *weekdays)
{
    char clip[80], hint[64];
    if (v->kind != YNODE_SEQ) {
        type_error(W, v, "days", "a list of weekdays, e.g. [mon, tue, wed, thu, fri]");
        return;
    }
    unsigned bits = 0;
    for (int i = 0; i < v->n; i++) {
        const ynode *day = v->items[i];
        int k = 0;
        while (k < 7 && !(day->kind == YNODE_SCALAR && (strcasecmp(day->text, day_names[k]) == 0
                                                        || strcasecmp(day->text, day_long[k]) == 0)))
            k++;
        if (k < 7) {
            bits |= 1u << k;
            continue;
        }
        const char *guess = day->kind == YNODE_SCALAR ? text_suggest(day->text, day_long, 7)
                                                      : NULL;
        hint[0] = '\0';
        if (guess)
            snprintf(hint, sizeof hint, " (did you mean '%.3s'?)", guess);
        diags_add(W->d, day->line, day->col, "'days': unknown weekday %s (expected mon, tue, "
                  "wed, thu, fri, sat or sun)%s",
                  day->kind == YNODE_SCALAR ? text_clip(day->text, clip, sizeof clip, 60) : "",
                  hint);
    }
    *weekdays = bits;
}

/* ---- dates ------------------------------------------------------------------ */

/* Dates need start: like any other, though a calendar keeps day numbers. */
static int need_start(walker *W, const ynode *v, const char *key)
{
    if (W->start == 0)
        diags_add(W->d, v->line, v->col, "'%s': dates need a start: date at the top level "
                  "(e.g. start: 2024-03-28), which is time 0", key);
    return W->start > 0 ? 0 : -1;
}

static int read_day(walker *W, const char *key, const ynode *v, int64_t *day)
{
    if (read_day_value(W, key, v, day))
        return -1;
    return need_start(W, v, key);
}

static int by_day(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* One holiday: "2024-05-01" or a range "2024-08-05..2024-08-23"; returns
 * the days added to *list (grown), or -1. */
static int add_holiday(walker *W, const ynode *v, int64_t **list, int *n, int *cap)
{
    int64_t first, last;
    const char *dots = v->kind == YNODE_SCALAR ? strstr(v->text, "..") : NULL;
    if (dots && v->text[0] != '.') {
        char a[16] = "";
        ynode lo = *v, hi = *v;
        snprintf(a, sizeof a, "%.*s", (int)(dots - v->text) < 15 ? (int)(dots - v->text) : 15,
                 v->text);
        lo.text = a;
        lo.quoted = 0;
        hi.text = (char *)dots + 2;
        hi.quoted = 0;
        if (read_day_value(W, "holidays", &lo, &first) || read_day_value(W, "holidays", &hi, &last))
            return -1;
        if (last < first) {
            diags_add(W->d, v->line, v->col, "'holidays': the range %s ends before it starts",
                      v->text);
            return -1;
        }
    } else if (read_day_value(W, "holidays", v, &first)) {
        return -1;
    } else {
        last = first;
    }
    if (need_start(W, v, "holidays"))
        return -1;
    if (last - first + *n >= MAX_HOLIDAYS) {
        diags_add(W->d, v->line, v->col, "'holidays': too many days (limit %d)", MAX_HOLIDAYS);
        return -1;
    }
    while (*n + (last - first + 1) > *cap)
        *cap = *cap ? *cap * 2 : 64;
    int64_t *more = realloc(*list, (size_t)*cap * sizeof *more);
    if (!more) {
        diags_add(W->d, 0, 0, "out of memory");
        return -1;
    }
    *list = more;
    for (int64_t d = first; d <= last; d++)
        more[(*n)++] = d;
    return 0;
}

static void read_holidays(walker *W, const ynode *v, calendar *c)
{
    int cap = 0;
    if (ynode_is_null(v))
        return;
    if (v->kind != YNODE_SEQ) {
        type_error(W, v, "holidays", "a list of dates or ranges, e.g. [2024-05-01, "
                   "\"2024-08-05..2024-08-23\"]");
        return;
    }
    for (int i = 0; i < v->n; i++)
        if (add_holiday(W, v->items[i], &c->holidays, &c->nholidays, &cap))
            return;
    qsort(c->holidays, (size_t)c->nholidays, sizeof *c->holidays, by_day);
    int n = 0;
    for (int i = 0; i < c->nholidays; i++)
        if (n == 0 || c->holidays[i] != c->holidays[n - 1])
            c->holidays[n++] = c->holidays[i];
    c->nholidays = n;
}

/* ---- plans ---------------------------------------------------------------------- */

static int copy_shifts(cal_plan *to, const cal_plan *from)
{
    to->shifts = calloc((size_t)from->nshifts + 1, sizeof *to->shifts);
    if (!to->shifts)
        return -1;
    to->nshifts = from->nshifts;
    for (int i = 0; i < from->nshifts; i++) {
        to->shifts[i].span = from->shifts[i].span;
        int nb = from->shifts[i].nbreaks;
        if (!nb)
            continue;
        if (!(to->shifts[i].breaks = malloc((size_t)nb * sizeof *to->shifts[i].breaks)))
            return -1;
        memcpy(to->shifts[i].breaks, from->shifts[i].breaks, (size_t)nb * sizeof
               *to->shifts[i].breaks);
        to->shifts[i].nbreaks = nb;
    }
    return 0;
}

/* plans[1..]: from the list `plans`; without shifts or days they keep
 * the calendar's own. */
static void read_plans(walker *W, const ynode *v, calendar *c, const char *label)
{
    char what[320];
    plan_entry *e = alloc_items(W, v, sizeof *e);
    if (!e)
        return;
    walk_list(W, v, "plans", "plan", &plan_section, e, sizeof *e, label);
    for (int i = 0; i < v->n; i++) {
        cal_plan *pl = &c->plans[i + 1];
        c->nplans = i + 2;
        pl->line = v->items[i]->line;
        pl->col = v->items[i]->col;
        pl->from_day = INT64_MIN;
        pl->until_day = INT64_MAX;
        pl->weekdays = c->plans[0].weekdays;
        if (e[i].from)
            read_day(W, "from", e[i].from, &pl->from_day);
        if (e[i].until)
            read_day(W, "until", e[i].until, &pl->until_day);
        if (pl->until_day < pl->from_day)
            diags_add(W->d, pl->line, pl->col, "plan %d of %s: 'until' is before 'from'",
                      i + 1, label);
        if (e[i].days)
            read_days(W, e[i].days, &pl->weekdays);
        snprintf(what, sizeof what, "plan %d of %s", i + 1, label);
        if (e[i].shifts)
            read_shifts(W, e[i].shifts, pl, what);
        else if (copy_shifts(pl, &c->plans[0]))
            diags_add(W->d, 0, 0, "out of memory");
    }
    free(e);
}

/* ---- calendars ------------------------------------------------------------------- */

static void build_calendar(walker *W, calendar_entry *e, const ynode *item, const char *label)
{
    calendar *c = &e->c;
    int nplans = 1 + (e->plans && e->plans->kind == YNODE_SEQ ? e->plans->n : 0);
    if (!(c->plans = calloc((size_t)nplans, sizeof *c->plans))) {
        diags_add(W->d, 0, 0, "out of memory");
        return;
    }
    c->nplans = 1;
    cal_plan *base = &c->plans[0];
    base->from_day = INT64_MIN;
    base->until_day = INT64_MAX;
    base->weekdays = WORKWEEK;
    base->line = item->line;
    base->col = item->col;
    if (e->shifts)
        read_shifts(W, e->shifts, base, label);
    if (e->days)
        read_days(W, e->days, &base->weekdays);
    if (e->holidays)
        read_holidays(W, e->holidays, c);
    if (e->plans && e->plans->kind == YNODE_SEQ)
        read_plans(W, e->plans, c, label);
    else if (e->plans && !ynode_is_null(e->plans))
        type_error(W, e->plans, "plans", "a list, e.g. [{from: 2024-09-01, shifts: [...]}]");
}

void read_calendars(walker *W, const ynode *seq, void *at, const char *label)
{
    loader *L = loader_of(W);
    takt_plant *p = L->p;
    char name[256];
    (void)at;
    (void)label;
    calendar_entry *e = alloc_items(W, seq, sizeof *e);
    if (!e || !(p->calendars = alloc_items(W, seq, sizeof *p->calendars))) {
        free(e);
        return;
    }
    p->ncalendars = list_len(seq);
    L->calendar_list = seq;
    place_items(seq, e, sizeof *e, offsetof(calendar_entry, c.line));
    walk_list(W, seq, "calendars", "calendar", &calendar_section, e, sizeof *e, NULL);
    for (int i = 0; i < p->ncalendars; i++) {
        if (seq->items[i]->kind == YNODE_MAP) {
            element_label(name, sizeof name, "calendar", seq->items[i], i, NULL);
            build_calendar(W, &e[i], seq->items[i], name);
        }
        p->calendars[i] = e[i].c;
    }
    free(e);
}
