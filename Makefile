# Atoll build. `make` builds the kernel and the boot modules into build/;
# `make run` boots it; `make test` runs every test; `make bench` the benchmarks.

BUILD := build
CC := gcc
OBJCOPY := objcopy

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
KERNEL_CFLAGS := -std=c11 -O2 -g $(WARN) -ffreestanding -fno-pic -fno-pie -mcmodel=kernel \
	-mno-red-zone -mgeneral-regs-only -fno-omit-frame-pointer -fstack-protector-strong -mstack-protector-guard=global \
	-fno-strict-aliasing -fno-common -fno-asynchronous-unwind-tables \
	-Ikernel/include -Iuser/include -MMD -MP
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack -no-pie -Wl,--build-id=none

KERNEL_SRC := $(shell find kernel -name '*.c' -o -name '*.S' | sort)
KERNEL_OBJ := $(patsubst %,$(BUILD)/%.o,$(KERNEL_SRC))

.PHONY: all kernel user run test bench clean format check-format
all: kernel user

kernel: $(BUILD)/atoll.elf

$(BUILD)/kernel/%.c.o: kernel/%.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel/%.S.o: kernel/%.S
	@mkdir -p $(dir $@)
	@echo "  AS  $<"
	@$(CC) $(KERNEL_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

# Link, then write the final symbol table into the space reserved for it.
$(BUILD)/atoll.elf: $(KERNEL_OBJ) kernel/arch/x86_64/kernel.ld tools/ksyms
	$(CC) $(KERNEL_LDFLAGS) -T kernel/arch/x86_64/kernel.ld -o $@.tmp $(KERNEL_OBJ)
	python3 tools/ksyms $@.tmp
	mv $@.tmp $@

include user/user.mk
include tests/tests.mk

# Build and boot the system, console on this terminal (tools/atoll builds first).
run:
	@tools/deps run
	@tools/atoll run

# The side-by-side benchmark tables (docs/performance.md); tools/bench builds first.
bench:
	@tools/deps bench
	@tools/bench
	@tools/boot-time

clean:
	rm -rf $(BUILD)

FORMAT_FILES = $(shell git ls-files '*.c' '*.h')
format:
	clang-format -i $(FORMAT_FILES)
check-format:
	tools/check-format

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
