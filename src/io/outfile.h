/*
 * outfile.h — output files that appear whole or not at all: the one way
 * takt writes a file (reports, CSV tables, sweep tables).
 *
 * A regular file (new, or existing and to be replaced) is written under a
 * temporary name in its own directory, flushed, synced and renamed over
 * the final name only when complete.  Anything else (standard output,
 * a device such as /dev/null, a FIFO, /dev/stdout) is written into
 * directly: renaming a file over a device would replace the device.
 *
 * Everything that can be refused is found by outfile_open, before any
 * work: an empty name, a directory, a missing or unwritable directory, a
 * socket, a file the final rename could not replace (a sticky directory).
 * Files are created with mode 0666 less the umask, as a plain open would.
 *
 * Outputs are grouped: a group is written completely, then placed (every
 * temporary renamed) as one step.  outfile_group_unlink_tmp may be called
 * from a signal handler to remove the temporaries of an abandoned group.
 */
#ifndef TAKT_OUTFILE_H
#define TAKT_OUTFILE_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

typedef struct outfile {
    FILE *f;
    char *name;                     /* as given, for messages            */
    char *path;                     /* the name replaced (symlinks resolved) */
    char *tmp;                      /* temporary name; NULL if written directly */
    volatile sig_atomic_t live;     /* 1 while tmp exists on disk        */
    int direct;                     /* stdout or a special file          */
    int is_stdout;
} outfile;

#define OUTFILE_GROUP_MAX 24
#define OUTFILE_DIRS_MAX 16

typedef struct outfile_group {
    outfile files[OUTFILE_GROUP_MAX];
    volatile sig_atomic_t n;
    char *dirs[OUTFILE_DIRS_MAX];   /* directories the group created     */
    volatile sig_atomic_t ndirs;
} outfile_group;

/* Open path for writing ("-" is standard output).  0, or -1 with
 * "cannot write 'path': reason" in err. */
int outfile_open(outfile *o, const char *path, char *err, size_t errlen);
/* Flush, sync and close (every write error shows here).  0 or -1 (err). */
int outfile_finish(outfile *o, char *err, size_t errlen);
/* Rename a finished file into place.  0 or -1 (err). */
int outfile_place(outfile *o, char *err, size_t errlen);
/* Close and remove the temporary file; the final name is left as it was. */
void outfile_discard(outfile *o);

/* A new member of the group, opened as by outfile_open; NULL (err) if it
 * cannot be opened or the group is full. */
outfile *outfile_group_open(outfile_group *g, const char *path, char *err, size_t errlen);
/* Finish every member, then place every member.  0, or -1 (err) having
 * discarded every member not yet placed. */
int outfile_group_finish(outfile_group *g, char *err, size_t errlen);
int outfile_group_place(outfile_group *g, char *err, size_t errlen);
void outfile_group_discard(outfile_group *g);
/* mkdir -p dir for the group's files: the directories it creates are
 * removed again if the group is discarded.  0 or -1 (err). */
int outfile_group_mkdirs(outfile_group *g, const char *dir, char *err, size_t errlen);
/* Remove every temporary file of the group, and the directories it
 * created (if empty); async-signal-safe. */
void outfile_group_unlink_tmp(const outfile_group *g);

#endif
