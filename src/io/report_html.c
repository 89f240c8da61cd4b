/* report_html.c — placeholder until the HTML report lands. */
#include "report.h"
int report_html(FILE *f, const takt_summary *s) { (void)s; fputs("<!doctype html>\n", f); return -1; }
