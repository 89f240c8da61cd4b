/*
 * api_balance.c — line balancing through takt.h: a task file (and
 * optionally a plant file whose settings the balanced line takes), cut
 * into stations for a takt (SALBP-1) or a station count (SALBP-2), with
 * the answer readable and written as text, JSON or a plant file.
 *
 * Everything that can be refused is refused before the search, in
 * takt_balance_check, so a caller can open its output files between the
 * check and the solve and still refuse bad input before a long run.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "balance/solve.h"
#include "balance/tasks.h"
#include "io/balance_plant.h"
#include "io/balance_report.h"
#include "io/load_tasks.h"

struct takt_balance {
    char *file;
    ydoc tmpl;
    int have_tmpl;
    bal_tasks t;
    double asked_takt;              /* 0: the file's                     */
    int asked_stations;             /* 0: the file's                     */
    /* after takt_balance_check */
    int checked;
    int problem;                    /* 1: SALBP-1, 2: SALBP-2            */
    double takt_s;
    int stations;
    int64_t units;                  /* SALBP-1: the takt in time units   */
    bal_graph g;
    int have_graph;
    int *node_of;
    /* after takt_balance_solve */
    int solved;
    bal_answer ans;
    int *station;                   /* per task, 1-based                 */
    bal_outcome o;
};

/* d's problems, one line each ending in a newline (malloc'd). */
static char *diag_lines(const diags *d)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) return NULL;
    char line[2048];
    for (int i = 0; i < d->n; i++) {
        diags_format(d, i, line, sizeof line);
        fprintf(m, "%s\n", line);
    }
    if (fclose(m) != 0) { free(text); return NULL; }
    return text;
}

static char *printed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *printed(const char *fmt, ...)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) return NULL;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(m, fmt, ap);
    va_end(ap);
    if (fclose(m) != 0) { free(text); return NULL; }
    return text;
}

static void set_message(char **message, char *text)
{
    if (message) *message = text;
    else free(text);
}

/* The template: a valid plant first (the loader's messages), then the
 * parts of it the balanced line takes. */
static takt_status read_template(takt_balance *b, const char *path, char **message)
{
    char *errors = NULL;
    takt_plant *p = takt_load(path, &errors);
    if (!p) {
        set_message(message, errors);
        return errors ? TAKT_EBADINPUT : TAKT_ENOMEM;
    }
    takt_plant_free(p);
    diags d;
    diags_init(&d, path);
    takt_status st = TAKT_OK;
    if (bal_template_read(&b->tmpl, path, &d) < 0 || bal_template_check(&b->tmpl, &d) < 0) {
        st = d.n ? TAKT_EBADINPUT : TAKT_ENOMEM;
        set_message(message, diag_lines(&d));
    }
    diags_free(&d);
    return st;
}

takt_status takt_balance_load(const char *path, const char *template_path, takt_balance **out,
                              char **message)
{
    if (message) *message = NULL;
    if (!out || !path) return TAKT_EBADINPUT;
    *out = NULL;
    takt_balance *b = calloc(1, sizeof *b);
    if (!b || !(b->file = strdup(path))) { free(b); return TAKT_ENOMEM; }
    if (template_path) {
        b->have_tmpl = 1;
        takt_status st = read_template(b, template_path, message);
        if (st != TAKT_OK) { takt_balance_free(b); return st; }
    }
    diags d;
    diags_init(&d, path);
    if (load_tasks_file(path, &b->t, &d) < 0) {
        takt_status st = d.n ? TAKT_EBADINPUT : TAKT_ENOMEM;
        set_message(message, diag_lines(&d));
        diags_free(&d);
        memset(&b->t, 0, sizeof b->t);
        takt_balance_free(b);
        return st;
    }
    diags_free(&d);
    *out = b;
    return TAKT_OK;
}

void takt_balance_free(takt_balance *b)
{
    if (!b) return;
    free(b->station);
    if (b->solved) bal_answer_free(&b->ans);
    free(b->node_of);
    if (b->have_graph) bal_graph_free(&b->g);
    bal_tasks_free(&b->t);
    ydoc_free(&b->tmpl);
    free(b->file);
    free(b);
}

