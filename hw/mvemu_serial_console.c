/*
 * The serial console of the microvisor-stm32u585 machine: a serial port
 * the user gave no -serial for still shows what the firmware prints, one
 * line at a time on standard output, as
 *
 *     [     0.012345] USART2: text
 *
 * with the virtual time, so it reads beside the server log ("server:")
 * without mixing with it. Carriage returns are dropped; a line longer than
 * the buffer is printed in pieces. Input: none (give the port a real
 * chardev with -serial to type into it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/cutils.h"
#include "qemu/module.h"
#include "chardev/char.h"
#include "mvemu_console.h"
#include "mvemu_serial_console.h"

#define CONSOLE_LINE_MAX 256

typedef struct MvemuSerialConsole {
    Chardev parent;
    char port[16];
    char line[CONSOLE_LINE_MAX];
    size_t len;
} MvemuSerialConsole;

DECLARE_INSTANCE_CHECKER(MvemuSerialConsole, MVEMU_SERIAL_CONSOLE,
                         TYPE_CHARDEV_MVEMU_SERIAL_CONSOLE)

static void console_flush_line(MvemuSerialConsole *c)
{
    mvemu_console_printf(c->port, "%.*s", (int)c->len, c->line);
    c->len = 0;
}

static int console_write(Chardev *chr, const uint8_t *buf, int len)
{
    MvemuSerialConsole *c = MVEMU_SERIAL_CONSOLE(chr);

    for (int i = 0; i < len; i++) {
        if (buf[i] == '\n') {
            console_flush_line(c);
        } else if (buf[i] != '\r') {
            c->line[c->len++] = buf[i];
            if (c->len == sizeof(c->line)) {
                console_flush_line(c);
            }
        }
    }
    return len;
}

void mvemu_serial_console_flush(Chardev *chr)
{
    MvemuSerialConsole *c = MVEMU_SERIAL_CONSOLE(chr);

    if (c->len) {
        console_flush_line(c);
    }
}

static void console_finalize(Object *obj)
{
    MvemuSerialConsole *c = MVEMU_SERIAL_CONSOLE(obj);

    if (c->len) {
        console_flush_line(c);
    }
}

Chardev *mvemu_serial_console_new(const char *port_name, Error **errp)
{
    g_autofree char *id = g_strdup_printf("console-%s", port_name);
    Chardev *chr = qemu_chardev_new(id, TYPE_CHARDEV_MVEMU_SERIAL_CONSOLE,
                                    NULL, NULL, errp);
    MvemuSerialConsole *c;

    if (!chr) {
        return NULL;
    }
    c = MVEMU_SERIAL_CONSOLE(chr);
    pstrcpy(c->port, sizeof(c->port), port_name);
    for (char *p = c->port; *p; p++) {
        *p = g_ascii_toupper(*p);
    }
    return chr;
}

static void console_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->chr_write = console_write;
}

static const TypeInfo console_type_info = {
    .name = TYPE_CHARDEV_MVEMU_SERIAL_CONSOLE,
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(MvemuSerialConsole),
    .instance_finalize = console_finalize,
    .class_init = console_class_init,
};

static void console_register_types(void)
{
    type_register_static(&console_type_info);
}

type_init(console_register_types)
