/*
 * load_walk.h — the table-driven walker behind the plant loader.
 *
 * A section of a plant file (the top level, a station, a failure mode, a
 * calendar, ...) is a table of the keys it accepts, each with a value type
 * and the offset in a C struct where the value goes.  walk_mapping() checks
 * every key of a YAML mapping against such a table (unknown keys with a
 * suggestion, duplicates, required keys) and reads each value with the
 * reader of its type, reporting problems at the value's line and column.
 * Values that need more than one node or refer to names defined elsewhere
 * are read by a custom function or kept as nodes and resolved later.
 *
 * Also here: the readers of single values, for custom functions to reuse,
 * and name tables (unique names, references with "did you mean"), which
 * load_names.c implements.
 */
#ifndef TAKT_LOAD_WALK_H
#define TAKT_LOAD_WALK_H

#include <stddef.h>
#include <stdint.h>
#include "yaml_doc.h"
#include "../core/diag.h"
#include "../core/dist.h"

#define MAX_FIELDS 64                   /* keys in one section's table   */
#define SUGGEST_MAX_NAMES 5000          /* beyond: no "did you mean"     */

/* What every reader needs: where problems go, and how dates map to
 * seconds (time 0 is midnight of start_day). */
typedef struct walker {
    diags *d;
    int start;                          /* 1 start: read, 0 absent, -1 bad */
    int64_t start_day;
} walker;

typedef enum {
    F_TEXT,         /* char *                                            */
    F_DURATION,     /* double seconds; min > 0 means "must be > 0"       */
    F_DIST,         /* dist                                              */
    F_WHOLE,        /* int in [min, max]                                 */
    F_SEED,         /* uint64_t                                          */
    F_CAPACITY,     /* long >= 0, or CAP_INF                             */
    F_CHOICE,       /* int: index into choices                           */
    F_NUMBER,       /* double in the range lo..hi (see open)             */
    F_BOOL,         /* int 0 or 1 (true / false)                         */
    F_DATE,         /* double seconds since time 0; min: DATE_* flags    */
    F_CLOCK,        /* int minutes since midnight, "HH:MM" 00:00-24:00   */
    F_NODE,         /* const ynode *, resolved after the walk            */
    F_LIST,         /* each() reads the list (or nothing)                */
    F_CUSTOM        /* each() reads whatever the value is                */
                    /* (LIST and CUSTOM without _AT: each() gets elem)   */
} field_type;

/* F_NUMBER: which ends of the range are excluded. */
#define NUM_LO_OPEN 1
#define NUM_HI_OPEN 2

/* F_DATE flags. */
#define DATE_END_OF_DAY 1       /* a date means the end of that day      */
#define DATE_NOT_BEFORE 2       /* not before the start date             */
#define DATE_OR_DURATION 4      /* a duration since time 0 is fine too   */

/* Reads a list or custom value; `at` is the element plus the field's
 * offset, label the owner's label for messages. */
typedef void (*read_fn)(walker *W, const ynode *v, void *at, const char *label);

typedef struct field {
    const char *key;
    field_type type;
    size_t at;                      /* offset of the value in the element */
    const char *required;           /* what to write, if required         */
    long min, max;                  /* F_WHOLE range, F_DURATION, F_DATE  */
    double lo, hi;                  /* F_NUMBER                           */
    int open;                       /* F_NUMBER: NUM_* flags              */
    const char *const *choices;     /* F_CHOICE: NULL-terminated          */
    read_fn each;                   /* F_LIST, F_CUSTOM                   */
} field;

typedef struct section {
    const char *where;              /* "at the top level", "in %s"        */
    const field *fields;
    int nfields;
} section;

#define FIELD(T, k, t, member, req) \
    { .key = k, .type = t, .at = offsetof(T, member), .required = req }
#define WHOLE(T, k, member, lo_, hi_) \
    { .key = k, .type = F_WHOLE, .at = offsetof(T, member), .min = lo_, .max = hi_ }
#define CHOICE(T, k, member, names) \
    { .key = k, .type = F_CHOICE, .at = offsetof(T, member), .choices = names }
#define DURATION(T, k, member, req, positive) \
    { .key = k, .type = F_DURATION, .at = offsetof(T, member), .required = req, .min = positive }
#define NUMBER(T, k, member, req, lo_, hi_, open_) \
    { .key = k, .type = F_NUMBER, .at = offsetof(T, member), .required = req, \
      .lo = lo_, .hi = hi_, .open = open_ }
#define DATE(T, k, member, req, flags) \
    { .key = k, .type = F_DATE, .at = offsetof(T, member), .required = req, .min = flags }
#define LIST(k, fn, req) { .key = k, .type = F_LIST, .required = req, .each = fn }
#define LIST_AT(T, k, member, fn, req) \
    { .key = k, .type = F_LIST, .at = offsetof(T, member), .required = req, .each = fn }
