/*
 * STM32U585 system on chip
 *
 * Owns the Cortex-M33 (armv7m container with the Security Extension), the
 * IDAU that splits the address space into Secure and Non-secure aliases,
 * the flash and SRAMs with both aliases, the RCC and the other modelled
 * peripherals, and unimplemented-device regions for the rest. Children are
 * created in instance init and wired in realize from the table below, as
 * QEMU's stm32l4x5 and stm32f405 SoCs do. The board on top (the
 * microvisor-stm32u585 machine) adds what Microvisor owns.
 *
 * Memory map: shared/abi/stm32u585.md, kept in stm32u585_map.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/units.h"
#include "exec/address-spaces.h"
#include "hw/irq.h"
#include "hw/qdev-clock.h"
#include "hw/qdev-properties.h"
#include "target/arm/cpu.h"
#include "stm32u585_soc.h"
#include "stm32u585_map.h"

/* A modelled peripheral: where its Non-secure alias is, its IRQs, its clock. */
typedef struct STM32U585PeriphInfo {
    const char *name;
    hwaddr ns_base;
    /* NVIC line of each sysbus IRQ, in the device's order, ending with -1 */
    const int *irqs;
    STM32U585KernelClock clock;
    const char *type;       /* QOM type of a peripheral kept in an array */
} STM32U585PeriphInfo;

#define IRQS(...) ((const int[]) { __VA_ARGS__, -1 })

static const STM32U585PeriphInfo stm32u585_periphs[STM32U585_NUM_PERIPHS] = {
    [STM32U585_PERIPH_RCC]      = { "rcc", MVEMU_RCC_NS_BASE },
    [STM32U585_PERIPH_FLASH_IF] = { "flash-if", MVEMU_FLASH_IF_NS_BASE },
#define TIMER(index, name, base, clock, ...) \
    [STM32U585_PERIPH_TIM1 + index] = { \
        name, base, IRQS(__VA_ARGS__), clock, TYPE_STM32U5_TIMER }
    TIMER(0, "tim1", 0x40012C00, STM32U585_TIMPCLK2, 41, 42, 43, 44),
    TIMER(1, "tim2", 0x40000000, STM32U585_TIMPCLK1, 45),
    TIMER(2, "tim3", 0x40000400, STM32U585_TIMPCLK1, 46),
    TIMER(3, "tim4", 0x40000800, STM32U585_TIMPCLK1, 47),
    TIMER(4, "tim5", 0x40000C00, STM32U585_TIMPCLK1, 48),
    TIMER(5, "tim6", 0x40001000, STM32U585_TIMPCLK1, 49),
    TIMER(6, "tim7", 0x40001400, STM32U585_TIMPCLK1, 50),
    TIMER(7, "tim8", 0x40013400, STM32U585_TIMPCLK2, 51, 52, 53, 54),
    TIMER(8, "tim15", 0x40014000, STM32U585_TIMPCLK2, 69),
    TIMER(9, "tim16", 0x40014400, STM32U585_TIMPCLK2, 70),
    TIMER(10, "tim17", 0x40014800, STM32U585_TIMPCLK2, 71),
#undef TIMER
    [STM32U585_PERIPH_USART1] = {
        "usart1", 0x40013800, IRQS(61), STM32U585_PCLK2, TYPE_STM32L4X5_USART },
    [STM32U585_PERIPH_USART2] = {
        "usart2", 0x40004400, IRQS(62), STM32U585_PCLK1, TYPE_STM32L4X5_USART },
    [STM32U585_PERIPH_USART3] = {
        "usart3", 0x40004800, IRQS(63), STM32U585_PCLK1, TYPE_STM32L4X5_USART },
    [STM32U585_PERIPH_UART4] = {
        "uart4", 0x40004C00, IRQS(64), STM32U585_PCLK1, TYPE_STM32L4X5_UART },
    [STM32U585_PERIPH_UART5] = {
        "uart5", 0x40005000, IRQS(65), STM32U585_PCLK1, TYPE_STM32L4X5_UART },
    [STM32U585_PERIPH_LPUART1] = {
        "lpuart1", 0x46002400, IRQS(66),
        STM32U585_PCLK3, TYPE_STM32L4X5_LPUART },
#define GPIO_PORT(letter, index) \
    [STM32U585_PERIPH_GPIOA + index] = { \
        "gpio" letter, 0x42020000 + 0x400 * index, NULL, STM32U585_HCLK, \
        TYPE_STM32L4X5_GPIO }
    GPIO_PORT("a", 0), GPIO_PORT("b", 1), GPIO_PORT("c", 2), GPIO_PORT("d", 3),
    GPIO_PORT("e", 4), GPIO_PORT("f", 5), GPIO_PORT("g", 6), GPIO_PORT("h", 7),
    GPIO_PORT("i", 8),
#undef GPIO_PORT
    /* EXTI0-EXTI15 are NVIC lines 11-26 */
    [STM32U585_PERIPH_EXTI] = {
        "exti", 0x46022000,
        IRQS(11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26) },
    /* Event, then error interrupt (I2C4's are the other way round) */
    [STM32U585_PERIPH_I2C1] = {
        "i2c1", 0x40005400, IRQS(55, 56), STM32U585_NO_CLOCK,
        TYPE_STM32U5_I2C },
    [STM32U585_PERIPH_I2C1 + 1] = {
        "i2c2", 0x40005800, IRQS(57, 58), STM32U585_NO_CLOCK,
        TYPE_STM32U5_I2C },
    [STM32U585_PERIPH_I2C1 + 2] = {
        "i2c3", 0x46002800, IRQS(88, 89), STM32U585_NO_CLOCK,
        TYPE_STM32U5_I2C },
    [STM32U585_PERIPH_I2C1 + 3] = {
        "i2c4", 0x40008400, IRQS(101, 100), STM32U585_NO_CLOCK,
        TYPE_STM32U5_I2C },
    [STM32U585_PERIPH_PWR]    = { "pwr", 0x46020800 },
    [STM32U585_PERIPH_ICACHE] = { "icache", 0x40030400, IRQS(107) },
    [STM32U585_PERIPH_SYSCFG] = { "syscfg", 0x46000400 },
    [STM32U585_PERIPH_RNG]    = { "rng", 0x420C0800, IRQS(94) },
    [STM32U585_PERIPH_CRC]    = { "crc", 0x40023000 },
};

