/*
 * report.h — reporters: the summary of a run as text for people and as
 * JSON for tools.  They read only the result structs.
 */
#ifndef TAKT_REPORT_H
#define TAKT_REPORT_H

#include <stdio.h>
#include "../exp/summary.h"
#include "outfile.h"

int report_json(FILE *f, const takt_summary *s);
int report_text(FILE *f, const takt_summary *s);
/* One self-contained HTML page (inline CSS and SVG, no scripts). */
int report_html(FILE *f, const takt_summary *s);
/* One CSV field, quoted per RFC 4180 when it holds a comma, a quote or a
 * line break (NULL writes an empty field). */
void csv_text(FILE *f, const char *s);
/* daily.csv, monthly.csv, stations.csv, buffers.csv ... in dir (created
 * if missing), each a new member of g: nothing is in place until the
 * caller finishes and places the group (outfile.h).  Returns 0, or -1
 * with a message in err. */
int report_csv(const char *dir, const takt_summary *s, outfile_group *g, char *err, int errlen);
/* Whether report_csv could write into dir (it exists as a writable
 * directory, or could be created), checked before simulating; creates
 * nothing.  Returns 0, or -1 with a message in err. */
int report_csv_check(const char *dir, char *err, int errlen);

/* The headline KPIs by name, as kpis.csv and the run store's kpis table
 * hold them; ci95 is NAN where there is none.  Returns how many (<= max;
 * REPORT_MAX_KPIS is always enough). */
#define REPORT_MAX_KPIS 16
typedef struct named_kpi {
    const char *name;
    double mean, ci95;
} named_kpi;
int report_kpis(const takt_summary *s, named_kpi *out, int max);

/* The station most often the bottleneck (sole + shifting shares); if no
 * station was ever active, the busiest.  -1 for a plant with no station. */
int report_bottleneck(const takt_summary *s);

/* "1234.5 h", "3.2 d", "45 s": a duration in a readable unit. */
void fmt_duration(char *buf, int len, double seconds);

#endif
