/*
 * isr-unavailable: calls the API refuses in interrupt context
 * (shared/semantics.md section 10). From an ISR, mvGetWakeReason and
 * mvRestart return UNAVAILABLE (and do nothing), while mvGetMicroseconds
 * and mvNoOp work; from thread mode mvGetWakeReason works.
 *
 * Should mvRestart wrongly restart the device, the next boot finds a marker
 * in RAM that survives the reset and fails the test at once.
 */
#include "fwtest.h"
#include "../persist.h"

#define IRQ    TIM2_IRQn  /* 45: no center uses it */
#define MAGIC  0x49535231u

static volatile uint32_t entries;
static volatile uint32_t ipsr;
static volatile uint32_t wake_status, restart_status, micros_status, noop_status;
static volatile uint8_t wake_out;
static volatile uint64_t micros_out;

void TIM2_IRQHandler(void)
{
    uint64_t us = 0;

    entries++;
    ipsr = mv_get_ipsr();
    wake_status = mvGetWakeReason((enum MvWakeReason *)(uintptr_t)&wake_out);
    restart_status = mvRestart(MV_RESTARTMODE_AUTOAPPLYUPDATE);
    micros_status = mvGetMicroseconds(&us);
    micros_out = us;
    noop_status = mvNoOp();
}

int main(void)
{
    if (FW_PERSIST->magic == MAGIC) {
        FW_PERSIST->magic = 0;
        mvtest_begin("system-isr-unavailable");
        mvtest_log("FAIL: the device restarted (mvRestart from an ISR)");
        CHECK(0);
        mvtest_end();
    }
    FW_PERSIST->magic = MAGIC;

    mvtest_begin("system-isr-unavailable");
    CHECK(fw_persist_placement_ok());
    mv_enable_irq();

    wake_out = 0xEE;
    wake_status = restart_status = micros_status = noop_status = 0xFFFFFFFFu;
    uint64_t before = fw_micros();
    mv_nvic_clear_pending(IRQ);
    mv_nvic_enable_irq(IRQ);
    mv_nvic_set_pending(IRQ);

    uint64_t start = fw_micros();
    while (entries == 0 && fw_micros() - start < 1000000u) {
    }
    /* A wrongly accepted mvRestart would reset within this wait. */
    start = fw_micros();
    while (fw_micros() - start < 10000u) {
    }
    mv_nvic_disable_irq(IRQ);

    CHECK_EQ(entries, 1u);
    CHECK_EQ(ipsr, 16u + IRQ);
    CHECK_STATUS(wake_status, MV_STATUS_UNAVAILABLE);
    CHECK_EQ(wake_out, 0xEE);  /* nothing written */
    CHECK_STATUS(restart_status, MV_STATUS_UNAVAILABLE);
    CHECK_STATUS(micros_status, MV_STATUS_OKAY);
    CHECK(micros_out >= before);
    CHECK(micros_out <= fw_micros());
    CHECK_STATUS(noop_status, MV_STATUS_OKAY);

    /* Thread mode: available, and still the cold boot. */
    uint8_t reason = 0xEE;
    CHECK_EQ(mv_get_ipsr(), 0u);
    CHECK_STATUS(mvGetWakeReason((enum MvWakeReason *)&reason), MV_STATUS_OKAY);
    CHECK_EQ(reason, (uint8_t)MV_WAKEREASON_COLDBOOT);

    FW_PERSIST->magic = 0;
    mvtest_end();
}
