# chiso — plain Makefile. `make` builds build/chiso and build/libchiso.a;
# `make check` runs every test under ASan and UBSan; `make demo` runs the
# main job on the built-in synthetic demo.

CC      ?= cc
PREFIX  ?= /usr/local
PKGS    := sqlite3 jansson xlsxwriter expat libzip libutf8proc libmicrohttpd libcrypto zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
TEST_LIBS  := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN    := -std=c17 -Wall -Wextra -Werror -D_DEFAULT_SOURCE
CFLAGS_RELEASE := $(WARN) -O2 -g $(PKG_CFLAGS)
CFLAGS_ASAN    := $(WARN) -O1 -g -fno-omit-frame-pointer \
                  -fsanitize=address,undefined -fno-sanitize-recover=all $(PKG_CFLAGS)

LIB_SRC  := $(sort $(shell find src -name '*.c' -not -path 'src/cli/*'))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
# Data compiled into the binary (names are paths below data/).
EMBED_FILES := $(sort $(wildcard data/provinces/*.csv data/provinces/*.geojson \
                 data/methods/*.json data/plans/*.csv data/published/*.csv \
                 data/synth/*.csv data/synth/*.json))

B := build
GEN_EMBED := $(B)/gen/embedded.c
GEN_CMDS  := $(B)/gen/commands.inc

.PHONY: all check demo bench install clean check-reference compile-clang
all: $(B)/chiso $(B)/libchiso.a

# ---- generated sources -------------------------------------------------
$(B)/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -std=c17 -O1 -Wall -Wextra -Werror -o $@ $<

$(GEN_EMBED): $(B)/tools/embed $(EMBED_FILES) Makefile
	@mkdir -p $(@D)
	$(B)/tools/embed $@ data $(EMBED_FILES)

$(GEN_CMDS): $(CLI_SRC) Makefile
	@mkdir -p $(@D)
	grep -h '^CHISO_COMMAND(' $(wildcard src/cli/cmd_*.c) > $@.tmp && mv $@.tmp $@

# ---- two builds: release (build/obj) and sanitised (build/asan) ---------
define build_variant
$(1)/obj/%.o: %.c
	@mkdir -p $$(@D)
	$$(CC) $(2) -Isrc -I$(B)/gen -MMD -MP -c -o $$@ $$<
$(1)/obj/gen/embedded.o: $(GEN_EMBED)
	@mkdir -p $$(@D)
	$$(CC) $(2) -Isrc -c -o $$@ $$<
$(1)/libchiso.a: $(patsubst %.c,$(1)/obj/%.o,$(LIB_SRC)) $(1)/obj/gen/embedded.o
	@rm -f $$@
	ar rcs $$@ $$^
$(1)/chiso: $(patsubst %.c,$(1)/obj/%.o,$(CLI_SRC)) $(1)/libchiso.a
	$$(CC) $(2) -o $$@ $$(filter %.o,$$^) $(1)/libchiso.a $(PKG_LIBS)
endef
$(eval $(call build_variant,$(B),$(CFLAGS_RELEASE)))
$(eval $(call build_variant,$(B)/asan,$(CFLAGS_ASAN)))

$(patsubst %.c,$(B)/obj/%.o,$(CLI_SRC)) $(patsubst %.c,$(B)/asan/obj/%.o,$(CLI_SRC)): $(GEN_CMDS)

TEST_BINS := $(patsubst tests/%.c,$(B)/asan/tests/%,$(TEST_SRC))
$(B)/asan/tests/%: tests/%.c $(B)/asan/libchiso.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ASAN) -Isrc -Itests -o $@ $< $(B)/asan/libchiso.a $(PKG_LIBS) $(TEST_LIBS)

# ---- targets --------------------------------------------------------------
check: $(TEST_BINS) $(B)/asan/chiso $(B)/chiso compile-clang
	@tests/run.sh $(B)/asan

# Every library and CLI file must also compile cleanly with clang.
compile-clang: $(GEN_EMBED) $(GEN_CMDS)
	@if command -v clang >/dev/null 2>&1; then \
	  for f in $(LIB_SRC) $(CLI_SRC); do \
	    clang $(WARN) $(PKG_CFLAGS) -Isrc -I$(B)/gen -fsyntax-only $$f || exit 1; \
	  done; echo "clang: all sources compile with -Wall -Wextra -Werror"; \
	else echo "clang: not installed, skipped"; fi

demo: $(B)/chiso
	@if $(B)/chiso demo --help >/dev/null 2>&1; then \
	  $(B)/chiso demo --out $(B)/demo; \
	else \
	  echo "== Units in force in 2024 (63 provinces) =="; $(B)/chiso provinces --year 2024; \
	  echo; echo "== Units in force in 2025 (34 units) =="; $(B)/chiso provinces --year 2025; \
	fi

bench: $(B)/chiso
	@if [ -x bench/run.sh ]; then bench/run.sh $(B)/chiso; else echo "no benchmarks yet"; fi

check-reference:
	@if command -v Rscript >/dev/null 2>&1 && [ -x tests/reference/make-reference.sh ]; then \
	  tests/reference/make-reference.sh; else echo "R not installed: using committed reference outputs"; fi

install: $(B)/chiso $(B)/libchiso.a
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/chiso
	install -m 755 $(B)/chiso $(DESTDIR)$(PREFIX)/bin/chiso
	install -m 644 $(B)/libchiso.a $(DESTDIR)$(PREFIX)/lib/libchiso.a
	install -m 644 $(shell find src -maxdepth 1 -name '*.h') $(DESTDIR)$(PREFIX)/include/chiso/

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
