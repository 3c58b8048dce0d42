/*
 * ST LIS3DH 3-axis accelerometer, I2C interface.
 *
 * Modelled: WHO_AM_I, CTRL_REG0..6, TEMP_CFG_REG, REFERENCE, STATUS_REG,
 * the acceleration outputs (left-justified two's complement, scaled by the
 * full-scale setting and 8/10/12-bit resolution of low-power, normal and
 * high-resolution mode, with BLE byte order), the inertial interrupt 1
 * engine in its OR and AND modes (INT1_CFG/SRC/THS, latched with
 * LIR_INT1), and single/double click detection driven by the write-only
 * "tap" property (CLICK_CFG/SRC/THS, TIME_LATENCY).  The interrupt pins are
 * the named GPIO outputs "int1" and "int2" (CTRL_REG3 and CTRL_REG6
 * routing, CTRL_REG6 INT_POLARITY).  The sub-address auto-increments when
 * bit 7 of the register address byte is set.
 *
 * Not modelled: the FIFO (FIFO_CTRL_REG is storage, FIFO_SRC_REG reads
 * empty), the auxiliary ADC and temperature sensor (OUT_ADC* read 0),
 * high-pass filtering, self test, 6D/4D detection, interrupt durations,
 * inertial interrupt 2 and activity detection (storage only), the
 * data-ready and FIFO interrupts, and sample timing: while the output data
 * rate is not zero every enabled axis always has new data (STATUS_REG reads
 * its ZYXDA/xDA bits set and no overrun), sampled at the start of each read
 * transfer.  Reserved registers read 0xff and ignore writes.
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
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/registerfields.h"
#include "hw/resettable.h"
#include "migration/vmstate.h"
#include "mvemu_board_input.h"
#include "lis3dh.h"
#include "trace.h"

OBJECT_DECLARE_SIMPLE_TYPE(LIS3DHState, LIS3DH)

REG8(STATUS_REG_AUX, 0x07)
REG8(OUT_ADC1_L, 0x08)
REG8(OUT_ADC3_H, 0x0d)
REG8(WHO_AM_I, 0x0f)
REG8(CTRL_REG0, 0x1e)
REG8(TEMP_CFG_REG, 0x1f)
REG8(CTRL_REG1, 0x20)
    FIELD(CTRL_REG1, XYZEN, 0, 3)
    FIELD(CTRL_REG1, LPEN, 3, 1)
    FIELD(CTRL_REG1, ODR, 4, 4)
REG8(CTRL_REG2, 0x21)
REG8(CTRL_REG3, 0x22)
    FIELD(CTRL_REG3, I1_IA1, 6, 1)
    FIELD(CTRL_REG3, I1_CLICK, 7, 1)
REG8(CTRL_REG4, 0x23)
    FIELD(CTRL_REG4, HR, 3, 1)
    FIELD(CTRL_REG4, FS, 4, 2)
    FIELD(CTRL_REG4, BLE, 6, 1)
REG8(CTRL_REG5, 0x24)
    FIELD(CTRL_REG5, LIR_INT1, 3, 1)
    FIELD(CTRL_REG5, BOOT, 7, 1)
REG8(CTRL_REG6, 0x25)
    FIELD(CTRL_REG6, INT_POLARITY, 1, 1)
    FIELD(CTRL_REG6, I2_IA1, 6, 1)
    FIELD(CTRL_REG6, I2_CLICK, 7, 1)
REG8(REFERENCE, 0x26)
REG8(STATUS_REG, 0x27)
    FIELD(STATUS_REG, XYZDA, 0, 3)
    FIELD(STATUS_REG, ZYXDA, 3, 1)
REG8(OUT_X_L, 0x28)
REG8(OUT_Z_H, 0x2d)
REG8(FIFO_CTRL_REG, 0x2e)
REG8(FIFO_SRC_REG, 0x2f)
    FIELD(FIFO_SRC_REG, EMPTY, 5, 1)
REG8(INT1_CFG, 0x30)
    FIELD(INT1_CFG, EVENTS, 0, 6)
    FIELD(INT1_CFG, 6D, 6, 1)
    FIELD(INT1_CFG, AOI, 7, 1)
REG8(INT1_SRC, 0x31)
    FIELD(INT1_SRC, IA, 6, 1)
REG8(INT1_THS, 0x32)
REG8(INT1_DURATION, 0x33)
REG8(INT2_CFG, 0x34)
REG8(INT2_SRC, 0x35)
REG8(INT2_THS, 0x36)
REG8(INT2_DURATION, 0x37)
REG8(CLICK_CFG, 0x38)
REG8(CLICK_SRC, 0x39)
    FIELD(CLICK_SRC, Z, 2, 1)
    FIELD(CLICK_SRC, SIGN, 3, 1)
    FIELD(CLICK_SRC, SCLICK, 4, 1)
    FIELD(CLICK_SRC, DCLICK, 5, 1)
    FIELD(CLICK_SRC, IA, 6, 1)
REG8(CLICK_THS, 0x3a)
    FIELD(CLICK_THS, LIR_CLICK, 7, 1)
REG8(TIME_LIMIT, 0x3b)
REG8(TIME_LATENCY, 0x3c)
REG8(TIME_WINDOW, 0x3d)
REG8(ACT_THS, 0x3e)
REG8(ACT_DUR, 0x3f)

#define LIS3DH_NUM_REGS     0x40
#define LIS3DH_WHO_AM_I     0x33
#define LIS3DH_SUB_AUTOINC  0x80

/* CLICK_CFG enables for the Z axis, the one "tap" acts on */
#define LIS3DH_CLICK_CFG_ZS 0x10
#define LIS3DH_CLICK_CFG_ZD 0x20

