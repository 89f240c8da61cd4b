/*
 * fmt.h — numbers written as text, in one place: durations in a readable
 * unit, numbers for people (grouped thousands, percentages), and cells of
 * CSV files (the shortest text that reads back to the same double).
 */
#ifndef TAKT_FMT_H
#define TAKT_FMT_H

#include <stddef.h>
#include <stdio.h>

#define NNBSP "\xe2\x80\xaf"        /* narrow no-break space (U+202F)    */

/* A readable unit for a time: s below 2 min, min below 2 h, h below 2 d,
 * then d.  A value in seconds divided by scale is in that unit. */
typedef struct fmt_unit {
    const char *name;
    double scale;
} fmt_unit;
fmt_unit fmt_time_unit(double seconds);

/* "45 s", "12.5 min", "1234 h", "3.2 d": a duration in its readable unit. */
void fmt_duration(char *buf, int len, double seconds);

/* Numbers for people.  Groups of thousands are split by a narrow
 * no-break space; a value that is not finite is a dash. */
void fmt_num(char *buf, size_t len, double v, int sig);  /* 0.912, 12.3, 4 560 */
void fmt_int(char *buf, size_t len, double v);           /* 12 345           */
void fmt_pct(char *buf, size_t len, double share);       /* 87 %, 4.2 %, 0.3 % */

/* Numbers in text tables (terminals, where a narrow space would break
 * the columns): fixed notation, never an exponent (1,440, not 1.44e+03;
 * 0.000207, not 2.07e-04), `sig` significant digits and at least the
 * whole number, thousands grouped by commas, no "-0"; a value that is
 * not finite is "-".  fmt_count: a count, rounded to a whole number. */
void fmt_fixed(char *buf, size_t len, double v, int sig);
void fmt_count(char *buf, size_t len, double v);

/* s with its first letter a capital ("cars" -> "Cars"), for the start
 * of a sentence; letters beyond ASCII stay as they are. */
void fmt_capital(char *buf, size_t len, const char *s);

/* CSV cells.  A text field is quoted per RFC 4180 when it holds a comma,
 * a quote or a line break (NULL writes an empty field).  A number is
 * preceded by its comma and written exactly as the JSON report writes it,
 * so a cell and the JSON value are the same text; a value that is not
 * finite (no value, e.g. a target never reached) is an empty cell. */
void fmt_csv_text(FILE *f, const char *s);
void fmt_csv_num(FILE *f, double v);

#endif
