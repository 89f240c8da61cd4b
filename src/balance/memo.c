/*
 * memo.c — the visited-state table of the line-balancing search.
 */
#include <stdlib.h>
#include <string.h>
#include "memo.h"

static size_t slot_bytes(int words) { return sizeof(uint64_t) * (1 + (size_t)words) + sizeof(int); }

static int alloc_table(bal_memo *m, size_t cap)
{
    m->hash = calloc(cap, sizeof *m->hash);
    m->stations = malloc(cap * sizeof *m->stations);
    m->sets = malloc(cap * (size_t)m->words * sizeof *m->sets);
    if (!m->hash || !m->stations || !m->sets) {
        free(m->hash); free(m->stations); free(m->sets);
        m->hash = NULL; m->stations = NULL; m->sets = NULL;
        return -1;
    }
    m->cap = cap;
    return 0;
}

int bal_memo_init(bal_memo *m, int words, size_t max_bytes)
{
    memset(m, 0, sizeof *m);
    m->words = words;
    m->max_bytes = max_bytes;
    return alloc_table(m, 1024);
}

void bal_memo_free(bal_memo *m)
{
    free(m->hash); free(m->stations); free(m->sets);
    memset(m, 0, sizeof *m);
}

static size_t find(const bal_memo *m, uint64_t h, const uint64_t *set, int *found)
{
    size_t W = (size_t)m->words, i = (size_t)h & (m->cap - 1);
    for (;;) {
        if (!m->hash[i]) { *found = 0; return i; }
        if (m->hash[i] == h && !memcmp(m->sets + i * W, set, W * sizeof *set)) { *found = 1; return i; }
        i = (i + 1) & (m->cap - 1);
    }
}

static void grow(bal_memo *m)
{
    size_t ncap = m->cap * 2;
    if (ncap * slot_bytes(m->words) > m->max_bytes) return;
    bal_memo old = *m;
    if (alloc_table(m, ncap) < 0) { *m = old; return; }
    size_t W = (size_t)m->words;
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.hash[i]) continue;
        int found;
        size_t j = find(m, old.hash[i], old.sets + i * W, &found);
        m->hash[j] = old.hash[i];
        m->stations[j] = old.stations[i];
        memcpy(m->sets + j * W, old.sets + i * W, W * sizeof *m->sets);
    }
    free(old.hash); free(old.stations); free(old.sets);
}

int bal_memo_visit(bal_memo *m, uint64_t hash, const uint64_t *set, int stations)
{
    uint64_t h = hash ? hash : 1;
    int found;
    size_t i = find(m, h, set, &found);
    if (found) {
        if (m->stations[i] <= stations) return 1;
        m->stations[i] = stations;
        return 0;
    }
    /* Keep at least half the slots free so probes stay short; a full
     * table stops remembering instead. */
    if (2 * (m->used + 1) > m->cap) {
        grow(m);
        if (2 * (m->used + 1) > m->cap) return 0;
        i = find(m, h, set, &found);
    }
    size_t W = (size_t)m->words;
    m->hash[i] = h;
    m->stations[i] = stations;
    memcpy(m->sets + i * W, set, W * sizeof *set);
    m->used++;
    return 0;
}
