/*
 * solve.c — SALBP-1 and SALBP-2 on top of the exact search, and the
 * independent check of an assignment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bounds.h"
#include "search.h"
#include "solve.h"

double bal_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void bal_answer_free(bal_answer *a)
{
    free(a->station);
    memset(a, 0, sizeof *a);
}

/* The search on the graph and on its reverse (the line filled from its
 * end), in turns with doubling time slices: one direction is often far
 * easier than the other (SALOME chooses it by the number of loads; taking
 * turns needs no guess and costs at most a small factor).  Each direction
 * takes three kinds of turn:
 *   - a dive with few loads per station (on large stations the full set of
 *     loads of a single station can take longer than the whole limit),
 *     perturbed after the first: quick answers, no proof;
 *   - the depth-first search afresh, with the best answer so far as its
 *     target (most proofs come from it);
 *   - the cyclic best-first search (cbfs.c), which goes on where its last
 *     turn stopped: answers that need a different early station; two
 *     turns, one each way in the first round, then both the way that
 *     expanded more states (one way's states can have a hundred times the
 *     loads of the other's).  Its store of states is bounded; once full
 *     it is left out.
 * With first_only, the first assignment within target ends it. */
static int portfolio(const bal_graph *g, const bal_graph *rev, int64_t c, int target, int first_only,
                     double deadline, int *station, bal_search_result *out)
{
    memset(out, 0, sizeof *out);
    out->stations = target + 1;
    size_t n1 = (size_t)g->n + 1;
    int *try = malloc(3 * n1 * sizeof *try);
    bal_cbfs *cb[2] = { NULL, NULL };
    int dead[2] = { 0, 0 }, rc = 0;
    if (!try || !(cb[0] = bal_cbfs_open(g, c, target, first_only, try + n1))
        || !(cb[1] = bal_cbfs_open(rev, c, target, first_only, try + 2 * n1))) { rc = -1; goto out; }
    double slice = 0.02;
    long long cb_nodes[2] = { 0, 0 };
    for (int turn = 0; ; turn++) {
        /* turns of a round: dives each way, depth-first each way,
         * best-first twice: each way in the first round, then both
         * turns the way it expanded more states */
        int kind = (turn >> 1) % 3, dir = turn & 1;
        if (kind == 2 && turn >= 6) dir = cb_nodes[1] > cb_nodes[0];
        double now = bal_clock(), end = now + slice;
        if (deadline > 0 && end > deadline) end = deadline;
        if (deadline > 0 && now >= deadline) break;
        bal_search_result r;
        int *got = try;
        if (kind == 2 && !dead[dir]) {
            got = try + (size_t)(1 + dir) * n1;
            bal_cbfs_target(cb[dir], out->stations - 1);
            if (bal_cbfs_run(cb[dir], end, deadline, &r) < 0) { rc = -1; goto out; }
            cb_nodes[dir] += r.nodes;
            if (!r.complete && bal_clock() < end && (deadline <= 0 || bal_clock() < deadline)) dead[dir] = 1;   /* its store is full */
        } else {
            int dive = kind == 0;
            uint64_t shuffle = dive && turn >= 6 ? (uint64_t)turn : 0;
            if (bal_search(dir ? rev : g, c, out->stations - 1, first_only, end, shuffle, dive ? 8 : 0, try, &r) < 0) { rc = -1; goto out; }
        }
        out->nodes += r.nodes;
        if (r.found && r.stations < out->stations) {
            out->found = 1;
            out->stations = r.stations;
            for (int i = 0; i < g->n; i++) station[i] = dir ? r.stations + 1 - got[i] : got[i];
            if (first_only) { out->complete = 1; break; }
        }
        if (r.complete) { out->complete = 1; break; }
        if (turn % 6 == 5) slice *= 2;
    }
out:
    bal_cbfs_close(cb[0]);
    bal_cbfs_close(cb[1]);
    free(try);
    return rc;
}

int bal_salbp1(const bal_graph *g, int64_t c, double time_limit, bal_answer *a)
{
    memset(a, 0, sizeof *a);
    double t0 = bal_clock(), deadline = time_limit > 0 ? t0 + time_limit : 0;
    if (g->tmax > c || c <= 0) return -2;
    a->station = malloc(((size_t)g->n + 1) * sizeof *a->station);
    if (!a->station) return -1;
    int ub = bal_heuristic(g, c, a->station);
    if (ub < 0) { bal_answer_free(a); return ub; }
    int lb = bal_lb_stations(g, c);
    if (ub > lb) {
        /* a tenth of the limit at most: the search needs the rest */
        double until = time_limit > 0 ? t0 + 0.1 * time_limit : 0;
        int h = bal_hoffmann(g, c, lb, ub, until, a->station);
        if (h < 0) { bal_answer_free(a); return -1; }
        if (h > 0) ub = h;
    }
    if (ub > lb) {
        bal_graph rev;
        if (bal_graph_reverse(g, &rev) < 0) { bal_answer_free(a); return -1; }
        bal_search_result r;
        int rc = portfolio(g, &rev, c, ub - 1, 0, deadline, a->station, &r);
        bal_graph_free(&rev);
        if (rc < 0) { bal_answer_free(a); return -1; }
        if (r.found) ub = r.stations;
        if (r.complete) lb = ub;
        a->timed_out = !r.complete;
        a->nodes = r.nodes;
    }
    a->stations = ub;
    a->lower_bound = lb;
    a->cycle = c;
    a->cycle_bound = 0;
    a->optimal = lb == ub;
    a->seconds = bal_clock() - t0;
    return 0;
}

