# libwasm — the one build.
#
#   make            library and tools into build/
#   make check      every test; ends with "N passed, M failed"
#   make check SANITIZE=1   the same, built with ASan + UBSan (in build/san)
#   make COUNT=1    a build that counts the interpreter's instructions
#                   (in build/count; see docs/PERFORMANCE.md)
#   make spec       the official spec suite (the submodule, or SPEC=DIR)
#   make bench      benchmarks against native code and peers
#   make demo       build and run the bundled example
#   make install PREFIX=/usr/local DESTDIR=

PREFIX ?= /usr/local
DESTDIR ?=
# The official suite: SPEC=DIR, else the submodule tests/spec/testsuite-2.0
# when populated, else ../shared/testsuite/wasm-2.0 (scripts/spec-suite).
SPEC ?=

CC ?= cc
ifeq ($(CC),cc)
CC := gcc
endif

ifeq ($(SANITIZE),1)
BUILD ?= build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT ?= -O1 -g
else ifeq ($(COUNT),1)
BUILD ?= build/count
SANFLAGS := -DWASM_COUNT_DISPATCH
OPT ?= -O2 -g
else
BUILD ?= build
SANFLAGS :=
OPT ?= -O2 -g
endif

WARN := -Wall -Wextra -Werror -Wno-unused-parameter
CFLAGS ?= $(OPT)
# -ffp-contract=off: a wasm multiply and add are two roundings, never a
# fused multiply-add, on every target.
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -ffp-contract=off -fPIC -fvisibility=hidden -Ilibwasm/include -MMD -MP
LDFLAGS ?=
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)
LDLIBS_BASE := -lm -lpthread

SOVERSION := 0
VERSION := $(shell sed -n 's/^#define LIBWASM_VERSION "\(.*\)"/\1/p' libwasm/include/libwasm.h)

