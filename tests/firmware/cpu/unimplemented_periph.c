/*
 * unimplemented-peripheral: peripherals the board does not model read as
 * zero and ignore writes, without faulting (QEMU's unimplemented-device
 * regions). Reads I2C1 ISR and CR1 and LPTIM2 registers, writes LPTIM2, and finishes
 * with a pass. The -d unimp variant shows the accesses in QEMU's log.
 */
#include "fwtest.h"

#define I2C1_BASE    0x40005400u
#define I2C1_CR1     (I2C1_BASE + 0x00u)
#define I2C1_ISR     (I2C1_BASE + 0x18u)
#define LPTIM2_BASE  0x40009400u
#define LPTIM2_CR    (LPTIM2_BASE + 0x10u)
#define LPTIM2_ARR   (LPTIM2_BASE + 0x18u)

static volatile uint32_t faults;

void HardFault_Handler(void)
{
    faults++;
    mvtest_log("FATAL HardFault");
    CHECK(0);
    mvtest_end();
}

void BusFault_Handler(void)
{
    faults++;
    mvtest_log("FATAL BusFault");
    CHECK(0);
    mvtest_end();
}

int main(void)
{
    mvtest_begin("unimplemented-peripheral");

    mvtest_log("reading I2C1 ISR");
    CHECK_EQ(MVEMU_REG32(I2C1_ISR), 0u);
    CHECK_EQ(MVEMU_REG32(I2C1_CR1), 0u);
    /* Byte and halfword reads too. */
    CHECK_EQ(MVEMU_REG8(I2C1_ISR), 0u);
    CHECK_EQ(*(volatile uint16_t *)(uintptr_t)I2C1_ISR, 0u);

    mvtest_log("writing LPTIM2 ARR and CR");
    MVEMU_REG32(LPTIM2_ARR) = 999u;
    MVEMU_REG32(LPTIM2_CR) = 1u;
    mv_dsb();
    /* Writes are discarded: the registers still read as zero. */
    CHECK_EQ(MVEMU_REG32(LPTIM2_ARR), 0u);
    CHECK_EQ(MVEMU_REG32(LPTIM2_CR), 0u);

    CHECK_EQ(faults, 0u);
    /* The firmware is still running normally: a system call works. */
    CHECK_STATUS(mvNoOp(), MV_STATUS_OKAY);
    mvtest_end();
}
