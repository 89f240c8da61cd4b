/*
 * plant_edit.c — replace values in a plant file's text in place.
 *
 * The tree (yaml_doc.h) finds the node a path names and where it starts;
 * the text is then spliced, so the file keeps its comments, which are
 * where a plant file says what is a fact and what an estimate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plant_edit.h"
#include "yaml_doc.h"

typedef struct splice {
    size_t at, len;
    const char *value;
} splice;

static const ynode *child(const ynode *node, const char *seg)
{
    if (node->kind == YNODE_MAP) {
        for (int i = 0; i < node->n; i++)
            if (node->pairs[i].key->kind == YNODE_SCALAR && !strcmp(node->pairs[i].key->text, seg))
                return node->pairs[i].value;
        return NULL;
    }
    if (node->kind != YNODE_SEQ) return NULL;
    for (int i = 0; i < node->n; i++) {          /* by name first, as --set does */
        const ynode *it = node->items[i];
        for (int k = 0; it->kind == YNODE_MAP && k < it->n; k++)
            if (!strcmp(it->pairs[k].key->text, "name") && it->pairs[k].value->kind == YNODE_SCALAR
                && !strcmp(it->pairs[k].value->text, seg))
                return it;
    }
    if (!*seg || strspn(seg, "0123456789") != strlen(seg) || strlen(seg) > 9) return NULL;
    int i = atoi(seg);
    return i < node->n ? node->items[i] : NULL;
}

/* Byte offset of the node's text in the file, or -1. */
static long locate(const char *text, size_t len, const ynode *node)
{
    size_t at = 0;
    for (int line = 1; line < node->line && at < len; at++)
        if (text[at] == '\n') line++;
    size_t end = at;
    while (end < len && text[end] != '\n') end++;
    /* columns count characters, not bytes: look from there, then from the
     * start of the line */
    size_t from = at + (size_t)(node->col > 1 ? node->col - 1 : 0);
    if (from > end) from = at;
    for (size_t p = from; p + node->len <= end; p++)
        if (!memcmp(text + p, node->text, node->len)) return (long)p;
    for (size_t p = at; p + node->len <= end; p++)
        if (!memcmp(text + p, node->text, node->len)) return (long)p;
    return -1;
}

static int by_offset(const void *a, const void *b)
{
    const splice *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

static int find(const ydoc *doc, const char *text, size_t len, const char *set, splice *sp,
                char *err, int errlen)
{
    const char *eq = strchr(set, '=');
    size_t plen = eq ? (size_t)(eq - set) : strlen(set);
    char path[512];
    if (!eq || plen >= sizeof path) {
        snprintf(err, (size_t)errlen, "'%s': expected PATH=VALUE", set);
        return -1;
    }
    memcpy(path, set, plen);
    path[plen] = '\0';
    const ynode *node = doc->root;
    for (char *seg = path, *next; node && seg; seg = next) {
        next = strchr(seg, '.');
        if (next) *next++ = '\0';
        node = child(node, seg);
    }
    memcpy(path, set, plen);
    path[plen] = '\0';
    if (!node) {
        snprintf(err, (size_t)errlen, "%s is not written in the plant file, so the fitted value "
                 "cannot be written back (write it in the file first)", path);
        return -1;
    }
    long at = node->kind == YNODE_SCALAR && !node->quoted && node->len > 0 && !strchr(node->text, '\n')
              ? locate(text, len, node) : -1;
    if (at < 0) {
        snprintf(err, (size_t)errlen, "%s is not a single plain value in the plant file (line %d), "
                 "so the fitted value cannot be written back", path, node->line);
        return -1;
    }
    sp->at = (size_t)at;
    sp->len = node->len;
    sp->value = eq + 1;
    return 0;
}

int plant_edit(const char *text, size_t len, const char *const *sets, int n, char **out,
               size_t *outlen, char *err, int errlen)
{
    ydoc doc;
    diags d;
    diags_init(&d, NULL);
    int rc = ydoc_parse(&doc, text, len, &d);
    splice *sp = calloc((size_t)n + 1, sizeof *sp);
    if (rc == 0 && !sp) {
        snprintf(err, (size_t)errlen, "out of memory");
        rc = -1;
    } else if (rc != 0) {
        snprintf(err, (size_t)errlen, "the plant file is not valid YAML");
    }
    for (int i = 0; rc == 0 && i < n; i++) rc = find(&doc, text, len, sets[i], &sp[i], err, errlen);
    if (rc == 0) {
        qsort(sp, (size_t)n, sizeof *sp, by_offset);
        for (int i = 1; i < n; i++)
            if (sp[i].at < sp[i - 1].at + sp[i - 1].len) {
                snprintf(err, (size_t)errlen, "two settings name the same value");
                rc = -1;
            }
    }
    if (rc == 0) {
        size_t total = len + 1;
        for (int i = 0; i < n; i++) total += strlen(sp[i].value);
        char *o = malloc(total);
        if (!o) {
            snprintf(err, (size_t)errlen, "out of memory");
            rc = -1;
        } else {
            size_t w = 0, r = 0;
            for (int i = 0; i < n; i++) {
                memcpy(o + w, text + r, sp[i].at - r);
                w += sp[i].at - r;
                size_t vl = strlen(sp[i].value);
                memcpy(o + w, sp[i].value, vl);
                w += vl;
                r = sp[i].at + sp[i].len;
            }
            memcpy(o + w, text + r, len - r);
            w += len - r;
            o[w] = '\0';
            *out = o;
            *outlen = w;
        }
    }
    free(sp);
    ydoc_free(&doc);
    diags_free(&d);
    return rc;
}
