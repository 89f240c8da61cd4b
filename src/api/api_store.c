/*
 * api_store.c — the run store through the public API: recording a result,
 * reading the list of runs and their headline figures, and the tables of
 * `takt runs`, `show` and `compare`.  The schema is the store's
 * (src/io/store.c); this file reads only the runs and kpis tables.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "api.h"
#include "io/store.h"
#include "io/store_internal.h"

/* The text fields read, in the order of the SELECT below. */
static const char *const text_fields[] = {
    "started_at", "plant", "plant_file", "plant_hash", "takt_version", "command_line",
};
static const char *const number_fields[] = {
    "replications", "seed", "horizon_s", "warmup_s", "wall_s", "events", "sweep_id",
};
#define NTEXT (int)(sizeof text_fields / sizeof *text_fields)
#define NNUM (int)(sizeof number_fields / sizeof *number_fields)

typedef struct stored_kpi {
    char *name;
    double mean, ci95;
} stored_kpi;

typedef struct stored_run {
    long long id;
    char *text[NTEXT];
    double num[NNUM];
    stored_kpi *kpis; int nkpis;
} stored_run;

struct takt_store {
    stored_run *runs;
    int n;
};

static char *read_message(char **message, const char *err)
{
    api_message(message, err);
    return NULL;
}

static takt_status status_of(int rc)
{
    return rc == 0 ? TAKT_OK : rc == 2 ? TAKT_ENOTFOUND : TAKT_EIO;
}

takt_status takt_store_record(const char *path, const takt_result *r, const char *plant_file,
                              const char *plant_text, size_t plant_len,
                              const char *command_line, double wall_s, long long sweep_id,
                              long long *id, char **message)
{
    char err[512];
    if (message) *message = NULL;
    if (!path || !r) return TAKT_EBADINPUT;
    char *read = NULL;
    if (!plant_text && plant_file) {
        FILE *f = fopen(plant_file, "rb");
        size_t cap = 0;
        FILE *m = f ? open_memstream(&read, &cap) : NULL;
        char buf[8192];
        size_t k;
        while (m && (k = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, k, m);
        if (m) fclose(m);
        if (f) fclose(f);
        plant_text = read;
        plant_len = read ? cap : 0;
    }
    store_meta m;
    memset(&m, 0, sizeof m);
    m.plant_file = plant_file;
    m.plant_text = plant_text ? plant_text : "";
    m.plant_len = plant_text ? plant_len : 0;
    m.command_line = command_line;
    m.wall_s = wall_s;
    m.sweep_id = sweep_id;
    long long got = store_record(path, r->sum, &m, err, sizeof err);
    free(read);
    if (got < 0) { read_message(message, err); return TAKT_EIO; }
    if (id) *id = got;
    return TAKT_OK;
}

struct takt_store_txn {
    store_txn *t;
};

takt_status takt_store_begin(const char *path, takt_store_txn **out, char **message)
{
    char err[1024];
    if (message) *message = NULL;
    if (!out) return TAKT_EBADINPUT;
    *out = NULL;
    if (!path) return TAKT_EBADINPUT;
    takt_store_txn *x = calloc(1, sizeof *x);
    if (!x) return TAKT_ENOMEM;
    if (!(x->t = store_begin(path, err, sizeof err))) {
        free(x);
        read_message(message, err);
        return TAKT_EIO;
    }
    *out = x;
    return TAKT_OK;
}

takt_status takt_store_add_with(takt_store_txn *x, const takt_result *r, const char *plant_file,
                                const char *plant_text, size_t plant_len, const char *command_line,
                                double wall_s, long long sweep_id, const char *const *settings,
                                const int *swept, int nsettings, long long *id, char **message)
{
    char err[1024];
    if (message) *message = NULL;
    if (!x || !x->t || !r || nsettings < 0 || (nsettings > 0 && !settings)) return TAKT_EBADINPUT;
    store_meta m;
    memset(&m, 0, sizeof m);
    m.plant_file = plant_file;
    m.plant_text = plant_text ? plant_text : "";
    m.plant_len = plant_text ? plant_len : 0;
    m.command_line = command_line;
    m.wall_s = wall_s;
    m.sweep_id = sweep_id;
    m.settings = settings;
    m.swept = swept;
    m.nsettings = nsettings;
    long long got = store_add(x->t, r->sum, &m, err, sizeof err);
    if (got < 0) { read_message(message, err); return TAKT_EIO; }
    if (id) *id = got;
    return TAKT_OK;
}

takt_status takt_store_add(takt_store_txn *x, const takt_result *r, const char *plant_file,
                           const char *plant_text, size_t plant_len, const char *command_line,
                           double wall_s, long long sweep_id, long long *id, char **message)
{
    return takt_store_add_with(x, r, plant_file, plant_text, plant_len, command_line, wall_s, sweep_id,
                               NULL, NULL, 0, id, message);
}

takt_status takt_store_commit(takt_store_txn *x, char **message)
{
    char err[1024];
    if (message) *message = NULL;
    if (!x) return TAKT_EBADINPUT;
    int rc = x->t ? store_commit(x->t, err, sizeof err) : -1;
    if (!x->t) snprintf(err, sizeof err, "no transaction");
    free(x);
    if (rc < 0) { read_message(message, err); return TAKT_EIO; }
    return TAKT_OK;
}

void takt_store_abort(takt_store_txn *x)
{
    if (!x) return;
    if (x->t) store_abort(x->t);
    free(x);
}

long long takt_store_new_sweep_id(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

takt_status takt_store_check(const char *path, char **message)
{
    char err[512];
    if (message) *message = NULL;
    if (store_check(path, err, sizeof err) < 0) { read_message(message, err); return TAKT_EIO; }
    return TAKT_OK;
}

static void run_free(stored_run *r)
{
    for (int i = 0; i < NTEXT; i++) free(r->text[i]);
    for (int k = 0; k < r->nkpis; k++) free(r->kpis[k].name);
    free(r->kpis);
}

void takt_store_close(takt_store *st)
{
    if (!st) return;
    for (int i = 0; i < st->n; i++) run_free(&st->runs[i]);
    free(st->runs);
    free(st);
}

static double col_num(sqlite3_stmt *q, int i)
{
    return sqlite3_column_type(q, i) == SQLITE_NULL ? NAN : sqlite3_column_double(q, i);
}

static char *col_text(sqlite3_stmt *q, int i, int *oom)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    char *s = t ? strdup((const char *)t) : NULL;
    if (t && !s) *oom = 1;
    return s;
}

static stored_run *find_run(takt_store *st, long long id)
{
    /* runs are read in id order: a binary search */
    int lo = 0, hi = st->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (st->runs[mid].id == id) return &st->runs[mid];
        if (st->runs[mid].id < id) lo = mid + 1; else hi = mid - 1;
    }
    return NULL;
}

