/*
 * STM32U5 I2C controller (I2C1-I2C4) as a bus master on QEMU's I2C bus
 * (RM0456, "Inter-integrated circuit interface").
 *
 * The firmware programs CR2 (target address SADD, direction RD_WRN,
 * NBYTES, RELOAD, AUTOEND) and sets START; the controller addresses the
 * target on the bus and then moves NBYTES bytes through TXDR or RXDR,
 * raising TXIS or RXNE for each. At the end of a chunk it sets TCR (RELOAD:
 * the firmware writes the next NBYTES), TC (software end: the firmware sets
 * START again for a repeated start, or STOP), or with AUTOEND sends the STOP
 * itself (STOPF). A target that does not acknowledge its address or a byte
 * sets NACKF and the controller sends a STOP, as the part does; that is how
 * HAL_I2C_IsDeviceReady finds a device absent.
 *
 * Bytes move at once: the bus runs infinitely fast in virtual time, so
 * TIMINGR is storage and every flag the HAL polls is already set when it
 * reads ISR. Not modelled: slave mode (OAR1/OAR2 are storage, ADDR never
 * sets), 10-bit addressing (the address is not acknowledged), SMBus (PEC,
 * timeouts, alert), DMA requests, bus errors and arbitration loss.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/register.h"
#include "stm32u5_regblock.h"
#include "hw/resettable.h"
#include "migration/vmstate.h"
#include "stm32u5_i2c.h"
#include "trace.h"

REG32(CR1, 0x00)
    FIELD(CR1, PE, 0, 1)
    FIELD(CR1, TXIE, 1, 1)
    FIELD(CR1, RXIE, 2, 1)
    FIELD(CR1, ADDRIE, 3, 1)
    FIELD(CR1, NACKIE, 4, 1)
    FIELD(CR1, STOPIE, 5, 1)
    FIELD(CR1, TCIE, 6, 1)
    FIELD(CR1, ERRIE, 7, 1)
REG32(CR2, 0x04)
    FIELD(CR2, SADD, 0, 10)
    FIELD(CR2, RD_WRN, 10, 1)
    FIELD(CR2, ADD10, 11, 1)
    FIELD(CR2, START, 13, 1)
    FIELD(CR2, STOP, 14, 1)
    FIELD(CR2, NACK, 15, 1)
    FIELD(CR2, NBYTES, 16, 8)
    FIELD(CR2, RELOAD, 24, 1)
    FIELD(CR2, AUTOEND, 25, 1)
    FIELD(CR2, PECBYTE, 26, 1)
REG32(OAR1, 0x08)
REG32(OAR2, 0x0C)
REG32(TIMINGR, 0x10)
REG32(TIMEOUTR, 0x14)
REG32(ISR, 0x18)
    FIELD(ISR, TXE, 0, 1)
    FIELD(ISR, TXIS, 1, 1)
    FIELD(ISR, RXNE, 2, 1)
    FIELD(ISR, ADDR, 3, 1)
    FIELD(ISR, NACKF, 4, 1)
    FIELD(ISR, STOPF, 5, 1)
    FIELD(ISR, TC, 6, 1)
    FIELD(ISR, TCR, 7, 1)
    FIELD(ISR, BERR, 8, 1)
    FIELD(ISR, ARLO, 9, 1)
    FIELD(ISR, OVR, 10, 1)
    FIELD(ISR, PECERR, 11, 1)
    FIELD(ISR, TIMEOUT, 12, 1)
    FIELD(ISR, ALERT, 13, 1)
    FIELD(ISR, BUSY, 15, 1)
    FIELD(ISR, DIR, 16, 1)
REG32(ICR, 0x1C)
REG32(PECR, 0x20)
REG32(RXDR, 0x24)
REG32(TXDR, 0x28)
REG32(AUTOCR, 0x2C)

/* The flags ICR clears (its bits are at the same positions as in ISR) */
#define I2C_ICR_MASK    0x3F38
#define I2C_ERROR_FLAGS (R_ISR_BERR_MASK | R_ISR_ARLO_MASK | R_ISR_OVR_MASK | \
                         R_ISR_PECERR_MASK | R_ISR_TIMEOUT_MASK | \
                         R_ISR_ALERT_MASK)

static STM32U5I2CState *i2c_of(RegisterInfo *reg)
{
    return STM32U5_I2C(reg->opaque);
}

static void i2c_set_flags(STM32U5I2CState *s, uint32_t set, uint32_t clear)
{
    s->regs[R_ISR] = (s->regs[R_ISR] & ~clear) | set;
}

