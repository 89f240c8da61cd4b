/*
 * feature_sim.h — running small car-plant cases for the feature tests
 * (test_features.c, test_features2.c): load a plant from YAML text,
 * simulate it with its own horizon, seed and replications, check the
 * invariants every run must keep, and compare results with theory.
 *
 * Names start with fs_ because every support file under tests/validation
 * is linked into every validation binary.
 */
#ifndef TAKT_FEATURE_SIM_H
#define TAKT_FEATURE_SIM_H

#include "takt.h"
#include "exp/catalogue.h"

typedef struct fsim {
    const char *name;
    takt_plant *plant;
    takt_summary *sum;
} fsim;

/* Load and simulate (the plant's own horizon, warm-up, seed and number of
 * replications), then check on every replication: conservation of parts
 * (wip_start + parts_in == parts_out + scrapped + merged + wip_end, exact),
 * station states summing to 1, and, for dated plants, that the daily series
 * add up to the totals, never go negative and never deliver more cars than
 * were made or ordered.  Fails the test on any problem. */
fsim fs_run(const char *name, const char *yaml);
void fs_free(fsim *s);

/* Index of a station / workshop by name; fails the test if missing. */
int fs_station(const fsim *s, const char *name);
int fs_workshop(const fsim *s, const char *name);

/* A statistical comparison: |mean - exact| <= 4 half-widths + rel |exact|. */
void fs_expect(const fsim *s, const char *what, kpi got, double exact, double rel);

/* A deterministic comparison: |got - exact| <= tol. */
void fs_exact(const fsim *s, const char *what, double got, double exact, double tol);

/* Mean and 95 % half-width of one value per replication. */
kpi fs_kpi(const double *per_rep, int n);

/* Cumulative count produced by the end of day d in replication r. */
double fs_cum_produced(const fsim *s, int r, int d);

#endif
