/*
 * test_store.c — the SQLite run store and the CSV writer.
 *
 * Run store: a run is recorded whole (values read back exactly, as the
 * doubles they were), or not at all when something fails half-way; two
 * processes recording into one file at once both succeed; unknown runs,
 * missing files, foreign databases and newer schemas are refused with
 * the documented statuses; the plant hash is SHA-256 (checked against
 * the FIPS 180-4 test vectors); comparisons call intervals "differ" only
 * when they are disjoint.
 *
 * CSV: fields are quoted per RFC 4180, numbers read back to the exact
 * summary values, series files appear only with series, and a failed
 * write leaves no file behind.
 *
 * Summaries come from two sources: a small plant simulated for real, and
 * a hand-made summary whose values (and calendar layer, which the plant
 * files cannot express yet) the test chooses.  Everything is written
 * under a fresh temporary directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "takt.h"
#include "io/report.h"
#include "io/store.h"
#include "core/date.h"

static const char line_yaml[] =
    "name: test line\n"
    "horizon: 1000h\n"
    "warmup: 10h\n"
    "replications: 4\n"
    "seed: 5\n"
    "stations:\n"
    "  - {name: A, cycle: exp(1h)}\n"
    "  - {name: B, cycle: exp(30min)}\n"
    "buffers:\n"
    "  - {name: AB, from: A, to: B, capacity: 2}\n";

/* The same line, but B is twice as slow as A: far lower throughput. */
static const char slow_yaml[] =
    "name: slow line\n"
    "horizon: 1000h\n"
    "warmup: 10h\n"
    "replications: 4\n"
    "seed: 5\n"
    "stations:\n"
    "  - {name: A, cycle: exp(1h)}\n"
    "  - {name: B, cycle: exp(2h)}\n"
    "buffers:\n"
    "  - {name: AB, from: A, to: B, capacity: 2}\n";

/* ---- fixtures --------------------------------------------------------- */

typedef struct fixture {
    char dir[64];
    char db[128];
    takt_plant *plant, *slow;
    takt_summary *sum, *sum_slow;
} fixture;

static takt_summary *simulate(takt_plant *p, uint64_t seed)
{
    exp_options o;
    takt_summary *s = NULL;
    exp_options_default(&o);
    o.seed = seed; o.have_seed = 1;
    o.threads = 1;
    assert_int_equal(exp_run(p, &o, &s), 0);
    return s;
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    char *errors = NULL;
    snprintf(fx->dir, sizeof fx->dir, "%s", "/tmp/takt-store.XXXXXX");
    if (!mkdtemp(fx->dir)) return -1;
    snprintf(fx->db, sizeof fx->db, "%s/runs.db", fx->dir);
    fx->plant = takt_load_string("line.yaml", line_yaml, strlen(line_yaml), &errors);
    fx->slow = takt_load_string("slow.yaml", slow_yaml, strlen(slow_yaml), &errors);
    if (!fx->plant || !fx->slow) { fprintf(stderr, "%s", errors ? errors : "load failed\n"); return -1; }
    fx->sum = simulate(fx->plant, 5);
    fx->sum_slow = simulate(fx->slow, 5);
    *state = fx;
    return 0;
}

static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            char sub[512];
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            remove_tree(sub);
        }
        closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static int teardown(void **state)
{
    fixture *fx = *state;
    summary_free(fx->sum); summary_free(fx->sum_slow);
    takt_plant_free(fx->plant); takt_plant_free(fx->slow);
    remove_tree(fx->dir);
    free(fx);
    return 0;
}

static store_meta meta(const char *text)
{
    store_meta m;
    memset(&m, 0, sizeof m);
    m.plant_file = "line.yaml";
    m.plant_text = text;
    m.plant_len = text ? strlen(text) : 0;
    m.command_line = "takt run line.yaml";
    m.wall_s = 0.25;
    return m;
}

static long long record(const char *db, const takt_summary *s, const char *text)
{
    char err[512] = "";
    store_meta m = meta(text);
    long long id = store_record(db, s, &m, err, sizeof err);
    if (id <= 0) fail_msg("store_record: %s", err);
    return id;
}

