/*
 * Microchip MCP9808 digital temperature sensor (I2C).
 *
 * Modelled: the register pointer and the 16-bit big-endian registers
 * CONFIG, T_UPPER, T_LOWER, T_CRIT, T_A (with its three limit flags),
 * the manufacturer and device ID registers and the 8-bit resolution
 * register; shutdown (T_A keeps the last conversion and the Alert output
 * is frozen), the Crit. Lock and Win. Lock bits, hysteresis, and the
 * Alert output in comparator and interrupt mode with either polarity.
 * The Alert output is the named GPIO output "alert"; its level is the
 * pin level (active-low by default, so 1 when not asserted).
 *
 * Not modelled: conversion time (T_A follows the "temperature" property
 * immediately, at the selected resolution), the test/calibration
 * registers (pointer 0 and 9-15 read as all ones, writes are ignored),
 * SMBus time-out and the SMBus alert response address.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "hw/i2c/i2c.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/registerfields.h"
#include "hw/resettable.h"
#include "migration/vmstate.h"
#include "mvemu_board_input.h"
#include "mcp9808.h"
#include "trace.h"

OBJECT_DECLARE_SIMPLE_TYPE(MCP9808State, MCP9808)

enum {
    MCP9808_REG_RFU = 0,
    MCP9808_REG_CONFIG = 1,
    MCP9808_REG_T_UPPER = 2,
    MCP9808_REG_T_LOWER = 3,
    MCP9808_REG_T_CRIT = 4,
    MCP9808_REG_T_A = 5,
    MCP9808_REG_MANUF_ID = 6,
    MCP9808_REG_DEVICE_ID = 7,
    MCP9808_REG_RESOLUTION = 8,
};

FIELD(CONFIG, ALERT_MOD, 0, 1)
FIELD(CONFIG, ALERT_POL, 1, 1)
FIELD(CONFIG, ALERT_SEL, 2, 1)
FIELD(CONFIG, ALERT_CNT, 3, 1)
FIELD(CONFIG, ALERT_STAT, 4, 1)
FIELD(CONFIG, INT_CLEAR, 5, 1)
FIELD(CONFIG, WIN_LOCK, 6, 1)
FIELD(CONFIG, CRIT_LOCK, 7, 1)
FIELD(CONFIG, SHDN, 8, 1)
FIELD(CONFIG, HYST, 9, 2)

#define MCP9808_CONFIG_STORED   0x07cf  /* all but Alert Stat., Int. Clear */
#define MCP9808_CONFIG_LOCKED   0x060f  /* T_HYST and the Alert bits 3..0 */
#define MCP9808_LIMIT_MASK      0x1ffc
#define MCP9808_TA_CRIT         (1 << 15)
#define MCP9808_TA_UPPER        (1 << 14)
#define MCP9808_TA_LOWER        (1 << 13)
#define MCP9808_MANUF_ID        0x0054
#define MCP9808_DEVICE_ID       0x0400

/* The sensor's encoding: 13-bit two's complement in 1/16 degree C */
#define MCP9808_TEMP_MIN        (-256000)
#define MCP9808_TEMP_MAX        255937

struct MCP9808State {
    I2CSlave parent_obj;

    qemu_irq alert;
    char *alert_pin;

    /* Bus side */
    uint8_t pointer;
    uint8_t len;
    uint8_t buf[2];

    /* Registers */
    uint16_t config;
    uint16_t limit[3];      /* T_UPPER, T_LOWER, T_CRIT */
    uint8_t resolution;
    int16_t ta;             /* last conversion, 1/16 degree C */

    /* Alert logic */
    bool above_upper;
    bool below_lower;
    bool above_crit;
    bool int_pending;
    bool asserted;

    /* Input: milli-degrees Celsius */
    int32_t temperature;
};

static const uint8_t mcp9808_res_mask[4] = { 0x7, 0x3, 0x1, 0x0 };
static const int mcp9808_hyst[4] = { 0, 24, 48, 96 };   /* 1/16 degree C */

static int mcp9808_limit(MCP9808State *s, int i)
{
    return sextract32(s->limit[i], 0, 13);
}

static bool mcp9808_interrupt_mode(uint16_t config)
{
    return FIELD_EX16(config, CONFIG, ALERT_CNT) &&
           FIELD_EX16(config, CONFIG, ALERT_MOD) &&
           !FIELD_EX16(config, CONFIG, ALERT_SEL);
}

static void mcp9808_update_pin(MCP9808State *s)
{
    bool active_high = FIELD_EX16(s->config, CONFIG, ALERT_POL);

    qemu_set_irq(s->alert, s->asserted == active_high);
}

