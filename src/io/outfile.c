/*
 * outfile.c — output files that appear whole or not at all (outfile.h).
 *
 * Why each rule:
 *  - special files are written in place: rename() over /dev/null would
 *    make the device a regular file; a FIFO or terminal has no "whole or
 *    nothing" anyway;
 *  - symbolic links are followed, so the file the link names is replaced
 *    (as a plain open would write through it), not the link;
 *  - the temporary name is made to fit the directory's name limit, so a
 *    valid 255-byte name stays writable;
 *  - files are created by open(O_CREAT | O_EXCL, 0666), so the umask and
 *    a directory's default ACL apply as to any file the user creates;
 *  - the sticky-directory rule (a file of another user in a directory of
 *    another user cannot be replaced) is checked up front, because only
 *    the final rename would meet it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "outfile.h"

#define TMP_TAG ".tmp."
#define TMP_RANDOM 6

/* ---- names ------------------------------------------------------------ */

/* The directory part of path ("." if none); malloc'd or NULL. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    if (slash == path) return strdup("/");
    size_t n = (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (d) { memcpy(d, path, n); d[n] = 0; }
    return d;
}

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---- opening ---------------------------------------------------------- */

static int fail(char *err, size_t errlen, const char *name, const char *why)
{
    snprintf(err, errlen, "cannot write '%s': %s", name, why);
    return -1;
}

static void random_chars(char *out, int n, unsigned long long salt)
{
    static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long x = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 20)
                         ^ ((unsigned long long)getpid() << 40) ^ salt * 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < n; i++) {
        x ^= x >> 33; x *= 0xff51afd7ed558ccdULL; x ^= x >> 29;
        out[i] = set[x % (sizeof set - 1)];
    }
}

/* Create "NAME.tmp.XXXXXX" next to o->path, NAME clipped so the whole
 * fits the directory's limit on a name.  Returns the fd or -1 (errno). */
static int create_tmp(outfile *o)
{
    char *dir = dir_of(o->path);
    if (!dir) { errno = ENOMEM; return -1; }
    long max = pathconf(dir, _PC_NAME_MAX);
    if (max <= 0 || max > NAME_MAX) max = NAME_MAX;
    const char *base = base_of(o->path);
    size_t keep = strlen(base), extra = strlen(TMP_TAG) + TMP_RANDOM;
    if (keep + extra > (size_t)max) keep = (size_t)max > extra ? (size_t)max - extra : 0;
    size_t n = strlen(dir) + 1 + keep + extra + 1;
    o->tmp = malloc(n);
    if (!o->tmp) { free(dir); errno = ENOMEM; return -1; }
    int fd = -1;
    for (unsigned tries = 0; fd < 0 && tries < 100; tries++) {
        char r[TMP_RANDOM + 1];
        random_chars(r, TMP_RANDOM, tries + (unsigned long long)(size_t)o);
        r[TMP_RANDOM] = 0;
        snprintf(o->tmp, n, "%s/%.*s%s%s", dir, (int)keep, base, TMP_TAG, r);
        /* the file and its "live" mark appear together for a signal
         * handler (outfile_group_unlink_tmp): no signal in between */
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &old);
        fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        int e = errno;
        if (fd >= 0) o->live = 1;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        errno = e;
        if (fd < 0 && errno != EEXIST) break;
    }
    int e = errno;
    free(dir);
    if (fd < 0) { free(o->tmp); o->tmp = NULL; errno = e; return -1; }
    return fd;
}

/* A regular file that exists: would the final rename be allowed to
 * replace it?  The sticky bit keeps others' files in others' directories. */
static int replaceable(const char *path, const struct stat *st)
{
    char *dir = dir_of(path);
    struct stat ds;
    int ok = 1;
    uid_t me = geteuid();
    if (dir && stat(dir, &ds) == 0 && (ds.st_mode & S_ISVTX) && me != 0
        && st->st_uid != me && ds.st_uid != me)
        ok = 0;
    free(dir);
    return ok;
}

