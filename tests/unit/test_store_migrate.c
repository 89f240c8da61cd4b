/*
 * test_store_migrate.c — the run store's versions.
 *
 * A store written by takt before migrations existed (schema version 1,
 * kept as SQL text in fixtures/store-v1.sql) can be read as it is, and is
 * brought to the current version when a run is recorded into it: its old
 * runs read back unchanged, and the store ends with the same columns as a
 * store created new.  A migration that fails, or a record that fails after
 * its migration, leaves the store exactly as it was (same version, same
 * schema, same rows).  A column the catalogue has and the store lacks (a
 * store from before a state was added) is added by itself, the old rows
 * holding NULL, which `show` prints as "-".
 *
 * A store of version 3 (fixtures/store-v3.sql: a run and a sweep of two
 * runs, before the store kept plant texts, settings and per-replication
 * values) reads as it is — compare falls back to Welch's interval, show
 * --plant refuses clearly — and is migrated to version 4 by the next
 * record, in the same transaction, or not at all.  A store of a newer
 * version is refused, for reading and for writing, unchanged.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "takt.h"
#include "io/store.h"

static const char line_yaml[] =
    "name: test line\n"
    "horizon: 200h\n"
    "warmup: 10h\n"
    "replications: 3\n"
    "seed: 5\n"
    "stations:\n"
    "  - {name: A, cycle: exp(1h)}\n"
    "  - {name: B, cycle: exp(30min)}\n"
    "buffers:\n"
    "  - {name: AB, from: A, to: B, capacity: 2}\n";

typedef struct fixture {
    char dir[64], db[128], fresh[128];
    takt_plant *plant;
    takt_summary *sum;
} fixture;

/* ---- helpers ------------------------------------------------------------- */

/* fixtures/NAME, found from the working directory (make runs the tests
 * from the top of the tree) or from this file's path. */
static char *read_fixture_named(const char *name)
{
    char path[1024];
    const char *here = __FILE__, *cut = strstr(here, "test_store_migrate.c");
    snprintf(path, sizeof path, "tests/unit/fixtures/%s", name);
    FILE *f = fopen(path, "rb");
    if (!f && cut) {
        snprintf(path, sizeof path, "%.*sfixtures/%s", (int)(cut - here), here, name);
        f = fopen(path, "rb");
    }
    if (!f) return NULL;
    char *text = calloc(1, 1 << 20);
    size_t n = text ? fread(text, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (text) text[n] = 0;
    return text;
}

static void exec_ok(const char *db, const char *sql)
{
    sqlite3 *h;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) fail_msg("%s", msg ? msg : "sqlite3_exec failed");
    sqlite3_free(msg);
    sqlite3_close(h);
}

/* The text of the first column of the first row (malloc'd; "" for NULL). */
static char *query(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    char *out = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        out = strdup(t ? (const char *)t : "");
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    assert_non_null(out);
    return out;
}

static void assert_query(const char *db, const char *sql, const char *want)
{
    char *got = query(db, sql);
    if (strcmp(got, want) != 0) fail_msg("%s\n  got  '%s'\n  want '%s'", sql, got, want);
    free(got);
}

/* Everything in a store: its schema, then every row of every table. */
static char *snapshot(const char *db)
{
    return query(db,
        "SELECT (SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master ORDER BY name)) || '|' ||"
        " (SELECT group_concat(version) FROM schema_version) || '|' ||"
        " (SELECT group_concat(id || plant || seed || coalesce(wall_s, '')) FROM runs) || '|' ||"
        " (SELECT group_concat(run_id || name || quote(mean) || quote(ci95)) FROM kpis) || '|' ||"
        " (SELECT group_concat(run_id || station || quote(working_mean) || quote(off_shift_ci95)) FROM stations)"
        " || '|' || (SELECT count(*) FROM series) || (SELECT count(*) FROM targets)");
}

/* A table's columns, by name: a column added to an older store comes
 * last, where a new store has it among the others, and every statement
 * names its columns, so only the set matters. */
static char *columns(const char *db, const char *table)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT group_concat(name) FROM (SELECT name FROM "
             "pragma_table_info('%s') ORDER BY name)", table);
    return query(db, sql);
}

static char *show(const char *db, long long id)
{
    char *text = NULL, err[512];
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    int rc = store_show(db, id, f, err, sizeof err);
    fclose(f);
    if (rc != 0) fail_msg("show %lld: %s", id, err);
    return text;
}

static long long record(const fixture *fx, const char *db, char *err, int errlen)
{
    store_meta m;
    memset(&m, 0, sizeof m);
    m.plant_file = "line.yaml";
    m.plant_text = line_yaml;
    m.plant_len = strlen(line_yaml);
    m.command_line = "takt run line.yaml";
    m.wall_s = 0.5;
    return store_record(db, fx->sum, &m, err, errlen);
}

