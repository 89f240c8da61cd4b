/*
 * rng.c — seeding of random streams.
 *
 * Drawing numbers is inline in rng.h (xoshiro256**); this file only turns an
 * identifying tuple (seed, a, b, c) into a 256-bit state.  The tuple is
 * folded through the splitmix64 finaliser, a bijection on 64-bit words, one
 * component at a time, so two tuples that differ in any component give
 * unrelated keys (a collision has probability ~2^-64).  The key then drives
 * a splitmix64 generator whose four outputs fill the state; this is the
 * seeding its authors recommend, because xoshiro state words must not be
 * correlated.  Since splitmix64 output is a bijection of its counter and the
 * four counters are distinct, at most one state word can be zero: the
 * all-zero state (a fixed point of xoshiro) cannot occur.
 */
#include "core/rng.h"

#define GOLDEN_GAMMA 0x9e3779b97f4a7c15ULL

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t rng_splitmix64(uint64_t *state)
{
    *state += GOLDEN_GAMMA;
    return mix64(*state);
}

void rng_seed(rng *r, uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
    /* Distinct offsets per position keep (x, 0, ...) and (0, x, ...) apart. */
    uint64_t key = mix64(seed + GOLDEN_GAMMA);
    key = mix64(key ^ (a + 2 * GOLDEN_GAMMA));
    key = mix64(key ^ (b + 3 * GOLDEN_GAMMA));
    key = mix64(key ^ (c + 4 * GOLDEN_GAMMA));
    for (int i = 0; i < 4; i++)
        r->s[i] = rng_splitmix64(&key);
}
