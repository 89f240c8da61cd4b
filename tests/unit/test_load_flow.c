/*
 * test_load_flow.c — the car-plant keys of stations and buffers: cycle by
 * product, mix, batch, assembly, scrap, rework, routing by `to:`, take,
 * p and products; the buffers `to:` and `rework:` imply; and the checks of
 * the whole plant that concern them (assembly inputs, routing
 * probabilities, products that cannot leave a station).
 *
 * Positions are counted in the test texts; messages are matched on their
 * key phrase.
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
#include <unistd.h>

#include "load_expect.h"

#define load_ok lx_load_ok
#define expect_error lx_expect_error
#define has_diag lx_has_diag
#define print_diags lx_print_diags

#define M1 "stations: [{name: M1, cycle: 1h}]\n"
#define TWO_PRODUCTS "horizon: 10h\nproducts: [{name: SU7, share: 0.5}, {name: Ultra, share: 0.5}]\n"

/* ---- stations --------------------------------------------------------------------------- */

static void test_station_errors(void **state)
{
    (void)state;
    expect_error(TWO_PRODUCTS "stations: [{name: M1, cycle: {SU7: 1h}}]\n", 1, 3, 30,
                 "station 'M1': 'cycle' gives no time for product 'Ultra' (list it, or add a "
                 "'default:' entry)");
    expect_error(TWO_PRODUCTS "stations: [{name: M1, cycle: {SU7: 1h, Ulta: 2h}}]\n", 0, 3, 40,
                 "station 'M1': unknown product 'Ulta' in 'cycle' (did you mean 'Ultra'?)");
    expect_error(TWO_PRODUCTS "stations: [{name: M1, cycle: {SU7: 1h, default: 5 mins}}]\n", 1,
                 3, 49, "'cycle': unknown unit 'mins'");
    expect_error(TWO_PRODUCTS "stations: [{name: M1, cycle: {SU7: tri(1h, 2h, 3h), Ultra: 1h}}]\n",
                 1, 3, 36, "unbalanced '(' in 'tri(1h': inside a flow mapping {...} a comma "
                 "separates entries");
    expect_error(TWO_PRODUCTS "stations: [{name: M1, cycle: {default: 1h, default: 2h}}]\n",
                 1, 3, 44, "station 'M1': 'default' appears twice in 'cycle' (first at line 3)");
    expect_error("horizon: 10h\nstations: [{name: M1, cycle: {SU7: 1h}}]\n", 1, 2, 30,
                 "'cycle' expects a distribution or a duration (e.g. exp(1h), 90s); a mapping "
                 "by product needs 'products:'");
    expect_error("horizon: 10h\nstations: [{name: M1, cycle: 1h, batch: 0}]\n", 1, 2, 41,
                 "batch must be a whole number from 1 to 10000, got 0");
    expect_error("horizon: 10h\nstations: [{name: M1, cycle: 1h, assembly: yes}]\n", 1, 2, 44,
                 "'assembly' expects true or false, got 'yes'");
    expect_error("horizon: 10h\nstations: [{name: M1, cycle: 1h, scrap: 1}]\n", 1, 2, 41,
                 "'scrap' must be a number at least 0 and less than 1, got 1");
    expect_error("horizon: 10h\nstations: [{name: M1, cycle: 1h, setup: fast}]\n", 1, 2, 41,
                 "'setup': 'fast' is not a duration or a distribution");
    expect_error(TWO_PRODUCTS "stations: [{name: M1, cycle: 1h, mix: {SU7: 0.5, Ultra: 0.6}}]\n",
                 1, 3, 39, "station 'M1': the shares in 'mix' add up to 1.1, not 1");
    expect_error(TWO_PRODUCTS "stations: [{name: M1, cycle: 1h, mix: [SU7]}]\n", 1, 3, 39,
                 "'mix' expects a mapping product -> share");
    expect_error(TWO_PRODUCTS "stations:\n  - {name: M1, cycle: 1h}\n"
                 "  - {name: M2, cycle: 1h, mix: {SU7: 1}}\n"
                 "buffers: [{name: B1, from: M1, to: M2, capacity: 1}]\n", 1, 5, 5,
                 "station 'M2' has a 'mix', but its parts come from upstream buffers");
    /* with a source, a station downstream of others may release parts */
    takt_plant *p = load_ok(TWO_PRODUCTS "sources: [{name: S, interarrival: 1h, to: M2}]\n"
                            "stations:\n  - {name: M1, cycle: 1h}\n"
                            "  - {name: M2, cycle: 1h, mix: {Ultra: 1}}\n"
                            "buffers: [{name: B1, from: M1, to: M2, capacity: 1}]\n");
    assert_near(p->stations[1].mix[0], 0, 0);
    assert_near(p->stations[1].mix[1], 1, 0);
    plant_free(p);
}