/* DBGMCU is on the core's private bus (PPB), Non-secure and Secure alike. */
#define STM32U585_DBGMCU_BASE 0xE0044000

/*
 * The timer variants (RM0456): TIM2-5 have 32-bit counters; TIM1, TIM8
 * and TIM15-17 a repetition counter and BDTR; only TIM1-5 and TIM8 count
 * down and centre-aligned.
 */
static const struct {
    uint8_t num_channels;
    uint8_t counter_bits;
    bool can_count_down;
    bool has_rcr_bdtr;
    bool split_irqs;        /* BRK, UP, TRG_COM and CC on their own lines */
} stm32u585_timer_variants[STM32U585_NUM_TIMERS] = {
    [0] = { 4, 16, true, true, true },  /* TIM1 */
    [1 ... 4] = { 4, 32, true, false }, /* TIM2-5 */
    [5 ... 6] = { 0, 16, false, false },/* TIM6, TIM7 */
    [7] = { 4, 16, true, true, true },  /* TIM8 */
    [8] = { 2, 16, false, true },       /* TIM15 */
    [9 ... 10] = { 1, 16, false, true },/* TIM16, TIM17 */
};

static SysBusDevice *stm32u585_periph(STM32U585SocState *s, int index)
{
    switch (index) {
    case STM32U585_PERIPH_RCC:
        return SYS_BUS_DEVICE(&s->rcc);
    case STM32U585_PERIPH_FLASH_IF:
        return SYS_BUS_DEVICE(&s->flash_if);
    case STM32U585_PERIPH_TIM1 ... STM32U585_PERIPH_TIM17:
        return SYS_BUS_DEVICE(&s->timer[index - STM32U585_PERIPH_TIM1]);
    case STM32U585_PERIPH_USART1 ... STM32U585_PERIPH_LPUART1:
        return SYS_BUS_DEVICE(&s->serial[index - STM32U585_PERIPH_USART1]);
    case STM32U585_PERIPH_GPIOA ... STM32U585_PERIPH_GPIOI:
        return SYS_BUS_DEVICE(&s->gpio[index - STM32U585_PERIPH_GPIOA]);
    case STM32U585_PERIPH_EXTI:
        return SYS_BUS_DEVICE(&s->exti);
    case STM32U585_PERIPH_I2C1 ... STM32U585_PERIPH_I2C4:
        return SYS_BUS_DEVICE(&s->i2c[index - STM32U585_PERIPH_I2C1]);
    case STM32U585_PERIPH_PWR:
        return SYS_BUS_DEVICE(&s->pwr);
    case STM32U585_PERIPH_ICACHE:
        return SYS_BUS_DEVICE(&s->icache);
    case STM32U585_PERIPH_SYSCFG:
        return SYS_BUS_DEVICE(&s->syscfg);
    case STM32U585_PERIPH_RNG:
        return SYS_BUS_DEVICE(&s->rng);
    case STM32U585_PERIPH_CRC:
        return SYS_BUS_DEVICE(&s->crc);
    default:
        g_assert_not_reached();
    }
}

