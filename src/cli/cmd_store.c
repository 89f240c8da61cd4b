/* cmd_store.c — placeholder until `takt runs/show/compare` land. */
#include "cli.h"
int cmd_runs(int argc, char **argv) { (void)argc; (void)argv; return usage_error("runs: not available yet"); }
int cmd_show(int argc, char **argv) { (void)argc; (void)argv; return usage_error("show: not available yet"); }
int cmd_compare(int argc, char **argv) { (void)argc; (void)argv; return usage_error("compare: not available yet"); }
