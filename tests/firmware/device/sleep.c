/*
 * device-sleep: mvPowerSave waits for an interrupt; mvDeepSleep refuses
 * while the network is held, then sleeps for the profile's duration of
 * virtual time and wakes as a reset with the profile's wake reason.
 */
#include "fwtest.h"
#include "fwnet.h"
#include "../system/persist.h"

#define IRQ    TIM1_BRK_IRQn
#define SLOTS  4u
#define MAGIC_SLEEPING 0x534c5031u
#ifndef SLEEP_MS
#define SLEEP_MS 600000u       /* the profile's [power] deep_sleep_ms */
#endif
#define SLEEP_US ((uint64_t)SLEEP_MS * 1000u)

static volatile struct MvNotification ring[SLOTS] __attribute__((aligned(8)));
static FwCenter center;

void TIM1_BRK_IRQHandler(void)
{
    fw_center_isr(&center);
}

static void after_wake(void)
{
    enum MvWakeReason reason = (enum MvWakeReason)0xEE;
    uint64_t slept_at = (uint64_t)FW_PERSIST->value * 1000u;

    FW_PERSIST->magic = 0;
    mvtest_log("woke");
    CHECK_STATUS(mvGetWakeReason(&reason), MV_STATUS_OKAY);
    CHECK_EQ(reason, MV_WAKEREASON_DEEPSLEEPAPPLICATIONRTC);
    CHECK(fw_micros() - slept_at >= SLEEP_US);
    CHECK(fw_micros() - slept_at < SLEEP_US + 5000000u);
    fw_spin_us(100000);  /* time for the runner's sample */
    mvtest_end();
}

int main(void)
{
    mvtest_begin("device-sleep");
    if (FW_PERSIST->magic == MAGIC_SLEEPING)
        after_wake();
    mv_enable_irq();
    CHECK_STATUS(mvPowerSave((enum MvPowerSavingMode)5), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvDeepSleep((enum MvDeepSleepMode)2), MV_STATUS_PARAMETERFAULT);

    /* mvPowerSave returns once an interrupt is pending (with PRIMASK set,
     * as WFI: the record may arrive before or during the wait). */
    if (CHECK_STATUS(fw_center_open(&center, ring, SLOTS, IRQ), MV_STATUS_OKAY)) {
        uint64_t before = fw_micros();

        mv_disable_irq();
        CHECK_STATUS(mvTempTriggerNotification(center.handle,
                                               MV_EVENTTYPE_CHANNELDATAREADABLE, 7),
                     MV_STATUS_OKAY);
        CHECK_STATUS(mvPowerSave(MV_POWERSAVINGMODE_STOP2), MV_STATUS_OKAY);
        CHECK(mv_nvic_is_pending(IRQ));
        mv_enable_irq();
        CHECK_EQ(center.received, 1u);
        mvtest_log("power save lasted %u us", (unsigned)(fw_micros() - before));
    }

    /* Not while the application holds the network. */
    MvNetworkHandle net = 0;
    CHECK_STATUS(fw_request_network(center.handle, 1, &net), MV_STATUS_OKAY);
    CHECK_STATUS(mvDeepSleep(MV_DEEPSLEEPMODE_STANDBY), MV_STATUS_MICROVISORBUSY);
    CHECK_STATUS(mvPowerSave(MV_POWERSAVINGMODE_STOP1), MV_STATUS_MICROVISORBUSY);
    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    if (mvtest_failures())
        mvtest_end();

    FW_PERSIST->value = (uint32_t)(fw_micros() / 1000u);
    FW_PERSIST->magic = MAGIC_SLEEPING;
    mv_dsb();
    mvtest_log("SLEEPING");
    CHECK_STATUS(mvDeepSleep(MV_DEEPSLEEPMODE_SHUTDOWN), MV_STATUS_OKAY);
    mvtest_log("FAIL: ran on after mvDeepSleep");
    FW_PERSIST->magic = 0;
    CHECK(0);
    mvtest_end();
}
