/*
 * Lines the microvisor-stm32u585 machine prints on its console (standard
 * output), each marked with the virtual time and where it comes from:
 *
 *     [     0.012345] USART2: text
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MVEMU_CONSOLE_H
#define HW_MVEMU_CONSOLE_H

/* Print one console line from @source (e.g. "USART2", "GPIO"). */
void mvemu_console_printf(const char *source, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

#endif
