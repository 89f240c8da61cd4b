/*
 * date.c — civil dates <-> day numbers (days since 1970-01-01, proleptic
 * Gregorian), after Howard Hinnant's days_from_civil / civil_from_days.
 *
 * Why this way: plants anchor time 0 to a date and calendars index days,
 * so the only operations needed are "which day number is this date" and
 * back.  Hinnant's closed forms do that in constant time with integer
 * arithmetic only, without the C library's time zones and struct tm (which
 * depend on the environment and are not thread-safe everywhere).
 *
 * The trick: count years from March, so the leap day is the last day of
 * the year and months March..February have lengths that a linear formula
 * (153 * month + 2) / 5 reproduces; then count whole 400-year eras of
 * 146097 days, inside which the leap rule is a fixed pattern.
 */
#include "core/date.h"

#define DAYS_PER_ERA 146097         /* 400 Gregorian years               */
#define EPOCH_SHIFT 719468          /* 0000-03-01 .. 1970-01-01 in days  */

/* Floor division for a positive divisor (C division truncates toward 0). */
static int64_t floor_div(int64_t a, int64_t b)
{
    return (a >= 0 ? a : a - (b - 1)) / b;
}

/* Day of the March-based year (0 = March 1st) of month m, day d. */
static int64_t day_of_march_year(int m, int d)
{
    int mp = m > 2 ? m - 3 : m + 9;  /* March = 0 ... February = 11 */
    return (153 * mp + 2) / 5 + d - 1;
}

int64_t date_from_civil(int y, int m, int d)
{
    int64_t year = (int64_t)y - (m <= 2);     /* Jan/Feb belong to the year before */
    int64_t era = floor_div(year, 400);
    int64_t year_of_era = year - era * 400;   /* 0 .. 399 */
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100
                       + day_of_march_year(m, d);
    return era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT;
}

void date_to_civil(int64_t day, int *y, int *m, int *d)
{
    int64_t z = day + EPOCH_SHIFT;
    int64_t era = floor_div(z, DAYS_PER_ERA);
    int64_t day_of_era = z - era * DAYS_PER_ERA;          /* 0 .. 146096 */
    /* Remove the leap days before day_of_era, then divide by 365. */
    int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524
                           - day_of_era / 146096) / 365;  /* 0 .. 399 */
    int64_t doy = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t mp = (5 * doy + 2) / 153;                     /* March = 0 */
    int month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = month;
    *y = (int)(year_of_era + era * 400 + (month <= 2));
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

/* n decimal digits at s into *out; 0, or -1 if any is not a digit. */
static int parse_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int date_parse(const char *s, int64_t *day)
{
    int y, m, d;
    if (!s)
        return -1;
    /* Check each position in turn, so a short string stops at its NUL. */
    if (parse_digits(s, 4, &y) < 0 || s[4] != '-' ||
        parse_digits(s + 5, 2, &m) < 0 || s[7] != '-' ||
        parse_digits(s + 8, 2, &d) < 0 || s[10] != '\0')
        return -1;
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    *day = date_from_civil(y, m, d);
    return 0;
}

int date_weekday(int64_t day)
{
    /* 1970-01-01 was a Thursday (3 with Monday = 0). */
    int64_t w = (day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* v as exactly n decimal digits (clamped to 0 .. 10^n - 1). */
static char *put_digits(char *p, int v, int n)
{
    int max = 1;
    for (int i = 0; i < n; i++)
        max *= 10;
    v = v < 0 ? 0 : v >= max ? max - 1 : v;
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + n;
}

void date_format(int64_t day, char *buf)
{
    int y, m, d;
    date_to_civil(day, &y, &m, &d);
    char *p = put_digits(buf, y, 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    p = put_digits(p, d, 2);
    *p = '\0';
}

void date_format_month(int64_t day, char *buf)
{
    int y, m, d;
    date_to_civil(day, &y, &m, &d);
    char *p = put_digits(buf, y, 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p = '\0';
}
