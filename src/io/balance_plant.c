/*
 * balance_plant.c — writing a balanced line as a plant file.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "balance_plant.h"

int bal_template_read(ydoc *doc, const char *path, diags *d)
{
    memset(doc, 0, sizeof *doc);
    FILE *f = fopen(path, "rb");
    char clip[200];
    if (!f) { diags_add(d, 0, 0, "cannot open '%s': %s", text_clip(path, clip, sizeof clip, 160), strerror(errno)); return -1; }
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
    fclose(f);
    if (!text) { diags_add(d, 0, 0, "out of memory"); return -1; }
    int rc = ydoc_parse(doc, text, n, d);
    free(text);
    return rc ? -1 : 0;
}

static const ynode *get(const ynode *map, const char *key)
{
    for (int i = 0; map && map->kind == YNODE_MAP && i < map->n; i++)
        if (!strcmp(map->pairs[i].key->text, key)) return map->pairs[i].value;
    return NULL;
}

/* The number k of a balanced station's name "Sk" (k >= 1), or 0. */
static long station_number(const char *name)
{
    if (name[0] != 'S' || name[1] < '1' || name[1] > '9') return 0;
    char *end;
    errno = 0;
    long k = strtol(name + 1, &end, 10);
    return *end || errno || k > 1000000 ? 0 : k;
}

static const ynode *template_station_named(const ynode *root, const char *name)
{
    const ynode *st = get(root, "stations");
    for (int i = 0; st && st->kind == YNODE_SEQ && i < st->n; i++) {
        const ynode *nm = get(st->items[i], "name");
        if (nm && nm->kind == YNODE_SCALAR && !strcmp(nm->text, name)) return st->items[i];
    }
    return NULL;
}

int bal_template_check(const ydoc *tmpl, diags *d)
{
    const ynode *root = tmpl->root && tmpl->root->kind == YNODE_MAP ? tmpl->root : NULL;
    const ynode *map = get(root, "balance");
    char clip[200];
    if (!map) return 0;
    if (map->kind != YNODE_MAP) {
        diags_add(d, map->line, map->col, "'balance' maps the balanced stations onto this plant's: "
                  "expected a mapping, e.g. balance: {S1: body-in, S2: trim-a}");
        return -1;
    }
    for (int i = 0; i < map->n; i++) {
        const ynode *k = map->pairs[i].key, *v = map->pairs[i].value;
        if (k->kind != YNODE_SCALAR || !station_number(k->text)) {
            diags_add(d, k->line, k->col, "'balance': '%s' is not a balanced station; expected S1, S2, ... "
                      "(the names takt balance gives its stations)",
                      k->kind == YNODE_SCALAR ? text_clip(k->text, clip, sizeof clip, 60) : "(not a name)");
            return -1;
        }
        for (int j = 0; j < i; j++)
            if (station_number(map->pairs[j].key->text) == station_number(k->text)) {
                diags_add(d, k->line, k->col, "'balance': %s is mapped twice (first at line %d)",
                          text_clip(k->text, clip, sizeof clip, 60), map->pairs[j].key->line);
                return -1;
            }
        if (v->kind != YNODE_SCALAR || !template_station_named(root, v->text)) {
            diags_add(d, v->line, v->col, "'balance': %s: expected the name of a station of this plant, got '%s'",
                      text_clip(k->text, clip, sizeof clip, 60),
                      v->kind == YNODE_SCALAR ? v->text : "(not a name)");
            return -1;
        }
    }
    return 0;
}

/* The template station that balanced station k (0-based) takes its
 * failures, blocking, calendar and outgoing buffer from: by the 'balance'
 * mapping when the template has one (NULL for a station it leaves out),
 * else the template's station at the same position. */
static const ynode *template_station(const ynode *root, int k)
{
    const ynode *map = get(root, "balance");
    if (map && map->kind == YNODE_MAP) {
        for (int i = 0; i < map->n; i++)
            if (map->pairs[i].key->kind == YNODE_SCALAR && station_number(map->pairs[i].key->text) == k + 1)
                return map->pairs[i].value->kind == YNODE_SCALAR ? template_station_named(root, map->pairs[i].value->text) : NULL;
        return NULL;
    }
    const ynode *tst = get(root, "stations");
    return tst && tst->kind == YNODE_SEQ && k < tst->n ? tst->items[k] : NULL;
}

/* A scalar as YAML text: plain when that reads back the same, else in
 * double quotes. */
static void scalar(FILE *f, const char *s, int quoted)
{
    int plain = !quoted && *s && !isspace((unsigned char)s[0]) && !isspace((unsigned char)s[strlen(s) - 1]);
    for (const char *p = s; plain && *p; p++)
        if (strchr(",:{}[]#&*!|>'\"%@`\n\r\t", *p)) plain = 0;
    if (plain && strchr("-?", s[0])) plain = 0;
    if (plain) { fputs(s, f); return; }
    fputc('"', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
        else if (*p == '\n') fputs("\\n", f);
        else if ((unsigned char)*p < 0x20) fprintf(f, "\\x%02x", (unsigned char)*p);
        else fputc(*p, f);
    }
    fputc('"', f);
}

/* Any node in flow style. */
static void emit(FILE *f, const ynode *n)
{
    if (n->kind == YNODE_SCALAR) { scalar(f, n->text, n->quoted); return; }
    if (n->kind == YNODE_SEQ) {
        fputc('[', f);
        for (int i = 0; i < n->n; i++) { if (i) fputs(", ", f); emit(f, n->items[i]); }
        fputc(']', f);
        return;
    }
    fputc('{', f);
    for (int i = 0; i < n->n; i++) {
        if (i) fputs(", ", f);
        emit(f, n->pairs[i].key);
        fputs(": ", f);
        emit(f, n->pairs[i].value);
    }
    fputc('}', f);
}

