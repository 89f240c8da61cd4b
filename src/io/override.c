/*
 * override.c — "--set PATH=VALUE" applied to the YAML tree of a plant file.
 *
 * Why on the tree and not on the plant: the tree is what the file says, so
 * a setting is checked exactly like the same value written in the file
 * (same types, ranges, names and messages), any key of the format can be
 * set without a table of settable fields, and a key the file leaves out
 * can be added.  The loader then never knows a value came from elsewhere,
 * except through the position its nodes carry (line 0, column -(k + 1)),
 * by which override_blame() turns "where in the file" into "which --set".
 *
 * Nodes made here are allocated one by one (a handful per setting) and
 * kept in the store until the plant has been read; mappings that grow keep
 * their pair arrays in the document, which frees them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "override.h"
#include "suggest.h"

#define MAX_DEPTH 32                /* path elements                     */

static int store_push(override_store *st, void *block)
{
    if (st->n == st->cap) {
        int cap = st->cap ? st->cap * 2 : 16;
        void **more = realloc(st->blocks, (size_t)cap * sizeof *more);
        if (!more)
            return -1;
        st->blocks = more;
        st->cap = cap;
    }
    st->blocks[st->n++] = block;
    return 0;
}

static int store_doc(override_store *st, const ydoc *doc)
{
    ydoc *more = realloc(st->docs, ((size_t)st->ndocs + 1) * sizeof *more);
    if (!more)
        return -1;
    st->docs = more;
    st->docs[st->ndocs++] = *doc;
    return 0;
}

void override_free(override_store *st)
{
    for (int i = 0; i < st->n; i++)
        free(st->blocks[i]);
    free(st->blocks);
    for (int i = 0; i < st->ndocs; i++)
        ydoc_free(&st->docs[i]);
    free(st->docs);
    memset(st, 0, sizeof *st);
}

/* ---- nodes of a setting ---------------------------------------------------- */

static void mark(ynode *n, int k)
{
    n->line = 0;
    n->col = -(k + 1);
    for (int i = 0; n->kind == YNODE_SEQ && i < n->n; i++)
        mark(n->items[i], k);
    for (int i = 0; n->kind == YNODE_MAP && i < n->n; i++) {
        mark(n->pairs[i].key, k);
        mark(n->pairs[i].value, k);
    }
}

/* A plain scalar holding text[0..len). */
static ynode *scalar_node(override_store *st, const char *text, size_t len, int k)
{
    ynode *n = calloc(1, sizeof *n + len + 1);
    if (!n || store_push(st, n)) {
        free(n);
        return NULL;
    }
    n->kind = YNODE_SCALAR;
    n->text = (char *)(n + 1);
    memcpy(n->text, text, len);
    n->text[len] = '\0';
    n->len = len;
    mark(n, k);
    return n;
}

/* The value of setting k: a scalar, or a flow list or mapping read as
 * YAML (its document is kept in the store).  NULL after reporting. */
static ynode *value_node(override_store *st, const char *text, int k, diags *d, const char *set)
{
    char clip[200];
    size_t skip = strspn(text, " ");
    ynode *n = NULL;
    if (text[skip] != '[' && text[skip] != '{') {
        if (!(n = scalar_node(st, text, strlen(text), k)))
            diags_add(d, 0, 0, "out of memory");
        return n;
    }
    ydoc doc;
    diags local;
    diags_init(&local, NULL);
    if (ydoc_parse(&doc, text, strlen(text), &local)) {
        diags_add(d, 0, 0, "--set %s: the value is not valid YAML: %s",
                  text_clip(set, clip, sizeof clip, 160),
                  local.n > 0 && local.v[0].msg ? local.v[0].msg : "out of memory");
        ydoc_free(&doc);
    } else if (store_doc(st, &doc)) {
        diags_add(d, 0, 0, "out of memory");
        ydoc_free(&doc);
    } else {
        n = st->docs[st->ndocs - 1].root;
        mark(n, k);
    }
    diags_free(&local);
    return n;
}

/* ---- paths ------------------------------------------------------------------- */

typedef struct path {
    char *buf;
    char *seg[MAX_DEPTH];
    int n;
} path;

static int split_path(path *pt, const char *set, size_t len)
{
    if (!(pt->buf = strndup(set, len)))
        return -1;
    pt->n = 0;
    for (char *s = pt->buf; pt->n < MAX_DEPTH; ) {
        pt->seg[pt->n++] = s;
        char *dot = strchr(s, '.');
        if (!dot)
            return 0;
        *dot = '\0';
        s = dot + 1;
    }
    return -1;
}

