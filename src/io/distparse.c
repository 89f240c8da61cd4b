/*
 * distparse.c — durations ("90s", "1.5 h") and distributions
 * ("exp(1h)", "tri(50min, 1h, 70min)") as written in plant files.
 *
 * A hand-written scanner instead of sscanf or strtod alone: strtod accepts
 * hex, "inf" and leading blanks, and sscanf cannot tell "5 mins" from "5
 * min".  Scanning the number ourselves lets every message say exactly what
 * was wrong, and the kernel's dist_prepare() stays the single judge of
 * which parameter values are valid.
 *
 * Everything works on spans (pointer + length) so parameters inside a
 * distribution are parsed in place, without copies.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "distparse.h"
#include "yaml_doc.h"
#include "suggest.h"

typedef struct span {
    const char *s;
    size_t n;
} span;

static const char *const unit_names[] = { "s", "min", "h", "d", "w" };
static const double unit_seconds[] = { 1.0, 60.0, 3600.0, 86400.0, 604800.0 };
#define NUNITS 5

/* Spellings people write, and the unit they mean. */
static const char *const unit_aliases[][2] = {
    { "sec", "s" }, { "secs", "s" }, { "second", "s" }, { "seconds", "s" },
    { "mins", "min" }, { "minute", "min" }, { "minutes", "min" },
    { "hr", "h" }, { "hrs", "h" }, { "hour", "h" }, { "hours", "h" },
    { "day", "d" }, { "days", "d" },
    { "wk", "w" }, { "wks", "w" }, { "week", "w" }, { "weeks", "w" },
};

static span trim(span t)
{
    while (t.n > 0 && isspace((unsigned char)t.s[0])) {
        t.s++;
        t.n--;
    }
    while (t.n > 0 && isspace((unsigned char)t.s[t.n - 1]))
        t.n--;
    return t;
}

/* The span as text for a message, clipped to a readable length. */
static const char *show(span t, char *buf, size_t len)
{
    char tmp[128];
    size_t n = t.n < sizeof tmp - 1 ? t.n : sizeof tmp - 1;
    memcpy(tmp, t.s, n);
    tmp[n] = '\0';
    return text_clip(tmp, buf, len, 60);
}

