#ifndef FASTPATH_FASTPATH_H
#define FASTPATH_FASTPATH_H

#include <arch/context.h>

#endif