#define CUSTOM(k, fn, req) { .key = k, .type = F_CUSTOM, .required = req, .each = fn }
#define CUSTOM_AT(T, k, member, fn, req) \
    { .key = k, .type = F_CUSTOM, .at = offsetof(T, member), .required = req, .each = fn }
#define SECTION(name, where, table) \
    _Static_assert(sizeof table / sizeof *table <= MAX_FIELDS, "too many keys in " #table); \
    static const section name = { where, table, (int)(sizeof table / sizeof *table) }

/* Check the keys of map against sec and read each value into elem.
 * label names the mapping in messages ("station 'M1'"). */
void walk_mapping(walker *W, const ynode *map, const section *sec, void *elem,
                  const char *label);

/* In a flow mapping "{a: tri(1h, 2h, 3h)}" YAML splits the value at its
 * commas.  If pair i's value was split, reports it (when report is set)
 * and returns how many of the following pairs are its pieces, to skip;
 * otherwise returns -1. */
int flow_split(walker *W, const ynode *map, int i, int report);

/* Walk each entry of a list (which must be mappings) into items[i].
 * key is the list's key, what one entry ("station"), parent the label of
 * the owner or NULL. */
void walk_list(walker *W, const ynode *seq, const char *key, const char *what,
               const section *sec, void *items, size_t size, const char *parent);

int list_len(const ynode *seq);
/* calloc of list_len(seq) items (at least one); reports out of memory. */
void *alloc_items(walker *W, const ynode *seq, size_t size);
/* Set `int line, col;` (side by side, at line_at) of each item. */
void place_items(const ynode *seq, void *items, size_t size, size_t line_at);
/* The value of the first `key` in a mapping, or NULL. */
const ynode *map_value(const ynode *map, const char *key);
/* "station 'M1'", or "station 3" when it has no usable name. */
void element_label(char *buf, size_t len, const char *what, const ynode *map, int index,
                   const char *parent);
/* How many of keys[0..n-1] the mapping has; with none or more than one,
 * reports it ("ramp point 2 needs one of 'date' or 'at'"). */
int exactly_one(walker *W, const ynode *map, const char *const *keys, int n, const char *label);

/* ---- single values ------------------------------------------------------ */

void type_error(walker *W, const ynode *v, const char *key, const char *expects);
/* Each returns 0, or -1 after reporting. */
int read_text_value(walker *W, const char *key, const ynode *v, char **out);
int read_duration_value(walker *W, const char *key, const ynode *v, int positive, double *out);
int read_dist_value(walker *W, const char *key, const ynode *v, dist *out);
int read_number_value(walker *W, const char *key, const ynode *v, double lo, double hi,
                      int open, double *out);
int read_whole_value(walker *W, const char *key, const ynode *v, uint64_t min, uint64_t max,
                     uint64_t *out);
/* A date "YYYY-MM-DD" as a day number (needs no start date). */
int read_day_value(walker *W, const char *key, const ynode *v, int64_t *day);
/* A point in time, seconds since time 0 (flags: DATE_*). */
int read_date_value(walker *W, const char *key, const ynode *v, int flags, double *out);
/* A time of day "HH:MM" (00:00 to 24:00) as minutes since midnight. */
int read_clock_value(walker *W, const char *key, const ynode *v, int *minutes);
/* A scalar that date_parse() accepts. */
int ynode_is_date(const ynode *v);

/* ---- names (load_names.c) ------------------------------------------------ */

/* Names of one kind of element (stations, products, ...) -> index.  The
 * strings are borrowed and must outlive the table. */
typedef struct names {
    const char **keys;              /* open-addressing hash              */
    int *vals;
    size_t cap;
    const char **list;              /* by index, for suggestions         */
    int n;
    int ready;                      /* the list could be read: unknown  */
                                    /* names are errors                  */
} names;

int names_init(names *t, int n);
/* Add name -> index n; returns -1, or the index it already has. */
int names_add(names *t, const char *name);
int names_find(const names *t, const char *name);
void names_free(names *t);
/* Fill t from list[0..n-1] (NULL entries skipped, but keep their index);
 * report a name used twice at its `name:` in seq. */
void names_fill(walker *W, names *t, const ynode *seq, char *const *list, size_t stride, int n,
                const char *what);
/* " (did you mean 'M2'?)" into buf, or "" */
const char *names_hint(const names *t, const char *word, char *buf, size_t len);
/* Resolve a reference: the index, or -1 after reporting
 * "OWNER: unknown WHAT 'X' in 'KEY' (did you mean 'Y'?)".  When the table
 * is not ready (its list had errors) an unknown name is not reported. */
int names_resolve(walker *W, const names *t, const ynode *v, const char *owner, const char *key,
                  const char *what);

#endif