static int read_runs(sqlite3 *db, takt_store *st)
{
    sqlite3_stmt *q;
    int oom = 0, cap = 0;
    if (sqlite3_prepare_v2(db, "SELECT id, started_at, plant, plant_file, plant_hash, takt_version, "
                           "command_line, replications, seed, horizon_s, warmup_s, wall_s, events, "
                           "sweep_id FROM runs ORDER BY id", -1, &q, NULL) != SQLITE_OK)
        return -1;
    while (!oom && sqlite3_step(q) == SQLITE_ROW) {
        if (st->n == cap) {
            cap = cap ? 2 * cap : 16;
            stored_run *more = realloc(st->runs, (size_t)cap * sizeof *more);
            if (!more) { oom = 1; break; }
            st->runs = more;
        }
        stored_run *r = &st->runs[st->n++];
        memset(r, 0, sizeof *r);
        r->id = sqlite3_column_int64(q, 0);
        for (int i = 0; i < NTEXT; i++) r->text[i] = col_text(q, 1 + i, &oom);
        for (int i = 0; i < NNUM; i++) r->num[i] = col_num(q, 1 + NTEXT + i);
    }
    sqlite3_finalize(q);
    if (oom) return -2;
    if (sqlite3_prepare_v2(db, "SELECT run_id, name, mean, ci95 FROM kpis ORDER BY run_id, rowid",
                           -1, &q, NULL) != SQLITE_OK)
        return -1;
    while (!oom && sqlite3_step(q) == SQLITE_ROW) {
        stored_run *r = find_run(st, sqlite3_column_int64(q, 0));
        if (!r) continue;
        stored_kpi *more = realloc(r->kpis, (size_t)(r->nkpis + 1) * sizeof *more);
        if (!more) { oom = 1; break; }
        r->kpis = more;
        stored_kpi *k = &r->kpis[r->nkpis++];
        k->name = col_text(q, 1, &oom);
        k->mean = col_num(q, 2);
        k->ci95 = col_num(q, 3);
        if (!k->name) r->nkpis--;
    }
    sqlite3_finalize(q);
    return oom ? -2 : 0;
}

