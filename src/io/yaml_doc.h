/*
 * yaml_doc.h — a YAML text read into a small tree of scalars, lists
 * (sequences) and mappings, each node with the line and column where it
 * starts.  The plant loader walks this tree; it never sees libyaml.
 *
 * Only the part of YAML a plant file needs is accepted: one document, no
 * aliases, bounded size and nesting.  Everything refused is reported as a
 * diagnostic with its position.
 *
 * Also here: how YAML reads a scalar as a whole number.  Spelling
 * suggestions ("did you mean ...?") are in suggest.h.
 */
#ifndef TAKT_YAML_DOC_H
#define TAKT_YAML_DOC_H

#include <stddef.h>
#include <stdint.h>
#include "../core/diag.h"

#define YDOC_MAX_BYTES  ((size_t)64 << 20)  /* 64 MiB of input          */
#define YDOC_MAX_NODES  5000000L
#define YDOC_MAX_DEPTH  64

typedef enum { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP } ynode_kind;

typedef struct ynode ynode;

typedef struct ypair {
    ynode *key, *value;
} ypair;

struct ynode {
    ynode_kind kind;
    int line, col;          /* 1-based start of the node                */
    unsigned char quoted;   /* scalar written in quotes or as a block   */
    unsigned char flow;     /* list or mapping written as [...] / {...} */
    char *text;             /* scalar: NUL-terminated                   */
    size_t len;             /* scalar: bytes in text                    */
    union {
        ynode **items;      /* list                                     */
        ypair *pairs;       /* mapping, in file order                   */
    };
    int n, cap;             /* items or pairs                           */
};

typedef struct ydoc {
    ynode *root;            /* NULL for an empty file                   */
    struct ynode_block *blocks;   /* node storage, freed at once        */
    struct ytext_block *texts;    /* scalar text storage                */
    long nodes;
} ydoc;

/* Parse text (len bytes, need not be NUL-terminated).  Returns 0 with
 * doc->root set (never NULL), or -1 with one diagnostic in d.  Call
 * ydoc_free in both cases. */
int ydoc_parse(ydoc *doc, const char *text, size_t len, diags *d);
void ydoc_free(ydoc *doc);

/* A plain (unquoted) empty, "~" or "null" scalar: YAML's null. */
int ynode_is_null(const ynode *n);

/* A plain scalar read as a whole number >= 0, the way YAML reads numbers
 * ("12", "+12", "1e3", "12.0").  Returns 1 with *out set; 0 when it is a
 * number but not such a whole number ("-1", "2.5", "1e100", ".nan"); -1
 * when it is no number at all ("yes", "1_000", quoted text, a list). */
int ynode_whole(const ynode *n, uint64_t *out);

/* A scalar spelling infinity: inf, .inf, +.inf or infinity, any case. */
int ynode_is_inf(const ynode *n);

/* What a node is, for messages: "a list", "a mapping", "nothing", or the
 * scalar in quotes (clipped to a readable length) written into buf. */
const char *ynode_describe(const ynode *n, char *buf, size_t len);

/* Copy s into buf for a message: one line (cut at a line break), at most
 * max bytes, "..." where it was cut. */
const char *text_clip(const char *s, char *buf, size_t len, size_t max);

#endif