static void test_rework_errors(void **state)
{
    (void)state;
    expect_error("horizon: 10h\nstations:\n  - {name: M1, cycle: 1h, rework: {p: 1, to: R}}\n"
                 "  - {name: R, cycle: 1h}\n", 1, 3, 39,
                 "'p' must be a number more than 0 and less than 1, got 1");
    expect_error("horizon: 10h\nstations:\n  - {name: M1, cycle: 1h, rework: {p: 0.1, to: Q}}\n"
                 "  - {name: R, cycle: 1h}\n", 1, 3, 48, "station 'M1': unknown station 'Q' in 'to'");
    expect_error("horizon: 10h\nstations:\n  - {name: M1, cycle: 1h, rework: {p: 0.1, to: M1}}\n",
                 1, 3, 48, "a station cannot rework its own parts");
    expect_error("horizon: 10h\nstations:\n  - {name: M1, cycle: 1h, rework: {p: 0.1}}\n", 1, 3, 35,
                 "'rework' of station 'M1' is missing 'to'");
    expect_error("horizon: 10h\nstations:\n  - {name: M1, cycle: 1h, rework: R}\n", 1, 3, 35,
                 "'rework' expects a mapping, e.g. {p: 0.05, to: R1}");
    expect_error("horizon: 10h\nstations:\n"
                 "  - {name: M1, cycle: 1h, scrap: 0.5, rework: {p: 0.5, to: R}}\n"
                 "  - {name: R, cycle: 1h}\n" "sources: [{name: S, interarrival: 1h, to: M1}]\n", 1, 3, 5,
                 "station 'M1': scrap and rework together must be less than 1");
    expect_error("horizon: 10h\nstations:\n"
                 "  - {name: M1, cycle: 1h, blocking: before, batch: 2}\n", 1, 3, 5,
                 "station 'M1' blocks before service, which cannot be combined with batch > 1");
    expect_error("horizon: 10h\nstations:\n"
                 "  - {name: M1, cycle: 1h, blocking: before, scrap: 0.1}\n", 1, 3, 5,
                 "cannot be combined with scrap");
    expect_error("horizon: 10h\nstations:\n"
                 "  - {name: M1, cycle: 1h, blocking: before, rework: {p: 0.1, to: R}}\n"
                 "  - {name: R, cycle: 1h}\n" "sources: [{name: S, interarrival: 1h, to: M1}]\n", 0, 3, 5, "cannot be combined with rework");
    /* one rework station for two stations needs its own way out */
    expect_error("horizon: 10h\nstations:\n"
                 "  - {name: M1, cycle: 1h, rework: {p: 0.1, to: R}}\n"
                 "  - {name: M2, cycle: 1h, rework: {p: 0.1, to: R}}\n"
                 "  - {name: R, cycle: 1h}\n", 1, 3, 35,
                 "rework station 'R' serves several stations but has no outgoing buffer");
    takt_plant *p = load_ok("horizon: 10h\nstations:\n"
                            "  - {name: M1, cycle: 1h, rework: {p: 0.1, to: R}, to: M2}\n"
                            "  - {name: M2, cycle: 1h, rework: {p: 0.1, to: R}}\n"
                            "  - {name: R, cycle: 1h, to: M2}\n");
    assert_int_equal(p->nbuffers, 4);       /* M1->M2, R->M2, M1->R, M2->R */
    assert_true(plant_find_buffer(p, "R->M1") < 0);
    assert_int_equal(p->buffers[plant_find_buffer(p, "M2->R")].capacity, CAP_INF);
    plant_free(p);
    /* an existing buffer to the rework station is used, not doubled */
    p = load_ok("horizon: 10h\nstations:\n"
                "  - {name: M1, cycle: 1h, rework: {p: 0.1, to: R}}\n  - {name: R, cycle: 1h}\n"
                "buffers: [{name: to-repair, from: M1, to: R, capacity: 4}]\n" "sources: [{name: S, interarrival: 1h, to: M1}]\n");
    assert_int_equal(p->nbuffers, 2);
    assert_string_equal(p->buffers[1].name, "R->M1");
    plant_free(p);
    expect_error("horizon: 10h\nstations:\n"
                 "  - {name: A, cycle: 1h}\n  - {name: B, cycle: 1h}\n"
                 "  - {name: M1, cycle: 1h, assembly: true, rework: {p: 0.1, to: R}}\n"
                 "  - {name: R, cycle: 1h}\nbuffers:\n"
                 "  - {name: BA, from: A, to: M1, capacity: 1}\n"
                 "  - {name: BB, from: B, to: M1, capacity: 1}\n", 1, 5, 51,
                 "station 'M1' is an assembly station (they would be one more input), so "
                 "repaired parts cannot return to it");
    /* nor to a station that releases parts, which would then wait for them */
    expect_error("horizon: 10h\nstations:\n"
                 "  - {name: M1, cycle: 1h, rework: {p: 0.1, to: R}}\n  - {name: R, cycle: 1h}\n",
                 1, 3, 35, "station 'M1' releases parts (with an input it would wait for parts "
                 "instead), so repaired parts cannot return to it: give rework station 'R' an "
                 "outgoing buffer");
}