static int fail(char *err, int errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, int errlen, const char *fmt, ...)
{
    if (err && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, (size_t)errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int span_is_ci(span t, const char *word)
{
    return strlen(word) == t.n && strncasecmp(t.s, word, t.n) == 0;
}

/* "inf", ".inf", "nan", ... with an optional sign: numbers strtod or YAML
 * would accept that can never be a duration. */
static int is_special_number(span t)
{
    if (t.n > 0 && (t.s[0] == '+' || t.s[0] == '-')) {
        t.s++;
        t.n--;
    }
    static const char *const words[] = { "inf", ".inf", "infinity", "nan", ".nan" };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (span_is_ci(t, words[i]))
            return 1;
    return 0;
}

/* Length of the decimal number at the start of t (sign, digits, point,
 * exponent), or 0 if t does not start with one. */
static size_t scan_number(span t)
{
    size_t i = 0, digits = 0;
    if (i < t.n && (t.s[i] == '+' || t.s[i] == '-'))
        i++;
    for (; i < t.n && isdigit((unsigned char)t.s[i]); i++)
        digits++;
    if (i < t.n && t.s[i] == '.') {
        i++;
        for (; i < t.n && isdigit((unsigned char)t.s[i]); i++)
            digits++;
    }
    if (digits == 0)
        return 0;
    if (i < t.n && (t.s[i] == 'e' || t.s[i] == 'E')) {
        size_t j = i + 1;
        if (j < t.n && (t.s[j] == '+' || t.s[j] == '-'))
            j++;
        if (j < t.n && isdigit((unsigned char)t.s[j])) {
            while (j < t.n && isdigit((unsigned char)t.s[j]))
                j++;
            i = j;
        }
    }
    return i;
}

static double span_strtod(span t)
{
    char buf[128];
    size_t n = t.n < sizeof buf - 1 ? t.n : sizeof buf - 1;
    memcpy(buf, t.s, n);
    buf[n] = '\0';
    return strtod(buf, NULL);
}

static int unit_error(span whole, span unit, char *err, int errlen)
{
    char w[80], u[80];
    show(whole, w, sizeof w);
    show(unit, u, sizeof u);
    if (unit.n == 1 && (unit.s[0] == 'm' || unit.s[0] == 'M'))
        return fail(err, errlen, "unit 'm' in '%s' is ambiguous: write min for minutes", w);
    const char *guess = NULL;
    for (int i = 0; i < NUNITS && !guess; i++)
        if (span_is_ci(unit, unit_names[i]))
            guess = unit_names[i];
    for (size_t i = 0; i < sizeof unit_aliases / sizeof *unit_aliases && !guess; i++)
        if (span_is_ci(unit, unit_aliases[i][0]))
            guess = unit_aliases[i][1];
    if (guess)
        return fail(err, errlen, "unknown unit '%s' in '%s' (expected s, min, h, d or w; "
                    "did you mean '%s'?)", u, w, guess);
    return fail(err, errlen, "unknown unit '%s' in '%s' (expected s, min, h, d or w)", u, w);
}

/* Parse "number [unit]".  want_unit = 0 for plain numbers (erlang k,
 * shapes): then a unit is an error and negatives are left to the caller. */
static int number_span(span t, int want_unit, double *out, char *err, int errlen)
{
    char w[80];
    t = trim(t);
    if (t.n == 0)
        return fail(err, errlen, want_unit ? "empty duration (expected a number with an "
                    "optional unit s, min, h, d or w)" : "empty value (expected a number)");
    if (is_special_number(t))
        return fail(err, errlen, "'%s' is not a finite number", show(t, w, sizeof w));
    size_t len = scan_number(t);
    if (len == 0)
        return fail(err, errlen, want_unit
                    ? "'%s' is not a duration (expected a number with an optional unit "
                      "s, min, h, d or w, e.g. 90s or 1.5h)"
                    : "'%s' is not a number", show(t, w, sizeof w));
    double value = span_strtod((span){ t.s, len });
    span rest = trim((span){ t.s + len, t.n - len });
    size_t ulen = 0;
    while (ulen < rest.n && isalpha((unsigned char)rest.s[ulen]))
        ulen++;
    if (ulen < rest.n)
        return fail(err, errlen, want_unit
                    ? "'%s' is not a duration (expected a number with an optional unit "
                      "s, min, h, d or w, e.g. 90s or 1.5h)"
                    : "'%s' is not a number", show(t, w, sizeof w));
    double factor = 1.0;
    if (ulen > 0) {
        if (!want_unit)
            return fail(err, errlen, "expected a plain number without a unit, got '%s'",
                        show(t, w, sizeof w));
        int u = -1;
        for (int i = 0; i < NUNITS; i++)
            if (strlen(unit_names[i]) == ulen && memcmp(rest.s, unit_names[i], ulen) == 0)
                u = i;
        if (u < 0)
            return unit_error(t, (span){ rest.s, ulen }, err, errlen);
        factor = unit_seconds[u];
    }
    if (want_unit && value < 0)
        return fail(err, errlen, "a duration cannot be negative, got '%s'", show(t, w, sizeof w));
    value *= factor;
    if (!isfinite(value))
        return fail(err, errlen, "'%s' is too large", show(t, w, sizeof w));
    if (want_unit && value > 0 && value < TIME_RESOLUTION_S)
        return fail(err, errlen, "'%s' is below the resolution of simulated time: a duration "
                    "is 0 or at least 1 microsecond (1e-6 s)", show(t, w, sizeof w));
    *out = value == 0 ? 0.0 : value;     /* no -0 */
    return 0;
}

int parse_duration(const char *text, double *seconds, char *err, int errlen)
{
    return number_span((span){ text, strlen(text) }, 1, seconds, err, errlen);
}

/* ---- distributions ---------------------------------------------------- */

typedef struct dist_form {
    const char *name;
    dist_kind kind;
    int nparams;                /* -1: one or more (empirical)          */
    const char *params;         /* for messages                         */
    const char *plain;          /* which parameters are plain numbers   */
} dist_form;

static const dist_form forms[] = {
    { "const",     DIST_CONST,     1,  "value",            "" },
    { "exp",       DIST_EXP,       1,  "mean",             "" },
    { "uniform",   DIST_UNIFORM,   2,  "a, b",             "" },
    { "tri",       DIST_TRI,       3,  "min, mode, max",   "" },
    { "normal",    DIST_NORMAL,    2,  "mean, sd",         "" },
    { "lognormal", DIST_LOGNORMAL, 2,  "mean, sd",         "" },
    { "erlang",    DIST_ERLANG,    2,  "k, mean",          "k" },
    { "gamma",     DIST_GAMMA,     2,  "shape, scale",     "shape" },
    { "weibull",   DIST_WEIBULL,   2,  "shape, scale",     "shape" },
    { "empirical", DIST_EMPIRICAL, -1, "x1, x2, ...",      "" },
};
#define NFORMS ((int)(sizeof forms / sizeof *forms))

static const dist_form *find_form(span name)
{
    for (int i = 0; i < NFORMS; i++)
        if (strlen(forms[i].name) == name.n && memcmp(forms[i].name, name.s, name.n) == 0)
            return &forms[i];
    return NULL;
}

static int unknown_form(span name, char *err, int errlen)
{
    const char *names[NFORMS];
    for (int i = 0; i < NFORMS; i++)
        names[i] = forms[i].name;
    char w[80];
    show(name, w, sizeof w);
    const char *guess = text_suggest(w, names, NFORMS);
    char hint[64] = "";
    if (guess)
        snprintf(hint, sizeof hint, "; did you mean '%s'?", guess);
    return fail(err, errlen, "unknown distribution '%s' (expected const, exp, uniform, tri, "
                "normal, lognormal, erlang, gamma, weibull or empirical%s)", w, hint);
}

/* The i-th name in a comma-separated parameter list, into buf. */
static const char *param_name(const dist_form *f, int i, char *buf, size_t len)
{
    if (f->nparams < 0) {
        snprintf(buf, len, "value %d", i + 1);
        return buf;
    }
    const char *p = f->params;
    for (int k = 0; k < i && p; k++) {
        p = strchr(p, ',');
        if (p)
            p += 2;
    }
    size_t n = p ? strcspn(p, ",") : 0;
    snprintf(buf, len, "%.*s", (int)n, p ? p : "");
    return buf;
}

static int is_plain_param(const dist_form *f, const char *pname)
{
    return f->plain[0] && strcmp(f->plain, pname) == 0;
}

static int count_params(span inner)
{
    if (trim(inner).n == 0)
        return 0;
    int n = 1;
    for (size_t i = 0; i < inner.n; i++)
        n += inner.s[i] == ',';
    return n;
}

static int arity_error(const dist_form *f, int got, char *err, int errlen)
{
    if (f->nparams < 0)
        return fail(err, errlen, "%s() takes at least 1 value (%s), got 0", f->name, f->params);
    return fail(err, errlen, "%s() takes %d parameter%s (%s), got %d", f->name, f->nparams,
                f->nparams == 1 ? "" : "s", f->params, got);
}

/* Parse each parameter into d; values for empirical are allocated here. */
static int parse_params(const dist_form *f, span inner, int np, dist *d, char *err, int errlen)
{
    if (f->nparams < 0) {
        d->values = malloc((size_t)np * sizeof *d->values);
        if (!d->values)
            return fail(err, errlen, "out of memory");
        d->nvalues = np;
    }
    const char *p = inner.s, *end = inner.s + inner.n;
    for (int i = 0; i < np; i++) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        span arg = trim((span){ p, (size_t)((comma ? comma : end) - p) });
        p = comma ? comma + 1 : end;
        char pname[32], msg[200];
        param_name(f, i, pname, sizeof pname);
        int plain = is_plain_param(f, pname);
        double v;
        if (arg.n == 0)
            return fail(err, errlen, "%s() %s is empty", f->name, pname);
        if (number_span(arg, !plain, &v, msg, sizeof msg))
            return fail(err, errlen, "%s() %s: %s", f->name, pname, msg);
        if (f->nparams < 0)
            d->values[i] = v;
        else
            d->p[i] = v;
    }
    return 0;
}

/* Text with no parentheses: a duration (a constant), or a mistake. */
static int parse_bare(span t, dist *d, char *err, int errlen)
{
    char w[80];
    if (t.n > 0 && isalpha((unsigned char)t.s[0]) && !is_special_number(t)) {
        const dist_form *f = find_form(t);
        if (f)
            return fail(err, errlen, "'%s' needs its parameters in parentheses, e.g. %s(%s)",
                        f->name, f->name, f->params);
        if (!memchr(t.s, ')', t.n)) {
            const char *names[NFORMS];
            for (int i = 0; i < NFORMS; i++)
                names[i] = forms[i].name;
            show(t, w, sizeof w);
            const char *guess = text_suggest(w, names, NFORMS);
            char hint[64] = "";
            if (guess)
                snprintf(hint, sizeof hint, "; did you mean '%s(...)'?", guess);
            return fail(err, errlen, "'%s' is not a duration or a distribution (expected e.g. "
                        "90s, exp(1h) or tri(50min, 1h, 70min)%s)", w, hint);
        }
    }
    if (memchr(t.s, ')', t.n))
        return fail(err, errlen, "unbalanced ')' in '%s'", show(t, w, sizeof w));
    d->kind = DIST_CONST;
    return number_span(t, 1, &d->p[0], err, errlen);
}

/* Split "name ( inner ) " and check the parentheses. */
static int split_call(span t, span *name, span *inner, char *err, int errlen)
{
    char w[80];
    const char *lp = memchr(t.s, '(', t.n);
    *name = trim((span){ t.s, (size_t)(lp - t.s) });
    const char *end = t.s + t.n, *rp = NULL;
    for (const char *c = lp + 1; c < end && !rp; c++) {
        if (*c == '(')
            return fail(err, errlen, "unexpected '(' inside '%s': parameters are plain "
                        "numbers or durations", show(t, w, sizeof w));
        if (*c == ')')
            rp = c;
    }
    if (!rp)
        return fail(err, errlen, "unbalanced '(' in '%s' (a ')' is missing)", show(t, w, sizeof w));
    if (rp + 1 != end) {
        if (memchr(rp + 1, ')', (size_t)(end - rp - 1)))
            return fail(err, errlen, "unbalanced ')' in '%s'", show(t, w, sizeof w));
        return fail(err, errlen, "unexpected text after ')' in '%s'", show(t, w, sizeof w));
    }
    *inner = (span){ lp + 1, (size_t)(rp - lp - 1) };
    for (size_t i = 0; i < name->n; i++)
        if (!isalnum((unsigned char)name->s[i]) && name->s[i] != '_')
            return fail(err, errlen, "'%s' is not a distribution name (expected e.g. exp(1h))",
                        show(*name, w, sizeof w));
    if (name->n == 0)
        return fail(err, errlen, "'%s' has no distribution name before '(' (expected e.g. "
                    "exp(1h))", show(t, w, sizeof w));
    return 0;
}

int parse_dist(const char *text, dist *d, char *err, int errlen)
{
    memset(d, 0, sizeof *d);
    span t = trim((span){ text, strlen(text) });
    if (t.n == 0)
        return fail(err, errlen, "empty value (expected a duration or a distribution such as exp(1h))");
    if (!memchr(t.s, '(', t.n)) {
        if (parse_bare(t, d, err, errlen))
            return -1;
    } else {
        span name = { 0 }, inner = { 0 };
        if (split_call(t, &name, &inner, err, errlen))
            return -1;
        const dist_form *f = find_form(name);
        if (!f)
            return unknown_form(name, err, errlen);
        int np = count_params(inner);
        if (f->nparams >= 0 ? np != f->nparams : np < 1)
            return arity_error(f, np, err, errlen);
        d->kind = f->kind;
        if (parse_params(f, inner, np, d, err, errlen))
            goto fail_free;
    }
    if (dist_prepare(d, err, errlen))
        goto fail_free;
    return 0;
fail_free:
    free(d->values);
    d->values = NULL;
    d->nvalues = 0;
    return -1;
}
