/*
 * report_series.h — OEE and the series over time in the reports
 * (report_series.c, report_html_series.c).
 */
#ifndef TAKT_REPORT_SERIES_H
#define TAKT_REPORT_SERIES_H

#include <stdio.h>
#include "../exp/summary.h"

struct jsonw;
/* The "oee" object, then "series" when the run collected them. */
void report_json_series(struct jsonw *w, const takt_summary *s);
/* The OEE table of the text report. */
void report_text_oee(FILE *f, const takt_summary *s);
/* CSV tables: oee.csv, series_stations.csv, series_buffers.csv,
 * series_bottleneck.csv (only the header when there is no series). */
void report_csv_oee(FILE *f, const takt_summary *s);
void report_csv_series_stations(FILE *f, const takt_summary *s);
void report_csv_series_buffers(FILE *f, const takt_summary *s);
void report_csv_series_bottleneck(FILE *f, const takt_summary *s);
int report_has_series(const takt_summary *s);
/* The HTML sections: OEE, and the series when there are some. */
int report_html_series(FILE *f, const takt_summary *s);

#endif
