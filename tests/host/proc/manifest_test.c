/*
 * The boot manifest parser: a full manifest, every error with the message
 * it must give, argument quoting and every limit at and one past its value.
 * The text is parsed from a heap copy without a NUL after it, so
 * AddressSanitizer catches a read past len.
 */
#include <stdint.h>
#include <string.h>

#include "test.h"

#include "../../../user/proc/manifest.c"

static manifest_t m;
static char err[160];

static int parse(const char *text)
{
	size_t len = strlen(text);
	char *copy = malloc(len ? len : 1);
	memcpy(copy, text, len);
	memset(err, 'X', sizeof(err) - 1);
	err[sizeof(err) - 1] = '\0';
	int r = manifest_parse(copy, len, &m, err, sizeof(err));
	free(copy);
	return r;
}

/* Fails the test, showing the message, unless text fails with want in it. */
static void check_error(const char *text, const char *want)
{
	int r = parse(text);
	if (r != -1 || !strstr(err, want)) {
		if (!host_test_failed_now)
			printf("FAIL %s: wanted an error with \"%s\", got %d \"%s\" for:\n%s\n",
			       current_test_name, want, r, err, text);
		host_test_failed_now = 1;
	}
}

static void check_ok(const char *text)
{
	if (parse(text) != 0 && !host_test_failed_now) {
		printf("FAIL %s: \"%s\" for:\n%s\n", current_test_name, err, text);
		host_test_failed_now = 1;
	}
}

static const char full[] = "# The boot services.\n"
			   "\n"
			   "service uart0\n"
			   "    binary /boot/uart16550\n"
			   "    args -v \"two words\" --port=0x3f8\n"
			   "    priority 200\n"
			   "    ioports 0x3f8-0x3ff\n"
			   "    ioports 0x2f8-0x2ff\n"
			   "    irq 4\n"
			   "    irq 3\n"
			   "    mmio 0xfebc0000-0xfebc0fff\n"
			   "    prefix /dev/uart0\n"
			   "    prefix /dev/console\n"
			   "    restart always\n"
			   "  # an indented comment\n"
			   "\t\n"
			   "service ramfs\r\n"
			   "\tbinary\tboot/ramfs\r\n"
			   "\t  prefix /\r\n"
			   "\tarchive read-only\r\n"
			   "\trestart on-failure"; /* no newline at the end */

TEST(manifest_parses_two_services)
{
	check_ok(full);
	CHECK_EQ(m.count, 2);
	const manifest_service_t *u = &m.services[0], *r = &m.services[1];
	CHECK(strcmp(u->name, "uart0") == 0);
	CHECK(strcmp(u->binary, "/boot/uart16550") == 0);
	CHECK_EQ(u->line, 3);
	CHECK_EQ(u->argc, 3);
	CHECK(strcmp(manifest_arg(u, 0), "-v") == 0);
	CHECK(strcmp(manifest_arg(u, 1), "two words") == 0);
	CHECK(strcmp(manifest_arg(u, 2), "--port=0x3f8") == 0);
	CHECK_EQ(u->priority, 200);
	CHECK_EQ(u->nioports, 2);
	CHECK_EQ(u->ioports[0].first, 0x3f8);
	CHECK_EQ(u->ioports[0].last, 0x3ff);
	CHECK_EQ(u->ioports[1].first, 0x2f8);
	CHECK_EQ(u->nirqs, 2);
	CHECK_EQ(u->irqs[0], 4);
	CHECK_EQ(u->irqs[1], 3);
	CHECK_EQ(u->nmmio, 1);
	CHECK_EQ(u->mmio[0].first, 0xfebc0000);
	CHECK_EQ(u->mmio[0].last, 0xfebc0fff);
	CHECK_EQ(u->nprefixes, 2);
	CHECK(strcmp(u->prefixes[0], "/dev/uart0") == 0);
	CHECK(strcmp(u->prefixes[1], "/dev/console") == 0);
	CHECK_EQ(u->restart, MANIFEST_RESTART_ALWAYS);
	CHECK(!u->archive);

	CHECK(strcmp(r->name, "ramfs") == 0);
	CHECK(strcmp(r->binary, "boot/ramfs") == 0);
	CHECK_EQ(r->line, 17);
	CHECK_EQ(r->argc, 0);
	CHECK_EQ(r->priority, MANIFEST_PRIORITY_DEFAULT);
	CHECK_EQ(r->nioports + r->nirqs + r->nmmio, 0);
	CHECK_EQ(r->nprefixes, 1);
	CHECK(strcmp(r->prefixes[0], "/") == 0);
	CHECK_EQ(r->restart, MANIFEST_RESTART_ON_FAILURE);
	CHECK(r->archive);

	CHECK(manifest_find(&m, "ramfs") == r);
	CHECK(manifest_find(&m, "uart") == NULL);
}

