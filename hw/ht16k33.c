/*
 * Holtek HT16K33 LED controller driver, as used on the Adafruit LED
 * backpacks (4-digit 0.56" 7-segment display, 8x8 matrix).
 *
 * Modelled: the command set (system setup, display setup, dimming,
 * ROW/INT set, display RAM, key data and INT flag address pointers), the
 * 16-byte display RAM with auto-incrementing, wrapping reads and writes,
 * and the key data and INT flag reads (no key is ever pressed, so they
 * read 0).  What the display shows is rendered as the read-only "text"
 * property, for the board layout chosen with "layout"; with
 * "print-changes" every change is printed on the machine's console.
 *
 * Not modelled: blinking and dimming (stored, but "text" shows what is
 * lit when the display is steadily on), key scanning, the INT output and
 * standby power.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "qemu/cutils.h"
#include "qemu/module.h"
#include "hw/i2c/i2c.h"
#include "hw/qdev-properties.h"
#include "hw/resettable.h"
#include "migration/vmstate.h"
#include "mvemu_console.h"
#include "ht16k33.h"
#include "trace.h"

OBJECT_DECLARE_SIMPLE_TYPE(HT16K33State, HT16K33)

#define HT16K33_RAM_SIZE        16
#define HT16K33_KEY_BASE        0x40
#define HT16K33_KEY_SIZE        6
#define HT16K33_INT_FLAG        0x60

#define HT16K33_CMD_MASK        0xf0
#define HT16K33_CMD_RAM         0x00
#define HT16K33_CMD_SYSTEM      0x20
#define HT16K33_CMD_KEY         0x40
#define HT16K33_CMD_INT_FLAG    0x60
#define HT16K33_CMD_DISPLAY     0x80
#define HT16K33_CMD_ROW_INT     0xa0
#define HT16K33_CMD_DIMMING     0xe0

#define HT16K33_DISPLAY_ON      0x01
#define HT16K33_BLINK_MASK      0x06

/* Long enough for the 8x8 matrix: 8 rows of 8 and 7 separators */
#define HT16K33_TEXT_SIZE       80

enum {
    HT16K33_LAYOUT_7SEGMENT,
    HT16K33_LAYOUT_MATRIX8X8,
};

enum {
    HT16K33_PTR_RAM,
    HT16K33_PTR_KEY,
    HT16K33_PTR_INT_FLAG,
};

struct HT16K33State {
    I2CSlave parent_obj;

    /* Properties */
    char *layout_name;
    bool print_changes;
    int layout;

    /* Bus side */
    bool cmd_seen;          /* the first byte of this write was a command */
    bool written;           /* this transfer wrote something */
    uint8_t ptr_kind;       /* what reads return: RAM, key data, INT flag */
    uint8_t ptr;

    /* Device */
    uint8_t ram[HT16K33_RAM_SIZE];
    bool oscillator;
    uint8_t display;        /* display setup: on, blink */
    uint8_t dimming;
    uint8_t row_int;

    /* What "text" showed last time, to report changes */
    char last_text[HT16K33_TEXT_SIZE];
};

/* 7-segment patterns (a..g = bits 0..6) that read as one character */
static const struct {
    uint8_t pattern;
    char c;
} ht16k33_font[] = {
    { 0x00, ' ' }, { 0x40, '-' }, { 0x08, '_' }, { 0x48, '=' },
    { 0x3f, '0' }, { 0x06, '1' }, { 0x5b, '2' }, { 0x4f, '3' },
    { 0x66, '4' }, { 0x6d, '5' }, { 0x7d, '6' }, { 0x07, '7' },
    { 0x27, '7' }, { 0x7f, '8' }, { 0x6f, '9' },
    { 0x77, 'A' }, { 0x7c, 'b' }, { 0x39, 'C' }, { 0x5e, 'd' },
    { 0x79, 'E' }, { 0x71, 'F' }, { 0x3d, 'G' }, { 0x76, 'H' },
    { 0x74, 'h' }, { 0x1e, 'J' }, { 0x38, 'L' }, { 0x54, 'n' },
    { 0x5c, 'o' }, { 0x73, 'P' }, { 0x50, 'r' }, { 0x78, 't' },
    { 0x3e, 'U' }, { 0x1c, 'u' }, { 0x6e, 'y' }, { 0x58, 'c' },
};

/* Adafruit 4-digit backpack: RAM bytes of the digits, and of the colon */
static const uint8_t ht16k33_digit_byte[4] = { 0, 2, 6, 8 };
#define HT16K33_COLON_BYTE      4
#define HT16K33_COLON_BIT       0x02
#define HT16K33_POINT_BIT       0x80

