/*
 * override.h — settings given on the command line ("--set PATH=VALUE"),
 * applied to a plant file's YAML tree before it is read, so a sweep can
 * vary any value of the file without editing it.
 *
 * PATH is dot-separated keys following the plant file; a list element is
 * named by its `name` or by its index from 0 (buffers.B1.capacity,
 * stations.paint-robot.servers, stations.M1.failures.0.ttf).  A missing
 * last key is added to its mapping.  VALUE is a plain YAML scalar (3, inf,
 * exp(2h)); a value starting with [ or { is read as a YAML flow list or
 * mapping.  Problems are reported as "--set PATH=VALUE: message".
 */
#ifndef TAKT_OVERRIDE_H
#define TAKT_OVERRIDE_H

#include <stddef.h>
#include "yaml_doc.h"
#include "../model/plant.h"

/* Load a plant with settings applied; like load_plant_string/_file
 * (load.h) otherwise.  sets may be NULL when nsets is 0. */
takt_plant *load_plant_string_with(const char *text, size_t len, const char *const *sets,
                                   int nsets, diags *d);
takt_plant *load_plant_file_with(const char *path, const char *const *sets, int nsets,
                                 diags *d);
/* As load_plant_file_with, from a plant file's bytes read by the caller
 * (ydoc_read_file), so what is loaded and what is hashed are the same. */
takt_plant *load_plant_bytes_with(const char *text, size_t len, const char *path,
                                  const char *const *sets, int nsets, diags *d);

/* ---- for the loader ------------------------------------------------------ */

/* The nodes the settings add; they live until the plant has been read. */
typedef struct override_store {
    void **blocks; int n, cap;      /* scalar nodes                      */
    ydoc *docs; int ndocs;          /* values written as [...] or {...}  */
} override_store;

/* Apply every setting to doc; returns 0, or -1 after reporting each bad
 * path.  Nodes made from setting k carry line 0 and column -(k + 1), so
 * problems found in them later can be blamed on the setting. */
int override_apply(ydoc *doc, const char *const *sets, int nsets, override_store *st,
                   diags *d);
void override_free(override_store *st);
/* Rewrite diagnostics d->v[from..] that point into a setting as
 * "--set PATH=VALUE: message" without a position. */
void override_blame(diags *d, int from, const char *const *sets, int nsets);

#endif