/* ---- routing, buffers, assembly ------------------------------------------------------------ */

#define LINE3 "horizon: 10h\nstations:\n  - {name: M1, cycle: 1h%s}\n" \
              "  - {name: M2, cycle: 1h}\n  - {name: M3, cycle: 1h}\n"

static void expect_line3(const char *m1_keys, const char *rest, int count, int line, int col,
                         const char *phrase)
{
    char text[2048];
    snprintf(text, sizeof text, LINE3 "%s", m1_keys, rest);
    expect_error(text, count, line, col, phrase);
}

static void test_route_errors(void **state)
{
    (void)state;
    expect_line3(", to: M4", "", 1, 3, 31, "station 'M1': unknown station 'M4' in 'to' "
                 "(did you mean 'M");
    expect_line3(", to: M1", "", 1, 3, 31, "station 'M1' sends parts to itself in 'to'");
    expect_line3(", to: [M2, M2]", "", 1, 3, 36, "station 'M1': station 'M2' appears twice in 'to'");
    expect_line3(", to: {station: M2}", "", 1, 3, 31, "'to' expects a station name or a list");
    expect_line3(", to: [{station: M2, p: 0.5}, {station: M3, p: 0.4}]", "", 1, 3, 5,
                 "station 'M1': the 'p' of its outgoing buffers add up to 0.9, not 1");
    expect_line3(", to: [{station: M2, p: 0.5}, M3]", "", 1, 3, 5,
                 "station 'M1': 1 of its 2 outgoing buffers have 'p': give all of them 'p', or none");
    expect_line3(", to: [{station: M2, q: 0.5}]", "", 1, 3, 46,
                 "unknown key 'q' in 'to' entry 1 of station 'M1' (did you mean 'p'?)");
    expect_line3(", to: [{p: 0.5}]", "", 1, 3, 32, "'to' entry 1 of station 'M1' is missing 'station'");
    expect_line3(", to: M2", "buffers:\n  - {name: B1, from: M1, to: M2, capacity: 1}\n"
                 "  - {name: B2, from: M1, to: M2, capacity: 1}\n", 1, 3, 31,
                 "there are 2 buffers to station 'M2', so 'to' cannot tell which one to use");
    expect_line3(", to: [{station: M2, p: 1}]", "buffers: [{name: B1, from: M1, to: M2, "
                 "capacity: 1, p: 1}]\n", 1, 3, 32, "buffer 'B1' already has 'p'");
    expect_line3(", to: M2", "buffers: [{name: M1->M2, from: M1, to: M3, capacity: 1}]\n", 1, 3, 31,
                 "would be named 'M1->M2', which is already the name of a buffer or source");
    /* an existing buffer is used by `to:`: it gets the probability */
    takt_plant *p = load_ok("horizon: 10h\nstations:\n"
                            "  - {name: M1, cycle: 1h, to: [{station: M2, p: 0.25}, "
                            "{station: M3, p: 0.75}]}\n"
                            "  - {name: M2, cycle: 1h}\n  - {name: M3, cycle: 1h}\n"
                            "buffers: [{name: B1, from: M1, to: M2, capacity: 3}]\n");
    assert_int_equal(p->nbuffers, 2);
    assert_near(p->buffers[0].p, 0.25, 0);
    assert_int_equal(p->buffers[0].implicit, 0);
    assert_string_equal(p->buffers[1].name, "M1->M3");
    assert_near(p->buffers[1].p, 0.75, 0);
    plant_free(p);
}

