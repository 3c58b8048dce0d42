/*
 * USART1/USART2 the way ST's HAL drives them, for the USART tests:
 * HAL_UART_Init (UE off, word length / parity / TE / RE, PRESC, BRR, UE on,
 * then UART_CheckIdleState's wait for TEACK and REACK) and
 * HAL_UART_Transmit (TXE before each byte, TC at the end).
 */
#ifndef FW_USART_H
#define FW_USART_H

#include "fwtest.h"

#define RCC_BASE         0x46020C00u
#define RCC_APB1ENR1     (RCC_BASE + 0x09C)
#define RCC_APB2ENR      (RCC_BASE + 0x0A4)
#define APB1ENR1_USART2EN (1u << 17)
#define APB2ENR_USART1EN (1u << 14)

typedef struct {
    volatile uint32_t CR1, CR2, CR3, BRR, GTPR, RTOR, RQR, ISR, ICR, RDR, TDR, PRESC;
} Usart;

#define USART1 ((Usart *)0x40013800u)
#define USART2 ((Usart *)0x40004400u)
#define CR1_UE    (1u << 0)
#define CR1_RE    (1u << 2)
#define CR1_TE    (1u << 3)
#define ISR_ORE   (1u << 3)
#define ISR_RXNE  (1u << 5)
#define ISR_TC    (1u << 6)
#define ISR_TXE   (1u << 7)
#define ISR_TEACK (1u << 21)
#define ISR_REACK (1u << 22)

/* Poll (bounded in virtual time) until every bit of `mask` is set. */
static inline int wait_isr(Usart *u, uint32_t mask)
{
    uint64_t start = fw_micros();
    while ((u->ISR & mask) != mask) {
        if (fw_micros() - start > 2000000u) {
            return 0;
        }
    }
    return 1;
}

static inline void uart_init(Usart *u, uint32_t pclk)
{
    u->CR1 &= ~CR1_UE;
    u->CR1 = CR1_TE | CR1_RE;            /* 8N1, oversampling by 16 */
    u->CR2 = 0;
    u->CR3 = 0;
    u->PRESC = 0;
    u->BRR = pclk / 115200u;
    u->CR1 |= CR1_UE;
    CHECK(wait_isr(u, ISR_TEACK | ISR_REACK));
}

static inline void uart_send(Usart *u, const char *text)
{
    for (const char *p = text; *p; p++) {
        CHECK(wait_isr(u, ISR_TXE));
        u->TDR = (uint8_t)*p;
    }
    CHECK(wait_isr(u, ISR_TC));
}

#endif