takt_status takt_store_open(const char *path, takt_store **out, char **message)
{
    char err[512];
    sqlite3 *db;
    if (message) *message = NULL;
    if (!out) return TAKT_EBADINPUT;
    *out = NULL;
    if (!path) return TAKT_EBADINPUT;
    int rc = store_open_read(path, &db, err, sizeof err);
    if (rc != 0) { read_message(message, err); return status_of(rc); }
    takt_store *st = calloc(1, sizeof *st);
    takt_status status = TAKT_ENOMEM;
    if (st) {
        int r = read_runs(db, st);
        status = r == 0 ? TAKT_OK : r == -2 ? TAKT_ENOMEM : TAKT_EIO;
        if (r == -1) {
            store_error(db, "cannot read the run store", path, err, sizeof err);
            read_message(message, err);
        }
    }
    sqlite3_close(db);
    if (status != TAKT_OK) { takt_store_close(st); return status; }
    *out = st;
    return TAKT_OK;
}

int takt_store_run_count(const takt_store *st) { return st ? st->n : 0; }

long long takt_store_run_id(const takt_store *st, int i)
{
    return st && i >= 0 && i < st->n ? st->runs[i].id : -1;
}

const char *takt_store_run_text(const takt_store *st, int i, const char *field)
{
    if (!st || i < 0 || i >= st->n || !field) return NULL;
    for (int k = 0; k < NTEXT; k++)
        if (!strcmp(text_fields[k], field)) return st->runs[i].text[k];
    return NULL;
}

takt_status takt_store_run_figure(const takt_store *st, int i, const char *key,
                                  double *mean, double *ci95)
{
    if (!st || !key) return TAKT_EBADINPUT;
    if (i < 0 || i >= st->n) return TAKT_ENOTFOUND;
    const stored_run *r = &st->runs[i];
    for (int k = 0; k < NNUM; k++)
        if (!strcmp(number_fields[k], key)) {
            if (mean) *mean = r->num[k];
            if (ci95) *ci95 = NAN;
            return TAKT_OK;
        }
    for (int k = 0; k < r->nkpis; k++)
        if (!strcmp(r->kpis[k].name, key)) {
            if (mean) *mean = r->kpis[k].mean;
            if (ci95) *ci95 = r->kpis[k].ci95;
            return TAKT_OK;
        }
    return TAKT_ENOTFOUND;
}

takt_status takt_store_print_runs(const char *path, FILE *f, char **message)
{
    char err[512] = "";
    if (message) *message = NULL;
    if (!path || !f) return TAKT_EBADINPUT;
    int rc = store_list(path, f, err, sizeof err);
    if (rc) read_message(message, err);
    return status_of(rc);
}

takt_status takt_store_print_run(const char *path, long long run, FILE *f, char **message)
{
    char err[512] = "";
    if (message) *message = NULL;
    if (!path || !f) return TAKT_EBADINPUT;
    int rc = store_show(path, run, f, err, sizeof err);
    if (rc) read_message(message, err);
    return status_of(rc);
}

takt_status takt_store_print_compare(const char *path, long long a, long long b, FILE *f,
                                     char **message)
{
    return takt_store_write_compare(path, a, b, TAKT_FORMAT_TEXT, f, message);
}

takt_status takt_store_write_compare(const char *path, long long a, long long b, takt_format format,
                                     FILE *f, char **message)
{
    char err[512] = "";
    if (message) *message = NULL;
    if (!path || !f || (format != TAKT_FORMAT_TEXT && format != TAKT_FORMAT_JSON)) return TAKT_EBADINPUT;
    int rc = format == TAKT_FORMAT_JSON ? store_compare_json(path, a, b, f, err, sizeof err)
                                        : store_compare(path, a, b, f, err, sizeof err);
    if (rc) read_message(message, err);
    return status_of(rc);
}

takt_status takt_store_print_plant(const char *path, long long run, FILE *f, char **message)
{
    char err[512] = "";
    if (message) *message = NULL;
    if (!path || !f) return TAKT_EBADINPUT;
    int rc = store_show_plant(path, run, f, err, sizeof err);
    if (rc) read_message(message, err);
    return status_of(rc);
}