static void i2c_update_irqs(STM32U5I2CState *s)
{
    uint32_t isr = s->regs[R_ISR], cr1 = s->regs[R_CR1];
    bool event =
        (FIELD_EX32(isr, ISR, TXIS) && FIELD_EX32(cr1, CR1, TXIE)) ||
        (FIELD_EX32(isr, ISR, RXNE) && FIELD_EX32(cr1, CR1, RXIE)) ||
        (FIELD_EX32(isr, ISR, ADDR) && FIELD_EX32(cr1, CR1, ADDRIE)) ||
        (FIELD_EX32(isr, ISR, NACKF) && FIELD_EX32(cr1, CR1, NACKIE)) ||
        (FIELD_EX32(isr, ISR, STOPF) && FIELD_EX32(cr1, CR1, STOPIE)) ||
        ((FIELD_EX32(isr, ISR, TC) || FIELD_EX32(isr, ISR, TCR)) &&
         FIELD_EX32(cr1, CR1, TCIE));

    qemu_set_irq(s->event_irq, event);
    qemu_set_irq(s->error_irq,
                 (isr & I2C_ERROR_FLAGS) && FIELD_EX32(cr1, CR1, ERRIE));
}

/* A STOP on the bus: the transfer is over and the bus is free. */
static void i2c_stop(STM32U5I2CState *s)
{
    if (s->in_transfer) {
        i2c_end_transfer(s->bus);
    }
    s->in_transfer = false;
    s->bytes_left = 0;
    i2c_set_flags(s, R_ISR_STOPF_MASK | R_ISR_TXE_MASK,
                  R_ISR_BUSY_MASK | R_ISR_TXIS_MASK | R_ISR_TC_MASK |
                  R_ISR_TCR_MASK);
    trace_stm32u5_i2c_stop(s->bus_name);
}

/* The target did not acknowledge: NACKF, and the controller stops. */
static void i2c_nacked(STM32U5I2CState *s)
{
    trace_stm32u5_i2c_nack(s->bus_name);
    i2c_set_flags(s, R_ISR_NACKF_MASK, R_ISR_RXNE_MASK);
    i2c_stop(s);
}

static void i2c_receive_byte(STM32U5I2CState *s)
{
    s->regs[R_RXDR] = i2c_recv(s->bus);
    i2c_set_flags(s, R_ISR_RXNE_MASK, 0);
    trace_stm32u5_i2c_byte(s->bus_name, "read", s->regs[R_RXDR]);
}

/*
 * The chunk's NBYTES have moved: wait for a reload, for the firmware's
 * START or STOP, or stop here (AUTOEND).
 */
static void i2c_chunk_done(STM32U5I2CState *s)
{
    uint32_t cr2 = s->regs[R_CR2];

    if (FIELD_EX32(cr2, CR2, RELOAD)) {
        i2c_set_flags(s, R_ISR_TCR_MASK, R_ISR_TXIS_MASK);
        return;
    }
    if (s->reading) {
        /* The master does not acknowledge the last byte it reads. */
        i2c_nack(s->bus);
    }
    if (FIELD_EX32(cr2, CR2, AUTOEND)) {
        i2c_stop(s);
    } else {
        i2c_set_flags(s, R_ISR_TC_MASK, R_ISR_TXIS_MASK);
    }
}

/* Ready for the next byte of the chunk, or the chunk is done. */
static void i2c_next_byte(STM32U5I2CState *s)
{
    if (!s->bytes_left) {
        i2c_chunk_done(s);
    } else if (s->reading) {
        i2c_receive_byte(s);
    } else {
        i2c_set_flags(s, R_ISR_TXIS_MASK, 0);
    }
}

/* START (or a repeated START): address the target, then move bytes. */
static void i2c_start(STM32U5I2CState *s)
{
    uint32_t cr2 = s->regs[R_CR2];
    uint8_t address = extract32(FIELD_EX32(cr2, CR2, SADD), 1, 7);
    bool acked;

    s->reading = FIELD_EX32(cr2, CR2, RD_WRN);
    s->bytes_left = FIELD_EX32(cr2, CR2, NBYTES);
    i2c_set_flags(s, R_ISR_BUSY_MASK,
                  R_ISR_TC_MASK | R_ISR_TCR_MASK | R_ISR_TXIS_MASK |
                  R_ISR_DIR_MASK);
    if (s->reading) {
        i2c_set_flags(s, R_ISR_DIR_MASK, 0);
    }
    /*
     * QEMU's bus keeps a repeated START with its current target; one to
     * another target ends the previous transfer first.
     */
    if (s->in_transfer && address != s->address) {
        i2c_end_transfer(s->bus);
    }
    s->address = address;
    /* QEMU's I2C bus has 7-bit addresses only. */
    acked = !FIELD_EX32(cr2, CR2, ADD10) &&
            i2c_start_transfer(s->bus, address, s->reading) == 0;
    trace_stm32u5_i2c_start(s->bus_name, address, s->reading,
                            s->bytes_left, acked);
    if (!acked) {
        /* The bus may hold a previous transfer's targets still. */
        s->in_transfer = true;
        i2c_nacked(s);
        return;
    }
    s->in_transfer = true;
    i2c_next_byte(s);
}

