/*
 * markov.h — exact steady state of small serial production lines, for the
 * validation suite.
 *
 * The line: machines 1..K in series (K <= MARKOV_MAX_MACHINES), machine i
 * with exponential processing rate mu_i and, optionally, operation-
 * dependent failures (rate p_i while working; exponential repair, rate
 * r_i); between machines i and i+1 a buffer of capacity N_i counting parts
 * in the buffer only.  Blocking after service, first machine never
 * starved, last machine never blocked, a failed machine keeps its part.
 * These are exactly takt's default semantics, so the numbers here are what
 * the simulator must reproduce up to sampling error.
 */
#ifndef TAKT_VALIDATION_MARKOV_H
#define TAKT_VALIDATION_MARKOV_H

#define MARKOV_MAX_MACHINES 5

/* Machine states.  A machine that is idle is starved (it holds no part). */
enum { MK_IDLE = 0, MK_WORKING, MK_BLOCKED, MK_FAILED, MK_NSTATES };

typedef struct markov_machine {
    double mu;                      /* processing rate (> 0)             */
    double p;                       /* failure rate while working; 0 = reliable */
    double r;                       /* repair rate (> 0 when p > 0)      */
} markov_machine;

typedef struct markov_line {
    int nmachines;                  /* 1..MARKOV_MAX_MACHINES            */
    markov_machine machine[MARKOV_MAX_MACHINES];
    int capacity[MARKOV_MAX_MACHINES - 1];  /* buffer after machine i (>= 0) */
} markov_line;

typedef struct markov_result {
    double throughput;              /* completions per unit time at the last machine */
    double mean_level[MARKOV_MAX_MACHINES - 1];       /* parts in buffer i */
    double state[MARKOV_MAX_MACHINES][MK_NSTATES];    /* probability of each machine state */
    double wip;                     /* mean parts in buffers and machines */
    int nstates;                    /* reachable states                  */
    int iterations;                 /* Gauss-Seidel sweeps; 0 if solved directly */
    double residual;                /* max |pi Q| / max exit rate        */
} markov_result;

/* How markov_solve may solve pi Q = 0. */
typedef enum {
    MARKOV_AUTO = 0,                /* dense LU for small spaces, else Gauss-Seidel */
    MARKOV_DENSE,
    MARKOV_ITERATIVE
} markov_method;

/* Solve the line.  Returns 0; -1 invalid line; -2 out of memory or state
 * space too large for the chosen method; -3 no convergence. */
int markov_solve(const markov_line *line, markov_method method, markov_result *out);

/* Convenience: a reliable line of identical machines and buffers. */
markov_line markov_uniform_line(int nmachines, double mu, int capacity);

#endif
