/*
 * fmt.c — numbers written as text (see fmt.h).  Every report, the sweep's
 * tables and the run store's listings format through here, so a duration
 * or a CSV number reads the same wherever it appears.
 */
#include <ctype.h>
#include <math.h>
#include <string.h>
#include "fmt.h"
#include "jsonw.h"

fmt_unit fmt_time_unit(double seconds)
{
    double a = fabs(seconds);
    if (a < 120) return (fmt_unit){ "s", 1 };
    if (a < 2 * 3600) return (fmt_unit){ "min", 60 };
    if (a < 2 * 86400) return (fmt_unit){ "h", 3600 };
    return (fmt_unit){ "d", 86400 };
}

void fmt_duration(char *buf, int len, double s)
{
    fmt_unit u = fmt_time_unit(s);
    /* seconds and minutes to 3 digits, hours and days to 4 */
    snprintf(buf, (size_t)len, u.scale < 3600 ? "%.3g %s" : "%.4g %s", s / u.scale, u.name);
}

/* Insert sep between groups of three digits of the whole part of a
 * formatted number. */
static void group_by(char *buf, size_t len, const char *sep)
{
    char *p = buf + (buf[0] == '-');
    size_t digits = strspn(p, "0123456789"), w = strlen(sep);
    if (digits < 4) return;
    size_t seps = (digits - 1) / 3, extra = seps * w;
    size_t total = strlen(buf);
    if (total + extra + 1 > len) return;
    memmove(p + digits + extra, p + digits, strlen(p + digits) + 1);
    char *dst = p + digits + extra;
    for (size_t i = 0; i < digits; i++) {
        *--dst = p[digits - 1 - i];
        if (i % 3 == 2 && i + 1 < digits) { dst -= w; memcpy(dst, sep, w); }
    }
}

static void group(char *buf, size_t len) { group_by(buf, len, NNBSP); }

void fmt_fixed(char *buf, size_t len, double v, int sig)
{
    if (!isfinite(v)) { snprintf(buf, len, "-"); return; }
    double a = fabs(v);
    int mag = a > 0 ? (int)floor(log10(a)) : 0;
    int dec = sig - 1 - mag;
    if (dec < 0) dec = 0;
    if (dec > 9) dec = 9;
    snprintf(buf, len, "%.*f", dec, v);
    /* no "-0.00": a value that rounds to zero is zero */
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
    group_by(buf, len, ",");
}

void fmt_count(char *buf, size_t len, double v)
{
    fmt_fixed(buf, len, isfinite(v) ? nearbyint(v) : v, 1);
}

void fmt_num(char *buf, size_t len, double v, int sig)
{
    if (!isfinite(v)) { snprintf(buf, len, "\xe2\x80\x93"); return; }
    double a = fabs(v);
    int mag = a > 0 ? (int)floor(log10(a)) : 0;
    int dec = sig - 1 - mag;
    if (dec < 0) dec = 0;
    if (dec > 6) dec = 6;
    snprintf(buf, len, "%.*f", dec, v);
    if (strchr(buf, '.')) {
        char *e = buf + strlen(buf) - 1;
        while (*e == '0') *e-- = 0;
        if (*e == '.') *e = 0;
    }
    if (!strcmp(buf, "-0")) strcpy(buf, "0");
    group(buf, len);
}

void fmt_int(char *buf, size_t len, double v)
{
    if (!isfinite(v)) { snprintf(buf, len, "\xe2\x80\x93"); return; }
    snprintf(buf, len, "%.0f", v);
    if (!strcmp(buf, "-0")) strcpy(buf, "0");
    group(buf, len);
}

void fmt_pct(char *buf, size_t len, double share)
{
    double p = 100 * share;
    if (!isfinite(p)) snprintf(buf, len, "\xe2\x80\x93");
    else if (p == 0) snprintf(buf, len, "0" NNBSP "%%");
    else if (fabs(p) < 0.1) snprintf(buf, len, "<0.1" NNBSP "%%");
    else if (fabs(p) < 9.95 && fabs(p - round(p)) >= 0.05) snprintf(buf, len, "%.1f" NNBSP "%%", p);
    else snprintf(buf, len, "%.0f" NNBSP "%%", p);
}

/* RFC 4180: a field holding a comma, a quote or a line break is quoted,
 * and quotes inside it are doubled. */
void fmt_csv_text(FILE *f, const char *s)
{
    if (!s) s = "";
    if (!strpbrk(s, ",\"\r\n")) { fputs(s, f); return; }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void fmt_csv_num(FILE *f, double v)
{
    char buf[40];
    fputc(',', f);
    if (!isfinite(v)) return;
    jw_fmt_double(buf, sizeof buf, v);
    fputs(buf, f);
}

void fmt_capital(char *buf, size_t len, const char *s)
{
    snprintf(buf, len, "%s", s);
    if (len > 0) buf[0] = (char)toupper((unsigned char)buf[0]);
}