/* ---- reading the database directly ------------------------------------- */

static sqlite3 *open_db(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    return db;
}

/* The single value of a query, as int64, double or text (static buffer). */
static sqlite3_int64 q_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    sqlite3_int64 v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static double q_real(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    double v = sqlite3_column_type(st, 0) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return v;
}

static const char *q_text(sqlite3 *db, const char *sql)
{
    static char buf[256];
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(buf, sizeof buf, "%s", t ? (const char *)t : "(null)");
    sqlite3_finalize(st);
    return buf;
}

/* Exact equality: the store keeps doubles as they are. */
static void assert_same_double(double got, double want)
{
    if (!(got == want || (isnan(got) && isnan(want))))
        fail_msg("%.17g is not %.17g", got, want);
}

/* ---- a hand-made summary with the calendar layer ------------------------ */

typedef struct handmade {
    takt_plant p;
    station st[2];
    buffer bf[1];
    workshop ws[1];
    target tg[2];
    takt_summary s;
    station_sum ss[2];
    buffer_sum bs[1];
    day_sum days[3];
    month_sum months[2];
    target_sum ts[2];
    workshop_sum wss[1];
} handmade;

/* Two stations in workshop "body"; 3 days from 2024-01-30, so the
 * series cross into February; one target reached, one not.  A target's
 * `by` is the end of its day: 2 d is the end of 2024-01-31. */
static void handmade_init(handmade *h, const char *station0)
{
    memset(h, 0, sizeof *h);
    h->p.name = "hand, \"made\"";
    h->p.stations = h->st; h->p.nstations = 2;
    h->p.buffers = h->bf; h->p.nbuffers = 1;
    h->p.workshops = h->ws; h->p.nworkshops = 1;
    h->p.targets = h->tg; h->p.ntargets = 2;
    h->p.has_start = 1;
    h->p.start_day = date_from_civil(2024, 1, 30);
    h->ws[0].name = "body";
    h->st[0] = (station){ .name = (char *)station0, .servers = 1, .workshop = 0 };
    h->st[1] = (station){ .name = "Paint\nline", .servers = 3, .workshop = -1 };
    h->bf[0] = (buffer){ .name = "B", .capacity = CAP_INF };
    h->tg[0] = (target){ .what = TARGET_PRODUCED, .value = 100, .by = 2 * 86400.0 };
    h->tg[1] = (target){ .what = TARGET_DELIVERED, .value = 1e9, .by = 86400.0 };
    h->s.plant = &h->p;
    h->s.replications = 3;
    h->s.seed = UINT64_MAX - 1;             /* above 2^63: the sign bit is set */
    h->s.horizon = 3 * 86400.0;
    h->s.throughput_per_hour = (kpi){ 1.0 / 3, 0.1 };
    h->s.lead_time_s = (kpi){ 1e-300, 1e300 };
    h->s.wip = (kpi){ -0.0, 0 };
    h->s.produced = (kpi){ 123.25, NAN };
    h->s.stations = h->ss;
    h->s.buffers = h->bs;
    for (int i = 0; i < 2; i++) {
        h->ss[i].parts_out = (kpi){ 100 + i, 0.5 };
        for (int q = 0; q < NSTATES; q++) h->ss[i].state[q] = (kpi){ (q + 1) / 21.0, 0.01 * q };
        h->ss[i].bn_sole = (kpi){ 0.25 * i, 0 };
        h->ss[i].bn_shifting = (kpi){ 0.125, 0 };
    }
    h->bs[0] = (buffer_sum){ { 1.5, 0.25 }, 7 };
    h->s.ndays = 3; h->s.daily = h->days;
    for (int d = 0; d < 3; d++)
        h->days[d] = (day_sum){ { 10.0 * d, 1 }, { 5.0 * d, 0.5 }, { 50 - d, 2 } };
    h->s.nmonths = 2; h->s.monthly = h->months;
    h->months[0] = (month_sum){ date_from_civil(2024, 1, 30), { 10, 1 }, { 5, 1 }, { 49, 1 } };
    h->months[1] = (month_sum){ date_from_civil(2024, 2, 1), { 20, 1 }, { 10, 1 }, { 48, 1 } };
    h->s.targets = h->ts;
    h->ts[0] = (target_sum){ 3, 1.5 * 86400, 1.2 * 86400, 1.9 * 86400, 1 };
    h->ts[1] = (target_sum){ 0, NAN, NAN, NAN, 0 };
    h->s.workshops = h->wss;
}

