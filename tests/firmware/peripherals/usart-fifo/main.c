/*
 * peripherals-usart-fifo: the STM32U5 parts of USART2 (qemu-patches/0008)
 * driven the way ST's HAL drives them, with USART2 on a TCP chardev to the
 * runner's echo server. One firmware, one part per test (a define each):
 *
 * - TEST_PRESC: UART_SetConfig's PRESC and BRR (UART_DIV_SAMPLING16 over
 *   UARTPrescTable); a burst takes the frame time of the baud rate the HAL
 *   computed, four times longer than with the same BRR and no prescaler.
 * - TEST_FIFO: HAL_UARTEx_EnableFifoMode and Set{Tx,Rx}FifoThreshold (UE
 *   off, CR1.FIFOEN / CR3 thresholds, CR1 restored); a burst fills the
 *   TXFIFO (TXFNF clears after 8 + 1 bytes, TXFT, TXFE and TXFECF, TC);
 *   the echo fills the RXFIFO (RXFNE, RXFT, RXFF) with nothing lost; then
 *   the interrupt-driven way (RXFTIE reading a threshold's worth per
 *   interrupt, TXFEIE).
 * - TEST_OVERRUN: the echo server's greeting arrives while the firmware
 *   does not read: ORE, RDR keeps the first byte, ORECF clears ORE, later
 *   bytes still arrive; EIE raises the interrupt; with OVRDIS no ORE and
 *   the newest byte overwrites RDR.
 * - TEST_IDLE: HAL_UARTEx_ReceiveToIdle (blocking) returns the greeting's
 *   length on IDLE, IDLECF clears it; IDLEIE raises the interrupt.
 *
 * Every wait is bounded in virtual time.
 */
#include <string.h>

#include "fwtest.h"

#define RCC_BASE          0x46020C00u
#define RCC_APB1ENR1      (RCC_BASE + 0x09C)
#define APB1ENR1_USART2EN (1u << 17)

typedef struct {
    volatile uint32_t CR1, CR2, CR3, BRR, GTPR, RTOR, RQR, ISR, ICR, RDR, TDR, PRESC;
} Usart;

#define USART2 ((Usart *)0x40004400u)

#define CR1_UE      (1u << 0)
#define CR1_RE      (1u << 2)
#define CR1_TE      (1u << 3)
#define CR1_IDLEIE  (1u << 4)
#define CR1_RXNEIE  (1u << 5)
#define CR1_FIFOEN  (1u << 29)
#define CR1_TXFEIE  (1u << 30)
#define CR3_EIE     (1u << 0)
#define CR3_OVRDIS  (1u << 12)
#define CR3_RXFTIE  (1u << 28)
#define CR3_RXFTCFG_SHIFT 25
#define CR3_TXFTCFG_SHIFT 29
#define CR3_FTCFG_MASK    7u
#define ISR_ORE     (1u << 3)
#define ISR_IDLE    (1u << 4)
#define ISR_RXNE    (1u << 5)   /* RXFNE in FIFO mode */
#define ISR_TC      (1u << 6)
#define ISR_TXE     (1u << 7)   /* TXFNF in FIFO mode */
#define ISR_TEACK   (1u << 21)
#define ISR_REACK   (1u << 22)
#define ISR_TXFE    (1u << 23)
#define ISR_RXFF    (1u << 24)
#define ISR_RXFT    (1u << 26)
#define ISR_TXFT    (1u << 27)
#define ICR_ORECF   (1u << 3)
#define ICR_IDLECF  (1u << 4)
#define ICR_TXFECF  (1u << 5)

/* UART_FIFO_THRESHOLD_1_2 */
#define FIFO_THRESHOLD_1_2 2u

static const uint16_t presc_table[12] = { 1, 2, 4, 6, 8, 10, 12, 16, 32, 64, 128, 256 };

static uint32_t pclk1;

static int wait_isr_for(uint32_t mask, uint32_t timeout_us)
{
    uint64_t start = fw_micros();
    while ((USART2->ISR & mask) != mask) {
        if (fw_micros() - start > timeout_us) {
            return 0;
        }
    }
    return 1;
}

static int wait_isr(uint32_t mask)
{
    return wait_isr_for(mask, 2000000u);
}

__attribute__((unused)) static void delay_us(uint32_t us)
{
    uint64_t start = fw_micros();
    while (fw_micros() - start < us) {
    }
}