/* Is st the file behind one of our standard streams? */
static int same_as_fd(const struct stat *st, int fd)
{
    struct stat fs;
    return fstat(fd, &fs) == 0 && fs.st_dev == st->st_dev && fs.st_ino == st->st_ino;
}

static int open_direct(outfile *o, const struct stat *st, char *err, size_t errlen)
{
    o->direct = 1;
    if (S_ISREG(st->st_mode) && same_as_fd(st, STDOUT_FILENO)) {
        o->f = stdout;
        o->is_stdout = 1;
        return 0;
    }
    /* no O_TRUNC: a regular file reached here is our standard error */
    int fd = open(o->path, O_WRONLY | O_NOCTTY | O_CLOEXEC | (S_ISREG(st->st_mode) ? O_APPEND : 0));
    if (fd < 0) return fail(err, errlen, o->name, strerror(errno));
    o->f = fdopen(fd, "w");
    if (!o->f) { int e = errno; close(fd); return fail(err, errlen, o->name, strerror(e)); }
    return 0;
}

static int open_any(outfile *o, const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (!*path) return fail(err, errlen, path, "no file name given");
    if (!strcmp(path, "-")) { o->f = stdout; o->direct = o->is_stdout = 1; return 0; }
    /* follow a symbolic link to the file it names; a dangling one is
     * replaced like a missing file */
    char *real = realpath(path, NULL);
    o->path = real ? real : strdup(path);
    if (!o->path) return fail(err, errlen, path, strerror(ENOMEM));
    size_t len = strlen(o->path);
    if (len && o->path[len - 1] == '/') return fail(err, errlen, path, "a file name ends in '/'");
    int exists = stat(o->path, &st) == 0;
    if (!exists && errno != ENOENT) return fail(err, errlen, path, strerror(errno));
    if (exists && S_ISDIR(st.st_mode)) return fail(err, errlen, path, "it is a directory");
    if (exists && S_ISSOCK(st.st_mode)) return fail(err, errlen, path, "it is a socket");
    if (exists && (!S_ISREG(st.st_mode) || same_as_fd(&st, STDOUT_FILENO)
                   || same_as_fd(&st, STDERR_FILENO)))
        return open_direct(o, &st, err, errlen);
    if (exists && !replaceable(o->path, &st))
        return fail(err, errlen, path, "it belongs to another user in a sticky directory, "
                    "so it cannot be replaced");
    int fd = create_tmp(o);
    if (fd < 0) return fail(err, errlen, path, strerror(errno));
    o->f = fdopen(fd, "w");
    if (!o->f) { int e = errno; close(fd); return fail(err, errlen, path, strerror(e)); }
    return 0;
}

int outfile_open(outfile *o, const char *path, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    o->name = strdup(path ? path : "");
    if (!o->name) { snprintf(err, errlen, "out of memory"); return -1; }
    if (open_any(o, path ? path : "", err, errlen) == 0) return 0;
    outfile_discard(o);
    return -1;
}

/* ---- closing ---------------------------------------------------------- */

int outfile_finish(outfile *o, char *err, size_t errlen)
{
    if (!o->f) return 0;
    errno = 0;
    int bad = fflush(o->f) != 0 || ferror(o->f);
    if (!bad && !o->direct && fsync(fileno(o->f)) != 0) bad = 1;
    int e = errno ? errno : EIO;
    if (!o->is_stdout && fclose(o->f) != 0 && !bad) { bad = 1; e = errno; }
    if (o->is_stdout) clearerr(o->f);
    o->f = NULL;
    if (bad) return fail(err, errlen, o->name, strerror(e));
    return 0;
}

int outfile_place(outfile *o, char *err, size_t errlen)
{
    if (!o->tmp) return 0;
    if (rename(o->tmp, o->path) != 0) return fail(err, errlen, o->name, strerror(errno));
    o->live = 0;
    free(o->tmp);
    o->tmp = NULL;
    return 0;
}