/* A RAM or ROM region at its Non-secure base, aliased at its Secure one. */
static void map_with_secure_alias(MemoryRegion *sysmem, MemoryRegion *mr,
                                  MemoryRegion *alias, Object *owner,
                                  const char *alias_name, hwaddr ns_base,
                                  hwaddr s_base)
{
    memory_region_add_subregion(sysmem, ns_base, mr);
    memory_region_init_alias(alias, owner, alias_name, mr, 0,
                             memory_region_size(mr));
    memory_region_add_subregion(sysmem, s_base, alias);
}

/* A port pin changed level: EXTI sees it, and so does whoever watches. */
static void stm32u585_soc_pin_changed(void *opaque, int n, int level)
{
    STM32U585SocState *s = opaque;

    qemu_set_irq(qdev_get_gpio_in(DEVICE(&s->exti), n), level);
    qemu_set_irq(s->pin_level[n], level);
}

static void stm32u585_soc_init(Object *obj)
{
    STM32U585SocState *s = STM32U585_SOC(obj);

    object_initialize_child(obj, "armv7m", &s->armv7m, TYPE_ARMV7M);
    object_initialize_child(obj, "idau", &s->idau, TYPE_STM32U5_IDAU);
    object_initialize_child(obj, "rcc", &s->rcc, TYPE_STM32U5_RCC);
    object_initialize_child(obj, "flash-if", &s->flash_if,
                            TYPE_STM32U5_FLASH_IF);
    for (int i = 0; i < STM32U585_NUM_TIMERS; i++) {
        const STM32U585PeriphInfo *info =
            &stm32u585_periphs[STM32U585_PERIPH_TIM1 + i];

        object_initialize_child(obj, info->name, &s->timer[i], info->type);
    }
    for (int i = 0; i < STM32U585_NUM_SERIAL; i++) {
        const STM32U585PeriphInfo *info =
            &stm32u585_periphs[STM32U585_PERIPH_USART1 + i];

        object_initialize_child(obj, info->name, &s->serial[i], info->type);
        /* The U5's USART: PRESC, FIFO mode, line-rate timing, IDLE, ORE */
        qdev_prop_set_bit(DEVICE(&s->serial[i]), "fifo-and-prescaler", true);
    }
    for (int i = 0; i < STM32U585_NUM_GPIO; i++) {
        const STM32U585PeriphInfo *info =
            &stm32u585_periphs[STM32U585_PERIPH_GPIOA + i];

        object_initialize_child(obj, info->name, &s->gpio[i], info->type);
    }
    object_initialize_child(obj, "exti", &s->exti, TYPE_STM32U5_EXTI);
    for (int i = 0; i < STM32U585_NUM_I2C; i++) {
        const STM32U585PeriphInfo *info =
            &stm32u585_periphs[STM32U585_PERIPH_I2C1 + i];

        object_initialize_child(obj, info->name, &s->i2c[i], info->type);
        /* -device mcp9808,bus=i2c1,... names the bus like the block */
        qdev_prop_set_string(DEVICE(&s->i2c[i]), "bus-name", info->name);
    }
    qdev_init_gpio_in_named(DEVICE(obj), stm32u585_soc_pin_changed,
                            "gpio-pin", ARRAY_SIZE(s->pin_level));
    qdev_init_gpio_out_named(DEVICE(obj), s->pin_level, "pin-level",
                             ARRAY_SIZE(s->pin_level));
    object_initialize_child(obj, "pwr", &s->pwr, TYPE_STM32U5_PWR);
    object_initialize_child(obj, "icache", &s->icache, TYPE_STM32U5_ICACHE);
    object_initialize_child(obj, "syscfg", &s->syscfg, TYPE_STM32U5_SYSCFG);
    object_initialize_child(obj, "rng", &s->rng, TYPE_STM32U5_RNG);
    object_initialize_child(obj, "crc", &s->crc, TYPE_STM32U5_CRC);
    object_initialize_child(obj, "dbgmcu", &s->dbgmcu, TYPE_STM32U5_DBGMCU);
    object_initialize_child(obj, "periph-ns", &s->periph_ns,
                            TYPE_UNIMPLEMENTED_DEVICE);
    object_initialize_child(obj, "periph-s", &s->periph_s,
                            TYPE_UNIMPLEMENTED_DEVICE);
    object_initialize_child(obj, "extmem", &s->extmem,
                            TYPE_UNIMPLEMENTED_DEVICE);

    /* The clock tree lives in the RCC; the SoC shows it as its own. */
    for (size_t i = 0; i < ARRAY_SIZE(stm32u5_clock_tree_properties); i++) {
        object_property_add_alias(obj, stm32u5_clock_tree_properties[i],
                                  OBJECT(&s->rcc),
                                  stm32u5_clock_tree_properties[i]);
    }
    s->hclk = qdev_init_clock_out(DEVICE(obj), "hclk");
    s->refclk = qdev_init_clock_out(DEVICE(obj), "systick-refclk");
    for (int i = STM32U585_PCLK1; i < STM32U585_NUM_KERNEL_CLOCKS; i++) {
        static const char *const names[] = {
            [STM32U585_PCLK1] = "pclk1", [STM32U585_PCLK2] = "pclk2",
            [STM32U585_PCLK3] = "pclk3", [STM32U585_TIMPCLK1] = "timpclk1",
            [STM32U585_TIMPCLK2] = "timpclk2",
        };
        s->kernel_clock[i] = qdev_init_clock_out(DEVICE(obj), names[i]);
    }
    s->kernel_clock[STM32U585_HCLK] = s->hclk;
}