static uint64_t i2c_cr1_pre_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5I2CState *s = i2c_of(reg);

    /* Clearing PE resets the controller's state and flags. */
    if (FIELD_EX32(s->regs[R_CR1], CR1, PE) && !FIELD_EX32(val, CR1, PE)) {
        if (s->in_transfer) {
            i2c_end_transfer(s->bus);
            s->in_transfer = false;
        }
        s->bytes_left = 0;
        s->regs[R_ISR] = R_ISR_TXE_MASK;
        s->regs[R_CR2] &= ~(R_CR2_START_MASK | R_CR2_STOP_MASK |
                            R_CR2_NACK_MASK);
    }
    return val;
}

static void i2c_update_post_write(RegisterInfo *reg, uint64_t val)
{
    i2c_update_irqs(i2c_of(reg));
}

static void i2c_cr2_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5I2CState *s = i2c_of(reg);
    bool enabled = FIELD_EX32(s->regs[R_CR1], CR1, PE);

    if (!enabled) {
        s->regs[R_CR2] &= ~(R_CR2_START_MASK | R_CR2_STOP_MASK);
        if (val & (R_CR2_START_MASK | R_CR2_STOP_MASK)) {
            qemu_log_mask(LOG_GUEST_ERROR, "%s: %s: START or STOP with "
                          "CR1.PE clear\n", __func__, s->bus_name);
        }
        return;
    }
    if (FIELD_EX32(val, CR2, START)) {
        s->regs[R_CR2] = FIELD_DP32(s->regs[R_CR2], CR2, START, 0);
        i2c_start(s);
    } else if (FIELD_EX32(val, CR2, STOP)) {
        s->regs[R_CR2] = FIELD_DP32(s->regs[R_CR2], CR2, STOP, 0);
        if (FIELD_EX32(s->regs[R_ISR], ISR, BUSY)) {
            if (s->reading && s->in_transfer) {
                i2c_nack(s->bus);
            }
            i2c_stop(s);
        }
    } else if (FIELD_EX32(s->regs[R_ISR], ISR, TCR) &&
               FIELD_EX32(val, CR2, NBYTES)) {
        /* Reload: a new NBYTES continues the transfer. */
        s->bytes_left = FIELD_EX32(val, CR2, NBYTES);
        i2c_set_flags(s, 0, R_ISR_TCR_MASK);
        i2c_next_byte(s);
    }
    i2c_update_irqs(s);
}

/* Software may set TXE to flush TXDR; the other ISR bits are read-only. */
static uint64_t i2c_isr_pre_write(RegisterInfo *reg, uint64_t val)
{
    return i2c_of(reg)->regs[R_ISR] | (val & R_ISR_TXE_MASK);
}

static void i2c_icr_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5I2CState *s = i2c_of(reg);

    s->regs[R_ISR] &= ~(val & I2C_ICR_MASK);
    s->regs[R_ICR] = 0;
    i2c_update_irqs(s);
}

static uint64_t i2c_rxdr_post_read(RegisterInfo *reg, uint64_t val)
{
    STM32U5I2CState *s = i2c_of(reg);

    if (!FIELD_EX32(s->regs[R_ISR], ISR, RXNE)) {
        return val;
    }
    i2c_set_flags(s, 0, R_ISR_RXNE_MASK);
    if (s->in_transfer && s->reading && s->bytes_left) {
        s->bytes_left--;
        i2c_next_byte(s);
    }
    i2c_update_irqs(s);
    return val;
}

static void i2c_txdr_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5I2CState *s = i2c_of(reg);

    if (!s->in_transfer || s->reading || !s->bytes_left ||
        !FIELD_EX32(s->regs[R_ISR], ISR, TXIS)) {
        /* Kept in TXDR (a flush with ISR.TXE drops it), as on the part. */
        i2c_set_flags(s, 0, R_ISR_TXE_MASK);
        return;
    }
    i2c_set_flags(s, R_ISR_TXE_MASK, R_ISR_TXIS_MASK);
    trace_stm32u5_i2c_byte(s->bus_name, "write", val & 0xFF);
    if (i2c_send(s->bus, val) != 0) {
        i2c_nacked(s);
    } else {
        s->bytes_left--;
        i2c_next_byte(s);
    }
    i2c_update_irqs(s);
}

