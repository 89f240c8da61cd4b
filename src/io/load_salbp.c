/*
 * load_salbp.c — the two standard benchmark formats of assembly line
 * balancing, read into a bal_tasks with times in whole seconds:
 *
 *   .IN2 (Scholl 1993): n; n task times; arcs "i,j" ended by "-1,-1".
 *        Anything after the end marker (comments, a DOS end-of-file byte)
 *        is ignored.  No cycle time: the caller gives it.
 *   .alb (Otto, Otto & Scholl 2013): sections <number of tasks>, <cycle
 *        time>, <order strength>, <task times> ("i t"), <precedence
 *        relations> ("i,j"), <end>; CRLF line ends.
 *
 * Tasks are named by their numbers ("1".."n").
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "load_tasks.h"

typedef struct lines {
    const char *p, *end;
    int line;
    const char *s;          /* the current line, without its end          */
    size_t len;
} lines;

static int next_line(lines *L)
{
    if (L->p >= L->end) return 0;
    L->s = L->p;
    const char *nl = memchr(L->p, '\n', (size_t)(L->end - L->p));
    const char *e = nl ? nl : L->end;
    L->p = nl ? nl + 1 : L->end;
    while (e > L->s && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t')) e--;
    while (L->s < e && (*L->s == ' ' || *L->s == '\t')) L->s++;
    L->len = (size_t)(e - L->s);
    L->line++;
    return 1;
}

/* The whole numbers on the current line, separated by commas or blanks;
 * returns how many (at most max), or -1 when something else is there. */
static int numbers(const lines *L, long long *v, int max, int *badcol)
{
    int k = 0;
    size_t i = 0;
    while (i < L->len) {
        char c = L->s[i];
        if (c == ',' || c == ' ' || c == '\t') { i++; continue; }
        if (!(isdigit((unsigned char)c) || c == '-' || c == '+') || k == max) { *badcol = (int)(i + 1); return -1; }
        char buf[32];
        size_t j = 0;
        while (i < L->len && j < sizeof buf - 1 && (isdigit((unsigned char)L->s[i]) || (j == 0 && (L->s[i] == '-' || L->s[i] == '+'))))
            buf[j++] = L->s[i++];
        buf[j] = 0;
        char *endp;
        long long x = strtoll(buf, &endp, 10);
        if (*endp || j == 0 || (j == 1 && !isdigit((unsigned char)buf[0])) || j > 15) { *badcol = (int)(i - j + 1); return -1; }
        v[k++] = x;
    }
    return k;
}


static int alloc_tasks(bal_tasks *t, int n, diags *d)
{
    t->n = n;
    t->unit_s = 1.0;
    t->name = calloc((size_t)n + 1, sizeof *t->name);
    t->time_s = calloc((size_t)n + 1, sizeof *t->time_s);
    t->cv = calloc((size_t)n + 1, sizeof *t->cv);
    t->line = calloc((size_t)n + 1, sizeof *t->line);
    t->col = calloc((size_t)n + 1, sizeof *t->col);
    if (!t->name || !t->time_s || !t->cv || !t->line || !t->col) { diags_add(d, 0, 0, "out of memory"); return -1; }
    for (int i = 0; i < n; i++) {
        char buf[16];
        snprintf(buf, sizeof buf, "%d", i + 1);
        t->name[i] = strdup(buf);
        if (!t->name[i]) { diags_add(d, 0, 0, "out of memory"); return -1; }
    }
    return 0;
}

static int add_arc(bal_tasks *t, int *cap, long long a, long long b, int line, diags *d)
{
    if (a < 1 || a > t->n || b < 1 || b > t->n) {
        diags_add(d, line, 1, "precedence %lld,%lld names a task outside 1..%d", a, b, t->n);
        return -1;
    }
    if (a == b) {
        diags_add(d, line, 1, "task %lld cannot come before itself", a);
        return -1;
    }
    if (t->narcs == *cap) {
        *cap = *cap * 2 + 16;
        int *f = realloc(t->from, (size_t)*cap * sizeof *f);
        if (f) t->from = f;
        int *g = realloc(t->to, (size_t)*cap * sizeof *g);
        if (g) t->to = g;
        if (!f || !g) { diags_add(d, 0, 0, "out of memory"); return -1; }
    }
    t->from[t->narcs] = (int)a - 1;
    t->to[t->narcs] = (int)b - 1;
    t->narcs++;
    return 0;
}

static int task_time(bal_tasks *t, int i, long long x, const lines *L, diags *d)
{
    if (x < 0 || x > 1000000000LL) {
        diags_add(d, L->line, 1, "task %d: time %lld is not a whole number from 0 to 1000000000", i + 1, x);
        return -1;
    }
    t->time_s[i] = (double)x;
    t->line[i] = L->line;
    t->col[i] = 1;
    return 0;
}

#define MAX_TASKS 100000

int load_tasks_in2(const char *text, size_t len, bal_tasks *t, diags *d)
{
    memset(t, 0, sizeof *t);
    lines L = { text, text + len, 0, NULL, 0 };
    long long v[3];
    int bad = 1, cap = 0;
    while (next_line(&L) && L.len == 0) {}
    if (!L.s || numbers(&L, v, 1, &bad) != 1 || v[0] < 1 || v[0] > MAX_TASKS) {
        diags_add(d, L.line ? L.line : 1, 1, "expected the number of tasks (a whole number from 1 to %d) on the first line", MAX_TASKS);
        return -1;
    }
    if (alloc_tasks(t, (int)v[0], d) < 0) return -1;
    for (int i = 0; i < t->n; i++) {
        if (!next_line(&L) || numbers(&L, v, 1, &bad) != 1) {
            diags_add(d, L.line + (L.p >= L.end && !L.len), 1, "expected the time of task %d of %d", i + 1, t->n);
            return -1;
        }
        if (task_time(t, i, v[0], &L, d) < 0) return -1;
    }
    for (;;) {
        if (!next_line(&L)) {
            diags_add(d, L.line, 1, "the precedence list does not end with -1,-1");
            return -1;
        }
        if (L.len == 0) continue;
        int k = numbers(&L, v, 2, &bad);
        if (k != 2) {
            diags_add(d, L.line, k < 0 ? bad : 1, "expected a precedence 'i,j' (task i before task j) or the end marker -1,-1");
            return -1;
        }
        if (v[0] == -1 && v[1] == -1) break;
        if (add_arc(t, &cap, v[0], v[1], L.line, d) < 0) return -1;
    }
    return 0;
}

static int expect_section(lines *L, const char *tag)
{
    while (next_line(L)) {
        if (L->len == 0) continue;
        return L->len == strlen(tag) && !memcmp(L->s, tag, L->len);
    }
    return 0;
}

int load_tasks_alb(const char *text, size_t len, bal_tasks *t, diags *d)
{
    memset(t, 0, sizeof *t);
    lines L = { text, text + len, 0, NULL, 0 };
    long long v[3];
    int bad = 1, cap = 0;
    if (!expect_section(&L, "<number of tasks>")) {
        diags_add(d, L.line ? L.line : 1, 1, "expected '<number of tasks>'");
        return -1;
    }
    while (next_line(&L) && L.len == 0) {}
    if (numbers(&L, v, 1, &bad) != 1 || v[0] < 1 || v[0] > MAX_TASKS) {
        diags_add(d, L.line, 1, "expected the number of tasks (a whole number from 1 to %d)", MAX_TASKS);
        return -1;
    }
    if (alloc_tasks(t, (int)v[0], d) < 0) return -1;
    char *seen = calloc((size_t)t->n + 1, 1);
    if (!seen) { diags_add(d, 0, 0, "out of memory"); return -1; }
    int section = 0, rc = -1;       /* 1 cycle, 2 strength, 3 times, 4 precedence */
    while (next_line(&L)) {
        if (L.len == 0) continue;
        if (L.s[0] == '<') {
            if (L.len == 5 && !memcmp(L.s, "<end>", 5)) { rc = 0; break; }
            const char *names[] = { "<cycle time>", "<order strength>", "<task times>", "<precedence relations>" };
            section = 0;
            for (int k = 0; k < 4; k++)
                if (L.len == strlen(names[k]) && !memcmp(L.s, names[k], L.len)) section = k + 1;
            if (!section) {
                diags_add(d, L.line, 1, "unknown section '%.*s' (expected <cycle time>, <order strength>, "
                          "<task times>, <precedence relations> or <end>)", (int)(L.len > 60 ? 60 : L.len), L.s);
                goto out;
            }
            continue;
        }
        if (section == 2) continue;                 /* order strength: not needed */
        int k = numbers(&L, v, 2, &bad);
        if (section == 1) {
            if (k != 1 || v[0] < 1) { diags_add(d, L.line, 1, "expected the cycle time (a whole number >= 1)"); goto out; }
            t->takt_s = (double)v[0];
        } else if (section == 3) {
            if (k != 2 || v[0] < 1 || v[0] > t->n) {
                diags_add(d, L.line, k < 0 ? bad : 1, "expected 'task time' with a task from 1 to %d", t->n);
                goto out;
            }
            if (task_time(t, (int)v[0] - 1, v[1], &L, d) < 0) goto out;
            seen[v[0] - 1] = 1;
        } else if (section == 4) {
            if (k != 2) { diags_add(d, L.line, k < 0 ? bad : 1, "expected a precedence 'i,j' (task i before task j)"); goto out; }
            if (add_arc(t, &cap, v[0], v[1], L.line, d) < 0) goto out;
        } else {
            diags_add(d, L.line, 1, "data outside a section");
            goto out;
        }
    }
    if (rc < 0) { diags_add(d, L.line, 1, "the file does not end with <end>"); goto out; }
    for (int i = 0; i < t->n; i++)
        if (!seen[i]) { diags_add(d, 0, 0, "task %d has no time in <task times>", i + 1); rc = -1; goto out; }
out:
    free(seen);
    return rc;
}
