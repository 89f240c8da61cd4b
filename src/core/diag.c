/*
 * diag.c — a growable list of positioned diagnostics.
 *
 * Loaders report every problem they find rather than stopping at the first,
 * so messages are collected here and formatted by the caller.  Adding a
 * message must never fail the caller: when memory runs out the message
 * text is lost but the count still rises, so "input has errors" is never
 * mistaken for "input is fine".  Slots that could not be filled hold a NULL
 * message and format as a placeholder.
 */
#include "core/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diags_init(diags *d, const char *file)
{
    d->file = NULL;
    if (file) {
        size_t len = strlen(file) + 1;
        d->file = malloc(len);
        if (d->file)
            memcpy(d->file, file, len);
    }
    d->v = NULL;
    d->n = d->cap = 0;
}

void diags_free(diags *d)
{
    int stored = d->n < d->cap ? d->n : d->cap;
    for (int i = 0; i < stored; i++)
        free(d->v[i].msg);
    free(d->v);
    free(d->file);
    d->v = NULL;
    d->file = NULL;
    d->n = d->cap = 0;
}

/* Make room for index need-1; new slots start empty (NULL message). */
static int diags_reserve(diags *d, int need)
{
    if (need <= d->cap)
        return 0;
    int cap = d->cap ? d->cap : 8;
    while (cap < need)
        cap *= 2;
    diag *v = realloc(d->v, (size_t)cap * sizeof *v);
    if (!v)
        return -1;
    memset(v + d->cap, 0, (size_t)(cap - d->cap) * sizeof *v);
    d->v = v;
    d->cap = cap;
    return 0;
}

static char *format_message(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int len = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (len < 0)
        return NULL;
    char *msg = malloc((size_t)len + 1);
    if (msg)
        vsnprintf(msg, (size_t)len + 1, fmt, ap);
    return msg;
}

void diags_add(diags *d, int line, int col, const char *fmt, ...)
{
    int i = d->n++;
    if (diags_reserve(d, i + 1) != 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    d->v[i].msg = format_message(fmt, ap);
    va_end(ap);
    d->v[i].line = line;
    d->v[i].col = col;
}

void diags_format(const diags *d, int i, char *buf, int len)
{
    if (!buf || len <= 0)
        return;
    buf[0] = '\0';
    if (i < 0 || i >= d->n)
        return;
    const char *file = d->file ? d->file : "<input>";
    const diag *g = i < d->cap ? &d->v[i] : NULL;
    const char *msg = g && g->msg ? g->msg : "(message lost: out of memory)";
    size_t size = (size_t)len;
    if (!g || g->line <= 0)
        snprintf(buf, size, "%s: %s", file, msg);
    else if (g->col <= 0)
        snprintf(buf, size, "%s:%d: %s", file, g->line, msg);
    else
        snprintf(buf, size, "%s:%d:%d: %s", file, g->line, g->col, msg);
}
