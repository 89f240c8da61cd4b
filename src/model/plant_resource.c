/*
 * plant_resource.c — validation and freeing of the resource layer of a
 * plant description: pools, needs, carrier loops, maintenance plans,
 * changeover matrices and conveyors.  The loader reports most mistakes at
 * the key that makes them; these checks hold for plants built through the
 * C API too, and the ones that need the whole graph (can a loop's `to` be
 * reached from its `from`?) live only here.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "plant.h"

static const char *nm(const char *name)
{
    return name ? name : "?";
}

static int valid_pool(const takt_plant *p, int k)
{
    return k >= 0 && k < p->nresources;
}

/* Can station `to` be reached from `from` along buffers?  Breadth first,
 * O(stations + buffers) with the links of plant_link(). */
static int reaches(const takt_plant *p, int from, int to)
{
    if (from == to) return 1;
    char *seen = calloc((size_t)p->nstations, 1);
    int *queue = malloc((size_t)p->nstations * sizeof *queue);
    int head = 0, tail = 0, found = -1;
    if (seen && queue) {
        found = 0;
        seen[from] = 1;
        queue[tail++] = from;
        while (head < tail && !found) {
            const station *s = &p->stations[queue[head++]];
            for (int k = 0; k < s->nout; k++) {
                int nx = p->buffers[s->out[k]].to;
                if (nx < 0 || nx >= p->nstations || seen[nx]) continue;
                if (nx == to) { found = 1; break; }
                seen[nx] = 1;
                queue[tail++] = nx;
            }
        }
    }
    free(seen);
    free(queue);
    return found;
}

static void check_loops(const takt_plant *p, diags *d)
{
    if (p->ncarriers > MAX_CARRIER_LOOPS)
        diags_add(d, p->carriers[MAX_CARRIER_LOOPS].line, p->carriers[MAX_CARRIER_LOOPS].col,
                  "too many carrier loops: %d (limit %d)", p->ncarriers, MAX_CARRIER_LOOPS);
    for (int l = 0; l < p->ncarriers && l < MAX_CARRIER_LOOPS; l++) {
        const carrier_loop *c = &p->carriers[l];
        if (c->count < 1) {
            diags_add(d, c->line, c->col, "carrier loop '%s' has %d carriers: with none, no "
                      "part could ever start at its 'from' station (the plant would deadlock)",
                      nm(c->name), c->count);
            continue;
        }
        if (c->from < 0 || c->from >= p->nstations || c->to < 0 || c->to >= p->nstations) {
            diags_add(d, c->line, c->col, "carrier loop '%s' does not name two stations of "
                      "the plant", nm(c->name));
            continue;
        }
        int r = reaches(p, c->from, c->to);
        if (r < 0)
            diags_add(d, 0, 0, "out of memory");
        else if (!r)
            diags_add(d, c->line, c->col, "carrier loop '%s': station '%s' ('to') cannot be "
                      "reached from station '%s' ('from') along the buffers, so its carriers "
                      "would never come back", nm(c->name), nm(p->stations[c->to].name),
                      nm(p->stations[c->from].name));
    }
}

void plant_check_resources(const takt_plant *p, diags *d)
{
    for (int k = 0; k < p->nresources; k++)
        if (p->resources[k].count < 1)
            diags_add(d, p->resources[k].line, p->resources[k].col, "resource '%s' must have "
                      "at least 1 unit, got %d", nm(p->resources[k].name), p->resources[k].count);
    for (int i = 0; i < p->nstations; i++) {
        const station *s = &p->stations[i];
        for (int k = 0; k < s->nneeds; k++) {
            const need *n = &s->needs[k];
            if (!valid_pool(p, n->pool))
                diags_add(d, s->line, s->col, "station '%s' needs a resource the plant does "
                          "not list", nm(s->name));
            else if (n->units < 1 || n->units > p->resources[n->pool].count)
                diags_add(d, s->line, s->col, "station '%s' needs %d units of '%s', which has "
                          "%d", nm(s->name), n->units, nm(p->resources[n->pool].name),
                          p->resources[n->pool].count);
        }
        for (int f = 0; f < s->nfailures; f++)
            if (s->failures[f].repair_by != -1 && !valid_pool(p, s->failures[f].repair_by))
                diags_add(d, s->failures[f].line, s->failures[f].col, "station '%s': "
                          "'repair_by' names no resource of the plant", nm(s->name));
        for (int k = 0; k < s->nmaint; k++) {
            const maint_plan *m = &s->maint[k];
            if (m->by != -1 && !valid_pool(p, m->by))
                diags_add(d, m->line, m->col, "station '%s': maintenance 'by' names no "
                          "resource of the plant", nm(s->name));
            if (!(m->every > 0) && m->parts < 1)
                diags_add(d, m->line, m->col, "station '%s': maintenance needs 'every' (hours "
                          "or parts)", nm(s->name));
        }
    }
    for (int b = 0; b < p->nbuffers; b++) {
        const buffer *bf = &p->buffers[b];
        if (bf->carried_by != -1 && (!valid_pool(p, bf->carried_by) || !(bf->transit > 0)))
            diags_add(d, bf->line, bf->col, "buffer '%s': 'carried_by' needs a resource of "
                      "the plant and a transit time", nm(bf->name));
    }
    check_loops(p, d);
}

void plant_free_resources(takt_plant *p)
{
    for (int k = 0; k < p->nresources && p->resources; k++)
        free(p->resources[k].name);
    free(p->resources);
    for (int l = 0; l < p->ncarriers && p->carriers; l++) {
        free(p->carriers[l].name);
        free(p->carriers[l].ret.values);
    }
    free(p->carriers);
}

void station_free_resources(station *s, int nproducts)
{
    free(s->needs);
    for (int k = 0; k < s->nmaint && s->maint; k++)
        free(s->maint[k].duration.values);
    free(s->maint);
    for (int k = 0; s->setup_matrix && k < nproducts * nproducts; k++)
        free(s->setup_matrix[k].values);
    free(s->setup_matrix);
    free(s->setup_given);
}