/* HAL_UART_Init: UART_SetConfig, then UART_CheckIdleState. */
static void uart_init(uint32_t baud, uint32_t presc)
{
    USART2->CR1 &= ~CR1_UE;
    USART2->CR1 = CR1_TE | CR1_RE;           /* 8N1, oversampling by 16 */
    USART2->CR2 = 0;
    USART2->CR3 = 0;
    USART2->PRESC = presc;
    /* UART_DIV_SAMPLING16(pclk, baud, presc) */
    USART2->BRR = ((pclk1 / presc_table[presc]) + baud / 2u) / baud;
    USART2->CR1 |= CR1_UE;
    CHECK(wait_isr(ISR_TEACK | ISR_REACK));
}

/* HAL_UART_Transmit: TXE (TXFNF) before each byte, TC at the end. */
__attribute__((unused)) static void uart_send(const char *text, unsigned len)
{
    for (unsigned i = 0; i < len; i++) {
        CHECK(wait_isr(ISR_TXE));
        USART2->TDR = (uint8_t)text[i];
    }
    CHECK(wait_isr(ISR_TC));
}

/* HAL_UART_Receive: RXNE (RXFNE) before each byte. */
static unsigned uart_receive(char *buf, unsigned len, uint32_t timeout_us)
{
    unsigned n = 0;
    while (n < len && wait_isr_for(ISR_RXNE, timeout_us)) {
        buf[n++] = (char)USART2->RDR;
    }
    return n;
}

/* Read whatever is there until the line has been quiet for quiet_us. */
__attribute__((unused)) static unsigned uart_drain(char *buf, unsigned len, uint32_t quiet_us)
{
    return uart_receive(buf, len, quiet_us);
}

/* HAL_UARTEx_EnableFifoMode and HAL_UARTEx_Set{Tx,Rx}FifoThreshold. */
__attribute__((unused)) static void uart_enable_fifo(uint32_t tx_threshold, uint32_t rx_threshold)
{
    uint32_t tmpcr1 = USART2->CR1;
    USART2->CR1 &= ~CR1_UE;
    tmpcr1 |= CR1_FIFOEN;
    USART2->CR1 = tmpcr1;

    tmpcr1 = USART2->CR1;
    USART2->CR1 &= ~CR1_UE;
    USART2->CR3 = (USART2->CR3 & ~(CR3_FTCFG_MASK << CR3_TXFTCFG_SHIFT)) |
                  (tx_threshold << CR3_TXFTCFG_SHIFT);
    USART2->CR1 = tmpcr1;

    tmpcr1 = USART2->CR1;
    USART2->CR1 &= ~CR1_UE;
    USART2->CR3 = (USART2->CR3 & ~(CR3_FTCFG_MASK << CR3_RXFTCFG_SHIFT)) |
                  (rx_threshold << CR3_RXFTCFG_SHIFT);
    USART2->CR1 = tmpcr1;
}

/* The interrupt handler, the parts of HAL_UART_IRQHandler a test uses. */
static volatile uint32_t irq_count, ore_irqs, idle_irqs, txfe_irqs, rxft_irqs;
static volatile uint32_t irq_isr;
static char irq_buf[64];
static volatile unsigned irq_len;

void USART2_IRQHandler(void)
{
    uint32_t isr = USART2->ISR;
    uint32_t cr1 = USART2->CR1;
    uint32_t cr3 = USART2->CR3;
    irq_count++;
    irq_isr = isr;
    if ((isr & ISR_ORE) && ((cr1 & CR1_RXNEIE) || (cr3 & (CR3_EIE | CR3_RXFTIE)))) {
        USART2->ICR = ICR_ORECF;
        ore_irqs++;
    }
    if ((isr & ISR_RXFT) && (cr3 & CR3_RXFTIE)) {
        /* UART_RxISR_8BIT_FIFOEN: NbRxDataToProcess bytes per interrupt */
        rxft_irqs++;
        for (unsigned i = 0; i < 4 && (USART2->ISR & ISR_RXNE); i++) {
            if (irq_len < sizeof(irq_buf)) {
                irq_buf[irq_len++] = (char)USART2->RDR;
            }
        }
    }
    if ((isr & ISR_IDLE) && (cr1 & CR1_IDLEIE)) {
        USART2->ICR = ICR_IDLECF;
        idle_irqs++;
    }
    if ((isr & ISR_TXFE) && (cr1 & CR1_TXFEIE)) {
        USART2->CR1 &= ~CR1_TXFEIE;
        txfe_irqs++;
    }
}

