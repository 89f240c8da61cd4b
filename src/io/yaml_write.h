/*
 * yaml_write.h — a YAML tree (yaml_doc.h) written back as YAML text, so a
 * plant with settings applied (override.h) can be saved: `takt optimise
 * --plant OUT.yaml`.  Comments of the original are not kept.
 */
#ifndef TAKT_YAML_WRITE_H
#define TAKT_YAML_WRITE_H

#include <stdio.h>
#include "io/yaml_doc.h"

/* Returns 0, or -1 on a write error. */
int ydoc_write(FILE *f, const ynode *root);

/* Read the plant file at path, apply the settings and write the result
 * to f.  Returns 0; -1 the file cannot be read or a setting is bad (the
 * problems in d); -2 a write error. */
int plant_file_write_with(FILE *f, const char *path, const char *const *sets, int nsets,
                          diags *d);

#endif
