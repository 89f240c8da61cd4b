/*
 * feature_sim.c — the runner behind the car-plant feature tests.
 *
 * Every case goes through the public API (takt_load_string,
 * takt_simulate), exactly as a user's program would, and every run is
 * checked for the invariants that hold whatever the plant: parts are
 * conserved (what was in the plant at the start plus what entered equals
 * what left, was scrapped, was merged into an assembly, or is still
 * inside), each machine's states add up to all of its time, and the daily
 * series agree with the totals.  A feature that loses or invents a part
 * fails here even when its own test looks only at rates.
 *
 * Replications run on two threads so that the tests also cover parallel
 * runs; results do not depend on the thread count.
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
#include "feature_sim.h"
#include "core/stats.h"

static void check_conservation(const fsim *s, int r, const rep_obs *o)
{
    long in = o->wip_start + o->parts_in;
    long out = o->parts_out + o->scrapped + o->merged + o->wip_end;
    if (in != out)
        fail_msg("%s rep %d: parts not conserved: %ld at start + %ld in != %ld out + "
                 "%ld scrapped + %ld merged + %ld at end", s->name, r, o->wip_start,
                 o->parts_in, o->parts_out, o->scrapped, o->merged, o->wip_end);
}

static void check_states(const fsim *s, int r, const rep_obs *o)
{
    const takt_plant *p = s->sum->plant;
    for (int i = 0; i < p->nstations; i++) {
        double total = 0;
        for (int q = 0; q < NSTATES; q++) {
            if (o->stations[i].state[q] < -1e-12)
                fail_msg("%s rep %d station %s: negative share of state %s", s->name, r,
                         p->stations[i].name, catalogue_states[q].key);
            total += o->stations[i].state[q];
        }
        if (fabs(total - 1) > 1e-9)
            fail_msg("%s rep %d station %s: states sum to %.12f", s->name, r,
                     p->stations[i].name, total);
    }
}

/* The days: produced and delivered add up to the totals (every car that
 * leaves before the end does so on some day of the run), the backlog
 * (ordered - delivered) is never negative, and no more cars are delivered
 * than were made. */
static void check_days(const fsim *s, int r, const rep_obs *o)
{
    double made = 0, delivered = 0;
    for (int d = 0; d < o->ndays; d++) {
        if (o->day_produced[d] < 0 || o->day_delivered[d] < 0)
            fail_msg("%s rep %d day %d: negative count", s->name, r, d);
        made += o->day_produced[d];
        delivered += o->day_delivered[d];
        if (o->day_backlog[d] < 0)
            fail_msg("%s rep %d day %d: backlog %.0f < 0: more deliveries than orders",
                     s->name, r, d, o->day_backlog[d]);
        if (delivered > made)
            fail_msg("%s rep %d day %d: %.0f delivered but only %.0f made", s->name, r, d,
                     delivered, made);
    }
    if (o->ndays > 0 && (made != (double)o->produced || delivered != (double)o->delivered))
        fail_msg("%s rep %d: daily series add up to %.0f made, %.0f delivered; totals %ld, %ld",
                 s->name, r, made, delivered, o->produced, o->delivered);
    if (o->delivered > o->ordered)
        fail_msg("%s rep %d: %ld delivered > %ld ordered", s->name, r, o->delivered, o->ordered);
}

fsim fs_run(const char *name, const char *yaml)
{
    fsim s = { name, NULL, NULL };
    char *errors = NULL, *why = NULL;
    takt_options o;
    s.plant = takt_load_string(name, yaml, strlen(yaml), &errors);
    if (!s.plant) fail_msg("plant %s does not load:\n%s\n%s", name, errors ? errors : "", yaml);
    takt_options_default(&o);
    o.threads = 2;
    o.error = &why;
    int rc = takt_simulate(s.plant, &o, &s.sum);
    if (rc != 0) fail_msg("plant %s: takt_simulate returned %d (%s)", name, rc, why ? why : "");
    for (int r = 0; r < s.sum->replications; r++) {
        const rep_obs *ob = &s.sum->reps[r];
        check_conservation(&s, r, ob);
        check_states(&s, r, ob);
        check_days(&s, r, ob);
    }
    return s;
}

void fs_free(fsim *s)
{
    takt_summary_free(s->sum);
    takt_plant_free(s->plant);
    s->sum = NULL;
    s->plant = NULL;
}

int fs_station(const fsim *s, const char *name)
{
    const takt_plant *p = s->sum->plant;
    for (int i = 0; i < p->nstations; i++)
        if (strcmp(p->stations[i].name, name) == 0) return i;
    fail_msg("%s: no station %s", s->name, name);
    return -1;
}

int fs_workshop(const fsim *s, const char *name)
{
    const takt_plant *p = s->sum->plant;
    for (int i = 0; i < p->nworkshops; i++)
        if (strcmp(p->workshops[i].name, name) == 0) return i;
    fail_msg("%s: no workshop %s", s->name, name);
    return -1;
}

void fs_expect(const fsim *s, const char *what, kpi got, double exact, double rel)
{
    double tol = 4.0 * got.ci95 + rel * fabs(exact);
    print_message("  %-16s %-28s sim %12.6g +- %-10.4g theory %12.6g\n", s->name, what,
                  got.mean, got.ci95, exact);
    if (!(fabs(got.mean - exact) <= tol))
        fail_msg("%s: %s = %.8g +- %.3g, theory %.8g (off by %.3g > tolerance %.3g)",
                 s->name, what, got.mean, got.ci95, exact, fabs(got.mean - exact), tol);
}

void fs_exact(const fsim *s, const char *what, double got, double exact, double tol)
{
    print_message("  %-16s %-28s sim %12.8g         theory %12.8g\n", s->name, what, got, exact);
    if (!(fabs(got - exact) <= tol))
        fail_msg("%s: %s = %.10g, theory %.10g (off by %.3g > %.3g)", s->name, what, got,
                 exact, fabs(got - exact), tol);
}

kpi fs_kpi(const double *per_rep, int n)
{
    kpi k;
    ci95(per_rep, n, &k.mean, &k.ci95);
    return k;
}

double fs_cum_produced(const fsim *s, int r, int d)
{
    double t = 0;
    for (int k = 0; k <= d && k < s->sum->reps[r].ndays; k++) t += s->sum->reps[r].day_produced[k];
    return t;
}
