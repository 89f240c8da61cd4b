/*
 * outfile.c — output files that appear whole or not at all: written under
 * a temporary name in the same directory, flushed, then renamed.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli.h"

volatile int cli_stop;

static void on_signal(int sig)
{
    (void)sig;
    cli_stop = 1;
}

void cli_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static int open_tmp(outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (strcmp(path, "-") == 0) { o->f = stdout; return 0; }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) { errno = EISDIR; return -1; }
    size_t n = strlen(path);
    o->path = strdup(path);
    o->tmp = malloc(n + 16);
    if (!o->path || !o->tmp) { outfile_discard(o); errno = ENOMEM; return -1; }
    snprintf(o->tmp, n + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) { int e = errno; free(o->tmp); o->tmp = NULL; outfile_discard(o); errno = e; return -1; }
    mode_t mask = umask(0);                    /* mkstemp makes 0600: use */
    umask(mask);                               /* what a plain open would */
    fchmod(fd, 0666 & ~mask);
    o->f = fdopen(fd, "w");
    if (!o->f) { int e = errno; close(fd); outfile_discard(o); errno = e; return -1; }
    return 0;
}

int outfile_open(outfile *o, const char *path)
{
    if (open_tmp(o, path) == 0) return 0;
    fprintf(stderr, "takt: cannot write '%s': %s\n", path, strerror(errno));
    return -1;
}

int outfile_commit(outfile *o)
{
    if (o->f == stdout) return fflush(stdout) == 0 ? 0 : -1;
    int rc = 0;
    if (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0) rc = -1;
    if (fclose(o->f) != 0) rc = -1;
    o->f = NULL;
    if (rc == 0 && rename(o->tmp, o->path) != 0) rc = -1;
    int e = errno;
    if (rc != 0) unlink(o->tmp);
    free(o->tmp); free(o->path);
    o->tmp = o->path = NULL;
    errno = e;
    return rc;
}

void outfile_discard(outfile *o)
{
    if (o->f && o->f != stdout) fclose(o->f);
    if (o->tmp) unlink(o->tmp);
    free(o->tmp); free(o->path);
    memset(o, 0, sizeof *o);
}

int parent_writable(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return access(".", W_OK);
    if (slash == path) return access("/", W_OK);
    size_t n = (size_t)(slash - path);
    char *dir = malloc(n + 1);
    if (!dir) { errno = ENOMEM; return -1; }
    memcpy(dir, path, n);
    dir[n] = 0;
    int rc = access(dir, W_OK);
    int e = errno;
    free(dir);
    errno = e;
    return rc;
}
