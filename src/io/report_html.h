/*
 * report_html.h — what the parts of the HTML report share (report_html.c
 * writes the page, report_html_days.c its calendar view).
 */
#ifndef TAKT_REPORT_HTML_H
#define TAKT_REPORT_HTML_H

#include <stdio.h>
#include "report.h"

/* The day of time t (s since time 0) as "2025-03-01"; an em dash for NAN.
 * buf: at least 16 bytes. */
void html_date(const takt_plant *p, double t, char *buf);
/* The last day a target may be reached: `by` is the midnight after it. */
void html_deadline(const takt_plant *p, double by, char *buf);
/* Output per day, cumulative output, months, customer wait: nothing
 * without daily series.  Returns 0, -1 out of memory. */
int html_days(FILE *f, const takt_summary *s);
/* Resource pools and carrier loops (report_html_resources.c). */
void html_resources(FILE *f, const takt_summary *s);

#endif