void outfile_discard(outfile *o)
{
    if (o->f && !o->is_stdout) fclose(o->f);
    o->f = NULL;
    if (o->tmp) {
        unlink(o->tmp);
        o->live = 0;
        free(o->tmp);
    }
    free(o->path);
    free(o->name);
    memset(o, 0, sizeof *o);
}

/* ---- groups ----------------------------------------------------------- */

outfile *outfile_group_open(outfile_group *g, const char *path, char *err, size_t errlen)
{
    if (g->n >= OUTFILE_GROUP_MAX) {
        snprintf(err, errlen, "cannot write '%s': too many output files", path);
        return NULL;
    }
    outfile *o = &g->files[g->n];
    memset(o, 0, sizeof *o);        /* live = 0 before a signal handler */
    g->n = g->n + 1;                /* can see the member               */
    if (outfile_open(o, path, err, errlen) == 0) return o;
    g->n = g->n - 1;
    return NULL;
}

int outfile_group_finish(outfile_group *g, char *err, size_t errlen)
{
    for (int i = 0; i < g->n; i++)
        if (outfile_finish(&g->files[i], err, errlen) < 0) {
            outfile_group_discard(g);
            return -1;
        }
    return 0;
}

/* Forget the directories made (they stay), freeing their names. */
static void keep_dirs(outfile_group *g)
{
    for (int i = g->ndirs - 1; i >= 0; i--) {
        char *d = g->dirs[i];
        g->ndirs = i;
        free(d);
    }
}

int outfile_group_place(outfile_group *g, char *err, size_t errlen)
{
    for (int i = 0; i < g->n; i++)
        if (outfile_place(&g->files[i], err, errlen) < 0) {
            outfile_group_discard(g);
            return -1;
        }
    keep_dirs(g);
    outfile_group_discard(g);       /* frees the names; nothing left to remove */
    return 0;
}

int outfile_group_mkdirs(outfile_group *g, const char *dir, char *err, size_t errlen)
{
    char *path = strdup(dir);
    if (!path) { snprintf(err, errlen, "out of memory"); return -1; }
    int rc = 0;
    for (char *q = path + 1; ; q++) {
        if (*q != '/' && *q != 0) continue;
        char c = *q;
        *q = 0;
        if (mkdir(path, 0777) == 0) {
            char *made = g->ndirs < OUTFILE_DIRS_MAX ? strdup(path) : NULL;
            if (made) { g->dirs[g->ndirs] = made; g->ndirs = g->ndirs + 1; }
        } else if (errno != EEXIST) {
            snprintf(err, errlen, "cannot create directory '%s': %s", path, strerror(errno));
            rc = -1;
            break;
        }
        *q = c;
        if (!c) break;
    }
    struct stat st;
    if (rc == 0 && (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))) {
        snprintf(err, errlen, "cannot write into '%s': not a directory", dir);
        rc = -1;
    }
    free(path);
    return rc;
}

void outfile_group_discard(outfile_group *g)
{
    /* the last member first, each leaving the group only once its
     * temporary is gone, so a signal handler never misses one */
    for (int i = g->n - 1; i >= 0; i--) {
        outfile_discard(&g->files[i]);
        g->n = i;
    }
    for (int i = g->ndirs - 1; i >= 0; i--) {
        char *d = g->dirs[i];
        rmdir(d);                   /* only if empty: never what others put there */
        g->ndirs = i;
        free(d);
    }
}

void outfile_group_unlink_tmp(const outfile_group *g)
{
    for (int i = 0; i < g->n && i < OUTFILE_GROUP_MAX; i++)
        if (g->files[i].live && g->files[i].tmp) unlink(g->files[i].tmp);
    for (int i = g->ndirs - 1; i >= 0; i--)
        if (i < OUTFILE_DIRS_MAX && g->dirs[i]) rmdir(g->dirs[i]);
}