TEST(manifest_defaults_and_empty_text)
{
	check_ok("service a\n binary a\n");
	CHECK_EQ(m.count, 1);
	CHECK_EQ(m.services[0].priority, 100);
	CHECK_EQ(m.services[0].restart, MANIFEST_RESTART_NEVER);
	check_ok("");
	CHECK_EQ(m.count, 0);
	check_ok("# nothing but comments\n\n   \n#service x\n");
	CHECK_EQ(m.count, 0);
	check_ok("service a\n binary a\n restart never\n ioports 0x60\n ioports 100-100\n");
	CHECK_EQ(m.services[0].restart, MANIFEST_RESTART_NEVER);
	CHECK_EQ(m.services[0].ioports[0].first, 0x60);
	CHECK_EQ(m.services[0].ioports[0].last, 0x60);
	CHECK_EQ(m.services[0].ioports[1].first, 100);
	check_ok("service a\n binary a\n priority 0\n irq 0\n irq 63\n ioports 0-0xffff\n");
	check_ok("service a\n binary a\n priority 0xff\n mmio 0x0-0xfff\n");
	CHECK_EQ(m.services[0].priority, 255);
	check_ok("service a\n binary a\n mmio 0xFFFFFFFFFF000-0xFFFFFFFFFFFFF\n");
}

TEST(manifest_args_follow_shell_quoting)
{
	check_ok("service a\n binary /boot/a\n"
	         " args  plain \"two words\" mid\"dle quo\"ted \"q\\\"uote\" \"back\\\\slash\" "
	         "\"\" a\\b \"tab\there\"   \n");
	const manifest_service_t *s = &m.services[0];
	const char *want[] = {"plain",       "two words", "middle quoted", "q\"uote",
	                      "back\\slash", "",          "a\\b",          "tab\there"};
	CHECK_EQ(s->argc, sizeof(want) / sizeof(want[0]));
	for (unsigned i = 0; i < s->argc && i < sizeof(want) / sizeof(want[0]); i++)
		CHECK(strcmp(manifest_arg(s, i), want[i]) == 0);
	/* Quotes work in any value, not only args. */
	check_ok("service a\n binary \"/boot/my driver\"\n prefix \"/dev/a b\"\n");
	CHECK(strcmp(m.services[0].binary, "/boot/my driver") == 0);
	CHECK(strcmp(m.services[0].prefixes[0], "/dev/a b") == 0);
}

TEST(manifest_pack_argv_puts_the_binary_first)
{
	check_ok("service a\n binary /boot/a\n args -x \"y z\" \"\"\n");
	char buf[64];
	static const char want[] = "/boot/a\0-x\0y z\0"; /* and the empty arg's NUL */
	int n = manifest_pack_argv(&m.services[0], buf, sizeof(buf));
	CHECK_EQ(n, sizeof(want));
	CHECK(memcmp(buf, want, sizeof(want)) == 0);
	CHECK_EQ(manifest_pack_argv(&m.services[0], buf, sizeof(want)), sizeof(want));
	CHECK_EQ(manifest_pack_argv(&m.services[0], buf, sizeof(want) - 1), -1);
	CHECK_EQ(manifest_pack_argv(&m.services[0], buf, 3), -1);
	CHECK_EQ(manifest_pack_argv(&m.services[0], buf, 0), -1);
	check_ok("service a\n binary /b\n");
	CHECK_EQ(manifest_pack_argv(&m.services[0], buf, 3), 3);
	CHECK(memcmp(buf, "/b", 3) == 0);
}

