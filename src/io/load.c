/*
 * load.c — plant files: YAML text -> validated takt_plant.
 *
 * Two passes.  The first walks the YAML tree (yaml_doc.h) section by
 * section, each section being a table of known keys with a type and the
 * place its value goes; a new key is one line in a table.  The second
 * resolves names (buffers and sources refer to stations by name), and
 * only when both passes are clean does the whole plant get checked by
 * plant_validate(), so a typo in one place never drags a cascade of
 * follow-on messages behind it.
 *
 * Every problem is reported with the position of the node at fault and
 * loading goes on, so one run shows all the problems of a file.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "takt.h"
#include "load.h"
#include "distparse.h"
#include "yaml_doc.h"

#define MAX_CAPACITY 1000000000L
#define MAX_DURATION (1000.0 * 365.25 * 86400.0) /* 1000 years */
#define SUGGEST_MAX_NAMES 5000                  /* beyond: no "did you mean" */
#define MAX_FIELDS 64                           /* keys in one section's table */

typedef struct loader loader;

typedef enum {
    F_TEXT,         /* char *                                            */
    F_DURATION,     /* double seconds; min > 0 means "must be > 0"       */
    F_DIST,         /* dist                                              */
    F_WHOLE,        /* int in [min, max]                                 */
    F_SEED,         /* uint64_t                                          */
    F_CAPACITY,     /* long >= 0, or CAP_INF                             */
    F_CHOICE,       /* int: index into choices                           */
    F_NODE,         /* const ynode *, resolved after the walk            */
    F_LIST          /* each() reads the list                             */
} field_type;

typedef void (*list_fn)(loader *L, const ynode *seq, void *elem, const char *label);

typedef struct field {
    const char *key;
    field_type type;
    size_t at;                      /* offset of the value in the element */
    const char *required;           /* what to write, if required         */
    long min, max;
    const char *const *choices;     /* F_CHOICE: NULL-terminated          */
    list_fn each;
} field;

typedef struct section {
    const char *where;              /* "at the top level", "in %s"        */
    const field *fields;
    int nfields;
} section;

/* Buffers and sources name stations that may come later in the file, so
 * their references are kept as nodes and resolved after the walk. */
typedef struct buffer_entry { buffer b; const ynode *from, *to; } buffer_entry;
typedef struct source_entry { source s; const ynode *to; } source_entry;

typedef struct name_index {
    const char **keys;
    int *vals;
    size_t cap;
} name_index;

struct loader {
    diags *d;
    takt_plant *p;
    buffer_entry *bufs;
    source_entry *srcs;
    const ynode *buffer_list, *source_list;
    name_index stations;
    int stations_read;              /* the station list could be read    */
};

/* ---- names -------------------------------------------------------------- */

static size_t name_hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static int index_init(name_index *ix, int n)
{
    ix->cap = 16;
    while (ix->cap < (size_t)n * 2)
        ix->cap *= 2;
    ix->keys = calloc(ix->cap, sizeof *ix->keys);
    ix->vals = calloc(ix->cap, sizeof *ix->vals);
    return ix->keys && ix->vals ? 0 : -1;
}

static void index_free(name_index *ix)
{
    free(ix->keys);
    free(ix->vals);
    memset(ix, 0, sizeof *ix);
}

/* Insert name -> v unless present; returns the existing value or -1. */
static int index_put(name_index *ix, const char *name, int v)
{
    size_t i = name_hash(name) & (ix->cap - 1);
    for (; ix->keys[i]; i = (i + 1) & (ix->cap - 1))
        if (strcmp(ix->keys[i], name) == 0)
            return ix->vals[i];
    ix->keys[i] = name;
    ix->vals[i] = v;
    return -1;
}

static int index_get(const name_index *ix, const char *name)
{
    if (!ix->cap)
        return -1;
    size_t i = name_hash(name) & (ix->cap - 1);
    for (; ix->keys[i]; i = (i + 1) & (ix->cap - 1))
        if (strcmp(ix->keys[i], name) == 0)
            return ix->vals[i];
    return -1;
}

