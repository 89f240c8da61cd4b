/*
 * test_api_outputs.c — output groups, recording in steps and loading the
 * bytes read, through takt.h only (docs/api.md, "Output files"):
 *
 *   - a member is refused at once for an empty name or a directory;
 *   - a regular file appears only when the group is placed, never half
 *     written, and with no temporary file left; a discarded group leaves
 *     the directory as it was, the CSV directory it made included;
 *   - a device is written into, never replaced;
 *   - a transaction's runs are in the store after commit, and not after
 *     abort;
 *   - takt_read_file + takt_load_file_text load what was read, whatever
 *     the file holds afterwards.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "takt.h"

static const char plant_yaml[] =
    "name: outputs test\n"
    "horizon: 20h\n"
    "replications: 2\n"
    "stations:\n"
    "  - {name: M1, cycle: exp(1h)}\n"
    "  - {name: M2, cycle: exp(50min)}\n"
    "buffers:\n"
    "  - {name: B1, from: M1, to: M2, capacity: 2}\n";

static takt_result *simulate(const takt_plant *p)
{
    takt_options *o = takt_options_new();
    takt_options_set_threads(o, 1);
    takt_result *r = NULL;
    assert_int_equal(takt_simulate(p, o, &r, NULL), TAKT_OK);
    takt_options_free(o);
    return r;
}

/* Entries of dir other than . and .. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static void test_group_places_whole_files_or_none(void **state)
{
    (void)state;
    char dir[] = "/tmp/takt-outputs-XXXXXX", path[128], csv[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/report.json", dir);
    snprintf(csv, sizeof csv, "%s/tables", dir);
    takt_plant *p = takt_load_string("outputs.yaml", plant_yaml, strlen(plant_yaml), NULL);
    assert_non_null(p);
    takt_result *r = simulate(p);
    char *why = NULL;
    FILE *f = NULL;

    takt_outputs *g = takt_outputs_new();
    assert_int_equal(takt_outputs_open(g, "", &f, &why), TAKT_EIO);
    assert_non_null(strstr(why, "no file name"));
    free(why);
    assert_int_equal(takt_outputs_open(g, dir, &f, &why), TAKT_EIO);
    assert_non_null(strstr(why, "directory"));
    free(why);

    /* written and finished, but not in place until placed */
    assert_int_equal(takt_outputs_open(g, path, &f, &why), TAKT_OK);
    assert_int_equal(takt_result_write(r, TAKT_FORMAT_JSON, f), TAKT_OK);
    assert_int_equal(takt_outputs_csv(g, r, csv, &why), TAKT_OK);
    assert_int_equal(takt_outputs_finish(g, &why), TAKT_OK);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(takt_outputs_place(g, &why), TAKT_OK);
    assert_int_equal(access(path, F_OK), 0);
    takt_outputs_free(g);
    assert_int_equal(entries(dir), 2);             /* report.json, tables/ */
    char kpis[160];
    snprintf(kpis, sizeof kpis, "%s/kpis.csv", csv);
    assert_int_equal(access(kpis, F_OK), 0);

    /* a group dropped before it is placed leaves nothing, not even the
     * CSV directory it made */
    char other[128], csv2[128];
    snprintf(other, sizeof other, "%s/other.json", dir);
    snprintf(csv2, sizeof csv2, "%s/more/tables", dir);
    g = takt_outputs_new();
    assert_int_equal(takt_outputs_open(g, other, &f, &why), TAKT_OK);
    fputs("{}\n", f);
    assert_int_equal(takt_outputs_csv(g, r, csv2, &why), TAKT_OK);
    assert_int_equal(entries(dir), 4);             /* a temporary file, more/ */
    takt_outputs_free(g);
    assert_int_equal(entries(dir), 2);

    /* a device is written into, not replaced */
    g = takt_outputs_new();
    assert_int_equal(takt_outputs_open(g, "/dev/null", &f, &why), TAKT_OK);
    assert_int_equal(takt_result_write(r, TAKT_FORMAT_JSON, f), TAKT_OK);
    assert_int_equal(takt_outputs_finish(g, &why), TAKT_OK);
    assert_int_equal(takt_outputs_place(g, &why), TAKT_OK);
    takt_outputs_free(g);
    struct stat st;
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));

    for (const char *t = "kpis.csv\0stations.csv\0buffers.csv\0oee.csv\0"; *t; t += strlen(t) + 1) {
        char name[192];
        snprintf(name, sizeof name, "%s/%s", csv, t);
        unlink(name);
    }
    assert_int_equal(entries(csv), 0);
    rmdir(csv);
    unlink(path);
    rmdir(dir);
    takt_result_free(r);
    takt_plant_free(p);
}

static int run_count(const char *db)
{
    takt_store *st = NULL;
    char *why = NULL;
    if (takt_store_open(db, &st, &why) != TAKT_OK) { free(why); return 0; }
    int n = takt_store_run_count(st);
    takt_store_close(st);
    return n;
}

static void test_store_transaction_and_bytes_loaded(void **state)
{
    (void)state;
    char dir[] = "/tmp/takt-outputs-XXXXXX", file[128], db[128];
    assert_non_null(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/p.yaml", dir);
    snprintf(db, sizeof db, "%s/s.db", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs(plant_yaml, f);
    fclose(f);

    char *text = NULL, *why = NULL;
    size_t len = 0;
    assert_int_equal(takt_read_file(file, &text, &len, &why), TAKT_OK);
    assert_int_equal(len, strlen(plant_yaml));
    assert_int_equal(text[len], 0);
    f = fopen(file, "w");                           /* the file changes */
    fputs("stations: 3\n", f);
    fclose(f);
    takt_plant *p = takt_load_file_text(file, text, len, NULL, 0, &why);
    assert_non_null(p);
    assert_string_equal(takt_plant_name(p), "outputs test");
    char *none = NULL;
    assert_int_equal(takt_read_file(dir, &none, &len, &why), TAKT_EIO);
    assert_null(none);
    assert_non_null(strstr(why, "directory"));
    free(why);
    free(text);
    text = NULL;
    assert_int_equal(takt_read_file(file, &text, &len, &why), TAKT_OK);
    char *errors = NULL;
    assert_null(takt_load_file_text(file, text, len, NULL, 0, &errors));
    assert_non_null(strstr(errors, "p.yaml:1:"));    /* named by its path */
    free(errors);
    free(text);

    takt_result *r = simulate(p);
    takt_store_txn *t = NULL;
    long long id = 0;
    assert_int_equal(takt_store_begin(db, &t, &why), TAKT_OK);
    assert_int_equal(takt_store_add(t, r, file, plant_yaml, strlen(plant_yaml), "test", 0.1, 0,
                                    &id, &why), TAKT_OK);
    assert_int_equal(id, 1);
    assert_int_equal(takt_store_commit(t, &why), TAKT_OK);
    assert_int_equal(run_count(db), 1);
    assert_int_equal(takt_store_begin(db, &t, &why), TAKT_OK);
    assert_int_equal(takt_store_add(t, r, file, plant_yaml, strlen(plant_yaml), "test", 0.1, 0,
                                    &id, &why), TAKT_OK);
    takt_store_abort(t);
    assert_int_equal(run_count(db), 1);

    takt_result_free(r);
    takt_plant_free(p);
    static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
    for (int i = 0; i < 4; i++) {
        char side[160];
        snprintf(side, sizeof side, "%s%s", db, suffix[i]);
        unlink(side);
    }
    unlink(file);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_places_whole_files_or_none),
        cmocka_unit_test(test_store_transaction_and_bytes_loaded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
