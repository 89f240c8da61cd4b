/*
 * load_expect.h — what the plant-loader tests check again and again: a
 * text loads cleanly, or fails with a message at an exact line and column.
 * (Linked into every test binary; the names carry the lx_ prefix so they
 * clash with nothing.)
 */
#ifndef TAKT_TEST_LOAD_EXPECT_H
#define TAKT_TEST_LOAD_EXPECT_H

#include "io/load.h"

/* cmocka 1.1.5 has no double assertion; tol is absolute. */
#define assert_near(a, b, tol) lx_assert_near((a), (b), (tol), __FILE__, __LINE__)
void lx_assert_near(double a, double b, double tol, const char *file, int line);

void lx_print_diags(const diags *d);
/* A diagnostic at exactly line:col whose message contains phrase; if
 * there is none, prints what there is and returns 0. */
int lx_has_diag(const diags *d, int line, int col, const char *phrase);
/* Load text that must load without any diagnostic. */
takt_plant *lx_load_ok(const char *yaml);
/* Load text that must fail with a diagnostic at line:col containing
 * phrase, and `count` diagnostics in all unless count is 0. */
void lx_expect_error(const char *yaml, int count, int line, int col, const char *phrase);

#endif
