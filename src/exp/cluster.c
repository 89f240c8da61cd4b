/* cluster.c — single-process placeholder until MPI distribution lands. */
#include <stdlib.h>
#include "cluster.h"
int cluster_init(int *argc, char ***argv) { (void)argc; (void)argv; return 0; }
void cluster_finalize(void) {}
int cluster_rank(void) { return 0; }
int cluster_size(void) { return 1; }
int cluster_gather_reps(const takt_plant *p, rep_obs *reps, int n) { (void)p; (void)reps; (void)n; return 0; }
int rep_obs_pack(const takt_plant *p, const rep_obs *o, unsigned char **buf, size_t *len)
{ (void)p; (void)o; *buf = NULL; *len = 0; return -1; }
int rep_obs_unpack(const takt_plant *p, const unsigned char *buf, size_t len, rep_obs *o)
{ (void)p; (void)buf; (void)len; (void)o; return -1; }
