/*
 * load.c — plant files: YAML text -> validated takt_plant.
 *
 * Three passes.  The first walks the YAML tree (load_walk.h) section by
 * section, each section being a table of known keys with a type and the
 * place its value goes; a new key is one line in a table.  The second
 * resolves names (buffers refer to stations, stations to products,
 * calendars and workshops, ...), which may be defined anywhere in the
 * file.  Only when both are clean does the loader add the buffers that
 * `to:` and `rework:` imply and hand the plant to plant_validate(), so a
 * typo in one place never drags a cascade of follow-on messages behind it.
 *
 * Every problem is reported with the position of the node at fault and
 * loading goes on, so one run shows all the problems of a file.  Values
 * given on the command line (override.h) are patched into the tree before
 * the walk, and problems with them are reported against the --set text.
 *
 * This file holds the entry points, the top level and the line itself
 * (stations, buffers, sources); the car-plant sections are in load_car.c
 * and load_calendar.c, the unit of output in load_unit.c.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "takt.h"
#include "load.h"
#include "load_internal.h"
#include "override.h"
#include "../core/date.h"

/* Without start:, time 0 is the midnight that begins a Monday (1970-01-05),
 * so weekday calendars work on plants that give no dates. */
#define MONDAY_DAY 4

/* ---- sections ------------------------------------------------------------ */

static const char *const clock_names[] = { "operating", "calendar", NULL };
static const char *const blocking_names[] = { "after", "before", NULL };
static const char *const routing_names[] = { "first-free", "round-robin", "random", NULL };

static const field failure_fields[] = {
    FIELD(failure_mode, "name", F_TEXT, name, NULL),
    FIELD(failure_mode, "ttf", F_DIST, ttf, NULL),
    FIELD(failure_mode, "ttr", F_DIST, ttr, NULL),
    CHOICE(failure_mode, "clock", clock, clock_names),
    CUSTOM("repair_by", read_repair_by, NULL),
    NUMBER(failure_mode, "availability", availability, NULL, 0, 1, NUM_LO_OPEN | NUM_HI_OPEN),
    DURATION(failure_mode, "mttr", mttr, NULL, 1),
};
SECTION(failure_section, "in %s", failure_fields);

static void read_failures(walker *W, const ynode *seq, void *at, const char *label);

static const field station_fields[] = {
    FIELD(station_entry, "name", F_TEXT, s.name, "its name, e.g. name: M1"),
    CUSTOM(   "cycle", read_station_cycle, "its cycle time, e.g. cycle: exp(1h)"),
    WHOLE(station_entry, "servers", s.servers, 1, 10000),
    LIST_AT(station_entry, "failures", s, read_failures, NULL),
    CHOICE(station_entry, "blocking", s.blocking, blocking_names),
    CHOICE(station_entry, "routing", s.routing, routing_names),
    FIELD(station_entry, "workshop", F_NODE, workshop, NULL),
    FIELD(station_entry, "calendar", F_NODE, calendar, NULL),
    DATE(station_entry, "opens", s.opens, NULL, DATE_NOT_BEFORE | DATE_OR_DURATION),
    CUSTOM_AT(station_entry, "ramp", s.ramp, read_ramp, NULL),
    CUSTOM(   "setup", read_station_setup, NULL),
    FIELD(station_entry, "needs", F_NODE, needs, NULL),
    LIST_AT(station_entry, "maintenance", s, read_maintenance, NULL),
    WHOLE(station_entry, "batch", s.batch, 1, 10000),
    FIELD(station_entry, "assembly", F_BOOL, s.assembly, NULL),
    NUMBER(station_entry, "scrap", s.scrap, NULL, 0, 1, NUM_HI_OPEN),
    CUSTOM("rework", read_rework, NULL),
    FIELD(station_entry, "mix", F_NODE, mix, NULL),
    FIELD(station_entry, "to", F_NODE, to, NULL),
};
SECTION(station_section, "in %s", station_fields);