static bool realize_memory(STM32U585SocState *s, MemoryRegion *sysmem,
                           Error **errp)
{
    Object *owner = OBJECT(s);

    if (!memory_region_init_rom(&s->flash, owner, "STM32U585.flash",
                                MVEMU_FLASH_SIZE, errp) ||
        !memory_region_init_ram(&s->sram, owner, "STM32U585.sram1-3",
                                MVEMU_SRAM_SIZE, errp) ||
        !memory_region_init_ram(&s->sram4, owner, "STM32U585.sram4",
                                MVEMU_SRAM4_SIZE, errp)) {
        return false;
    }
    map_with_secure_alias(sysmem, &s->flash, &s->flash_s_alias, owner,
                          "STM32U585.flash.secure", MVEMU_FLASH_NS_BASE,
                          MVEMU_FLASH_S_BASE);
    map_with_secure_alias(sysmem, &s->sram, &s->sram_s_alias, owner,
                          "STM32U585.sram1-3.secure", MVEMU_SRAM_NS_BASE,
                          MVEMU_SRAM_S_BASE);
    map_with_secure_alias(sysmem, &s->sram4, &s->sram4_s_alias, owner,
                          "STM32U585.sram4.secure", MVEMU_SRAM4_NS_BASE,
                          MVEMU_SRAM4_S_BASE);
    return true;
}

static bool realize_cpu(STM32U585SocState *s, MemoryRegion *sysmem,
                        Error **errp)
{
    DeviceState *armv7m = DEVICE(&s->armv7m);

    clock_set_hz(s->hclk, s->rcc.hclk_hz);
    clock_set_mul_div(s->refclk, 8, 1);
    clock_set_source(s->refclk, s->hclk);

    s->idau.nsc_base = s->nsc_base;
    s->idau.nsc_size = s->nsc_size;

    qdev_prop_set_string(armv7m, "cpu-type", ARM_CPU_TYPE_NAME("cortex-m33"));
    qdev_prop_set_uint32(armv7m, "num-irq", STM32U585_NUM_IRQ);
    /* FreeRTOS probes the implemented priority bits and asserts on them. */
    qdev_prop_set_uint8(armv7m, "num-prio-bits", STM32U585_NUM_PRIO_BITS);
    qdev_prop_set_uint32(armv7m, "init-svtor", s->init_svtor);
    qdev_prop_set_bit(armv7m, "enable-bitband", false);
    qdev_connect_clock_in(armv7m, "cpuclk", s->hclk);
    qdev_connect_clock_in(armv7m, "refclk", s->refclk);
    object_property_set_link(OBJECT(armv7m), "memory", OBJECT(sysmem),
                             &error_abort);
    object_property_set_link(OBJECT(armv7m), "idau", OBJECT(&s->idau),
                             &error_abort);
    return sysbus_realize(SYS_BUS_DEVICE(armv7m), errp);
}

/*
 * RM0456 reset values: GPIOA and GPIOB come up with the debug port's pins
 * (PA13, PA14, PA15, PB3, PB4) in their alternate functions; the other pins
 * are analog.
 */
static void configure_gpio_reset_values(STM32U585SocState *s)
{
    static const struct {
        uint32_t moder, ospeedr, pupdr;
    } resets[STM32U585_NUM_GPIO] = {
        { 0xABFFFFFF, 0x0C000000, 0x64000000 },
        { 0xFFFFFEBF, 0x00000000, 0x00000100 },
        [2 ... STM32U585_NUM_GPIO - 1] = { 0xFFFFFFFF, 0, 0 },
    };

    for (int i = 0; i < STM32U585_NUM_GPIO; i++) {
        DeviceState *dev = DEVICE(&s->gpio[i]);
        const char *name = stm32u585_periphs[STM32U585_PERIPH_GPIOA + i].name;

        qdev_prop_set_string(dev, "name", name);
        qdev_prop_set_uint32(dev, "mode-reset", resets[i].moder);
        qdev_prop_set_uint32(dev, "ospeed-reset", resets[i].ospeedr);
        qdev_prop_set_uint32(dev, "pupd-reset", resets[i].pupdr);
    }
}

static void connect_gpio_pins(STM32U585SocState *s)
{
    for (int port = 0; port < STM32U585_NUM_GPIO; port++) {
        for (int pin = 0; pin < 16; pin++) {
            qdev_connect_gpio_out(DEVICE(&s->gpio[port]), pin,
                                  qdev_get_gpio_in_named(DEVICE(s), "gpio-pin",
                                                         port * 16 + pin));
        }
    }
}

/* armv7m's PPB region would hide DBGMCU in the system memory. */
static bool realize_dbgmcu(STM32U585SocState *s, Error **errp)
{
    SysBusDevice *dbgmcu = SYS_BUS_DEVICE(&s->dbgmcu);

    if (!sysbus_realize(dbgmcu, errp)) {
        return false;
    }
    memory_region_add_subregion_overlap(&s->armv7m.container,
                                        STM32U585_DBGMCU_BASE,
                                        sysbus_mmio_get_region(dbgmcu, 0), 1);
    return true;
}

