# Tests. `make host-tests` builds the host unit tests; `make test` builds
# everything and runs every suite through tools/run-tests, which ends with
# one line "N passed, N failed".
#
# Host unit tests: tests/host/<path>_test.c #includes the source it tests and
# becomes build/tests/host/<path>_test, linked with tests/host/test_main.c,
# under ASan and UBSan.

HOST_CC := gcc
HOST_TEST_CFLAGS := -std=c11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Wall -Wextra -Werror -Ikernel/include -Iuser/include -Iuser/lib/include -Iuser/proc -Itests/host \
	-MMD -MP

HOST_TEST_SRC := $(shell find tests/host -name '*_test.c' 2>/dev/null | sort)
HOST_TEST_BIN := $(patsubst tests/host/%.c,$(BUILD)/tests/host/%,$(HOST_TEST_SRC))
HOST_TEST_MAIN := $(BUILD)/tests/host/test_main.o

# Keep the objects: their .d files track the sources each test includes.
.PRECIOUS: $(BUILD)/tests/host/%.o

$(BUILD)/tests/host/%.o: tests/host/%.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(HOST_CC) $(HOST_TEST_CFLAGS) -c $< -o $@

$(BUILD)/tests/host/%_test: $(BUILD)/tests/host/%_test.o $(HOST_TEST_MAIN)
	@echo "  HOSTLD  $@"
	@$(HOST_CC) $(HOST_TEST_CFLAGS) $^ -o $@

# Suites that boot the kernel or the whole system: executable scripts that
# print PASS/FAIL lines themselves.
SYSTEM_TEST_SCRIPTS = $(shell find tests/kernel tests/system tests/linux -maxdepth 1 -name '*.sh' -perm -u=x \
	2>/dev/null | sort)

TEST_SUITES = format=tools/check-format \
	$(foreach t,$(HOST_TEST_BIN),host/$(patsubst $(BUILD)/tests/host/%_test,%,$(t))=$(t)) \
	$(foreach t,$(SYSTEM_TEST_SCRIPTS),$(basename $(patsubst tests/%,%,$(t)))=$(t))

# A suite still running after this long is killed and counted as failed;
# every boot in a suite has its own, much shorter, timeout.
TEST_SUITE_TIMEOUT := 900

.PHONY: host-tests test
host-tests: $(HOST_TEST_BIN)

test: kernel user host-tests
	@tools/deps test
	@tools/run-tests --timeout $(TEST_SUITE_TIMEOUT) $(TEST_SUITES)
