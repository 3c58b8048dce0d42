/*
 * Console lines of the microvisor-stm32u585 machine, marked with the
 * virtual time so they read beside the server log ("server:") in order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "mvemu_console.h"

void mvemu_console_printf(const char *source, const char *fmt, ...)
{
    int64_t ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    g_autofree char *text = NULL;
    va_list ap;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    printf("[%6" PRId64 ".%06" PRId64 "] %s: %s\n", ns / 1000000000,
           (ns / 1000) % 1000000, source, text);
    fflush(stdout);
}
