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

/* Output written to PATH.tmp.XXXXXX and renamed over PATH on commit, so
 * a failed or interrupted run never leaves a half-written file.  PATH "-"
 * is stdout. */
typedef struct outfile {
    FILE *f;
    char *path, *tmp;
} outfile;

int outfile_open(outfile *o, const char *path);   /* 0, or -1 having said why */
int outfile_commit(outfile *o);                           /* 0 or -1 (errno) */
void outfile_discard(outfile *o);
/* 0 if the directory that would hold path is writable, else -1 (errno). */
int parent_writable(const char *path);

/* The interrupt flag set by SIGINT/SIGTERM. */
extern volatile int cli_stop;
void cli_catch_signals(void);

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