/* Range accepted for the x, y and z properties, milli-g */
#define LIS3DH_ACCEL_LIMIT  32000

struct LIS3DHState {
    I2CSlave parent_obj;

    qemu_irq int1;
    qemu_irq int2;
    char *int1_pin;
    QEMUTimer *click_timer;

    uint8_t regs[LIS3DH_NUM_REGS];
    uint8_t out[6];         /* OUT_X_L..OUT_Z_H of the last sample */
    uint8_t pointer;
    bool pointer_set;
    bool click_active;      /* click interrupt signal */
    bool ia1_latched;       /* INT1_SRC frozen until read (LIR_INT1) */

    /* Inputs: milli-g */
    int32_t accel[3];
};

/* mg per digit: [mode][FS], mode 0 = high resolution, 1 normal, 2 LP */
static const int lis3dh_sensitivity[3][4] = {
    { 1, 2, 4, 12 },
    { 4, 8, 16, 48 },
    { 16, 32, 64, 192 },
};
static const int lis3dh_bits[3] = { 12, 10, 8 };

/* INT1_THS LSB in mg for each full scale */
static const int lis3dh_ths_lsb[4] = { 16, 32, 62, 186 };

/* Output data rate in Hz (0 = power-down), by ODR and LPen */
static const int lis3dh_odr_hz[16][2] = {
    { 0, 0 }, { 1, 1 }, { 10, 10 }, { 25, 25 }, { 50, 50 }, { 100, 100 },
    { 200, 200 }, { 400, 400 }, { 0, 1600 }, { 1344, 5376 },
};

static int lis3dh_odr(LIS3DHState *s)
{
    uint8_t r1 = s->regs[R_CTRL_REG1];

    return lis3dh_odr_hz[FIELD_EX8(r1, CTRL_REG1, ODR)]
                        [FIELD_EX8(r1, CTRL_REG1, LPEN)];
}

static int lis3dh_mode(LIS3DHState *s)
{
    if (FIELD_EX8(s->regs[R_CTRL_REG1], CTRL_REG1, LPEN)) {
        return 2;
    }
    return FIELD_EX8(s->regs[R_CTRL_REG4], CTRL_REG4, HR) ? 0 : 1;
}

static bool lis3dh_axis_enabled(LIS3DHState *s, int axis)
{
    return FIELD_EX8(s->regs[R_CTRL_REG1], CTRL_REG1, XYZEN) & (1 << axis);
}

