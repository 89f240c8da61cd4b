/*
 * diffci.h — the 95 % confidence interval of a difference of two means:
 * paired (the replications of two runs matched one to one, as common
 * random numbers match them) or Welch's (two independent samples with
 * variances that need not be equal).  Used by `takt compare`.
 */
#ifndef TAKT_DIFFCI_H
#define TAKT_DIFFCI_H

typedef struct diff_ci {
    double mean;                    /* of b - a                          */
    double half;                    /* 95 % half-width; NAN: no interval */
    double df;                      /* degrees of freedom; NAN: none     */
} diff_ci;

/* The mean of the n differences b[i] - a[i] with Student's t interval on
 * n - 1 degrees of freedom.  Fewer than 2 pairs: half and df NAN. */
diff_ci diffci_paired(const double *a, const double *b, int n);

/* Welch's interval for mean_b - mean_a from each sample's mean, standard
 * deviation (n - 1 in the denominator) and size, with the
 * Welch–Satterthwaite degrees of freedom (not rounded).  A sample of
 * fewer than 2: half and df NAN.  Both deviations 0: half 0, df NAN. */
diff_ci diffci_welch(double mean_a, double sd_a, int n_a, double mean_b, double sd_b, int n_b);

/* The standard deviation of n observations from the 95 % half-width of
 * their mean (as ci95 in stats.h computes it); NAN when n < 2. */
double diffci_sd_from_half(double half, int n);

/* The 97.5 % quantile of Student's t with df degrees of freedom, df any
 * real >= 1 (Welch's df is seldom whole): student_t975 for a whole df,
 * else the root of the distribution function, found by bisection to
 * 1e-12 between the whole df on either side.  0 when df < 1. */
double student_t975_real(double df);

#endif
