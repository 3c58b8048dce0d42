/*
 * STM32U585 peripheral registers the firmware tests drive, laid out as in
 * RM0456 (shared/abi/registers/), the way ST's device header lays them out.
 */
#ifndef MVEMU_STM32U5_REGS_H
#define MVEMU_STM32U5_REGS_H

#include <stdint.h>

#include "mvemu_cm33.h"

#define RCC_BASE          0x46020C00u
#define RCC_AHB2ENR1      (RCC_BASE + 0x08C)
#define RCC_APB1ENR1      (RCC_BASE + 0x09C)
#define RCC_APB1ENR2      (RCC_BASE + 0x0A0)
#define RCC_APB3ENR       (RCC_BASE + 0x0A8)
#define APB1ENR2_I2C4EN   (1u << 1)
#define APB1ENR1_I2C1EN   (1u << 21)
#define APB1ENR1_I2C2EN   (1u << 22)

typedef struct {
    volatile uint32_t MODER, OTYPER, OSPEEDR, PUPDR, IDR, ODR, BSRR, LCKR, AFR[2], BRR;
} Gpio;

#define GPIO_PORT(n) ((Gpio *)(0x42020000u + 0x400u * (n)))
#define GPIOA GPIO_PORT(0)
#define GPIOB GPIO_PORT(1)
#define GPIOC GPIO_PORT(2)
#define GPIOI GPIO_PORT(8)

/* HAL_GPIO_Init's register sequence for one pin: mode 0-3, pull 0-2. */
static inline void gpio_configure(Gpio *g, unsigned pin, unsigned mode, unsigned pull)
{
    g->PUPDR = (g->PUPDR & ~(3u << (2 * pin))) | (pull << (2 * pin));
    g->MODER = (g->MODER & ~(3u << (2 * pin))) | (mode << (2 * pin));
}
#define GPIO_MODE_INPUT   0u
#define GPIO_MODE_OUTPUT  1u
#define GPIO_MODE_AF      2u
#define GPIO_NOPULL       0u
#define GPIO_PULLUP       1u
#define GPIO_PULLDOWN     2u

typedef struct {
    volatile uint32_t RTSR1, FTSR1, SWIER1, RPR1, FPR1, SECCFGR1, PRIVCFGR1;
    volatile uint32_t reserved1[17];
    volatile uint32_t EXTICR[4];
    volatile uint32_t LOCKR;
    volatile uint32_t reserved2[3];
    volatile uint32_t IMR1, EMR1;
} Exti;

#define EXTI ((Exti *)0x46022000u)

typedef struct {
    volatile uint32_t CR1, CR2, OAR1, OAR2, TIMINGR, TIMEOUTR, ISR, ICR, PECR, RXDR, TXDR;
} I2c;

#define I2C1 ((I2c *)0x40005400u)
#define I2C2 ((I2c *)0x40005800u)
#define I2C4 ((I2c *)0x40008400u)
#define I2C_CR1_PE        (1u << 0)
#define I2C_CR1_TXIE      (1u << 1)
#define I2C_CR1_RXIE      (1u << 2)
#define I2C_CR1_NACKIE    (1u << 4)
#define I2C_CR1_STOPIE    (1u << 5)
#define I2C_CR1_TCIE      (1u << 6)
#define I2C_CR1_ERRIE     (1u << 7)
#define I2C_CR2_RD_WRN    (1u << 10)
#define I2C_CR2_START     (1u << 13)
#define I2C_CR2_STOP      (1u << 14)
#define I2C_CR2_NBYTES(n) ((uint32_t)(n) << 16)
#define I2C_CR2_RELOAD    (1u << 24)
#define I2C_CR2_AUTOEND   (1u << 25)
#define I2C_ISR_TXE       (1u << 0)
#define I2C_ISR_TXIS      (1u << 1)
#define I2C_ISR_RXNE      (1u << 2)
#define I2C_ISR_NACKF     (1u << 4)
#define I2C_ISR_STOPF     (1u << 5)
#define I2C_ISR_TC        (1u << 6)
#define I2C_ISR_TCR       (1u << 7)
#define I2C_ISR_BUSY      (1u << 15)
#define I2C_ICR_NACKCF    (1u << 4)
#define I2C_ICR_STOPCF    (1u << 5)

typedef struct {
    volatile uint32_t CR1, CR2, CR3, BRR, GTPR, RTOR, RQR, ISR, ICR, RDR, TDR, PRESC;
} Usart;

#define USART1 ((Usart *)0x40013800u)
#define USART2 ((Usart *)0x40004400u)
#define USART_CR1_UE      (1u << 0)
#define USART_CR1_RE      (1u << 2)
#define USART_CR1_TE      (1u << 3)
#define USART_ISR_RXNE    (1u << 5)
#define USART_ISR_TC      (1u << 6)
#define USART_ISR_TXE     (1u << 7)
#define USART_ISR_TEACK   (1u << 21)
#define USART_ISR_REACK   (1u << 22)
#define APB1ENR1_USART2EN (1u << 17)

static inline void nvic_enable(unsigned irq)
{
    MVEMU_REG32(MVEMU_NVIC_ISER0 + 4 * (irq / 32)) = 1u << (irq % 32);
}

#endif
