/* mvPeriphPeek32/Poke32 on RCC, FLASH ACR, and direct reads of RCC. */
#include "fwtest.h"

#define RCC_BASE      0x46020C00u
#define RCC_CR        (RCC_BASE + 0x000)
#define RCC_CFGR1     (RCC_BASE + 0x01C)
#define RCC_CFGR2     (RCC_BASE + 0x020)
#define RCC_PLL1CFGR  (RCC_BASE + 0x028)
#define RCC_PLL1DIVR  (RCC_BASE + 0x034)
#define RCC_AHB2ENR1  (RCC_BASE + 0x08C)
#define RCC_APB1ENR1  (RCC_BASE + 0x09C)
#define RCC_APB3ENR   (RCC_BASE + 0x0A8)
#define FLASH_ACR     0x40022000u
#define GPIOA_BASE    0x42020000u

static uint32_t peek(uint32_t reg)
{
    uint32_t v = 0xDEADBEEF;
    CHECK_STATUS(mvPeriphPeek32(reg, &v), MV_STATUS_OKAY);
    return v;
}

/* SYSCLK the way ST's HAL derives it from the registers (HSE = 16 MHz). */
static uint32_t hal_sysclk(void)
{
    uint32_t cfgr1 = peek(RCC_CFGR1), pllcfgr = peek(RCC_PLL1CFGR), divr = peek(RCC_PLL1DIVR);
    if (((cfgr1 >> 2) & 3) != 3) {
        return 0; /* not running from PLL1 */
    }
    uint32_t src = pllcfgr & 3;
    uint32_t in = src == 3 ? 16000000u : 0;
    uint32_t m = ((pllcfgr >> 8) & 0xF) + 1;
    uint32_t n = (divr & 0x1FF) + 1;
    uint32_t r = ((divr >> 24) & 0x7F) + 1;
    return (uint32_t)((uint64_t)in / m * n / r);
}

