/*
 * The checks of the C test programs: a failed one says where and what,
 * and counts itself in the program's `failures`, which its run function
 * returns to the Rust test.
 */

#ifndef T_CHECK_H
#define T_CHECK_H

#include <stdio.h>

#define	CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
		    __FILE__, __LINE__, #cond);				\
		failures++;						\
	}								\
} while (0)

#endif /* !T_CHECK_H */
