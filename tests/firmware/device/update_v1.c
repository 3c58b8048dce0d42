/*
 * device-update, first image: subscribe to UPDATE system notifications,
 * wait (bounded) for UPDATEDOWNLOADED, which the runner causes with
 * mvemu-update-downloaded naming the second image, then restart with
 * AUTOAPPLYUPDATE. The second image (update_v2.c) ends the test; if this
 * image boots again the update was not installed and the test fails.
 */
#include "fwtest.h"
#include "fwnet.h"
#include "../system/persist.h"

#define IRQ    TIM1_BRK_IRQn
#define SLOTS  4u
#define MAGIC_V1_RESTARTING 0x55504431u

static volatile struct MvNotification ring[SLOTS] __attribute__((aligned(8)));
static FwCenter center;

void TIM1_BRK_IRQHandler(void)
{
    fw_center_isr(&center);
}

int main(void)
{
    mvtest_begin("device-update");
    if (FW_PERSIST->magic == MAGIC_V1_RESTARTING) {
        mvtest_log("FAIL: the first image booted again: the update was not installed");
        FW_PERSIST->magic = 0;
        CHECK(0);
        mvtest_end();
    }
    mv_enable_irq();
    CHECK_STATUS(fw_center_open(&center, ring, SLOTS, IRQ), MV_STATUS_OKAY);

    struct MvOpenSystemNotificationParams p = {
        .notification_handle = center.handle,
        .notification_tag = 0x5550u,
        .notification_source = MV_SYSTEMNOTIFICATIONSOURCE_UPDATE,
    };
    MvSystemEventHandle sys = 0;
    CHECK_STATUS(mvOpenSystemNotification(&p, &sys), MV_STATUS_OKAY);
    mvtest_log("v1 WAITING FOR UPDATE");
    if (CHECK(fw_center_wait(&center, 1, 5000000u))) {
        CHECK_EQ(center.last_type, (uint32_t)MV_EVENTTYPE_UPDATEDOWNLOADED);
        CHECK_EQ(center.last_tag, 0x5550u);
    }
    if (mvtest_failures())
        mvtest_end();
    mvtest_log("v1 GOT UPDATE");
    fw_spin_us(300000);  /* time for the runner's query */
    FW_PERSIST->magic = MAGIC_V1_RESTARTING;
    mv_dsb();
    mvtest_log("v1 restarting to apply the update");
    CHECK_STATUS(mvRestart(MV_RESTARTMODE_AUTOAPPLYUPDATE), MV_STATUS_OKAY);
    uint64_t start = fw_micros();
    while (fw_micros() - start < 1000000u) {
    }
    mvtest_log("FAIL: still running after mvRestart");
    CHECK(0);
    mvtest_end();
}