int takt_balance_task_count(const takt_balance *b) { return b ? b->t.n : 0; }

const char *takt_balance_task(const takt_balance *b, int i)
{
    return b && i >= 0 && i < b->t.n ? b->t.name[i] : NULL;
}

double takt_balance_task_time(const takt_balance *b, int i)
{
    return b && i >= 0 && i < b->t.n ? b->t.time_s[i] : 0;
}

double takt_balance_file_takt(const takt_balance *b) { return b ? b->t.takt_s : 0; }
int takt_balance_file_stations(const takt_balance *b) { return b ? b->t.stations : 0; }

takt_status takt_balance_set_takt(takt_balance *b, double seconds)
{
    if (!b || b->checked || !(seconds >= 0 && seconds <= 1e9)) return TAKT_EBADINPUT;
    b->asked_takt = seconds;
    return TAKT_OK;
}

takt_status takt_balance_set_stations(takt_balance *b, int stations)
{
    if (!b || b->checked || stations < 0 || stations > 100000) return TAKT_EBADINPUT;
    b->asked_stations = stations;
    return TAKT_OK;
}

/* A node of the graph that cannot fit the takt: name its tasks. */
static char *too_long(const takt_balance *b, int node)
{
    const bal_tasks *t = &b->t;
    int first = -1, count = 0;
    double sum = 0;
    for (int i = 0; i < t->n; i++)
        if (b->node_of[i] == node) { if (first < 0) first = i; count++; sum += t->time_s[i]; }
    int line = t->line ? t->line[first] : 0, col = t->col ? t->col[first] : 0;
    if (count == 1)
        return printed("%s:%d:%d: task '%s' takes %.6gs, longer than the takt %.6gs: no station can hold it\n",
                       b->file, line, col, t->name[first], sum, b->takt_s);
    return printed("%s:%d:%d: the tasks zoned together with '%s' take %.6gs in all, longer than the takt %.6gs\n",
                   b->file, line, col, t->name[first], sum, b->takt_s);
}

takt_status takt_balance_check(takt_balance *b, char **message)
{
    if (message) *message = NULL;
    if (!b) return TAKT_EBADINPUT;
    if (b->checked) return TAKT_OK;
    if (b->have_graph) {            /* a failed check, retried */
        bal_graph_free(&b->g);
        free(b->node_of);
        b->node_of = NULL;
        b->have_graph = 0;
    }
    const bal_tasks *t = &b->t;
    if (b->asked_takt > 0 && b->asked_stations) {
        api_message(message, "give a takt or a number of stations, not both\n");
        return TAKT_EBADINPUT;
    }
    if (b->asked_takt > 0) { b->problem = 1; b->takt_s = b->asked_takt; }
    else if (b->asked_stations) { b->problem = 2; b->stations = b->asked_stations; }
    else if (t->takt_s > 0 && !t->stations) { b->problem = 1; b->takt_s = t->takt_s; }
    else if (t->stations) { b->problem = 2; b->stations = t->stations; }
    else {
        set_message(message, printed("%s:1:1: no cycle time: give 'takt' (or 'stations') in the file, "
                                     "or --takt (or --stations)\n", b->file));
        return TAKT_EBADINPUT;
    }
    int bad = 0;
    int rc = bal_tasks_graph(t, &b->g, &b->node_of, &bad);
    if (rc == -2) {
        set_message(message, printed("%s:%d:%d: the precedence has a cycle through task '%s'\n", b->file,
                                     t->line ? t->line[bad] : 0, t->col ? t->col[bad] : 0, t->name[bad]));
        return TAKT_EBADINPUT;      /* no graph was kept */
    }
    if (rc < 0) return TAKT_ENOMEM;
    b->have_graph = 1;
    if (b->problem == 1) {
        b->units = bal_tasks_units(t, b->takt_s);
        if (b->units < 1) b->units = 1;
        for (int k = 0; k < b->g.n; k++)
            if (b->g.t[k] > b->units) {
                set_message(message, too_long(b, k));
                return TAKT_EBADINPUT;
            }
    }
    b->checked = 1;
    return TAKT_OK;
}

