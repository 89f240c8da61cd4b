/*
 * jsonw.h — a small streaming JSON writer: nesting and commas are tracked
 * so reporters just say what to write.  Numbers are written in the shortest
 * form that reads back to the same double (NaN and infinities as null), so
 * equal results give byte-identical files.
 */
#ifndef TAKT_JSONW_H
#define TAKT_JSONW_H

#include <stdio.h>

typedef struct jsonw {
    FILE *f;
    int depth;
    int first[64];                  /* no member written yet at depth   */
    char close[64];                 /* '}' or ']' at depth              */
    int pretty;
} jsonw;

void jw_init(jsonw *w, FILE *f, int pretty);
void jw_obj(jsonw *w, const char *key);      /* key NULL inside arrays  */
void jw_arr(jsonw *w, const char *key);
void jw_end(jsonw *w);                       /* closes obj or arr       */
void jw_str(jsonw *w, const char *key, const char *v);
void jw_num(jsonw *w, const char *key, double v);
void jw_int(jsonw *w, const char *key, long long v);
void jw_uint(jsonw *w, const char *key, unsigned long long v);
void jw_bool(jsonw *w, const char *key, int v);
void jw_null(jsonw *w, const char *key);
/* {"mean": m, "ci95": h} */
void jw_kpi(jsonw *w, const char *key, double mean, double ci95);
/* Format a double the way jw_num does (shortest round trip). */
void jw_fmt_double(char *buf, int len, double v);

#endif
