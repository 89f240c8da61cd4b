/*
 * outputs.c — what the commands share about their inputs and outputs:
 * output files through the library's output groups (takt_outputs, the one
 * temp-then-rename implementation, src/io/outfile.c) guarded by the signal
 * handler; the plant file read once (what is loaded is what the store
 * hashes); the run store checked before simulating; and no output that is
 * the same file as the plant, the store or another output.
 *
 * Sameness is by device and inode (or directory and name for a file not
 * yet there), never by spelling: "p.yaml", "./p.yaml", a symbolic or a
 * hard link to it are all the same file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli.h"

/* ---- output groups ----------------------------------------------------- */

takt_outputs *cli_outputs_new(void)
{
    takt_outputs *g = takt_outputs_new();
    if (!g) fprintf(stderr, "takt: out of memory\n");
    else cli_signals_guard(g);
    return g;
}

void cli_outputs_free(takt_outputs *g)
{
    if (!g) return;
    cli_signals_block(1);           /* the handler never sees it freed */
    takt_outputs_free(g);
    cli_signals_unguard(g);
    cli_signals_block(0);
}

FILE *cli_output_open(takt_outputs *g, const char *path)
{
    FILE *f = NULL;
    char *why = NULL;
    if (takt_outputs_open(g, path, &f, &why) != TAKT_OK) {
        fprintf(stderr, "takt: %s\n", why ? why : "out of memory");
        f = NULL;
    }
    free(why);
    return f;
}

int cli_outputs_commit(takt_outputs *g)
{
    char *why = NULL;
    int rc = 0;
    if (takt_outputs_finish(g, &why) != TAKT_OK) rc = -1;
    if (rc == 0) {
        cli_signals_hold();
        if (takt_outputs_place(g, &why) != TAKT_OK) rc = -1;
        cli_signals_release();
    }
    if (rc < 0) fprintf(stderr, "takt: %s\n", why ? why : "out of memory");
    free(why);
    return rc;
}

int cli_file_open(cli_file *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (!(o->g = cli_outputs_new())) return -1;
    if (!(o->f = cli_output_open(o->g, path))) { cli_file_discard(o); return -1; }
    return 0;
}

int cli_file_commit(cli_file *o)
{
    int rc = o->g ? cli_outputs_commit(o->g) : -1;
    cli_outputs_free(o->g);
    memset(o, 0, sizeof *o);
    return rc;
}

void cli_file_discard(cli_file *o)
{
    cli_outputs_free(o->g);
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

/* ---- inputs ------------------------------------------------------------ */

char *cli_read_plant(const char *path, size_t *len)
{
    char *text = NULL, *why = NULL;
    takt_status st = takt_read_file(path, &text, len, &why);
    if (st != TAKT_OK) fputs(why ? why : "takt: out of memory\n", stderr);
    free(why);
    return st == TAKT_OK ? text : NULL;
}

int cli_check_store(const char *db, int *no_db, int quiet)
{
    char *why = NULL;
    if (*no_db) return 0;
    if (takt_store_check(db ? db : CLI_DEFAULT_DB, &why) == TAKT_OK) return 0;
    struct stat st;
    int rc = -1;
    if (!db && stat(CLI_DEFAULT_DB, &st) < 0) {
        /* the default store is a convenience: a read-only directory must
         * not stop a run (an explicit --db must be writable) */
        if (!quiet) fprintf(stderr, "takt: not recording this run: %s\n", why ? why : "out of memory");
        *no_db = 1;
        rc = 0;
    } else {
        fprintf(stderr, "takt: run store: %s\n", why ? why : "out of memory");
    }
    free(why);
    return rc;
}

/* ---- the same file ----------------------------------------------------- */

/* The identity of a file, existing or to be created: device and inode of
 * the file, or of its directory plus its name. */
typedef struct file_id {
    int exists;
    dev_t dev;
    ino_t ino;
    const char *name;               /* the last part of the path         */
} file_id;

static int file_id_of(const char *path, file_id *id)
{
    struct stat st;
    memset(id, 0, sizeof *id);
    if (stat(path, &st) == 0) {
        id->exists = 1;
        id->dev = st.st_dev;
        id->ino = st.st_ino;
        return 0;
    }
    const char *slash = strrchr(path, '/');
    id->name = slash ? slash + 1 : path;
    char *dir = slash == path ? strdup("/") : slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
    if (!dir) return -1;
    int rc = stat(dir, &st);
    free(dir);
    if (rc < 0) return -1;
    id->dev = st.st_dev;
    id->ino = st.st_ino;
    return 0;
}

static int file_id_same(const file_id *a, const file_id *b)
{
    return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino
        && (a->exists || strcmp(a->name, b->name) == 0);
}

static int is_chr(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISCHR(st.st_mode);
}

int cli_check_distinct(const char *plant, const cli_output *outs, int n, const char *db)
{
    file_id pid, did, oid, qid;
    int have_plant = plant && file_id_of(plant, &pid) == 0 && pid.exists;
    int have_db = db && file_id_of(db, &did) == 0;
    for (int i = 0; i < n; i++) {
        const cli_output *o = &outs[i];
        if (!o->path || o->f == stdout || file_id_of(o->path, &oid) < 0) continue;
        if (have_plant && file_id_same(&oid, &pid)) {
            fprintf(stderr, "takt: %s '%s' is the plant file '%s': it would be overwritten\n",
                    o->option, o->path, plant);
            return -1;
        }
        if (have_db && file_id_same(&oid, &did)) {
            fprintf(stderr, "takt: %s '%s' is the run store '%s'\n", o->option, o->path, db);
            return -1;
        }
        for (int k = 0; k < i; k++) {
            const cli_output *q = &outs[k];
            if (!q->path || q->f == stdout || (is_chr(o->path) && is_chr(q->path))) continue;
            if (file_id_of(q->path, &qid) == 0 && file_id_same(&oid, &qid)) {
                fprintf(stderr, "takt: %s '%s' and %s '%s' are the same file\n", q->option,
                        q->path, o->option, o->path);
                return -1;
            }
        }
    }
    if (have_plant && have_db && file_id_same(&pid, &did)) {
        fprintf(stderr, "takt: the run store '%s' is the plant file '%s'\n", db, plant);
        return -1;
    }
    return 0;
}