static void seconds(FILE *f, double s) { fprintf(f, "%.6gs", s); }

/* The station time: constant, or lognormal with the summed variance. */
static void station_time(FILE *f, double mean, double var, int quote)
{
    if (var <= 0 || mean <= 0) { seconds(f, mean); return; }
    if (quote) fputc('"', f);
    fputs("lognormal(", f);
    seconds(f, mean);
    fputs(", ", f);
    seconds(f, sqrt(var));
    fputc(')', f);
    if (quote) fputc('"', f);
}

static const char *const run_keys[] = { "horizon", "until", "warmup", "replications", "seed", "start", "opens", "calendar", "calendars" };
static const char *const station_keys[] = { "failures", "blocking", "calendar" };

int bal_write_plant(FILE *f, const bal_outcome *o, const ydoc *tmpl, const char *source)
{
    const bal_tasks *t = o->tasks;
    int M = o->stations, P = t->products;
    double *mean = calloc((size_t)M * (size_t)(P + 1) + 1, sizeof *mean);
    double *var = calloc((size_t)M * (size_t)(P + 1) + 1, sizeof *var);
    if (!mean || !var) { free(mean); free(var); return -1; }
    /* column 0: one product (or the mix); columns 1..P: each product */
    for (int i = 0; i < t->n; i++) {
        size_t k = (size_t)(o->station[i] - 1) * (size_t)(P + 1);
        double cv = t->cv ? t->cv[i] : 0;
        mean[k] += t->time_s[i];
        var[k] += (cv * t->time_s[i]) * (cv * t->time_s[i]);
        for (int p = 0; p < P; p++) {
            double x = t->ptime_s[(size_t)i * (size_t)P + (size_t)p];
            mean[k + 1 + (size_t)p] += x;
            var[k + 1 + (size_t)p] += (cv * x) * (cv * x);
        }
    }
    const ynode *root = tmpl && tmpl->root && tmpl->root->kind == YNODE_MAP ? tmpl->root : NULL;
    const ynode *tbuf = get(root, "buffers");
    fprintf(f, "# A line balanced by takt balance from %s:\n# %d stations, takt ", source ? source : "a task file", M);
    seconds(f, o->takt_s);
    fprintf(f, "%s.\n", o->optimal ? ", proven optimal" : "");
    fputs("name: ", f);
    scalar(f, t->title ? t->title : "balanced line", 0);
    fputs("\ntakt: ", f);
    seconds(f, o->takt_s);
    fputc('\n', f);
    int have_horizon = 0;
    for (size_t k = 0; k < sizeof run_keys / sizeof *run_keys; k++) {
        const ynode *v = get(root, run_keys[k]);
        if (!v) continue;
        if (!strcmp(run_keys[k], "horizon") || !strcmp(run_keys[k], "until")) have_horizon = 1;
        fprintf(f, "%s: ", run_keys[k]);
        emit(f, v);
        fputc('\n', f);
    }
    if (!have_horizon) {
        /* enough parts for tight intervals on the takt reached */
        fprintf(f, "horizon: %.6gh\nwarmup: %.6gh\nreplications: 5\n",
                20000 * o->takt_s / 3600, 1000 * o->takt_s / 3600);
    }
    if (P) {
        fputs("products:\n", f);
        for (int p = 0; p < P; p++) {
            fputs("  - {name: ", f);
            scalar(f, t->product[p], 0);
            fprintf(f, ", share: %.12g}\n", t->share[p]);
        }
    }
    fputs("stations:\n", f);
    for (int k = 0; k < M; k++) {
        size_t base = (size_t)k * (size_t)(P + 1);
        fprintf(f, "  - name: S%d\n    cycle: ", k + 1);
        if (P) {
            fputc('{', f);
            for (int p = 0; p < P; p++) {
                if (p) fputs(", ", f);
                scalar(f, t->product[p], 0);
                fputs(": ", f);
                station_time(f, mean[base + 1 + (size_t)p], var[base + 1 + (size_t)p], 1);
            }
            fputc('}', f);
        } else station_time(f, mean[base], var[base], 0);
        fputs("\n    # tasks:", f);
        for (int i = 0; i < t->n; i++) if (o->station[i] == k + 1) fprintf(f, " %s", t->name[i]);
        fputc('\n', f);
        const ynode *ts = template_station(root, k);
        for (size_t q = 0; q < sizeof station_keys / sizeof *station_keys; q++) {
            const ynode *v = get(ts, station_keys[q]);
            if (!v) continue;
            fprintf(f, "    %s: ", station_keys[q]);
            emit(f, v);
            fputc('\n', f);
        }
    }
    if (M > 1) fputs("buffers:\n", f);
    for (int k = 0; k + 1 < M; k++) {
        /* the template's buffer leaving the template station of S(k+1) */
        const ynode *ts = template_station(root, k);
        const ynode *tname = get(ts, "name"), *cap = NULL;
        for (int b = 0; tname && tbuf && tbuf->kind == YNODE_SEQ && b < tbuf->n && !cap; b++) {
            const ynode *from = get(tbuf->items[b], "from");
            if (from && from->kind == YNODE_SCALAR && tname->kind == YNODE_SCALAR && !strcmp(from->text, tname->text))
                cap = get(tbuf->items[b], "capacity");
        }
        fprintf(f, "  - {name: B%d, from: S%d, to: S%d, capacity: ", k + 1, k + 1, k + 2);
        if (cap) emit(f, cap); else fputs("0", f);
        fputs("}\n", f);
    }
    free(mean);
    free(var);
    return ferror(f) ? -1 : 0;
}