/* Take a sample of the inputs, if the device is running */
static void lis3dh_sample(LIS3DHState *s)
{
    int mode = lis3dh_mode(s);
    int fs = FIELD_EX8(s->regs[R_CTRL_REG4], CTRL_REG4, FS);
    int sens = lis3dh_sensitivity[mode][fs];
    int bits = lis3dh_bits[mode];
    int max = (1 << (bits - 1)) - 1;
    bool ble = FIELD_EX8(s->regs[R_CTRL_REG4], CTRL_REG4, BLE);
    int axis;

    if (lis3dh_odr(s) == 0) {
        return;
    }
    for (axis = 0; axis < 3; axis++) {
        int digits = lis3dh_axis_enabled(s, axis) ? s->accel[axis] / sens : 0;
        uint16_t raw;

        digits = MIN(MAX(digits, -max - 1), max);
        raw = (uint16_t)(digits * (1 << (16 - bits)));
        s->out[2 * axis + ble] = raw;
        s->out[2 * axis + !ble] = raw >> 8;
    }
}

static void lis3dh_update_irq(LIS3DHState *s)
{
    bool active_low = FIELD_EX8(s->regs[R_CTRL_REG6], CTRL_REG6,
                                INT_POLARITY);
    bool ia1 = FIELD_EX8(s->regs[R_INT1_SRC], INT1_SRC, IA);
    bool int1, int2;

    int1 = (s->click_active &&
            FIELD_EX8(s->regs[R_CTRL_REG3], CTRL_REG3, I1_CLICK)) ||
           (ia1 && FIELD_EX8(s->regs[R_CTRL_REG3], CTRL_REG3, I1_IA1));
    int2 = (s->click_active &&
            FIELD_EX8(s->regs[R_CTRL_REG6], CTRL_REG6, I2_CLICK)) ||
           (ia1 && FIELD_EX8(s->regs[R_CTRL_REG6], CTRL_REG6, I2_IA1));

    trace_lis3dh_irq(s->parent_obj.address, int1, int2);
    qemu_set_irq(s->int1, int1 != active_low);
    qemu_set_irq(s->int2, int2 != active_low);
}

/* Inertial interrupt 1: OR or AND of the enabled axis high/low events */
static void lis3dh_update_ia1(LIS3DHState *s)
{
    uint8_t cfg = s->regs[R_INT1_CFG];
    uint8_t enabled = FIELD_EX8(cfg, INT1_CFG, EVENTS);
    int fs = FIELD_EX8(s->regs[R_CTRL_REG4], CTRL_REG4, FS);
    int ths = (s->regs[R_INT1_THS] & 0x7f) * lis3dh_ths_lsb[fs];
    uint8_t events = 0;
    bool ia;
    int axis;

    if (s->ia1_latched) {
        return;
    }
    if (lis3dh_odr(s) != 0) {
        for (axis = 0; axis < 3; axis++) {
            int a = lis3dh_axis_enabled(s, axis) ? abs(s->accel[axis]) : 0;

            if (a > ths) {
                events |= 2 << (2 * axis);      /* xH */
            } else if (a < ths) {
                events |= 1 << (2 * axis);      /* xL */
            }
        }
    }
    if (FIELD_EX8(cfg, INT1_CFG, 6D)) {
        ia = false;                             /* 6D/4D: not modelled */
    } else if (FIELD_EX8(cfg, INT1_CFG, AOI)) {
        ia = enabled && (events & enabled) == enabled;
    } else {
        ia = events & enabled;
    }
    s->regs[R_INT1_SRC] = FIELD_DP8(events, INT1_SRC, IA, ia);
    if (ia && FIELD_EX8(s->regs[R_CTRL_REG5], CTRL_REG5, LIR_INT1)) {
        s->ia1_latched = true;
    }
}

static void lis3dh_inputs_changed(LIS3DHState *s)
{
    lis3dh_sample(s);
    lis3dh_update_ia1(s);
    lis3dh_update_irq(s);
}

static bool lis3dh_click_latched(LIS3DHState *s)
{
    return FIELD_EX8(s->regs[R_CLICK_THS], CLICK_THS, LIR_CLICK) ||
           FIELD_EX8(s->regs[R_CTRL_REG5], CTRL_REG5, LIR_INT1);
}

