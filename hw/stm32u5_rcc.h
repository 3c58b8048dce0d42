/*
 * STM32U5 reset and clock control (RCC) as a Microvisor application sees it
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MVEMU_STM32U5_RCC_H
#define HW_MVEMU_STM32U5_RCC_H

#include "hw/sysbus.h"
#include "hw/register.h"
#include "qom/object.h"

#define TYPE_STM32U5_RCC "stm32u5-rcc"
OBJECT_DECLARE_SIMPLE_TYPE(STM32U5RCCState, STM32U5_RCC)

#define STM32U5_RCC_MMIO_SIZE   0x400
#define STM32U5_RCC_NUM_WORDS   (STM32U5_RCC_MMIO_SIZE / 4)

/* Crystal fitted on Microvisor boards; ST's HAL is built with this value */
#define STM32U5_RCC_HSE_HZ      16000000u
/* The clock tree Microvisor sets up: 160 MHz everywhere */
#define STM32U5_DEFAULT_CLOCK_HZ 160000000u

/* The RCC's clock-tree properties, which the SoC and the machine alias. */
static const char *const stm32u5_clock_tree_properties[] = {
    "sysclk-frequency", "hclk-frequency", "pclk1-frequency", "pclk2-frequency",
};

struct STM32U5RCCState {
    /* <private> */
    SysBusDevice parent_obj;

    /* <public> */
    RegisterInfoArray *reg_array;
    uint32_t regs[STM32U5_RCC_NUM_WORDS];
    RegisterInfo regs_info[STM32U5_RCC_NUM_WORDS];

    /*
     * The clock tree Microvisor's boot programs (properties). Board
     * configuration, not guest state: every reset programs it again.
     */
    uint32_t sysclk_hz;
    uint32_t hclk_hz;
    uint32_t pclk1_hz;
    uint32_t pclk2_hz;
    /* Register encodings derived from the frequencies at realize */
    uint32_t pll1_n;        /* PLL1 multiplier, 4..512 */
    uint32_t pll1_r;        /* PLL1 R divider, 1 or even up to 128 */
    uint32_t hpre;          /* CFGR2.HPRE field value */
    uint32_t ppre1;         /* CFGR2.PPRE1 field value */
    uint32_t ppre2;         /* CFGR2.PPRE2 field value */
};

/*
 * mvPeriphPoke32 on RCC register @offset: new = (old & ~@mask) ^ @xorvalue,
 * applied only to the bits Microvisor lets the application change (the
 * policy lives here, with the register map). Returns false for an offset
 * that is not a register.
 */
bool stm32u5_rcc_app_poke(STM32U5RCCState *s, hwaddr offset, uint32_t mask,
                          uint32_t xorvalue);

#endif /* HW_MVEMU_STM32U5_RCC_H */
