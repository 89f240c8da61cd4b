/*
 * linalg.h — the small dense linear algebra the decomposition needs: LU
 * with partial pivoting on row-major n x n matrices, and the solution of
 * row-vector systems x A = b, which is how stationary equations pi Q = 0
 * read.
 */
#ifndef TAKT_ANALYTIC_LINALG_H
#define TAKT_ANALYTIC_LINALG_H

/* Factor a (n x n, row-major) in place as P a = L U.  Returns 0, or -1
 * when a pivot is zero (the matrix is singular). */
int lu_factor(double *a, int n, int *piv);

/* Solve a x = b for the column vector x (in b), a factored by lu_factor. */
void lu_solve(const double *a, int n, const int *piv, double *b);

/* Transpose an n x n row-major matrix in place. */
void mat_transpose(double *a, int n);

#endif