LIB_SRCS := $(wildcard libwasm/src/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
WASI_SRCS := $(wildcard wasi/*.c)
WASI_OBJS := $(WASI_SRCS:%.c=$(BUILD)/obj/%.o)
BUNDLE_SRCS := $(wildcard bundle/*.c)
BUNDLE_OBJS := $(BUNDLE_SRCS:%.c=$(BUILD)/obj/%.o)
SPEC_SRCS := $(wildcard spec/*.c)
REPL_SRCS := $(wildcard repl/*.c)

LIBA := $(BUILD)/libwasm.a
LIBSO := $(BUILD)/libwasm.so.$(SOVERSION)
LIBWASI := $(BUILD)/libwasi.a
LIBBUNDLE := $(BUILD)/libbundle.a

# Tools: one main file each in tools/.
TOOL_NAMES := $(notdir $(basename $(wildcard tools/wasm-*.c)))
TOOLS := $(TOOL_NAMES:%=$(BUILD)/%)
ifneq ($(SPEC_SRCS),)
TOOLS += $(BUILD)/wasm-spec
endif
ifneq ($(REPL_SRCS),)
TOOLS += $(BUILD)/wasm-repl
endif

# Extra libraries per tool.
LIBS_wasm-opt := -lbinaryen
LIBS_wasm-pack := $(LIBBUNDLE) -lzstd
DEPS_wasm-pack := $(LIBBUNDLE)
LIBS_wasm-run := $(LIBWASI) $(LIBBUNDLE) -lzstd
DEPS_wasm-run := $(LIBWASI) $(LIBBUNDLE)

CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all lib tools check unit spec bench demo install uninstall clean deps fuzz

all: lib tools

lib: $(LIBA) $(LIBSO)

tools: $(TOOLS)

deps:
	@scripts/setup-deps

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# The interpreter's loop: every handler starts on a 32-byte boundary, so
# where the compiler happens to place one does not decide how fast it is
# fetched (docs/PERFORMANCE.md). Only where the compiler has the option.
INTERP_ALIGN := $(shell $(CC) -Werror -falign-labels=32 -x c -c -o /dev/null /dev/null 2>/dev/null && echo -falign-labels=32)
$(BUILD)/obj/libwasm/src/interp.o: ALL_CFLAGS += $(INTERP_ALIGN)

$(LIBA): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(LIBSO): $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,libwasm.so.$(SOVERSION) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS_BASE)
	ln -sf libwasm.so.$(SOVERSION) $(BUILD)/libwasm.so

$(LIBWASI): $(WASI_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(LIBBUNDLE): $(BUNDLE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# wasi/bundlefs.c shows a bundle as a file tree.
$(BUILD)/obj/wasi/%.o: ALL_CFLAGS += -Ibundle

.SECONDEXPANSION:
$(BUILD)/wasm-%: tools/wasm-%.c $(LIBA) $$(DEPS_wasm-%)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iwasi -Ibundle $(ALL_LDFLAGS) -o $@ $< $(LIBS_wasm-$*) $(LIBA) $(LDLIBS_BASE)

$(BUILD)/wasm-spec: $(SPEC_SRCS:%.c=$(BUILD)/obj/%.o) $(LIBA)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS_BASE)

$(BUILD)/wasm-repl: $(REPL_SRCS:%.c=$(BUILD)/obj/%.o) $(LIBWASI) $(LIBA)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(LIBWASI) $(LIBA) -lreadline $(LDLIBS_BASE)

$(BUILD)/obj/repl/%.o: ALL_CFLAGS += -Iwasi

# Unit tests may include the library's private headers.
$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h tests/unit/binbuild.h $(LIBWASI) $(LIBBUNDLE) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Ilibwasm/src -Iwasi -Ibundle -Itests/unit $(ALL_LDFLAGS) -o $@ $< $(LIBWASI) $(LIBBUNDLE) $(LIBA) $(CHECK_LIBS) -lzstd $(LDLIBS_BASE)

unit: $(UNIT_BINS)

check: deps all unit
	@BUILD=$(BUILD) SPEC=$(SPEC) SANITIZE=$(SANITIZE) tests/run-all

spec: $(BUILD)/wasm-spec
	@BUILD=$(BUILD) SPEC=$(SPEC) tests/tools/spec.sh

bench: deps all
	@BUILD=$(BUILD) bench/run

demo: deps all
	@BUILD=$(BUILD) examples/run-demo

fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run

# Man pages with the version filled in, so that `man $(BUILD)/man/wasm-run.1`
# works from the tree.  Bash and zsh completions go straight from
# completions/; fish completions are generated from each tool's option list
# (completions/options/TOOL, see completions/gen-fish).
MANS := $(patsubst man/%,$(BUILD)/man/%,$(wildcard man/*.1 man/*.3))
MANDIR := $(PREFIX)/share/man
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR := $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR := $(PREFIX)/share/fish/vendor_completions.d

FISH := $(patsubst %,$(BUILD)/completions/fish/%.fish,$(notdir $(TOOLS)))

all: $(MANS) $(FISH)

$(BUILD)/man/%: man/% libwasm/include/libwasm.h
	@mkdir -p $(dir $@)
	sed 's|@VERSION@|$(VERSION)|g' $< > $@

$(BUILD)/completions/fish/%.fish: completions/options/% completions/gen-fish \
		completions/fish/common.fish libwasm/include/libwasm.h \
		$$(wildcard completions/fish/$$*.extra.fish)
	@mkdir -p $(dir $@)
	completions/gen-fish $* $< libwasm/include/libwasm.h $(wildcard completions/fish/$*.extra.fish) > $@.tmp
	mv $@.tmp $@

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(TOOLS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(LIBA) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(LIBSO) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libwasm.so.$(SOVERSION) $(DESTDIR)$(PREFIX)/lib/libwasm.so
	install -m 644 libwasm/include/libwasm.h libwasm/include/libwasm-tools.h $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' libwasm/libwasm.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/libwasm.pc
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3
	install -m 644 $(filter %.1,$(MANS)) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(filter %.3,$(MANS)) $(DESTDIR)$(MANDIR)/man3/
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	for t in $(notdir $(TOOLS)); do \
	    install -m 644 completions/wasm.bash $(DESTDIR)$(BASHCOMPDIR)/$$t && \
	    install -m 644 completions/zsh/_$$t $(DESTDIR)$(ZSHCOMPDIR)/ && \
	    install -m 644 $(BUILD)/completions/fish/$$t.fish $(DESTDIR)$(FISHCOMPDIR)/ || exit 1; \
	done

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(notdir $(TOOLS)))
	rm -f $(DESTDIR)$(PREFIX)/lib/libwasm.a $(DESTDIR)$(PREFIX)/lib/libwasm.so \
	      $(DESTDIR)$(PREFIX)/lib/libwasm.so.$(SOVERSION) \
	      $(DESTDIR)$(PREFIX)/include/libwasm.h $(DESTDIR)$(PREFIX)/include/libwasm-tools.h \
	      $(DESTDIR)$(PREFIX)/lib/pkgconfig/libwasm.pc
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(filter %.1,$(MANS)))) \
	      $(addprefix $(DESTDIR)$(MANDIR)/man3/,$(notdir $(filter %.3,$(MANS))))
	rm -f $(foreach t,$(notdir $(TOOLS)),$(DESTDIR)$(BASHCOMPDIR)/$(t) \
	      $(DESTDIR)$(ZSHCOMPDIR)/_$(t) $(DESTDIR)$(FISHCOMPDIR)/$(t).fish)

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
