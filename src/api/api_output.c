/*
 * api_output.c — output groups through the public API: a takt_outputs is
 * the I/O layer's outfile_group (src/io/outfile.c, the one implementation
 * of temp-then-rename in the tree), allocated so its address is stable
 * for a signal handler that removes its temporaries.
 */
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "io/outfile.h"
#include "io/report.h"

struct takt_outputs {
    outfile_group g;
};

takt_outputs *takt_outputs_new(void)
{
    return calloc(1, sizeof(takt_outputs));
}

void takt_outputs_free(takt_outputs *g)
{
    if (!g) return;
    outfile_group_discard(&g->g);
    free(g);
}

takt_status takt_outputs_open(takt_outputs *g, const char *path, FILE **f, char **message)
{
    char err[1024];
    if (message) *message = NULL;
    if (f) *f = NULL;
    if (!g || !path || !f) return TAKT_EBADINPUT;
    outfile *o = outfile_group_open(&g->g, path, err, sizeof err);
    if (!o) { api_message(message, err); return TAKT_EIO; }
    *f = o->f;
    return TAKT_OK;
}

takt_status takt_outputs_csv(takt_outputs *g, const takt_result *r, const char *dir,
                             char **message)
{
    char err[1024];
    if (message) *message = NULL;
    if (!g || !r || !dir) return TAKT_EBADINPUT;
    if (report_csv(dir, r->sum, &g->g, err, sizeof err) < 0) {
        api_message(message, err);
        return TAKT_EIO;
    }
    return TAKT_OK;
}

takt_status takt_outputs_finish(takt_outputs *g, char **message)
{
    char err[1024];
    if (message) *message = NULL;
    if (!g) return TAKT_EBADINPUT;
    if (outfile_group_finish(&g->g, err, sizeof err) < 0) {
        api_message(message, err);
        return TAKT_EIO;
    }
    return TAKT_OK;
}

takt_status takt_outputs_place(takt_outputs *g, char **message)
{
    char err[1024];
    if (message) *message = NULL;
    if (!g) return TAKT_EBADINPUT;
    if (outfile_group_place(&g->g, err, sizeof err) < 0) {
        api_message(message, err);
        return TAKT_EIO;
    }
    return TAKT_OK;
}

void takt_outputs_unlink_tmp(const takt_outputs *g)
{
    if (g) outfile_group_unlink_tmp(&g->g);
}