takt_status takt_balance_solve(takt_balance *b, double time_limit, char **message)
{
    if (message) *message = NULL;
    if (!b || b->solved || !(time_limit > 0)) return TAKT_EBADINPUT;
    takt_status st = takt_balance_check(b, message);
    if (st != TAKT_OK) return st;
    const bal_tasks *t = &b->t;
    int rc = b->problem == 1 ? bal_salbp1(&b->g, b->units, time_limit, &b->ans)
                             : bal_salbp2(&b->g, b->stations, time_limit, &b->ans);
    if (rc < 0) return TAKT_ENOMEM;
    b->solved = 1;
    if (!(b->station = malloc(((size_t)t->n + 1) * sizeof *b->station))) return TAKT_ENOMEM;
    for (int i = 0; i < t->n; i++) b->station[i] = b->ans.station[b->node_of[i]];
    bal_outcome o = {
        .tasks = t, .problem = b->problem, .stations = b->ans.stations, .station = b->station,
        .optimal = b->ans.optimal, .timed_out = b->ans.timed_out, .seconds = b->ans.seconds,
        .nodes = b->ans.nodes,
    };
    if (b->problem == 1) { o.takt_s = b->takt_s; o.lower_bound = b->ans.lower_bound; }
    else {
        o.takt_s = (double)b->ans.cycle * t->unit_s;
        o.lower_bound = (double)b->ans.cycle_bound * t->unit_s;
    }
    b->o = o;
    return TAKT_OK;
}

/* ---- the answer --------------------------------------------------------- */

static const bal_outcome *answer(const takt_balance *b)
{
    return b && b->solved && b->station ? &b->o : NULL;
}

int takt_balance_problem(const takt_balance *b) { return b && b->checked ? b->problem : 0; }
int takt_balance_stations(const takt_balance *b) { return answer(b) ? b->o.stations : 0; }
double takt_balance_cycle(const takt_balance *b) { return answer(b) ? b->o.takt_s : 0; }
double takt_balance_lower_bound(const takt_balance *b) { return answer(b) ? b->o.lower_bound : 0; }
int takt_balance_optimal(const takt_balance *b) { return answer(b) ? b->o.optimal : 0; }
int takt_balance_timed_out(const takt_balance *b) { return answer(b) ? b->o.timed_out : 0; }
double takt_balance_seconds(const takt_balance *b) { return answer(b) ? b->o.seconds : 0; }

int takt_balance_task_station(const takt_balance *b, int i)
{
    return answer(b) && i >= 0 && i < b->t.n ? b->station[i] : 0;
}

takt_status takt_balance_write(const takt_balance *b, takt_format format, FILE *f)
{
    const bal_outcome *o = answer(b);
    if (!o || !f) return TAKT_EBADINPUT;
    int rc;
    if (format == TAKT_FORMAT_TEXT) rc = bal_report_text(f, o);
    else if (format == TAKT_FORMAT_JSON) rc = bal_report_json(f, o);
    else return TAKT_EBADINPUT;
    return rc < 0 ? TAKT_EIO : TAKT_OK;
}

takt_status takt_balance_write_plant(const takt_balance *b, FILE *f)
{
    const bal_outcome *o = answer(b);
    if (!o || !f) return TAKT_EBADINPUT;
    return bal_write_plant(f, o, b->have_tmpl ? &b->tmpl : NULL, b->file) < 0 ? TAKT_EIO : TAKT_OK;
}

takt_status takt_balance_plant_text(const takt_balance *b, char **text, size_t *len)
{
    if (!text) return TAKT_EBADINPUT;
    *text = NULL;
    size_t n = 0;
    FILE *m = open_memstream(text, &n);
    if (!m) return TAKT_ENOMEM;
    takt_status st = takt_balance_write_plant(b, m);
    if (fclose(m) != 0 && st == TAKT_OK) st = TAKT_ENOMEM;
    if (st != TAKT_OK) { free(*text); *text = NULL; return st; }
    if (len) *len = n;
    return TAKT_OK;
}
