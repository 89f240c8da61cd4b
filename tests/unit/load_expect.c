/*
 * load_expect.c — checks shared by the plant-loader tests (load_expect.h).
 *
 * Messages are matched on a key phrase and positions exactly: the
 * position is what a user's editor jumps to, the wording may be polished.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "load_expect.h"

void lx_assert_near(double a, double b, double tol, const char *file, int line)
{
    if (!(fabs(a - b) <= tol))
        fail_msg("%s:%d: %.17g is not %.17g (within %g)", file, line, a, b, tol);
}

void lx_print_diags(const diags *d)
{
    char line[1024];
    for (int i = 0; i < d->n; i++) {
        diags_format(d, i, line, sizeof line);
        print_message("  %s\n", line);
    }
}

int lx_has_diag(const diags *d, int line, int col, const char *phrase)
{
    for (int i = 0; i < d->n; i++)
        if (d->v[i].line == line && d->v[i].col == col && d->v[i].msg
            && strstr(d->v[i].msg, phrase))
            return 1;
    print_message("no diagnostic at %d:%d with \"%s\"; got:\n", line, col, phrase);
    lx_print_diags(d);
    return 0;
}

takt_plant *lx_load_ok(const char *yaml)
{
    diags d;
    diags_init(&d, "t.yaml");
    takt_plant *p = load_plant_string(yaml, strlen(yaml), &d);
    if (!p || d.n) {
        lx_print_diags(&d);
        fail_msg("the plant did not load");
    }
    diags_free(&d);
    return p;
}

void lx_expect_error(const char *yaml, int count, int line, int col, const char *phrase)
{
    diags d;
    diags_init(&d, "t.yaml");
    takt_plant *p = load_plant_string(yaml, strlen(yaml), &d);
    if (p)
        plant_free(p);
    assert_null(p);
    assert_true(lx_has_diag(&d, line, col, phrase));
    if (count > 0 && d.n != count) {
        print_message("expected %d diagnostics, got %d:\n", count, d.n);
        lx_print_diags(&d);
        fail();
    }
    diags_free(&d);
}
