/*
 * plant_edit.h — a plant file's text with some of its values replaced
 * ("PATH=VALUE" as in --set, src/io/override.h), everything else kept as
 * written: comments, order, layout.  What `takt fit --plant` writes.
 */
#ifndef TAKT_PLANT_EDIT_H
#define TAKT_PLANT_EDIT_H

#include <stddef.h>

/* Replace the value at each PATH by VALUE.  Each PATH must name a value
 * written in the file as a plain (unquoted, one-line) scalar.  Returns 0
 * with a malloc'd *out of *outlen bytes, or -1 with a message in err. */
int plant_edit(const char *text, size_t len, const char *const *sets, int n, char **out,
               size_t *outlen, char *err, int errlen);

#endif