static int setup_from(void **state, const char *fixture_sql)
{
    fixture *fx = calloc(1, sizeof *fx);
    char *errors = NULL;
    exp_options o;
    snprintf(fx->dir, sizeof fx->dir, "%s", "/tmp/takt-migrate.XXXXXX");
    if (!fx || !mkdtemp(fx->dir)) return -1;
    snprintf(fx->db, sizeof fx->db, "%s/v1.db", fx->dir);
    snprintf(fx->fresh, sizeof fx->fresh, "%s/fresh.db", fx->dir);
    char *sql = read_fixture_named(fixture_sql);
    if (!sql) { fprintf(stderr, "fixtures/%s not found\n", fixture_sql); return -1; }
    exec_ok(fx->db, sql);
    free(sql);
    fx->plant = takt_load_string("line.yaml", line_yaml, strlen(line_yaml), &errors);
    if (!fx->plant) return -1;
    exp_options_default(&o);
    o.threads = 1;
    if (exp_run(fx->plant, &o, &fx->sum) != 0) return -1;
    *state = fx;
    return 0;
}

static int setup(void **state) { return setup_from(state, "store-v1.sql"); }
static int setup_v3(void **state) { return setup_from(state, "store-v3.sql"); }

static int teardown(void **state)
{
    fixture *fx = *state;
    char path[256];
    const char *names[] = { "v1.db", "v1.db-wal", "v1.db-shm", "fresh.db", "fresh.db-wal", "fresh.db-shm" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/%s", fx->dir, names[i]);
        unlink(path);
    }
    rmdir(fx->dir);
    summary_free(fx->sum);
    takt_plant_free(fx->plant);
    free(fx);
    return 0;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_v1_store_reads_as_it_is(void **state)
{
    fixture *fx = *state;
    char *before = snapshot(fx->db);
    char *text = show(fx->db, 1);
    assert_non_null(strstr(text, "targets"));
    assert_non_null(strstr(text, "0.995833"));     /* its throughput, recorded by 0.1.0 */
    assert_null(strstr(text, "bottleneck     "));  /* version 1 did not record it */
    free(text);
    text = show(fx->db, 2);
    assert_non_null(strstr(text, "two machines and a buffer"));
    free(text);
    char *after = snapshot(fx->db);
    assert_string_equal(before, after);            /* reading changed nothing */
    assert_query(fx->db, "SELECT version FROM schema_version", "1");
    free(before); free(after);
}

static void test_recording_migrates_v1(void **state)
{
    fixture *fx = *state;
    char err[512];
    char *old_kpis = query(fx->db, "SELECT group_concat(name || quote(mean) || quote(ci95)) FROM kpis WHERE run_id <= 2");
    char *old_days = query(fx->db, "SELECT group_concat(date || quote(produced) || quote(backlog_ci95)) FROM series");
    long long id = record(fx, fx->db, err, sizeof err);
    if (id < 0) fail_msg("%s", err);
    assert_int_equal(id, 3);
    assert_query(fx->db, "SELECT version FROM schema_version", "4");
    assert_query(fx->db, "SELECT count(*) FROM schema_version", "1");
    /* the old runs are as they were, with no bottleneck; the new one has it */
    char *kpis = query(fx->db, "SELECT group_concat(name || quote(mean) || quote(ci95)) FROM kpis WHERE run_id <= 2");
    char *days = query(fx->db, "SELECT group_concat(date || quote(produced) || quote(backlog_ci95)) FROM series");
    assert_string_equal(kpis, old_kpis);
    assert_string_equal(days, old_days);
    assert_query(fx->db, "SELECT count(*) FROM runs WHERE bottleneck IS NULL", "2");
    char *bn = query(fx->db, "SELECT bottleneck FROM runs WHERE id = 3");
    assert_true(!strcmp(bn, "A") || !strcmp(bn, "B"));
    char *text = show(fx->db, 3);
    assert_non_null(strstr(text, "bottleneck"));
    free(text);
    /* a store created new has the same columns as the migrated one */
    id = record(fx, fx->fresh, err, sizeof err);
    if (id < 0) fail_msg("%s", err);
    const char *tables[] = { "runs", "kpis", "stations", "buffers", "series", "targets", "pools",
                             "loops", "settings", "kpi_reps" };
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        char *a = columns(fx->db, tables[i]), *b = columns(fx->fresh, tables[i]);
        assert_string_equal(a, b);
        free(a); free(b);
    }
    /* and the old runs compare with the new */
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_int_equal(store_compare(fx->db, 2, 3, f, err, sizeof err), 0);
    fclose(f);
    assert_non_null(strstr(out, "throughput_per_hour"));
    free(out);
    free(old_kpis); free(old_days); free(kpis); free(days); free(bn);
}

