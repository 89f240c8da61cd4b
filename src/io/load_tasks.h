/*
 * load_tasks.h — readers of line-balancing problems: the YAML task file
 * (docs/balance.md), Scholl's .IN2 and Otto et al.'s .alb benchmark
 * formats.  Every problem is reported with its line and column.
 */
#ifndef TAKT_LOAD_TASKS_H
#define TAKT_LOAD_TASKS_H

#include <stddef.h>
#include "../core/diag.h"
#include "../balance/tasks.h"

/* Read path, choosing the format by its name (.IN2, .alb, else YAML).
 * 0, or -1 with at least one diagnostic in d. */
int load_tasks_file(const char *path, bal_tasks *t, diags *d);

/* The readers on text in memory (len bytes, need not end in NUL). */
int load_tasks_yaml(const char *text, size_t len, bal_tasks *t, diags *d);
int load_tasks_in2(const char *text, size_t len, bal_tasks *t, diags *d);
int load_tasks_alb(const char *text, size_t len, bal_tasks *t, diags *d);

#endif