__attribute__((unused)) static int wait_count(volatile uint32_t *count, uint32_t want)
{
    uint64_t start = fw_micros();
    while (*count < want) {
        if (fw_micros() - start > 2000000u) {
            return 0;
        }
    }
    return 1;
}

#ifdef TEST_PRESC
/* The virtual time a burst of n bytes takes, from the first write to TC. */
static uint32_t timed_burst(unsigned n)
{
    uint64_t start = fw_micros();
    for (unsigned i = 0; i < n; i++) {
        CHECK(wait_isr(ISR_TXE));
        USART2->TDR = (uint8_t)('a' + i % 26);
    }
    CHECK(wait_isr(ISR_TC));
    return (uint32_t)(fw_micros() - start);
}

static void test_presc(void)
{
    char back[64];

    USART2->PRESC = 0xFF;
    CHECK_EQ(USART2->PRESC, 0xFu);           /* PRESCALER is 4 bits */

    /* 9600 baud from PCLK1 / 4: PRESC 2, BRR the HAL's rounding */
    uart_init(9600, 2);
    CHECK_EQ(USART2->PRESC, 2u);
    /* Only the transmitter: the echo waits in the backend */
    USART2->CR1 &= ~CR1_RE;
    uint32_t brr = USART2->BRR;
    uint32_t ker = pclk1 / 4u;
    /* 40 bytes of 10 bits at ker / brr baud */
    uint32_t expect_us = (uint32_t)(400ull * brr * 1000000ull / ker);
    uint32_t took = timed_burst(40);
    mvtest_log("presc 2 brr %lu: 40 bytes in %lu us (line rate %lu us)",
               (unsigned long)brr, (unsigned long)took, (unsigned long)expect_us);
    CHECK(took >= expect_us - expect_us / 100u);
    CHECK(took <= expect_us + expect_us / 50u);

    /* The same BRR without the prescaler: four times the baud rate */
    USART2->CR1 &= ~CR1_UE;
    USART2->PRESC = 0;
    USART2->CR1 |= CR1_UE;
    took = timed_burst(40);
    mvtest_log("presc 0 brr %lu: 40 bytes in %lu us", (unsigned long)brr,
               (unsigned long)took);
    CHECK(took >= expect_us / 4u - expect_us / 400u);
    CHECK(took <= expect_us / 4u + expect_us / 200u);
    /* The receiver on: all 80 echoed bytes, in line order */
    USART2->CR1 |= CR1_RE;
    unsigned got = uart_drain(back, sizeof(back), 20000u);
    got += uart_drain(back, sizeof(back), 20000u);
    mvtest_log("presc echo: %u bytes back, ORE %lu", got,
               (unsigned long)(USART2->ISR & ISR_ORE));
    CHECK_EQ(got, 80u);
    mvtest_log("presc ok");
}
#endif

#ifdef TEST_FIFO
static void test_fifo(void)
{
    static const char text[] = "ABCDEFGHIJKLMNOP";   /* 16 bytes */
    char back[32];
    unsigned n;

    uart_init(9600, 0);
    uart_enable_fifo(FIFO_THRESHOLD_1_2, FIFO_THRESHOLD_1_2);
    CHECK(USART2->CR1 & CR1_FIFOEN);
    CHECK(USART2->CR1 & CR1_UE);
    CHECK_EQ((USART2->CR3 >> CR3_TXFTCFG_SHIFT) & CR3_FTCFG_MASK, FIFO_THRESHOLD_1_2);
    CHECK_EQ((USART2->CR3 >> CR3_RXFTCFG_SHIFT) & CR3_FTCFG_MASK, FIFO_THRESHOLD_1_2);
    /* FIFOEN cannot change while UE=1 */
    USART2->CR1 &= ~CR1_FIFOEN;
    CHECK(USART2->CR1 & CR1_FIFOEN);
    /* Empty TXFIFO: TXFNF, TXFE, TXFT (8 free >= 4); RXFIFO empty */
    uint32_t isr = USART2->ISR;
    CHECK(isr & ISR_TXE);
    CHECK(isr & ISR_TXFE);
    CHECK(isr & ISR_TXFT);
    CHECK_EQ(isr & (ISR_RXNE | ISR_RXFT | ISR_RXFF), 0u);

    /* A burst: one byte goes to the shift register, eight wait. The
     * receiver is off meanwhile: the echo waits in the backend. */
    USART2->CR1 &= ~CR1_RE;
    n = 0;
    while (n < 16 && (USART2->ISR & ISR_TXE)) {
        USART2->TDR = (uint8_t)text[n++];
    }
    isr = USART2->ISR;
    mvtest_log("txfifo took %u bytes before TXFNF cleared", n);
    CHECK_EQ(n, 9u);
    CHECK_EQ(isr & (ISR_TXE | ISR_TXFE | ISR_TXFT | ISR_TC), 0u);
    /* TXFT again once half of it has gone out */
    CHECK(wait_isr(ISR_TXFT));
    CHECK_EQ(USART2->ISR & ISR_TXFE, 0u);
    while (n < 16) {
        CHECK(wait_isr(ISR_TXE));
        USART2->TDR = (uint8_t)text[n++];
    }
    CHECK(wait_isr(ISR_TXFE));
    USART2->ICR = ICR_TXFECF;
    CHECK_EQ(USART2->ISR & ISR_TXFE, 0u);
    CHECK(wait_isr(ISR_TC));

    /* The echo fills the RXFIFO: RXFNE, RXFT at 4 bytes, RXFF at 8 */
    USART2->CR1 |= CR1_RE;
    CHECK(wait_isr(ISR_RXFT));
    CHECK(USART2->ISR & ISR_RXNE);
    CHECK(wait_isr(ISR_RXFF));
    CHECK_EQ(USART2->ISR & ISR_ORE, 0u);
    n = 0;
    while (n < 8) {
        back[n++] = (char)USART2->RDR;
    }
    CHECK_EQ(USART2->ISR & ISR_RXFF, 0u);
    n += uart_receive(back + n, 16 - n, 100000u);
    CHECK_EQ(n, 16u);
    back[n] = 0;
    CHECK(strcmp(back, text) == 0);
    CHECK_EQ(USART2->ISR & (ISR_ORE | ISR_RXNE | ISR_RXFT), 0u);
    mvtest_log("fifo polled ok: %s", back);

    /* Interrupts: RXFTIE reads 4 bytes per interrupt, TXFEIE once empty */
    mv_nvic_enable_irq(USART2_IRQn);
    USART2->CR3 |= CR3_RXFTIE;
    for (n = 0; n < 16; n++) {
        CHECK(wait_isr(ISR_TXE));
        USART2->TDR = (uint8_t)text[15 - n];
    }
    USART2->CR1 |= CR1_TXFEIE;
    CHECK(wait_count(&txfe_irqs, 1));
    uint64_t start = fw_micros();
    while (irq_len < 16 && fw_micros() - start < 2000000u) {
    }
    USART2->CR3 &= ~CR3_RXFTIE;
    mvtest_log("fifo interrupts: rxft %lu txfe %lu, %u bytes",
               (unsigned long)rxft_irqs, (unsigned long)txfe_irqs, irq_len);
    CHECK_EQ(irq_len, 16u);
    CHECK_EQ(rxft_irqs, 4u);
    CHECK_EQ(ore_irqs, 0u);
    for (n = 0; n < 16; n++) {
        CHECK_EQ(irq_buf[n], text[15 - n]);
    }
    mvtest_log("fifo ok");
}
#endif

#ifdef TEST_OVERRUN
/* The greeting from the runner's echo server, sent as soon as QEMU connects. */
#define GREETING "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

