/*
 * STM32U5 extended interrupt and event controller (EXTI), the part of it
 * that GPIO interrupts use (RM0456, "Extended interrupts and event
 * controller").
 *
 * Unlike the STM32L4, the U5 selects the port of each of the lines 0-15 in
 * EXTI itself (EXTICR1-4, one byte per line) and keeps separate rising and
 * falling pending registers (RPR1, FPR1, write 1 to clear); each of the
 * lines 0-15 has its own NVIC line (EXTI0-EXTI15). The GPIO ports report
 * every pin's level to this device; a level change on the selected port's
 * pin is an edge. SWIER1 sets a rising pending bit, as the part does.
 *
 * Not modelled: the internal lines 16-24 (PVD, COMP, ...; their registers
 * bits are storage only), wake-up events (EMR1 is storage), and the
 * security and privilege filters (SECCFGR1, PRIVCFGR1, LOCKR are storage:
 * every access is let through, as Microvisor leaves the GPIO lines to the
 * Non-secure application).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "hw/irq.h"
#include "hw/register.h"
#include "stm32u5_regblock.h"
#include "hw/resettable.h"
#include "migration/vmstate.h"
#include "stm32u5_exti.h"
#include "trace.h"

REG32(RTSR1, 0x00)
REG32(FTSR1, 0x04)
REG32(SWIER1, 0x08)
REG32(RPR1, 0x0C)
REG32(FPR1, 0x10)
REG32(SECCFGR1, 0x14)
REG32(PRIVCFGR1, 0x18)
REG32(EXTICR1, 0x60)
REG32(EXTICR2, 0x64)
REG32(EXTICR3, 0x68)
REG32(EXTICR4, 0x6C)
REG32(LOCKR, 0x70)
    FIELD(LOCKR, LOCK, 0, 1)
REG32(IMR1, 0x80)
REG32(EMR1, 0x84)

#define EXTI_LINES_MASK     0x01FFFFFF      /* lines 0-24 */
#define EXTICR_PORTS_MASK   0x0F0F0F0F      /* 4 bits of port per line */

static STM32U5ExtiState *exti_of(RegisterInfo *reg)
{
    return STM32U5_EXTI(reg->opaque);
}

static void exti_update_irqs(STM32U5ExtiState *s)
{
    uint32_t pending = (s->regs[R_RPR1] | s->regs[R_FPR1]) & s->regs[R_IMR1];

    for (int line = 0; line < STM32U5_EXTI_NUM_GPIO_LINES; line++) {
        qemu_set_irq(s->irq[line], extract32(pending, line, 1));
    }
}

/* The port (0 = GPIOA) that EXTICR selects for line @line. */
static unsigned exti_selected_port(STM32U5ExtiState *s, unsigned line)
{
    return extract32(s->regs[R_EXTICR1 + line / 4], (line % 4) * 8, 4);
}

static void exti_gpio_set(void *opaque, int n, int level)
{
    STM32U5ExtiState *s = opaque;
    unsigned port = n / STM32U5_EXTI_PINS_PER_PORT;
    unsigned pin = n % STM32U5_EXTI_PINS_PER_PORT;
    bool old = extract32(s->pin_levels[port], pin, 1);

    s->pin_levels[port] = deposit32(s->pin_levels[port], pin, 1, !!level);
    if (old == !!level || exti_selected_port(s, pin) != port) {
        return;
    }
    if (level && extract32(s->regs[R_RTSR1], pin, 1)) {
        s->regs[R_RPR1] |= BIT(pin);
    } else if (!level && extract32(s->regs[R_FTSR1], pin, 1)) {
        s->regs[R_FPR1] |= BIT(pin);
    } else {
        return;
    }
    trace_stm32u5_exti_edge(pin, port, !!level);
    exti_update_irqs(s);
}

/* While LOCKR.LOCK is set, the security and privilege settings hold. */
static uint64_t exti_lockable_pre_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5ExtiState *s = exti_of(reg);

    if (FIELD_EX32(s->regs[R_LOCKR], LOCKR, LOCK)) {
        return *(uint32_t *)reg->data;
    }
    return val;
}

/* LOCK can only be set; a reset clears it. */
static uint64_t exti_lockr_pre_write(RegisterInfo *reg, uint64_t val)
{
    return val | exti_of(reg)->regs[R_LOCKR];
}

/* Writing 1 to a SWIER1 bit makes a rising edge on that line. */
static void exti_swier_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5ExtiState *s = exti_of(reg);

    s->regs[R_RPR1] |= val & EXTI_LINES_MASK;
    exti_update_irqs(s);
}

