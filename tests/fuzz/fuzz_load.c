/*
 * fuzz_load.c — libFuzzer target for the plant loader: any bytes go through
 * takt_load_string(), and a plant that loads is re-validated and simulated
 * briefly (fuzz_check.c says what is checked and why).  A broken promise
 * aborts with the reason on stderr, so libFuzzer saves the input as a
 * crash just as it does for a sanitizer report.
 *
 *   make fuzz FUZZ_SECONDS=600       build with clang and fuzz
 *   make fuzz-replay                 run the corpus once, no fuzzing
 *
 * Built with -fsanitize=fuzzer,address,undefined; replay.c gives the same
 * target a plain main() for compilers without libFuzzer.
 */
#include "fuzz_check.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_verdict v;
    if (fuzz_check_one(data, size, &v) < 0) {
        fprintf(stderr, "fuzz_load: %s\n", v.why);
        abort();
    }
    return 0;
}
