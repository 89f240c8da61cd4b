/*
 * api_plant.c — statuses, the version, and what a loaded plant says about
 * itself (its stations, buffers and settings).  Loading is the loader's
 * (src/io/load.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "model/plant.h"
#include "io/distparse.h"
#include "exp/cluster.h"

const char *takt_strerror(takt_status status)
{
    switch (status) {
    case TAKT_OK:           return "success";
    case TAKT_EBADINPUT:    return "bad input";
    case TAKT_EDEADLOCK:    return "the plant deadlocked";
    case TAKT_EINTERRUPTED: return "interrupted";
    case TAKT_ENOMEM:       return "out of memory";
    case TAKT_EIO:          return "input/output error";
    case TAKT_ENOTFOUND:    return "not found";
    case TAKT_ENOTROOT:     return "not the root MPI rank: rank 0 has the result";
    }
    return "unknown status";
}

const char *takt_version(void) { return TAKT_VERSION; }

void api_message(char **message, const char *text)
{
    if (message) *message = text ? strdup(text) : NULL;
}

int api_station_index(const takt_plant *p, const char *name)
{
    if (!p || !name) return -1;
    for (int i = 0; i < p->nstations; i++)
        if (!strcmp(p->stations[i].name, name)) return i;
    return -1;
}

int api_buffer_index(const takt_plant *p, const char *name)
{
    if (!p || !name) return -1;
    for (int i = 0; i < p->nbuffers + p->nsources; i++)
        if (!strcmp(plant_buffer_name(p, i), name)) return i;
    return -1;
}

const char *takt_plant_name(const takt_plant *p) { return p ? p->name : NULL; }
int takt_plant_station_count(const takt_plant *p) { return p ? p->nstations : 0; }
int takt_plant_buffer_count(const takt_plant *p) { return p ? p->nbuffers + p->nsources : 0; }

const char *takt_plant_station(const takt_plant *p, int i)
{
    return p && i >= 0 && i < p->nstations ? p->stations[i].name : NULL;
}

const char *takt_plant_buffer(const takt_plant *p, int i)
{
    return p && i >= 0 && i < p->nbuffers + p->nsources ? plant_buffer_name(p, i) : NULL;
}

/* "stations.NAME.KEY" -> NAME and KEY (a name may itself hold dots, so
 * the key is what follows the last one). */
static int split_path(const char *path, const char *prefix, char *name, size_t len,
                      const char **key)
{
    size_t n = strlen(prefix);
    if (strncmp(path, prefix, n)) return -1;
    const char *dot = strrchr(path + n, '.');
    if (!dot || dot == path + n || (size_t)(dot - (path + n)) >= len) return -1;
    memcpy(name, path + n, (size_t)(dot - (path + n)));
    name[dot - (path + n)] = 0;
    *key = dot + 1;
    return 0;
}

takt_status takt_plant_setting(const takt_plant *p, const char *path, double *value)
{
    char name[256];
    const char *key;
    double v;
    if (!p || !path) return TAKT_EBADINPUT;
    if (!strcmp(path, "replications")) v = p->replications;
    else if (!strcmp(path, "seed")) v = (double)p->seed;
    else if (!strcmp(path, "horizon")) v = p->horizon;
    else if (!strcmp(path, "warmup")) v = p->warmup;
    else if (!split_path(path, "stations.", name, sizeof name, &key) && !strcmp(key, "servers")) {
        int i = api_station_index(p, name);
        if (i < 0) return TAKT_ENOTFOUND;
        v = p->stations[i].servers;
    } else if (!split_path(path, "buffers.", name, sizeof name, &key) && !strcmp(key, "capacity")) {
        int i = api_buffer_index(p, name);
        if (i < 0 || i >= p->nbuffers) return TAKT_ENOTFOUND;
        v = p->buffers[i].capacity == CAP_INF ? INFINITY : (double)p->buffers[i].capacity;
    } else {
        return TAKT_ENOTFOUND;
    }
    if (value) *value = v;
    return TAKT_OK;
}

takt_status takt_parse_duration(const char *text, double *seconds, char **message)
{
    char err[512];
    double v;
    if (message) *message = NULL;
    if (!text || parse_duration(text, &v, err, sizeof err) < 0) {
        api_message(message, text ? err : "no duration");
        return TAKT_EBADINPUT;
    }
    if (seconds) *seconds = v;
    return TAKT_OK;
}

takt_status takt_mpi_init(int *argc, char ***argv)
{
    return cluster_init(argc, argv) < 0 ? TAKT_EIO : TAKT_OK;
}

void takt_mpi_finalize(void) { cluster_finalize(); }
void takt_mpi_abort(int status) { cluster_abort(status); }
