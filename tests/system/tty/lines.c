/* Reads the console through C stdio (musl reads with readv) until the end
 * of file, printing each line it got; run by tests/system/tty.sh. */
#include <stdio.h>
#include <string.h>

int main(void)
{
	char line[128];
	int n = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = 0;
		printf("got %d: [%s]\n", ++n, line);
	}
	printf("end of file after %d lines\n", n);
	return 0;
}