static int find_key(const ynode *map, const char *key)
{
    for (int i = 0; i < map->n; i++)
        if (map->pairs[i].key->kind == YNODE_SCALAR && strcmp(map->pairs[i].key->text, key) == 0)
            return i;
    return -1;
}

static const char *item_name(const ynode *item)
{
    for (int i = 0; item->kind == YNODE_MAP && i < item->n; i++)
        if (item->pairs[i].key->kind == YNODE_SCALAR
            && strcmp(item->pairs[i].key->text, "name") == 0
            && item->pairs[i].value->kind == YNODE_SCALAR)
            return item->pairs[i].value->text;
    return NULL;
}

/* The item of a list named `seg`, or at index `seg`; -1 if none. */
static int find_item(const ynode *seq, const char *seg, int *by_index)
{
    *by_index = 0;
    for (int i = 0; i < seq->n; i++) {
        const char *name = item_name(seq->items[i]);
        if (name && strcmp(name, seg) == 0)
            return i;
    }
    if (!*seg || strspn(seg, "0123456789") != strlen(seg) || strlen(seg) > 9)
        return -1;
    int i = atoi(seg);
    *by_index = 1;
    return i < seq->n ? i : -1;
}

/* "station" for the items of "stations"; "entry" otherwise. */
static void singular(char *buf, size_t len, const char *key)
{
    size_t n = key ? strlen(key) : 0;
    if (n > 1 && key[n - 1] == 's')
        snprintf(buf, len, "%.*s", (int)(n - 1), key);
    else
        snprintf(buf, len, "entry");
}

/* " (did you mean 'M1'?)" or " (there are: M1, M2)" for the names of a
 * list or the keys of a mapping. */
static void hint(char *buf, size_t len, const ynode *node, const char *word)
{
    int n = node->n;
    const char **cands = calloc((size_t)n + 1, sizeof *cands);
    int m = 0;
    buf[0] = '\0';
    if (!cands)
        return;
    for (int i = 0; i < n; i++) {
        const char *c = node->kind == YNODE_MAP ? node->pairs[i].key->text
                                                : item_name(node->items[i]);
        if (c)
            cands[m++] = c;
    }
    const char *guess = text_suggest(word, cands, m);
    char clip[80];
    if (guess) {
        snprintf(buf, len, " (did you mean '%s'?)", text_clip(guess, clip, sizeof clip, 60));
    } else if (m > 0 && m <= 8) {
        size_t used = (size_t)snprintf(buf, len, " (there %s: ", m == 1 ? "is" : "are");
        for (int i = 0; i < m && used < len; i++)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
                                     text_clip(cands[i], clip, sizeof clip, 40));
        if (used < len)
            snprintf(buf + used, len - used, ")");
    } else if (node->kind == YNODE_SEQ && n > 0) {
        snprintf(buf, len, " (by name, or by index from 0 to %d)", n - 1);
    }
    free(cands);
}

static int add_pair(ynode *map, ynode *key, ynode *value)
{
    if (map->n == map->cap) {
        int cap = map->cap ? map->cap * 2 : 4;
        ypair *more = realloc(map->pairs, (size_t)cap * sizeof *more);
        if (!more)
            return -1;
        map->pairs = more;
        map->cap = cap;
    }
    map->pairs[map->n].key = key;
    map->pairs[map->n].value = value;
    map->n++;
    return 0;
}

typedef struct setting {
    const char *text;               /* "PATH=VALUE"                      */
    const char *path_text;          /* clipped PATH for messages         */
    int k;
    override_store *st;
    diags *d;
} setting;

static void oom(const setting *s)
{
    diags_add(s->d, 0, 0, "out of memory");
}

/* Step into mapping `node` by key pt->seg[i]; the last key is set. */
static ynode *step_map(const setting *s, ynode *node, const path *pt, int i, ynode *value)
{
    char clip[80], tip[400], where[300];
    const char *seg = pt->seg[i];
    int last = i == pt->n - 1, at = find_key(node, seg);
    if (at >= 0 && last) {
        node->pairs[at].value = value;
        return value;
    }
    if (at >= 0)
        return node->pairs[at].value;
    if (last) {
        ynode *key = scalar_node(s->st, seg, strlen(seg), s->k);
        if (!key || add_pair(node, key, value)) {
            oom(s);
            return NULL;
        }
        return value;
    }
    if (i == 0)
        snprintf(where, sizeof where, "at the top level");
    else
        snprintf(where, sizeof where, "in '%.*s'", (int)(pt->seg[i] - pt->seg[0] - 1), s->text);
    hint(tip, sizeof tip, node, seg);
    diags_add(s->d, 0, 0, "--set %s: no key '%s' %s%s", s->path_text,
              text_clip(seg, clip, sizeof clip, 60), where, tip);
    return NULL;
}

