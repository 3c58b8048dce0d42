/*
 * mvtest.h - tiny in-firmware test harness for mvemu integration tests.
 *
 * A test firmware calls mvtest_begin(), runs CHECK* macros, then
 * mvtest_end(). Output goes through mvTestLog; the host side judges the
 * run by the console lines and by the status given to mvTestingComplete
 * (0 = every check passed, 1 = at least one failed).
 *
 * Console lines:
 *   BEGIN <name>
 *   FAIL <file>:<line>: <expr> [(got 0x.. expected 0x..)]
 *   END checks=<n> failures=<m>
 */
#ifndef MVEMU_MVTEST_H
#define MVEMU_MVTEST_H

#include <stdint.h>

#include "mv_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sets up test logging (4 KiB, 512-aligned buffer) and logs "BEGIN name". */
void mvtest_begin(const char *name);

/* printf-style line to the test log; longer than 1023 chars is cut. */
void mvtest_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Logs the summary, reports pass/fail to Microvisor and never returns. */
void mvtest_end(void) __attribute__((noreturn));

uint32_t mvtest_failures(void);
uint32_t mvtest_checks(void);

/* Back ends of the macros below; each returns 1 on pass, 0 on failure. */
int mvtest_check(int ok, const char *file, int line, const char *expr);
int mvtest_check_value(int ok, const char *file, int line, const char *expr,
                       uint64_t got, uint64_t expected);

/* Pass when cond is true. */
#define CHECK(cond) \
    mvtest_check(!!(cond), __FILE__, __LINE__, #cond)

/*
 * Pass when a == b. Each side is evaluated once. For integers and enums:
 * both are widened to 64 bits before comparing, so an enum variable (unsigned)
 * compares with an enum constant (int) without a sign-compare warning.
 */
#define CHECK_EQ(a, b) __extension__({                                   \
    __typeof__(a) mvtest_a_ = (a);                                       \
    __typeof__(b) mvtest_b_ = (b);                                       \
    mvtest_check_value((uint64_t)mvtest_a_ == (uint64_t)mvtest_b_,       \
                       __FILE__, __LINE__,                               \
                       #a " == " #b, (uint64_t)mvtest_a_,                \
                       (uint64_t)mvtest_b_);                             \
})

/* Pass when the system call expression returns the expected MvStatus. */
#define CHECK_STATUS(call, expected) __extension__({                     \
    uint32_t mvtest_got_ = (uint32_t)(call);                             \
    uint32_t mvtest_want_ = (uint32_t)(expected);                        \
    mvtest_check_value(mvtest_got_ == mvtest_want_, __FILE__, __LINE__,  \
                       #call, mvtest_got_, mvtest_want_);                \
})

#ifdef __cplusplus
}
#endif

#endif /* MVEMU_MVTEST_H */
