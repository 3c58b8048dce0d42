/*
 * mvtest.c - implementation of the mvtest harness (see mvtest.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mvtest.h"

/* Microvisor requires log buffers to be 512-byte aligned, 512-multiple. */
static uint8_t mvtest_log_buffer[4096] __attribute__((aligned(512)));

/* Counters may be bumped from interrupt handlers too, hence atomics. */
static uint32_t mvtest_check_count;
static uint32_t mvtest_failure_count;

static void mvtest_count(uint32_t *counter)
{
    __atomic_fetch_add(counter, 1u, __ATOMIC_RELAXED);
}

static uint32_t mvtest_read(const uint32_t *counter)
{
    return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

static void mvtest_vlog(const char *fmt, va_list ap)
{
    /* On the stack so an ISR may log too; 1023 chars is the longest line. */
    char line[1024];
    int n = vsnprintf(line, sizeof line, fmt, ap);

    if (n < 0)
        return;
    if ((size_t)n >= sizeof line)
        n = (int)(sizeof line - 1);
    (void)mvTestLog((const uint8_t *)line, (uint16_t)n);
}

void mvtest_log(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    mvtest_vlog(fmt, ap);
    va_end(ap);
}

void mvtest_begin(const char *name)
{
    __atomic_store_n(&mvtest_check_count, 0u, __ATOMIC_RELAXED);
    __atomic_store_n(&mvtest_failure_count, 0u, __ATOMIC_RELAXED);
    (void)mvTestLoggingInit(mvtest_log_buffer, sizeof mvtest_log_buffer);
    mvtest_log("BEGIN %s", name);
}

uint32_t mvtest_failures(void)
{
    return mvtest_read(&mvtest_failure_count);
}

uint32_t mvtest_checks(void)
{
    return mvtest_read(&mvtest_check_count);
}

int mvtest_check(int ok, const char *file, int line, const char *expr)
{
    mvtest_count(&mvtest_check_count);
    if (ok)
        return 1;
    mvtest_count(&mvtest_failure_count);
    mvtest_log("FAIL %s:%d: %s", file, line, expr);
    return 0;
}

/*
 * newlib-nano's printf has no long long conversions, so a 64-bit value is
 * printed as two 32-bit halves (just one when the top half is zero).
 */
static void mvtest_hex64(char *out, size_t size, uint64_t v)
{
    uint32_t hi = (uint32_t)(v >> 32);
    uint32_t lo = (uint32_t)v;

    if (hi)
        snprintf(out, size, "0x%lx%08lx", (unsigned long)hi, (unsigned long)lo);
    else
        snprintf(out, size, "0x%lx", (unsigned long)lo);
}

int mvtest_check_value(int ok, const char *file, int line, const char *expr,
                       uint64_t got, uint64_t expected)
{
    char got_s[20], want_s[20];

    mvtest_count(&mvtest_check_count);
    if (ok)
        return 1;
    mvtest_count(&mvtest_failure_count);
    mvtest_hex64(got_s, sizeof got_s, got);
    mvtest_hex64(want_s, sizeof want_s, expected);
    mvtest_log("FAIL %s:%d: %s (got %s expected %s)", file, line, expr,
               got_s, want_s);
    return 0;
}

void mvtest_end(void)
{
    uint32_t checks = mvtest_checks();
    uint32_t failures = mvtest_failures();

    mvtest_log("END checks=%lu failures=%lu",
               (unsigned long)checks, (unsigned long)failures);
    (void)mvTestingComplete(failures ? 1u : 0u);

    /* Microvisor stops the test here; if it ever returns, stay put. */
    for (;;)
        __asm volatile("wfi");
}