TEST(manifest_errors_name_the_line_and_the_problem)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"service a\n binary a\n colour red\n", "line 3: unknown key 'colour'"},
		{"service a\n binary a\nservice a\n binary b\n",
	         "line 3: duplicate service 'a' (first on line 1)"},
		{"service a\n priority 3\n", "line 1: service 'a' has no binary"},
		{"service a\n priority 3\nservice b\n binary b\n",
	         "line 1: service 'a' has no binary"},
		{"# x\n  binary /boot/a\nservice a\n binary a\n",
	         "line 2: 'binary' is outside a service block"},
		{"service a\nbinary a\n", "line 2: 'binary' must be indented under a service line"},
		{"service a\n binary a\nservices b\n",
	         "line 3: expected 'service NAME', found 'services'"},
		{"service a\n binary a\n  service b\n",
	         "line 3: 'service' must start at the beginning"},
		{"service a\n binary a\n priority 300\n",
	         "line 3: priority 300 is out of range (0-255)"},
		{"service a\n binary a\n priority 0x100\n",
	         "line 3: priority 0x100 is out of range"},
		{"service a\n binary a\n priority 99999999999999999999999\n",
	         "is out of range (0-255)"},
		{"service a\n binary a\n priority -1\n", "line 3: priority '-1' is not a number"},
		{"service a\n binary a\n priority high\n",
	         "line 3: priority 'high' is not a number"},
		{"service a\n binary a\n priority 0x\n", "priority '0x' is not a number"},
		{"service a\n binary a\n priority\n", "line 3: priority needs a value"},
		{"service a\n binary a\n priority 1 2\n",
	         "line 3: unexpected '2' after the priority value"},
		{"service a\n binary a\n restart always # comment\n",
	         "line 3: unexpected '#' after the restart value"},
		{"service a extra\n binary a\n",
	         "line 1: unexpected 'extra' after the service name"},
		{"service\n binary a\n", "line 1: service needs a name"},
		{"service \"\"\n binary a\n", "line 1: service name is empty"},
		{"service a/b\n binary a\n",
	         "line 1: service name 'a/b' has a character other than"},
		{"service a\n binary a\n binary b\n",
	         "line 3: binary is given twice in service 'a'"},
		{"service a\n binary a\n args x\n args y\n", "line 4: args is given twice"},
		{"service a\n binary a\n restart always\n restart never\n",
	         "restart is given twice"},
		{"service a\n binary a\n priority 1\n priority 2\n", "priority is given twice"},
		{"service a\n binary \"\"\n", "line 2: binary is empty"},
		{"service a\n binary\n", "line 2: binary needs a value"},
		{"service a\n binary a\n args\n", "line 3: args needs a value"},
		{"service a\n binary a\n args \"open\n", "line 3: unterminated quote"},
		{"service a\n binary a\n args \"open\\\"\n", "line 3: unterminated quote"},
		{"service a\n binary \"a\n", "line 2: unterminated quote"},
		{"service a\n binary a\n ioports 0x3ff-0x3f8\n",
	         "line 3: ioports 0x3ff-0x3f8: the first port is above the last"},
		{"service a\n binary a\n ioports 0x3f8-0x10000\n",
	         "line 3: ioports 0x3f8-0x10000 is out of range (0-0xffff)"},
		{"service a\n binary a\n ioports 0x3f8-\n",
	         "line 3: ioports '0x3f8-' is not a port range"},
		{"service a\n binary a\n ioports -5\n", "ioports '-5' is not a port range"},
		{"service a\n binary a\n ioports 1-2-3\n", "ioports '1-2-3' is not a port range"},
		{"service a\n binary a\n irq 64\n", "line 3: irq 64 is out of range (0-63)"},
		{"service a\n binary a\n irq four\n", "line 3: irq 'four' is not a number"},
		{"service a\n binary a\n irq 4\n irq 0x4\n", "line 4: irq 0x4 is given twice"},
		{"service a\n binary a\n mmio 0xfebc0010-0xfebc0fff\n",
	         "line 3: mmio 0xfebc0010-0xfebc0fff: the start is not page-aligned"},
		{"service a\n binary a\n mmio 0xfebc0000-0xfebc001f\n",
	         "line 3: mmio 0xfebc0000-0xfebc001f: the end is not the last byte of a page"},
		{"service a\n binary a\n mmio 4096-8191\n",
	         "line 3: mmio '4096-8191' is not a hex"},
		{"service a\n binary a\n mmio 0x2000-0x0fff\n",
	         "the first address is above the last"},
		{"service a\n binary a\n mmio 0x1000\n",
	         "mmio '0x1000' is not a hex address range"},
		{"service a\n binary a\n mmio 0x0-0x10000000000fff\n",
	         "is out of range (below 2^52)"},
		{"service a\n binary a\n prefix dev/uart0\n",
	         "line 3: prefix 'dev/uart0' does not start with '/'"},
		{"service a\n binary a\n prefix /x\n prefix /x\n",
	         "line 4: prefix /x is given twice"},
		{"service a\n binary a\n restart sometimes\n",
	         "line 3: restart 'sometimes' is not always, on-failure or never"},
		{"service a\n binary a\n archive read-write\n",
	         "line 3: archive 'read-write' is not read-only"},
		{"service a\n binary a\n archive\n", "line 3: archive needs a value"},
		{"service a\n binary a\n archive read-only\n archive read-only\n",
	         "line 4: archive is given twice in service 'a'"},
		{"service a\n binary a\n args a\001b\n", "line 3: control character 0x01"},
		{"service a\n binary a\r\r\n", "line 2: control character 0x0d"},
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_error(cases[i].text, cases[i].want);
}

