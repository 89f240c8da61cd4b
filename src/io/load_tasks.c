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

static char *slurp(const char *path, size_t *len, diags *d)
{
    char clip[200];
    text_clip(path, clip, sizeof clip, 160);
    FILE *f = fopen(path, "rb");
    if (!f) {
        diags_add(d, 0, 0, "cannot open '%s': %s", clip, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        diags_add(d, 0, 0, "cannot read '%s': it is a directory, not a task file", clip);
        fclose(f);
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *text = malloc(cap);
    while (text) {
        n += fread(text + n, 1, cap - n, f);
        if (n < cap || n > YDOC_MAX_BYTES) break;
        char *more = realloc(text, cap * 2);
        if (!more) free(text);
        text = more;
        cap *= 2;
    }
    if (!text) diags_add(d, 0, 0, "out of memory while reading '%s'", clip);
    else if (ferror(f)) { diags_add(d, 0, 0, "cannot read '%s': %s", clip, strerror(errno)); free(text); text = NULL; }
    else if (n > YDOC_MAX_BYTES) { diags_add(d, 0, 0, "the file is too large: more than 64 MiB"); free(text); text = NULL; }
    fclose(f);
    *len = n;
    return text;
}

int load_tasks_file(const char *path, bal_tasks *t, diags *d)
{
    memset(t, 0, sizeof *t);
    size_t len;
    char *text = slurp(path, &len, d);
    if (!text) return -1;
    int rc;
    if (ends_with(path, ".in2")) rc = load_tasks_in2(text, len, t, d);
    else if (ends_with(path, ".alb")) rc = load_tasks_alb(text, len, t, d);
    else rc = load_tasks_yaml(text, len, t, d);
    free(text);
    if (rc < 0) bal_tasks_free(t);
    return rc;
}