int main(void)
{
    mvtest_begin("peripherals");
    uint32_t sysclk = 0, hclk = 0;
    mvGetSysClk(&sysclk);
    mvGetHClk(&hclk);

    /* The clock tree in RCC agrees with what mvGet*Clk report. */
    CHECK_EQ(hal_sysclk(), sysclk);
    CHECK_EQ(peek(RCC_CFGR2) & 0xF, 0u); /* HPRE: HCLK = SYSCLK */
    CHECK_EQ(sysclk, hclk);
    CHECK_EQ(peek(FLASH_ACR) & 0xF, 4u); /* 4 wait states at 160 MHz */

    /* Direct Non-secure reads of RCC work (ST's HAL does one) and agree. */
    CHECK_EQ(*(volatile uint32_t *)RCC_CFGR2, peek(RCC_CFGR2));
    CHECK_EQ(*(volatile uint32_t *)RCC_CFGR1, peek(RCC_CFGR1));

    /* Enabling a clock the way the HAL does: set bit, read back. */
    uint32_t before = peek(RCC_APB1ENR1);
    CHECK_STATUS(mvPeriphPoke32(RCC_APB1ENR1, 1u << 4, 1u << 4), MV_STATUS_OKAY); /* TIM6EN */
    CHECK_EQ(peek(RCC_APB1ENR1), before | (1u << 4));
    CHECK_STATUS(mvPeriphPoke32(RCC_APB1ENR1, 1u << 4, 0), MV_STATUS_OKAY);
    CHECK_EQ(peek(RCC_APB1ENR1), before & ~(1u << 4));

    /* Mask bits take xorvalue's value, the others are toggled by it:
     * SYSCFGEN (bit 1) is set through the mask, SPI3EN (bit 5) toggles. */
    uint32_t apb3 = peek(RCC_APB3ENR);
    CHECK_STATUS(mvPeriphPoke32(RCC_APB3ENR, 1u << 1, (1u << 1) | (1u << 5)), MV_STATUS_OKAY);
    uint32_t expect = (apb3 & ~(1u << 1)) ^ ((1u << 1) | (1u << 5));
    CHECK_EQ(peek(RCC_APB3ENR), expect);
    CHECK_STATUS(mvPeriphPoke32(RCC_APB3ENR, 0, 1u << 5), MV_STATUS_OKAY);
    CHECK_EQ(peek(RCC_APB3ENR), expect ^ (1u << 5));

    /* Microvisor's clock configuration is not the application's to change. */
    uint32_t cfgr1 = peek(RCC_CFGR1), cr = peek(RCC_CR);
    CHECK_STATUS(mvPeriphPoke32(RCC_CFGR1, 0xFFFFFFFF, 0), MV_STATUS_OKAY);
    CHECK_EQ(peek(RCC_CFGR1), cfgr1);
    CHECK_STATUS(mvPeriphPoke32(RCC_CR, 1u << 24, 0), MV_STATUS_OKAY); /* PLL1ON */
    CHECK_EQ(peek(RCC_CR), cr);
    /* RCC_CR: the application owns only some oscillators (the board's RCC
     * model holds that policy); their ready flags follow them. */
    const uint32_t app_cr = (1u << 1) | (1u << 4) | (1u << 9) | (1u << 12) |
                            (1u << 14) | (1u << 26) | (1u << 28);
    const uint32_t app_rdy = (1u << 5) | (1u << 13) | (1u << 15) | (1u << 27) | (1u << 29);
    const uint32_t system_cr = (1u << 16) | (1u << 24); /* HSEON, PLL1ON */
    CHECK_EQ(cr & system_cr, system_cr);
    CHECK_STATUS(mvPeriphPoke32(RCC_CR, 0xFFFFFFFF, 0xFFFFFFFF), MV_STATUS_OKAY);
    CHECK_EQ(peek(RCC_CR), cr | app_cr | app_rdy);
    CHECK_STATUS(mvPeriphPoke32(RCC_CR, 0xFFFFFFFF, 0), MV_STATUS_OKAY);
    CHECK_EQ(peek(RCC_CR), cr & ~(app_cr | app_rdy));
    CHECK_EQ(peek(RCC_CR) & system_cr, system_cr);
    /* CSR.RMVF clears the reset flags and reads back as 0. */
    CHECK_STATUS(mvPeriphPoke32(RCC_BASE + 0x0F4, 1u << 23, 1u << 23), MV_STATUS_OKAY);
    CHECK_EQ(peek(RCC_BASE + 0x0F4) & 0xFE800000u, 0u);
    /* A direct Non-secure write to RCC is ignored as well. */
    *(volatile uint32_t *)RCC_AHB2ENR1 = 0xFFFFFFFF;
    CHECK(peek(RCC_AHB2ENR1) != 0xFFFFFFFF);

    /* Addresses outside the supported peripherals. */
    uint32_t v = 0;
    CHECK_STATUS(mvPeriphPeek32(GPIOA_BASE, &v), MV_STATUS_PERIPHERALACCESSFAULT);
    CHECK_STATUS(mvPeriphPeek32(RCC_CFGR1 + 2, &v), MV_STATUS_PERIPHERALACCESSFAULT);
    CHECK_STATUS(mvPeriphPeek32(0x56020C1Cu, &v), MV_STATUS_PERIPHERALACCESSFAULT); /* secure alias */
    CHECK_STATUS(mvPeriphPoke32(FLASH_ACR, 0xF, 0), MV_STATUS_PERIPHERALACCESSFAULT);
    CHECK_STATUS(mvPeriphPoke32(GPIOA_BASE, 1, 1), MV_STATUS_PERIPHERALACCESSFAULT);
    CHECK_STATUS(mvPeriphPeek32(RCC_CFGR1, (uint32_t *)FW_APP_FLASH), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvPeriphPeek32(RCC_CFGR1, (uint32_t *)0), MV_STATUS_PARAMETERFAULT);

    mvtest_end();
}
