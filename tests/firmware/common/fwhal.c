/*
 * Register sequences of ST's HAL drivers, for firmware tests that drive a
 * block the way an application does (see fwhal.h).
 */
#include "fwhal.h"

#include "fwtest.h"

#define TIMEOUT_US 100000u

/* I2C_WaitOnFlagUntilTimeout, with I2C_IsErrorOccurred's NACK check. */
static int wait_flag(I2c *i2c, uint32_t flag)
{
    uint64_t start = fw_micros();
    while (!(i2c->ISR & flag)) {
        if ((i2c->ISR & I2C_ISR_NACKF) && flag != I2C_ISR_STOPF) {
            /* the part sends a STOP after a NACK: wait for it, then clear */
            while (!(i2c->ISR & I2C_ISR_STOPF)) {
                if (fw_micros() - start > TIMEOUT_US) {
                    return 0;
                }
            }
            i2c->ICR = I2C_ICR_NACKCF | I2C_ICR_STOPCF;
            i2c->ISR = I2C_ISR_TXE;            /* flush TXDR */
            i2c->CR2 &= ~0x07FF67FFu;          /* I2C_RESET_CR2 */
            return 0;
        }
        if (fw_micros() - start > TIMEOUT_US) {
            return 0;
        }
    }
    return 1;
}

static int wait_not_busy(I2c *i2c)
{
    uint64_t start = fw_micros();
    while (i2c->ISR & I2C_ISR_BUSY) {
        if (fw_micros() - start > TIMEOUT_US) {
            return 0;
        }
    }
    return 1;
}

/* I2C_TransferConfig: MODIFY_REG of SADD, NBYTES, RELOAD, AUTOEND, RD_WRN, START, STOP. */
static void transfer_config(I2c *i2c, uint8_t addr, uint32_t nbytes, uint32_t mode,
                            uint32_t request)
{
    uint32_t mask = 0x3FFu | (0xFFu << 16) | I2C_CR2_RELOAD | I2C_CR2_AUTOEND |
                    I2C_CR2_RD_WRN | I2C_CR2_START | I2C_CR2_STOP;
    i2c->CR2 = (i2c->CR2 & ~mask) | ((uint32_t)addr << 1) | I2C_CR2_NBYTES(nbytes) | mode |
                request;
}

static int end_with_stop(I2c *i2c)
{
    if (!wait_flag(i2c, I2C_ISR_STOPF)) {
        return 0;
    }
    i2c->ICR = I2C_ICR_STOPCF;
    i2c->CR2 &= ~0x07FF67FFu;
    return 1;
}

void fw_i2c_init(I2c *i2c)
{
    i2c->CR1 &= ~I2C_CR1_PE;
    i2c->TIMINGR = 0x00F07BFFu & 0xF0FFFFFFu;
    i2c->OAR1 &= ~(1u << 15);
    i2c->OAR1 = (1u << 15);
    i2c->CR2 |= I2C_CR2_AUTOEND | (1u << 15);  /* AUTOEND, NACK */
    i2c->OAR2 &= ~(1u << 15);
    i2c->CR1 |= I2C_CR1_PE;
}

int fw_i2c_is_device_ready(I2c *i2c, uint8_t addr)
{
    uint64_t start = fw_micros();
    if (!wait_not_busy(i2c)) {
        return -1;
    }
    i2c->CR2 = ((uint32_t)addr << 1) | I2C_CR2_START | I2C_CR2_AUTOEND;
    while (!(i2c->ISR & (I2C_ISR_STOPF | I2C_ISR_NACKF))) {
        if (fw_micros() - start > TIMEOUT_US) {
            return -1;
        }
    }
    if (!(i2c->ISR & I2C_ISR_NACKF)) {
        if (!wait_flag(i2c, I2C_ISR_STOPF)) {
            return -1;
        }
        i2c->ICR = I2C_ICR_STOPCF;
        return 1;
    }
    if (!wait_flag(i2c, I2C_ISR_STOPF)) {
        return -1;
    }
    i2c->ICR = I2C_ICR_NACKCF;
    i2c->ICR = I2C_ICR_STOPCF;
    return 0;
}

/* HAL_I2C_Mem_Read with an 8-bit register address; `chunk` < 255 forces RELOAD. */
int fw_i2c_mem_read(I2c *i2c, uint8_t addr, uint8_t reg, uint8_t *buf, uint32_t len, uint32_t chunk)
{
    if (!wait_not_busy(i2c)) {
        return 0;
    }
    transfer_config(i2c, addr, 1, 0, I2C_CR2_START);                 /* SOFTEND, write */
    if (!wait_flag(i2c, I2C_ISR_TXIS)) {
        return 0;
    }
    i2c->TXDR = reg;
    if (!wait_flag(i2c, I2C_ISR_TC)) {
        return 0;
    }
    uint32_t size = len > chunk ? chunk : len;
    transfer_config(i2c, addr, size, len > chunk ? I2C_CR2_RELOAD : I2C_CR2_AUTOEND,
                    I2C_CR2_START | I2C_CR2_RD_WRN);            /* repeated START */
    uint32_t left = len;
    while (left) {
        if (!wait_flag(i2c, I2C_ISR_RXNE)) {
            return 0;
        }
        *buf++ = (uint8_t)i2c->RXDR;
        left--;
        size--;
        if (left && !size) {
            if (!wait_flag(i2c, I2C_ISR_TCR)) {
                return 0;
            }
            size = left > chunk ? chunk : left;
            transfer_config(i2c, addr, size, left > chunk ? I2C_CR2_RELOAD : I2C_CR2_AUTOEND, 0);
        }
    }
    return end_with_stop(i2c);
}