static char ht16k33_segments_char(uint8_t pattern)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(ht16k33_font); i++) {
        if (ht16k33_font[i].pattern == pattern) {
            return ht16k33_font[i].c;
        }
    }
    return '?';
}

static void ht16k33_render(HT16K33State *s, char *text)
{
    char *p = text;
    int i, row, col;

    *p = '\0';
    if (!s->oscillator || !(s->display & HT16K33_DISPLAY_ON)) {
        return;
    }

    switch (s->layout) {
    case HT16K33_LAYOUT_7SEGMENT:
        for (i = 0; i < 4; i++) {
            uint8_t seg = s->ram[ht16k33_digit_byte[i]];

            if (i == 2 && (s->ram[HT16K33_COLON_BYTE] & HT16K33_COLON_BIT)) {
                *p++ = ':';
            }
            *p++ = ht16k33_segments_char(seg & ~HT16K33_POINT_BIT);
            if (seg & HT16K33_POINT_BIT) {
                *p++ = '.';
            }
        }
        break;
    case HT16K33_LAYOUT_MATRIX8X8:
        for (row = 0; row < 8; row++) {
            if (row) {
                *p++ = '/';
            }
            for (col = 0; col < 8; col++) {
                *p++ = (s->ram[2 * row] & (1 << col)) ? '#' : '.';
            }
        }
        break;
    default:
        g_assert_not_reached();
    }
    *p = '\0';
}

static char *ht16k33_get_text(Object *obj, Error **errp)
{
    HT16K33State *s = HT16K33(obj);
    char text[HT16K33_TEXT_SIZE];

    ht16k33_render(s, text);
    return g_strdup(text);
}

/* At the end of a write: report what the display shows, if it changed */
static void ht16k33_check_text(HT16K33State *s)
{
    char text[HT16K33_TEXT_SIZE];
    char name[16];

    ht16k33_render(s, text);
    if (!strcmp(text, s->last_text)) {
        return;
    }
    pstrcpy(s->last_text, sizeof(s->last_text), text);
    trace_ht16k33_text(s->parent_obj.address, text);
    if (s->print_changes) {
        snprintf(name, sizeof(name), "HT16K33@0x%02x", s->parent_obj.address);
        mvemu_console_printf(name, "%s", text);
    }
}

static void ht16k33_command(HT16K33State *s, uint8_t cmd)
{
    trace_ht16k33_command(s->parent_obj.address, cmd);

    switch (cmd & HT16K33_CMD_MASK) {
    case HT16K33_CMD_RAM:
        s->ptr_kind = HT16K33_PTR_RAM;
        s->ptr = cmd & (HT16K33_RAM_SIZE - 1);
        break;
    case HT16K33_CMD_SYSTEM:
        s->oscillator = cmd & 1;
        break;
    case HT16K33_CMD_KEY:
        if ((cmd & 0x0f) >= HT16K33_KEY_SIZE) {
            qemu_log_mask(LOG_GUEST_ERROR, "%s: bad key data address 0x%02x\n",
                          __func__, cmd);
        }
        s->ptr_kind = HT16K33_PTR_KEY;
        s->ptr = (cmd & 0x0f) % HT16K33_KEY_SIZE;
        break;
    case HT16K33_CMD_INT_FLAG:
        s->ptr_kind = HT16K33_PTR_INT_FLAG;
        s->ptr = 0;
        break;
    case HT16K33_CMD_DISPLAY:
        s->display = cmd & (HT16K33_DISPLAY_ON | HT16K33_BLINK_MASK);
        break;
    case HT16K33_CMD_ROW_INT:
        s->row_int = cmd & 0x03;
        break;
    case HT16K33_CMD_DIMMING:
        s->dimming = cmd & 0x0f;
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: unknown command 0x%02x\n",
                      __func__, cmd);
        break;
    }
}

static int ht16k33_send(I2CSlave *i2c, uint8_t data)
{
    HT16K33State *s = HT16K33(i2c);

    s->written = true;
    if (!s->cmd_seen) {
        s->cmd_seen = true;
        ht16k33_command(s, data);
        return 0;
    }
    if (s->ptr_kind == HT16K33_PTR_RAM) {
        s->ram[s->ptr] = data;
        s->ptr = (s->ptr + 1) % HT16K33_RAM_SIZE;
    } else {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: data byte 0x%02x after a command "
                      "that takes none\n", __func__, data);
    }
    return 0;
}