/* ---- scalar values ------------------------------------------------------ */

static void type_error(loader *L, const ynode *v, const char *key, const char *expects)
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
    diags_add(L->d, v->line, v->col, "'%s' expects %s, got %s%s", key, expects, got,
              quoted_number ? " in quotes (write numbers without quotes)" : "");
}

static void read_text(loader *L, const field *f, const ynode *v, char **out)
{
    if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
        type_error(L, v, f->key, "text");
        return;
    }
    if (v->len == 0) {
        diags_add(L->d, v->line, v->col, "'%s' must not be empty", f->key);
        return;
    }
    for (size_t i = 0; i < v->len; i++)
        if ((unsigned char)v->text[i] < 0x20 || v->text[i] == 0x7f) {
            diags_add(L->d, v->line, v->col, "'%s' must be one line of text, without "
                      "control characters", f->key);
            return;
        }
    if (!(*out = strdup(v->text)))
        diags_add(L->d, v->line, v->col, "out of memory");
}

static void read_duration(loader *L, const field *f, const ynode *v, double *out)
{
    char err[256], shown[80];
    if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
        type_error(L, v, f->key, "a duration (e.g. 90s, 2min, 1.5h)");
        return;
    }
    double x;
    if (parse_duration(v->text, &x, err, sizeof err)) {
        diags_add(L->d, v->line, v->col, "'%s': %s", f->key, err);
        return;
    }
    if (f->min > 0 && x <= 0) {
        diags_add(L->d, v->line, v->col, "'%s' must be more than 0, got %s", f->key,
                  text_clip(v->text, shown, sizeof shown, 60));
        return;
    }
    if (x > MAX_DURATION) {
        diags_add(L->d, v->line, v->col, "'%s' must be at most 1000 years, got %s", f->key,
                  text_clip(v->text, shown, sizeof shown, 60));
        return;
    }
    *out = x;
}

static void read_dist(loader *L, const field *f, const ynode *v, dist *out)
{
    char err[256];
    if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
        type_error(L, v, f->key, "a distribution or a duration (e.g. exp(1h), 90s)");
        return;
    }
    dist d;
    if (parse_dist(v->text, &d, err, sizeof err)) {
        diags_add(L->d, v->line, v->col, "'%s': %s", f->key, err);
        return;
    }
    *out = d;
}

/* Reads a whole number in [min, max]; returns 0 or -1 (reported). */
static int read_ranged(loader *L, const field *f, const ynode *v, uint64_t min, uint64_t max,
                       uint64_t *out, const char *extra)
{
    char shown[80];
    int r = ynode_whole(v, out);
    if (r < 0) {
        type_error(L, v, f->key, extra ? "a whole number or inf" : "a whole number");
        return -1;
    }
    if (r == 0 || (r > 0 && (*out < min || *out > max))) {
        diags_add(L->d, v->line, v->col, "%s must be a whole number from %llu to %llu%s, got %s",
                  f->key, (unsigned long long)min, (unsigned long long)max, extra ? extra : "",
                  text_clip(v->text, shown, sizeof shown, 60));
        return -1;
    }
    return r > 0 ? 0 : -1;
}

static void read_choice(loader *L, const field *f, const ynode *v, int *out)
{
    char list[160] = "", buf[96];
    int n = 0;
    for (; f->choices[n]; n++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s",
                 n == 0 ? "" : f->choices[n + 1] ? ", " : " or ", f->choices[n]);
    }
    if (v->kind == YNODE_SCALAR && !ynode_is_null(v))
        for (int i = 0; i < n; i++)
            if (strcmp(v->text, f->choices[i]) == 0) {
                *out = i;
                return;
            }
    const char *guess = v->kind == YNODE_SCALAR ? text_suggest(v->text, f->choices, n) : NULL;
    char hint[64] = "";
    if (guess)
        snprintf(hint, sizeof hint, " (did you mean '%s'?)", guess);
    diags_add(L->d, v->line, v->col, "'%s' must be %s, got %s%s", f->key, list,
              ynode_describe(v, buf, sizeof buf), hint);
}

