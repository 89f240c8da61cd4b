/*
 * svg.h — what the HTML report draws with: escaped text, numbers written
 * for people, and three kinds of inline SVG chart (horizontal bars, x-y
 * charts over days, and a box-and-arrow diagram of a plant).  Nothing
 * here knows about plants or summaries; report_html.c maps those onto
 * these charts.  Every chart is one <svg> element with a fixed viewBox
 * that the page scales to its width; it holds its own axes, units and
 * legend, and no script.
 */
#ifndef TAKT_SVG_H
#define TAKT_SVG_H

#include <stddef.h>
#include <stdio.h>
#include "fmt.h"               /* numbers for people */

#define SVG_WIDTH 1040              /* viewBox width of every chart      */

/* Text for HTML and SVG: & < > " ' escaped, control characters dropped. */
void html_esc(FILE *f, const char *s);
/* Like html_esc, but at most `max` characters (UTF-8 aware), with "…"
 * when cut. */
void html_esc_cut(FILE *f, const char *s, int max);


/* ---- horizontal bars ------------------------------------------------- */

typedef struct hbar_row {
    const char *label;
    const double *v;                /* one value per series, stacked     */
    const char *note;               /* text right of the bar, or NULL    */
    const char *tip;                /* tooltip, or NULL                  */
    double max;                     /* a tick mark; NAN for none         */
    int strong;                     /* emphasise the row                 */
} hbar_row;

typedef struct hbar_chart {
    const char *title;              /* accessible name                   */
    const char *const *series;      /* legend names                      */
    const char *const *colors;
    int nseries;
    const hbar_row *rows;
    int nrows;
    double xmax;                    /* <= 0: from the data               */
    int percent;                    /* values are shares of 1            */
    const char *xlabel;             /* axis title, with its unit         */
    const char *max_name;           /* legend of the mark, or NULL       */
    const char *strong_name;        /* legend of the emphasis, or NULL   */
} hbar_chart;

void svg_hbars(FILE *f, const hbar_chart *c);

/* ---- x-y charts over days -------------------------------------------- */

enum { XY_LINE = 0, XY_BAND, XY_BARS };

typedef struct xy_series {
    const char *name, *color;
    int kind;
    const double *x;                /* day numbers; NULL: x0 + i         */
    double x0;
    const double *y, *y2;           /* y2: upper edge of a band          */
    int n;
    double width;                   /* bars: width in days (<= 0: 1)     */
    int dashed;
    int thin;                       /* a light line under a main one     */
} xy_series;

typedef struct xy_mark {
    double x, y;
    const char *label;
    int ok;                         /* 1 met (green), 0 missed (red)     */
} xy_mark;

typedef struct xy_chart {
    const char *id;                 /* unique in the page: [a-z0-9-]     */
    const char *title;
    const char *ylabel;             /* with its unit                     */
    const xy_series *s;
    int ns;
    const xy_mark *marks;
    int nmarks;
    const char *mark_name;          /* legend of the marks               */
    double xmin, xmax;              /* day numbers (days since 1970-01-01) */
    int height;
} xy_chart;

void svg_xy(FILE *f, const xy_chart *c);

/* ---- box-and-arrow diagram ------------------------------------------- */

typedef struct dg_node {
    const char *label, *sub;        /* name; a second line (or NULL)     */
    const char *tip;
    int group;                      /* -1 none                           */
    double fill;                    /* 0..1 on the colour scale          */
    int mark;                       /* outlined as the bottleneck        */
    int entry, exit;                /* raw material in / parts out       */
} dg_node;

typedef struct dg_edge {
    int from, to;
    const char *label, *tip;
    int dashed;
} dg_edge;

typedef struct dg_graph {
    const char *title;
    const dg_node *nodes;
    int n;
    const dg_edge *edges;
    int ne;
    const char *const *groups;
    int ngroups;
    const char *fill_name;          /* legend of the colour scale        */
    const char *mark_name;
    const char *dashed_name;
} dg_graph;

/* svg_diagram.c: lays the boxes out left to right by longest path from
 * the entries, wrapping into bands when the plant is long.  Returns 0, -1
 * out of memory (nothing written). */
int svg_diagram(FILE *f, const dg_graph *g);

/* Colour of a share 0..1 on the diagram's scale, as "#rrggbb". */
void svg_scale_color(char buf[8], double share);

#endif