/* ---- SHA-256 of the plant text ----------------------------------------- */

static void test_plant_hash_is_sha256(void **state)
{
    fixture *fx = *state;
    /* FIPS 180-4 examples; the 56-byte one needs a second padding block */
    static const struct { const char *text, *hex; } v[] = {
        { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
        { "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
    };
    sqlite3 *db;
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        long long id = record(fx->db, fx->sum, v[i].text);
        char sql[128];
        db = open_db(fx->db);
        snprintf(sql, sizeof sql, "SELECT plant_hash FROM runs WHERE id = %lld", id);
        assert_string_equal(q_text(db, sql), v[i].hex);
        sqlite3_close(db);
    }
    long long id = record(fx->db, fx->sum, NULL);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT plant_hash IS NULL FROM runs WHERE id = %lld", id);
    db = open_db(fx->db);
    assert_int_equal(q_int(db, sql), 1);
    sqlite3_close(db);
}

/* ---- recording ---------------------------------------------------------- */

static void test_record_twice_reads_back(void **state)
{
    fixture *fx = *state;
    assert_int_equal(record(fx->db, fx->sum, line_yaml), 1);
    assert_int_equal(record(fx->db, fx->sum_slow, slow_yaml), 2);
    sqlite3 *db = open_db(fx->db);
    const takt_summary *s = fx->sum_slow;
    assert_int_equal(q_int(db, "SELECT count(*) FROM runs"), 2);
    assert_int_equal(q_int(db, "SELECT version FROM schema_version"), 4);
    assert_string_equal(q_text(db, "PRAGMA journal_mode"), "wal");
    assert_string_equal(q_text(db, "SELECT plant FROM runs WHERE id = 2"), "slow line");
    assert_string_equal(q_text(db, "SELECT takt_version FROM runs WHERE id = 2"), TAKT_VERSION);
    assert_int_equal(q_int(db, "SELECT replications FROM runs WHERE id = 2"), s->replications);
    assert_int_equal(q_int(db, "SELECT seed FROM runs WHERE id = 2"), 5);
    assert_int_equal(q_int(db, "SELECT events FROM runs WHERE id = 2"), (sqlite3_int64)s->events);
    assert_int_equal(q_int(db, "SELECT sweep_id IS NULL FROM runs WHERE id = 2"), 1);
    assert_same_double(q_real(db, "SELECT horizon_s FROM runs WHERE id = 2"), s->horizon);
    assert_same_double(q_real(db, "SELECT warmup_s FROM runs WHERE id = 2"), s->warmup);
    assert_same_double(q_real(db, "SELECT wall_s FROM runs WHERE id = 2"), 0.25);
    /* ISO-8601 UTC, e.g. 2024-05-01T12:34:56Z */
    const char *t = q_text(db, "SELECT started_at FROM runs WHERE id = 2");
    assert_int_equal(strlen(t), 20);
    assert_true(t[4] == '-' && t[10] == 'T' && t[19] == 'Z');
    assert_same_double(q_real(db, "SELECT mean FROM kpis WHERE run_id = 2 AND name = 'throughput_per_hour'"),
                       s->throughput_per_hour.mean);
    assert_same_double(q_real(db, "SELECT ci95 FROM kpis WHERE run_id = 2 AND name = 'throughput_per_hour'"),
                       s->throughput_per_hour.ci95);
    assert_same_double(q_real(db, "SELECT mean FROM kpis WHERE run_id = 1 AND name = 'lead_time_s'"),
                       fx->sum->lead_time_s.mean);
    assert_same_double(q_real(db, "SELECT working_mean FROM stations WHERE run_id = 2 AND station = 'B'"),
                       s->stations[1].state[0].mean);
    assert_same_double(q_real(db, "SELECT starved_ci95 FROM stations WHERE run_id = 2 AND station = 'B'"),
                       s->stations[1].state[1].ci95);
    assert_same_double(q_real(db, "SELECT bottleneck_sole FROM stations WHERE run_id = 2 AND station = 'A'"),
                       s->stations[0].bn_sole.mean);
    assert_int_equal(q_int(db, "SELECT count(*) FROM stations WHERE run_id = 1"), 2);
    assert_int_equal(q_int(db, "SELECT capacity FROM buffers WHERE run_id = 2 AND buffer = 'AB'"), 2);
    assert_same_double(q_real(db, "SELECT mean_level FROM buffers WHERE run_id = 2"), s->buffers[0].mean_level.mean);
    assert_int_equal(q_int(db, "SELECT count(*) FROM series"), 0);
    /* the throughput of the slow line is lower: two runs, two answers */
    assert_true(q_real(db, "SELECT mean FROM kpis WHERE run_id = 2 AND name = 'throughput_per_hour'") <
                q_real(db, "SELECT mean FROM kpis WHERE run_id = 1 AND name = 'throughput_per_hour'"));
    sqlite3_close(db);
}

static void test_calendar_layer_and_extremes(void **state)
{
    fixture *fx = *state;
    handmade h;
    handmade_init(&h, "Body, left");
    long long id = record(fx->db, &h.s, "x");
    assert_int_equal(id, 1);
    sqlite3 *db = open_db(fx->db);
    /* the seed's 64 bits survive the signed column */
    assert_true((uint64_t)q_int(db, "SELECT seed FROM runs") == UINT64_MAX - 1);
    assert_string_equal(q_text(db, "SELECT plant FROM runs"), "hand, \"made\"");
    assert_same_double(q_real(db, "SELECT mean FROM kpis WHERE name = 'throughput_per_hour'"), 1.0 / 3);
    assert_same_double(q_real(db, "SELECT mean FROM kpis WHERE name = 'lead_time_s'"), 1e-300);
    assert_same_double(q_real(db, "SELECT ci95 FROM kpis WHERE name = 'lead_time_s'"), 1e300);
    assert_int_equal(q_int(db, "SELECT ci95 IS NULL FROM kpis WHERE name = 'produced'"), 1);
    assert_string_equal(q_text(db, "SELECT workshop FROM stations WHERE station = 'Body, left'"), "body");
    assert_int_equal(q_int(db, "SELECT workshop IS NULL FROM stations WHERE servers = 3"), 1);
    assert_same_double(q_real(db, "SELECT off_shift_mean FROM stations WHERE servers = 3"), 6 / 21.0);
    assert_int_equal(q_int(db, "SELECT capacity IS NULL FROM buffers"), 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM series WHERE kind = 'daily'"), 3);
    assert_string_equal(q_text(db, "SELECT group_concat(date, ' ') FROM series WHERE kind = 'daily'"),
                        "2024-01-30 2024-01-31 2024-02-01");
    assert_string_equal(q_text(db, "SELECT group_concat(date, ' ') FROM series WHERE kind = 'monthly'"),
                        "2024-01 2024-02");
    assert_same_double(q_real(db, "SELECT produced FROM series WHERE date = '2024-02-01'"), 20);
    assert_same_double(q_real(db, "SELECT backlog FROM series WHERE date = '2024-02'"), 48);
    assert_string_equal(q_text(db, "SELECT by || ' ' || reached || ' ' || reached_lo || ' ' || reached_hi "
                                   "|| ' ' || met FROM targets WHERE what = 'produced'"),
                        "2024-01-31 2024-01-31 2024-01-31 2024-01-31 1");
    assert_int_equal(q_int(db, "SELECT reached IS NULL AND met = 0 FROM targets WHERE what = 'delivered'"), 1);
    sqlite3_close(db);
}

static void test_failed_record_writes_nothing(void **state)
{
    fixture *fx = *state;
    handmade h;
    char err[512] = "";
    record(fx->db, fx->sum, "x");
    /* a station without a name breaks a NOT NULL constraint after the run,
     * its KPIs and nothing else were inserted: all of it must go */
    handmade_init(&h, NULL);
    store_meta m = meta("x");
    assert_int_equal(store_record(fx->db, &h.s, &m, err, sizeof err), -1);
    assert_non_null(strstr(err, fx->db));
    sqlite3 *db = open_db(fx->db);
    assert_int_equal(q_int(db, "SELECT count(*) FROM runs"), 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM kpis WHERE run_id <> 1"), 0);
    assert_int_equal(q_int(db, "SELECT count(*) FROM stations WHERE run_id <> 1"), 0);
    sqlite3_close(db);
    /* and the store still works afterwards */
    assert_int_equal(record(fx->db, fx->sum, "x"), 2);
}

static void test_concurrent_processes(void **state)
{
    fixture *fx = *state;
    enum { PROCS = 4, EACH = 5 };
    pid_t pid[PROCS];
    /* all start on a file that does not exist yet: they also race to
     * create the schema */
    for (int i = 0; i < PROCS; i++) {
        pid[i] = fork();
        assert_true(pid[i] >= 0);
        if (pid[i] == 0) {
            char err[512];
            store_meta m = meta("x");
            int ok = 1;
            for (int k = 0; k < EACH; k++)
                if (store_record(fx->db, fx->sum, &m, err, sizeof err) <= 0) {
                    fprintf(stderr, "child %d: %s\n", i, err);
                    ok = 0;
                }
            _exit(ok ? 0 : 1);
        }
    }
    int failed = 0;
    for (int i = 0; i < PROCS; i++) {               /* wait for all before judging */
        int status;
        if (waitpid(pid[i], &status, 0) != pid[i] || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed++;
    }
    assert_int_equal(failed, 0);
    sqlite3 *db = open_db(fx->db);
    assert_int_equal(q_int(db, "SELECT count(*) FROM runs"), PROCS * EACH);
    assert_int_equal(q_int(db, "SELECT count(DISTINCT id) FROM runs"), PROCS * EACH);
    assert_int_equal(q_int(db, "SELECT count(*) FROM stations"), 2 * PROCS * EACH);
    assert_int_equal(q_int(db, "SELECT count(*) FROM schema_version"), 1);
    sqlite3_close(db);
}

/* ---- refusals ----------------------------------------------------------- */

static void test_refusals(void **state)
{
    fixture *fx = *state;
    char err[512], path[160];
    FILE *out = fopen("/dev/null", "w");
    store_meta m = meta("x");
    /* no store yet: reading is bad input (2), nothing gets created */
    assert_int_equal(store_list(fx->db, out, err, sizeof err), 2);
    assert_int_equal(store_show(fx->db, 1, out, err, sizeof err), 2);
    assert_int_equal(store_compare(fx->db, 1, 2, out, err, sizeof err), 2);
    assert_int_equal(access(fx->db, F_OK), -1);
    assert_int_equal(store_check(fx->db, err, sizeof err), 0);
    assert_int_equal(access(fx->db, F_OK), -1);
    /* a directory that does not exist */
    snprintf(path, sizeof path, "%s/no/such/dir.db", fx->dir);
    assert_int_equal(store_record(path, fx->sum, &m, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
    assert_int_equal(store_check(path, err, sizeof err), -1);
    /* unknown run ids */
    record(fx->db, fx->sum, "x");
    assert_int_equal(store_check(fx->db, err, sizeof err), 0);
    assert_int_equal(store_show(fx->db, 99, out, err, sizeof err), 2);
    assert_non_null(strstr(err, "no run 99"));
    assert_int_equal(store_compare(fx->db, 1, 99, out, err, sizeof err), 2);
    assert_int_equal(store_compare(fx->db, 99, 1, out, err, sizeof err), 2);
    assert_int_equal(store_show(fx->db, 1, out, err, sizeof err), 0);
    /* a store written by a newer takt */
    sqlite3 *db = open_db(fx->db);
    assert_int_equal(sqlite3_exec(db, "UPDATE schema_version SET version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_record(fx->db, fx->sum, &m, err, sizeof err), -1);
    assert_non_null(strstr(err, "newer"));
    assert_int_equal(store_check(fx->db, err, sizeof err), -1);
    assert_int_equal(store_list(fx->db, out, err, sizeof err), 1);
    /* another program's database, and a file that is no database */
    snprintf(path, sizeof path, "%s/other.db", fx->dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE runs (x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_record(path, fx->sum, &m, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a takt run store"));
    assert_int_equal(store_list(path, out, err, sizeof err), 2);
    db = open_db(path);
    assert_int_equal(q_int(db, "SELECT count(*) FROM sqlite_master"), 1);   /* left alone */
    sqlite3_close(db);
    snprintf(path, sizeof path, "%s/text.db", fx->dir);
    FILE *f = fopen(path, "w");
    fputs("name: not a database, just text that is long enough to have a header\n", f);
    fclose(f);
    assert_int_equal(store_record(path, fx->sum, &m, err, sizeof err), -1);
    assert_int_equal(store_list(path, out, err, sizeof err), 2);
    assert_int_equal(store_check(path, err, sizeof err), -1);
    fclose(out);
}

/* ---- showing and comparing ---------------------------------------------- */

/* What fn printed, malloc'd. */
#define CAPTURE(buf, call) do {                                     \
        size_t len_; FILE *f = open_memstream(&(buf), &len_);      \
        assert_int_equal((call), 0);                                \
        fclose(f);                                                  \
    } while (0)

/* The line of text that starts (after blanks) with name. */
static const char *line_of(const char *text, const char *name)
{
    static char line[512];
    for (const char *p = text; p && *p; ) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *q = p;
        while (*q == ' ') q++;
        if (!strncmp(q, name, strlen(name)) && q[strlen(name)] == ' ') {
            snprintf(line, sizeof line, "%.*s", (int)n, p);
            return line;
        }
        p = end ? end + 1 : NULL;
    }
    fail_msg("no line for '%s' in:\n%s", name, text);
    return NULL;
}

static void test_ci_overlap(void **state)
{
    (void)state;
    assert_int_equal(store_ci_overlap(1.0, 0.1, 1.15, 0.1), 1);
    assert_int_equal(store_ci_overlap(1.0, 0.1, 1.25, 0.1), 0);
    assert_int_equal(store_ci_overlap(1.25, 0.1, 1.0, 0.1), 0);     /* symmetric */
    assert_int_equal(store_ci_overlap(0.0, 0.5, 1.0, 0.5), 1);      /* touching */
    assert_int_equal(store_ci_overlap(2.0, 0.0, 2.0, 0.0), 1);
    assert_int_equal(store_ci_overlap(2.0, 0.0, 2.5, 0.0), 0);
    assert_int_equal(store_ci_overlap(1.0, 0.01, 5.0, 10.0), 1);    /* one wide interval */
    assert_int_equal(store_ci_overlap(1.0, NAN, 1.0, 0.1), -1);
    assert_int_equal(store_ci_overlap(NAN, 0.1, 1.0, 0.1), -1);
}

static void test_show_and_compare(void **state)
{
    fixture *fx = *state;
    char err[512], *text = NULL;
    record(fx->db, fx->sum, line_yaml);
    record(fx->db, fx->sum_slow, slow_yaml);

    CAPTURE(text, store_list(fx->db, f, err, sizeof err));
    assert_non_null(strstr(text, "test line"));
    assert_non_null(strstr(text, "slow line"));
    free(text);

    CAPTURE(text, store_show(fx->db, 2, f, err, sizeof err));
    assert_non_null(strstr(text, "slow line"));
    assert_non_null(strstr(text, "throughput_per_hour"));
    assert_non_null(strstr(line_of(text, "AB"), "2"));
    free(text);

    /* the slow line makes about half as much (B at 2 h per part against
     * A's 1 h, versus B at 30 min); with 1000 h per replication a count of
     * ~900 parts varies by ~30, so each half-width (t(3) = 3.18, 4
     * replications) is ~0.05 parts/h against a difference of ~0.4 */
    CAPTURE(text, store_compare(fx->db, 1, 2, f, err, sizeof err));
    const char *l = line_of(text, "throughput_per_hour");
    assert_non_null(strstr(l, "differ"));
    assert_non_null(strstr(l, "-"));                                /* run 2 is lower */
    assert_non_null(strstr(text, "What differs: plant file"));      /* different hashes */
    free(text);

    /* a run compared with itself: paired differences all 0, no difference */
    CAPTURE(text, store_compare(fx->db, 1, 1, f, err, sizeof err));
    assert_null(strstr(text, "differ\n"));
    assert_non_null(strstr(line_of(text, "throughput_per_hour"), "+0 ± 0"));
    assert_non_null(strstr(line_of(text, "throughput_per_hour"), "not shown"));
    assert_non_null(strstr(line_of(text, "A"), "overlap"));
    assert_non_null(strstr(text, "Nothing differs"));
    assert_non_null(strstr(text, "paired by replication"));
    free(text);
}

static void test_compare_one_replication(void **state)
{
    fixture *fx = *state;
    char err[512], *text = NULL;
    exp_options o;
    takt_summary *s1 = NULL;
    exp_options_default(&o);
    o.replications = 1; o.threads = 1;
    assert_int_equal(exp_run(fx->plant, &o, &s1), 0);
    record(fx->db, s1, "x");
    record(fx->db, fx->sum_slow, "y");
    /* with one replication there is no interval: no verdict either way */
    CAPTURE(text, store_compare(fx->db, 1, 2, f, err, sizeof err));
    assert_null(strstr(line_of(text, "throughput_per_hour"), "differ"));
    assert_null(strstr(line_of(text, "throughput_per_hour"), "not shown"));
    assert_null(strstr(line_of(text, "A"), "overlap"));
    free(text);
    summary_free(s1);
}

/* ---- CSV ------------------------------------------------------------------ */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = calloc(1, 1 << 16);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

/* Names in dir that do not end in ".csv" (temporary files left behind). */
static int stray_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.') continue;
        if (len < 4 || strcmp(e->d_name + len - 4, ".csv") != 0) n++;
    }
    if (d) closedir(d);
    return n;
}

/* report_csv into an output group, then the group put in place, as the
 * command does. */
static int write_csv(const char *dir, const takt_summary *s, char *err, int errlen)
{
    outfile_group g;
    memset(&g, 0, sizeof g);
    int rc = report_csv(dir, s, &g, err, errlen);
    if (rc == 0) rc = outfile_group_finish(&g, err, (size_t)errlen);
    if (rc == 0) rc = outfile_group_place(&g, err, (size_t)errlen);
    outfile_group_discard(&g);
    return rc;
}

static void test_csv_tables(void **state)
{
    fixture *fx = *state;
    char err[512], dir[160], path[200];
    const takt_summary *s = fx->sum;
    snprintf(dir, sizeof dir, "%s/csv/deeper", fx->dir);
    assert_int_equal(report_csv_check(dir, err, sizeof err), 0);
    assert_int_equal(write_csv(dir, s, err, sizeof err), 0);
    assert_int_equal(stray_files(dir), 0);

    snprintf(path, sizeof path, "%s/kpis.csv", dir);
    char *text = slurp(path);
    assert_non_null(text);
    assert_int_equal(strncmp(text, "kpi,mean,ci95\n", 14), 0);
    /* every number reads back as exactly the summary's double */
    const char *l = strstr(text, "\nthroughput_per_hour,");
    assert_non_null(l);
    char *end;
    double mean = strtod(strchr(l, ',') + 1, &end);
    double ci = strtod(end + 1, NULL);
    assert_same_double(mean, s->throughput_per_hour.mean);
    assert_same_double(ci, s->throughput_per_hour.ci95);
    free(text);

    snprintf(path, sizeof path, "%s/stations.csv", dir);
    text = slurp(path);
    assert_non_null(strstr(text, "station,workshop,servers,parts_out_mean,parts_out_ci95,working_mean,"));
    assert_non_null(strstr(text, ",off_shift_mean,off_shift_ci95,waiting_mean,waiting_ci95,maintenance_mean,"
                               "maintenance_ci95,closed_mean,closed_ci95,bottleneck_sole,bottleneck_shifting\n"));
    assert_int_equal(count_lines(text), 1 + 2);
    free(text);

    snprintf(path, sizeof path, "%s/buffers.csv", dir);
    text = slurp(path);
    assert_non_null(strstr(text, "buffer,capacity,mean_level_mean,mean_level_ci95,max_level\nAB,2,"));
    free(text);

    /* no calendar: no series files */
    snprintf(path, sizeof path, "%s/daily.csv", dir);
    assert_int_equal(access(path, F_OK), -1);
}

static void test_csv_quoting_and_series(void **state)
{
    fixture *fx = *state;
    char err[512], path[200];
    handmade h;
    handmade_init(&h, "Weld \"A\", left");
    assert_int_equal(write_csv(fx->dir, &h.s, err, sizeof err), 0);
    assert_int_equal(stray_files(fx->dir), 0);

    snprintf(path, sizeof path, "%s/stations.csv", fx->dir);
    char *text = slurp(path);
    assert_non_null(strstr(text, "\n\"Weld \"\"A\"\", left\",body,1,100,0.5,"));
    assert_non_null(strstr(text, "\n\"Paint\nline\",,3,101,"));
    free(text);

    snprintf(path, sizeof path, "%s/kpis.csv", fx->dir);
    text = slurp(path);
    assert_non_null(strstr(text, "\nproduced,123.25,\n"));             /* NaN: empty cell */
    assert_non_null(strstr(text, "\nlead_time_s,1e-300,1e+300\n"));
    free(text);

    snprintf(path, sizeof path, "%s/buffers.csv", fx->dir);
    text = slurp(path);
    assert_non_null(strstr(text, "\nB,inf,1.5,0.25,7\n"));
    free(text);

    snprintf(path, sizeof path, "%s/daily.csv", fx->dir);
    text = slurp(path);
    assert_non_null(text);
    assert_int_equal(count_lines(text), 1 + 3);
    assert_non_null(strstr(text, "\n2024-02-01,20,1,10,0.5,48,2\n"));
    free(text);

    snprintf(path, sizeof path, "%s/monthly.csv", fx->dir);
    text = slurp(path);
    assert_non_null(strstr(text, "month,produced_mean,produced_ci95,delivered_mean,delivered_ci95,"
                                 "backlog_end_mean,backlog_end_ci95\n2024-01,10,1,5,1,49,1\n2024-02,"));
    free(text);

    snprintf(path, sizeof path, "%s/targets.csv", fx->dir);
    text = slurp(path);
    assert_non_null(strstr(text, "\nproduced,100,2024-01-31,2024-01-31,2024-01-31,2024-01-31,3,true\n"));
    assert_non_null(strstr(text, "\ndelivered,1e+09,2024-01-30,,,,0,false\n"));
    free(text);

    snprintf(path, sizeof path, "%s/workshops.csv", fx->dir);
    assert_int_equal(access(path, F_OK), 0);
}

static void test_csv_failure_leaves_nothing(void **state)
{
    fixture *fx = *state;
    char err[512], path[200];
    snprintf(path, sizeof path, "%s/a-file", fx->dir);
    FILE *f = fopen(path, "w");
    fclose(f);
    assert_int_equal(write_csv(path, fx->sum, err, sizeof err), -1);
    assert_non_null(strstr(err, "a-file"));
    assert_int_equal(report_csv_check(path, err, sizeof err), -1);
    snprintf(path, sizeof path, "%s/a-file/sub", fx->dir);
    assert_int_equal(write_csv(path, fx->sum, err, sizeof err), -1);
    assert_int_equal(report_csv_check(path, err, sizeof err), -1);
    assert_int_equal(stray_files(fx->dir), 1);                      /* a-file only */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plant_hash_is_sha256, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_twice_reads_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_calendar_layer_and_extremes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_record_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_processes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test(test_ci_overlap),
        cmocka_unit_test_setup_teardown(test_show_and_compare, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compare_one_replication, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_quoting_and_series, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_failure_leaves_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