/*
 * Compare the last conversion with the limits (with hysteresis on the way
 * back) and drive the Alert output.  In Shutdown mode nothing changes.
 */
static void mcp9808_alert_update(MCP9808State *s)
{
    int hyst = mcp9808_hyst[FIELD_EX16(s->config, CONFIG, HYST)];
    int ta = s->ta;
    bool upper = s->above_upper;
    bool lower = s->below_lower;
    bool asserted;

    if (FIELD_EX16(s->config, CONFIG, SHDN)) {
        return;
    }

    if (ta > mcp9808_limit(s, 0)) {
        upper = true;
    } else if (ta < mcp9808_limit(s, 0) - hyst) {
        upper = false;
    }
    if (ta < mcp9808_limit(s, 1)) {
        lower = true;
    } else if (ta > mcp9808_limit(s, 1) + hyst) {
        lower = false;
    }
    if (ta >= mcp9808_limit(s, 2)) {
        s->above_crit = true;
    } else if (ta < mcp9808_limit(s, 2) - hyst) {
        s->above_crit = false;
    }

    /* In interrupt mode every crossing of the window boundaries latches */
    if ((upper != s->above_upper || lower != s->below_lower) &&
        mcp9808_interrupt_mode(s->config)) {
        s->int_pending = true;
    }
    s->above_upper = upper;
    s->below_lower = lower;

    if (!FIELD_EX16(s->config, CONFIG, ALERT_CNT)) {
        asserted = false;
    } else if (FIELD_EX16(s->config, CONFIG, ALERT_SEL)) {
        asserted = s->above_crit;
    } else if (FIELD_EX16(s->config, CONFIG, ALERT_MOD)) {
        asserted = s->above_crit || s->int_pending;
    } else {
        asserted = s->above_crit || upper || lower;
    }

    if (asserted != s->asserted) {
        trace_mcp9808_alert(s->parent_obj.address, asserted);
    }
    s->asserted = asserted;
    mcp9808_update_pin(s);
}

/* A conversion: T_A follows the input at the selected resolution */
static void mcp9808_convert(MCP9808State *s)
{
    int t16 = (int)((int64_t)s->temperature * 16 / 1000);

    if ((int64_t)t16 * 1000 > (int64_t)s->temperature * 16) {
        t16--;              /* round toward minus infinity */
    }
    s->ta = t16 & ~mcp9808_res_mask[s->resolution & 3];
}

static void mcp9808_get_temperature(Object *obj, Visitor *v, const char *name,
                                    void *opaque, Error **errp)
{
    MCP9808State *s = MCP9808(obj);
    int64_t value = s->temperature;

    visit_type_int(v, name, &value, errp);
}

static void mcp9808_set_temperature(Object *obj, Visitor *v, const char *name,
                                    void *opaque, Error **errp)
{
    MCP9808State *s = MCP9808(obj);
    int64_t value;

    if (!visit_type_int(v, name, &value, errp)) {
        return;
    }
    if (value < MCP9808_TEMP_MIN || value > MCP9808_TEMP_MAX) {
        error_setg(errp, "temperature %" PRId64 " milli-degrees C is out "
                   "of range [%d, %d]", value, MCP9808_TEMP_MIN,
                   MCP9808_TEMP_MAX);
        return;
    }
    if (!mvemu_board_input_property(obj, name, value, errp)) {
        return; /* stored on the vCPU thread and recorded, or replaying */
    }
    s->temperature = value;
    trace_mcp9808_set_temperature(s->parent_obj.address, s->temperature);
    if (!FIELD_EX16(s->config, CONFIG, SHDN)) {
        mcp9808_convert(s);
        mcp9808_alert_update(s);
    }
}

static uint16_t mcp9808_read_reg(MCP9808State *s, uint8_t reg)
{
    uint16_t value;

    switch (reg) {
    case MCP9808_REG_CONFIG:
        value = s->config;
        value = FIELD_DP16(value, CONFIG, ALERT_STAT, s->asserted);
        return value;
    case MCP9808_REG_T_UPPER:
    case MCP9808_REG_T_LOWER:
    case MCP9808_REG_T_CRIT:
        return s->limit[reg - MCP9808_REG_T_UPPER];
    case MCP9808_REG_T_A:
        value = (uint16_t)s->ta & 0x1fff;
        if (s->ta >= mcp9808_limit(s, 2)) {
            value |= MCP9808_TA_CRIT;
        }
        if (s->ta > mcp9808_limit(s, 0)) {
            value |= MCP9808_TA_UPPER;
        }
        if (s->ta < mcp9808_limit(s, 1)) {
            value |= MCP9808_TA_LOWER;
        }
        return value;
    case MCP9808_REG_MANUF_ID:
        return MCP9808_MANUF_ID;
    case MCP9808_REG_DEVICE_ID:
        return MCP9808_DEVICE_ID;
    case MCP9808_REG_RESOLUTION:
        return s->resolution;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: read of reserved register 0x%02x\n",
                      __func__, reg);
        return 0xffff;
    }
}

