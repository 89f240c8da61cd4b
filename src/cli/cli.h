/*
 * cli.h — shared pieces of the command-line program: exit statuses, the
 * compiled-in default plant, option helpers and safe output files.
 */
#ifndef TAKT_CLI_H
#define TAKT_CLI_H

#include <stdio.h>
#include "takt.h"
#include "io/outfile.h"

enum { EXIT_OK = 0, EXIT_INTERNAL = 1, EXIT_BAD_INPUT = 2, EXIT_INTERRUPTED = 130 };

extern const unsigned char takt_default_plant[];
extern const unsigned int takt_default_plant_len;
extern const char takt_default_plant_name[];

/* Print "takt: msg" and a hint to --help on stderr; returns EXIT_BAD_INPUT. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Signals (signals.c).  cli_signals_init is the first thing main does:
 * from then on SIGINT, SIGTERM, SIGHUP and SIGPIPE end takt with status
 * 130, removing the temporary files of the guarded output group. */
extern volatile int cli_stop;                   /* raised by any of them */
void cli_signals_init(void);
void cli_signals_guard(outfile_group *g);       /* NULL: none            */
/* on = 1 while simulating: a signal raises cli_stop and the run returns
 * (check cli_stop after on = 0); a second one, or a second's wait, ends
 * takt at once. */
void cli_signals_soft(int on);
/* While a run is being recorded in a store it created, a signal removes
 * the store's files too (created = 0 or db NULL: none). */
void cli_signals_store(const char *db, int created);
/* Around the final renames and the store's commit: a signal is only
 * remembered.  release returns 1 if one came (the run is complete). */
void cli_signals_hold(void);
int cli_signals_release(void);

/* Standard output flushed and without error; else "takt: cannot write
 * to standard output" on stderr and -1. */
int cli_stdout_ok(void);

/* Inputs and outputs of run and sweep (outputs.c). */
#define CLI_DEFAULT_DB "takt.db"
typedef struct cli_output {
    const char *option;             /* "--json", for messages            */
    const outfile *file;            /* NULL: not asked for               */
} cli_output;
/* The plant file's bytes, read once; NULL having printed why. */
char *cli_read_plant(const char *path, size_t *len);
/* The run store checked before simulating (db NULL: the default, which a
 * read-only directory turns off with a note).  0, or -1 having said why. */
int cli_check_store(const char *db, int *no_db, int quiet);
/* No output is the plant file, the run store or another output.  0, or
 * -1 having said which. */
int cli_check_distinct(const char *plant, const cli_output *outs, int n, const char *db);

/* Progress bar on stderr (src/cli/progress.c): shown only when stderr is
 * a terminal, not quiet, and the run lasts longer than about a second. */
typedef struct progress progress;
progress *progress_new(int replications, int quiet);
void progress_cb(void *ctx, int rep, double frac);   /* takt_options.progress */
void progress_done(progress *p);                     /* clears the line; frees */

/* args.c */
/* The one parser of whole numbers on the command line: decimal digits
 * only (no sign, no space, no other base), from lo to hi.  0 or -1. */
int cli_parse_uint(const char *s, unsigned long long lo, unsigned long long hi,
                   unsigned long long *out);
int cli_is_opt(const char *arg, const char *name);      /* --name or --name=... */
/* The value of option argv[*i] ("--opt=value" or "--opt value"); NULL if none. */
const char *cli_opt_value(int argc, char **argv, int *i, const char *name);
double cli_now(void);                                   /* monotonic seconds */

int cmd_run(int argc, char **argv);
int cmd_sweep(int argc, char **argv);    /* takt sweep FILE --set K=V ...   */
int cmd_runs(int argc, char **argv);     /* takt runs [--db PATH]            */
int cmd_show(int argc, char **argv);     /* takt show RUN [--db PATH]        */
int cmd_compare(int argc, char **argv);  /* takt compare RUN RUN [--db PATH] */
int cmd_check(int argc, char **argv);
/* Each command's help (`takt help CMD`, `takt CMD --help`; docs/takt.1). */
void help_run(FILE *f);                  /* main.c                           */
void help_check(FILE *f);                /* main.c                           */
void help_sweep(FILE *f);                /* cmd_sweep.c                      */
void help_runs(FILE *f);                 /* cmd_store.c                      */
void help_show(FILE *f);
void help_compare(FILE *f);

#endif
