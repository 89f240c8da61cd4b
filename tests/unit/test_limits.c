/*
 * test_limits.c — the loader's limits and its behaviour on hostile input,
 * through the public API:
 *
 *   - every saved fuzz input (tests/fuzz/corpus and tests/fuzz/regressions)
 *     still keeps takt's promises: a plant, or one "NAME:LINE:COLUMN:
 *     message" line per problem, and a brief simulation that neither
 *     crashes nor leaks (under `make asan`, the sanitizers check the
 *     second half);
 *   - each documented limit (file size, YAML nodes, nesting depth,
 *     stations, machines) is enforced with a message that names it, and
 *     cheaply: an alias bomb or a deeply nested file costs milliseconds.
 *
 * Time limits are loose (a second for what takes a millisecond) so that a
 * loaded machine or a sanitizer build does not make them flaky; what they
 * catch is exponential work, which would take minutes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <sys/stat.h>

#include "../fuzz/fuzz_check.c"

/* ---- helpers -------------------------------------------------------------- */

/* A growing text buffer for generated plants. */
typedef struct text {
    char *s;
    size_t n, cap;
} text;

static void text_add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void text_add(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(k >= 0);
    while (t->n + (size_t)k + 1 > t->cap) {
        t->cap = t->cap ? t->cap * 2 : 4096;
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    t->n += (size_t)k;
}

/* Load text that must be refused; returns the messages (free them) after
 * checking they are well formed and that one of them contains phrase. */
static char *refused(const char *yaml, size_t len, const char *phrase)
{
    char *errors = NULL;
    takt_plant *p = takt_load_string(FUZZ_NAME, yaml, len, &errors);
    if (p) {
        takt_plant_free(p);
        fail_msg("accepted, expected a message containing '%s'", phrase);
    }
    fuzz_verdict v;
    memset(&v, 0, sizeof v);
    if (check_errors(errors, count_lines((const uint8_t *)yaml, len), &v) < 0)
        fail_msg("%s", v.why);
    if (!strstr(errors, phrase))
        fail_msg("no message contains '%s':\n%.2000s", phrase, errors);
    return errors;
}

/* ---- the corpus ------------------------------------------------------------ */

/* tests/fuzz/<sub>, found from the working directory (make runs the tests
 * from the top of the tree) or from this file's path. */
static int fuzz_dir(const char *sub, char *out, size_t len)
{
    const char *env = getenv("TAKT_FUZZ_DIR");
    struct stat st;
    if (env) {
        snprintf(out, len, "%s/%s", env, sub);
        return stat(out, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
    }
    snprintf(out, len, "tests/fuzz/%s", sub);
    if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    const char *here = __FILE__, *cut = strstr(here, "unit/test_limits.c");
    if (!cut)
        return -1;
    snprintf(out, len, "%.*sfuzz/%s", (int)(cut - here), here, sub);
    return stat(out, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, k;
    uint8_t *buf = malloc(cap);
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static int replay_dir(const char *dir, int *loaded)
{
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort), inputs = 0;
    if (n < 0)
        fail_msg("cannot read %s", dir);
    for (int i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name);
        free(list[i]);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        size_t len = 0;
        uint8_t *data = read_all(path, &len);
        if (!data)
            fail_msg("cannot read %s", path);
        fuzz_verdict v;
        int rc = fuzz_check_one(data, len, &v);
        free(data);
        if (rc < 0)
            fail_msg("%s: %s", path, v.why);
        *loaded += v.loaded;
        inputs++;
    }
    free(list);
    return inputs;
}

static void test_fuzz_corpus_replays(void **state)
{
    (void)state;
    char dir[4096];
    int loaded = 0, inputs;
    if (fuzz_dir("corpus", dir, sizeof dir) < 0)
        fail_msg("tests/fuzz/corpus not found (run from the top of the tree, or set TAKT_FUZZ_DIR)");
    inputs = replay_dir(dir, &loaded);
    /* The seeds include the scenarios: some inputs must load, or the
     * replay would only ever exercise the error paths. */
    assert_true(inputs >= 20);
    assert_true(loaded >= 4);
    if (fuzz_dir("regressions", dir, sizeof dir) == 0)
        replay_dir(dir, &loaded);
}

/* ---- limits ------------------------------------------------------------------ */

/* Nine levels of ten aliases: 10^9 strings if anything expanded them. */
static void test_alias_bomb_refused_at_once(void **state)
{
    (void)state;
    text t = { 0 };
    text_add(&t, "l0: &l0 \"lol\"\n");
    for (int i = 1; i <= 9; i++) {
        text_add(&t, "l%d: &l%d [", i, i);
        for (int k = 0; k < 10; k++)
            text_add(&t, "%s*l%d", k ? ", " : "", i - 1);
        text_add(&t, "]\n");
    }
    text_add(&t, "horizon: 1h\nstations: *l9\n");
    char *errors = refused(t.s, t.n, "alias");
    /* refused at the first alias: line 2, not after reading the bomb */
    assert_non_null(strstr(errors, FUZZ_NAME ":2:"));
    free(errors);
    free(t.s);
}

static void test_depth_limit(void **state)
{
    (void)state;
    for (int depth = 65; depth <= 100000; depth *= 40) {
        text t = { 0 };
        text_add(&t, "horizon: ");
        for (int i = 0; i < depth; i++)
            text_add(&t, "[");
        text_add(&t, "\n");
        char *errors = refused(t.s, t.n, "64");
        free(errors);
        free(t.s);
    }
}

static void test_file_size_limit(void **state)
{
    (void)state;
    size_t len = ((size_t)64 << 20) + 1;
    char *big = malloc(len);
    assert_non_null(big);
    memset(big, '#', len);              /* one long comment */
    /* refused by its size, before any parsing: one message, at no line */
    char *errors = refused(big, len, "64 MiB");
    const char *nl = strchr(errors, '\n');
    assert_true(nl && nl[1] == '\0');
    assert_null(strstr(errors, FUZZ_NAME ":1:"));
    free(errors);
    free(big);
}

static void test_node_limit(void **state)
{
    (void)state;
    text t = { 0 };
    text_add(&t, "horizon: 1h\nx: [");
    for (long i = 0; i < 5000000; i++)
        text_add(&t, "1,");
    text_add(&t, "1]\n");
    /* 5,000,005 nodes with the root, the keys, a value and the list */
    char *errors = refused(t.s, t.n, "5000000");
    free(errors);
    free(t.s);
}

static void test_station_limit(void **state)
{
    (void)state;
    text t = { 0 };
    text_add(&t, "horizon: 1h\nstations:\n");
    for (int i = 0; i <= 100000; i++)
        text_add(&t, "  - {name: S%d, cycle: 1s}\n", i);
    char *errors = refused(t.s, t.n, "100000");
    /* the message is at the first station over the limit: line 3 + 100000 */
    assert_non_null(strstr(errors, FUZZ_NAME ":100003:"));
    free(errors);
    free(t.s);
}

static void test_machine_limit(void **state)
{
    (void)state;
    text t = { 0 };
    text_add(&t, "horizon: 1h\nstations:\n");
    for (int i = 0; i < 101; i++)
        text_add(&t, "  - {name: S%d, cycle: 1s, servers: 10000}\n", i);
    char *errors = refused(t.s, t.n, "machines");
    assert_non_null(strstr(errors, "1000000"));
    free(errors);
    free(t.s);
}

/* A long value is clipped in messages: a message never carries megabytes. */
static void test_long_value_clipped(void **state)
{
    (void)state;
    size_t n = 1 << 20;
    text t = { 0 };
    text_add(&t, "horizon: 1h\nstations:\n  - name: M\n    cycle: ");
    char *word = malloc(n + 1);
    assert_non_null(word);
    memset(word, 'x', n);
    word[n] = 0;
    text_add(&t, "%s\n", word);
    char *errors = refused(t.s, t.n, "cycle");
    assert_true(strlen(errors) < 2000);
    free(errors);
    free(word);
    free(t.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fuzz_corpus_replays),
        cmocka_unit_test(test_alias_bomb_refused_at_once),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_file_size_limit),
        cmocka_unit_test(test_node_limit),
        cmocka_unit_test(test_station_limit),
        cmocka_unit_test(test_machine_limit),
        cmocka_unit_test(test_long_value_clipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
