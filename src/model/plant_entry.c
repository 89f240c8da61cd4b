/*
 * plant_entry.c — can anything ever enter the plant?  Part of the plant's
 * validation (plant.c): a plant where no part can arrive is refused rather
 * than reported as producing nothing.
 */
#include <stdlib.h>
#include "plant.h"

/* Whether something other than a station without input can bring parts
 * into the plant: a source.  (A closed loop of carriers starts a plant
 * too: the carriers of a plant belong here when the model has them.) */
static int starts_otherwise(const takt_plant *p)
{
    return p->nsources > 0;
}

/* Something must be able to enter: a station with no input at all takes
 * raw material, so when every station has an input (and nothing else
 * starts the plant) no part can ever arrive, and the run would report
 * nothing produced without a word.  Following any input upstream from
 * any station then must come back to a station already seen: one in a
 * closed loop of buffers, which is where the message points. */
void plant_check_entry(const takt_plant *p, diags *d)
{
    int n = p->nstations;
    if (starts_otherwise(p) || n <= 0) return;
    int *up = malloc((size_t)n * sizeof *up);
    char *seen = calloc((size_t)n, 1);
    if (!up || !seen) {
        diags_add(d, 0, 0, "out of memory");
        goto done;
    }
    for (int i = 0; i < n; i++) up[i] = -1;
    for (int b = 0; b < p->nbuffers; b++) up[p->buffers[b].to] = p->buffers[b].from;
    for (int i = 0; i < n; i++)
        if (up[i] < 0) goto done;               /* raw material enters here */
    int s = 0;
    while (!seen[s]) {
        seen[s] = 1;
        s = up[s];
    }
    diags_add(d, p->stations[s].line, p->stations[s].col, "nothing can ever enter the plant: "
              "every station takes its parts from a buffer, and station '%s' is in a closed loop "
              "of buffers; give a source, or a first station with no input", p->stations[s].name ? p->stations[s].name : "?");
done:
    free(up);
    free(seen);
}
