/*
 * fit_param.c — the free settings of a fit: "PATH=LO..HI" read into a
 * kind and a range, and a value written back the way the plant file
 * writes it, so the loader checks a candidate exactly like a value typed
 * into the file.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fit.h"
#include "../core/date.h"

const char *const fit_series_name[FIT_NSERIES] = { "produced", "delivered" };

static const char *const units[] = { "s", "min", "h", "d", "w" };
enum { NUNITS = sizeof units / sizeof units[0] };

/* A number with an optional duration unit; *whole when written as a
 * plain integer (no point, no exponent, no unit).  0 or -1. */
static int read_number(const char *s, double *v, char *unit, int *whole)
{
    char *end;
    if (!*s || strchr(" \t", *s)) return -1;
    *v = strtod(s, &end);
    if (end == s || !isfinite(*v)) return -1;
    *whole = strcspn(s, ".eE") >= (size_t)(end - s) && strspn(s, "+-0123456789") == (size_t)(end - s);
    unit[0] = '\0';
    if (!*end) return 0;
    for (int i = 0; i < NUNITS; i++)
        if (!strcmp(end, units[i])) {
            strcpy(unit, units[i]);
            *whole = 0;
            return 0;
        }
    return -1;
}

int fit_param_parse(const char *arg, fit_param *fp, char *err, int errlen)
{
    memset(fp, 0, sizeof *fp);
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        snprintf(err, (size_t)errlen, "expected PATH=LO..HI (e.g. ramp.1.factor=1.0..2.0), got '%s'", arg);
        return -1;
    }
    if (eq - arg > 400) {
        snprintf(err, (size_t)errlen, "the path is too long (at most 400 characters)");
        return -1;
    }
    const char *range = eq + 1, *dots = strstr(range, "..");
    if (!dots) {
        snprintf(err, (size_t)errlen, "'%s': the range must be LO..HI (e.g. 1.0..2.0, 1..6, "
                 "2024-05-01..2024-07-31, 60s..90s)", arg);
        return -1;
    }
    char lo[64], hi[64];
    size_t nlo = (size_t)(dots - range), nhi = strlen(dots + 2);
    if (nlo == 0 || nhi == 0 || nlo >= sizeof lo || nhi >= sizeof hi) {
        snprintf(err, (size_t)errlen, "'%s': the range must be LO..HI with both ends given", arg);
        return -1;
    }
    memcpy(lo, range, nlo); lo[nlo] = '\0';
    memcpy(hi, dots + 2, nhi + 1);
    int64_t dlo, dhi;
    int dated = date_parse(lo, &dlo) == 0, dated_hi = date_parse(hi, &dhi) == 0;
    if (dated != dated_hi) {
        snprintf(err, (size_t)errlen, "'%s': both ends must be dates (YYYY-MM-DD) or both numbers", arg);
        return -1;
    }
    if (dated) {
        fp->kind = FIT_DATE;
        fp->lo = (double)dlo;
        fp->hi = (double)dhi;
    } else {
        char ulo[8], uhi[8];
        int wlo, whi;
        if (read_number(lo, &fp->lo, ulo, &wlo) < 0 || read_number(hi, &fp->hi, uhi, &whi) < 0) {
            snprintf(err, (size_t)errlen, "'%s': '%s' is not a number (a unit may follow: s, min, h, d, w) "
                     "or a date YYYY-MM-DD", arg, read_number(lo, &fp->lo, ulo, &wlo) < 0 ? lo : hi);
            return -1;
        }
        if (strcmp(ulo, uhi)) {
            snprintf(err, (size_t)errlen, "'%s': both ends need the same unit ('%s' and '%s')", arg, ulo, uhi);
            return -1;
        }
        strcpy(fp->unit, ulo);
        fp->kind = wlo && whi ? FIT_WHOLE : FIT_REAL;
    }
    if (!(fp->lo < fp->hi)) {
        snprintf(err, (size_t)errlen, "'%s': LO must be less than HI", arg);
        return -1;
    }
    if (fp->kind != FIT_DATE && fmax(fabs(fp->lo), fabs(fp->hi)) > 1e15) {
        snprintf(err, (size_t)errlen, "'%s': the range is too large", arg);
        return -1;
    }
    if (!(fp->path = strndup(arg, (size_t)(eq - arg)))) {
        snprintf(err, (size_t)errlen, "out of memory");
        return -1;
    }
    return 0;
}

void fit_param_free(fit_param *fp)
{
    free(fp->path);
    fp->path = NULL;
}

double fit_param_snap(const fit_param *fp, double v)
{
    if (isnan(v)) v = fp->lo;
    if (fp->kind != FIT_REAL) v = floor(v + 0.5);
    return v < fp->lo ? fp->lo : v > fp->hi ? fp->hi : v;
}

void fit_param_format(const fit_param *fp, double v, char *buf, int len)
{
    v = fit_param_snap(fp, v);
    if (fp->kind == FIT_DATE) {
        char d[16];
        date_format((int64_t)v, d);
        snprintf(buf, (size_t)len, "%s", d);
    } else if (fp->kind == FIT_WHOLE) {
        snprintf(buf, (size_t)len, "%.0f", v);
    } else {
        /* enough digits to tell apart steps of 1/512 of the range */
        snprintf(buf, (size_t)len, "%.6g%s", v, fp->unit);
    }
}
