/*
 * peripherals-usart: USART2 (and USART1) driven the way ST's HAL drives
 * them: HAL_UART_Init (UE off, word length / parity / TE / RE, PRESC, BRR,
 * UE on, then UART_CheckIdleState's wait for TEACK and REACK), then
 * HAL_UART_Transmit (TXE before each byte, TC at the end).
 *
 * Without a -serial for the port, the machine prints each line on the
 * console marked with the port's name. Built with EXPECT_ECHO, USART2 is
 * connected to the runner's TCP echo server: every byte comes back through
 * RDR (RXNE polled, as HAL_UART_Receive does), in order and without loss.
 */
#include <string.h>

#include "fwtest.h"
#include "usart.h"

int main(void)
{
    mvtest_begin("peripherals-usart");
    uint32_t pclk1 = 0, pclk2 = 0;
    mvGetPClk1(&pclk1);
    mvGetPClk2(&pclk2);
    CHECK_STATUS(mvPeriphPoke32(RCC_APB1ENR1, APB1ENR1_USART2EN, APB1ENR1_USART2EN),
                 MV_STATUS_OKAY);
    CHECK_STATUS(mvPeriphPoke32(RCC_APB2ENR, APB2ENR_USART1EN, APB2ENR_USART1EN),
                 MV_STATUS_OKAY);

    CHECK_EQ(USART2->ISR & (ISR_TEACK | ISR_REACK), 0u);  /* not enabled yet */
    uart_init(USART2, pclk1);
    uart_init(USART1, pclk2);
    CHECK(USART2->ISR & ISR_TXE);
    uart_send(USART1, "console line from usart1\r\n");

#ifdef EXPECT_ECHO
    const char *text = "ping over usart2\n";
    char back[32];
    unsigned n = 0;
    for (const char *p = text; *p; p++) {
        uart_send(USART2, (char[]){ *p, 0 });
        CHECK(wait_isr(USART2, ISR_RXNE));
        back[n++] = (char)USART2->RDR;   /* reading RDR clears RXNE */
    }
    back[n] = 0;
    CHECK(strcmp(back, text) == 0);
    CHECK_EQ(USART2->ISR & ISR_RXNE, 0u);
    /* Two bytes back to back, as HAL_UART_Receive reads them: each is read
     * from RDR within the frame before the next lands, so none is overrun
     * (waiting for TC first would be too late: the echo of 'a' lands while
     * 'b' is still being sent, and 'b' one frame later). */
    CHECK(wait_isr(USART2, ISR_TXE));
    USART2->TDR = 'a';
    CHECK(wait_isr(USART2, ISR_TXE));
    USART2->TDR = 'b';
    CHECK(wait_isr(USART2, ISR_RXNE));
    CHECK_EQ(USART2->RDR, (uint32_t)'a');
    CHECK(wait_isr(USART2, ISR_RXNE));
    CHECK_EQ(USART2->RDR, (uint32_t)'b');
    CHECK_EQ(USART2->ISR & ISR_ORE, 0u);
    mvtest_log("echo ok: %s", back);
#else
    uart_send(USART2, "hello from usart2\r\n");
    uart_send(USART2, "second line");
    uart_send(USART2, "\n");
#endif
    mvtest_end();
}
