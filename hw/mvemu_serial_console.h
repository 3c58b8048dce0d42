/*
 * A character device that prints what a serial port sends on the console,
 * one line at a time, marked with the virtual time and the port's name.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MVEMU_SERIAL_CONSOLE_H
#define HW_MVEMU_SERIAL_CONSOLE_H

#include "chardev/char.h"

#define TYPE_CHARDEV_MVEMU_SERIAL_CONSOLE "chardev-mvemu-serial-console"

/* A new console chardev with id "console-@port_name" (e.g. "usart2"). */
Chardev *mvemu_serial_console_new(const char *port_name, Error **errp);
/* Print the line @chr has started, if any: the machine is being reset. */
void mvemu_serial_console_flush(Chardev *chr);

#endif