static void lis3dh_click_end(void *opaque)
{
    LIS3DHState *s = opaque;

    s->click_active = false;
    s->regs[R_CLICK_SRC] = 0;
    lis3dh_update_irq(s);
}

/*
 * A tap on the Z axis: 1 is a single click, 2 a double click, negative
 * values tap in the negative direction.  0 does nothing.
 */
static void lis3dh_set_tap(Object *obj, Visitor *v, const char *name,
                           void *opaque, Error **errp)
{
    LIS3DHState *s = LIS3DH(obj);
    uint8_t cfg = s->regs[R_CLICK_CFG];
    uint8_t src = 0;
    int64_t value;
    int odr, latency;

    if (!visit_type_int(v, name, &value, errp)) {
        return;
    }
    if (value < -2 || value > 2) {
        error_setg(errp, "tap must be 1 (single), 2 (double), -1 or -2 "
                   "(negative direction) or 0");
        return;
    }
    if (!mvemu_board_input_property(obj, name, value, errp)) {
        return; /* tapped on the vCPU thread and recorded, or replaying */
    }
    odr = lis3dh_odr(s);
    if (value == 0 || odr == 0) {
        return;
    }
    if (!DEVICE(obj)->realized) {
        error_setg(errp, "tap can only be set on a running device");
        return;
    }
    if (cfg & LIS3DH_CLICK_CFG_ZS) {
        /* A double tap is also a single one */
        src = FIELD_DP8(src, CLICK_SRC, SCLICK, 1);
    }
    if ((cfg & LIS3DH_CLICK_CFG_ZD) && (value == 2 || value == -2)) {
        src = FIELD_DP8(src, CLICK_SRC, DCLICK, 1);
    }
    trace_lis3dh_tap(s->parent_obj.address, (int)value, src);
    if (!src) {
        return;
    }
    src = FIELD_DP8(src, CLICK_SRC, Z, 1);
    src = FIELD_DP8(src, CLICK_SRC, SIGN, value < 0);
    src = FIELD_DP8(src, CLICK_SRC, IA, 1);
    s->regs[R_CLICK_SRC] = src;
    s->click_active = true;

    if (lis3dh_click_latched(s)) {
        timer_del(s->click_timer);
    } else {
        /* Unlatched, the signal lasts for the latency window */
        latency = MAX(s->regs[R_TIME_LATENCY], 1);
        timer_mod(s->click_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                  muldiv64(latency, NANOSECONDS_PER_SECOND, odr));
    }
    lis3dh_update_irq(s);
}

static void lis3dh_get_accel(Object *obj, Visitor *v, const char *name,
                             void *opaque, Error **errp)
{
    int32_t *field = opaque;
    int64_t value = *field;

    visit_type_int(v, name, &value, errp);
}

static void lis3dh_set_accel(Object *obj, Visitor *v, const char *name,
                             void *opaque, Error **errp)
{
    LIS3DHState *s = LIS3DH(obj);
    int32_t *field = opaque;
    int64_t value;

    if (!visit_type_int(v, name, &value, errp)) {
        return;
    }
    if (value < -LIS3DH_ACCEL_LIMIT || value > LIS3DH_ACCEL_LIMIT) {
        error_setg(errp, "%s %" PRId64 " milli-g is out of range [%d, %d]",
                   name, value, -LIS3DH_ACCEL_LIMIT, LIS3DH_ACCEL_LIMIT);
        return;
    }
    if (!mvemu_board_input_property(obj, name, value, errp)) {
        return; /* stored on the vCPU thread and recorded, or replaying */
    }
    *field = value;
    trace_lis3dh_set_accel(s->parent_obj.address, name, *field);
    lis3dh_inputs_changed(s);
}

static bool lis3dh_reg_writable(uint8_t reg)
{
    switch (reg) {
    case R_CTRL_REG0 ... R_REFERENCE:
    case R_FIFO_CTRL_REG:
    case R_INT1_CFG:
    case R_INT1_THS ... R_INT2_CFG:
    case R_INT2_THS ... R_CLICK_CFG:
    case R_CLICK_THS ... R_ACT_DUR:
        return true;
    default:
        return false;
    }
}

