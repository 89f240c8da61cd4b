/*
 * args.c — small helpers shared by the subcommands: options in both the
 * "--opt value" and "--opt=value" forms, whole numbers in a range (one
 * strict parser), standard output checked, the bytes of a file and a
 * monotonic clock.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"

/* strtoull would take " 5", "+5", "-1" (as 2^64 - 1) and "0x5": a
 * number on the command line is digits, nothing else. */
int cli_parse_uint(const char *s, unsigned long long lo, unsigned long long hi,
                   unsigned long long *out)
{
    unsigned long long v = 0;
    if (!s || !*s) return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        unsigned d = (unsigned)(*s - '0');
        if (v > (ULLONG_MAX - d) / 10) return -1;
        v = v * 10 + d;
    }
    if (v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

int cli_parse_long(const char *s, long long lo, long long hi, long long *out)
{
    unsigned long long v;
    if (lo < 0 || hi < lo || cli_parse_uint(s, (unsigned long long)lo, (unsigned long long)hi, &v) < 0)
        return -1;
    *out = (long long)v;
    return 0;
}

int cli_stdout_ok(void)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout)) return 0;
    fprintf(stderr, "takt: cannot write to standard output: %s\n",
            errno ? strerror(errno) : "write error");
    return -1;
}

int cli_is_opt(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == 0 || arg[n] == '=');
}

const char *cli_opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (argv[*i][n] == '=') return argv[*i] + n + 1;
    if (*i + 1 >= argc) return NULL;
    return argv[++*i];
}

char *cli_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t n = 0;
    FILE *m = f ? open_memstream(&text, &n) : NULL;
    char buf[65536];
    for (size_t k; m && (k = fread(buf, 1, sizeof buf, f)) > 0; ) fwrite(buf, 1, k, m);
    if (m && fclose(m) != 0) { free(text); text = NULL; }
    if (f) fclose(f);
    *len = n;
    return text;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int cli_parse_bottleneck(const char *v, int *out)
{
    if (!strcmp(v, "paired")) *out = TAKT_BOTTLENECK_PAIRED;
    else if (!strcmp(v, "active")) *out = TAKT_BOTTLENECK_ACTIVE;
    else return -1;
    return 0;
}

int cli_set_bottleneck(takt_options *o, const char *v)
{
    if (!strcmp(v, "paired")) return takt_options_set_bottleneck(o, TAKT_BOTTLENECK_PAIRED) == TAKT_OK ? 0 : -1;
    if (!strcmp(v, "active")) return takt_options_set_bottleneck(o, TAKT_BOTTLENECK_ACTIVE) == TAKT_OK ? 0 : -1;
    return -1;
}
