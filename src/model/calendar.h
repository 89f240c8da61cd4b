/*
 * calendar.h — shift calendars, evaluated on the fly.
 *
 * A calendar says, for every moment, whether the plant works (on shift and
 * not in a break, on a work day that is not a holiday, under the plan in
 * force that day).  The run asks only two things: is it on at time t, and
 * when does that next change.  Both are answered from the day's plan
 * without materialising the whole horizon, so memory does not grow with
 * the simulated span.
 *
 * Times are seconds since time 0, which is midnight of the plant's start
 * day (start_day, days since 1970-01-01).  A shift that ends after
 * midnight (end > 1440 minutes) belongs to the day it starts on.
 */
#ifndef TAKT_CALENDAR_H
#define TAKT_CALENDAR_H

#include "plant.h"

/* Limits the loader enforces, so a day's intervals fit in fixed arrays on
 * the stack and queries never allocate.  Breaks are given in the frame of
 * their shift (minutes from the midnight of the day the shift starts, so a
 * 01:00 break in a 22:00-06:00 shift is 1500); a shift ends within the day
 * after the one it starts on. */
#define CAL_MAX_SHIFTS 16           /* per plan                          */
#define CAL_MAX_BREAKS 16           /* per shift                         */
#define CAL_MAX_SHIFT_END 2880      /* minutes: end of the next day      */

/* 1 if the calendar is on at time t (an instant on a boundary belongs to
 * the interval that starts there). */
int calendar_on(const calendar *c, int64_t start_day, double t);

/* The first time > t at which calendar_on changes value; INFINITY if it
 * never changes again (e.g. no shifts at all). */
double calendar_next_change(const calendar *c, int64_t start_day, double t);

/* Seconds on shift within [t0, t1). */
double calendar_on_time(const calendar *c, int64_t start_day, double t0, double t1);

/* The plan in force on `day` (index into c->plans). */
int calendar_plan_of(const calendar *c, int64_t day);

/* The calendar in force at station i (its own, else its workshop's, else
 * the plant's), -1 for none; and when it opens (s since time 0). */
int station_calendar(const takt_plant *p, int i);
double station_opens(const takt_plant *p, int i);

/* Seconds station i can work within [t0, t1): open and on shift. */
double station_on_time(const takt_plant *p, int i, double t0, double t1);

#endif
