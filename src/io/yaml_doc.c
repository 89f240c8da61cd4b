/*
 * yaml_doc.c — read YAML text into the small tree of yaml_doc.h.
 *
 * Built on libyaml's event API rather than its document API for three
 * reasons: the first alias can be refused the moment it appears (so an
 * "alias bomb" costs nothing), size and depth limits are enforced while
 * reading instead of after the whole tree exists, and each node keeps
 * exactly the facts the loader needs (position, quoting, flow style).
 *
 * Nodes are carved from blocks of a thousand and scalar texts are packed
 * into 64 KiB blocks, so a large plant is a few hundred allocations, and
 * freeing the tree is one walk over the blocks with no recursion.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <math.h>
#include <yaml.h>
#include "yaml_doc.h"

#define NODE_BLOCK 1024
#define TEXT_BLOCK 65536

/* Scalar texts are packed into large blocks; a scalar longer than a
 * block gets a block of its own. */
typedef struct ytext_block {
    struct ytext_block *next;
    size_t used, cap;
    char data[];
} ytext_block;

typedef struct ynode_block {
    struct ynode_block *next;
    int used;
    ynode nodes[NODE_BLOCK];
} ynode_block;

/* The reader's state while events arrive. */
typedef struct builder {
    ydoc *doc;
    diags *d;
    const char *text;
    size_t len;
    ynode *open[YDOC_MAX_DEPTH + 1];    /* lists and mappings being read */
    int depth;
    int documents;
} builder;

static ynode *node_new(builder *b, ynode_kind kind, const yaml_mark_t *m)
{
    ydoc *doc = b->doc;
    if (doc->nodes >= YDOC_MAX_NODES) {
        diags_add(b->d, (int)m->line + 1, (int)m->column + 1,
                  "the file has too many YAML nodes (limit %ld)", YDOC_MAX_NODES);
        return NULL;
    }
    if (!doc->blocks || doc->blocks->used == NODE_BLOCK) {
        ynode_block *blk = malloc(sizeof *blk);
        if (!blk) {
            diags_add(b->d, 0, 0, "out of memory while reading the file");
            return NULL;
        }
        blk->next = doc->blocks;
        blk->used = 0;
        doc->blocks = blk;
    }
    ynode *n = &doc->blocks->nodes[doc->blocks->used++];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->line = (int)m->line + 1;
    n->col = (int)m->column + 1;
    doc->nodes++;
    return n;
}

static char *text_copy(ydoc *doc, const unsigned char *s, size_t n)
{
    ytext_block *blk = doc->texts;
    if (!blk || blk->cap - blk->used < n + 1) {
        size_t cap = n + 1 > TEXT_BLOCK ? n + 1 : TEXT_BLOCK;
        ytext_block *nb = malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->used = 0;
        nb->cap = cap;
        /* A block of its own goes behind the current one, which still has room. */
        if (blk && cap > TEXT_BLOCK) {
            nb->next = blk->next;
            blk->next = nb;
        } else {
            nb->next = blk;
            doc->texts = nb;
        }
        blk = nb;
    }
    char *t = blk->data + blk->used;
    memcpy(t, s, n);
    t[n] = '\0';
    blk->used += n + 1;
    return t;
}

static int grow(void **v, int *cap, size_t elem)
{
    int ncap = *cap ? *cap * 2 : 4;
    void *nv = realloc(*v, (size_t)ncap * elem);
    if (!nv)
        return -1;
    *v = nv;
    *cap = ncap;
    return 0;
}

/* Attach child to the innermost open list or mapping (or make it the
 * root).  In a mapping, children alternate: key, value, key, value. */
static int attach(builder *b, ynode *child)
{
    if (b->depth == 0) {
        b->doc->root = child;
        return 0;
    }
    ynode *p = b->open[b->depth - 1];
    if (p->kind == YNODE_MAP && p->n > 0 && !p->pairs[p->n - 1].value) {
        p->pairs[p->n - 1].value = child;
        return 0;
    }
    if (p->n == p->cap) {
        int err = p->kind == YNODE_SEQ
                ? grow((void **)&p->items, &p->cap, sizeof *p->items)
                : grow((void **)&p->pairs, &p->cap, sizeof *p->pairs);
        if (err) {
            diags_add(b->d, 0, 0, "out of memory while reading the file");
            return -1;
        }
    }
    if (p->kind == YNODE_SEQ) {
        p->items[p->n++] = child;
    } else {
        p->pairs[p->n].key = child;
        p->pairs[p->n].value = NULL;
        p->n++;
    }
    return 0;
}

/* Tags would give values types this format does not have; only !!str,
 * which just says "this is text", is kept (as if quoted). */
