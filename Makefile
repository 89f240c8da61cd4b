# takt — build, test, run.  See README.md.
#   make            build build/takt and build/libtakt.a
#   make run        install missing dependencies, build, run the default plant
#   make test       install missing dependencies, build, run every test
#   make bench      benchmarks (bench/results.md)
#   make asan       the tests under AddressSanitizer + UBSan
#   make valgrind   the CLI tests under valgrind
#   make install PREFIX=/usr/local

CC      ?= cc
PREFIX  ?= /usr/local
PKGS    := yaml-0.1 sqlite3 libmd
BUILD   ?= build
OPT     ?= -O2
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lyaml -lsqlite3 -lmd)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
# MPI (distributed replications and sweeps) when Open MPI is installed;
# `make MPI=0` builds without it (the sanitizer and valgrind builds do).
# The binary says which (`takt version`): tests/mpi fails on a build that
# lacks MPI while Open MPI is installed, unless MPI=0 was asked for.
ifeq ($(origin MPI),undefined)
MPI     := $(shell pkg-config --exists ompi-c 2>/dev/null && echo 1 || echo 0)
MPI_HOW := auto
else
MPI_HOW := asked
endif
ifeq ($(MPI),1)
PKG_CFLAGS += $(shell pkg-config --cflags ompi-c) -DTAKT_HAVE_MPI
PKG_LIBS   += $(shell pkg-config --libs ompi-c)
else ifeq ($(MPI_HOW),asked)
PKG_CFLAGS += -DTAKT_MPI_OFF
endif
WARN    := -Wall -Wextra -Werror
CFLAGS  ?= $(OPT) -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Iinclude -Isrc
LDLIBS  = $(PKG_LIBS) -lm -lpthread

# One short line per file (`CC src/core/heap.c`); `make V=1` prints the
# whole command lines.
ifeq ($(V),1)
Q   :=
say := @:
else
Q   := @
say := @printf '  %-4s %s\n'
endif

# The build follows its configuration: $(BUILD)/config holds the compiler,
# its version, the flags, the libraries and the MPI choice, and is rewritten
# only when one of them changes; everything built depends on it, so a
# change (Open MPI installed or removed, another CC or CFLAGS) rebuilds
# what it must, and nothing else.
CONFIG := $(CC) [$(shell $(CC) --version 2>/dev/null | head -n 1)] $(ALL_CFLAGS) | $(LDLIBS) | MPI=$(MPI) $(MPI_HOW)
ifeq ($(filter clean,$(MAKECMDGOALS)),)
ifneq ($(CONFIG),$(file <$(BUILD)/config))
$(shell mkdir -p $(BUILD))
$(file >$(BUILD)/config,$(CONFIG))
endif
endif