static uint8_t lis3dh_read_reg(LIS3DHState *s, uint8_t reg)
{
    uint8_t value;

    switch (reg) {
    case R_STATUS_REG_AUX:
    case R_OUT_ADC1_L ... R_OUT_ADC3_H:
    case R_INT2_SRC:
        return 0;
    case R_WHO_AM_I:
        return LIS3DH_WHO_AM_I;
    case R_STATUS_REG:
        if (lis3dh_odr(s) == 0) {
            return 0;
        }
        value = FIELD_EX8(s->regs[R_CTRL_REG1], CTRL_REG1, XYZEN);
        return FIELD_DP8(value, STATUS_REG, ZYXDA, value != 0);
    case R_OUT_X_L ... R_OUT_Z_H:
        return s->out[reg - R_OUT_X_L];
    case R_FIFO_SRC_REG:
        return R_FIFO_SRC_REG_EMPTY_MASK;
    case R_INT1_SRC:
        value = s->regs[R_INT1_SRC];
        if (s->ia1_latched) {
            s->ia1_latched = false;
            s->regs[R_INT1_SRC] = 0;
        }
        lis3dh_update_ia1(s);
        lis3dh_update_irq(s);
        return value;
    case R_CLICK_SRC:
        value = s->regs[R_CLICK_SRC];
        if (s->click_active && lis3dh_click_latched(s)) {
            s->click_active = false;
            s->regs[R_CLICK_SRC] = 0;
            lis3dh_update_irq(s);
        }
        return value;
    default:
        if (lis3dh_reg_writable(reg)) {
            return s->regs[reg];
        }
        qemu_log_mask(LOG_GUEST_ERROR, "%s: read of reserved register 0x%02x\n",
                      __func__, reg);
        return 0xff;
    }
}

static void lis3dh_write_reg(LIS3DHState *s, uint8_t reg, uint8_t value)
{
    trace_lis3dh_write(s->parent_obj.address, reg, value);

    if (!lis3dh_reg_writable(reg)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: write to read-only or reserved register 0x%02x\n",
                      __func__, reg);
        return;
    }
    if (reg == R_CTRL_REG5) {
        /* BOOT reloads the trimming values and clears itself */
        value = FIELD_DP8(value, CTRL_REG5, BOOT, 0);
    }
    s->regs[reg] = value;

    switch (reg) {
    case R_CTRL_REG1:
    case R_CTRL_REG4:
    case R_CTRL_REG5:
    case R_INT1_CFG:
    case R_INT1_THS:
        lis3dh_inputs_changed(s);
        break;
    case R_CTRL_REG3:
    case R_CTRL_REG6:
        lis3dh_update_irq(s);
        break;
    default:
        break;
    }
}

static int lis3dh_send(I2CSlave *i2c, uint8_t data)
{
    LIS3DHState *s = LIS3DH(i2c);

    if (!s->pointer_set) {
        s->pointer = data;
        s->pointer_set = true;
        return 0;
    }
    lis3dh_write_reg(s, s->pointer & ~LIS3DH_SUB_AUTOINC, data);
    if (s->pointer & LIS3DH_SUB_AUTOINC) {
        s->pointer = LIS3DH_SUB_AUTOINC | ((s->pointer + 1) & 0x7f);
    }
    return 0;
}

static uint8_t lis3dh_recv(I2CSlave *i2c)
{
    LIS3DHState *s = LIS3DH(i2c);
    uint8_t reg = s->pointer & ~LIS3DH_SUB_AUTOINC;
    uint8_t value = lis3dh_read_reg(s, reg);

    trace_lis3dh_read(i2c->address, reg, value);
    if (s->pointer & LIS3DH_SUB_AUTOINC) {
        s->pointer = LIS3DH_SUB_AUTOINC | ((s->pointer + 1) & 0x7f);
    }
    return value;
}

