/*
 * STM32U5 cyclic redundancy check calculation unit (CRC) (RM0456, "Cyclic
 * redundancy check calculation unit").
 *
 * What is modelled: the whole computation, bit for bit. CRC_DR takes 8-,
 * 16- and 32-bit writes and each feeds that many bits, most significant
 * first, through the polynomial in POL of the size CR.POLYSIZE selects
 * (32, 16, 8 or 7 bits; INIT and POL use their low POLYSIZE bits).
 * CR.REV_IN bit-reverses the input by byte, half-word or word (never
 * across more than the access: a byte write reversed "by word" is
 * reversed as a byte), CR.REV_OUT bit-reverses what DR reads over
 * POLYSIZE bits. CR.RESET loads INIT into DR and clears itself. With the
 * reset values (POL 0x04C11DB7, INIT 0xFFFFFFFF, no reversal) the result
 * is the CRC-32/MPEG-2 of the bytes written. IDR is a free 32-bit
 * register. Reads of DR may be 8, 16 or 32 bits wide.
 *
 * QEMU's register API only sees 32-bit register accesses (a narrower write
 * arrives as a masked 32-bit value, so the access size, which decides how
 * many bits enter the CRC, would be lost). The block therefore has its own
 * MemoryRegionOps: DR is handled here at any size, and 32-bit accesses to
 * the other registers go to the register API as in the other blocks; a
 * narrower access to them is logged as a guest error (they are word
 * registers on the part) and ignored.
 *
 * Not modelled: the AHB wait states of a DR write (the CRC is ready at
 * once) and DMA requests (the CRC has none on the U5).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bitops.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "hw/register.h"
#include "stm32u5_regblock.h"
#include "hw/resettable.h"
#include "migration/vmstate.h"
#include "stm32u5_crc.h"
#include "trace.h"

REG32(DR, 0x00)
REG32(IDR, 0x04)
REG32(CR, 0x08)
    FIELD(CR, RESET, 0, 1)
    FIELD(CR, POLYSIZE, 3, 2)
    FIELD(CR, REV_IN, 5, 2)
    FIELD(CR, REV_OUT, 7, 1)
REG32(INIT, 0x10)
REG32(POL, 0x14)

#define CR_WMASK    (R_CR_RESET_MASK | R_CR_POLYSIZE_MASK | \
                     R_CR_REV_IN_MASK | R_CR_REV_OUT_MASK)

static STM32U5CrcState *crc_of(RegisterInfo *reg)
{
    return STM32U5_CRC(reg->opaque);
}

/* CR.POLYSIZE: 00 = 32 bits, 01 = 16, 10 = 8, 11 = 7 */
static unsigned crc_poly_bits(STM32U5CrcState *s)
{
    static const unsigned bits[] = { 32, 16, 8, 7 };

    return bits[FIELD_EX32(s->regs[R_CR], CR, POLYSIZE)];
}

static uint32_t crc_poly_mask(unsigned bits)
{
    return bits == 32 ? UINT32_MAX : (1u << bits) - 1;
}

/* Reverse the bit order of each @unit-bit chunk of the @bits-bit @val. */
static uint32_t crc_reverse_chunks(uint32_t val, unsigned bits, unsigned unit)
{
    uint32_t out = 0;

    for (unsigned shift = 0; shift < bits; shift += unit) {
        uint32_t chunk = extract32(val, shift, unit);

        out = deposit32(out, shift, unit, revbit32(chunk) >> (32 - unit));
    }
    return out;
}

/* Feed the @bits-bit word @data, most significant bit first. */
static void crc_feed(STM32U5CrcState *s, uint32_t data, unsigned bits)
{
    static const unsigned rev_in_unit[] = { 0, 8, 16, 32 };
    unsigned n = crc_poly_bits(s);
    uint32_t mask = crc_poly_mask(n);
    uint32_t pol = s->regs[R_POL] & mask;
    uint32_t crc = s->regs[R_DR] & mask;
    unsigned unit = rev_in_unit[FIELD_EX32(s->regs[R_CR], CR, REV_IN)];

    if (unit) {
        data = crc_reverse_chunks(data, bits, MIN(unit, bits));
    }
    for (int i = bits - 1; i >= 0; i--) {
        bool feedback = ((crc >> (n - 1)) ^ (data >> i)) & 1;

        crc = (crc << 1) & mask;
        if (feedback) {
            crc ^= pol;
        }
    }
    s->regs[R_DR] = crc;
    trace_stm32u5_crc_feed(data, bits, n, crc);
}

/* What DR reads: the CRC, bit-reversed over POLYSIZE bits with REV_OUT. */
static uint32_t crc_output(STM32U5CrcState *s)
{
    unsigned n = crc_poly_bits(s);
    uint32_t crc = s->regs[R_DR] & crc_poly_mask(n);

    if (FIELD_EX32(s->regs[R_CR], CR, REV_OUT)) {
        crc = revbit32(crc) >> (32 - n);
    }
    return crc;
}

