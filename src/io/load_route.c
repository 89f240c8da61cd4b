/*
 * load_route.c — buffers a plant file implies without listing them.
 *
 * `to:` on a station says where its parts go, with routing probabilities
 * and the products allowed on each way; `rework: {p, to: R}` sends a share
 * of its parts to a rework station.  Both are shorthand for buffers: an
 * existing buffer between the two stations is used when there is exactly
 * one, otherwise one is made (marked implicit, named "FROM->TO").  A `to:`
 * buffer has capacity 0, a direct hand-over, because `to:` describes the
 * flow, not storage; a rework loop gets unbounded buffers both ways, so
 * rework never blocks the line it serves.
 *
 * Runs only on a file without other problems: every name is resolved and
 * the buffers are final, so each station's outgoing buffers can be found
 * through one index built in linear time.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "load_internal.h"

typedef struct route {
    const ynode *station, *products;
    double p;
} route;

static const field route_fields[] = {
    FIELD(route, "station", F_NODE, station, "the station, e.g. station: M2"),
    NUMBER(route, "p", p, NULL, 0, 1, NUM_LO_OPEN),
    FIELD(route, "products", F_NODE, products, NULL),
};
SECTION(route_section, "in %s", route_fields);

/* Outgoing buffers of each station: out[first[s] .. first[s + 1]). */
typedef struct out_index {
    int *first, *out;
} out_index;

static void index_free(out_index *ix)
{
    free(ix->first);
    free(ix->out);
}

static int index_build(const takt_plant *p, out_index *ix)
{
    ix->first = calloc((size_t)p->nstations + 2, sizeof *ix->first);
    ix->out = malloc(((size_t)p->nbuffers + 1) * sizeof *ix->out);
    int *fill = malloc(((size_t)p->nstations + 1) * sizeof *fill);
    if (!ix->first || !ix->out || !fill) {
        free(fill);
        index_free(ix);
        return -1;
    }
    for (int b = 0; b < p->nbuffers; b++)
        ix->first[p->buffers[b].from + 1]++;
    for (int s = 0; s < p->nstations; s++)
        ix->first[s + 1] += ix->first[s];
    memcpy(fill, ix->first, (size_t)p->nstations * sizeof *fill);
    for (int b = 0; b < p->nbuffers; b++)
        ix->out[fill[p->buffers[b].from]++] = b;
    free(fill);
    return 0;
}

/* Buffers from -> to: how many, and the first in *which. */
static int count_between(const takt_plant *p, const out_index *ix, int from, int to, int *which)
{
    int n = 0;
    for (int k = ix->first[from]; k < ix->first[from + 1]; k++)
        if (p->buffers[ix->out[k]].to == to && n++ == 0)
            *which = ix->out[k];
    return n;
}

/* A new buffer "FROM->TO"; its index, or -1 after reporting. */
static int add_buffer(loader *L, names *bufnames, int from, int to, long capacity, const ynode *at)
{
    takt_plant *p = L->p;
    const char *a = p->stations[from].name, *b = p->stations[to].name;
    size_t len = strlen(a) + strlen(b) + 3;
    char *name = malloc(len);
    buffer *more = p->buffers;
    if (p->nbuffers >= L->buffer_cap) {         /* doubling: many `to:` stay linear */
        int cap = p->nbuffers < 8 ? 16 : 2 * p->nbuffers;
        if ((more = realloc(p->buffers, (size_t)cap * sizeof *more))) {
            p->buffers = more;
            L->buffer_cap = cap;
        }
    }
    if (!name || !more) {
        free(name);
        diags_add(L->w.d, 0, 0, "out of memory");
        return -1;
    }
    snprintf(name, len, "%s->%s", a, b);
    int clash = names_add(bufnames, name);
    if (clash != -1) {
        if (clash >= 0)
            diags_add(L->w.d, at->line, at->col, "the buffer this makes from '%s' to '%s' "
                      "would be named '%s', which is already the name of a buffer or source: "
                      "rename that one", a, b, name);
        else
            diags_add(L->w.d, 0, 0, "out of memory");
        free(name);
        return -1;
    }
    buffer *bf = &p->buffers[p->nbuffers];
    memset(bf, 0, sizeof *bf);
    bf->name = name;
    bf->line = at->line;
    bf->col = at->col;
    bf->from = from;
    bf->to = to;
    bf->capacity = capacity;
    bf->take = 1;
    bf->implicit = 1;
    bf->carried_by = -1;
    return p->nbuffers++;
}

