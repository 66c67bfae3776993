# SPDX-License-Identifier: GPL-2.0
#
# kipsec: make              module (stock Debian kernel) + userspace tools
#         make check        every test layer (installs what it needs)
#         make demo         the main job in QEMU
# See README.md.

KVER ?= $(shell scripts/kver.sh)
KDIR ?= /usr/src/linux-headers-$(KVER)
# Debian's headers build with gcc-12 (their .kernelvariables).
KCC ?= gcc-12

CC ?= gcc
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror -MMD -MP -Iuapi
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/sbin

NL_SRCS := tools/nl.c tools/info.c tools/json.c
# Every tools/*.c is part of the CLI; all but its main() are unit-testable.
TOOL_SRCS := $(wildcard tools/*.c)
TOOL_LIB_SRCS := $(filter-out tools/kipsec.c,$(TOOL_SRCS))
# The daemon: all of ikehelper/; everything but main.c is unit-testable.
IKE_LIB_SRCS := $(filter-out ikehelper/main.c,$(wildcard ikehelper/*.c))
IKED_SRCS := ikehelper/main.c $(IKE_LIB_SRCS) $(TOOL_LIB_SRCS)
UNIT_TESTS := $(patsubst %.c,build/unit/%,$(notdir $(wildcard tests/unit/test_*.c)))

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) CC=$(KCC) modules

tools: tools/kipsec ikehelper/kipsec-iked

tools/kipsec: $(TOOL_SRCS:.c=.o)
	$(CC) $(CFLAGS) -o $@ $^ -lmnl

ikehelper/kipsec-iked: $(IKED_SRCS:.c=.o)
	$(CC) $(CFLAGS) -o $@ $^ -lmnl -lcrypto -lpcap

# Programs the in-VM tests run (tests/vm/t/*.sh), built on the host.
vmtools: build/vm/nl_badinput build/bench/sa_flood

build/bench/sa_flood: tests/bench/sa_flood.c tools/nl.c tools/nl.h uapi/linux/kipsec.h
	@mkdir -p build/bench
	$(CC) $(filter-out -MMD -MP,$(CFLAGS)) -Itools -o $@ tests/bench/sa_flood.c tools/nl.c -lmnl

# The data-path benchmark (not a test: it prints figures, see tests/bench/).
bench: deps all vmtools
	tests/bench/bench.sh

# Where the 64-byte path spends its guest instructions, per stack, counted
# by a QEMU TCG plugin (a profile, not a test).
build/bench/tcgprof.so: tests/bench/tcgprof.c
	@mkdir -p build/bench
	$(CC) $(filter-out -MMD -MP,$(CFLAGS)) -shared -fPIC -o $@ $< -lpthread

prof: deps all vmtools build/bench/tcgprof.so
	tests/bench/prof.sh

# The IKEv1 negotiation benchmark, kipsec-iked vs charon (not a test either).
ike-bench: deps all vmtools
	tests/bench/ike-bench.sh

build/vm/nl_badinput: tests/vm/nl_badinput.c tools/nl.c tools/nl.h tools/nl_names.h uapi/linux/kipsec.h
	@mkdir -p build/vm
	$(CC) $(filter-out -MMD -MP,$(CFLAGS)) -Itools -o $@ tests/vm/nl_badinput.c tools/nl.c -lmnl


deps:
	scripts/install-deps.sh

gen:
	python3 uapi/gen.py

gen-check:
	python3 uapi/gen.py --check

# Host unit tests of the userspace code, built with ASan and UBSan.
# The library sources are compiled once (with the sanitizers) and linked
# into every test.
UNIT_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -g -O1 $(SAN) -Iuapi -Itools -Iikehelper
UNIT_LIB_OBJS := $(patsubst %.c,build/unit/obj/%.o,$(TOOL_LIB_SRCS) $(IKE_LIB_SRCS))

build/unit/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -MMD -MP -c -o $@ $<

build/unit/test_%: tests/unit/test_%.c $(UNIT_LIB_OBJS) tests/unit/tap.h tests/unit/ike_vectors.h
	@mkdir -p build/unit
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(UNIT_LIB_OBJS) -lmnl -lcrypto -lpcap

unit: $(UNIT_TESTS)
	@set -e; for t in $(UNIT_TESTS); do echo "# $$t"; $$t; done

# Fuzzers (libFuzzer, clang): kipsec-iked's network input (tests/fuzz/).
# The library sources are compiled again with the fuzzer's coverage
# instrumentation and ASan+UBSan; the seed generator is the same source
# built with its own main() instead of libFuzzer's.
FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -g -O1 $(SAN) -Iuapi -Itools -Iikehelper
FUZZ_LIB_OBJS := $(patsubst %.c,build/fuzz/obj/%.o,$(TOOL_LIB_SRCS) $(IKE_LIB_SRCS))

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

build/fuzz/fuzz_ike: tests/fuzz/fuzz_ike.c $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJS) -lmnl -lcrypto -lpcap

build/fuzz/fuzz_ike_seeds: tests/fuzz/fuzz_ike.c $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_SEEDS -o $@ $< $(FUZZ_LIB_OBJS) -lmnl -lcrypto -lpcap

fuzz: build/fuzz/fuzz_ike build/fuzz/fuzz_ike_seeds
	tests/fuzz/run.sh

# kipsec.ko for the debug kernel, and the KUnit module, each built in its own
# copy of the sources: an M= build writes its objects next to the sources,
# and objects for different kernels (or configs) must not mix.
DEBUG_KDIR = $(shell tests/vm/debug-kernel.sh)
KMOD_SRC := Kbuild $(wildcard kmod/*.c kmod/*.h) uapi/linux/kipsec.h $(wildcard tests/kunit/*.c)

define kmod_copy
	@rm -rf $(1) && mkdir -p $(1)
	cp --parents $(KMOD_SRC) $(1)/
endef

module-debug:
	$(call kmod_copy,build/debug)
	$(MAKE) -C $(DEBUG_KDIR) M=$(CURDIR)/build/debug modules

module-kunit:
	$(call kmod_copy,build/kunit)
	$(MAKE) -C $(DEBUG_KDIR) M=$(CURDIR)/build/kunit KIPSEC_KUNIT=y modules

# Kernel style: checkpatch (from Debian's kernel source) and sparse.
style:
	tests/style.sh

check: deps
	tests/check.sh

demo: deps
	tests/demo.sh

install: tools
	install -D -m 0755 tools/kipsec $(DESTDIR)$(BINDIR)/kipsec
	install -D -m 0755 ikehelper/kipsec-iked $(DESTDIR)$(BINDIR)/kipsec-iked
	install -D -m 0644 doc/kipsec.8 $(DESTDIR)$(PREFIX)/share/man/man8/kipsec.8
	install -D -m 0644 doc/kipsec-iked.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/kipsec-iked.conf.5
	install -D -m 0644 doc/kipsec-iked.8 $(DESTDIR)$(PREFIX)/share/man/man8/kipsec-iked.8

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf build tools/*.o tools/*.d ikehelper/*.o ikehelper/*.d tools/kipsec ikehelper/kipsec-iked

-include $(wildcard tools/*.d ikehelper/*.d build/unit/obj/*/*.d build/fuzz/obj/*/*.d)

.PHONY: bench prof ike-bench vmtools all module tools vmtools deps gen gen-check unit fuzz module-debug module-kunit style check demo install clean
