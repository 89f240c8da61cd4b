/*
 * main.c — the takt command: a thin layer over the library (include/takt.h)
 * that parses arguments, dispatches subcommands and maps outcomes to exit
 * statuses (0 ok, 2 bad input or usage, 1 internal error).
 */
#include <stdarg.h>
#include <string.h>
#include "cli.h"
#include "exp/cluster.h"

int usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("takt: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'takt --help'.\n", stderr);
    return EXIT_BAD_INPUT;
}

static void help(FILE *f)
{
    fprintf(f,
        "takt %s — discrete-event simulator and planner for production lines\n\n"
        "Usage:\n"
        "  takt                      simulate the default plant (%s)\n"
        "  takt run [FILE] [OPTIONS] simulate a plant file and print its report\n"
        "  takt check FILE           validate a plant file: prints ok or the problems\n"
        "  takt sweep FILE --set KEY=VALUES ...  run every combination of settings\n"
        "  takt runs                 list the runs recorded in the run store (takt.db)\n"
        "  takt show RUN             print a recorded run\n"
        "  takt compare RUN RUN      compare two recorded runs side by side\n"
        "  takt help run             options of 'run'\n"
        "  takt --version            print the version\n\n"
        "Exit status: 0 success, 2 bad input or usage, 1 internal error.\n"
        "Plant file format: docs/plant-format.md\n",
        TAKT_VERSION, takt_default_plant_name);
}

void help_run(FILE *f)
{
    fprintf(f,
        "Usage: takt run [FILE] [OPTIONS]\n\n"
        "Simulates FILE (default: the built-in plant) and prints a report.\n\n"
        "Options:\n"
        "  --replications N   independent replications (default: the file's)\n"
        "  --seed S           base random seed (default: the file's)\n"
        "  --horizon D        measured time after warm-up, e.g. 2000h (default: the file's)\n"
        "  --warmup D         warm-up time not measured, e.g. 100h (default: the file's)\n"
        "  --threads N        worker threads (default: all cores); results do not depend on it\n"
        "  --json PATH|-      write the JSON report to PATH, or to stdout instead of the text\n"
        "  --html PATH        write a self-contained HTML report with charts\n"
        "  --csv DIR          write the series and tables as CSV files into DIR\n"
        "  --db PATH          record the run in this SQLite run store (default: takt.db)\n"
        "  --no-db            do not record the run\n"
        "  --quiet            no progress bar or timing line on stderr\n");
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) return cmd_run(argc, argv);
    const char *c = argv[1];
    if (!strcmp(c, "--help") || !strcmp(c, "-h")) { help(stdout); fputc('\n', stdout); help_run(stdout); return EXIT_OK; }
    if (!strcmp(c, "--version") || !strcmp(c, "-V")) { printf("takt %s\n", TAKT_VERSION); return EXIT_OK; }
    if (!strcmp(c, "help")) {
        if (argc > 2 && !strcmp(argv[2], "run")) help_run(stdout);
        else if (argc > 2 && !strcmp(argv[2], "sweep")) help_sweep(stdout);
        else if (argc > 2 && strcmp(argv[2], "check") != 0)
            return usage_error("no help for '%s'", argv[2]);
        else help(stdout);
        return EXIT_OK;
    }
    if (!strcmp(c, "run")) return cmd_run(argc - 1, argv + 1);
    if (!strcmp(c, "check")) return cmd_check(argc - 1, argv + 1);
    if (!strcmp(c, "sweep")) return cmd_sweep(argc - 1, argv + 1);
    if (!strcmp(c, "runs")) return cmd_runs(argc - 1, argv + 1);
    if (!strcmp(c, "show")) return cmd_show(argc - 1, argv + 1);
    if (!strcmp(c, "compare")) return cmd_compare(argc - 1, argv + 1);
    if (c[0] == '-') return cmd_run(argc, argv);     /* options for the default run */
    return usage_error("unknown command '%s' (expected run, check or help)", c);
}

int main(int argc, char **argv)
{
    cli_signals_init();                         /* first: docs/robustness.md */
    if (cluster_init(&argc, &argv) < 0) {
        fprintf(stderr, "takt: cannot start MPI\n");
        return EXIT_INTERNAL;
    }
    int rc = dispatch(argc, argv);
    /* every command's output reached standard output, or it says not */
    if (cli_stdout_ok() < 0 && rc == EXIT_OK) rc = EXIT_INTERNAL;
    if (rc != EXIT_OK) cluster_abort(rc);       /* no rank left waiting */
    cluster_finalize();
    return rc;
}
