/* cmd_sweep.c — placeholder until `takt sweep` lands. */
#include "cli.h"
int cmd_sweep(int argc, char **argv) { (void)argc; (void)argv; return usage_error("sweep: not available yet"); }