static void test_failed_migration_leaves_store(void **state)
{
    fixture *fx = *state;
    char err[512];
    /* A store at version 1 that already has the column version 2 adds:
     * the migration fails half-way. */
    exec_ok(fx->db, "ALTER TABLE runs ADD COLUMN bottleneck TEXT");
    char *before = snapshot(fx->db);
    assert_int_equal(record(fx, fx->db, err, sizeof err), -1);
    assert_non_null(strstr(err, "from schema version 1 to 4"));
    char *after = snapshot(fx->db);
    assert_string_equal(before, after);
    free(before); free(after);
}

static void test_failed_record_undoes_migration(void **state)
{
    fixture *fx = *state;
    char err[512];
    /* The migration succeeds, then recording the run fails: both are one
     * transaction, so the store stays at version 1. */
    exec_ok(fx->db, "CREATE TRIGGER refuse BEFORE INSERT ON stations BEGIN SELECT RAISE(ABORT, 'refused'); END");
    char *before = snapshot(fx->db);
    char *cols = columns(fx->db, "runs");
    assert_int_equal(record(fx, fx->db, err, sizeof err), -1);
    assert_non_null(strstr(err, "refused"));
    char *after = snapshot(fx->db), *cols_after = columns(fx->db, "runs");
    assert_string_equal(before, after);
    assert_string_equal(cols, cols_after);
    assert_null(strstr(cols_after, "bottleneck"));
    free(before); free(after); free(cols); free(cols_after);
}

static void test_missing_catalogue_column_is_added(void **state)
{
    fixture *fx = *state;
    char err[512];
    if (record(fx, fx->fresh, err, sizeof err) != 1) fail_msg("%s", err);
    /* as if the store were written before the state off_shift existed */
    exec_ok(fx->fresh, "ALTER TABLE stations DROP COLUMN off_shift_mean; "
                       "ALTER TABLE stations DROP COLUMN off_shift_ci95");
    char *text = show(fx->fresh, 1);
    assert_non_null(strstr(text, "off shift"));
    assert_non_null(strstr(text, " - "));          /* no value for it */
    free(text);
    assert_int_equal(record(fx, fx->fresh, err, sizeof err), 2);
    assert_query(fx->fresh, "SELECT count(*) FROM stations WHERE run_id = 1 AND off_shift_mean IS NULL", "2");
    assert_query(fx->fresh, "SELECT count(*) FROM stations WHERE run_id = 2 AND off_shift_mean = 0", "2");
    assert_query(fx->fresh, "SELECT version FROM schema_version", "4");
}

/* ---- version 3: before plant texts, settings and per-replication values -- */

static char *capture(int (*fn)(const char *, long long, long long, FILE *, char *, int), const char *db,
                     long long a, long long b, int want_rc, char *err, int errlen)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    int rc = fn(db, a, b, f, err, errlen);
    fclose(f);
    if (rc != want_rc) fail_msg("status %d, expected %d: %s", rc, want_rc, err);
    return text;
}

static int show_plant_ab(const char *db, long long a, long long b, FILE *f, char *err, int errlen)
{
    (void)b;
    return store_show_plant(db, a, f, err, errlen);
}

static void test_v3_store_reads_as_it_is(void **state)
{
    fixture *fx = *state;
    char err[512];
    char *before = snapshot(fx->db);
    char *text = show(fx->db, 2);
    assert_non_null(strstr(text, "not kept"));       /* no plant text before version 4 */
    free(text);
    /* --plant of a run recorded before version 4: a clear refusal */
    text = capture(show_plant_ab, fx->db, 1, 0, 2, err, sizeof err);
    assert_non_null(strstr(err, "no plant text"));
    assert_string_equal(text, "");
    free(text);
    /* runs 2 and 3 are a sweep on the same seed, but the store kept no
     * per-replication values: the difference is Welch's, and says why */
    text = capture(store_compare, fx->db, 2, 3, 0, err, sizeof err);
    assert_non_null(strstr(text, "Welch"));
    assert_non_null(strstr(text, "no per-replication values"));
    assert_null(strstr(text, "paired by replication"));
    free(text);
    text = capture(store_compare_json, fx->db, 2, 3, 0, err, sizeof err);
    assert_non_null(strstr(text, "\"method\": \"welch\""));
    free(text);
    char *after = snapshot(fx->db);
    assert_string_equal(before, after);              /* reading changed nothing */
    assert_query(fx->db, "SELECT version FROM schema_version", "3");
    free(before); free(after);
}