LIB_SRC := $(sort $(wildcard src/core/*.c src/model/*.c src/analytic/*.c src/balance/*.c src/exp/*.c src/io/*.c src/api/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/default_plant.o
TEST_MAIN := $(sort $(wildcard tests/unit/test_*.c tests/validation/test_*.c))
TEST_SUPPORT := $(filter-out $(TEST_MAIN),$(sort $(wildcard tests/unit/*.c tests/validation/*.c)))
TEST_BIN := $(TEST_MAIN:tests/%.c=$(BUILD)/tests/%)
TEST_SUPPORT_OBJ := $(TEST_SUPPORT:%.c=$(BUILD)/%.o)

# The shared library: the same sources compiled position-independent into
# their own directory (the static library and the CLI keep the faster
# non-PIC code), exporting only what takt.h marks TAKT_API.  Its soname
# changes with the major version only (docs/api.md).
VERSION_OF = $(shell sed -n 's/^\#define TAKT_VERSION_$(1) \([0-9]*\)$$/\1/p' include/takt.h)
SO_MAJOR := $(call VERSION_OF,MAJOR)
SO_VERSION := $(SO_MAJOR).$(call VERSION_OF,MINOR).$(call VERSION_OF,PATCH)
SONAME  := libtakt.so.$(SO_MAJOR)
PIC_OBJ := $(LIB_SRC:%.c=$(BUILD)/pic/%.o)
# Where Debian's python3 looks for modules: /usr/lib/python3/dist-packages
# for PREFIX=/usr, PREFIX/lib/python3.X/dist-packages otherwise (on its path
# for /usr/local).  Worked out only when installing.
PYTHON_VERSION = $(shell /usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
PYTHON_DIR ?= $(if $(filter /usr,$(PREFIX)),$(PREFIX)/lib/python3,$(PREFIX)/lib/python$(or $(PYTHON_VERSION),3))/dist-packages

.PHONY: all deps build-deps run test check-tests bench asan valgrind install clean fuzz

all: $(BUILD)/takt $(BUILD)/libtakt.so

# keep the test support objects (make would delete them as intermediates,
# printing "rm ..." after the test summary)
.SECONDARY: $(TEST_SUPPORT_OBJ)

deps:
	@sh scripts/install-deps

$(BUILD)/%.o: %.c $(BUILD)/config
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libtakt.a: $(LIB_OBJ)
	@rm -f $@
	$(say) AR $@
	$(Q)ar rcs $@ $^

# The CLI uses only the public API: its files are compiled without -Isrc,
# so an internal header there does not build (tests/cli/test_api.sh also
# checks their #include lines).
$(BUILD)/src/cli/%.o: ALL_CFLAGS := $(filter-out -Isrc,$(ALL_CFLAGS))

# The shared library is built without sanitizers even in `make asan`, so
# that python3 and programs built without them can load it; the sanitizers
# check the same code through the static library.
PIC_CFLAGS = $(filter-out -fsanitize=% -fno-sanitize-recover=%,$(ALL_CFLAGS)) -fPIC -fvisibility=hidden

$(BUILD)/pic/%.o: %.c $(BUILD)/config
	@mkdir -p $(dir $@)
	$(say) CC "$< (PIC)"
	$(Q)$(CC) $(PIC_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libtakt.so.$(SO_VERSION): $(PIC_OBJ)
	$(say) LD $@
	$(Q)$(CC) $(PIC_CFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined -o $@ $(PIC_OBJ) $(LDLIBS)

$(BUILD)/libtakt.so: $(BUILD)/libtakt.so.$(SO_VERSION)
	@ln -sf libtakt.so.$(SO_VERSION) $(BUILD)/$(SONAME)
	@ln -sf libtakt.so.$(SO_VERSION) $@

$(BUILD)/takt: $(CLI_OBJ) $(BUILD)/libtakt.a
	$(say) LD $@
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libtakt.a $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(TEST_SUPPORT_OBJ) $(BUILD)/libtakt.a $(BUILD)/config
	@mkdir -p $(dir $@)
	$(say) CCLD $@
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -MF $@.d -o $@ $< $(TEST_SUPPORT_OBJ) $(BUILD)/libtakt.a $(CMOCKA_LIBS) $(LDLIBS)

build-deps:
	@sh scripts/install-deps --build

run: build-deps
	@$(MAKE) --no-print-directory $(BUILD)/takt
	$(BUILD)/takt run --html takt-report.html

test: deps
	@$(MAKE) --no-print-directory check-tests

check-tests: $(BUILD)/takt $(BUILD)/libtakt.so $(TEST_BIN)
	@sh tests/run-all.sh $(BUILD)

install: $(BUILD)/takt $(BUILD)/libtakt.a $(BUILD)/libtakt.so
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include \
	    $(DESTDIR)$(PYTHON_DIR)/takt
	install -m 755 $(BUILD)/takt $(DESTDIR)$(PREFIX)/bin/takt
	install -m 644 $(BUILD)/libtakt.a $(DESTDIR)$(PREFIX)/lib/libtakt.a
	install -m 755 $(BUILD)/libtakt.so.$(SO_VERSION) $(DESTDIR)$(PREFIX)/lib/libtakt.so.$(SO_VERSION)
	ln -sf libtakt.so.$(SO_VERSION) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf libtakt.so.$(SO_VERSION) $(DESTDIR)$(PREFIX)/lib/libtakt.so
	install -m 644 include/takt.h $(DESTDIR)$(PREFIX)/include/takt.h
	install -m 644 python/takt/*.py $(DESTDIR)$(PYTHON_DIR)/takt/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 docs/takt.1 $(DESTDIR)$(PREFIX)/share/man/man1/takt.1
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(SO_VERSION)|g' \
	    -e 's|@MPI@|$(if $(filter 1,$(MPI)), ompi-c,)|g' \
	    takt.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/takt.pc

clean:
	rm -rf $(BUILD) build-asan build-valgrind build-fuzz

# Every object and test program depends on the headers it includes (a test
# support object built against an older struct layout gives garbage).
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(PIC_OBJ:.o=.d) $(TEST_SUPPORT_OBJ:.o=.d) $(TEST_BIN:=.d)

# The default plant is compiled into the binary.
DEFAULT_PLANT ?= scenarios/beijing-ev.yaml
$(BUILD)/gen/default_plant.c: $(DEFAULT_PLANT) Makefile
	@mkdir -p $(dir $@)
	@{ echo '/* generated from $(DEFAULT_PLANT) */'; \
	   echo 'const char takt_default_plant_name[] = "$(DEFAULT_PLANT)";'; \
	   echo 'const unsigned char takt_default_plant[] = {'; \
	   od -An -v -tx1 $(DEFAULT_PLANT) | sed -e 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	   echo '0x00};'; \
	   echo "const unsigned int takt_default_plant_len = sizeof takt_default_plant - 1;"; } > $@
$(BUILD)/gen/default_plant.o: $(BUILD)/gen/default_plant.c $(BUILD)/config
	$(say) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

# Benchmarks: speed, memory and scaling; writes bench/results.md.
bench: $(BUILD)/takt
	sh bench/run.sh $(BUILD)/takt

# ---- robustness: sanitizers, valgrind, fuzzing (docs/robustness.md) -----
# Each builds into its own directory, without MPI (the sanitizers and
# valgrind report Open MPI's own allocations), and leaves build/ alone.
#   make asan                     the tests under AddressSanitizer + UBSan
#   make valgrind                 the CLI tests with takt under valgrind
#   make fuzz FUZZ_SECONDS=600    fuzz the plant loader (clang's libFuzzer)
#   make fuzz-replay              every saved fuzz input once, sanitized
SAN_CC    ?= $(shell command -v clang >/dev/null 2>&1 && echo clang || echo gcc)
SAN_FLAGS ?= -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
SAN_ENV    = ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1 \
             UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
NOMPI_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) \
               $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -Iinclude -Isrc
NOMPI_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lyaml -lsqlite3 -lmd) -lm -lpthread
VALGRIND  ?= valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_ARGS ?= -dict=tests/fuzz/plant.dict -rss_limit_mb=2048 -timeout=10 -print_final_stats=1

