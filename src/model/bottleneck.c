/* bottleneck.c — placeholder until the active-period tracker lands. */
#include <stdlib.h>
#include "bottleneck.h"
struct bn_tracker { int n; };
bn_tracker *bn_new(int n, double t0) { (void)t0; bn_tracker *b = malloc(sizeof *b); if (b) b->n = n; return b; }
int bn_set(bn_tracker *b, int i, int active, double t) { (void)b; (void)i; (void)active; (void)t; return 0; }
void bn_finish(bn_tracker *b, double t_end, double *sole, double *shifting)
{ (void)t_end; for (int i = 0; i < b->n; i++) sole[i] = shifting[i] = 0; }
void bn_free(bn_tracker *b) { free(b); }