static int64_t max_load(const bal_graph *g, int m, const int *station)
{
    int64_t *load = calloc((size_t)m + 1, sizeof *load), best = 0;
    if (!load) return -1;
    for (int i = 0; i < g->n; i++) load[station[i]] += g->t[i];
    for (int k = 1; k <= m; k++) if (load[k] > best) best = load[k];
    free(load);
    return best;
}

int bal_salbp2(const bal_graph *g, int m, double time_limit, bal_answer *a)
{
    memset(a, 0, sizeof *a);
    double t0 = bal_clock(), deadline = time_limit > 0 ? t0 + time_limit : 0;
    if (m < 1) return -2;
    size_t n1 = (size_t)g->n + 1;
    a->station = malloc(n1 * sizeof *a->station);
    int *try = malloc(n1 * sizeof *try);
    if (!a->station || !try) { free(try); bal_answer_free(a); return -1; }
    int64_t lo = bal_lb_cycle(g, m), hi = g->total > lo ? g->total : lo;
    int used = 0;
    /* The heuristic is not monotone in c, but any c it fits is an answer:
     * halve the range on what it says to start near the optimum. */
    for (int64_t l = lo, h = hi; ; ) {
        int k = bal_heuristic(g, h, try);
        if (k < 0) { free(try); bal_answer_free(a); return -1; }
        if (k <= m) {
            hi = max_load(g, k, try);
            used = k;
            memcpy(a->station, try, (size_t)g->n * sizeof *try);
            h = hi;
        } else l = h + 1;
        if (l >= h) break;
        h = l + (h - l) / 2;
        if (h < l) break;
    }
    long long nodes = 0;
    int stopped = 0;
    bal_graph rev;
    if (bal_graph_reverse(g, &rev) < 0) { free(try); bal_answer_free(a); return -1; }
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        bal_search_result r;
        if (portfolio(g, &rev, mid, m, 1, deadline, try, &r) < 0) { bal_graph_free(&rev); free(try); bal_answer_free(a); return -1; }
        nodes += r.nodes;
        if (r.found) {
            used = r.stations;
            hi = max_load(g, used, try);
            memcpy(a->station, try, (size_t)g->n * sizeof *try);
        } else if (r.complete) {
            lo = mid + 1;
        } else { stopped = 1; break; }
    }
    bal_graph_free(&rev);
    free(try);
    a->stations = used;
    a->cycle = hi;
    a->cycle_bound = lo;
    a->lower_bound = used;
    a->optimal = lo == hi;
    a->timed_out = stopped;
    a->nodes = nodes;
    a->seconds = bal_clock() - t0;
    return 0;
}

int bal_check(const bal_graph *g, int64_t c, int stations, const int *station,
              char *why, int why_len)
{
    int64_t *load = calloc((size_t)stations + 2, sizeof *load);
    if (!load) { snprintf(why, (size_t)why_len, "out of memory"); return -1; }
    int rc = 0;
    for (int i = 0; i < g->n && !rc; i++) {
        if (station[i] < 1 || station[i] > stations) {
            snprintf(why, (size_t)why_len, "task %d is in station %d, not in 1..%d", i + 1, station[i], stations);
            rc = -1;
            break;
        }
        load[station[i]] += g->t[i];
        for (int e = g->pstart[i]; e < g->pstart[i + 1]; e++)
            if (station[g->pred[e]] > station[i]) {
                snprintf(why, (size_t)why_len, "task %d (station %d) comes before its predecessor %d (station %d)",
                         i + 1, station[i], g->pred[e] + 1, station[g->pred[e]]);
                rc = -1;
                break;
            }
        if (g->apart && !rc)
            for (int j = 0; j < g->n; j++)
                if (j != i && bal_set_has(g->apart + (size_t)i * (size_t)g->words, j) && station[j] == station[i]) {
                    snprintf(why, (size_t)why_len, "tasks %d and %d must be apart but share station %d", i + 1, j + 1, station[i]);
                    rc = -1;
                    break;
                }
    }
    for (int k = 1; k <= stations && !rc; k++)
        if (load[k] > c) {
            snprintf(why, (size_t)why_len, "station %d has work %lld, more than the cycle %lld",
                     k, (long long)load[k], (long long)c);
            rc = -1;
        }
    free(load);
    return rc;
}
