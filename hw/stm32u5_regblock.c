/*
 * A block of 32-bit registers on QEMU's register API (see the header).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "stm32u5_regblock.h"

static const MemoryRegionOps stm32u5_regblock_ops = {
    .read = register_read_memory,
    .write = register_write_memory,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

RegisterInfoArray *stm32u5_regblock_init(SysBusDevice *dev,
                                         const RegisterAccessInfo *access,
                                         size_t count, RegisterInfo *regs_info,
                                         uint32_t *regs, uint64_t size)
{
    RegisterInfoArray *array =
        register_init_block32(DEVICE(dev), access, count, regs_info, regs,
                              &stm32u5_regblock_ops, false, size);

    sysbus_init_mmio(dev, &array->mem);
    return array;
}

void stm32u5_regblock_reset(RegisterInfo *regs_info, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        register_reset(&regs_info[i]);
    }
}
