/*
 * STM32U5 reset and clock control (RCC) as seen by a Microvisor application
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or later.
 * See the COPYING file in the top-level directory.
 */

#ifndef HW_MVEMU_STM32U5_RCC_H
#define HW_MVEMU_STM32U5_RCC_H

#include "hw/sysbus.h"
#include "qom/object.h"

#define TYPE_STM32U5_RCC "stm32u5-rcc"
OBJECT_DECLARE_SIMPLE_TYPE(STM32U5RCCState, STM32U5_RCC)

#define STM32U5_RCC_MMIO_SIZE   0x400
#define STM32U5_RCC_NUM_WORDS   (STM32U5_RCC_MMIO_SIZE / 4)

/* Crystal fitted on Microvisor boards; ST's HAL is built with this value */
#define STM32U5_RCC_HSE_HZ      16000000u

struct STM32U5RCCState {
    /* <private> */
    SysBusDevice parent_obj;

    /* <public> */
    MemoryRegion mmio;

    /* Register file, indexed by offset / 4 (unused slots stay 0) */
    uint32_t regs[STM32U5_RCC_NUM_WORDS];

    /*
     * Clock tree requested by the board with stm32u5_rcc_set_clock_tree().
     * It is board configuration, not guest state: it is not migrated and
     * every device reset programs it again on top of the RM0456 reset values.
     */
    bool clock_tree_set;
    uint32_t sysclk_hz;
    uint32_t hclk_hz;
    uint32_t pclk1_hz;
    uint32_t pclk2_hz;
    /* Register encodings derived from the frequencies above */
    uint32_t pll1_n;        /* PLL1 multiplier, 4..512 */
    uint32_t pll1_r;        /* PLL1 R divider, 1 or even up to 128 */
    uint32_t hpre;          /* CFGR2.HPRE field value */
    uint32_t ppre1;         /* CFGR2.PPRE1 field value */
    uint32_t ppre2;         /* CFGR2.PPRE2 field value */
};

/*
 * Program the registers the way Microvisor's secure boot leaves them:
 * SYSCLK = PLL1 R output fed by the 16 MHz HSE, and the AHB/APB1/APB2
 * prescalers chosen so that ST's HAL, reading these registers, computes
 * exactly the given frequencies. Sets @errp if a frequency cannot be
 * expressed with the RCC dividers. May be called before or after realize;
 * the configuration is kept and re-applied on every device reset.
 */
void stm32u5_rcc_set_clock_tree(STM32U5RCCState *s, uint32_t sysclk_hz,
                                uint32_t hclk_hz, uint32_t pclk1_hz,
                                uint32_t pclk2_hz, Error **errp);

#endif /* HW_MVEMU_STM32U5_RCC_H */