static int check_tag(builder *b, const yaml_char_t *tag, const yaml_mark_t *m, int *is_str)
{
    *is_str = 0;
    if (!tag)
        return 0;
    if (strcmp((const char *)tag, YAML_STR_TAG) == 0) {
        *is_str = 1;
        return 0;
    }
    char clip[64];
    diags_add(b->d, (int)m->line + 1, (int)m->column + 1,
              "YAML tags are not supported (found '%s'): write the value plainly",
              text_clip((const char *)tag, clip, sizeof clip, 40));
    return -1;
}

static int on_scalar(builder *b, const yaml_event_t *ev)
{
    int is_str;
    if (check_tag(b, ev->data.scalar.tag, &ev->start_mark, &is_str))
        return -1;
    ynode *n = node_new(b, YNODE_SCALAR, &ev->start_mark);
    if (!n)
        return -1;
    n->len = ev->data.scalar.length;
    n->text = text_copy(b->doc, ev->data.scalar.value, n->len);
    if (!n->text) {
        diags_add(b->d, 0, 0, "out of memory while reading the file");
        return -1;
    }
    n->quoted = is_str || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    return attach(b, n);
}

static int on_open(builder *b, const yaml_event_t *ev, ynode_kind kind)
{
    const yaml_mark_t *m = &ev->start_mark;
    int is_str;
    const yaml_char_t *tag = kind == YNODE_SEQ ? ev->data.sequence_start.tag
                                               : ev->data.mapping_start.tag;
    if (check_tag(b, tag, m, &is_str))
        return -1;
    if (b->depth >= YDOC_MAX_DEPTH) {
        diags_add(b->d, (int)m->line + 1, (int)m->column + 1,
                  "lists and mappings are nested too deeply (limit %d levels)",
                  YDOC_MAX_DEPTH);
        return -1;
    }
    ynode *n = node_new(b, kind, m);
    if (!n)
        return -1;
    n->flow = kind == YNODE_SEQ
            ? ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
            : ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
    if (attach(b, n))
        return -1;
    b->open[b->depth++] = n;
    return 0;
}

/* Returns 1 at the end of the stream, 0 to go on, -1 on a problem. */
static int on_event(builder *b, const yaml_event_t *ev)
{
    const yaml_mark_t *m = &ev->start_mark;
    switch (ev->type) {
    case YAML_STREAM_END_EVENT:
        return 1;
    case YAML_DOCUMENT_START_EVENT:
        if (b->documents++ > 0) {
            diags_add(b->d, (int)m->line + 1, (int)m->column + 1,
                      "a second YAML document starts here: a plant file holds exactly one");
            return -1;
        }
        return 0;
    case YAML_ALIAS_EVENT:
        diags_add(b->d, (int)m->line + 1, (int)m->column + 1,
                  "YAML aliases (*name) are not supported: write the value out");
        return -1;
    case YAML_SCALAR_EVENT:
        return on_scalar(b, ev);
    case YAML_SEQUENCE_START_EVENT:
        return on_open(b, ev, YNODE_SEQ);
    case YAML_MAPPING_START_EVENT:
        return on_open(b, ev, YNODE_MAP);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (b->depth > 0)
            b->depth--;
        return 0;
    default:
        return 0;
    }
}

/* Whether 1-based line `line` has a tab among its leading blanks: libyaml
 * then reports a generic problem, and the hint is what the user needs. */
static int line_has_tab_indent(const char *text, size_t len, int line)
{
    size_t i = 0;
    for (int l = 1; l < line && i < len; i++)
        if (text[i] == '\n')
            l++;
    for (; i < len && (text[i] == ' ' || text[i] == '\t'); i++)
        if (text[i] == '\t')
            return 1;
    return 0;
}

static void offset_position(const char *text, size_t len, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static void report_parser_error(builder *b, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR) {
        diags_add(b->d, 0, 0, "out of memory while reading the file");
        return;
    }
    const char *problem = p->problem ? p->problem : "the file is not valid YAML";
    if (p->error == YAML_READER_ERROR) {
        int line, col;
        offset_position(b->text, b->len, p->problem_offset, &line, &col);
        if (p->problem_value >= 0)
            diags_add(b->d, line, col, "%s (byte 0x%02x): a plant file must be UTF-8 text",
                      problem, (unsigned)p->problem_value & 0xffu);
        else
            diags_add(b->d, line, col, "%s: a plant file must be UTF-8 text", problem);
        return;
    }
    int line = (int)p->problem_mark.line + 1, col = (int)p->problem_mark.column + 1;
    int tab = strstr(problem, "tab") || line_has_tab_indent(b->text, b->len, line);
    char context[160] = "";
    if (p->context) {
        int cline = (int)p->context_mark.line + 1;
        if (cline != line)
            snprintf(context, sizeof context, " (%s that started at line %d)", p->context, cline);
        else
            snprintf(context, sizeof context, " (%s)", p->context);
    }
    diags_add(b->d, line, col, "%s%s%s", problem, context,
              tab ? "; tabs cannot indent YAML; use spaces" : "");
}