static const field buffer_fields[] = {
    FIELD(buffer_entry, "name", F_TEXT, b.name, "its name, e.g. name: B1"),
    FIELD(buffer_entry, "from", F_NODE, from, "the station it leaves from, e.g. from: M1"),
    FIELD(buffer_entry, "to", F_NODE, to, "the station it feeds, e.g. to: M2"),
    FIELD(buffer_entry, "capacity", F_CAPACITY, b.capacity, NULL),
    DURATION(buffer_entry, "transit", b.transit, NULL, 0),
    WHOLE(buffer_entry, "take", b.take, 1, 10000),
    NUMBER(buffer_entry, "p", b.p, NULL, 0, 1, NUM_LO_OPEN),
    FIELD(buffer_entry, "products", F_NODE, products, NULL),
    CUSTOM("carried_by", read_carried_by, NULL),
    CUSTOM_AT(buffer_entry, "length", length, read_length, NULL),
    CUSTOM_AT(buffer_entry, "speed", speed, read_speed, NULL),
    CUSTOM_AT(buffer_entry, "pitch", pitch, read_pitch, NULL),
    FIELD(buffer_entry, "accumulating", F_BOOL, accumulating, NULL),
};
SECTION(buffer_section, "in %s", buffer_fields);

static const field source_fields[] = {
    FIELD(source_entry, "name", F_TEXT, s.name, "its name, e.g. name: arrivals"),
    FIELD(source_entry, "interarrival", F_DIST, s.interarrival,
          "the time between arrivals, e.g. interarrival: exp(2min)"),
    FIELD(source_entry, "to", F_NODE, to, "the station it feeds, e.g. to: M1"),
};
SECTION(source_section, "in %s", source_fields);

static void read_stations(walker *W, const ynode *seq, void *at, const char *label);
static void read_horizon(walker *W, const ynode *v, void *at, const char *label);
static void read_buffers(walker *W, const ynode *seq, void *at, const char *label);
static void read_sources(walker *W, const ynode *seq, void *at, const char *label);

static const field plant_fields[] = {
    FIELD(plant_entry, "name", F_TEXT, p.name, NULL),
    FIELD(plant_entry, "start", F_NODE, start, NULL),
    CUSTOM("horizon", read_horizon, NULL),
    FIELD(plant_entry, "until", F_NODE, until, NULL),
    DURATION(plant_entry, "warmup", p.warmup, NULL, 0),
    WHOLE(plant_entry, "replications", p.replications, 1, 1000000),
    FIELD(plant_entry, "seed", F_SEED, p.seed, NULL),
    DURATION(plant_entry, "takt", p.takt, NULL, 1),
    FIELD(plant_entry, "unit", F_NODE, unit, NULL),
    FIELD(plant_entry, "units", F_NODE, units, NULL),
    FIELD(plant_entry, "calendar", F_NODE, calendar, NULL),
    DATE(plant_entry, "opens", p.opens, NULL, DATE_NOT_BEFORE | DATE_OR_DURATION),
    CUSTOM_AT(plant_entry, "ramp", p.ramp, read_ramp, NULL),
    LIST("products", read_products, NULL),
    FIELD(plant_entry, "sequence", F_NODE, sequence, NULL),
    LIST("workshops", read_workshops, NULL),
    LIST("calendars", read_calendars, NULL),
    CUSTOM_AT(plant_entry, "demand", p.demand, read_demand, NULL),
    LIST("targets", read_targets, NULL),
    LIST("sources", read_sources, NULL),
    LIST("stations", read_stations, "the list of stations, e.g. stations: [{name: M1, cycle: 1min}]"),
    LIST("buffers", read_buffers, NULL),
    LIST("resources", read_resources, NULL),
    LIST("carriers", read_carriers, NULL),
    FIELD(plant_entry, "balance", F_NODE, balance, NULL),
};
SECTION(plant_section, "at the top level", plant_fields);

/* ---- lists ----------------------------------------------------------------- */

static void read_failures(walker *W, const ynode *seq, void *at, const char *label)
{
    station *s = at;
    if (!(s->failures = alloc_items(W, seq, sizeof *s->failures)))
        return;
    s->nfailures = list_len(seq);
    place_items(seq, s->failures, sizeof *s->failures, offsetof(failure_mode, line));
    for (int i = 0; i < s->nfailures; i++)
        s->failures[i].repair_by = -1;
    walk_list(W, seq, "failures", "failure", &failure_section, s->failures,
              sizeof *s->failures, label);
    failure_pairs(W, seq, s->failures, label);
}

