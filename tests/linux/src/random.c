/* getrandom: full reads, the flags, and the error cases. */
#include "linux_test.h"

#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	unsigned char a[16], b[16], big[4096];
	int nonzero = 0;

	test_begin("random");
	check("getrandom 16", getrandom(a, sizeof(a), 0));
	check("getrandom 16 again", getrandom(b, sizeof(b), 0));
	check_yes("two draws differ", memcmp(a, b, sizeof(a)) != 0);
	check("getrandom 4096", getrandom(big, sizeof(big), 0));
	for (size_t i = 0; i < sizeof(big); i++)
		nonzero += big[i] != 0;
	check_yes("4096 bytes are not mostly zero", nonzero > 3500);
	check("getrandom 0", getrandom(a, 0, 0));
	check("getrandom GRND_NONBLOCK", getrandom(a, sizeof(a), GRND_NONBLOCK));
	check("getrandom bad flags", syscall(SYS_getrandom, a, sizeof(a), 0x100));
	check("getrandom bad pointer", syscall(SYS_getrandom, (void *)1, 16, 0));
	test_end();
	return 0;
}
