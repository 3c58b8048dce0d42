/*
 * Seeed TH02 (Silicon Labs Si7005-style) humidity and temperature sensor.
 *
 * Modelled: the register pointer with auto-incrementing reads and writes,
 * STATUS (RDY), DATAh/DATAl, CONFIG (START, HEAT, FAST, TEMP) and ID.
 * Writing START begins a temperature or relative humidity conversion that
 * completes after the datasheet's typical conversion time in virtual time
 * (35 ms, or 18 ms in fast mode); RDY reads 1 until then, START clears and
 * DATAh:DATAl hold the result in the datasheet encoding, sampled from the
 * "temperature" and "humidity" properties at the end of the conversion.
 *
 * Not modelled: the sensor's non-linearity and temperature dependence
 * (the value is encoded exactly, so the host's linearization and
 * compensation will shift it slightly), the heater's effect, the CS pin
 * and power-up time, and fast mode's lower resolution.  Reserved
 * registers read as 0xff and ignore writes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include "hw/i2c/i2c.h"
#include "hw/registerfields.h"
#include "hw/resettable.h"
#include "migration/vmstate.h"
#include "mvemu_board_input.h"
#include "th02.h"
#include "trace.h"

OBJECT_DECLARE_SIMPLE_TYPE(TH02State, TH02)

enum {
    TH02_REG_STATUS = 0x00,
    TH02_REG_DATAH = 0x01,
    TH02_REG_DATAL = 0x02,
    TH02_REG_CONFIG = 0x03,
    TH02_REG_ID = 0x11,
};

FIELD(STATUS, RDY, 0, 1)
FIELD(CONFIG, START, 0, 1)
FIELD(CONFIG, HEAT, 1, 1)
FIELD(CONFIG, TEMP, 4, 1)
FIELD(CONFIG, FAST, 5, 1)

#define TH02_CONFIG_MASK        0x33
#define TH02_ID                 0x50

/* Typical conversion times */
#define TH02_CONV_NORMAL_NS     (35 * SCALE_MS)
#define TH02_CONV_FAST_NS       (18 * SCALE_MS)

/* What the 14-bit and 12-bit codes can express */
#define TH02_TEMP_MIN           (-50000)
#define TH02_TEMP_MAX           461968
#define TH02_HUMIDITY_MIN       0
#define TH02_HUMIDITY_MAX       100000

struct TH02State {
    I2CSlave parent_obj;

    QEMUTimer *timer;

    uint8_t pointer;
    bool pointer_set;
    uint8_t status;
    uint8_t data[2];
    uint8_t config;
    bool conv_temp;         /* the running conversion is a temperature one */

    /* Inputs: milli-degrees Celsius, milli-percent relative humidity */
    int32_t temperature;
    int32_t humidity;
};

static uint16_t th02_encode(TH02State *s, bool temp)
{
    int64_t code;

    if (temp) {
        /* T = code / 32 - 50, code in bits 15..2 */
        code = ((int64_t)s->temperature + 50000) * 32 / 1000;
        return MIN(MAX(code, 0), 0x3fff) << 2;
    }
    /* RH = code / 16 - 24, code in bits 15..4 */
    code = ((int64_t)s->humidity + 24000) * 16 / 1000;
    return MIN(MAX(code, 0), 0xfff) << 4;
}

static void th02_conversion_done(void *opaque)
{
    TH02State *s = opaque;
    uint16_t value = th02_encode(s, s->conv_temp);

    s->data[0] = value >> 8;
    s->data[1] = value;
    s->status = FIELD_DP8(s->status, STATUS, RDY, 0);
    s->config = FIELD_DP8(s->config, CONFIG, START, 0);
    trace_th02_conversion_done(s->parent_obj.address, s->conv_temp, value);
}

static void th02_write_config(TH02State *s, uint8_t value)
{
    s->config = value & TH02_CONFIG_MASK;

    if (!FIELD_EX8(value, CONFIG, START)) {
        return;
    }
    if (FIELD_EX8(s->status, STATUS, RDY)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: START while a conversion runs, restarting\n",
                      __func__);
    }
    s->conv_temp = FIELD_EX8(value, CONFIG, TEMP);
    s->status = FIELD_DP8(s->status, STATUS, RDY, 1);
    timer_mod(s->timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
              (FIELD_EX8(value, CONFIG, FAST) ? TH02_CONV_FAST_NS
                                              : TH02_CONV_NORMAL_NS));
    trace_th02_conversion_start(s->parent_obj.address, s->conv_temp,
                                FIELD_EX8(value, CONFIG, FAST));
}

static uint8_t th02_read_reg(TH02State *s, uint8_t reg)
{
    switch (reg) {
    case TH02_REG_STATUS:
        return s->status;
    case TH02_REG_DATAH:
        return s->data[0];
    case TH02_REG_DATAL:
        return s->data[1];
    case TH02_REG_CONFIG:
        return s->config;
    case TH02_REG_ID:
        return TH02_ID;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: read of reserved register 0x%02x\n",
                      __func__, reg);
        return 0xff;
    }
}

