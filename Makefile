# sshbook: one non-recursive Makefile. `make run` and `make test` do everything
# on a fresh Debian machine: they install what is missing (scripts/deps.sh), build and go.

CC	?= cc
BUILD	?= build
PKGS	:= libssh ncursesw sqlite3 libsodium libcmark caca json-c
# Image codecs for media/: linked into the app and the tests, not into sshbookd.
IMAGE_PKGS := libturbojpeg libwebp
# The ffmpeg libraries: only in sshbook-video and the tests (about 30 ms of
# start-up for every process that links them; see media/video.h).
VIDEO_PKGS := libavformat libavcodec libavutil libswscale
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) $(IMAGE_PKGS) $(VIDEO_PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
IMAGE_LIBS = $(shell pkg-config --libs $(IMAGE_PKGS) 2>/dev/null) -lm
VIDEO_LIBS = $(shell pkg-config --libs $(VIDEO_PKGS) 2>/dev/null)
MEDIA_LIBS = $(IMAGE_LIBS) $(VIDEO_LIBS)
TEST_CFLAGS = $(shell pkg-config --cflags cmocka vterm 2>/dev/null)
TEST_LIBS   = $(shell pkg-config --libs cmocka vterm 2>/dev/null)

# `make V=1` shows the full command lines.
Q	:= $(if $(V),,@)

WARN	:= -Wall -Wextra -Wformat=2 -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Werror
SAN	?=
CFLAGS	?= -O2 -g
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE $(WARN) $(SAN) $(CFLAGS) -I. $(PKG_CFLAGS) -MMD -MP
LDFLAGS_ALL = $(SAN) $(LDFLAGS)

# One static library per folder, linked in dependency order so a wrong include fails the link.
MODULES := common storage media worker cli tui sshd-app
define module_vars
$(1)_SRC := $$(filter-out $(1)/main.c,$$(wildcard $(1)/*.c))
$(1)_OBJ := $$(patsubst %.c,$(BUILD)/%.o,$$($(1)_SRC))
$(BUILD)/lib$(1).a: $$($(1)_OBJ)
	@mkdir -p $$(@D)
	$(Q)rm -f $$@ && ar rcs $$@ $$^
endef
$(foreach m,$(MODULES),$(eval $(call module_vars,$(m))))

LIB_COMMON  := $(BUILD)/libcommon.a
LIB_STORAGE := $(BUILD)/libstorage.a
LIB_MEDIA   := $(BUILD)/libmedia.a
LIB_WORKER  := $(BUILD)/libworker.a
LIB_CLI     := $(BUILD)/libcli.a
LIB_TUI     := $(BUILD)/libtui.a
LIB_SSHD    := $(BUILD)/libsshd-app.a
APP_LIBS    := $(LIB_TUI) $(LIB_CLI) $(LIB_WORKER) $(LIB_MEDIA) $(LIB_STORAGE) $(LIB_COMMON)
ALL_LIBS    := $(LIB_SSHD) $(APP_LIBS)

PROGS := $(BUILD)/sshbookd $(BUILD)/sshbook $(BUILD)/sshbook-video

.PHONY: all deps run test unit e2e asan bench clean fuzz fuzz-replay fuzz-libfuzzer tests-build
all: deps $(PROGS)

deps:
	@./scripts/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/sshbookd: $(BUILD)/sshd-app/main.o $(LIB_SSHD) $(LIB_STORAGE) $(LIB_COMMON)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) -lutil

$(BUILD)/sshbook: $(BUILD)/tui/main.o $(APP_LIBS)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) $(IMAGE_LIBS)

$(BUILD)/sshbook-video: $(BUILD)/tools/sshbook-video.o $(LIB_MEDIA) $(LIB_COMMON)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(IMAGE_LIBS) $(VIDEO_LIBS)

# ---- tests ------------------------------------------------------------------
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRC))
E2E_SRC   := $(wildcard tests/e2e/test_*.c)
E2E_BIN   := $(patsubst tests/e2e/%.c,$(BUILD)/tests/e2e/%,$(E2E_SRC))
E2E_LIB_SRC := $(filter-out $(E2E_SRC),$(wildcard tests/e2e/*.c))
E2E_LIB_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(E2E_LIB_SRC))

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

# Helpers every unit test may use (tests/unit/*.c that are not test_*.c).
UNIT_LIB_SRC := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
UNIT_LIB_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(UNIT_LIB_SRC))

$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(UNIT_LIB_OBJ) $(ALL_LIBS)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $< $(UNIT_LIB_OBJ) $(ALL_LIBS) $(PKG_LIBS) $(MEDIA_LIBS) $(TEST_LIBS) -lutil

$(BUILD)/tests/e2e/%: $(BUILD)/tests/e2e/%.o $(E2E_LIB_OBJ) $(ALL_LIBS)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $< $(E2E_LIB_OBJ) $(ALL_LIBS) $(PKG_LIBS) $(MEDIA_LIBS) $(TEST_LIBS) -lutil

FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN  := $(patsubst tests/fuzz/%.c,$(BUILD)/tests/fuzz/%,$(FUZZ_SRC))

# The harnesses run in `make test` through the replay driver (seeds + fixed mutations).
$(BUILD)/tests/fuzz/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay.o $(ALL_LIBS)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $< $(BUILD)/tests/fuzz/replay.o $(ALL_LIBS) $(PKG_LIBS) $(MEDIA_LIBS) $(TEST_LIBS) -lutil

tests-build: $(PROGS) $(UNIT_BIN) $(E2E_BIN) $(FUZZ_BIN)

# `make fuzz`: coverage-guided fuzzing with clang's libFuzzer (scripts/deps.sh fuzz installs
# clang and its runtime; `make test` never needs them). Each harness runs FUZZ_SECONDS from its
# seeds and its corpus in tests/fuzz/corpus/NAME, then what it found that adds coverage is
# merged into that corpus (review and commit it; FUZZ_MERGE=0 leaves the tree alone).
# FUZZ_ONLY="sftp json" runs only those. scripts/fuzz.sh does the runs and prints the figures.
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRC))
FUZZ_ONLY    ?= $(FUZZ_NAMES)
FUZZ_SECONDS ?= 60
FUZZ_MAX_LEN ?= 4096
FUZZ_MERGE   ?= 1
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
		-fsanitize-ignorelist=$(CURDIR)/tests/fuzz/ubsan-ignore.txt

# A change of what the sanitizers leave out rebuilds the fuzz build's objects.
$(foreach m,$(MODULES),$(patsubst %.c,build-fuzz/%.o,$($(m)_SRC))): tests/fuzz/ubsan-ignore.txt

# The replay driver finds this tree's corpus wherever the binary is run from.
$(BUILD)/tests/fuzz/replay.o: ALL_CFLAGS += -DFUZZ_CORPUS_ROOT='"$(CURDIR)/tests/fuzz/corpus"'

build-fuzz/bin/fuzz_%: tests/fuzz/fuzz_%.c $(ALL_LIBS:$(BUILD)/%=build-fuzz/%)
	@mkdir -p $(@D)
	@$(if $(V),,echo "  FUZZ    $@")
	$(Q)clang -std=c17 -D_GNU_SOURCE $(WARN) -I. $(PKG_CFLAGS) -fsanitize=fuzzer $(FUZZ_SAN) -g -O1 -MMD -MP \
	    -o $@ $< $(ALL_LIBS:$(BUILD)/%=build-fuzz/%) $(PKG_LIBS) $(MEDIA_LIBS) -lutil

fuzz-replay: $(FUZZ_BIN)
	@:
fuzz-libfuzzer: $(patsubst %,build-fuzz/bin/fuzz_%,$(FUZZ_ONLY))
	@:

fuzz:
	@./scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory fuzz-replay
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
	    SAN="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" CFLAGS="-O1 -g" fuzz-libfuzzer
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_MAX_LEN=$(FUZZ_MAX_LEN) FUZZ_MERGE=$(FUZZ_MERGE) \
	    ./scripts/fuzz.sh $(BUILD) $(FUZZ_ONLY)

# `make test`: unit + end-to-end on the normal build, then the same under ASan/UBSan.
# The last line is "N passed, N failed".
test: deps
	@$(MAKE) --no-print-directory tests-build
	@$(MAKE) --no-print-directory BUILD=build-asan SAN="-fsanitize=address,undefined -fno-omit-frame-pointer" CFLAGS="-O1 -g" tests-build
	@./tests/run.sh build build-asan

unit: deps
	@$(MAKE) --no-print-directory tests-build
	@./tests/run.sh --unit-only build

e2e: deps
	@$(MAKE) --no-print-directory tests-build
	@./tests/run.sh --e2e-only build

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan SAN="-fsanitize=address,undefined -fno-omit-frame-pointer" CFLAGS="-O1 -g" tests-build
	@./tests/run.sh build-asan

run: all
	@mkdir -p var
	$(BUILD)/sshbookd -p 2222 -l 127.0.0.1 -d var

$(BUILD)/bench/%.o: bench/%.c
	@mkdir -p $(@D)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

$(BUILD)/bench/sshbook-bench: $(BUILD)/bench/bench.o $(BUILD)/bench/attack.o $(BUILD)/bench/util.o $(E2E_LIB_OBJ) $(ALL_LIBS)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) $(MEDIA_LIBS) $(TEST_LIBS) -lutil

# Storage benchmarks: the storage API alone on a generated database (storage/gen.c).
$(BUILD)/bench/sshbook-bench-storage: $(BUILD)/bench/storage_bench.o $(LIB_STORAGE) $(LIB_COMMON)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

# Media benchmarks: the pipeline and the TUI's drawing code called directly (no server).
$(BUILD)/bench/sshbook-bench-media: $(BUILD)/bench/media_bench.o $(BUILD)/tests/e2e/fixtures.o \
    $(BUILD)/tests/e2e/program.o $(ALL_LIBS)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) $(MEDIA_LIBS) $(TEST_LIBS) -lutil

bench: deps
	@$(MAKE) --no-print-directory $(PROGS) $(BUILD)/bench/sshbook-bench $(BUILD)/bench/sshbook-bench-storage $(BUILD)/bench/sshbook-bench-media
	@./bench/run.sh $(BUILD)

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
