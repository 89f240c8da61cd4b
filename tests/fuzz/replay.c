/*
 * replay.c — run the fuzz target once over files and directories, without
 * libFuzzer: `replay tests/fuzz/corpus tests/fuzz/regressions`.  Used by
 * `make fuzz-replay` (under the sanitizers, with any C compiler) to check
 * that every input ever saved still holds takt's promises.
 *
 * Prints one line per broken promise and a last line "N inputs, N failed";
 * exits 1 when any input failed or nothing was read.
 */
#include <dirent.h>
#include <sys/stat.h>
#include "fuzz_check.c"

typedef struct tally {
    int inputs, failed;
} tally;

static void replay_file(const char *path, tally *t)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        t->failed++;
        return;
    }
    size_t cap = 4096, n = 0, k;
    uint8_t *buf = malloc(cap);
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) { free(buf); buf = NULL; }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "replay: out of memory reading %s\n", path);
        t->failed++;
        return;
    }
    fuzz_verdict v;
    t->inputs++;
    if (fuzz_check_one(buf, n, &v) < 0) {
        printf("FAIL %s: %s\n", path, v.why);
        t->failed++;
    }
    free(buf);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static void replay_path(const char *path, tally *t)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        replay_file(path, t);
        return;
    }
    struct dirent **list;
    int n = scandir(path, &list, NULL, by_name);
    for (int i = 0; i < n; i++) {
        if (list[i]->d_name[0] != '.') {
            char full[4096];
            snprintf(full, sizeof full, "%s/%s", path, list[i]->d_name);
            replay_path(full, t);
        }
        free(list[i]);
    }
    if (n >= 0)
        free(list);
}

int main(int argc, char **argv)
{
    tally t = { 0, 0 };
    for (int i = 1; i < argc; i++)
        replay_path(argv[i], &t);
    printf("%d inputs, %d failed\n", t.inputs, t.failed);
    return t.failed || t.inputs == 0;
}