/* The buffer for one way of `to:`, with its probability and products. */
static void wire_route(loader *L, names *bufnames, const out_index *ix, int from,
                       const route *r, const ynode *at, const char *owner)
{
    takt_plant *p = L->p;
    char clip[80];
    int to = names_resolve(&L->w, &L->stations, r->station, owner, "to", "station");
    if (to < 0)
        return;
    if (to == from) {
        diags_add(L->w.d, at->line, at->col, "%s sends parts to itself in 'to'", owner);
        return;
    }
    int b = -1, n = count_between(p, ix, from, to, &b);
    if (n > 1) {
        diags_add(L->w.d, at->line, at->col, "%s: there are %d buffers to station '%s', so "
                  "'to' cannot tell which one to use: give 'p' and 'products' on the buffers",
                  owner, n, text_clip(p->stations[to].name, clip, sizeof clip, 60));
        return;
    }
    if (n == 0 && (b = add_buffer(L, bufnames, from, to, 0, at)) < 0)
        return;
    buffer *bf = &p->buffers[b];
    if (r->p > 0) {
        if (bf->p > 0)
            diags_add(L->w.d, at->line, at->col, "%s: buffer '%s' already has 'p': give it in "
                      "one place", owner, bf->name);
        bf->p = r->p;
    }
    if (r->products) {
        if (bf->products)
            diags_add(L->w.d, at->line, at->col, "%s: buffer '%s' already has 'products': give "
                      "them in one place", owner, bf->name);
        else
            product_mask(L, r->products, owner, &bf->products);
    }
}

/* to: M2 | [M2, M3] | [{station: M2, p: 0.3, products: [SU7]}, ...] */
static void wire_station(loader *L, names *bufnames, const out_index *ix, int s, const ynode *v)
{
    char owner[128], label[200], clip[80];
    const char *name = L->p->stations[s].name;
    snprintf(owner, sizeof owner, "station '%s'", text_clip(name, clip, sizeof clip, 60));
    if (v->kind == YNODE_SCALAR && !ynode_is_null(v)) {
        route r = { v, NULL, 0 };
        wire_route(L, bufnames, ix, s, &r, v, owner);
        return;
    }
    if (v->kind != YNODE_SEQ) {
        type_error(&L->w, v, "to", "a station name or a list of stations or of {station: NAME, "
                   "p: P, products: [...]}");
        return;
    }
    int *seen = calloc((size_t)L->p->nstations, sizeof *seen);
    if (!seen) {
        diags_add(L->w.d, 0, 0, "out of memory");
        return;
    }
    for (int i = 0; i < v->n; i++) {
        const ynode *item = v->items[i];
        route r = { item, NULL, 0 };
        if (item->kind == YNODE_MAP) {
            int before = L->w.d->n;
            snprintf(label, sizeof label, "'to' entry %d of %s", i + 1, owner);
            r.station = NULL;
            walk_mapping(&L->w, item, &route_section, &r, label);
            if (L->w.d->n > before || !r.station)
                continue;
        }
        int to = r.station->kind == YNODE_SCALAR ? names_find(&L->stations, r.station->text) : -1;
        if (to >= 0 && seen[to]++) {
            diags_add(L->w.d, item->line, item->col, "%s: station '%s' appears twice in 'to'",
                      owner, text_clip(r.station->text, clip, sizeof clip, 60));
            continue;
        }
        wire_route(L, bufnames, ix, s, &r, item, owner);
    }
    free(seen);
}

/* Rework of station s into station r: the way there, and (when r has no
 * way out of its own) the way back.  first[r] is the first station that
 * reworks into r, shared[r] whether there are more; has_input[s] whether
 * s has a buffer or source in front of it. */