/* A pending bit cleared also clears the software request that set it. */
static void exti_pending_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5ExtiState *s = exti_of(reg);

    s->regs[R_SWIER1] &= s->regs[R_RPR1];
    exti_update_irqs(s);
}

static void exti_update_post_write(RegisterInfo *reg, uint64_t val)
{
    exti_update_irqs(exti_of(reg));
}

#define EXTI_LINES_REG(reg_name, ...) { \
        .name = #reg_name, .addr = A_##reg_name, \
        .ro = ~(uint64_t)EXTI_LINES_MASK, __VA_ARGS__ \
    }
#define EXTI_CR_REG(reg_name) { \
        .name = #reg_name, .addr = A_##reg_name, \
        .ro = ~(uint64_t)EXTICR_PORTS_MASK, \
    }

static const RegisterAccessInfo exti_regs_info[] = {
    EXTI_LINES_REG(RTSR1),
    EXTI_LINES_REG(FTSR1),
    EXTI_LINES_REG(SWIER1, .post_write = exti_swier_post_write),
    EXTI_LINES_REG(RPR1, .w1c = EXTI_LINES_MASK,
                   .post_write = exti_pending_post_write),
    EXTI_LINES_REG(FPR1, .w1c = EXTI_LINES_MASK,
                   .post_write = exti_pending_post_write),
    EXTI_LINES_REG(SECCFGR1, .pre_write = exti_lockable_pre_write),
    EXTI_LINES_REG(PRIVCFGR1, .pre_write = exti_lockable_pre_write),
    EXTI_CR_REG(EXTICR1),
    EXTI_CR_REG(EXTICR2),
    EXTI_CR_REG(EXTICR3),
    EXTI_CR_REG(EXTICR4),
    {
        .name = "LOCKR", .addr = A_LOCKR, .ro = ~(uint64_t)R_LOCKR_LOCK_MASK,
        .pre_write = exti_lockr_pre_write,
    },
    EXTI_LINES_REG(IMR1, .post_write = exti_update_post_write),
    EXTI_LINES_REG(EMR1),
};

static void stm32u5_exti_reset_hold(Object *obj, ResetType type)
{
    STM32U5ExtiState *s = STM32U5_EXTI(obj);

    stm32u5_regblock_reset(s->regs_info, ARRAY_SIZE(s->regs_info));
}

static void stm32u5_exti_reset_exit(Object *obj, ResetType type)
{
    exti_update_irqs(STM32U5_EXTI(obj));
}

static void stm32u5_exti_init(Object *obj)
{
    STM32U5ExtiState *s = STM32U5_EXTI(obj);

    s->reg_array = stm32u5_regblock_init(SYS_BUS_DEVICE(obj), exti_regs_info,
                                         ARRAY_SIZE(exti_regs_info),
                                         s->regs_info, s->regs,
                                         STM32U5_EXTI_MMIO_SIZE);
    for (int i = 0; i < STM32U5_EXTI_NUM_GPIO_LINES; i++) {
        sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq[i]);
    }
    qdev_init_gpio_in(DEVICE(obj), exti_gpio_set, STM32U5_EXTI_NUM_INPUTS);
}

static void stm32u5_exti_finalize(Object *obj)
{
    register_finalize_block(STM32U5_EXTI(obj)->reg_array);
}

static const VMStateDescription vmstate_stm32u5_exti = {
    .name = TYPE_STM32U5_EXTI,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, STM32U5ExtiState, STM32U5_EXTI_NUM_WORDS),
        VMSTATE_UINT16_ARRAY(pin_levels, STM32U5ExtiState,
                             STM32U5_EXTI_NUM_PORTS),
        VMSTATE_END_OF_LIST()
    },
};

static void stm32u5_exti_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "STM32U5 EXTI (GPIO lines 0-15)";
    dc->vmsd = &vmstate_stm32u5_exti;
    rc->phases.hold = stm32u5_exti_reset_hold;
    rc->phases.exit = stm32u5_exti_reset_exit;
}

static const TypeInfo stm32u5_exti_info = {
    .name          = TYPE_STM32U5_EXTI,
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(STM32U5ExtiState),
    .instance_init = stm32u5_exti_init,
    .instance_finalize = stm32u5_exti_finalize,
    .class_init    = stm32u5_exti_class_init,
};

static void stm32u5_exti_register_types(void)
{
    type_register_static(&stm32u5_exti_info);
}

type_init(stm32u5_exti_register_types)