.PHONY: fuzz-replay

# Under the sanitizers a simulation runs 5 to 30 times slower.  Left to
# the native run (make test): the validation programs whose work is long
# statistical experiments against theory (their code paths are driven
# under the sanitizers by the unit tests and the command-line suites), and
# the suites where nothing sanitized runs: the browser renders a report
# (the HTML writer runs sanitized in the CLI suites), python loads the
# unsanitized shared library, setup compiles with the plain compiler, and
# MPI is off in sanitized builds.
ASAN_SKIP ?= validation/test_theory validation/test_resources validation/test_optimise \
             validation/test_fit validation/test_features \
             browser/test_report.sh python/test_python.sh setup/test_setup.sh mpi/test_mpi.sh
asan:
	@$(SAN_ENV) TAKT_SANITIZED=1 TAKT_SLOWDOWN=5 TAKT_TEST_TIMEOUT=3600 TAKT_CLI_TIMEOUT=900 TAKT_SKIP="$(ASAN_SKIP)" \
	    $(MAKE) --no-print-directory BUILD=build-asan MPI=0 \
	    CC="$(SAN_CC)" CFLAGS="$(SAN_FLAGS)" check-tests

# Under valgrind a simulation runs some 50 times slower: the suites whose
# work is long statistical experiments (the built-in plant with its paired
# bottleneck runs, calibration, optimisation, improvement rankings, the
# analytic estimate's searches) and the one that builds and installs the
# shared library are left to the native and sanitized runs (make test,
# make asan).  So is the signals suite: its promise is "from the first
# instruction of main, within a second", and valgrind runs for seconds
# before main and delivers a signal only at its own scheduling points.
VALGRIND_SKIP ?= test_plant test_fit test_optimise test_improve test_api test_estimate \
                 test_hostile_signals
valgrind:
	@$(MAKE) --no-print-directory BUILD=build-valgrind MPI=0 CFLAGS="-O1 -g" build-valgrind/takt
	@fail=0; for t in tests/cli/test_*.sh; do \
	    case " $(VALGRIND_SKIP) " in *" $$(basename $$t .sh) "*) continue ;; esac; \
	    log=build-valgrind/$$(basename $$t .sh).log; t0=$$(date +%s); \
	    TAKT=build-valgrind/takt TAKT_WRAPPER="$(VALGRIND)" TAKT_CLI_TIMEOUT=3600 \
	        sh $$t >$$log 2>&1; st=$$?; \
	    printf '%-40s %s [%s s]\n' "$$t (valgrind)" "$$(tail -n 1 $$log)" "$$(($$(date +%s) - t0))"; \
	    if [ $$st -ne 0 ]; then grep -A 40 '^FAIL' $$log | head -n 200; fail=1; fi; \
	done; exit $$fail

build-fuzz/fuzz_load: FORCE
	@$(MAKE) --no-print-directory BUILD=build-fuzz MPI=0 CC=clang CFLAGS="$(FUZZ_FLAGS)" build-fuzz/libtakt.a
	clang $(NOMPI_CFLAGS) $(subst fuzzer-no-link,fuzzer,$(FUZZ_FLAGS)) tests/fuzz/fuzz_load.c \
	    build-fuzz/libtakt.a $(NOMPI_LIBS) -o $@

fuzz: build-fuzz/fuzz_load
	@mkdir -p build-fuzz/corpus build-fuzz/crashes
	build-fuzz/fuzz_load -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARGS) \
	    -artifact_prefix=build-fuzz/crashes/ build-fuzz/corpus tests/fuzz/corpus tests/fuzz/regressions

fuzz-replay:
	@$(MAKE) --no-print-directory BUILD=build-asan MPI=0 CC="$(SAN_CC)" CFLAGS="$(SAN_FLAGS)" build-asan/libtakt.a
	$(SAN_CC) $(NOMPI_CFLAGS) $(SAN_FLAGS) tests/fuzz/replay.c build-asan/libtakt.a $(NOMPI_LIBS) \
	    -o build-asan/fuzz_replay
	$(SAN_ENV) build-asan/fuzz_replay tests/fuzz/corpus tests/fuzz/regressions

FORCE:
