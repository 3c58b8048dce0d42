/*
 * STM32U585 system on chip: Cortex-M33 with the Security Extension, its
 * IDAU, flash, SRAMs, RCC and the peripherals the emulator models.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MVEMU_STM32U585_SOC_H
#define HW_MVEMU_STM32U585_SOC_H

#include "hw/sysbus.h"
#include "hw/arm/armv7m.h"
#include "hw/clock.h"
#include "hw/misc/unimp.h"
#include "qom/object.h"
#include "stm32u5_idau.h"
#include "stm32u5_rcc.h"
#include "stm32u5_flash_if.h"
#include "stm32u5_timer.h"
#include "stm32u5_exti.h"
#include "stm32u5_i2c.h"
#include "stm32u5_pwr.h"
#include "stm32u5_icache.h"
#include "stm32u5_syscfg.h"
#include "stm32u5_dbgmcu.h"
#include "stm32u5_rng.h"
#include "stm32u5_crc.h"
#include "hw/char/stm32l4x5_usart.h"
#include "hw/gpio/stm32l4x5_gpio.h"

#define TYPE_STM32U585_SOC "stm32u585-soc"
OBJECT_DECLARE_SIMPLE_TYPE(STM32U585SocState, STM32U585_SOC)

#define STM32U585_NUM_IRQ       125
#define STM32U585_NUM_PRIO_BITS 4
#define STM32U585_NUM_SERIAL    6   /* USART1-3, UART4-5, LPUART1 */
#define STM32U585_NUM_GPIO      9   /* GPIOA-I */
#define STM32U585_NUM_I2C       4   /* I2C1-4 */
#define STM32U585_NUM_TIMERS    11  /* TIM1-8, TIM15-17 */

/* Kernel clocks the SoC hands its peripherals (their "clk" input). */
typedef enum STM32U585KernelClock {
    STM32U585_NO_CLOCK,
    STM32U585_HCLK,
    STM32U585_PCLK1,
    STM32U585_PCLK2,
    STM32U585_PCLK3,
    STM32U585_TIMPCLK1,     /* timers on APB1: PCLK1, or 2 x when divided */
    STM32U585_TIMPCLK2,
    STM32U585_NUM_KERNEL_CLOCKS,
} STM32U585KernelClock;

/* A modelled peripheral with a Non-secure and a Secure alias. */
typedef struct STM32U585PeriphAlias {
    MemoryRegion secure_alias;
} STM32U585PeriphAlias;

enum {
    STM32U585_PERIPH_RCC,
    STM32U585_PERIPH_FLASH_IF,
    STM32U585_PERIPH_TIM1,      /* the timers, in timer[] order */
    STM32U585_PERIPH_TIM2,
    STM32U585_PERIPH_TIM3,
    STM32U585_PERIPH_TIM4,
    STM32U585_PERIPH_TIM5,
    STM32U585_PERIPH_TIM6,
    STM32U585_PERIPH_TIM7,
    STM32U585_PERIPH_TIM8,
    STM32U585_PERIPH_TIM15,
    STM32U585_PERIPH_TIM16,
    STM32U585_PERIPH_TIM17,
    STM32U585_PERIPH_USART1,    /* the six serial ports, in -serial order */
    STM32U585_PERIPH_USART2,
    STM32U585_PERIPH_USART3,
    STM32U585_PERIPH_UART4,
    STM32U585_PERIPH_UART5,
    STM32U585_PERIPH_LPUART1,
    STM32U585_PERIPH_GPIOA,     /* GPIOA ... GPIOI */
    STM32U585_PERIPH_GPIOI = STM32U585_PERIPH_GPIOA + 8,
    STM32U585_PERIPH_EXTI,
    STM32U585_PERIPH_I2C1,      /* I2C1 ... I2C4 */
    STM32U585_PERIPH_I2C4 = STM32U585_PERIPH_I2C1 + 3,
    STM32U585_PERIPH_PWR,
    STM32U585_PERIPH_ICACHE,
    STM32U585_PERIPH_SYSCFG,
    STM32U585_PERIPH_RNG,
    STM32U585_PERIPH_CRC,
    STM32U585_NUM_PERIPHS,
};

struct STM32U585SocState {
    /* <private> */
    SysBusDevice parent_obj;

    /* <public> */
    ARMv7MState armv7m;
    STM32U5IdauState idau;
    STM32U5RCCState rcc;
    STM32U5FlashIfState flash_if;
    /* TIM1-8, TIM15-17: one model, the variant set by its properties */
    STM32U5TimerState timer[STM32U585_NUM_TIMERS];
    /* USART1-3, UART4-5 and LPUART1: QEMU's STM32L4x5 models */
    Stm32l4x5UsartBaseState serial[STM32U585_NUM_SERIAL];
    /* GPIOA-I: QEMU's STM32L4x5 GPIO model (the register map is the same) */
    Stm32l4x5GpioState gpio[STM32U585_NUM_GPIO];
    STM32U5ExtiState exti;
    /* I2C1-4, masters of the buses "i2c1" ... "i2c4" */
    STM32U5I2CState i2c[STM32U585_NUM_I2C];
    /* What ST's HAL touches while it starts */
    STM32U5PwrState pwr;
    STM32U5ICacheState icache;
    STM32U5SyscfgState syscfg;
    STM32U5RngState rng;
    STM32U5CrcState crc;
    STM32U5DbgmcuState dbgmcu;  /* on the core's private bus */
    /*
     * Every port pin's level goes to EXTI and out of the SoC as the named
     * GPIO "pin-level" (port * 16 + pin), for the board to watch.
     */
    qemu_irq pin_level[STM32U585_NUM_GPIO * 16];
    UnimplementedDeviceState periph_ns;
    UnimplementedDeviceState periph_s;
    UnimplementedDeviceState extmem;

    MemoryRegion flash;
    MemoryRegion flash_s_alias;
    MemoryRegion sram;
    MemoryRegion sram_s_alias;
    MemoryRegion sram4;
    MemoryRegion sram4_s_alias;
    STM32U585PeriphAlias periph_alias[STM32U585_NUM_PERIPHS];

    /* HCLK drives the core; SysTick's reference clock is HCLK / 8 */
    Clock *hclk;
    Clock *refclk;
    Clock *kernel_clock[STM32U585_NUM_KERNEL_CLOCKS];

    /* Properties (and the RCC's clock tree, aliased) */
    uint32_t init_svtor;
    uint32_t nsc_base;
    uint32_t nsc_size;
};

/* The name of serial port @index (0..5): "usart1" ... "lpuart1". */
const char *stm32u585_soc_serial_name(int index);

/*
 * Microvisor's view of peripheral registers for mvPeriphPeek32 and
 * mvPeriphPoke32 (@addr is the Non-secure address the application names).
 * Return false when Microvisor does not let the application at it.
 */

bool stm32u585_soc_app_peek(STM32U585SocState *s, uint32_t addr,
                            uint32_t *value);
bool stm32u585_soc_app_poke(STM32U585SocState *s, uint32_t addr,
                            uint32_t mask, uint32_t xorvalue);

#endif /* HW_MVEMU_STM32U585_SOC_H */
