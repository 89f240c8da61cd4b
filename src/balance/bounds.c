/*
 * bounds.c — lower bounds on stations and on cycle time.
 */
#include <stdlib.h>
#include <string.h>
#include "bounds.h"

int bal_lb_items(const int64_t *t, int count, int64_t c)
{
    int64_t sum = 0, third6 = 0;        /* LB3 in sixths of a station */
    for (int i = 0; i < count; i++) {
        int64_t x = t[i];
        sum += x;
        if (3 * x > 2 * c) third6 += 6;
        else if (3 * x == 2 * c) third6 += 4;
        else if (3 * x > c) third6 += 3;
        else if (3 * x == c) third6 += 2;
    }
    int64_t lb = bal_ceil_div(sum, c);
    if (bal_ceil_div(third6, 6) > lb) lb = bal_ceil_div(third6, 6);
    /* Martello & Toth's L2 (it contains LB2): for a threshold k <= c/2,
     * items over c-k fill a station alone; items in (c/2, c-k] each need
     * their own station too, and what of the items in [k, c/2] does not
     * fit into those stations' free room needs further stations.  Only k
     * equal to an item's time matters (the largest k for each set of
     * small items).  t is sorted longest first. */
    int h = 0;
    int64_t big = 0;
    while (h < count && 2 * t[h] > c) big += t[h++];
    if (h > lb) lb = h;
    int p1 = h, i = h;
    int64_t s1 = big, s3 = 0;
    while (i < count) {
        int64_t k = t[i];
        while (i < count && t[i] == k) s3 += t[i++];
        while (p1 > 0 && t[p1 - 1] <= c - k) s1 -= t[--p1];
        int64_t n2 = h - p1, room = n2 * c - (big - s1);
        int64_t v = p1 + n2 + (s3 > room ? bal_ceil_div(s3 - room, c) : 0);
        if (v > lb) lb = v;
    }
    return (int)lb;
}

static int desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x < y) - (x > y);
}

int bal_lb_stations(const bal_graph *g, int64_t c)
{
    int64_t *s = malloc(((size_t)g->n + 1) * sizeof *s);
    int lb = 1;
    if (s) {
        memcpy(s, g->t, (size_t)g->n * sizeof *s);
        qsort(s, (size_t)g->n, sizeof *s, desc);
        lb = bal_lb_items(s, g->n, c);
        free(s);
    }
    for (int i = 0; i < g->n; i++) {
        int64_t chain = bal_ceil_div(g->head[i], c) + bal_ceil_div(g->tail[i], c) - 1;
        if (chain > lb) lb = (int)chain;
    }
    return lb;
}


int64_t bal_lb_cycle(const bal_graph *g, int m)
{
    int64_t lb = g->tmax;
    if (bal_ceil_div(g->total, m) > lb) lb = bal_ceil_div(g->total, m);
    int64_t *s = malloc(((size_t)g->n + 1) * sizeof *s);
    if (s) {
        for (int i = 0; i < g->n; i++) s[i] = g->t[i];
        qsort(s, (size_t)g->n, sizeof *s, desc);
        for (long k = 1; k * m + 1 <= g->n; k++) {
            int64_t sum = 0;
            for (long j = k * m - k; j <= k * m; j++) sum += s[j];
            if (sum > lb) lb = sum;
        }
        free(s);
    }
    /* The station bounds fall as c grows: raise c until they allow m. */
    while (bal_lb_stations(g, lb) > m) {
        int64_t lo = lb + 1, hi = lb * 2;
        while (bal_lb_stations(g, hi) > m) { lo = hi + 1; hi *= 2; }
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            if (bal_lb_stations(g, mid) > m) lo = mid + 1; else hi = mid;
        }
        lb = lo;
    }
    return lb;
}
