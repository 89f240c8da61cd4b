/*
 * rng.h — random streams for takt.
 *
 * xoshiro256** (Blackman & Vigna): 256-bit state, 2^256 period, passes
 * BigCrush, a handful of instructions per draw.  A stream is seeded by
 * hashing (seed, replication, element, purpose) through splitmix64, so every
 * model element of every replication owns an independent stream and results
 * never depend on how replications are scheduled over threads or ranks.
 */
#ifndef TAKT_RNG_H
#define TAKT_RNG_H

#include <stdint.h>

typedef struct rng {
    uint64_t s[4];
} rng;

/* Seed a stream from a base seed and up to three identifying integers
 * (e.g. replication, element index, purpose).  Different tuples give
 * streams that are, for all practical purposes, independent. */
void rng_seed(rng *r, uint64_t seed, uint64_t a, uint64_t b, uint64_t c);

static inline uint64_t rng_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl(s[3], 45);
    return result;
}

/* Uniform on the open interval (0, 1): never 0, never 1, 53 bits. */
static inline double rng_uniform(rng *r)
{
    return ((double)(rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

/* splitmix64 step: used for seeding and for hashing identifiers. */
uint64_t rng_splitmix64(uint64_t *state);

#endif
