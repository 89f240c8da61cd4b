/*
 * load_names.c — names of plant elements and references to them.
 *
 * A plant file refers to stations, products, calendars and workshops by
 * name, in any order and often by the thousand, so each kind gets an
 * open-addressing hash table (linear in the file) that also keeps the
 * names by index, for the "did you mean" of an unknown one.  The strings
 * are borrowed from the plant being built, which owns them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "load_walk.h"
#include "suggest.h"

static int is_value(const ynode *v)
{
    return v->kind == YNODE_SCALAR && !ynode_is_null(v);
}

static size_t name_hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

int names_init(names *t, int n)
{
    memset(t, 0, sizeof *t);
    t->cap = 16;
    while (t->cap < (size_t)n * 2)
        t->cap *= 2;
    t->keys = calloc(t->cap, sizeof *t->keys);
    t->vals = calloc(t->cap, sizeof *t->vals);
    t->list = calloc(t->cap / 2, sizeof *t->list);
    return t->keys && t->vals && t->list ? 0 : -1;
}

void names_free(names *t)
{
    free(t->keys);
    free(t->vals);
    free(t->list);
    memset(t, 0, sizeof *t);
}

static int names_grow(names *t)
{
    names bigger;
    if (names_init(&bigger, (int)t->cap))
        return -1;
    for (int i = 0; i < t->n; i++)
        if (t->list[i])
            names_add(&bigger, t->list[i]);
        else
            bigger.list[bigger.n++] = NULL;
    bigger.ready = t->ready;
    names_free(t);
    *t = bigger;
    return 0;
}

int names_add(names *t, const char *name)
{
    if ((size_t)(t->n + 1) * 2 > t->cap && names_grow(t))
        return -2;
    if (!name) {
        t->list[t->n++] = NULL;
        return -1;
    }
    size_t i = name_hash(name) & (t->cap - 1);
    for (; t->keys[i]; i = (i + 1) & (t->cap - 1))
        if (strcmp(t->keys[i], name) == 0)
            return t->vals[i];
    t->keys[i] = name;
    t->vals[i] = t->n;
    t->list[t->n++] = name;
    return -1;
}

int names_find(const names *t, const char *name)
{
    if (!t->cap)
        return -1;
    size_t i = name_hash(name) & (t->cap - 1);
    for (; t->keys[i]; i = (i + 1) & (t->cap - 1))
        if (strcmp(t->keys[i], name) == 0)
            return t->vals[i];
    return -1;
}

void names_fill(walker *W, names *t, const ynode *seq, char *const *list, size_t stride, int n,
                const char *what)
{
    char clip[80];
    if (names_init(t, n)) {
        diags_add(W->d, 0, 0, "out of memory");
        return;
    }
    for (int i = 0; i < n; i++) {
        const char *name = *(char *const *)((const char *)list + (size_t)i * stride);
        int first = names_add(t, name);
        if (first == -2) {
            diags_add(W->d, 0, 0, "out of memory");
            return;
        }
        if (first < 0)
            continue;
        t->list[t->n++] = NULL;         /* keeps index i; the name is the first's */
        const ynode *at = seq ? map_value(seq->items[i], "name") : NULL;
        diags_add(W->d, at ? at->line : 0, at ? at->col : 0,
                  "duplicate %s name '%s' (first at line %d)", what,
                  text_clip(name, clip, sizeof clip, 60), seq ? seq->items[first]->line : 0);
    }
    t->ready = 1;
}

const char *names_hint(const names *t, const char *word, char *buf, size_t len)
{
    char clip[80];
    buf[0] = '\0';
    if (t->n > SUGGEST_MAX_NAMES)
        return buf;
    const char **cands = malloc(((size_t)t->n + 1) * sizeof *cands);
    if (!cands)
        return buf;
    int n = 0;
    for (int i = 0; i < t->n; i++)
        if (t->list[i])
            cands[n++] = t->list[i];
    const char *guess = text_suggest(word, cands, n);
    if (guess)
        snprintf(buf, len, " (did you mean '%s'?)", text_clip(guess, clip, sizeof clip, 60));
    free(cands);
    return buf;
}

int names_resolve(walker *W, const names *t, const ynode *v, const char *owner, const char *key,
                  const char *what)
{
    char clip[80], hint[96], expects[64];
    if (!v)
        return -1;
    if (!is_value(v)) {
        snprintf(expects, sizeof expects, "a %s name", what);
        type_error(W, v, key, expects);
        return -1;
    }
    int i = names_find(t, v->text);
    if (i >= 0 || !t->ready)
        return i;
    diags_add(W->d, v->line, v->col, "%s: unknown %s '%s' in '%s'%s", owner, what,
              text_clip(v->text, clip, sizeof clip, 60), key,
              names_hint(t, v->text, hint, sizeof hint));
    return -1;
}