static void test_overrun(void)
{
    char back[64];
    unsigned n;

    /* The greeting waits in the backend until the receiver is on */
    uart_init(9600, 0);
    /* Not reading for 20 ms: about 19 frames arrive, RDR holds the first */
    delay_us(20000u);
    uint32_t isr = USART2->ISR;
    CHECK(isr & ISR_ORE);
    CHECK(isr & ISR_RXNE);
    USART2->ICR = ICR_ORECF;
    CHECK_EQ(USART2->ISR & ISR_ORE, 0u);
    CHECK(USART2->ISR & ISR_RXNE);
    back[0] = (char)USART2->RDR;
    CHECK_EQ(back[0], '0');
    /* Later bytes still arrive; those during the pause were lost */
    n = 1 + uart_drain(back + 1, sizeof(back) - 2, 20000u);
    back[n] = 0;
    mvtest_log("overrun: kept %u of %u: %s", n, (unsigned)strlen(GREETING), back);
    CHECK(n >= 8 && n <= 24);
    CHECK_EQ(back[n - 1], 'Z');
    CHECK_EQ(USART2->ISR & ISR_ORE, 0u);

    /* EIE: the overrun raises the interrupt, the handler clears ORE */
    mv_nvic_enable_irq(USART2_IRQn);
    USART2->CR3 |= CR3_EIE;
    uart_send("abcdefgh", 8);
    CHECK(wait_count(&ore_irqs, 1));
    delay_us(10000u);
    CHECK_EQ(USART2->RDR, (uint32_t)'a');
    CHECK_EQ(uart_drain(back, sizeof(back), 5000u), 0u);
    mv_nvic_disable_irq(USART2_IRQn);
    USART2->CR3 &= ~CR3_EIE;
    mvtest_log("overrun interrupts: %lu", (unsigned long)ore_irqs);

    /* OVRDIS (only while UE=0): no ORE, the newest byte overwrites RDR */
    USART2->CR1 &= ~CR1_UE;
    USART2->CR3 |= CR3_OVRDIS;
    USART2->CR1 |= CR1_UE;
    CHECK(wait_isr(ISR_TEACK | ISR_REACK));
    uart_send("wxyz", 4);
    delay_us(10000u);
    CHECK_EQ(USART2->ISR & ISR_ORE, 0u);
    CHECK_EQ(USART2->RDR, (uint32_t)'z');
    CHECK_EQ(USART2->ISR & ISR_RXNE, 0u);
    mvtest_log("overrun ok");
}
#endif

#ifdef TEST_IDLE
#define GREETING "hello idle line"

/* HAL_UARTEx_ReceiveToIdle, blocking. */
static int receive_to_idle(char *buf, unsigned size, unsigned *len, uint32_t timeout_us)
{
    uint64_t start = fw_micros();
    *len = 0;
    while (*len < size) {
        if (USART2->ISR & ISR_IDLE) {
            USART2->ICR = ICR_IDLECF;
            if (*len > 0) {
                return 1;
            }
        }
        if (USART2->ISR & ISR_RXNE) {
            buf[(*len)++] = (char)USART2->RDR;
        }
        if (fw_micros() - start > timeout_us) {
            return 0;
        }
    }
    return 1;
}

static void test_idle(void)
{
    char back[64];
    unsigned len = 0;

    CHECK_EQ(USART2->ISR & ISR_IDLE, 0u);
    uart_init(9600, 0);
    CHECK(receive_to_idle(back, sizeof(back), &len, 2000000u));
    back[len] = 0;
    mvtest_log("receive to idle: %u bytes: %s", len, back);
    CHECK_EQ(len, (unsigned)strlen(GREETING));
    CHECK(strcmp(back, GREETING) == 0);
    CHECK_EQ(USART2->ISR & ISR_IDLE, 0u);
    /* No new IDLE without a new character */
    delay_us(10000u);
    CHECK_EQ(USART2->ISR & ISR_IDLE, 0u);

    /* FIFO mode and IDLEIE: one interrupt after the echoed burst */
    uart_enable_fifo(FIFO_THRESHOLD_1_2, FIFO_THRESHOLD_1_2);
    mv_nvic_enable_irq(USART2_IRQn);
    USART2->CR1 |= CR1_IDLEIE;
    uart_send("01234567", 8);  /* no more than the RXFIFO holds */
    CHECK(wait_count(&idle_irqs, 1));
    CHECK_EQ(uart_drain(back, sizeof(back), 5000u), 8u);
    uint32_t idles = idle_irqs;
    CHECK(idles >= 1u);
    delay_us(10000u);
    CHECK_EQ(idle_irqs, idles);
    USART2->CR1 &= ~CR1_IDLEIE;
    mv_nvic_disable_irq(USART2_IRQn);
    mvtest_log("idle ok");
}
#endif

int main(void)
{
    mvtest_begin("peripherals-usart-fifo");
    mvGetPClk1(&pclk1);
    CHECK_STATUS(mvPeriphPoke32(RCC_APB1ENR1, APB1ENR1_USART2EN, APB1ENR1_USART2EN),
                 MV_STATUS_OKAY);
#ifdef TEST_PRESC
    test_presc();
#endif
#ifdef TEST_FIFO
    test_fifo();
#endif
#ifdef TEST_OVERRUN
    test_overrun();
#endif
#ifdef TEST_IDLE
    test_idle();
#endif
    mvtest_end();
}
