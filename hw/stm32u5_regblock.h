/*
 * A block of 32-bit registers on QEMU's register API, as the STM32U5 models
 * use it: one MMIO region of word accesses, set up and reset in one call.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MVEMU_STM32U5_REGBLOCK_H
#define HW_MVEMU_STM32U5_REGBLOCK_H

#include "hw/register.h"
#include "hw/sysbus.h"

/*
 * Create the registers @access (@count of them) over @regs / @regs_info in
 * an MMIO region of @size bytes that only takes 32-bit accesses, and make it
 * @dev's next sysbus MMIO region.
 */
RegisterInfoArray *stm32u5_regblock_init(SysBusDevice *dev,
                                         const RegisterAccessInfo *access,
                                         size_t count, RegisterInfo *regs_info,
                                         uint32_t *regs, uint64_t size);

/* Every register of @regs_info (@count) back to its reset value. */
void stm32u5_regblock_reset(RegisterInfo *regs_info, size_t count);

#endif
