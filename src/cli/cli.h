/*
 * cli.h — shared pieces of the command-line program: exit statuses, the
 * compiled-in default plant, option helpers and safe output files.
 */
#ifndef TAKT_CLI_H
#define TAKT_CLI_H

#include <stdio.h>
#include "takt.h"

enum { EXIT_OK = 0, EXIT_INTERNAL = 1, EXIT_BAD_INPUT = 2, EXIT_INTERRUPTED = 130 };

extern const unsigned char takt_default_plant[];
extern const unsigned int takt_default_plant_len;
extern const char takt_default_plant_name[];

/* Print "takt: msg" and a hint to --help on stderr; returns EXIT_BAD_INPUT. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Signals (signals.c).  cli_signals_init is the first thing main does:
 * from then on SIGINT, SIGTERM, SIGHUP and SIGPIPE end takt with status
 * 130, removing the temporary files of the guarded output groups. */
extern volatile int cli_stop;                   /* raised by any of them */
void cli_signals_init(void);
/* Guard an output group (at most a few at once) / stop guarding it. */
void cli_signals_guard(takt_outputs *g);
void cli_signals_unguard(takt_outputs *g);
/* Block (on = 1) or unblock the signals, for a change the handler must
 * not see half done. */
void cli_signals_block(int on);
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

/* Output files (outputs.c), all through the library's output groups
 * (takt_outputs: temp-then-rename for regular files, in place for
 * devices and FIFOs).  A group made by cli_outputs_new is guarded by the
 * signal handler until cli_outputs_free, which discards what was not
 * placed. */
takt_outputs *cli_outputs_new(void);            /* NULL having said why  */
void cli_outputs_free(takt_outputs *g);
/* A member; NULL having printed "takt: cannot write 'PATH': why". */
FILE *cli_output_open(takt_outputs *g, const char *path);
/* Finish and place every member as one step that a signal does not
 * cut.  0, or -1 having said why (the group is discarded). */
int cli_outputs_commit(takt_outputs *g);

/* One output file in a group of its own, for commands with a single
 * report: open (0, or -1 having said why), commit (0 or -1, said why),
 * discard.  f is where to write. */
typedef struct cli_file {
    FILE *f;
    takt_outputs *g;
} cli_file;
int cli_file_open(cli_file *o, const char *path);
int cli_file_commit(cli_file *o);
void cli_file_discard(cli_file *o);
/* 0 if the directory that would hold path is writable, else -1 (errno). */
int parent_writable(const char *path);

/* Inputs of run and sweep (outputs.c). */
#define CLI_DEFAULT_DB "takt.db"
typedef struct cli_output {
    const char *option;             /* "--json", for messages            */
    const char *path;               /* NULL: not asked for               */
    FILE *f;                        /* stdout: standard output           */
} cli_output;
/* The plant file's bytes, read once; NULL having printed why. */
char *cli_read_plant(const char *path, size_t *len);
/* The run store checked before simulating (db NULL: the default, which a
 * read-only directory turns off with a note).  0, or -1 having said why. */
int cli_check_store(const char *db, int *no_db, int quiet);
/* No output is the plant file, the run store or another output (by
 * device and inode).  0, or -1 having said which. */
int cli_check_distinct(const char *plant, const cli_output *outs, int n, const char *db);

/* Progress bar on stderr (src/cli/progress.c): shown only when stderr is
 * a terminal, not quiet, and the run lasts longer than about a second. */
typedef struct progress progress;
progress *progress_new(int replications, int quiet);
/* The same for `reps` replications followed by `more` paired improvement
 * runs (jobs numbered on from reps), counted as such. */
progress *progress_new_more(int reps, int more, int quiet);
void progress_cb(void *ctx, int rep, double frac);   /* takt_options.progress */
void progress_done(progress *p);                     /* clears the line; frees */

/* args.c */
/* The one parser of whole numbers on the command line: decimal digits
 * only (no sign, no space, no other base), from lo to hi.  0 or -1. */
int cli_parse_uint(const char *s, unsigned long long lo, unsigned long long hi,
                   unsigned long long *out);
/* The same into a long long (lo >= 0). */
int cli_parse_long(const char *s, long long lo, long long hi, long long *out);
int cli_is_opt(const char *arg, const char *name);      /* --name or --name=... */
/* The value of option argv[*i] ("--opt=value" or "--opt value"); NULL if none. */
const char *cli_opt_value(int argc, char **argv, int *i, const char *name);
char *cli_slurp(const char *path, size_t *len);         /* malloc'd, or NULL */
double cli_now(void);                                   /* monotonic seconds */
/* --bottleneck paired|active into the options; 0, or -1 for another word. */
int cli_set_bottleneck(takt_options *o, const char *v);

/* The plant named on the command line, or the built-in one (file NULL);
 * NULL having printed the problems (cmd_run.c). */
takt_plant *cli_load_plant(const char *file);

int cmd_run(int argc, char **argv);
int cmd_sweep(int argc, char **argv);    /* takt sweep FILE --set K=V ...   */
int cmd_fit(int argc, char **argv);     /* takt fit FILE --observed ...     */
int cmd_runs(int argc, char **argv);     /* takt runs [--db PATH]            */
int cmd_show(int argc, char **argv);     /* takt show RUN [--db PATH]        */
int cmd_compare(int argc, char **argv);  /* takt compare RUN RUN [--db PATH] */
int cmd_check(int argc, char **argv);
int cmd_improve(int argc, char **argv);  /* takt improve [FILE] [--by 10%] ... */
void help_improve(FILE *f);              /* cmd_improve.c                    */
int cmd_balance(int argc, char **argv);  /* takt balance FILE (cmd_balance.c) */
/* Each command's help (`takt help CMD`, `takt CMD --help`; docs/takt.1). */
void help_run(FILE *f);                  /* main.c                           */
void help_check(FILE *f);                /* main.c                           */
void help_sweep(FILE *f);                /* cmd_sweep.c                      */
void help_fit(FILE *f);                  /* cmd_fit.c                        */
void help_runs(FILE *f);                 /* cmd_store.c                      */
void help_show(FILE *f);
void help_compare(FILE *f);
void help_balance(FILE *f);              /* cmd_balance.c                    */
int cmd_estimate(int argc, char **argv); /* takt estimate FILE               */
void help_estimate(FILE *f);             /* cmd_estimate.c                   */
int cmd_optimise(int argc, char **argv); /* takt optimise FILE --vary ...   */
void help_optimise(FILE *f);             /* cmd_optimise.c                   */

#endif
