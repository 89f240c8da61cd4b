/*
 * load_walk.c — the generic part of the plant loader: walking YAML
 * mappings against tables of known keys, and reading single values
 * (names and references are in load_names.c).
 *
 * Why tables: a plant file has a dozen kinds of mappings with the same
 * rules (known keys only, each once, some required, each value of one
 * type), so the rules live here once and a new key is one line in a
 * table.  Every reader reports at the node at fault and leaves its target
 * untouched on error, so the caller's defaults survive and loading goes
 * on to find the file's other problems.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "load_walk.h"
#include "distparse.h"
#include "../core/date.h"
#include "../model/plant.h"
#include "suggest.h"

#define MAX_CAPACITY 1000000000L
#define MAX_DURATION (1000.0 * 365.25 * 86400.0) /* 1000 years */

/* ---- single values ------------------------------------------------------ */

void type_error(walker *W, const ynode *v, const char *key, const char *expects)
{
    char buf[96];
    const char *got = ynode_describe(v, buf, sizeof buf);
    int quoted_number = 0;
    if (v->kind == YNODE_SCALAR && v->quoted) {
        ynode plain = *v;
        uint64_t x;
        plain.quoted = 0;
        quoted_number = ynode_whole(&plain, &x) >= 0;
    }
    diags_add(W->d, v->line, v->col, "'%s' expects %s, got %s%s", key, expects, got,
              quoted_number ? " in quotes (write numbers without quotes)" : "");
}

static int is_value(const ynode *v)
{
    return v->kind == YNODE_SCALAR && !ynode_is_null(v);
}

int read_text_value(walker *W, const char *key, const ynode *v, char **out)
{
    if (!is_value(v)) {
        type_error(W, v, key, "text");
        return -1;
    }
    if (v->len == 0) {
        diags_add(W->d, v->line, v->col, "'%s' must not be empty", key);
        return -1;
    }
    for (size_t i = 0; i < v->len; i++)
        if ((unsigned char)v->text[i] < 0x20 || v->text[i] == 0x7f) {
            diags_add(W->d, v->line, v->col, "'%s' must be one line of text, without "
                      "control characters", key);
            return -1;
        }
    if (!(*out = strdup(v->text))) {
        diags_add(W->d, v->line, v->col, "out of memory");
        return -1;
    }
    return 0;
}

int read_duration_value(walker *W, const char *key, const ynode *v, int positive, double *out)
{
    char err[256], shown[80];
    if (!is_value(v)) {
        type_error(W, v, key, "a duration (e.g. 90s, 2min, 1.5h)");
        return -1;
    }
    double x;
    if (parse_duration(v->text, &x, err, sizeof err)) {
        diags_add(W->d, v->line, v->col, "'%s': %s", key, err);
        return -1;
    }
    if (positive && x <= 0) {
        diags_add(W->d, v->line, v->col, "'%s' must be more than 0, got %s", key,
                  text_clip(v->text, shown, sizeof shown, 60));
        return -1;
    }
    if (x > MAX_DURATION) {
        diags_add(W->d, v->line, v->col, "'%s' must be at most 1000 years, got %s", key,
                  text_clip(v->text, shown, sizeof shown, 60));
        return -1;
    }
    *out = x;
    return 0;
}

int read_dist_value(walker *W, const char *key, const ynode *v, dist *out)
{
    char err[256];
    if (!is_value(v)) {
        type_error(W, v, key, "a distribution or a duration (e.g. exp(1h), 90s)");
        return -1;
    }
    dist d;
    if (parse_dist(v->text, &d, err, sizeof err)) {
        diags_add(W->d, v->line, v->col, "'%s': %s", key, err);
        return -1;
    }
    *out = d;
    return 0;
}

