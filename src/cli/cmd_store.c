/*
 * cmd_store.c — `takt runs`, `takt show RUN` and `takt compare RUN RUN`:
 * the commands that read the run store (src/io/store_query.c does the
 * work).  Each takes --db PATH (default takt.db, where `takt run` records).
 *
 * A missing store, a store that is something else and an unknown run id
 * are the user's input, so they exit with status 2 like other bad input.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define DEFAULT_DB CLI_DEFAULT_DB

typedef struct store_args {
    const char *db;
    long long ids[2];
    int nids;
    int plant;                      /* show --plant                      */
    const char *json;               /* compare --json PATH|-             */
} store_args;

/* The options each command takes besides --db. */
enum { OPT_PLANT = 1, OPT_JSON = 2 };

static int parse_id(const char *s, long long *id)
{
    unsigned long long v;
    if (cli_parse_uint(s, 1, LLONG_MAX, &v) < 0) return -1;
    *id = (long long)v;
    return 0;
}

#define RUNS_WHAT    "Lists the runs recorded in the run store; a run of a sweep, or one with\n" \
                     "changed settings, shows its settings."
#define SHOW_WHAT    "Prints a recorded run: its settings, KPIs, stations and buffers."
#define SHOW_MORE    "  --plant         print only the plant file the run simulated, byte for byte\n"
#define COMPARE_WHAT "Compares two recorded runs: what differs between them, and the difference of\n" \
                     "each KPI with its 95 % interval: paired by replication when both runs used\n" \
                     "the same seed and replications (common random numbers), else Welch's."
#define COMPARE_MORE "  --json PATH|-   write the comparison as JSON to PATH, or to stdout instead of the text\n"

static void help_store(FILE *f, const char *cmd, const char *what, const char *more, int opts)
{
    fprintf(f, "Usage: takt %s [--db PATH]%s%s\n\n%s\n\n"
            "Options:\n"
            "  --db PATH       the run store to read (default: " DEFAULT_DB ")\n%s", cmd,
            opts & OPT_PLANT ? " [--plant]" : "", opts & OPT_JSON ? " [--json PATH|-]" : "", what, more);
}

void help_runs(FILE *f) { help_store(f, "runs", RUNS_WHAT, "", 0); }
void help_show(FILE *f) { help_store(f, "show RUN", SHOW_WHAT, SHOW_MORE, OPT_PLANT); }
void help_compare(FILE *f) { help_store(f, "compare RUN RUN", COMPARE_WHAT, COMPARE_MORE, OPT_JSON); }

/* argv[0] is the command; want = the number of run ids it takes.
 * Returns 0, -1 when help was printed, or an exit status. */
static int parse_store_args(int argc, char **argv, int want, int opts, void (*help)(FILE *),
                            const char *usage, store_args *a)
{
    memset(a, 0, sizeof *a);
    a->db = DEFAULT_DB;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) { help(stdout); return -1; }
        if (!strncmp(arg, "--db=", 5)) { a->db = arg + 5; continue; }
        if (!strcmp(arg, "--db")) {
            if (i + 1 >= argc) return usage_error("--db needs a value");
            a->db = argv[++i];
            continue;
        }
        if ((opts & OPT_PLANT) && !strcmp(arg, "--plant")) { a->plant = 1; continue; }
        if ((opts & OPT_JSON) && !strncmp(arg, "--json=", 7)) { a->json = arg + 7; continue; }
        if ((opts & OPT_JSON) && !strcmp(arg, "--json")) {
            if (i + 1 >= argc) return usage_error("--json needs a value (a file, or - for stdout)");
            a->json = argv[++i];
            continue;
        }
        if (arg[0] == '-' && arg[1] != 0) return usage_error("%s: unknown option '%s'", argv[0], arg);
        if (a->nids == want)
            return usage_error("%s takes %d run id%s, got '%s' too", argv[0], want, want == 1 ? "" : "s", arg);
        if (parse_id(arg, &a->ids[a->nids]) < 0)
            return usage_error("a run id is a whole number from 1 (see 'takt runs'), got '%s'", arg);
        a->nids++;
    }
    if (!*a->db) return usage_error("--db needs a file name");
    if (a->json && !*a->json) return usage_error("--json needs a file name, or - for stdout");
    if (a->nids < want) return usage_error("usage: takt %s", usage);
    return 0;
}

/* Map a store function's status to an exit status, printing its message. */
static int store_status(takt_status st, char *why)
{
    int rc = st == TAKT_OK ? EXIT_OK : st == TAKT_ENOTFOUND ? EXIT_BAD_INPUT : EXIT_INTERNAL;
    if (st != TAKT_OK) fprintf(stderr, "takt: %s\n", why ? why : takt_strerror(st));
    free(why);
    return rc;
}

int cmd_runs(int argc, char **argv)
{
    store_args a;
    char *why = NULL;
    int rc = parse_store_args(argc, argv, 0, 0, help_runs, "runs", &a);
    if (rc) return rc < 0 ? EXIT_OK : rc;
    takt_status st = takt_store_print_runs(a.db, stdout, &why);
    return store_status(st, why);
}

int cmd_show(int argc, char **argv)
{
    store_args a;
    char *why = NULL;
    int rc = parse_store_args(argc, argv, 1, OPT_PLANT, help_show, "show RUN [--plant]", &a);
    if (rc) return rc < 0 ? EXIT_OK : rc;
    takt_status st = a.plant ? takt_store_print_plant(a.db, a.ids[0], stdout, &why)
                             : takt_store_print_run(a.db, a.ids[0], stdout, &why);
    return store_status(st, why);
}

int cmd_compare(int argc, char **argv)
{
    store_args a;
    char *why = NULL;
    int rc = parse_store_args(argc, argv, 2, OPT_JSON, help_compare, "compare RUN RUN [--json PATH|-]", &a);
    if (rc) return rc < 0 ? EXIT_OK : rc;
    if (!a.json) {
        takt_status st = takt_store_print_compare(a.db, a.ids[0], a.ids[1], stdout, &why);
        return store_status(st, why);
    }
    /* JSON to a file: written under a temporary name and put in place
     * only when the whole comparison was written */
    cli_file out = { 0 };
    if (strcmp(a.json, "-") &&
        cli_check_distinct(NULL, (cli_output[]){ { "--json", a.json, NULL } }, 1, a.db) < 0)
        return EXIT_BAD_INPUT;
    if (cli_file_open(&out, a.json) < 0) return EXIT_BAD_INPUT;
    takt_status st = takt_store_write_compare(a.db, a.ids[0], a.ids[1], TAKT_FORMAT_JSON, out.f, &why);
    if (st != TAKT_OK) { cli_file_discard(&out); return store_status(st, why); }
    if (fflush(out.f) != 0 || cli_file_commit(&out) < 0) {
        if (out.g) cli_file_discard(&out);
        fprintf(stderr, "takt: cannot write '%s'\n", a.json);
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}
