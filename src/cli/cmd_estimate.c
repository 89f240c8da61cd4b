/*
 * cmd_estimate.c — `takt estimate FILE`: the analytic estimate of a plant
 * in milliseconds (src/analytic), as text or JSON.  A plant outside the
 * method is reported as such ("applicable": false and the features it
 * does not cover), with exit status 0: that is an answer, not an error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define MAX_SETS 64

void help_estimate(FILE *f)
{
    fprintf(f,
        "Usage: takt estimate FILE [OPTIONS]\n\n"
        "Estimates the throughput, station states and buffer levels of FILE\n"
        "analytically (decomposition; docs/estimate.md), without simulating.\n\n"
        "Options:\n"
        "  --set PATH=VALUE   change a value of the file first (as in 'takt sweep')\n"
        "  --json PATH|-      write the JSON result to PATH, or to stdout instead of the text\n");
}

int cmd_estimate(int argc, char **argv)
{
    const char *file = NULL, *json = NULL;
    const char *sets[MAX_SETS];
    int nsets = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { help_estimate(stdout); return EXIT_OK; }
        if (cli_is_opt(a, "--json")) {
            if (!(json = cli_opt_value(argc, argv, &i, "--json")))
                return usage_error("--json needs a path or -");
        } else if (cli_is_opt(a, "--set")) {
            const char *v = cli_opt_value(argc, argv, &i, "--set");
            if (!v || !strchr(v, '=')) return usage_error("--set needs PATH=VALUE");
            if (nsets == MAX_SETS) return usage_error("at most %d --set options", MAX_SETS);
            sets[nsets++] = v;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("estimate: unknown option '%s'", a);
        } else if (!file) {
            file = a;
        } else {
            return usage_error("estimate: one plant file only (got '%s' and '%s')", file, a);
        }
    }
    if (!file) return usage_error("estimate needs a plant file");
    char *errors = NULL;
    takt_plant *p = takt_load_with(file, sets, nsets, &errors);
    if (!p) {
        fputs(errors ? errors : "takt: out of memory\n", stderr);
        free(errors);
        return EXIT_BAD_INPUT;
    }
    cli_file out = {0};
    cli_output outs[] = { { "--json", json, NULL } };
    if (json && strcmp(json, "-") && cli_check_distinct(file, outs, 1, NULL) < 0) {
        takt_plant_free(p);
        return EXIT_BAD_INPUT;
    }
    if (json && cli_file_open(&out, json) < 0) { takt_plant_free(p); return EXIT_BAD_INPUT; }
    takt_estimate *e = NULL;
    if (takt_estimate_plant(p, &e) != TAKT_OK) {
        fprintf(stderr, "takt: out of memory\n");
        if (json) cli_file_discard(&out);
        takt_plant_free(p);
        return EXIT_INTERNAL;
    }
    int rc = EXIT_OK;
    if (!(json && !strcmp(json, "-")) && takt_estimate_write(e, TAKT_FORMAT_TEXT, stdout) != TAKT_OK)
        rc = EXIT_INTERNAL;
    if (json) {
        if (takt_estimate_write(e, TAKT_FORMAT_JSON, out.f) != TAKT_OK) {
            fprintf(stderr, "takt: cannot write '%s'\n", json);
            cli_file_discard(&out);
            rc = EXIT_INTERNAL;
        } else if (cli_file_commit(&out) < 0) {   /* said why */
            rc = EXIT_INTERNAL;
        }
    }
    takt_estimate_free(e);
    takt_plant_free(p);
    return rc;
}
