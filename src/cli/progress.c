/* progress.c — placeholder until the progress bar lands. */
#include <stdlib.h>
#include "cli.h"
struct progress { int n; };
progress *progress_new(int replications, int quiet) { (void)replications; (void)quiet; return NULL; }
void progress_cb(void *ctx, int rep, double frac) { (void)ctx; (void)rep; (void)frac; }
void progress_done(progress *p) { free(p); }
