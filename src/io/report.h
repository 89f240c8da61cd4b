/*
 * report.h — reporters: the summary of a run as text for people, JSON for
 * tools, CSV tables and an HTML page.  They read only the result structs,
 * and every figure through the results catalogue (src/exp/catalogue.h).
 */
#ifndef TAKT_REPORT_H
#define TAKT_REPORT_H

#include <stdio.h>
#include "../exp/catalogue.h"
#include "fmt.h"
#include "outfile.h"

int report_json(FILE *f, const takt_summary *s);
int report_text(FILE *f, const takt_summary *s);
/* One self-contained HTML page (inline CSS and SVG, no scripts). */
int report_html(FILE *f, const takt_summary *s);
/* daily.csv, monthly.csv, stations.csv, buffers.csv ... in dir (created
 * if missing), each a new member of g: nothing is in place until the
 * caller finishes and places the group (outfile.h).  Returns 0, or -1
 * with a message in err. */
int report_csv(const char *dir, const takt_summary *s, outfile_group *g, char *err, int errlen);
/* One of report_csv's tables by its file name ("stations.csv") into f
 * (only its header when the plant has nothing for it).  Returns 0, -1 on a
 * write error, -2 when there is no such table. */
int report_csv_table(FILE *f, const char *name, const takt_summary *s);
/* Whether report_csv could write into dir (it exists as a writable
 * directory, or could be created), checked before simulating; creates
 * nothing.  Returns 0, or -1 with a message in err. */
int report_csv_check(const char *dir, char *err, int errlen);

/* The name of the station the report calls the bottleneck ("" for none). */
const char *report_bottleneck_name(const takt_summary *s);

/* Resource pools and carrier loops (report_resource.c): their sections of
 * the text and JSON reports (nothing for a plant with none), and the
 * accessors the CSV files, the HTML page and the store share: name, count
 * and summary of pool or loop i. */
void report_text_resources(FILE *f, const takt_summary *s);
struct jsonw;
void report_json_resources(struct jsonw *w, const takt_summary *s);
const char *report_pool_name(const takt_plant *p, int i);
int report_pool_count(const takt_plant *p, int i);
const void *report_pool_sum(const takt_summary *s, int i);
const char *report_loop_name(const takt_plant *p, int i);
int report_loop_count(const takt_plant *p, int i);
const void *report_loop_sum(const takt_summary *s, int i);

#endif
