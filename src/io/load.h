/*
 * load.h — the YAML plant loader.  Reads a plant file with libyaml, checks
 * every key and value against the plant-file format (docs/plant-format.md)
 * and reports each problem with its line and column.
 */
#ifndef TAKT_LOAD_H
#define TAKT_LOAD_H

#include <stddef.h>
#include "../model/plant.h"

/* Load and validate.  Returns the plant, or NULL with at least one
 * diagnostic in d (d->file is set by the caller through diags_init). */
takt_plant *load_plant_file(const char *path, diags *d);
takt_plant *load_plant_string(const char *text, size_t len, diags *d);

#endif