static int lis3dh_event(I2CSlave *i2c, enum i2c_event event)
{
    LIS3DHState *s = LIS3DH(i2c);

    switch (event) {
    case I2C_START_SEND:
    case I2C_START_SEND_ASYNC:
        s->pointer_set = false;
        break;
    case I2C_START_RECV:
        /* A burst read sees one coherent sample */
        lis3dh_sample(s);
        break;
    default:
        break;
    }
    return 0;
}

static void lis3dh_reset_hold(Object *obj, ResetType type)
{
    LIS3DHState *s = LIS3DH(obj);

    timer_del(s->click_timer);
    memset(s->regs, 0, sizeof(s->regs));
    memset(s->out, 0, sizeof(s->out));
    s->regs[R_CTRL_REG0] = 0x10;
    s->regs[R_CTRL_REG1] = 0x07;
    s->pointer = 0;
    s->pointer_set = false;
    s->click_active = false;
    s->ia1_latched = false;
    lis3dh_update_irq(s);
}

static void lis3dh_realize(DeviceState *dev, Error **errp)
{
    LIS3DHState *s = LIS3DH(dev);

    s->click_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, lis3dh_click_end, s);
}

static void lis3dh_unrealize(DeviceState *dev)
{
    LIS3DHState *s = LIS3DH(dev);

    timer_free(s->click_timer);
    s->click_timer = NULL;
}

static int lis3dh_post_load(void *opaque, int version_id)
{
    LIS3DHState *s = opaque;

    lis3dh_update_irq(s);
    return 0;
}

static const VMStateDescription vmstate_lis3dh = {
    .name = TYPE_LIS3DH,
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = lis3dh_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_I2C_SLAVE(parent_obj, LIS3DHState),
        VMSTATE_TIMER_PTR(click_timer, LIS3DHState),
        VMSTATE_UINT8_ARRAY(regs, LIS3DHState, LIS3DH_NUM_REGS),
        VMSTATE_UINT8_ARRAY(out, LIS3DHState, 6),
        VMSTATE_UINT8(pointer, LIS3DHState),
        VMSTATE_BOOL(pointer_set, LIS3DHState),
        VMSTATE_BOOL(click_active, LIS3DHState),
        VMSTATE_BOOL(ia1_latched, LIS3DHState),
        VMSTATE_INT32_ARRAY(accel, LIS3DHState, 3),
        VMSTATE_END_OF_LIST()
    }
};

static const Property lis3dh_properties[] = {
    DEFINE_PROP_STRING("int1-pin", LIS3DHState, int1_pin),
};

static void lis3dh_init(Object *obj)
{
    LIS3DHState *s = LIS3DH(obj);
    static const char *const axis_name[3] = { "x", "y", "z" };
    int axis;

    /* Resting flat: 1 g on Z */
    s->accel[2] = 1000;
    for (axis = 0; axis < 3; axis++) {
        object_property_add(obj, axis_name[axis], "int", lis3dh_get_accel,
                            lis3dh_set_accel, NULL, &s->accel[axis]);
    }
    object_property_add(obj, "tap", "int", NULL, lis3dh_set_tap, NULL, NULL);
    qdev_init_gpio_out_named(DEVICE(obj), &s->int1, "int1", 1);
    qdev_init_gpio_out_named(DEVICE(obj), &s->int2, "int2", 1);
}

static void lis3dh_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    I2CSlaveClass *k = I2C_SLAVE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "ST LIS3DH accelerometer";
    dc->realize = lis3dh_realize;
    dc->unrealize = lis3dh_unrealize;
    dc->vmsd = &vmstate_lis3dh;
    device_class_set_props(dc, lis3dh_properties);
    rc->phases.hold = lis3dh_reset_hold;
    k->event = lis3dh_event;
    k->recv = lis3dh_recv;
    k->send = lis3dh_send;
}

static const TypeInfo lis3dh_info = {
    .name          = TYPE_LIS3DH,
    .parent        = TYPE_I2C_SLAVE,
    .instance_size = sizeof(LIS3DHState),
    .instance_init = lis3dh_init,
    .class_init    = lis3dh_class_init,
};

static void lis3dh_register_types(void)
{
    type_register_static(&lis3dh_info);
}

type_init(lis3dh_register_types)
