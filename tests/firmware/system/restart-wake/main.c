/*
 * restart-wake: mvGetWakeReason and mvRestart across one restart.
 *
 * First boot: the wake reason is COLDBOOT (a 1-byte output), bad arguments
 * give PARAMETERFAULT, a notification center is opened, then
 * mvRestart(AUTOAPPLYUPDATE). Second boot (recognised by a marker in RAM
 * that startup code does not touch): the wake reason is APPLICATIONUPDATE
 * and the first boot's center is gone. The second boot ends the test.
 */
#include "fwtest.h"
#include "../persist.h"

#define IRQ     TIM1_BRK_IRQn  /* 41 */
#define SLOTS   4u

#define MAGIC_FIRST      0x46495253u  /* set during the first boot */
#define MAGIC_RESTARTING 0x52535431u  /* set just before mvRestart */
#define MAGIC_DONE       0x444f4e45u  /* set on the second boot */

static volatile struct MvNotification ring[SLOTS] __attribute__((aligned(8)));
static FwCenter center;

void TIM1_BRK_IRQHandler(void)
{
    fw_center_isr(&center);
}

/* The wake reason as a 1-byte write into the middle of a guarded word. */
static void check_wake_reason(enum MvWakeReason expected)
{
    volatile uint8_t bytes[4] __attribute__((aligned(4))) = {0xEE, 0xEE, 0xEE, 0xEE};

    CHECK_STATUS(mvGetWakeReason((enum MvWakeReason *)(uintptr_t)&bytes[1]), MV_STATUS_OKAY);
    CHECK_EQ(bytes[1], (uint8_t)expected);
    CHECK_EQ(bytes[0], 0xEE);
    CHECK_EQ(bytes[2], 0xEE);
    CHECK_EQ(bytes[3], 0xEE);
}

static void first_boot(void)
{
    FW_PERSIST->magic = MAGIC_FIRST;
    mvtest_begin("system-restart-wake");
    mvtest_log("first boot");
    mv_enable_irq();
    CHECK(fw_persist_placement_ok());

    check_wake_reason(MV_WAKEREASON_COLDBOOT);
    CHECK_STATUS(mvGetWakeReason(NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetWakeReason((enum MvWakeReason *)(uintptr_t)FW_APP_FLASH),
                 MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvRestart((enum MvRestartMode)1), MV_STATUS_PARAMETERFAULT);

    /* A working center, which the restart must take away. */
    if (CHECK_STATUS(fw_center_open(&center, ring, SLOTS, IRQ), MV_STATUS_OKAY)) {
        CHECK_STATUS(mvTempTriggerNotification(center.handle,
                                               MV_EVENTTYPE_CHANNELDATAREADABLE, 1),
                     MV_STATUS_OKAY);
        CHECK(fw_center_wait(&center, 1, 1000000u));
    }
    if (mvtest_failures())
        mvtest_end();

    FW_PERSIST->value = center.handle;
    FW_PERSIST->magic = MAGIC_RESTARTING;
    mv_dsb();
    mvtest_log("restarting");
    CHECK_STATUS(mvRestart(MV_RESTARTMODE_AUTOAPPLYUPDATE), MV_STATUS_OKAY);

    /* The reset is requested, not immediate: wait for it, but not forever. */
    uint64_t start = fw_micros();
    while (fw_micros() - start < 1000000u) {
    }
    mvtest_log("FAIL: still running 1 s after mvRestart");
    FW_PERSIST->magic = 0;
    CHECK(0);
    mvtest_end();
}

static void second_boot(void)
{
    MvNotificationHandle old = FW_PERSIST->value;

    FW_PERSIST->magic = MAGIC_DONE;
    mvtest_begin("system-restart-wake");
    mvtest_log("second boot");
    mv_enable_irq();

    check_wake_reason(MV_WAKEREASON_APPLICATIONUPDATE);

    /* The first boot's center is gone... */
    CHECK(old != 0);
    CHECK_STATUS(mvTempTriggerNotification(old, MV_EVENTTYPE_CHANNELDATAREADABLE, 2),
                 MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvCloseNotifications(&old), MV_STATUS_INVALIDHANDLE);

    /* ...and so its buffer and IRQ are free again (same image, same ring). */
    if (CHECK_STATUS(fw_center_open(&center, ring, SLOTS, IRQ), MV_STATUS_OKAY)) {
        CHECK(center.handle != 0);
        CHECK_STATUS(mvTempTriggerNotification(center.handle,
                                               MV_EVENTTYPE_CHANNELDATAREADABLE, 3),
                     MV_STATUS_OKAY);
        CHECK(fw_center_wait(&center, 1, 1000000u));
        CHECK_EQ(center.last_tag, 3u);
        /* Written from slot 0 again. */
        CHECK_EQ(ring[0].tag, 3u);
    }
    mvtest_end();
}

int main(void)
{
    switch (FW_PERSIST->magic) {
    case MAGIC_RESTARTING:
        second_boot();
        break;
    case MAGIC_FIRST:
    case MAGIC_DONE:
        /* A restart nobody asked for (or a third boot): fail at once
         * rather than boot in a loop until the runner's timeout. */
        mvtest_begin("system-restart-wake");
        mvtest_log("FAIL: unexpected restart (%s)",
                   FW_PERSIST->magic == MAGIC_FIRST ? "during the first boot"
                                                    : "after the second boot");
        FW_PERSIST->magic = 0;
        CHECK(0);
        mvtest_end();
        break;
    default:
        first_boot();
        break;
    }
    return 0;
}