static void test_recording_migrates_v3(void **state)
{
    fixture *fx = *state;
    char err[512];
    char *old_runs = query(fx->db, "SELECT group_concat(id || plant_hash || seed || command_line) FROM runs");
    char *old_kpis = query(fx->db, "SELECT group_concat(run_id || name || quote(mean) || quote(ci95)) FROM kpis");
    char *old_st = query(fx->db, "SELECT group_concat(run_id || station || quote(working_mean)) FROM stations");
    long long id = record(fx, fx->db, err, sizeof err);
    if (id < 0) fail_msg("%s", err);
    assert_int_equal(id, 4);
    assert_query(fx->db, "SELECT version FROM schema_version", "4");
    char *runs = query(fx->db, "SELECT group_concat(id || plant_hash || seed || command_line) FROM runs WHERE id <= 3");
    char *kpis = query(fx->db, "SELECT group_concat(run_id || name || quote(mean) || quote(ci95)) FROM kpis WHERE run_id <= 3");
    char *st = query(fx->db, "SELECT group_concat(run_id || station || quote(working_mean)) FROM stations WHERE run_id <= 3");
    assert_string_equal(runs, old_runs);
    assert_string_equal(kpis, old_kpis);
    assert_string_equal(st, old_st);
    /* the old runs have none of what version 4 adds; the new one has all */
    assert_query(fx->db, "SELECT count(*) FROM runs WHERE plant_text IS NULL", "3");
    assert_query(fx->db, "SELECT count(*) FROM kpi_reps WHERE run_id <= 3", "0");
    assert_query(fx->db, "SELECT count(*) FROM settings", "0");
    char want[32];
    snprintf(want, sizeof want, "%d", 5 * fx->sum->replications);   /* five figures with intervals */
    assert_query(fx->db, "SELECT count(*) FROM kpi_reps WHERE run_id = 4", want);
    char *out = capture(show_plant_ab, fx->db, 4, 0, 0, err, sizeof err);
    assert_string_equal(out, line_yaml);
    free(out);
    /* the same columns as a store created new */
    if (record(fx, fx->fresh, err, sizeof err) < 0) fail_msg("%s", err);
    const char *tables[] = { "runs", "kpis", "stations", "buffers", "series", "targets", "pools",
                             "loops", "settings", "kpi_reps", "schema_version" };
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        char *a = columns(fx->db, tables[i]), *b = columns(fx->fresh, tables[i]);
        assert_string_equal(a, b);
        free(a); free(b);
    }
    char *ia = query(fx->db, "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name)");
    char *ib = query(fx->fresh, "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name)");
    assert_string_equal(ia, ib);
    free(ia); free(ib);
    free(old_runs); free(old_kpis); free(old_st); free(runs); free(kpis); free(st);
}

static void test_failed_v3_migration_leaves_store(void **state)
{
    fixture *fx = *state;
    char err[512];
    /* a table of that name already there: the migration fails half-way,
     * after it added the column plant_text */
    exec_ok(fx->db, "CREATE TABLE kpi_reps (x INTEGER)");
    char *before = snapshot(fx->db), *cols = columns(fx->db, "runs");
    assert_int_equal(record(fx, fx->db, err, sizeof err), -1);
    assert_non_null(strstr(err, "from schema version 3 to 4"));
    char *after = snapshot(fx->db), *cols_after = columns(fx->db, "runs");
    assert_string_equal(before, after);
    assert_string_equal(cols, cols_after);
    assert_null(strstr(cols_after, "plant_text"));
    free(before); free(after); free(cols); free(cols_after);
}

static void test_newer_store_is_refused(void **state)
{
    fixture *fx = *state;
    char err[512];
    exec_ok(fx->db, "UPDATE schema_version SET version = 99");
    char *before = snapshot(fx->db);
    assert_int_equal(record(fx, fx->db, err, sizeof err), -1);
    assert_non_null(strstr(err, "newer"));
    char *text = capture(store_compare, fx->db, 2, 3, 1, err, sizeof err);
    assert_non_null(strstr(err, "newer"));
    free(text);
    char *after = snapshot(fx->db);
    assert_string_equal(before, after);
    free(before); free(after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_v1_store_reads_as_it_is, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recording_migrates_v1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_migration_leaves_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_record_undoes_migration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_catalogue_column_is_added, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v3_store_reads_as_it_is, setup_v3, teardown),
        cmocka_unit_test_setup_teardown(test_recording_migrates_v3, setup_v3, teardown),
        cmocka_unit_test_setup_teardown(test_failed_v3_migration_leaves_store, setup_v3, teardown),
        cmocka_unit_test_setup_teardown(test_newer_store_is_refused, setup_v3, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
