/*
 * yaml_write.c — YAML text from a tree (see yaml_write.h).  Mappings and
 * lists are written in block style, or in flow style where the file wrote
 * them so; a scalar is written plain when YAML reads it back the same,
 * else double-quoted with escapes.
 */
#include "io/yaml_write.h"
#include "io/override.h"

#include <stdlib.h>
#include <string.h>

static int plain_ok(const ynode *n)
{
    if (n->quoted || n->len == 0) return 0;
    const char *s = n->text;
    if (strchr("!&*#|>'\"%@`-?:,[]{} ", s[0]) && !(s[0] == '-' && n->len > 1 && s[1] != ' '))
        return 0;
    if (s[n->len - 1] == ' ' || s[n->len - 1] == ':') return 0;
    for (size_t i = 0; i < n->len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) return 0;
        if (c == '#' && i > 0 && s[i - 1] == ' ') return 0;
        if (c == ':' && (i + 1 == n->len || s[i + 1] == ' ')) return 0;
    }
    return 1;
}

static void scalar(FILE *f, const ynode *n, int in_flow)
{
    if (plain_ok(n) && !(in_flow && strpbrk(n->text, ",[]{}"))) {
        fwrite(n->text, 1, n->len, f);
        return;
    }
    fputc('"', f);
    for (size_t i = 0; i < n->len; i++) {
        unsigned char c = (unsigned char)n->text[i];
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c == '\n') fputs("\\n", f);
        else if (c == '\t') fputs("\\t", f);
        else if (c < 0x20 || c == 0x7f) fprintf(f, "\\x%02x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

static void flow(FILE *f, const ynode *n)
{
    if (n->kind == YNODE_SCALAR) { scalar(f, n, 1); return; }
    fputc(n->kind == YNODE_MAP ? '{' : '[', f);
    for (int i = 0; i < n->n; i++) {
        if (i) fputs(", ", f);
        if (n->kind == YNODE_MAP) {
            scalar(f, n->pairs[i].key, 1);
            fputs(": ", f);
            flow(f, n->pairs[i].value);
        } else {
            flow(f, n->items[i]);
        }
    }
    fputc(n->kind == YNODE_MAP ? '}' : ']', f);
}

static int inline_node(const ynode *n)
{
    return n->kind == YNODE_SCALAR || n->flow || n->n == 0;
}

static void block(FILE *f, const ynode *n, int indent);

/* The value after "key:" or "- ". */
static void value(FILE *f, const ynode *v, int indent)
{
    if (inline_node(v)) {
        fputc(' ', f);
        if (v->kind == YNODE_SCALAR) scalar(f, v, 0); else flow(f, v);
        fputc('\n', f);
    } else {
        fputc('\n', f);
        block(f, v, indent);
    }
}

static void block(FILE *f, const ynode *n, int indent)
{
    for (int i = 0; i < n->n; i++) {
        fprintf(f, "%*s", indent, "");
        if (n->kind == YNODE_MAP) {
            scalar(f, n->pairs[i].key, 0);
            fputc(':', f);
            value(f, n->pairs[i].value, indent + 2);
        } else {
            const ynode *it = n->items[i];
            fputc('-', f);
            if (it->kind == YNODE_MAP && !inline_node(it)) {
                /* first pair on the dash's line, the rest aligned under it */
                fputc(' ', f);
                scalar(f, it->pairs[0].key, 0);
                fputc(':', f);
                value(f, it->pairs[0].value, indent + 4);
                for (int k = 1; k < it->n; k++) {
                    fprintf(f, "%*s", indent + 2, "");
                    scalar(f, it->pairs[k].key, 0);
                    fputc(':', f);
                    value(f, it->pairs[k].value, indent + 4);
                }
            } else {
                value(f, it, indent + 2);
            }
        }
    }
}

int ydoc_write(FILE *f, const ynode *root)
{
    if (!root) return 0;
    if (inline_node(root)) {
        if (root->kind == YNODE_SCALAR) scalar(f, root, 0); else flow(f, root);
        fputc('\n', f);
    } else {
        block(f, root, 0);
    }
    return ferror(f) ? -1 : 0;
}

int plant_file_write_with(FILE *f, const char *path, const char *const *sets, int nsets,
                          diags *d)
{
    FILE *in = fopen(path, "rb");
    char *text = NULL;
    size_t len = 0;
    FILE *m = in ? open_memstream(&text, &len) : NULL;
    char buf[65536];
    for (size_t k; m && (k = fread(buf, 1, sizeof buf, in)) > 0; ) fwrite(buf, 1, k, m);
    if (m) fclose(m);
    if (in) fclose(in);
    if (!text) { diags_add(d, 0, 0, "cannot read the plant file"); return -1; }
    ydoc doc;
    override_store st;
    memset(&st, 0, sizeof st);
    int rc = ydoc_parse(&doc, text, len, d) ? -1 : 0;
    if (rc == 0 && override_apply(&doc, sets, nsets, &st, d) != 0) rc = -1;
    if (rc == 0 && ydoc_write(f, doc.root) != 0) rc = -2;
    override_free(&st);
    ydoc_free(&doc);
    free(text);
    return rc;
}