static const RegisterAccessInfo i2c_regs_info[] = {
    {
        .name = "CR1", .addr = A_CR1, .ro = 0x3F002000,
        .pre_write = i2c_cr1_pre_write, .post_write = i2c_update_post_write,
    }, {
        .name = "CR2", .addr = A_CR2, .ro = 0xF8000000,
        .post_write = i2c_cr2_post_write,
    },
    { .name = "OAR1", .addr = A_OAR1, .ro = 0xFFFF7800 },
    { .name = "OAR2", .addr = A_OAR2, .ro = 0xFFFF78FF & ~0x00FE },
    { .name = "TIMINGR", .addr = A_TIMINGR, .ro = 0x0F000000 },
    { .name = "TIMEOUTR", .addr = A_TIMEOUTR, .ro = 0x70007000 },
    {
        .name = "ISR", .addr = A_ISR, .reset = R_ISR_TXE_MASK,
        .pre_write = i2c_isr_pre_write, .post_write = i2c_update_post_write,
    }, {
        .name = "ICR", .addr = A_ICR, .post_write = i2c_icr_post_write,
    },
    { .name = "PECR", .addr = A_PECR, .ro = 0xFFFFFFFF },
    {
        .name = "RXDR", .addr = A_RXDR, .ro = 0xFFFFFFFF,
        .post_read = i2c_rxdr_post_read,
    }, {
        .name = "TXDR", .addr = A_TXDR, .ro = 0xFFFFFF00,
        .post_write = i2c_txdr_post_write,
    },
    { .name = "AUTOCR", .addr = A_AUTOCR, .ro = 0xFFC0FF3F },
};

static void stm32u5_i2c_reset_hold(Object *obj, ResetType type)
{
    STM32U5I2CState *s = STM32U5_I2C(obj);

    if (s->in_transfer) {
        i2c_end_transfer(s->bus);
    }
    s->in_transfer = false;
    s->reading = false;
    s->bytes_left = 0;
    stm32u5_regblock_reset(s->regs_info, ARRAY_SIZE(s->regs_info));
}

static void stm32u5_i2c_reset_exit(Object *obj, ResetType type)
{
    i2c_update_irqs(STM32U5_I2C(obj));
}

static void stm32u5_i2c_init(Object *obj)
{
    STM32U5I2CState *s = STM32U5_I2C(obj);

    s->reg_array = stm32u5_regblock_init(SYS_BUS_DEVICE(obj), i2c_regs_info,
                                         ARRAY_SIZE(i2c_regs_info),
                                         s->regs_info, s->regs,
                                         STM32U5_I2C_MMIO_SIZE);
    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->event_irq);
    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->error_irq);
}

static void stm32u5_i2c_realize(DeviceState *dev, Error **errp)
{
    STM32U5I2CState *s = STM32U5_I2C(dev);

    if (!s->bus_name) {
        error_setg(errp, "stm32u5-i2c: property bus-name is not set");
        return;
    }
    s->bus = i2c_init_bus(dev, s->bus_name);
}

static void stm32u5_i2c_finalize(Object *obj)
{
    register_finalize_block(STM32U5_I2C(obj)->reg_array);
}

static const VMStateDescription vmstate_stm32u5_i2c = {
    .name = TYPE_STM32U5_I2C,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, STM32U5I2CState, STM32U5_I2C_NUM_WORDS),
        VMSTATE_BOOL(in_transfer, STM32U5I2CState),
        VMSTATE_BOOL(reading, STM32U5I2CState),
        VMSTATE_UINT8(address, STM32U5I2CState),
        VMSTATE_UINT32(bytes_left, STM32U5I2CState),
        VMSTATE_END_OF_LIST()
    },
};

static const Property stm32u5_i2c_properties[] = {
    DEFINE_PROP_STRING("bus-name", STM32U5I2CState, bus_name),
};

static void stm32u5_i2c_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "STM32U5 I2C controller (master)";
    dc->realize = stm32u5_i2c_realize;
    dc->vmsd = &vmstate_stm32u5_i2c;
    device_class_set_props(dc, stm32u5_i2c_properties);
    rc->phases.hold = stm32u5_i2c_reset_hold;
    rc->phases.exit = stm32u5_i2c_reset_exit;
}

static const TypeInfo stm32u5_i2c_info = {
    .name          = TYPE_STM32U5_I2C,
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(STM32U5I2CState),
    .instance_init = stm32u5_i2c_init,
    .instance_finalize = stm32u5_i2c_finalize,
    .class_init    = stm32u5_i2c_class_init,
};

static void stm32u5_i2c_register_types(void)
{
    type_register_static(&stm32u5_i2c_info);
}

type_init(stm32u5_i2c_register_types)
