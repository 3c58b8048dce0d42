/*
 * peripherals-usart-reset-flush: a line that a restart cuts short reaches
 * the console as it stands, not glued to the next boot's first line.
 *
 * First boot: USART2 sends "cut short by the restart" without a newline
 * (TC awaited, so every byte has left the port), then mvRestart. Second
 * boot (a marker in RAM that startup code does not touch): "after the
 * restart\n", and the test ends.
 */
#include "fwtest.h"
#include "usart.h"
#include "../../system/persist.h"

#define MAGIC_RESTARTING 0x55525354u

int main(void)
{
    int second = FW_PERSIST->magic == MAGIC_RESTARTING;
    mvtest_begin("usart-reset-flush");
    CHECK(fw_persist_placement_ok());
    uint32_t pclk1 = 0;
    mvGetPClk1(&pclk1);
    CHECK_STATUS(mvPeriphPoke32(RCC_APB1ENR1, APB1ENR1_USART2EN, APB1ENR1_USART2EN),
                 MV_STATUS_OKAY);
    uart_init(USART2, pclk1);
    if (!second) {
        uart_send(USART2, "cut short by the restart");
        FW_PERSIST->magic = MAGIC_RESTARTING;
        mvRestart(MV_RESTARTMODE_AUTOAPPLYUPDATE);
        mvtest_log("survived: mvRestart returned");
        CHECK(0);
    }
    FW_PERSIST->magic = 0;
    uart_send(USART2, "after the restart\n");
    mvtest_end();
}