static void read_stations(walker *W, const ynode *seq, void *at, const char *label)
{
    loader *L = loader_of(W);
    takt_plant *p = L->p;
    (void)at;
    (void)label;
    if (list_len(seq) == 0) {
        diags_add(W->d, seq->line, seq->col, "'stations' must list at least one station");
        return;
    }
    if (!(L->stas = alloc_items(W, seq, sizeof *L->stas)) ||
        !(p->stations = alloc_items(W, seq, sizeof *p->stations)))
        return;
    p->nstations = seq->n;
    L->station_list = seq;
    place_items(seq, L->stas, sizeof *L->stas, offsetof(station_entry, s.line));
    for (int i = 0; i < p->nstations; i++) {
        station *s = &L->stas[i].s;
        s->servers = s->batch = 1;
        s->workshop = s->calendar = s->rework_to = -1;
    }
    walk_list(W, seq, "stations", "station", &station_section, L->stas, sizeof *L->stas, NULL);
    /* The plant owns the values from here on; the entries keep the nodes. */
    for (int i = 0; i < p->nstations; i++) {
        p->stations[i] = L->stas[i].s;
        memset(&L->stas[i].s, 0, sizeof L->stas[i].s);
    }
    names_fill(W, &L->stations, seq, &p->stations[0].name, sizeof *p->stations, p->nstations,
               "station");
}

static void read_buffers(walker *W, const ynode *seq, void *at, const char *label)
{
    loader *L = loader_of(W);
    takt_plant *p = L->p;
    (void)at;
    (void)label;
    if (!(L->bufs = alloc_items(W, seq, sizeof *L->bufs)) ||
        !(p->buffers = alloc_items(W, seq, sizeof *p->buffers)))
        return;
    p->nbuffers = list_len(seq);
    L->buffer_list = seq;
    place_items(seq, L->bufs, sizeof *L->bufs, offsetof(buffer_entry, b.line));
    for (int i = 0; i < p->nbuffers; i++) {
        L->bufs[i].b.from = L->bufs[i].b.to = -1;
        L->bufs[i].b.take = 1;
        L->bufs[i].b.carried_by = -1;
        L->bufs[i].accumulating = 1;
    }
    walk_list(W, seq, "buffers", "buffer", &buffer_section, L->bufs, sizeof *L->bufs, NULL);
}

static void read_sources(walker *W, const ynode *seq, void *at, const char *label)
{
    loader *L = loader_of(W);
    (void)at;
    (void)label;
    if (!(L->srcs = alloc_items(W, seq, sizeof *L->srcs)) ||
        !(L->p->sources = alloc_items(W, seq, sizeof *L->p->sources)))
        return;
    L->p->nsources = list_len(seq);
    L->source_list = seq;
    place_items(seq, L->srcs, sizeof *L->srcs, offsetof(source_entry, s.line));
    for (int i = 0; i < L->p->nsources; i++)
        L->srcs[i].s.to = -1;
    walk_list(W, seq, "sources", "source", &source_section, L->srcs, sizeof *L->srcs, NULL);
}

/* ---- the start and the end ----------------------------------------------------- */

/* start: is read before the walk, so dates anywhere in the file (which
 * may come before it) can be turned into seconds. */
static void read_start(loader *L, const ynode *root)
{
    const ynode *v = map_value(root, "start");
    L->w.start_day = L->p->start_day = MONDAY_DAY;
    if (!v)
        return;
    if (read_day_value(&L->w, "start", v, &L->w.start_day)) {
        L->w.start = -1;
        return;
    }
    L->w.start = 1;
    L->p->has_start = 1;
    L->p->start_day = L->w.start_day;
}

static const char *const missing_horizon = "the plant is missing 'horizon' (the measured "
    "time after warm-up, e.g. horizon: 2000h; or, with start:, the last day, e.g. "
    "until: 2026-06-30)";

/* horizon: a duration, read in file order like any value; or a date,
 * which like until: is read after the walk, when the warm-up is known. */
static void read_horizon(walker *W, const ynode *v, void *at, const char *label)
{
    plant_entry *e = at;
    (void)label;
    e->horizon = v;
    if (!ynode_is_date(v))
        read_duration_value(W, "horizon", v, 1, &e->p.horizon);
}

/* A date ends the measured window at the end of that day, so the horizon
 * is what remains after the warm-up. */
static void read_end(loader *L)
{
    const plant_entry *e = L->top;
    const ynode *v = e->until ? e->until : e->horizon;
    const char *key = e->until ? "until" : "horizon";
    char buf[16];
    if (e->until && e->horizon) {
        diags_add(L->w.d, e->until->line, e->until->col, "'until' and 'horizon' both say when "
                  "the run ends: give one of them");
        return;
    }
    if (!v) {
        diags_add(L->w.d, 1, 1, "%s", missing_horizon);
        return;
    }
    if (!e->until && !ynode_is_date(v))
        return;
    double end;
    if (read_date_value(&L->w, key, v, DATE_END_OF_DAY, &end))
        return;
    if (end - L->p->warmup <= 0) {
        date_format(L->w.start_day, buf);
        diags_add(L->w.d, v->line, v->col, "'%s': the run ends before the warm-up is over "
                  "(time 0 is %s, the warm-up lasts %g h)", key, buf, L->p->warmup / 3600);
        return;
    }
    L->p->horizon = end - L->p->warmup;
}