static int is_empty_root(const ynode *root)
{
    return !root || (root->kind == YNODE_SCALAR && !root->quoted && root->len == 0);
}

int ydoc_parse(ydoc *doc, const char *text, size_t len, diags *d)
{
    memset(doc, 0, sizeof *doc);
    if (len > YDOC_MAX_BYTES) {
        diags_add(d, 0, 0, "the file is too large: %zu bytes (limit 64 MiB)", len);
        return -1;
    }
    builder b = { .doc = doc, .d = d, .text = text, .len = len };
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        diags_add(d, 0, 0, "out of memory while reading the file");
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int status = 0;
    while (status == 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            report_parser_error(&b, &parser);
            status = -1;
            break;
        }
        status = on_event(&b, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (status < 0)
        return -1;
    if (is_empty_root(doc->root)) {
        diags_add(d, 1, 1, "the file is empty: expected a plant description "
                  "(a mapping with 'stations:')");
        return -1;
    }
    return 0;
}

void ydoc_free(ydoc *doc)
{
    ynode_block *blk = doc->blocks;
    while (blk) {
        for (int i = 0; i < blk->used; i++)
            if (blk->nodes[i].kind == YNODE_SEQ)
                free(blk->nodes[i].items);
            else if (blk->nodes[i].kind == YNODE_MAP)
                free(blk->nodes[i].pairs);
        ynode_block *next = blk->next;
        free(blk);
        blk = next;
    }
    ytext_block *tb = doc->texts;
    while (tb) {
        ytext_block *next = tb->next;
        free(tb);
        tb = next;
    }
    memset(doc, 0, sizeof *doc);
}

int ynode_is_null(const ynode *n)
{
    if (!n)
        return 1;
    if (n->kind != YNODE_SCALAR || n->quoted)
        return 0;
    return n->len == 0 || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0
        || strcmp(n->text, "Null") == 0 || strcmp(n->text, "NULL") == 0;
}

static int is_inf_text(const char *s)
{
    if (*s == '+')
        s++;
    return strcasecmp(s, "inf") == 0 || strcasecmp(s, ".inf") == 0
        || strcasecmp(s, "infinity") == 0;
}

int ynode_is_inf(const ynode *n)
{
    return n->kind == YNODE_SCALAR && is_inf_text(n->text);
}

/* Doubles are exact integers only up to 2^53; beyond, "whole" means nothing. */
#define MAX_EXACT_DOUBLE 9007199254740992.0

int ynode_whole(const ynode *n, uint64_t *out)
{
    if (n->kind != YNODE_SCALAR || n->quoted || n->len == 0)
        return -1;
    const char *s = n->text, *digits = s[0] == '+' ? s + 1 : s;
    if (*digits && strspn(digits, "0123456789") == strlen(digits)) {
        errno = 0;
        unsigned long long x = strtoull(digits, NULL, 10);
        if (errno == ERANGE)
            return 0;
        *out = x;
        return 1;
    }
    const char *unsigned_s = s[0] == '-' ? s + 1 : s;
    if (is_inf_text(unsigned_s) || strcasecmp(unsigned_s, ".nan") == 0
        || strcasecmp(unsigned_s, "nan") == 0)
        return 0;
    if (strspn(s, "0123456789+-.eE") != n->len)
        return -1;
    char *end;
    double x = strtod(s, &end);
    if (*end || end == s)
        return -1;
    if (!(x >= 0) || x > MAX_EXACT_DOUBLE || floor(x) != x)
        return 0;
    *out = (uint64_t)x;
    return 1;
}

const char *ynode_describe(const ynode *n, char *buf, size_t len)
{
    if (ynode_is_null(n))
        return "nothing";
    if (n->kind == YNODE_SEQ)
        return "a list";
    if (n->kind == YNODE_MAP)
        return "a mapping";
    char clip[80];
    snprintf(buf, len, "'%s'", text_clip(n->text, clip, sizeof clip, 60));
    return buf;
}

const char *text_clip(const char *s, char *buf, size_t len, size_t max)
{
    if (len == 0)
        return "";
    if (max + 4 > len)
        max = len > 4 ? len - 4 : 0;
    /* One line of printable text: a message must stay one line. */
    size_t n = 0;
    while (s[n] && n < max && ((unsigned char)s[n] >= 0x20 || s[n] == '\t') && s[n] != 0x7f) {
        buf[n] = s[n] == '\t' ? ' ' : s[n];
        n++;
    }
    if (!s[n]) {
        buf[n] = '\0';
        return buf;
    }
    /* Cut on a UTF-8 character boundary so the message stays valid text. */
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    memcpy(buf + n, "...", 4);
    return buf;
}
