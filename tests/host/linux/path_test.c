/* The Linux personality's path resolution: relative and absolute paths,
 * ".", "..", repeated and trailing slashes, and the length limit. */
#include "../../../user/linux/path.c"

#include "test.h"

#include <string.h>

static char out[64];

static int resolve(const char *base, const char *path)
{
	memset(out, 'x', sizeof(out));
	return lx_path_resolve(base, path, out, sizeof(out));
}

TEST(path_absolute_ignores_base)
{
	CHECK_EQ(resolve("/bin", "/boot/manifest"), 0);
	CHECK(strcmp(out, "/boot/manifest") == 0);
}

TEST(path_relative_joins_base)
{
	CHECK_EQ(resolve("/bin", "busybox"), 0);
	CHECK(strcmp(out, "/bin/busybox") == 0);
	CHECK_EQ(resolve("/", "bin"), 0);
	CHECK(strcmp(out, "/bin") == 0);
}

TEST(path_dot_and_slashes_collapse)
{
	CHECK_EQ(resolve("/", "//bin///./busybox"), 0);
	CHECK(strcmp(out, "/bin/busybox") == 0);
	CHECK_EQ(resolve("/bin", "./x"), 0);
	CHECK(strcmp(out, "/bin/x") == 0);
}

TEST(path_dotdot_goes_up_and_stops_at_root)
{
	CHECK_EQ(resolve("/a/b", ".."), LX_PATH_DIR);
	CHECK(strcmp(out, "/a") == 0);
	CHECK_EQ(resolve("/a/b", "../../../../c"), 0);
	CHECK(strcmp(out, "/c") == 0);
	CHECK_EQ(resolve("/", ".."), LX_PATH_DIR);
	CHECK(strcmp(out, "/") == 0);
	CHECK_EQ(resolve("/a", "b/../c/."), LX_PATH_DIR);
	CHECK(strcmp(out, "/a/c") == 0);
}

TEST(path_trailing_slash_must_be_directory)
{
	CHECK_EQ(resolve("/", "bin/"), LX_PATH_DIR);
	CHECK(strcmp(out, "/bin") == 0);
	CHECK_EQ(resolve("/bin", "."), LX_PATH_DIR);
	CHECK(strcmp(out, "/bin") == 0);
	CHECK_EQ(resolve("/", "/"), 0);
	CHECK(strcmp(out, "/") == 0);
	CHECK_EQ(resolve("/", "./a"), 0);
}

TEST(path_empty_is_enoent)
{
	CHECK_EQ(resolve("/", ""), -LX_ENOENT);
}

TEST(path_too_long_is_enametoolong)
{
	char big[80];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	CHECK_EQ(resolve("/", big), -LX_ENAMETOOLONG);
	CHECK_EQ(resolve("/", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 0);
	CHECK_EQ(resolve("/", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
	         -LX_ENAMETOOLONG);
	/* What ".." takes away makes room again. */
	CHECK_EQ(
		resolve("/", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/../b"),
		0);
	CHECK(strcmp(out, "/b") == 0);
}

TEST(path_parent)
{
	char p[16];
	lx_path_parent("/a/b", p, sizeof(p));
	CHECK(strcmp(p, "/a") == 0);
	lx_path_parent("/a", p, sizeof(p));
	CHECK(strcmp(p, "/") == 0);
	lx_path_parent("/", p, sizeof(p));
	CHECK(strcmp(p, "/") == 0);
}