static void wire_rework(loader *L, names *bufnames, const out_index *ix, int s,
                        const int *first, const unsigned char *shared,
                        const unsigned char *has_input)
{
    takt_plant *p = L->p;
    const station *st = &p->stations[s];
    const ynode *at = L->stas[s].rework;
    int r = st->rework_to, b = -1;
    int n = count_between(p, ix, s, r, &b);
    int own_out = ix->first[r + 1] > ix->first[r];
    if (n > 1) {
        diags_add(L->w.d, at->line, at->col, "station '%s' has %d buffers to its rework station "
                  "'%s': keep one", st->name, n, p->stations[r].name);
        return;
    }
    if (n == 0 && add_buffer(L, bufnames, s, r, CAP_INF, at) < 0)
        return;
    if (own_out)
        return;
    if (shared[r]) {
        if (first[r] == s)
            diags_add(L->w.d, at->line, at->col, "rework station '%s' serves several stations "
                      "but has no outgoing buffer: give it buffers (or 'to') that say where "
                      "repaired parts go", p->stations[r].name);
        return;
    }
    if (st->assembly || !has_input[s]) {
        diags_add(L->w.d, at->line, at->col, "station '%s' %s, so repaired parts cannot return "
                  "to it: give rework station '%s' an outgoing buffer", st->name, st->assembly
                  ? "is an assembly station (they would be one more input)"
                  : "releases parts (with an input it would wait for parts instead)",
                  p->stations[r].name);
        return;
    }
    add_buffer(L, bufnames, r, s, CAP_INF, at);
}

static void wire_reworks(loader *L, names *bufnames)
{
    takt_plant *p = L->p;
    out_index ix;
    int *first = malloc(((size_t)p->nstations + 1) * sizeof *first);
    unsigned char *shared = calloc((size_t)p->nstations + 1, 1);
    unsigned char *has_input = calloc((size_t)p->nstations + 1, 1);
    if (!first || !shared || !has_input || index_build(p, &ix)) {
        free(first);
        free(shared);
        free(has_input);
        diags_add(L->w.d, 0, 0, "out of memory");
        return;
    }
    for (int b = 0; b < p->nbuffers; b++)
        has_input[p->buffers[b].to] = 1;
    for (int i = 0; i < p->nsources; i++)
        has_input[p->sources[i].to] = 1;
    for (int s = 0; s < p->nstations; s++)
        first[s] = -1;
    for (int s = 0; s < p->nstations; s++) {
        int r = p->stations[s].rework_to;
        if (r < 0)
            continue;
        if (first[r] >= 0)
            shared[r] = 1;
        else
            first[r] = s;
    }
    for (int s = 0; s < p->nstations; s++)
        if (p->stations[s].rework_to >= 0)
            wire_rework(L, bufnames, &ix, s, first, shared, has_input);
    free(first);
    free(shared);
    free(has_input);
    index_free(&ix);
}

void wire_routes(loader *L)
{
    takt_plant *p = L->p;
    names bufnames;
    out_index ix;
    int routed = 0, reworked = 0, before = L->w.d->n;
    for (int s = 0; s < p->nstations; s++) {
        routed |= L->stas[s].to != NULL;
        reworked |= p->stations[s].rework_to >= 0;
    }
    if (!routed && !reworked)
        return;
    names_fill(&L->w, &bufnames, NULL, p->nbuffers ? &p->buffers[0].name : NULL,
               sizeof *p->buffers, p->nbuffers, "buffer");
    for (int i = 0; i < p->nsources; i++)
        names_add(&bufnames, p->sources[i].name);
    if (routed && index_build(p, &ix) == 0) {
        for (int s = 0; s < p->nstations; s++)
            if (L->stas[s].to)
                wire_station(L, &bufnames, &ix, s, L->stas[s].to);
        index_free(&ix);
    } else if (routed) {
        diags_add(L->w.d, 0, 0, "out of memory");
    }
    if (reworked && L->w.d->n == before)
        wire_reworks(L, &bufnames);
    names_free(&bufnames);
}