/* Step into list `node` by name or index pt->seg[i]. */
static ynode *step_list(const setting *s, ynode *node, const path *pt, int i, ynode *value)
{
    char clip[80], tip[400], what[64];
    const char *seg = pt->seg[i];
    int by_index, at = find_item(node, seg, &by_index);
    singular(what, sizeof what, i > 0 ? pt->seg[i - 1] : NULL);
    if (at < 0) {
        if (!by_index && strspn(seg, "0123456789") != strlen(seg))
            hint(tip, sizeof tip, node, seg);
        else if (node->n)
            snprintf(tip, sizeof tip, " (by index: 0 to %d)", node->n - 1);
        else
            snprintf(tip, sizeof tip, " (the list is empty)");
        diags_add(s->d, 0, 0, "--set %s: no %s '%s'%s", s->path_text, what,
                  text_clip(seg, clip, sizeof clip, 60), tip);
        return NULL;
    }
    if (i < pt->n - 1)
        return node->items[at];
    if (!by_index) {
        diags_add(s->d, 0, 0, "--set %s: '%s' is a whole %s: name one of its keys "
                  "(e.g. %s.KEY=VALUE)", s->path_text, text_clip(seg, clip, sizeof clip, 60),
                  what, s->path_text);
        return NULL;
    }
    node->items[at] = value;
    return value;
}

static int apply_one(ydoc *doc, const setting *s)
{
    char clip[200];
    const char *eq = strchr(s->text, '=');
    path pt = { 0 };
    if (!eq || eq == s->text) {
        diags_add(s->d, 0, 0, "--set %s: expected PATH=VALUE (e.g. buffers.B1.capacity=3)",
                  text_clip(s->text, clip, sizeof clip, 160));
        return -1;
    }
    if (split_path(&pt, s->text, (size_t)(eq - s->text))) {
        free(pt.buf);
        diags_add(s->d, 0, 0, "--set %s: the path is too deep (at most %d keys)",
                  text_clip(s->text, clip, sizeof clip, 160), MAX_DEPTH);
        return -1;
    }
    for (int i = 0; i < pt.n; i++)
        if (!*pt.seg[i]) {
            diags_add(s->d, 0, 0, "--set %s: empty key in the path (write keys separated "
                      "by single dots, e.g. stations.M1.servers)", s->path_text);
            free(pt.buf);
            return -1;
        }
    ynode *value = value_node(s->st, eq + 1, s->k, s->d, s->text);
    ynode *node = doc->root;
    for (int i = 0; value && node && i < pt.n; i++) {
        if (node->kind == YNODE_MAP) {
            node = step_map(s, node, &pt, i, value);
        } else if (node->kind == YNODE_SEQ) {
            node = step_list(s, node, &pt, i, value);
        } else {
            diags_add(s->d, 0, 0, "--set %s: '%.*s' is a single value, so it has no '%s'",
                      s->path_text, (int)(pt.seg[i] - pt.seg[0] - 1), s->text, pt.seg[i]);
            node = NULL;
        }
    }
    free(pt.buf);
    return value && node ? 0 : -1;
}

int override_apply(ydoc *doc, const char *const *sets, int nsets, override_store *st,
                   diags *d)
{
    int bad = 0;
    for (int k = 0; k < nsets; k++) {
        char clip[200];
        const char *eq = strchr(sets[k], '=');
        size_t plen = eq ? (size_t)(eq - sets[k]) : strlen(sets[k]);
        char *ptext = strndup(sets[k], plen);
        setting s = { sets[k], ptext ? text_clip(ptext, clip, sizeof clip, 160) : "", k, st, d };
        if (!ptext) {
            oom(&s);
            bad = 1;
            continue;
        }
        bad |= apply_one(doc, &s) != 0;
        free(ptext);
    }
    return bad ? -1 : 0;
}

void override_blame(diags *d, int from, const char *const *sets, int nsets)
{
    int stored = d->n < d->cap ? d->n : d->cap;
    for (int i = from; i < stored; i++) {
        diag *g = &d->v[i];
        int k = -g->col - 1;
        if (g->line != 0 || g->col >= 0 || k >= nsets || !g->msg)
            continue;
        char clip[200];
        text_clip(sets[k], clip, sizeof clip, 160);
        size_t len = strlen(clip) + strlen(g->msg) + 16;
        char *msg = malloc(len);
        if (msg) {
            snprintf(msg, len, "--set %s: %s", clip, g->msg);
            free(g->msg);
            g->msg = msg;
        }
        g->col = 0;
    }
}