static void crc_cr_post_write(RegisterInfo *reg, uint64_t val)
{
    STM32U5CrcState *s = crc_of(reg);

    if (FIELD_EX32(s->regs[R_CR], CR, RESET)) {
        s->regs[R_DR] = s->regs[R_INIT] & crc_poly_mask(crc_poly_bits(s));
        s->regs[R_CR] = FIELD_DP32(s->regs[R_CR], CR, RESET, 0);
        trace_stm32u5_crc_reset(s->regs[R_CR], s->regs[R_INIT],
                                s->regs[R_POL]);
    }
}

static const RegisterAccessInfo crc_regs_info[] = {
    {
        /* Accessed through crc_read/crc_write only (see above) */
        .name = "DR", .addr = A_DR, .reset = 0xFFFFFFFF, .ro = UINT64_MAX,
    }, {
        .name = "IDR", .addr = A_IDR,
    }, {
        .name = "CR", .addr = A_CR, .ro = ~(uint64_t)CR_WMASK,
        .post_write = crc_cr_post_write,
    }, {
        .name = "INIT", .addr = A_INIT, .reset = 0xFFFFFFFF,
    }, {
        .name = "POL", .addr = A_POL, .reset = 0x04C11DB7,
    },
};

static uint64_t crc_read(void *opaque, hwaddr offset, unsigned size)
{
    RegisterInfoArray *array = opaque;
    STM32U5CrcState *s = STM32U5_CRC(array->r[0]->opaque);

    if (offset < A_DR + 4) {
        return extract32(crc_output(s), (offset & 3) * 8, size * 8);
    }
    if (size != 4 || (offset & 3)) {
        qemu_log_mask(LOG_GUEST_ERROR, "stm32u5-crc: %u-byte read at 0x%03"
                      HWADDR_PRIx " (only DR takes narrow accesses)\n",
                      size, offset);
        return 0;
    }
    return register_read_memory(opaque, offset, size);
}

static void crc_write(void *opaque, hwaddr offset, uint64_t data,
                      unsigned size)
{
    RegisterInfoArray *array = opaque;
    STM32U5CrcState *s = STM32U5_CRC(array->r[0]->opaque);

    if (offset == A_DR) {
        crc_feed(s, data, size * 8);
        return;
    }
    if (size != 4 || (offset & 3)) {
        qemu_log_mask(LOG_GUEST_ERROR, "stm32u5-crc: %u-byte write of 0x%"
                      PRIx64 " at 0x%03" HWADDR_PRIx " ignored (%s)\n",
                      size, data, offset, offset < A_DR + 4 ?
                      "DR is written at offset 0" :
                      "only DR takes narrow accesses");
        return;
    }
    register_write_memory(opaque, offset, data, size);
}

static const MemoryRegionOps crc_ops = {
    .read = crc_read,
    .write = crc_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 1,
        .max_access_size = 4,
        .unaligned = false,
    },
    .impl = {
        .min_access_size = 1,
        .max_access_size = 4,
    },
};

static void stm32u5_crc_reset_hold(Object *obj, ResetType type)
{
    STM32U5CrcState *s = STM32U5_CRC(obj);

    stm32u5_regblock_reset(s->regs_info, ARRAY_SIZE(s->regs_info));
}

static void stm32u5_crc_init(Object *obj)
{
    STM32U5CrcState *s = STM32U5_CRC(obj);

    s->reg_array = register_init_block32(DEVICE(obj), crc_regs_info,
                                         ARRAY_SIZE(crc_regs_info),
                                         s->regs_info, s->regs, &crc_ops,
                                         false, STM32U5_CRC_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->reg_array->mem);
}

static void stm32u5_crc_finalize(Object *obj)
{
    register_finalize_block(STM32U5_CRC(obj)->reg_array);
}

static const VMStateDescription vmstate_stm32u5_crc = {
    .name = TYPE_STM32U5_CRC,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, STM32U5CrcState, STM32U5_CRC_NUM_WORDS),
        VMSTATE_END_OF_LIST()
    },
};

static void stm32u5_crc_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "STM32U5 CRC calculation unit";
    dc->vmsd = &vmstate_stm32u5_crc;
    rc->phases.hold = stm32u5_crc_reset_hold;
}

static const TypeInfo stm32u5_crc_info = {
    .name          = TYPE_STM32U5_CRC,
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(STM32U5CrcState),
    .instance_init = stm32u5_crc_init,
    .instance_finalize = stm32u5_crc_finalize,
    .class_init    = stm32u5_crc_class_init,
};

static void stm32u5_crc_register_types(void)
{
    type_register_static(&stm32u5_crc_info);
}

type_init(stm32u5_crc_register_types)