static void mcp9808_write_config(MCP9808State *s, uint16_t value)
{
    uint16_t old = s->config;
    uint16_t new = value & MCP9808_CONFIG_STORED;
    bool shdn = FIELD_EX16(old, CONFIG, SHDN);

    if (old & (R_CONFIG_CRIT_LOCK_MASK | R_CONFIG_WIN_LOCK_MASK)) {
        /* T_HYST and the Alert configuration are frozen */
        new = (new & ~MCP9808_CONFIG_LOCKED) | (old & MCP9808_CONFIG_LOCKED);
        /* Shutdown can be left, not entered */
        if (!shdn) {
            new = FIELD_DP16(new, CONFIG, SHDN, 0);
        }
    }
    /* The lock bits stay set until reset */
    new |= old & (R_CONFIG_CRIT_LOCK_MASK | R_CONFIG_WIN_LOCK_MASK);
    s->config = new;

    if (!mcp9808_interrupt_mode(old) && mcp9808_interrupt_mode(new) &&
        (s->above_upper || s->below_lower)) {
        /* Entering interrupt mode outside the window is an event */
        s->int_pending = true;
    }
    if (FIELD_EX16(value, CONFIG, INT_CLEAR)) {
        s->int_pending = false;
        if (shdn && FIELD_EX16(new, CONFIG, ALERT_MOD) && !s->above_crit) {
            /* Clearing the interrupt works even in Shutdown mode */
            s->asserted = false;
        }
    }
    if (shdn && !FIELD_EX16(new, CONFIG, SHDN)) {
        mcp9808_convert(s);
    }
    if (FIELD_EX16(new, CONFIG, SHDN)) {
        mcp9808_update_pin(s);
    } else {
        mcp9808_alert_update(s);
    }
}

static void mcp9808_write_reg(MCP9808State *s, uint8_t reg, uint16_t value)
{
    trace_mcp9808_write(s->parent_obj.address, reg, value);

    switch (reg) {
    case MCP9808_REG_CONFIG:
        mcp9808_write_config(s, value);
        break;
    case MCP9808_REG_T_UPPER:
    case MCP9808_REG_T_LOWER:
        if (FIELD_EX16(s->config, CONFIG, WIN_LOCK)) {
            qemu_log_mask(LOG_GUEST_ERROR, "%s: T_UPPER/T_LOWER are locked\n",
                          __func__);
            break;
        }
        s->limit[reg - MCP9808_REG_T_UPPER] = value & MCP9808_LIMIT_MASK;
        mcp9808_alert_update(s);
        break;
    case MCP9808_REG_T_CRIT:
        if (FIELD_EX16(s->config, CONFIG, CRIT_LOCK)) {
            qemu_log_mask(LOG_GUEST_ERROR, "%s: T_CRIT is locked\n", __func__);
            break;
        }
        s->limit[2] = value & MCP9808_LIMIT_MASK;
        mcp9808_alert_update(s);
        break;
    case MCP9808_REG_T_A:
    case MCP9808_REG_MANUF_ID:
    case MCP9808_REG_DEVICE_ID:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: write to read-only register %d\n",
                      __func__, reg);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: write to reserved register 0x%02x\n", __func__, reg);
        break;
    }
}

static bool mcp9808_reg_is_8bit(uint8_t reg)
{
    return reg == MCP9808_REG_RESOLUTION;
}

static int mcp9808_send(I2CSlave *i2c, uint8_t data)
{
    MCP9808State *s = MCP9808(i2c);

    if (s->len == 0) {
        s->pointer = data;
        if (data & 0xf0) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "%s: pointer 0x%02x has bits 7..4 set\n",
                          __func__, data);
        }
        s->len++;
        return 0;
    }

    if (mcp9808_reg_is_8bit(s->pointer)) {
        if (s->len == 1) {
            s->resolution = data & 3;
            trace_mcp9808_write(i2c->address, s->pointer, s->resolution);
        }
    } else if (s->len <= 2) {
        s->buf[s->len - 1] = data;
        if (s->len == 2) {
            mcp9808_write_reg(s, s->pointer, (s->buf[0] << 8) | s->buf[1]);
        }
    }
    /* Further bytes of the same transfer are dropped */
    if (s->len < 3) {
        s->len++;
    }
    return 0;
}