static uint8_t ht16k33_recv(I2CSlave *i2c)
{
    HT16K33State *s = HT16K33(i2c);
    uint8_t value = 0;

    switch (s->ptr_kind) {
    case HT16K33_PTR_RAM:
        value = s->ram[s->ptr];
        s->ptr = (s->ptr + 1) % HT16K33_RAM_SIZE;
        break;
    case HT16K33_PTR_KEY:
        s->ptr = (s->ptr + 1) % HT16K33_KEY_SIZE;
        break;
    default:
        break;
    }
    return value;
}

static int ht16k33_event(I2CSlave *i2c, enum i2c_event event)
{
    HT16K33State *s = HT16K33(i2c);

    switch (event) {
    case I2C_START_SEND:
    case I2C_START_SEND_ASYNC:
        s->cmd_seen = false;
        break;
    case I2C_FINISH:
        if (s->written) {
            s->written = false;
            ht16k33_check_text(s);
        }
        break;
    default:
        break;
    }
    return 0;
}

static void ht16k33_reset_hold(Object *obj, ResetType type)
{
    HT16K33State *s = HT16K33(obj);

    s->cmd_seen = false;
    s->written = false;
    s->ptr_kind = HT16K33_PTR_RAM;
    s->ptr = 0;
    memset(s->ram, 0, sizeof(s->ram));
    s->oscillator = false;
    s->display = 0;
    s->dimming = 0x0f;
    s->row_int = 0;
    ht16k33_check_text(s);
}

static void ht16k33_realize(DeviceState *dev, Error **errp)
{
    HT16K33State *s = HT16K33(dev);

    if (!s->layout_name || !strcmp(s->layout_name, "7segment")) {
        s->layout = HT16K33_LAYOUT_7SEGMENT;
    } else if (!strcmp(s->layout_name, "matrix8x8")) {
        s->layout = HT16K33_LAYOUT_MATRIX8X8;
    } else {
        error_setg(errp, "ht16k33: layout '%s' is not one of 7segment, "
                   "matrix8x8", s->layout_name);
        return;
    }
    s->last_text[0] = '\0';
}

static int ht16k33_post_load(void *opaque, int version_id)
{
    HT16K33State *s = opaque;

    if (s->ptr_kind > HT16K33_PTR_INT_FLAG ||
        s->ptr >= HT16K33_RAM_SIZE ||
        (s->ptr_kind == HT16K33_PTR_KEY && s->ptr >= HT16K33_KEY_SIZE)) {
        return -EINVAL;
    }
    /* Report only changes made after the migration */
    ht16k33_render(s, s->last_text);
    return 0;
}

static const VMStateDescription vmstate_ht16k33 = {
    .name = TYPE_HT16K33,
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = ht16k33_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_I2C_SLAVE(parent_obj, HT16K33State),
        VMSTATE_BOOL(cmd_seen, HT16K33State),
        VMSTATE_BOOL(written, HT16K33State),
        VMSTATE_UINT8(ptr_kind, HT16K33State),
        VMSTATE_UINT8(ptr, HT16K33State),
        VMSTATE_UINT8_ARRAY(ram, HT16K33State, HT16K33_RAM_SIZE),
        VMSTATE_BOOL(oscillator, HT16K33State),
        VMSTATE_UINT8(display, HT16K33State),
        VMSTATE_UINT8(dimming, HT16K33State),
        VMSTATE_UINT8(row_int, HT16K33State),
        VMSTATE_END_OF_LIST()
    }
};

static const Property ht16k33_properties[] = {
    DEFINE_PROP_STRING("layout", HT16K33State, layout_name),
    DEFINE_PROP_BOOL("print-changes", HT16K33State, print_changes, false),
};

static void ht16k33_init(Object *obj)
{
    object_property_add_str(obj, "text", ht16k33_get_text, NULL);
}

static void ht16k33_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    I2CSlaveClass *k = I2C_SLAVE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "Holtek HT16K33 LED controller";
    dc->realize = ht16k33_realize;
    dc->vmsd = &vmstate_ht16k33;
    device_class_set_props(dc, ht16k33_properties);
    rc->phases.hold = ht16k33_reset_hold;
    k->event = ht16k33_event;
    k->recv = ht16k33_recv;
    k->send = ht16k33_send;
}

static const TypeInfo ht16k33_info = {
    .name          = TYPE_HT16K33,
    .parent        = TYPE_I2C_SLAVE,
    .instance_size = sizeof(HT16K33State),
    .instance_init = ht16k33_init,
    .class_init    = ht16k33_class_init,
};

static void ht16k33_register_types(void)
{
    type_register_static(&ht16k33_info);
}

type_init(ht16k33_register_types)
