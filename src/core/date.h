/*
 * date.h — civil dates as day numbers (days since 1970-01-01, proleptic
 * Gregorian), the form in which plants anchor simulated time to a
 * calendar.  Pure arithmetic (Howard Hinnant's algorithms), no time zones:
 * a plant's day starts at its local midnight.
 */
#ifndef TAKT_DATE_H
#define TAKT_DATE_H

#include <stdint.h>

int64_t date_from_civil(int y, int m, int d);
void date_to_civil(int64_t day, int *y, int *m, int *d);
/* "2024-03-28" -> day; returns 0, or -1 if not a valid date. */
int date_parse(const char *s, int64_t *day);
/* 0 = Monday ... 6 = Sunday */
int date_weekday(int64_t day);
/* "2024-03-28" into buf (at least 11 bytes). */
void date_format(int64_t day, char *buf);
/* "2024-03" into buf (at least 8 bytes). */
void date_format_month(int64_t day, char *buf);

#endif
