/*
 * jsonw.c — see jsonw.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "jsonw.h"

void jw_init(jsonw *w, FILE *f, int pretty)
{
    memset(w, 0, sizeof *w);
    w->f = f;
    w->pretty = pretty;
    w->first[0] = 1;
}

static void indent(jsonw *w)
{
    if (!w->pretty) return;
    fputc('\n', w->f);
    for (int i = 0; i < w->depth; i++) fputs("  ", w->f);
}

static void put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\t': fputs("\\t", f); break;
        case '\r': fputs("\\r", f); break;
        default:
            if (*p < 0x20) fprintf(f, "\\u%04x", *p);
            else fputc(*p, f);
        }
    }
    fputc('"', f);
}

static void member(jsonw *w, const char *key)
{
    if (!w->first[w->depth]) fputc(',', w->f);
    w->first[w->depth] = 0;
    if (w->depth > 0) indent(w);
    if (key) {
        put_string(w->f, key);
        fputs(w->pretty ? ": " : ":", w->f);
    }
}

static void begin(jsonw *w, const char *key, char c)
{
    member(w, key);
    fputc(c, w->f);
    if (w->depth < 63) w->depth++;
    w->first[w->depth] = 1;
    w->close[w->depth] = c == '{' ? '}' : ']';
}

void jw_obj(jsonw *w, const char *key) { begin(w, key, '{'); }
void jw_arr(jsonw *w, const char *key) { begin(w, key, '['); }

void jw_end(jsonw *w)
{
    int empty = w->first[w->depth];
    char c = w->close[w->depth];
    w->depth--;
    if (!empty) indent(w);
    fputc(c, w->f);
    if (w->depth == 0 && w->pretty) fputc('\n', w->f);
}

void jw_str(jsonw *w, const char *key, const char *v)
{
    member(w, key);
    if (v) put_string(w->f, v); else fputs("null", w->f);
}

void jw_fmt_double(char *buf, int len, double v)
{
    if (!isfinite(v)) { snprintf(buf, (size_t)len, "null"); return; }
    if (v == 0) { snprintf(buf, (size_t)len, "0"); return; }
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, (size_t)len, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) return;
    }
}

void jw_num(jsonw *w, const char *key, double v)
{
    char buf[40];
    member(w, key);
    jw_fmt_double(buf, sizeof buf, v);
    fputs(buf, w->f);
}

void jw_int(jsonw *w, const char *key, long long v)
{
    member(w, key);
    fprintf(w->f, "%lld", v);
}

void jw_uint(jsonw *w, const char *key, unsigned long long v)
{
    member(w, key);
    fprintf(w->f, "%llu", v);
}

void jw_bool(jsonw *w, const char *key, int v)
{
    member(w, key);
    fputs(v ? "true" : "false", w->f);
}

void jw_null(jsonw *w, const char *key)
{
    member(w, key);
    fputs("null", w->f);
}

void jw_kpi(jsonw *w, const char *key, double mean, double ci95)
{
    jw_obj(w, key);
    jw_num(w, "mean", mean);
    jw_num(w, "ci95", ci95);
    jw_end(w);
}