/* "more than 0 and less than 1", "from 0 to 1", "more than 0" */
static void describe_range(char *buf, size_t len, double lo, double hi, int open)
{
    const char *a = open & NUM_LO_OPEN ? "more than" : "at least";
    const char *b = open & NUM_HI_OPEN ? "less than" : "at most";
    if (isinf(hi))
        snprintf(buf, len, "%s %g", a, lo);
    else if (!(open & (NUM_LO_OPEN | NUM_HI_OPEN)))
        snprintf(buf, len, "from %g to %g", lo, hi);
    else
        snprintf(buf, len, "%s %g and %s %g", a, lo, b, hi);
}

int read_number_value(walker *W, const char *key, const ynode *v, double lo, double hi,
                      int open, double *out)
{
    char shown[80], range[96];
    char *end = NULL;
    double x = is_value(v) && !v->quoted ? strtod(v->text, &end) : NAN;
    if (!end || *end || end == v->text || strchr(v->text, 'x') || strchr(v->text, 'X')) {
        type_error(W, v, key, "a number");
        return -1;
    }
    int below = open & NUM_LO_OPEN ? !(x > lo) : !(x >= lo);
    int above = open & NUM_HI_OPEN ? !(x < hi) : !(x <= hi);
    if (!isfinite(x) || below || above) {
        describe_range(range, sizeof range, lo, hi, open);
        diags_add(W->d, v->line, v->col, "'%s' must be a number %s, got %s", key, range,
                  text_clip(v->text, shown, sizeof shown, 60));
        return -1;
    }
    *out = x;
    return 0;
}

int read_whole_value(walker *W, const char *key, const ynode *v, uint64_t min, uint64_t max,
                     uint64_t *out)
{
    char shown[80];
    uint64_t x;
    int r = ynode_whole(v, &x);
    if (r < 0) {
        type_error(W, v, key, "a whole number");
        return -1;
    }
    if (r == 0 || x < min || x > max) {
        diags_add(W->d, v->line, v->col, "%s must be a whole number from %llu to %llu, got %s",
                  key, (unsigned long long)min, (unsigned long long)max,
                  text_clip(v->text, shown, sizeof shown, 60));
        return -1;
    }
    *out = x;
    return 0;
}

/* Like read_whole_value, with "or inf" in the messages (capacities). */
static int read_ranged_inf(walker *W, const char *key, const ynode *v, uint64_t max, uint64_t *out)
{
    char shown[80];
    int r = ynode_whole(v, out);
    if (r < 0) {
        type_error(W, v, key, "a whole number or inf");
        return -1;
    }
    if (r == 0 || *out > max) {
        diags_add(W->d, v->line, v->col, "%s must be a whole number from 0 to %llu or inf, got %s",
                  key, (unsigned long long)max, text_clip(v->text, shown, sizeof shown, 60));
        return -1;
    }
    return 0;
}

