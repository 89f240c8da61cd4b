/*
 * main.c — the takt command: a thin layer over the library (include/takt.h)
 * that parses arguments, dispatches subcommands and maps outcomes to exit
 * statuses (0 ok, 2 bad input or usage, 1 internal error).
 */
#include <stdarg.h>
#include <string.h>
#include "cli.h"

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

/* Every command, in the order `takt --help` lists them.  Adding one: a row
 * here, its help function, and its section in docs/takt.1 (a test keeps
 * the man page and the help in step). */
typedef struct command {
    const char *name, *args, *summary;
    int (*run)(int argc, char **argv);
    void (*help)(FILE *f);
} command;

static const command commands[] = {
    {"run", "[FILE] [OPTIONS]", "simulate a plant file (default: the built-in plant) and report", cmd_run, help_run},
    {"check", "FILE", "validate a plant file: prints ok or the problems", cmd_check, help_check},
    {"sweep", "FILE --set KEY=VALUES ...", "run every combination of settings", cmd_sweep, help_sweep},
    {"improve", "[FILE] [--by 10%] [--what mttr]", "what improving each station gains (paired runs)", cmd_improve, help_improve},
    {"estimate", "FILE [--json PATH]", "analytic estimate of a line in milliseconds (no simulation)", cmd_estimate, help_estimate},
    {"optimise", "FILE --vary PATH=LO..HI ...", "best integer settings (buffers, servers ...) by estimate and simulation", cmd_optimise, help_optimise},
    {"fit", "FILE --observed CSV --free P=LO..HI", "calibrate settings to an observed series", cmd_fit, help_fit},
    {"runs", "[--db PATH]", "list the runs recorded in the run store (takt.db)", cmd_runs, help_runs},
    {"show", "RUN [--db PATH]", "print a recorded run", cmd_show, help_show},
    {"compare", "RUN RUN [--db PATH]", "compare two recorded runs side by side", cmd_compare, help_compare},
    {"balance", "FILE --takt D | --stations N", "balance tasks into stations, write and simulate the line", cmd_balance, help_balance},
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

static const command *find_command(const char *name)
{
    for (int i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i].name, name)) return &commands[i];
    return NULL;
}

static void help(FILE *f)
{
    fprintf(f, "takt %s — discrete-event simulator and planner for production lines\n\n"
               "Usage:\n"
               "  %-38s simulate the default plant (%s)\n",
            TAKT_VERSION, "takt [OPTIONS]", takt_default_plant_name);
    for (int i = 0; i < NCOMMANDS; i++) {
        char head[80];
        snprintf(head, sizeof head, "takt %s %s", commands[i].name, commands[i].args);
        fprintf(f, "  %-38s %s\n", head, commands[i].summary);
    }
    fprintf(f, "  %-38s %s\n", "takt help COMMAND", "the options of COMMAND (or: takt COMMAND --help)");
    fprintf(f, "  %-38s %s\n\n", "takt version", "print the version (or: --version, -V)");
    fprintf(f, "Exit status: 0 success, 2 bad input or usage, 1 internal error, 130 interrupted.\n"
               "Plant file format: docs/plant-format.md; manual: man takt (docs/takt.1).\n");
}

void help_check(FILE *f)
{
    fprintf(f,
        "Usage: takt check FILE\n\n"
        "Validates a plant file without simulating it: prints ok, or one\n"
        "FILE:LINE:COLUMN: message line per problem and exits with status 2.\n");
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
        "  --set PATH=VALUE   change one value of the plant file for this run (repeatable;\n"
        "                     paths as in sweep: buffers.B1.capacity=5, stations.M1.cycle=exp(50min))\n"
        "  --threads N        worker threads (default: all cores); results do not depend on it\n"
        "  --json PATH|-      write the JSON report to PATH, or to stdout instead of the text\n"
        "  --html PATH        write a self-contained HTML report with charts\n"
        "  --csv DIR          write the series and tables as CSV files into DIR\n"
        "  --db PATH          record the run in this SQLite run store (default: takt.db)\n"
        "  --no-db            do not record the run\n"
        "  --bottleneck paired|active  name the bottleneck by paired improvement runs\n"
        "                     (default; a few more runs) or by the active-period method\n"
        "  --series           also collect series over time (states per station, buffer\n"
        "                     levels, the bottleneck per day) for the JSON, CSV and HTML\n"
        "  --quiet            no progress bar or timing line on stderr\n");
}

/* "takt 0.1.0" and how this binary was built: what tests/mpi reads. */
static void version(FILE *f)
{
    fprintf(f, "takt %s\n", TAKT_VERSION);
#if defined(TAKT_HAVE_MPI)
    fprintf(f, "MPI: yes (Open MPI)\n");
#elif defined(TAKT_MPI_OFF)
    fprintf(f, "MPI: no (built with MPI=0)\n");
#else
    fprintf(f, "MPI: no (Open MPI was not installed when it was built)\n");
#endif
}

static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) return 0;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return 1;
    }
    return 0;
}

static int unknown_command(const char *c)
{
    char list[256] = "";
    for (int i = 0; i < NCOMMANDS; i++) {
        strncat(list, commands[i].name, sizeof list - strlen(list) - 1);
        strncat(list, ", ", sizeof list - strlen(list) - 1);
    }
    return usage_error("unknown command '%s' (expected one of: %shelp, version)", c, list);
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) return cmd_run(argc, argv);
    const char *c = argv[1];
    if (!strcmp(c, "--help") || !strcmp(c, "-h")) { help(stdout); fputc('\n', stdout); help_run(stdout); return EXIT_OK; }
    if (!strcmp(c, "--version") || !strcmp(c, "-V") || !strcmp(c, "version")) { version(stdout); return EXIT_OK; }
    if (!strcmp(c, "help")) {
        if (argc > 3) return usage_error("help takes one command, got %d", argc - 2);
        if (argc == 2) { help(stdout); return EXIT_OK; }
        const command *cmd = find_command(argv[2]);
        if (!cmd) return unknown_command(argv[2]);
        cmd->help(stdout);
        return EXIT_OK;
    }
    if (c[0] == '-') {                               /* options for the default run */
        if (wants_help(argc, argv)) { help_run(stdout); return EXIT_OK; }
        return cmd_run(argc, argv);
    }
    const command *cmd = find_command(c);
    if (!cmd) return unknown_command(c);
    if (wants_help(argc - 1, argv + 1)) { cmd->help(stdout); return EXIT_OK; }
    return cmd->run(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
    cli_signals_init();                         /* first: docs/robustness.md */
    if (takt_mpi_init(&argc, &argv) != TAKT_OK) {
        fprintf(stderr, "takt: cannot start MPI\n");
        return EXIT_INTERNAL;
    }
    int rc = dispatch(argc, argv);
    /* every command's output reached standard output, or it says not */
    if (cli_stdout_ok() < 0 && rc == EXIT_OK) rc = EXIT_INTERNAL;
    if (rc != EXIT_OK) takt_mpi_abort(rc);      /* no rank left waiting */
    takt_mpi_finalize();
    return rc;
}