static void test_buffer_errors(void **state)
{
    (void)state;
    const char *b = "buffers: [{name: B1, from: M1, to: M2, capacity: 1, %s}]\n";
    char rest[256];
    snprintf(rest, sizeof rest, b, "take: 0");
    expect_line3("", rest, 1, 6, 59, "take must be a whole number from 1 to 10000, got 0");
    snprintf(rest, sizeof rest, b, "take: 2");
    expect_line3("", rest, 1, 6, 11, "buffer 'B1' has 'take', but station 'M2' is no assembly station");
    snprintf(rest, sizeof rest, b, "p: 0");
    expect_line3("", rest, 1, 6, 56, "'p' must be a number more than 0 and at most 1, got 0");
    snprintf(rest, sizeof rest, b, "p: 1.5");
    expect_line3("", rest, 1, 6, 56, "got 1.5");
    snprintf(rest, sizeof rest, b, "products: [SU7]");
    expect_line3("", rest, 1, 6, 63, "buffer 'B1': 'products' names products, but the plant "
                 "lists none");
    expect_error(TWO_PRODUCTS "stations: [{name: M1, cycle: 1h}, {name: M2, cycle: 1h}]\n"
                 "buffers: [{name: B1, from: M1, to: M2, capacity: 1, products: [SU8]}]\n", 1, 4,
                 64, "buffer 'B1': unknown product 'SU8' in 'products' (did you mean 'SU7'?)");
    expect_error(TWO_PRODUCTS "stations: [{name: M1, cycle: 1h}, {name: M2, cycle: 1h}]\n"
                 "buffers: [{name: B1, from: M1, to: M2, capacity: 1, products: [SU7]}]\n", 1, 3,
                 12, "product 'Ultra' cannot leave station 'M1': none of its outgoing buffers "
                 "allows it");
}

static void test_assembly_errors(void **state)
{
    (void)state;
    expect_line3(", to: M2", "  - {name: M4, cycle: 1h, assembly: true}\n"
                 "buffers: [{name: B1, from: M2, to: M4, capacity: 3}]\n", 1, 6, 5,
                 "station 'M4' is an assembly station but has 1 input: it needs at least 2");
    expect_line3("", "  - {name: M4, cycle: 1h, assembly: true}\nbuffers:\n"
                 "  - {name: B1, from: M1, to: M4, capacity: 1, take: 2}\n"
                 "  - {name: B2, from: M2, to: M4, capacity: 1}\n", 1, 8, 5,
                 "buffer 'B1' feeds assembly station 'M4', so it needs capacity >= 2 (its "
                 "'take'); it has 1");
    expect_line3(", to: M4", "  - {name: M4, cycle: 1h, assembly: true}\n"
                 "buffers: [{name: B2, from: M2, to: M4, capacity: 1}]\n", 1, 3, 31,
                 "buffer 'M1->M4' feeds assembly station 'M4', so it needs capacity >= 1 (its "
                 "'take'); it has 0 (a direct hand-over made by 'to': list a buffer instead)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_station_errors),
        cmocka_unit_test(test_rework_errors),
        cmocka_unit_test(test_route_errors),
        cmocka_unit_test(test_buffer_errors),
        cmocka_unit_test(test_assembly_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
