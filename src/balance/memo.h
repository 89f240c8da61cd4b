/*
 * memo.h — the memory of visited states of the branch-and-bound: sets of
 * assigned tasks, each with the fewest stations it was reached with.  A
 * state reached again with as many stations or more cannot lead anywhere
 * new, so the search skips it.
 *
 * Open addressing with linear probing on a 64-bit Zobrist hash; the full
 * task set is kept beside it and compared, so a hash collision can never
 * cut off part of the search (a proof of optimality stays a proof).  The
 * table stops growing at a memory cap; after that new states are simply not
 * remembered, which costs time but never correctness.
 */
#ifndef TAKT_BALANCE_MEMO_H
#define TAKT_BALANCE_MEMO_H

#include <stddef.h>
#include <stdint.h>

typedef struct bal_memo {
    int words;              /* 64-bit words of a task set                  */
    size_t cap, used;       /* slots (a power of two) and entries          */
    uint64_t *hash;         /* 0 = empty slot (hashes are forced non-zero) */
    int *stations;
    uint64_t *sets;         /* cap * words                                 */
    size_t max_bytes;
} bal_memo;

int bal_memo_init(bal_memo *m, int words, size_t max_bytes);   /* 0 or -1 */
void bal_memo_free(bal_memo *m);
/* Returns 1 when set was seen with <= stations (skip it); otherwise records
 * it with stations and returns 0. */
int bal_memo_visit(bal_memo *m, uint64_t hash, const uint64_t *set, int stations);

#endif