static uint8_t mcp9808_recv(I2CSlave *i2c)
{
    MCP9808State *s = MCP9808(i2c);
    uint8_t value = 0xff;

    if (s->len == 0) {
        uint16_t reg = mcp9808_read_reg(s, s->pointer);

        trace_mcp9808_read(i2c->address, s->pointer, reg);
        if (mcp9808_reg_is_8bit(s->pointer)) {
            s->buf[0] = reg;
            s->buf[1] = 0xff;
        } else {
            s->buf[0] = reg >> 8;
            s->buf[1] = reg;
        }
    }
    if (s->len < 2) {
        value = s->buf[s->len++];
    }
    return value;
}

static int mcp9808_event(I2CSlave *i2c, enum i2c_event event)
{
    MCP9808State *s = MCP9808(i2c);

    switch (event) {
    case I2C_START_SEND:
    case I2C_START_SEND_ASYNC:
    case I2C_START_RECV:
        s->len = 0;
        break;
    default:
        break;
    }
    return 0;
}

static void mcp9808_reset_hold(Object *obj, ResetType type)
{
    MCP9808State *s = MCP9808(obj);

    s->pointer = 0;
    s->len = 0;
    memset(s->buf, 0, sizeof(s->buf));
    s->config = 0;
    memset(s->limit, 0, sizeof(s->limit));
    s->resolution = 3;
    s->above_upper = false;
    s->below_lower = false;
    s->above_crit = false;
    s->int_pending = false;
    s->asserted = false;
    mcp9808_convert(s);
    mcp9808_alert_update(s);
}

static int mcp9808_post_load(void *opaque, int version_id)
{
    MCP9808State *s = opaque;

    if (s->resolution > 3 || s->len > 3) {
        return -EINVAL;
    }
    mcp9808_update_pin(s);
    return 0;
}

static const VMStateDescription vmstate_mcp9808 = {
    .name = TYPE_MCP9808,
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = mcp9808_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_I2C_SLAVE(parent_obj, MCP9808State),
        VMSTATE_UINT8(pointer, MCP9808State),
        VMSTATE_UINT8(len, MCP9808State),
        VMSTATE_UINT8_ARRAY(buf, MCP9808State, 2),
        VMSTATE_UINT16(config, MCP9808State),
        VMSTATE_UINT16_ARRAY(limit, MCP9808State, 3),
        VMSTATE_UINT8(resolution, MCP9808State),
        VMSTATE_INT16(ta, MCP9808State),
        VMSTATE_BOOL(above_upper, MCP9808State),
        VMSTATE_BOOL(below_lower, MCP9808State),
        VMSTATE_BOOL(above_crit, MCP9808State),
        VMSTATE_BOOL(int_pending, MCP9808State),
        VMSTATE_BOOL(asserted, MCP9808State),
        VMSTATE_INT32(temperature, MCP9808State),
        VMSTATE_END_OF_LIST()
    }
};

static const Property mcp9808_properties[] = {
    DEFINE_PROP_STRING("alert-pin", MCP9808State, alert_pin),
};

static void mcp9808_init(Object *obj)
{
    MCP9808State *s = MCP9808(obj);

    /* 25 degrees C until told otherwise */
    s->temperature = 25000;
    qdev_init_gpio_out_named(DEVICE(obj), &s->alert, "alert", 1);
    object_property_add(obj, "temperature", "int",
                        mcp9808_get_temperature, mcp9808_set_temperature,
                        NULL, NULL);
}

static void mcp9808_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    I2CSlaveClass *k = I2C_SLAVE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "Microchip MCP9808 temperature sensor";
    dc->vmsd = &vmstate_mcp9808;
    device_class_set_props(dc, mcp9808_properties);
    rc->phases.hold = mcp9808_reset_hold;
    k->event = mcp9808_event;
    k->recv = mcp9808_recv;
    k->send = mcp9808_send;
}

static const TypeInfo mcp9808_info = {
    .name          = TYPE_MCP9808,
    .parent        = TYPE_I2C_SLAVE,
    .instance_size = sizeof(MCP9808State),
    .instance_init = mcp9808_init,
    .class_init    = mcp9808_class_init,
};

static void mcp9808_register_types(void)
{
    type_register_static(&mcp9808_info);
}

type_init(mcp9808_register_types)