static void read_field(loader *L, const field *f, const ynode *v, void *elem, const char *label)
{
    void *at = (char *)elem + f->at;
    uint64_t x;
    switch (f->type) {
    case F_TEXT:     read_text(L, f, v, at); break;
    case F_DURATION: read_duration(L, f, v, at); break;
    case F_DIST:     read_dist(L, f, v, at); break;
    case F_CHOICE:   read_choice(L, f, v, at); break;
    case F_NODE:     *(const ynode **)at = v; break;
    case F_WHOLE:
        if (read_ranged(L, f, v, (uint64_t)f->min, (uint64_t)f->max, &x, NULL) == 0)
            *(int *)at = (int)x;
        break;
    case F_SEED:
        if (read_ranged(L, f, v, 0, UINT64_MAX, &x, NULL) == 0)
            *(uint64_t *)at = x;
        break;
    case F_CAPACITY:
        if (ynode_is_inf(v))
            *(long *)at = CAP_INF;
        else if (read_ranged(L, f, v, 0, MAX_CAPACITY, &x, " or inf") == 0)
            *(long *)at = (long)x;
        break;
    case F_LIST:
        if (v->kind == YNODE_SEQ || ynode_is_null(v))
            f->each(L, v, elem, label);
        else
            type_error(L, v, f->key, "a list");
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

static void report_split_value(loader *L, const ynode *v, const char *whole)
{
    char clip[80], clip2[80];
    diags_add(L->d, v->line, v->col, "unbalanced '(' in '%s': inside a flow mapping {...} a "
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

static void unknown_key(loader *L, const section *sec, const ynode *k, const char *label)
{
    const char *names[MAX_FIELDS];
    for (int i = 0; i < sec->nfields; i++)
        names[i] = sec->fields[i].key;
    const char *guess = text_suggest(k->text, names, sec->nfields);
    char where[160], hint[64] = "", clip[80];
    snprintf(where, sizeof where, sec->where, label);
    if (guess)
        snprintf(hint, sizeof hint, " (did you mean '%s'?)", guess);
    diags_add(L->d, k->line, k->col, "unknown key '%s' %s%s",
              text_clip(k->text, clip, sizeof clip, 60), where, hint);
}

/* Check one key; returns the field index to read, or -1 to skip it. */
static int check_key(loader *L, const section *sec, const ynode *k, const ynode **seen,
                     const char *label)
{
    char buf[96];
    if (k->kind != YNODE_SCALAR || ynode_is_null(k)) {
        diags_add(L->d, k->line, k->col, "a key must be plain text, got %s",
                  ynode_describe(k, buf, sizeof buf));
        return -1;
    }
    if (!k->quoted && strcmp(k->text, "<<") == 0) {
        diags_add(L->d, k->line, k->col, "merge keys (<<) are not supported: write the keys out");
        return -1;
    }
    int fi = find_field(sec, k->text);
    if (fi < 0) {
        unknown_key(L, sec, k, label);
        return -1;
    }
    if (seen[fi]) {
        diags_add(L->d, k->line, k->col, "duplicate key '%s' (first at line %d)",
                  sec->fields[fi].key, seen[fi]->line);
        return -1;
    }
    seen[fi] = k;
    return fi;
}

static void walk_mapping(loader *L, const ynode *map, const section *sec, void *elem,
                         const char *label)
{
    const ynode *seen[MAX_FIELDS] = { 0 };
    for (int i = 0; i < map->n; i++) {
        const ynode *k = map->pairs[i].key, *v = map->pairs[i].value;
        int fi = check_key(L, sec, k, seen, label);
        if (map->flow && v->kind == YNODE_SCALAR && !v->quoted && unclosed_paren(v->text)) {
            char whole[256];
            i += split_value(map, i, whole, sizeof whole);
            if (fi >= 0)
                report_split_value(L, v, whole);
            continue;
        }
        if (fi >= 0)
            read_field(L, &sec->fields[fi], v, elem, label);
    }
    for (int fi = 0; fi < sec->nfields; fi++)
        if (sec->fields[fi].required && !seen[fi])
            diags_add(L->d, map->line, map->col, "%s is missing '%s' (%s)", label,
                      sec->fields[fi].key, sec->fields[fi].required);
}

/* The value of the first `key` in a mapping, or NULL. */
static const ynode *map_value(const ynode *map, const char *key)
{
    for (int i = 0; map->kind == YNODE_MAP && i < map->n; i++)
        if (map->pairs[i].key->kind == YNODE_SCALAR && strcmp(map->pairs[i].key->text, key) == 0)
            return map->pairs[i].value;
    return NULL;
}

/* "station 'M1'", or "station 3" when it has no usable name. */
static void element_label(char *buf, size_t len, const char *what, const ynode *map, int index,
                          const char *parent)
{
    char clip[80];
    const ynode *name = map_value(map, "name");
    if (name && name->kind == YNODE_SCALAR && !ynode_is_null(name) && name->len > 0)
        snprintf(buf, len, "%s '%s'%s%s", what, text_clip(name->text, clip, sizeof clip, 60),
                 parent ? " of " : "", parent ? parent : "");
    else
        snprintf(buf, len, "%s %d%s%s", what, index + 1, parent ? " of " : "", parent ? parent : "");
}

/* Common part of every list: checks items are mappings, walks each. */
static void walk_list(loader *L, const ynode *seq, const char *key, const char *what,
                      const section *sec, void *items, size_t size, const char *parent)
{
    char label[256], buf[96];
    for (int i = 0; seq && i < seq->n; i++) {
        const ynode *item = seq->items[i];
        if (item->kind != YNODE_MAP) {
            diags_add(L->d, item->line, item->col, "each entry of '%s' must be a mapping "
                      "of keys (a %s), got %s", key, what, ynode_describe(item, buf, sizeof buf));
            continue;
        }
        element_label(label, sizeof label, what, item, i, parent);
        walk_mapping(L, item, sec, (char *)items + (size_t)i * size, label);
    }
}

static int list_len(const ynode *seq)
{
    return seq && seq->kind == YNODE_SEQ ? seq->n : 0;
}

static void *alloc_items(loader *L, const ynode *seq, size_t size)
{
    int n = list_len(seq);
    void *v = calloc(n ? (size_t)n : 1, size);
    if (!v)
        diags_add(L->d, seq->line, seq->col, "out of memory");
    return v;
}

/* ---- sections ------------------------------------------------------------ */

static const char *const clock_names[] = { "operating", "calendar", NULL };
static const char *const blocking_names[] = { "after", "before", NULL };
static const char *const routing_names[] = { "first-free", "round-robin", "random", NULL };

#define FIELD(T, key, type, member, req) { key, type, offsetof(T, member), req, 0, 0, NULL, NULL }
#define WHOLE(T, key, member, lo, hi) { key, F_WHOLE, offsetof(T, member), NULL, lo, hi, NULL, NULL }
#define CHOICE(T, key, member, names) { key, F_CHOICE, offsetof(T, member), NULL, 0, 0, names, NULL }
#define DURATION(T, key, member, req, positive) \
    { key, F_DURATION, offsetof(T, member), req, positive, 0, NULL, NULL }
#define LIST(key, fn, req) { key, F_LIST, 0, req, 0, 0, NULL, fn }
#define SECTION(name, where, table) \
    _Static_assert(sizeof table / sizeof *table <= MAX_FIELDS, "too many keys in " #table); \
    static const section name = { where, table, (int)(sizeof table / sizeof *table) }

static const field failure_fields[] = {
    FIELD(failure_mode, "name", F_TEXT, name, NULL),
    FIELD(failure_mode, "ttf", F_DIST, ttf, "the time to failure, e.g. ttf: exp(100h)"),
    FIELD(failure_mode, "ttr", F_DIST, ttr, "the time to repair, e.g. ttr: exp(1h)"),
    CHOICE(failure_mode, "clock", clock, clock_names),
};
SECTION(failure_section, "in %s", failure_fields);

static void read_failures(loader *L, const ynode *seq, void *elem, const char *label);

static const field station_fields[] = {
    FIELD(station, "name", F_TEXT, name, "its name, e.g. name: M1"),
    FIELD(station, "cycle", F_DIST, cycle, "its cycle time, e.g. cycle: exp(1h)"),
    WHOLE(station, "servers", servers, 1, 10000),
    LIST("failures", read_failures, NULL),
    CHOICE(station, "blocking", blocking, blocking_names),
    CHOICE(station, "routing", routing, routing_names),
};
SECTION(station_section, "in %s", station_fields);

static const field buffer_fields[] = {
    FIELD(buffer_entry, "name", F_TEXT, b.name, "its name, e.g. name: B1"),
    FIELD(buffer_entry, "from", F_NODE, from, "the station it leaves from, e.g. from: M1"),
    FIELD(buffer_entry, "to", F_NODE, to, "the station it feeds, e.g. to: M2"),
    FIELD(buffer_entry, "capacity", F_CAPACITY, b.capacity,
          "the parts it holds besides the machines, e.g. capacity: 5 or capacity: inf"),
    DURATION(buffer_entry, "transit", b.transit, NULL, 0),
};
SECTION(buffer_section, "in %s", buffer_fields);

static const field source_fields[] = {
    FIELD(source_entry, "name", F_TEXT, s.name, "its name, e.g. name: arrivals"),
    FIELD(source_entry, "interarrival", F_DIST, s.interarrival,
          "the time between arrivals, e.g. interarrival: exp(2min)"),
    FIELD(source_entry, "to", F_NODE, to, "the station it feeds, e.g. to: M1"),
};
SECTION(source_section, "in %s", source_fields);

static void read_stations(loader *L, const ynode *seq, void *elem, const char *label);
static void read_buffers(loader *L, const ynode *seq, void *elem, const char *label);
static void read_sources(loader *L, const ynode *seq, void *elem, const char *label);

static const field plant_fields[] = {
    FIELD(takt_plant, "name", F_TEXT, name, NULL),
    DURATION(takt_plant, "horizon", horizon, "the measured time after warm-up, e.g. horizon: 2000h", 1),
    DURATION(takt_plant, "warmup", warmup, NULL, 0),
    WHOLE(takt_plant, "replications", replications, 1, 1000000),
    FIELD(takt_plant, "seed", F_SEED, seed, NULL),
    LIST("sources", read_sources, NULL),
    LIST("stations", read_stations, "the list of stations, e.g. stations: [{name: M1, cycle: 1min}]"),
    LIST("buffers", read_buffers, NULL),
};
SECTION(plant_section, "at the top level", plant_fields);

/* ---- lists ----------------------------------------------------------------- */

/* Every element type has `int line, col;` side by side, at line_at. */
static void place_items(const ynode *seq, void *items, size_t size, size_t line_at)
{
    for (int i = 0; i < list_len(seq); i++) {
        int *pos = (int *)((char *)items + (size_t)i * size + line_at);
        pos[0] = seq->items[i]->line;
        pos[1] = seq->items[i]->col;
    }
}

static void read_failures(loader *L, const ynode *seq, void *elem, const char *label)
{
    station *s = elem;
    if (!(s->failures = alloc_items(L, seq, sizeof *s->failures)))
        return;
    s->nfailures = list_len(seq);
    place_items(seq, s->failures, sizeof *s->failures, offsetof(failure_mode, line));
    walk_list(L, seq, "failures", "failure", &failure_section, s->failures,
              sizeof *s->failures, label);
}

/* Report a name used twice in one list; names[i] may be NULL. */
static void check_unique(loader *L, name_index *ix, const ynode *seq, char *const *names,
                         const int *lines, size_t stride, const char *what)
{
    for (int i = 0; i < list_len(seq); i++) {
        const char *name = *(char *const *)((const char *)names + (size_t)i * stride);
        if (!name)
            continue;
        int first = index_put(ix, name, i);
        if (first < 0)
            continue;
        const ynode *at = map_value(seq->items[i], "name");
        char clip[80];
        diags_add(L->d, at->line, at->col, "duplicate %s name '%s' (first at line %d)", what,
                  text_clip(name, clip, sizeof clip, 60),
                  *(const int *)((const char *)lines + (size_t)first * stride));
    }
}

static void read_stations(loader *L, const ynode *seq, void *elem, const char *label)
{
    takt_plant *p = elem;
    (void)label;
    if (list_len(seq) == 0) {
        diags_add(L->d, seq->line, seq->col, "'stations' must list at least one station");
        return;
    }
    if (!(p->stations = alloc_items(L, seq, sizeof *p->stations)))
        return;
    p->nstations = seq->n;
    place_items(seq, p->stations, sizeof *p->stations, offsetof(station, line));
    for (int i = 0; i < p->nstations; i++) {
        station *s = &p->stations[i];
        s->servers = s->batch = 1;
        s->workshop = s->calendar = s->rework_to = -1;
    }
    walk_list(L, seq, "stations", "station", &station_section, p->stations,
              sizeof *p->stations, NULL);
    if (index_init(&L->stations, p->nstations)) {
        diags_add(L->d, seq->line, seq->col, "out of memory");
        return;
    }
    check_unique(L, &L->stations, seq, &p->stations[0].name, &p->stations[0].line,
                 sizeof *p->stations, "station");
    L->stations_read = 1;
}

static void read_buffers(loader *L, const ynode *seq, void *elem, const char *label)
{
    (void)elem;
    (void)label;
    if (!(L->bufs = alloc_items(L, seq, sizeof *L->bufs)))
        return;
    if (!(L->p->buffers = alloc_items(L, seq, sizeof *L->p->buffers)))
        return;
    L->p->nbuffers = list_len(seq);
    L->buffer_list = seq;
    place_items(seq, L->bufs, sizeof *L->bufs, offsetof(buffer_entry, b.line));
    for (int i = 0; i < L->p->nbuffers; i++) {
        L->bufs[i].b.from = L->bufs[i].b.to = -1;
        L->bufs[i].b.take = 1;
    }
    walk_list(L, seq, "buffers", "buffer", &buffer_section, L->bufs, sizeof *L->bufs, NULL);
}

static void read_sources(loader *L, const ynode *seq, void *elem, const char *label)
{
    (void)elem;
    (void)label;
    if (!(L->srcs = alloc_items(L, seq, sizeof *L->srcs)))
        return;
    if (!(L->p->sources = alloc_items(L, seq, sizeof *L->p->sources)))
        return;
    L->p->nsources = list_len(seq);
    L->source_list = seq;
    place_items(seq, L->srcs, sizeof *L->srcs, offsetof(source_entry, s.line));
    for (int i = 0; i < L->p->nsources; i++)
        L->srcs[i].s.to = -1;
    walk_list(L, seq, "sources", "source", &source_section, L->srcs, sizeof *L->srcs, NULL);
}

/* ---- references ------------------------------------------------------------ */

static int resolve_station(loader *L, const ynode *v, const char *owner, const char *key)
{
    char clip[80], hint[96] = "";
    if (!v)
        return -1;
    if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
        type_error(L, v, key, "a station name");
        return -1;
    }
    int i = index_get(&L->stations, v->text);
    if (i >= 0 || !L->stations_read)
        return i;
    const takt_plant *p = L->p;
    const char **names = p->nstations <= SUGGEST_MAX_NAMES
                       ? malloc((size_t)p->nstations * sizeof *names) : NULL;
    if (names) {
        int n = 0;
        for (int s = 0; s < p->nstations; s++)
            if (p->stations[s].name)
                names[n++] = p->stations[s].name;
        const char *guess = text_suggest(v->text, names, n);
        if (guess)
            snprintf(hint, sizeof hint, " (did you mean '%s'?)",
                     text_clip(guess, clip, sizeof clip, 60));
        free(names);
    }
    diags_add(L->d, v->line, v->col, "%s: unknown station '%s' in '%s'%s", owner,
              text_clip(v->text, clip, sizeof clip, 60), key, hint);
    return -1;
}

static void owner_label(char *buf, size_t len, const char *what, const char *name, int i)
{
    char clip[80];
    if (name)
        snprintf(buf, len, "%s '%s'", what, text_clip(name, clip, sizeof clip, 60));
    else
        snprintf(buf, len, "%s %d", what, i + 1);
}

/* A source's queue is reported as a buffer named after the source. */
static void check_source_names(loader *L, name_index *buffers)
{
    char clip[80];
    for (int i = 0; i < L->p->nsources; i++) {
        const char *name = L->srcs[i].s.name;
        int b = name ? index_get(buffers, name) : -1;
        if (b < 0)
            continue;
        const ynode *at = map_value(L->source_list->items[i], "name");
        diags_add(L->d, at->line, at->col, "source '%s' has the name of buffer '%s' (line %d): "
                  "a source's queue is shown as a buffer named after it, so the names must differ",
                  text_clip(name, clip, sizeof clip, 60), clip, L->bufs[b].b.line);
    }
}

static void resolve(loader *L)
{
    char label[128];
    takt_plant *p = L->p;
    for (int i = 0; i < p->nbuffers; i++) {
        buffer_entry *e = &L->bufs[i];
        owner_label(label, sizeof label, "buffer", e->b.name, i);
        e->b.from = resolve_station(L, e->from, label, "from");
        e->b.to = resolve_station(L, e->to, label, "to");
    }
    for (int i = 0; i < p->nsources; i++) {
        source_entry *e = &L->srcs[i];
        owner_label(label, sizeof label, "source", e->s.name, i);
        e->s.to = resolve_station(L, e->to, label, "to");
    }
    name_index bix = { 0 }, six = { 0 };
    if (index_init(&bix, p->nbuffers) || index_init(&six, p->nsources)) {
        diags_add(L->d, 0, 0, "out of memory");
    } else {
        if (p->nbuffers)
            check_unique(L, &bix, L->buffer_list, &L->bufs[0].b.name, &L->bufs[0].b.line,
                         sizeof *L->bufs, "buffer");
        if (p->nsources)
            check_unique(L, &six, L->source_list, &L->srcs[0].s.name, &L->srcs[0].s.line,
                         sizeof *L->srcs, "source");
        check_source_names(L, &bix);
    }
    index_free(&bix);
    index_free(&six);
    for (int i = 0; i < p->nbuffers; i++)
        p->buffers[i] = L->bufs[i].b;
    for (int i = 0; i < p->nsources; i++)
        p->sources[i] = L->srcs[i].s;
}

/* ---- entry points ------------------------------------------------------------ */

/* "lines/paint.yaml" -> "paint"; no usable name -> "plant". */
static char *default_name(const char *path)
{
    const char *base = path ? strrchr(path, '/') : NULL;
    base = base ? base + 1 : path;
    if (!base || !*base || base[0] == '<')
        return strdup("plant");
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return strndup(base, n);
}

static takt_plant *load_text(const char *text, size_t len, diags *d, const char *path,
                             const char *name_from)
{
    int before = d->n;
    ydoc doc;
    if (ydoc_parse(&doc, text, len, d)) {
        ydoc_free(&doc);
        return NULL;
    }
    takt_plant *p = calloc(1, sizeof *p);
    if (!p) {
        diags_add(d, 0, 0, "out of memory");
        ydoc_free(&doc);
        return NULL;
    }
    p->replications = 10;
    p->seed = 1;
    p->calendar = -1;
    loader L = { .d = d, .p = p };
    char buf[96];
    if (doc.root->kind != YNODE_MAP)
        diags_add(d, doc.root->line, doc.root->col, "the top level must be a mapping of keys "
                  "(name, horizon, stations, ...), got %s", ynode_describe(doc.root, buf, sizeof buf));
    else
        walk_mapping(&L, doc.root, &plant_section, p, "the plant");
    resolve(&L);
    free(L.bufs);
    free(L.srcs);
    index_free(&L.stations);
    ydoc_free(&doc);
    if ((!p->name && !(p->name = default_name(name_from))) || (path && !(p->file = strdup(path))))
        diags_add(d, 0, 0, "out of memory");
    if (d->n == before && plant_link(p))
        diags_add(d, 0, 0, "out of memory");
    if (d->n == before)
        plant_validate(p, d);
    if (d->n > before) {
        plant_free(p);
        return NULL;
    }
    return p;
}

/* Read a whole file, refusing directories and anything over the limit. */
static char *read_file(const char *path, size_t *len, diags *d)
{
    char clip[200];
    text_clip(path, clip, sizeof clip, 160);
    FILE *f = fopen(path, "rb");
    if (!f) {
        diags_add(d, 0, 0, "cannot open '%s': %s", clip, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        diags_add(d, 0, 0, "cannot read '%s': it is a directory, not a plant file", clip);
        fclose(f);
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *text = malloc(cap);
    while (text) {
        n += fread(text + n, 1, cap - n, f);
        if (n < cap || n > YDOC_MAX_BYTES)
            break;
        char *more = realloc(text, cap * 2);
        if (!more) {
            free(text);
            text = NULL;
        }
        text = more;
        cap *= 2;
    }
    if (!text) {
        diags_add(d, 0, 0, "out of memory while reading '%s'", clip);
    } else if (ferror(f)) {
        diags_add(d, 0, 0, "cannot read '%s': %s", clip, strerror(errno));
        free(text);
        text = NULL;
    } else if (n > YDOC_MAX_BYTES) {
        diags_add(d, 0, 0, "the file is too large: more than 64 MiB");
        free(text);
        text = NULL;
    }
    fclose(f);
    *len = n;
    return text;
}

takt_plant *load_plant_file(const char *path, diags *d)
{
    size_t len;
    char *text = read_file(path, &len, d);
    if (!text)
        return NULL;
    takt_plant *p = load_text(text, len, d, path, path);
    free(text);
    return p;
}

takt_plant *load_plant_string(const char *text, size_t len, diags *d)
{
    return load_text(text, len, d, NULL, NULL);
}

/* ---- public API (include/takt.h) --------------------------------------------- */

static char *diags_text(const diags *d)
{
    size_t cap = 256, used = 0;
    char *out = malloc(cap), line[2048];
    for (int i = 0; out && i < d->n; i++) {
        diags_format(d, i, line, sizeof line);
        size_t n = strlen(line);
        if (used + n + 2 > cap) {
            while (used + n + 2 > cap)
                cap *= 2;
            char *more = realloc(out, cap);
            if (!more)
                free(out);
            out = more;
            if (!out)
                break;
        }
        memcpy(out + used, line, n);
        used += n;
        out[used++] = '\n';
    }
    if (out)
        out[used] = '\0';
    return out;
}

static takt_plant *finish(takt_plant *p, diags *d, char **errors)
{
    if (errors)
        *errors = p ? NULL : diags_text(d);
    diags_free(d);
    return p;
}

takt_plant *takt_load(const char *path, char **errors)
{
    diags d;
    diags_init(&d, path);
    return finish(load_plant_file(path, &d), &d, errors);
}

takt_plant *takt_load_string(const char *name, const char *yaml, size_t len, char **errors)
{
    diags d;
    diags_init(&d, name ? name : "<string>");
    return finish(load_text(yaml, len, &d, NULL, name), &d, errors);
}

void takt_plant_free(takt_plant *p)
{
    plant_free(p);
}
