/*
 * outputs.c — what `takt run` and `takt sweep` share about their inputs
 * and outputs: the plant file read once (what is loaded is what the store
 * hashes), the run store checked before simulating, and no output that
 * is the same file as the plant or as another output.
 *
 * Sameness is by device and inode (or directory and name for a file not
 * yet there), never by spelling: "p.yaml", "./p.yaml", a symbolic or a
 * hard link to it are all the same file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "io/override.h"
#include "io/store.h"

char *cli_read_plant(const char *path, size_t *len)
{
    diags d;
    diags_init(&d, path);
    char *text = load_read_file(path, len, &d);
    char line[2048];
    for (int i = 0; i < d.n; i++) {
        diags_format(&d, i, line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    diags_free(&d);
    return text;
}

int cli_check_store(const char *db, int *no_db, int quiet)
{
    char err[1024];
    if (*no_db) return 0;
    if (store_check(db ? db : CLI_DEFAULT_DB, err, sizeof err) == 0) return 0;
    struct stat st;
    if (!db && stat(CLI_DEFAULT_DB, &st) < 0) {
        /* the default store is a convenience: a read-only directory must
         * not stop a run (an explicit --db must be writable) */
        if (!quiet) fprintf(stderr, "takt: not recording this run: %s\n", err);
        *no_db = 1;
        return 0;
    }
    fprintf(stderr, "takt: run store: %s\n", err);
    return -1;
}

static int is_chr(const outfile *o)
{
    struct stat st;
    return o->direct && o->path && stat(o->path, &st) == 0 && S_ISCHR(st.st_mode);
}

int cli_check_distinct(const char *plant, const cli_output *outs, int n, const char *db)
{
    file_id pid, did;
    int have_plant = plant && file_id_of(plant, &pid) == 0 && pid.exists;
    int have_db = db && file_id_of(db, &did) == 0;
    for (int i = 0; i < n; i++) {
        const outfile *o = outs[i].file;
        if (!o || o->is_stdout) continue;
        if (have_plant && file_id_same(&o->id, &pid)) {
            fprintf(stderr, "takt: %s '%s' is the plant file '%s': it would be overwritten\n",
                    outs[i].option, o->name, plant);
            return -1;
        }
        if (have_db && file_id_same(&o->id, &did)) {
            fprintf(stderr, "takt: %s '%s' is the run store '%s'\n", outs[i].option, o->name, db);
            return -1;
        }
        for (int k = 0; k < i; k++) {
            const outfile *q = outs[k].file;
            if (!q || q->is_stdout || (is_chr(o) && is_chr(q))) continue;
            if (file_id_same(&o->id, &q->id)) {
                fprintf(stderr, "takt: %s '%s' and %s '%s' are the same file\n", outs[k].option,
                        q->name, outs[i].option, o->name);
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