TEST(manifest_nul_byte_inside_the_text_is_an_error)
{
	static const char text[] = "service a\n binary a\n\0 priority 3\n";
	char *copy = malloc(sizeof(text) - 1);
	memcpy(copy, text, sizeof(text) - 1);
	CHECK_EQ(manifest_parse(copy, sizeof(text) - 1, &m, err, sizeof(err)), -1);
	CHECK(strstr(err, "line 3: control character 0x00") != NULL);
	free(copy);
}

/* Appends to a text buffer. */
static void cat(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);
	snprintf(buf + n, size - n, "%s", s);
}

/* "service a" and a binary, then count lines of "line_fmt" with %u = 0, 1, ... */
static const char *repeat(const char *line_fmt, unsigned count)
{
	static char text[8192];
	snprintf(text, sizeof(text), "service a\n binary /boot/a\n");
	for (unsigned i = 0; i < count; i++) {
		char line[128];
		snprintf(line, sizeof(line), line_fmt, i, i);
		cat(text, sizeof(text), line);
	}
	return text;
}

TEST(manifest_limits_hold_at_and_one_past_each_maximum)
{
	static char text[8192];
	text[0] = '\0';
	for (unsigned i = 0; i < MANIFEST_MAX_SERVICES; i++) {
		char line[64];
		snprintf(line, sizeof(line), "service s%u\n binary /boot/s\n", i);
		cat(text, sizeof(text), line);
	}
	check_ok(text);
	CHECK_EQ(m.count, MANIFEST_MAX_SERVICES);
	cat(text, sizeof(text), "service one-more\n binary /boot/s\n");
	check_error(text, "line 33: more than 16 services");

	check_ok(repeat(" ioports %u-%u\n", MANIFEST_MAX_IOPORTS));
	CHECK_EQ(m.services[0].nioports, MANIFEST_MAX_IOPORTS);
	check_error(repeat(" ioports %u-%u\n", MANIFEST_MAX_IOPORTS + 1),
	            "line 11: more than 8 ioports ranges");
	check_ok(repeat(" irq %u\n", MANIFEST_MAX_IRQS));
	check_error(repeat(" irq %u\n", MANIFEST_MAX_IRQS + 1), "line 7: more than 4 irqs");
	check_ok(repeat(" mmio 0x%u000-0x%ufff\n", MANIFEST_MAX_MMIO));
	CHECK_EQ(m.services[0].mmio[3].first, 0x3000);
	check_error(repeat(" mmio 0x%u000-0x%ufff\n", MANIFEST_MAX_MMIO + 1),
	            "line 7: more than 4 mmio ranges");
	check_ok(repeat(" prefix /dev/p%u\n", MANIFEST_MAX_PREFIXES));
	check_error(repeat(" prefix /dev/p%u\n", MANIFEST_MAX_PREFIXES + 1),
	            "line 7: more than 4 prefixes");
}

