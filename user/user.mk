# Native user programs: the runtime library and the programs built on it.

USER_CFLAGS := -std=c11 -O2 -g $(WARN) -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -Iuser/include -Iuser/lib/include -MMD -MP
USER_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -z noexecstack

USER_LIB_SRC := $(shell find user/lib -name '*.c' -o -name '*.S' | sort)
USER_LIB_OBJ := $(patsubst %,$(BUILD)/%.o,$(USER_LIB_SRC))
USER_CRT0 := $(BUILD)/user/lib/crt0.S.o

$(BUILD)/user/%.c.o: user/%.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/user/%.S.o: user/%.S
	@mkdir -p $(dir $@)
	@echo "  AS  $<"
	@$(CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/libatoll.a: $(filter-out $(USER_CRT0),$(USER_LIB_OBJ))
	@rm -f $@
	@ar rcs $@ $^

# A native program: $(call native_program,NAME,SOURCE_DIR)
define native_program
$(BUILD)/$(1).elf: $(patsubst %,$(BUILD)/%.o,$(wildcard $(2)/*.c)) $(USER_CRT0) $(BUILD)/libatoll.a
	@echo "  LD  $$@"
	@$(CC) $(USER_LDFLAGS) -o $$@ $(USER_CRT0) $(patsubst %,$(BUILD)/%.o,$(wildcard $(2)/*.c)) $(BUILD)/libatoll.a -lgcc
USER_PROGRAMS += $(BUILD)/$(1).elf
endef

$(BUILD)/tests/%.c.o: tests/%.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/bench/%.c.o: bench/%.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(USER_CFLAGS) -c $< -o $@

$(eval $(call native_program,ktest,tests/kernel/ktest))
$(eval $(call native_program,fuzz,tests/kernel/fuzz))
$(eval $(call native_program,bootcheck,tests/kernel/bootcheck))
$(eval $(call native_program,proc,user/proc))
$(eval $(call native_program,procprobe,tests/system/procprobe))
$(eval $(call native_program,flood,tests/system/flood))
$(eval $(call native_program,uartkill,tests/system/uartkill))
$(eval $(call native_program,monitor,user/monitor))
$(eval $(call native_program,uart16550,user/drivers/uart16550))
$(eval $(call native_program,linux,user/linux))
$(eval $(call native_program,uarttest,tests/kernel/uarttest))
$(eval $(call native_program,bench,bench/atoll))
$(eval $(call native_program,procbench,bench/proc))

user: $(USER_PROGRAMS)
