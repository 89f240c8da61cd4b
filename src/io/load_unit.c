/*
 * load_unit.c — the unit of output: `unit: car` names what the plant
 * makes, so that reports say "cars/h" and "12,345 cars"; `units: ...`
 * gives the plural where the English rule below gets it wrong
 * ("chassis").  Without them a plant makes parts.
 *
 * A unit is a short word or two (letters, digits, spaces, '-' and '_'),
 * because reports put it after numbers, in table heads and in HTML: no
 * markup, no '/', nothing a CSV or a terminal column would trip over.
 */
#include <stdio.h>
#include <string.h>
#include "load_internal.h"

/* Empty when the node is a good unit, else what is wrong with it. */
static const char *unit_problem(const ynode *v)
{
    if (v->kind != YNODE_SCALAR || ynode_is_null(v)) return "expected a word, e.g. car";
    if (v->len == 0) return "it must not be empty";
    if (v->len > PLANT_UNIT_MAX) return "at most " PLANT_UNIT_MAX_TEXT " bytes";
    const unsigned char *t = (const unsigned char *)v->text;
    /* bytes of 0x80 and more are letters of other scripts (the YAML
     * reader has checked that they are UTF-8) */
    if (!(t[0] >= 0x80 || ((t[0] | 0x20) >= 'a' && (t[0] | 0x20) <= 'z')))
        return "it must begin with a letter";
    for (size_t i = 0; i < v->len; i++) {
        unsigned char c = t[i];
        int ok = c >= 0x80 || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
                 (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '_';
        if (!ok) return "it may hold only letters, digits, spaces, '-' and '_'";
    }
    if (t[v->len - 1] == ' ') return "it must not end with a space";
    return "";
}

static int read_one(loader *L, const char *key, const ynode *v, char *out)
{
    char shown[80];
    const char *why = unit_problem(v);
    if (*why) {
        diags_add(L->w.d, v->line, v->col, "'%s' must name one unit of output, e.g. %s: car "
                  "(%s), got %s", key, key, why,
                  ynode_describe(v, shown, sizeof shown));
        return -1;
    }
    memcpy(out, v->text, v->len + 1);
    return 0;
}

static int ends_with(const char *s, size_t n, const char *end)
{
    size_t k = strlen(end);
    return n >= k && strcmp(s + n - k, end) == 0;
}

/* The English plural of the last word: box -> boxes, body -> bodies,
 * car -> cars.  Irregular ones are given with `units:`. */
static void plural(const char *one, char *out, size_t len)
{
    size_t n = strlen(one);
    char last = n ? one[n - 1] : 0, before = n > 1 ? one[n - 2] : 0;
    int vowel = before && strchr("aeiouAEIOU", before) != NULL;
    if (ends_with(one, n, "s") || ends_with(one, n, "x") || ends_with(one, n, "z") ||
        ends_with(one, n, "ch") || ends_with(one, n, "sh"))
        snprintf(out, len, "%ses", one);
    else if ((last == 'y' || last == 'Y') && before && !vowel)
        snprintf(out, len, "%.*sies", (int)(n - 1), one);
    else
        snprintf(out, len, "%ss", one);
}

void resolve_unit(loader *L)
{
    takt_plant *p = L->p;
    const ynode *one = L->top->unit, *many = L->top->units;
    if (many && !one) {
        diags_add(L->w.d, many->line, many->col, "'units' (the plural) needs 'unit' (the "
                  "singular) beside it, e.g. unit: chassis and units: chassis");
        return;
    }
    if (!one || read_one(L, "unit", one, p->unit)) return;
    if (many) {
        if (read_one(L, "units", many, p->units)) return;
    } else {
        char buf[PLANT_UNIT_MAX + 8];
        plural(p->unit, buf, sizeof buf);
        if (strlen(buf) > PLANT_UNIT_MAX) {
            diags_add(L->w.d, one->line, one->col, "the plural of '%s' ('%s') is longer than "
                      "%d bytes: give a shorter 'unit', or the plural with 'units'", p->unit,
                      buf, PLANT_UNIT_MAX);
            return;
        }
        memcpy(p->units, buf, strlen(buf) + 1);
    }
    snprintf(p->rate_unit, sizeof p->rate_unit, "%s/h", p->units);
}