static void configure_timer_variants(STM32U585SocState *s)
{
    for (int i = 0; i < STM32U585_NUM_TIMERS; i++) {
        DeviceState *dev = DEVICE(&s->timer[i]);

        qdev_prop_set_uint8(dev, "num-channels",
                            stm32u585_timer_variants[i].num_channels);
        qdev_prop_set_uint8(dev, "counter-bits",
                            stm32u585_timer_variants[i].counter_bits);
        qdev_prop_set_bit(dev, "can-count-down",
                          stm32u585_timer_variants[i].can_count_down);
        qdev_prop_set_bit(dev, "has-rcr-bdtr",
                          stm32u585_timer_variants[i].has_rcr_bdtr);
        qdev_prop_set_bit(dev, "split-irqs",
                          stm32u585_timer_variants[i].split_irqs);
    }
}

static bool realize_peripherals(STM32U585SocState *s, MemoryRegion *sysmem,
                                Error **errp)
{
    uint32_t hclk = s->rcc.hclk_hz;

    clock_set_hz(s->kernel_clock[STM32U585_PCLK1], s->rcc.pclk1_hz);
    clock_set_hz(s->kernel_clock[STM32U585_PCLK2], s->rcc.pclk2_hz);
    /* Microvisor leaves APB3 undivided. */
    clock_set_hz(s->kernel_clock[STM32U585_PCLK3], hclk);
    /* RM0456: a timer runs at 2 x PCLK when its APB prescaler is not 1. */
    clock_set_hz(s->kernel_clock[STM32U585_TIMPCLK1],
                 s->rcc.pclk1_hz == hclk ? hclk : 2 * s->rcc.pclk1_hz);
    clock_set_hz(s->kernel_clock[STM32U585_TIMPCLK2],
                 s->rcc.pclk2_hz == hclk ? hclk : 2 * s->rcc.pclk2_hz);
    configure_gpio_reset_values(s);
    configure_timer_variants(s);
    /* Microvisor runs the core in voltage range 1 with the EPOD booster. */
    qdev_prop_set_uint32(DEVICE(&s->pwr), "vos", 3);
    qdev_prop_set_bit(DEVICE(&s->pwr), "boost", true);
    /* Flash wait states the way Microvisor sets them for the core clock. */
    qdev_prop_set_uint32(DEVICE(&s->flash_if), "latency",
                         hclk > 128000000 ? 4 : hclk > 96000000 ? 3 :
                         hclk > 64000000 ? 2 : hclk > 32000000 ? 1 : 0);

    for (int i = 0; i < STM32U585_NUM_PERIPHS; i++) {
        const STM32U585PeriphInfo *info = &stm32u585_periphs[i];
        SysBusDevice *dev = stm32u585_periph(s, i);
        MemoryRegion *mr;
        g_autofree char *alias_name = NULL;

        if (info->clock != STM32U585_NO_CLOCK) {
            qdev_connect_clock_in(DEVICE(dev), "clk",
                                  s->kernel_clock[info->clock]);
        }
        if (!sysbus_realize(dev, errp)) {
            return false;
        }
        mr = sysbus_mmio_get_region(dev, 0);
        sysbus_mmio_map(dev, 0, info->ns_base);
        alias_name = g_strdup_printf("STM32U585.%s.secure", info->name);
        memory_region_init_alias(&s->periph_alias[i].secure_alias, OBJECT(s),
                                 alias_name, mr, 0, memory_region_size(mr));
        memory_region_add_subregion(sysmem,
                                    info->ns_base + MVEMU_PERIPH_S_OFFSET,
                                    &s->periph_alias[i].secure_alias);
        for (int n = 0; info->irqs && info->irqs[n] >= 0; n++) {
            sysbus_connect_irq(dev, n, qdev_get_gpio_in(DEVICE(&s->armv7m),
                                                        info->irqs[n]));
        }
    }
    connect_gpio_pins(s);
    return realize_dbgmcu(s, errp);
}

