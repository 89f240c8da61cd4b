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
PKGS    := yaml-0.1 sqlite3
BUILD   ?= build
OPT     ?= -O2
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lyaml -lsqlite3)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
# MPI (distributed replications and sweeps) when Open MPI is installed;
# `make MPI=0` builds without it (the sanitizer and valgrind builds do).
MPI     ?= $(shell pkg-config --exists ompi-c 2>/dev/null && echo 1 || echo 0)
ifeq ($(MPI),1)
PKG_CFLAGS += $(shell pkg-config --cflags ompi-c) -DTAKT_HAVE_MPI
PKG_LIBS   += $(shell pkg-config --libs ompi-c)
endif
WARN    := -Wall -Wextra -Werror
CFLAGS  ?= $(OPT) -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Iinclude -Isrc
LDLIBS  = $(PKG_LIBS) -lm -lpthread

LIB_SRC := $(sort $(wildcard src/core/*.c src/model/*.c src/exp/*.c src/io/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/default_plant.o
TEST_MAIN := $(sort $(wildcard tests/unit/test_*.c tests/validation/test_*.c))
TEST_SUPPORT := $(filter-out $(TEST_MAIN),$(sort $(wildcard tests/unit/*.c tests/validation/*.c)))
TEST_BIN := $(TEST_MAIN:tests/%.c=$(BUILD)/tests/%)
TEST_SUPPORT_OBJ := $(TEST_SUPPORT:%.c=$(BUILD)/%.o)

.PHONY: all deps run test check-tests bench asan valgrind install clean fuzz

all: $(BUILD)/takt

deps:
	@sh scripts/install-deps

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libtakt.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/takt: $(CLI_OBJ) $(BUILD)/libtakt.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libtakt.a $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(TEST_SUPPORT_OBJ) $(BUILD)/libtakt.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(TEST_SUPPORT_OBJ) $(BUILD)/libtakt.a $(CMOCKA_LIBS) $(LDLIBS)

run: deps $(BUILD)/takt
	$(BUILD)/takt run scenarios/two-machines.yaml

test: deps
	@$(MAKE) --no-print-directory check-tests

check-tests: $(BUILD)/takt $(TEST_BIN)
	@sh tests/run-all.sh $(BUILD)

install: $(BUILD)/takt $(BUILD)/libtakt.a
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(BUILD)/takt $(DESTDIR)$(PREFIX)/bin/takt
	install -m 644 $(BUILD)/libtakt.a $(DESTDIR)$(PREFIX)/lib/libtakt.a
	install -m 644 include/takt.h $(DESTDIR)$(PREFIX)/include/takt.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(shell sed -n 's/^#define TAKT_VERSION "\(.*\)"/\1/p' include/takt.h)|g' \
	    takt.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/takt.pc

clean:
	rm -rf $(BUILD) build-asan

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# The default plant is compiled into the binary.
DEFAULT_PLANT ?= scenarios/two-machines.yaml
$(BUILD)/gen/default_plant.c: $(DEFAULT_PLANT) Makefile
	@mkdir -p $(dir $@)
	@{ echo '/* generated from $(DEFAULT_PLANT) */'; \
	   echo 'const char takt_default_plant_name[] = "$(DEFAULT_PLANT)";'; \
	   echo 'const unsigned char takt_default_plant[] = {'; \
	   od -An -v -tx1 $(DEFAULT_PLANT) | sed -e 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	   echo '0x00};'; \
	   echo "const unsigned int takt_default_plant_len = sizeof takt_default_plant - 1;"; } > $@
$(BUILD)/gen/default_plant.o: $(BUILD)/gen/default_plant.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@