static void th02_write_reg(TH02State *s, uint8_t reg, uint8_t value)
{
    trace_th02_write(s->parent_obj.address, reg, value);

    if (reg == TH02_REG_CONFIG) {
        th02_write_config(s, value);
    } else {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: write to read-only or reserved register 0x%02x\n",
                      __func__, reg);
    }
}

static int th02_send(I2CSlave *i2c, uint8_t data)
{
    TH02State *s = TH02(i2c);

    if (!s->pointer_set) {
        s->pointer = data;
        s->pointer_set = true;
    } else {
        th02_write_reg(s, s->pointer++, data);
    }
    return 0;
}

static uint8_t th02_recv(I2CSlave *i2c)
{
    TH02State *s = TH02(i2c);
    uint8_t value = th02_read_reg(s, s->pointer);

    trace_th02_read(i2c->address, s->pointer, value);
    s->pointer++;
    return value;
}

static int th02_event(I2CSlave *i2c, enum i2c_event event)
{
    TH02State *s = TH02(i2c);

    if (event == I2C_START_SEND || event == I2C_START_SEND_ASYNC) {
        s->pointer_set = false;
    }
    return 0;
}

static void th02_get_input(Object *obj, Visitor *v, const char *name,
                           void *opaque, Error **errp)
{
    int32_t *field = opaque;
    int64_t value = *field;

    visit_type_int(v, name, &value, errp);
}

static void th02_set_input(Object *obj, Visitor *v, const char *name,
                           void *opaque, Error **errp)
{
    TH02State *s = TH02(obj);
    int32_t *field = opaque;
    bool temp = field == &s->temperature;
    int64_t min = temp ? TH02_TEMP_MIN : TH02_HUMIDITY_MIN;
    int64_t max = temp ? TH02_TEMP_MAX : TH02_HUMIDITY_MAX;
    int64_t value;

    if (!visit_type_int(v, name, &value, errp)) {
        return;
    }
    if (value < min || value > max) {
        error_setg(errp, "%s %" PRId64 " is out of range [%" PRId64
                   ", %" PRId64 "]", name, value, min, max);
        return;
    }
    if (!mvemu_board_input_property(obj, name, value, errp)) {
        return; /* stored on the vCPU thread and recorded, or replaying */
    }
    *field = value;
    trace_th02_set_input(s->parent_obj.address, name, *field);
}

static void th02_reset_hold(Object *obj, ResetType type)
{
    TH02State *s = TH02(obj);

    timer_del(s->timer);
    s->pointer = 0;
    s->pointer_set = false;
    s->status = 0;
    s->data[0] = 0;
    s->data[1] = 0;
    s->config = 0;
    s->conv_temp = false;
}

static void th02_realize(DeviceState *dev, Error **errp)
{
    TH02State *s = TH02(dev);

    s->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, th02_conversion_done, s);
}

static void th02_unrealize(DeviceState *dev)
{
    TH02State *s = TH02(dev);

    timer_free(s->timer);
    s->timer = NULL;
}

static const VMStateDescription vmstate_th02 = {
    .name = TYPE_TH02,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_I2C_SLAVE(parent_obj, TH02State),
        VMSTATE_TIMER_PTR(timer, TH02State),
        VMSTATE_UINT8(pointer, TH02State),
        VMSTATE_BOOL(pointer_set, TH02State),
        VMSTATE_UINT8(status, TH02State),
        VMSTATE_UINT8_ARRAY(data, TH02State, 2),
        VMSTATE_UINT8(config, TH02State),
        VMSTATE_BOOL(conv_temp, TH02State),
        VMSTATE_INT32(temperature, TH02State),
        VMSTATE_INT32(humidity, TH02State),
        VMSTATE_END_OF_LIST()
    }
};

static void th02_init(Object *obj)
{
    TH02State *s = TH02(obj);

    s->temperature = 25000;
    s->humidity = 50000;
    object_property_add(obj, "temperature", "int", th02_get_input,
                        th02_set_input, NULL, &s->temperature);
    object_property_add(obj, "humidity", "int", th02_get_input,
                        th02_set_input, NULL, &s->humidity);
}

static void th02_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    I2CSlaveClass *k = I2C_SLAVE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "Seeed TH02 humidity and temperature sensor";
    dc->realize = th02_realize;
    dc->unrealize = th02_unrealize;
    dc->vmsd = &vmstate_th02;
    rc->phases.hold = th02_reset_hold;
    k->event = th02_event;
    k->recv = th02_recv;
    k->send = th02_send;
}

static const TypeInfo th02_info = {
    .name          = TYPE_TH02,
    .parent        = TYPE_I2C_SLAVE,
    .instance_size = sizeof(TH02State),
    .instance_init = th02_init,
    .class_init    = th02_class_init,
};

static void th02_register_types(void)
{
    type_register_static(&th02_info);
}

type_init(th02_register_types)