/* Everything not modelled reads as zero and shows up in -d unimp. */
static bool realize_unimplemented(UnimplementedDeviceState *dev,
                                  const char *name, hwaddr base, uint64_t size,
                                  Error **errp)
{
    qdev_prop_set_string(DEVICE(dev), "name", name);
    qdev_prop_set_uint64(DEVICE(dev), "size", size);
    if (!sysbus_realize(SYS_BUS_DEVICE(dev), errp)) {
        return false;
    }
    sysbus_mmio_map_overlap(SYS_BUS_DEVICE(dev), 0, base, -1000);
    return true;
}

static void stm32u585_soc_realize(DeviceState *dev, Error **errp)
{
    STM32U585SocState *s = STM32U585_SOC(dev);
    MemoryRegion *sysmem = get_system_memory();

    if (!realize_memory(s, sysmem, errp) ||
        !realize_cpu(s, sysmem, errp) ||
        !realize_peripherals(s, sysmem, errp) ||
        !realize_unimplemented(&s->periph_ns, "STM32U585.periph",
                               MVEMU_PERIPH_NS_BASE, MVEMU_PERIPH_SIZE, errp) ||
        !realize_unimplemented(&s->periph_s, "STM32U585.periph.secure",
                               MVEMU_PERIPH_S_BASE, MVEMU_PERIPH_SIZE, errp) ||
        !realize_unimplemented(&s->extmem, "STM32U585.extmem",
                               MVEMU_EXTMEM_BASE, MVEMU_EXTMEM_SIZE, errp)) {
        return;
    }
}

const char *stm32u585_soc_serial_name(int index)
{
    assert(index >= 0 && index < STM32U585_NUM_SERIAL);
    return stm32u585_periphs[STM32U585_PERIPH_USART1 + index].name;
}

bool stm32u585_soc_app_peek(STM32U585SocState *s, uint32_t addr,
                            uint32_t *value)
{
    MemTxAttrs secure = { .secure = 1 };
    bool in_rcc = addr - MVEMU_RCC_NS_BASE < MVEMU_RCC_SIZE;
    /* ST's HAL reads FLASH_ACR.LATENCY when it configures clocks. */
    bool flash_acr = addr == MVEMU_FLASH_IF_NS_BASE;

    if (addr % 4 || !(in_rcc || flash_acr)) {
        return false;
    }
    *value = address_space_ldl_le(&address_space_memory,
                                  addr + MVEMU_PERIPH_S_OFFSET, secure, NULL);
    return true;
}

bool stm32u585_soc_app_poke(STM32U585SocState *s, uint32_t addr,
                            uint32_t mask, uint32_t xorvalue)
{
    if (addr - MVEMU_RCC_NS_BASE >= MVEMU_RCC_SIZE) {
        return false;
    }
    return stm32u5_rcc_app_poke(&s->rcc, addr - MVEMU_RCC_NS_BASE, mask,
                                xorvalue);
}

static const Property stm32u585_soc_properties[] = {
    /* Where the Secure world starts: Microvisor's vector table */
    DEFINE_PROP_UINT32("init-svtor", STM32U585SocState, init_svtor,
                       MVEMU_SECURE_BOOT_BASE),
    /* The Non-secure-callable window (the IDAU marks it NSC) */
    DEFINE_PROP_UINT32("nsc-base", STM32U585SocState, nsc_base,
                       MVEMU_VENEER_BASE),
    DEFINE_PROP_UINT32("nsc-size", STM32U585SocState, nsc_size,
                       MVEMU_NSC_REGION_SIZE),
};

static void stm32u585_soc_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "STM32U585 SoC (Cortex-M33 with TrustZone)";
    dc->realize = stm32u585_soc_realize;
    /* The SoC maps itself into the system memory: one per machine. */
    dc->user_creatable = false;
    device_class_set_props(dc, stm32u585_soc_properties);
}

static const TypeInfo stm32u585_soc_info = {
    .name          = TYPE_STM32U585_SOC,
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(STM32U585SocState),
    .instance_init = stm32u585_soc_init,
    .class_init    = stm32u585_soc_class_init,
};

static void stm32u585_soc_register_types(void)
{
    type_register_static(&stm32u585_soc_info);
}

type_init(stm32u585_soc_register_types)
