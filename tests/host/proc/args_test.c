/* Packed argument strings: lists ended by an empty string, and the counted
 * lists of Linux programs, whose strings may be empty. */
#include <string.h>

#include "../../../user/proc/args.c"
#include "test.h"

static args_t a;

TEST(args_split_reads_path_argv_envp)
{
	static const char p[] = "/bin/x\0x\0-v\0\0A=1\0";
	CHECK(args_split(p, sizeof(p), &a));
	CHECK_EQ(a.argc, 2);
	CHECK_EQ(a.envc, 1);
	CHECK(strcmp(a.argv[1], "-v") == 0 && strcmp(a.envp[0], "A=1") == 0);
}

TEST(args_split_counted_keeps_empty_strings)
{
	static const char p[] = "/bin/x\0x\0\0y\0\0E=\0";
	CHECK(args_split_counted(p, sizeof(p) - 1, 4, 1, &a));
	CHECK_EQ(a.argc, 4);
	CHECK(strcmp(a.argv[1], "") == 0 && strcmp(a.argv[2], "y") == 0);
	CHECK(strcmp(a.argv[3], "") == 0 && strcmp(a.envp[0], "E=") == 0);
}

TEST(args_split_counted_refuses_wrong_counts)
{
	static const char p[] = "/bin/x\0x\0y\0";
	CHECK(args_split_counted(p, sizeof(p) - 1, 2, 0, &a));
	CHECK(!args_split_counted(p, sizeof(p) - 1, 3, 0, &a)); /* fewer strings */
	CHECK(!args_split_counted(p, sizeof(p) - 1, 1, 0, &a)); /* bytes left over */
	CHECK(!args_split_counted(p, sizeof(p) - 2, 2, 0, &a)); /* no NUL at the end */
	CHECK(!args_split_counted(p, sizeof(p) - 1, ARGS_MAX_STRINGS + 1, 0, &a));
	CHECK(!args_split_counted("\0x\0", 3, 1, 0, &a)); /* empty path */
}