TEST(manifest_limits_on_args_names_and_paths)
{
	static char text[2048], word[600];
	/* 16 args fit, 17 do not. */
	snprintf(text, sizeof(text), "service a\n binary a\n args");
	for (unsigned i = 0; i < MANIFEST_MAX_ARGS; i++)
		cat(text, sizeof(text), " x");
	check_ok(text);
	CHECK_EQ(m.services[0].argc, MANIFEST_MAX_ARGS);
	cat(text, sizeof(text), " x");
	check_error(text, "line 3: more than 16 args");

	/* 512 bytes with the NULs: args of 255, 254 and 0 characters. */
	static char w255[256], w254[255];
	memset(w255, 'w', 255);
	memset(w254, 'w', 254);
	snprintf(text, sizeof(text), "service a\n binary a\n args %s %s \"\"\n", w255, w254);
	check_ok(text);
	CHECK_EQ(m.services[0].args_len, MANIFEST_ARG_BYTES);
	char argv[MANIFEST_PATH_MAX + 1 + MANIFEST_ARG_BYTES];
	CHECK_EQ(manifest_pack_argv(&m.services[0], argv, sizeof(argv)), 2 + 512);
	CHECK_EQ(manifest_pack_argv(&m.services[0], argv, 2 + 511), -1);
	snprintf(text, sizeof(text), "service a\n binary a\n args %s %s \"\" \"\"\n", w255, w254);
	check_error(text, "line 3: args are longer than 512 bytes");
	snprintf(text, sizeof(text), "service a\n binary a\n args %s %s \"\"\n", w255, w255);
	check_error(text, "line 3: args are longer than 512 bytes");
	memset(word, 'w', 600);
	word[599] = '\0';
	snprintf(text, sizeof(text), "service a\n binary a\n args %s\n", word);
	check_error(text, "line 3: args are longer than 512 bytes");

	/* Names: 31 characters fit, 32 do not. */
	memset(word, 'n', 31);
	word[31] = '\0';
	snprintf(text, sizeof(text), "service %s\n binary a\n", word);
	check_ok(text);
	CHECK(strcmp(m.services[0].name, word) == 0);
	snprintf(text, sizeof(text), "service %sn\n binary a\n", word);
	check_error(text, "line 1: service name is longer than 31 characters");

	/* Paths: 63 characters fit, 64 do not. */
	memset(word, 'p', 63);
	word[0] = '/';
	word[63] = '\0';
	snprintf(text, sizeof(text), "service a\n binary %s\n prefix %s\n", word, word);
	check_ok(text);
	CHECK(strcmp(m.services[0].binary, word) == 0);
	CHECK(strcmp(m.services[0].prefixes[0], word) == 0);
	snprintf(text, sizeof(text), "service a\n binary %sp\n", word);
	check_error(text, "line 2: binary value is longer than 63 characters");
	snprintf(text, sizeof(text), "service a\n binary a\n prefix %sp\n", word);
	check_error(text, "line 3: prefix value is longer than 63 characters");
}

TEST(manifest_error_message_fits_any_buffer)
{
	static const char text[] = "service a\n binary a\n priority 300\n";
	char small[12];
	memset(small, 'X', sizeof(small));
	CHECK_EQ(manifest_parse(text, sizeof(text) - 1, &m, small, sizeof(small)), -1);
	CHECK(strcmp(small, "line 3: pri") == 0);
	memset(small, 'X', sizeof(small));
	CHECK_EQ(manifest_parse(text, sizeof(text) - 1, &m, small, 5), -1);
	CHECK(strcmp(small, "line") == 0);
	CHECK_EQ(small[5], 'X');
	CHECK_EQ(manifest_parse(text, sizeof(text) - 1, &m, NULL, 0), -1);
	CHECK_EQ(manifest_parse(text, 20, &m, NULL, 0), 0); /* only the first two lines */
}
