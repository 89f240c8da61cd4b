/*
 * test_fmt.c — numbers as text (src/io/fmt.c): the readable time unit and
 * its thresholds, durations, numbers for people, and CSV cells (quoted per
 * RFC 4180; numbers that read back to the same double; no value, NaN or
 * infinite, an empty cell, the same in every CSV takt writes).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/fmt.h"

static void test_time_unit(void **state)
{
    (void)state;
    static const struct { double s; const char *unit; double scale; } cases[] = {
        { 0, "s", 1 }, { 119.9, "s", 1 }, { 120, "min", 60 }, { -500, "min", 60 },
        { 7199, "min", 60 }, { 7200, "h", 3600 }, { 172799, "h", 3600 }, { 172800, "d", 86400 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        fmt_unit u = fmt_time_unit(cases[i].s);
        assert_string_equal(u.name, cases[i].unit);
        assert_true(u.scale == cases[i].scale);
    }
}

static void test_duration(void **state)
{
    (void)state;
    char buf[32];
    fmt_duration(buf, sizeof buf, 45);
    assert_string_equal(buf, "45 s");
    fmt_duration(buf, sizeof buf, 750);
    assert_string_equal(buf, "12.5 min");
    fmt_duration(buf, sizeof buf, 1000 * 3600.0);
    assert_string_equal(buf, "41.67 d");
    fmt_duration(buf, sizeof buf, 5 * 3600.0);
    assert_string_equal(buf, "5 h");
}

static void test_people(void **state)
{
    (void)state;
    char buf[48];
    fmt_int(buf, sizeof buf, 1234567);
    assert_string_equal(buf, "1" NNBSP "234" NNBSP "567");
    fmt_num(buf, sizeof buf, 0.91234, 3);
    assert_string_equal(buf, "0.912");
    fmt_num(buf, sizeof buf, -0.0001, 2);
    assert_string_equal(buf, "-0.0001");
    fmt_num(buf, sizeof buf, NAN, 3);
    assert_string_equal(buf, "\xe2\x80\x93");
    fmt_pct(buf, sizeof buf, 0.042);
    assert_string_equal(buf, "4.2" NNBSP "%");
    fmt_pct(buf, sizeof buf, 0.0004);
    assert_string_equal(buf, "<0.1" NNBSP "%");
}

static char *csv(void (*write)(FILE *, const void *), const void *arg)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    write(f, arg);
    fclose(f);
    return text;
}

/* Text tables: fixed notation with commas, never an exponent or "-0". */
static void test_text_tables(void **state)
{
    (void)state;
    static const struct { double v; int sig; const char *want; } cases[] = {
        { 1440, 3, "1,440" }, { 270.4, 2, "270" }, { 0.000207, 3, "0.000207" },
        { 35.8049, 4, "35.80" }, { 735551, 4, "735,551" }, { -1234567.8, 3, "-1,234,568" },
        { -0.0004, 2, "-0.00040" }, { -1e-12, 3, "0.000000000" }, { 0, 3, "0.00" },
        { 999.96, 4, "1,000.0" }, { NAN, 3, "-" }, { INFINITY, 3, "-" },
    };
    char buf[48];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        fmt_fixed(buf, sizeof buf, cases[i].v, cases[i].sig);
        assert_string_equal(buf, cases[i].want);
    }
    fmt_count(buf, sizeof buf, 12345.4);
    assert_string_equal(buf, "12,345");
    fmt_count(buf, sizeof buf, -0.4);
    assert_string_equal(buf, "0");
    fmt_count(buf, sizeof buf, 999.5);
    assert_string_equal(buf, "1,000");
    fmt_capital(buf, sizeof buf, "cars");
    assert_string_equal(buf, "Cars");
}

static void num(FILE *f, const void *v) { fmt_csv_num(f, *(const double *)v); }
static void text(FILE *f, const void *s) { fmt_csv_text(f, s); }

static void test_csv_cells(void **state)
{
    (void)state;
    const double values[] = { 0.1, 1.0 / 3, 1e300, -2.5e-7, 42 };
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        char *t = csv(num, &values[i]);
        assert_int_equal(t[0], ',');
        assert_true(strtod(t + 1, NULL) == values[i]);     /* reads back exactly */
        free(t);
    }
    const double none[] = { NAN, INFINITY, -INFINITY };
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        char *t = csv(num, &none[i]);
        assert_string_equal(t, ",");
        free(t);
    }
    char *t = csv(text, "plain");
    assert_string_equal(t, "plain");
    free(t);
    t = csv(text, "a \"b\", c\nd");
    assert_string_equal(t, "\"a \"\"b\"\", c\nd\"");
    free(t);
    t = csv(text, NULL);
    assert_string_equal(t, "");
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_unit),
        cmocka_unit_test(test_duration),
        cmocka_unit_test(test_people),
        cmocka_unit_test(test_text_tables),
        cmocka_unit_test(test_csv_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