/* HAL_I2C_Mem_Write with an 8-bit register address. */
int fw_i2c_mem_write(I2c *i2c, uint8_t addr, uint8_t reg, const uint8_t *data, uint32_t len)
{
    if (!wait_not_busy(i2c)) {
        return 0;
    }
    transfer_config(i2c, addr, 1, I2C_CR2_RELOAD, I2C_CR2_START);
    if (!wait_flag(i2c, I2C_ISR_TXIS)) {
        return 0;
    }
    i2c->TXDR = reg;
    if (!wait_flag(i2c, I2C_ISR_TCR)) {
        return 0;
    }
    transfer_config(i2c, addr, len, I2C_CR2_AUTOEND, 0);
    for (uint32_t i = 0; i < len; i++) {
        if (!wait_flag(i2c, I2C_ISR_TXIS)) {
            return 0;
        }
        i2c->TXDR = data[i];
    }
    return end_with_stop(i2c);
}

/* HAL_I2C_Master_Transmit (len <= 255). */
int fw_i2c_transmit(I2c *i2c, uint8_t addr, const uint8_t *data, uint32_t len)
{
    if (!wait_not_busy(i2c)) {
        return 0;
    }
    transfer_config(i2c, addr, len, I2C_CR2_AUTOEND, I2C_CR2_START);
    for (uint32_t i = 0; i < len; i++) {
        if (!wait_flag(i2c, I2C_ISR_TXIS)) {
            return 0;
        }
        i2c->TXDR = data[i];
    }
    return end_with_stop(i2c);
}


void fw_uart_init(Usart *u, uint32_t pclk, uint32_t baud)
{
    u->CR1 &= ~USART_CR1_UE;
    u->CR1 = USART_CR1_TE | USART_CR1_RE;    /* 8N1, oversampling by 16 */
    u->CR2 = 0;
    u->CR3 = 0;
    u->PRESC = 0;
    u->BRR = pclk / baud;
    u->CR1 |= USART_CR1_UE;
    uint64_t start = fw_micros();
    while ((u->ISR & (USART_ISR_TEACK | USART_ISR_REACK)) !=
           (USART_ISR_TEACK | USART_ISR_REACK)) {
        if (fw_micros() - start > TIMEOUT_US) {
            return;
        }
    }
}

int fw_uart_write(Usart *u, const char *text)
{
    for (const char *p = text; *p; p++) {
        uint64_t start = fw_micros();
        while (!(u->ISR & USART_ISR_TXE)) {
            if (fw_micros() - start > TIMEOUT_US) {
                return 0;
            }
        }
        u->TDR = (uint8_t)*p;
    }
    uint64_t start = fw_micros();
    while (!(u->ISR & USART_ISR_TC)) {
        if (fw_micros() - start > TIMEOUT_US) {
            return 0;
        }
    }
    return 1;
}

#define RCC_CFGR2       (RCC_BASE + 0x020)
#define APB1ENR1_TIM6EN (1u << 4)
#define TIM6_BASE       0x40001000u
#define TIM_CR1         0x00u
#define TIM_DIER        0x0Cu
#define TIM_SR          0x10u
#define TIM_EGR         0x14u
#define TIM_PSC         0x28u
#define TIM_ARR         0x2Cu

uint32_t fw_apb1_timer_clock(void)
{
    uint32_t pclk1 = 0, cfgr2 = 0;
    mvGetPClk1(&pclk1);
    mvPeriphPeek32(RCC_CFGR2, &cfgr2);
    return ((cfgr2 >> 4) & 7) < 4 ? pclk1 : 2 * pclk1;     /* PPRE1 = /1: x1 */
}

void fw_hal_init_tick(uint32_t priority)
{
    mvPeriphPoke32(RCC_APB1ENR1, APB1ENR1_TIM6EN, APB1ENR1_TIM6EN);
    MVEMU_REG32(TIM6_BASE + TIM_CR1) = 0;
    MVEMU_REG32(TIM6_BASE + TIM_ARR) = 1000000u / 1000u - 1u;
    MVEMU_REG32(TIM6_BASE + TIM_PSC) = fw_apb1_timer_clock() / 1000000u - 1u;
    MVEMU_REG32(TIM6_BASE + TIM_EGR) = 1u;                 /* UG */
    MVEMU_REG32(TIM6_BASE + TIM_SR) = ~1u;                 /* clear UIF */
    MVEMU_REG32(TIM6_BASE + TIM_DIER) |= 1u;               /* UIE */
    mv_nvic_set_priority(TIM6_IRQn, priority);
    mv_nvic_enable_irq(TIM6_IRQn);
    MVEMU_REG32(TIM6_BASE + TIM_CR1) |= 1u;                /* CEN */
}
