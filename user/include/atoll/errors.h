#ifndef ATOLL_ERRORS_H
#define ATOLL_ERRORS_H

/* One error enum for the kernel and every server; zero is success. */
typedef enum atoll_error {
#define X(name, value, meaning) ATOLL_E_##name = (value),
#include <atoll/errors.def>
#undef X
	ATOLL_E_COUNT
} atoll_error_t;

#endif