static int read_bool(walker *W, const char *key, const ynode *v, int *out)
{
    static const char *const yes[] = { "true", "True", "TRUE" };
    static const char *const no[] = { "false", "False", "FALSE" };
    for (int i = 0; is_value(v) && !v->quoted && i < 3; i++) {
        if (strcmp(v->text, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcmp(v->text, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    type_error(W, v, key, "true or false");
    return -1;
}

int ynode_is_date(const ynode *v)
{
    int64_t day;
    return is_value(v) && date_parse(v->text, &day) == 0;
}

int read_day_value(walker *W, const char *key, const ynode *v, int64_t *day)
{
    if (!is_value(v) || date_parse(v->text, day) != 0) {
        type_error(W, v, key, "a date (YYYY-MM-DD, e.g. 2024-03-28)");
        return -1;
    }
    return 0;
}

int read_date_value(walker *W, const char *key, const ynode *v, int flags, double *out)
{
    if ((flags & DATE_OR_DURATION) && is_value(v) && !ynode_is_date(v)) {
        char err[256];
        double x;
        if (parse_duration(v->text, &x, err, sizeof err) == 0 && x <= MAX_DURATION) {
            *out = x;
            return 0;
        }
        type_error(W, v, key, "a date (YYYY-MM-DD) or a duration since the start (e.g. 3w)");
        return -1;
    }
    int64_t day;
    if (read_day_value(W, key, v, &day))
        return -1;
    if (W->start == 0) {
        diags_add(W->d, v->line, v->col, "'%s': dates need a start: date at the top level "
                  "(e.g. start: 2024-03-28), which is time 0", key);
        return -1;
    }
    if (W->start < 0)
        return -1;                  /* start: itself is wrong (reported) */
    if ((flags & DATE_NOT_BEFORE) && day < W->start_day) {
        char buf[16];
        date_format(W->start_day, buf);
        diags_add(W->d, v->line, v->col, "'%s' is before the start of the plant (%s)", key, buf);
        return -1;
    }
    *out = (double)(day - W->start_day + ((flags & DATE_END_OF_DAY) ? 1 : 0)) * 86400.0;
    return 0;
}

static int parse_clock(const char *s, int *minutes)
{
    size_t h = strspn(s, "0123456789");
    if (h < 1 || h > 2 || s[h] != ':' || strspn(s + h + 1, "0123456789") != 2 || s[h + 3])
        return -1;
    int hh = atoi(s), mm = atoi(s + h + 1);
    if (mm > 59 || hh > 24 || (hh == 24 && mm > 0))
        return -1;
    *minutes = hh * 60 + mm;
    return 0;
}

int read_clock_value(walker *W, const char *key, const ynode *v, int *minutes)
{
    if (!is_value(v) || parse_clock(v->text, minutes)) {
        type_error(W, v, key, "a time of day from 00:00 to 24:00 (e.g. 06:00)");
        return -1;
    }
    return 0;
}

static void read_choice(walker *W, const field *f, const ynode *v, int *out)
{
    char list[160] = "", buf[96];
    int n = 0;
    for (; f->choices[n]; n++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s",
                 n == 0 ? "" : f->choices[n + 1] ? ", " : " or ", f->choices[n]);
    }
    if (is_value(v))
        for (int i = 0; i < n; i++)
            if (strcmp(v->text, f->choices[i]) == 0) {
                *out = i;
                return;
            }
    const char *guess = v->kind == YNODE_SCALAR ? text_suggest(v->text, f->choices, n) : NULL;
    char hint[64] = "";
    if (guess)
        snprintf(hint, sizeof hint, " (did you mean '%s'?)", guess);
    diags_add(W->d, v->line, v->col, "'%s' must be %s, got %s%s", f->key, list,
              ynode_describe(v, buf, sizeof buf), hint);
}

static void read_field(walker *W, const field *f, const ynode *v, void *elem, const char *label)
{
    void *at = (char *)elem + f->at;
    uint64_t x;
    switch (f->type) {
    case F_TEXT:     read_text_value(W, f->key, v, at); break;
    case F_DURATION: read_duration_value(W, f->key, v, f->min > 0, at); break;
    case F_DIST:     read_dist_value(W, f->key, v, at); break;
    case F_CHOICE:   read_choice(W, f, v, at); break;
    case F_NUMBER:   read_number_value(W, f->key, v, f->lo, f->hi, f->open, at); break;
    case F_BOOL:     read_bool(W, f->key, v, at); break;
    case F_DATE:     read_date_value(W, f->key, v, (int)f->min, at); break;
    case F_CLOCK:    read_clock_value(W, f->key, v, at); break;
    case F_NODE:     *(const ynode **)at = v; break;
    case F_WHOLE:
        if (read_whole_value(W, f->key, v, (uint64_t)f->min, (uint64_t)f->max, &x) == 0)
            *(int *)at = (int)x;
        break;
    case F_SEED:
        if (read_whole_value(W, f->key, v, 0, UINT64_MAX, &x) == 0)
            *(uint64_t *)at = x;
        break;
    case F_CAPACITY:
        if (ynode_is_inf(v))
            *(long *)at = CAP_INF;
        else if (read_ranged_inf(W, f->key, v, MAX_CAPACITY, &x) == 0)
            *(long *)at = (long)x;
        break;
    case F_LIST:
        if (v->kind == YNODE_SEQ || ynode_is_null(v))
            f->each(W, v, at, label);
        else
            type_error(W, v, f->key, "a list");
        break;
    case F_CUSTOM:
        f->each(W, v, at, label);
        break;
    }
}

/* ---- mappings ----------------------------------------------------------- */

static int unclosed_paren(const char *s)
{
    int depth = 0;
    for (; *s; s++)
        depth += (*s == '(') - (*s == ')');
    return depth > 0;
}

/* In a flow mapping "{ttf: tri(1h, 2h, 3h)}" the commas split the value
 * into "tri(1h" and odd keys "2h", "3h)" with no values.  Returns how many
 * of those odd keys follow pair i, and rebuilds the intended text. */
static int split_value(const ynode *map, int i, char *whole, size_t len)
{
    snprintf(whole, len, "%s", map->pairs[i].value->text);
    int used = 0;
    for (int j = i + 1; j < map->n; j++) {
        const ynode *k = map->pairs[j].key;
        if (k->kind != YNODE_SCALAR || !ynode_is_null(map->pairs[j].value))
            break;
        size_t n = strlen(whole);
        snprintf(whole + n, len - n, ", %s", k->text);
        used++;
        if (strchr(k->text, ')'))
            break;
    }
    if (!strchr(whole, ')'))
        snprintf(whole, len, "tri(1h, 2h, 3h)");
    return used;
}

static void report_split_value(walker *W, const ynode *v, const char *whole)
{
    char clip[80], clip2[80];
    diags_add(W->d, v->line, v->col, "unbalanced '(' in '%s': inside a flow mapping {...} a "
              "comma separates entries, so quote the distribution (\"%s\") or write the "
              "mapping in block style", text_clip(v->text, clip, sizeof clip, 60),
              text_clip(whole, clip2, sizeof clip2, 60));
}

static int find_field(const section *sec, const char *key)
{
    for (int i = 0; i < sec->nfields; i++)
        if (strcmp(sec->fields[i].key, key) == 0)
            return i;
    return -1;
}

static void unknown_key(walker *W, const section *sec, const ynode *k, const char *label)
{
    const char *keys[MAX_FIELDS];
    for (int i = 0; i < sec->nfields; i++)
        keys[i] = sec->fields[i].key;
    const char *guess = text_suggest(k->text, keys, sec->nfields);
    char where[320], hint[64] = "", clip[80];
    snprintf(where, sizeof where, sec->where, label);
    if (guess)
        snprintf(hint, sizeof hint, " (did you mean '%s'?)", guess);
    diags_add(W->d, k->line, k->col, "unknown key '%s' %s%s",
              text_clip(k->text, clip, sizeof clip, 60), where, hint);
}

/* Check one key; returns the field index to read, or -1 to skip it. */
static int check_key(walker *W, const section *sec, const ynode *k, const ynode **seen,
                     const char *label)
{
    char buf[96];
    if (k->kind != YNODE_SCALAR || ynode_is_null(k)) {
        diags_add(W->d, k->line, k->col, "a key must be plain text, got %s",
                  ynode_describe(k, buf, sizeof buf));
        return -1;
    }
    if (!k->quoted && strcmp(k->text, "<<") == 0) {
        diags_add(W->d, k->line, k->col, "merge keys (<<) are not supported: write the keys out");
        return -1;
    }
    int fi = find_field(sec, k->text);
    if (fi < 0) {
        unknown_key(W, sec, k, label);
        return -1;
    }
    if (seen[fi]) {
        diags_add(W->d, k->line, k->col, "duplicate key '%s' (first at line %d)",
                  sec->fields[fi].key, seen[fi]->line);
        return -1;
    }
    seen[fi] = k;
    return fi;
}

int flow_split(walker *W, const ynode *map, int i, int report)
{
    const ynode *v = map->pairs[i].value;
    if (!map->flow || v->kind != YNODE_SCALAR || v->quoted || !unclosed_paren(v->text))
        return -1;
    char whole[256];
    int used = split_value(map, i, whole, sizeof whole);
    if (report)
        report_split_value(W, v, whole);
    return used;
}

void walk_mapping(walker *W, const ynode *map, const section *sec, void *elem, const char *label)
{
    const ynode *seen[MAX_FIELDS] = { 0 };
    for (int i = 0; i < map->n; i++) {
        const ynode *k = map->pairs[i].key, *v = map->pairs[i].value;
        int fi = check_key(W, sec, k, seen, label), skip = flow_split(W, map, i, fi >= 0);
        if (skip >= 0) {
            i += skip;
            continue;
        }
        if (fi >= 0)
            read_field(W, &sec->fields[fi], v, elem, label);
    }
    for (int fi = 0; fi < sec->nfields; fi++)
        if (sec->fields[fi].required && !seen[fi])
            diags_add(W->d, map->line, map->col, "%s is missing '%s' (%s)", label,
                      sec->fields[fi].key, sec->fields[fi].required);
}

const ynode *map_value(const ynode *map, const char *key)
{
    for (int i = 0; map && map->kind == YNODE_MAP && i < map->n; i++)
        if (map->pairs[i].key->kind == YNODE_SCALAR && strcmp(map->pairs[i].key->text, key) == 0)
            return map->pairs[i].value;
    return NULL;
}

void element_label(char *buf, size_t len, const char *what, const ynode *map, int index,
                   const char *parent)
{
    char clip[80];
    const ynode *name = map_value(map, "name");
    if (name && is_value(name) && name->len > 0)
        snprintf(buf, len, "%s '%s'%s%s", what, text_clip(name->text, clip, sizeof clip, 60),
                 parent ? " of " : "", parent ? parent : "");
    else
        snprintf(buf, len, "%s %d%s%s", what, index + 1, parent ? " of " : "", parent ? parent : "");
}

void walk_list(walker *W, const ynode *seq, const char *key, const char *what,
               const section *sec, void *items, size_t size, const char *parent)
{
    char label[256], buf[96];
    for (int i = 0; seq && seq->kind == YNODE_SEQ && i < seq->n; i++) {
        const ynode *item = seq->items[i];
        if (item->kind != YNODE_MAP) {
            diags_add(W->d, item->line, item->col, "each entry of '%s' must be a mapping "
                      "of keys (a %s), got %s", key, what, ynode_describe(item, buf, sizeof buf));
            continue;
        }
        element_label(label, sizeof label, what, item, i, parent);
        walk_mapping(W, item, sec, (char *)items + (size_t)i * size, label);
    }
}

int list_len(const ynode *seq)
{
    return seq && seq->kind == YNODE_SEQ ? seq->n : 0;
}

void *alloc_items(walker *W, const ynode *seq, size_t size)
{
    int n = list_len(seq);
    void *v = calloc(n ? (size_t)n : 1, size);
    if (!v)
        diags_add(W->d, seq->line, seq->col, "out of memory");
    return v;
}

void place_items(const ynode *seq, void *items, size_t size, size_t line_at)
{
    for (int i = 0; i < list_len(seq); i++) {
        int *pos = (int *)((char *)items + (size_t)i * size + line_at);
        pos[0] = seq->items[i]->line;
        pos[1] = seq->items[i]->col;
    }
}

int exactly_one(walker *W, const ynode *map, const char *const *keys, int n, const char *label)
{
    int found = 0;
    for (int i = 0; i < n; i++)
        found += map_value(map, keys[i]) != NULL;
    if (found == 1)
        return 1;
    char list[160] = "";
    for (int i = 0; i < n; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s'%s'",
                 i == 0 ? "" : i + 1 < n ? ", " : " or ", keys[i]);
    }
    diags_add(W->d, map->line, map->col, found ? "%s gives more than one of %s: give one"
              : "%s needs one of %s", label, list);
    return found;
}