/* ---- references ------------------------------------------------------------ */

static void owner_label(char *buf, size_t len, const char *what, const char *name, int i)
{
    char clip[80];
    if (name)
        snprintf(buf, len, "%s '%s'", what, text_clip(name, clip, sizeof clip, 60));
    else
        snprintf(buf, len, "%s %d", what, i + 1);
}

/* A source's queue is reported as a buffer named after the source. */
static void check_source_names(loader *L, const names *buffers)
{
    char clip[80];
    for (int i = 0; i < L->p->nsources; i++) {
        const char *name = L->srcs[i].s.name;
        int b = name ? names_find(buffers, name) : -1;
        if (b < 0)
            continue;
        const ynode *at = map_value(L->source_list->items[i], "name");
        diags_add(L->w.d, at->line, at->col, "source '%s' has the name of buffer '%s' (line %d): "
                  "a source's queue is shown as a buffer named after it, so the names must differ",
                  text_clip(name, clip, sizeof clip, 60), clip, L->bufs[b].b.line);
    }
}

static void resolve_line(loader *L)
{
    char label[128];
    takt_plant *p = L->p;
    walker *W = &L->w;
    for (int i = 0; i < p->nbuffers; i++) {
        buffer_entry *e = &L->bufs[i];
        owner_label(label, sizeof label, "buffer", e->b.name, i);
        e->b.from = names_resolve(W, &L->stations, e->from, label, "from", "station");
        e->b.to = names_resolve(W, &L->stations, e->to, label, "to", "station");
    }
    for (int i = 0; i < p->nsources; i++) {
        source_entry *e = &L->srcs[i];
        owner_label(label, sizeof label, "source", e->s.name, i);
        e->s.to = names_resolve(W, &L->stations, e->to, label, "to", "station");
    }
    names bix = { 0 }, six = { 0 };
    if (p->nbuffers)
        names_fill(W, &bix, L->buffer_list, &L->bufs[0].b.name, sizeof *L->bufs, p->nbuffers,
                   "buffer");
    if (p->nsources)
        names_fill(W, &six, L->source_list, &L->srcs[0].s.name, sizeof *L->srcs, p->nsources,
                   "source");
    check_source_names(L, &bix);
    names_free(&bix);
    names_free(&six);
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

static void loader_free(loader *L)
{
    free(L->stas);
    free(L->bufs);
    free(L->srcs);
    free(L->shops);
    free(L->orders);
    free(L->targets);
    names_free(&L->stations);
    names_free(&L->products);
    names_free(&L->calendars);
    names_free(&L->workshops);
    names_free(&L->pools);
    free(L->pools_e);
    free(L->loops_e);
    free(L->prefs);
}

/* Walk, resolve, wire: the plant (in L->top.p) is complete when no
 * diagnostic was added. */
static void read_plant(loader *L, const ynode *root)
{
    int before = L->w.d->n;
    char buf[96];
    takt_plant *p = L->p;
    p->replications = 10;
    p->seed = 1;
    p->calendar = -1;
    p->demand.delivery = dist_const(0);
    if (root->kind != YNODE_MAP) {
        diags_add(L->w.d, root->line, root->col, "the top level must be a mapping of keys "
                  "(name, horizon, stations, ...), got %s", ynode_describe(root, buf, sizeof buf));
        return;
    }
    read_start(L, root);
    walk_mapping(&L->w, root, &plant_section, L->top, "the plant");
    read_end(L);
    resolve_unit(L);
    resolve_pools(L);
    resolve_line(L);
    resolve_car(L);
    resolve_resources(L);
    if (L->w.d->n == before)
        wire_routes(L);
}

static takt_plant *load_text(const char *text, size_t len, const char *const *sets, int nsets,
                             diags *d, const char *path, const char *name_from)
{
    int before = d->n;
    ydoc doc;
    override_store store = { 0 };
    if (ydoc_parse(&doc, text, len, d)) {
        ydoc_free(&doc);
        return NULL;
    }
    /* A setting with a bad path is reported, and the file read with the
     * others, so that one run shows every problem. */
    override_apply(&doc, sets, nsets, &store, d);
    /* The plant is the first member of its entry, so the entry's memory is
     * the plant's and plant_free() releases both. */
    loader L = { .w = { .d = d } };
    if (!(L.top = calloc(1, sizeof *L.top))) {
        diags_add(d, 0, 0, "out of memory");
        override_free(&store);
        ydoc_free(&doc);
        return NULL;
    }
    takt_plant *p = L.p = &L.top->p;
    read_plant(&L, doc.root);
    loader_free(&L);
    override_free(&store);
    ydoc_free(&doc);
    if ((!p->name && !(p->name = default_name(name_from))) || (path && !(p->file = strdup(path))))
        diags_add(d, 0, 0, "out of memory");
    if (d->n == before && plant_link(p))
        diags_add(d, 0, 0, "out of memory");
    if (d->n == before)
        plant_validate(p, d);
    override_blame(d, before, sets, nsets);
    if (d->n > before) {
        plant_free(p);
        return NULL;
    }
    return p;
}

takt_plant *load_plant_file_with(const char *path, const char *const *sets, int nsets, diags *d)
{
    size_t len;
    char *text = ydoc_read_file(path, "a plant file", &len, d);
    if (!text)
        return NULL;
    takt_plant *p = load_text(text, len, sets, nsets, d, path, path);
    free(text);
    return p;
}

takt_plant *load_plant_bytes_with(const char *text, size_t len, const char *path,
                                  const char *const *sets, int nsets, diags *d)
{
    return load_text(text, len, sets, nsets, d, path, path);
}

takt_plant *load_plant_string_with(const char *text, size_t len, const char *const *sets,
                                   int nsets, diags *d)
{
    return load_text(text, len, sets, nsets, d, NULL, NULL);
}

takt_plant *load_plant_file(const char *path, diags *d)
{
    return load_plant_file_with(path, NULL, 0, d);
}

takt_plant *load_plant_string(const char *text, size_t len, diags *d)
{
    return load_text(text, len, NULL, 0, d, NULL, NULL);
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

takt_plant *takt_load_with(const char *path, const char *const *sets, int nsets, char **errors)
{
    diags d;
    diags_init(&d, path ? path : "<no file>");
    if (!path || nsets < 0 || (nsets > 0 && !sets)) {
        diags_add(&d, 0, 0, "no plant file, or a bad list of settings");
        return finish(NULL, &d, errors);
    }
    return finish(load_plant_file_with(path, sets, nsets, &d), &d, errors);
}

takt_plant *takt_load_string_with(const char *name, const char *yaml, size_t len,
                                  const char *const *sets, int nsets, char **errors)
{
    diags d;
    diags_init(&d, name ? name : "<string>");
    if (!yaml || nsets < 0 || (nsets > 0 && !sets)) {
        diags_add(&d, 0, 0, "no plant text, or a bad list of settings");
        return finish(NULL, &d, errors);
    }
    return finish(load_text(yaml, len, sets, nsets, &d, NULL, name), &d, errors);
}

takt_status takt_read_file(const char *path, char **text, size_t *len, char **message)
{
    diags d;
    size_t n = 0;
    if (message) *message = NULL;
    if (!text) return TAKT_EBADINPUT;
    diags_init(&d, path ? path : "<no file>");
    *text = path ? ydoc_read_file(path, "a plant file", &n, &d) : NULL;
    if (len) *len = n;
    if (*text) {
        char *z = realloc(*text, n + 1);      /* the promised final NUL */
        if (!z) { free(*text); *text = NULL; diags_free(&d); return TAKT_ENOMEM; }
        z[n] = 0;
        *text = z;
        diags_free(&d);
        return TAKT_OK;
    }
    if (!path) diags_add(&d, 0, 0, "no file name");
    if (message) *message = diags_text(&d);
    diags_free(&d);
    return TAKT_EIO;
}

takt_plant *takt_load_file_text(const char *path, const char *yaml, size_t len,
                                const char *const *sets, int nsets, char **errors)
{
    diags d;
    diags_init(&d, path ? path : "<no file>");
    if (!path || !yaml || nsets < 0 || (nsets > 0 && !sets)) {
        diags_add(&d, 0, 0, "no plant file or text, or a bad list of settings");
        return finish(NULL, &d, errors);
    }
    return finish(load_plant_bytes_with(yaml, len, path, sets, nsets, &d), &d, errors);
}

takt_plant *takt_load(const char *path, char **errors)
{
    return takt_load_with(path, NULL, 0, errors);
}

takt_plant *takt_load_string(const char *name, const char *yaml, size_t len, char **errors)
{
    return takt_load_string_with(name, yaml, len, NULL, 0, errors);
}

void takt_plant_free(takt_plant *p)
{
    plant_free(p);
}
