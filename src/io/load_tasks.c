/*
 * load_tasks.c — reading a line-balancing problem from a file: the format
 * is chosen by the file name (.IN2 Scholl, .alb Otto et al., else YAML).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "load_tasks.h"
#include "yaml_doc.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcasecmp(s + n - k, suffix);
}

int load_tasks_file(const char *path, bal_tasks *t, diags *d)
{
    memset(t, 0, sizeof *t);
    size_t len;
    char *text = ydoc_read_file(path, "a task file", &len, d);
    if (!text) return -1;
    int rc;
    if (ends_with(path, ".in2")) rc = load_tasks_in2(text, len, t, d);
    else if (ends_with(path, ".alb")) rc = load_tasks_alb(text, len, t, d);
    else rc = load_tasks_yaml(text, len, t, d);
    free(text);
    if (rc < 0) bal_tasks_free(t);
    return rc;
}
