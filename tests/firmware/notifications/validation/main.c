/*
 * validation: every error mvSetupNotifications, mvCloseNotifications and
 * mvTempTriggerNotification can report, each provoked with an otherwise
 * valid call, plus the 32-center limit and handle life cycle.
 *
 * No IRQ is enabled here: nothing is triggered on a live center.
 */
#include <string.h>

#include "fwtest.h"

#define MAX_CENTERS 32u

/* A live center uses pool[0..3]; overlap tests use the records around it. */
static struct MvNotification pool[8] __attribute__((aligned(8)));
static struct MvNotification spare[2] __attribute__((aligned(8)));
/* One 2-record ring per center for the limit test (33 of them). */
static struct MvNotification many[MAX_CENTERS + 1][2] __attribute__((aligned(8)));
static MvNotificationHandle handles[MAX_CENTERS + 1];

static const MvNotificationHandle flash_handle = 0x12345678u;  /* in .rodata */

static enum MvStatus setup(uint32_t irq, void *buffer, uint32_t size,
                           MvNotificationHandle *out)
{
    struct MvNotificationSetup s = {
        .irq = irq,
        .buffer = (struct MvNotification *)buffer,
        .buffer_size = size,
    };
    return mvSetupNotifications(&s, out);
}

#define PTR(addr) ((void *)(uintptr_t)(addr))

static void bad_pointers(void)
{
    struct MvNotificationSetup good = {
        .irq = 60, .buffer = spare, .buffer_size = sizeof spare,
    };
    MvNotificationHandle h = 0;

    CHECK_STATUS(mvSetupNotifications(NULL, &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvSetupNotifications(&good, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvSetupNotifications(PTR(FW_SECURE_SRAM), &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvSetupNotifications(PTR(FW_UNMAPPED), &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvSetupNotifications(&good, PTR(FW_APP_FLASH)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvSetupNotifications(&good, PTR(FW_SECURE_SRAM)), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(h, 0u);
}

static void bad_buffers(void)
{
    MvNotificationHandle h = 0;

    /* Fewer than two records, not a whole number of records, empty. */
    CHECK_STATUS(setup(60, spare, 16, &h), MV_STATUS_INVALIDBUFFERSIZE);
    CHECK_STATUS(setup(60, spare, 40, &h), MV_STATUS_INVALIDBUFFERSIZE);
    CHECK_STATUS(setup(60, spare, 0, &h), MV_STATUS_INVALIDBUFFERSIZE);

    /* Not writable, not 8-aligned, running past the end of application RAM. */
    CHECK_STATUS(setup(60, PTR(FW_APP_FLASH), 32, &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(setup(60, (uint8_t *)pool + 4, 32, &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(setup(60, PTR(0x2007FFF0u), 32, &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(setup(60, PTR(FW_SECURE_SRAM), 32, &h), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(h, 0u);
}

static void buffer_in_use_and_irqs(void)
{
    MvNotificationHandle live = 0, h = 0;

    memset(pool, 0xff, sizeof pool);
    if (!CHECK_STATUS(setup(60, pool, 4 * sizeof pool[0], &live), MV_STATUS_OKAY))
        return;
    CHECK(live != 0);

    /* Identical buffer, and one overlapping the live ring's last record. */
    CHECK_STATUS(setup(61, pool, 4 * sizeof pool[0], &h), MV_STATUS_BUFFERALREADYINUSE);
    CHECK_STATUS(setup(61, &pool[3], 2 * sizeof pool[0], &h), MV_STATUS_BUFFERALREADYINUSE);
    CHECK_EQ(h, 0u);
    /* Right after the live ring is free. */
    if (CHECK_STATUS(setup(61, &pool[4], 2 * sizeof pool[0], &h), MV_STATUS_OKAY)) {
        CHECK(h != 0 && h != live);
        CHECK_STATUS(mvCloseNotifications(&h), MV_STATUS_OKAY);
    }

    /* IRQs past the last line, and a line another center has. */
    h = 0;
    CHECK_STATUS(setup(125, spare, sizeof spare, &h), MV_STATUS_INVALIDINTERRUPT);
    CHECK_STATUS(setup(200, spare, sizeof spare, &h), MV_STATUS_INVALIDINTERRUPT);
    CHECK_STATUS(setup(60, spare, sizeof spare, &h), MV_STATUS_INVALIDINTERRUPT);
    CHECK_EQ(h, 0u);

    /* Close: zeroes the handle; a zero or stale handle is then invalid. */
    MvNotificationHandle stale = live;
    CHECK_STATUS(mvCloseNotifications(&live), MV_STATUS_OKAY);
    CHECK_EQ(live, 0u);
    CHECK_STATUS(mvCloseNotifications(&live), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvCloseNotifications(&stale), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvTempTriggerNotification(stale, MV_EVENTTYPE_CHANNELDATAREADABLE, 1),
                 MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvTempTriggerNotification(0, MV_EVENTTYPE_CHANNELDATAREADABLE, 1),
                 MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvCloseNotifications(NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvCloseNotifications((MvNotificationHandle *)(uintptr_t)&flash_handle),
                 MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvCloseNotifications(PTR(FW_APP_FLASH)), MV_STATUS_PARAMETERFAULT);

    /* The rejected triggers wrote nothing into the closed center's ring. */
    uint64_t t0 = fw_micros();
    while (fw_micros() - t0 < 2000u) {
    }
    CHECK_EQ((uint32_t)pool[0].event_type, 0xFFFFFFFFu);
    CHECK_EQ(pool[0].tag, 0xFFFFFFFFu);
}

static void center_limit(void)
{
    uint32_t opened = 0;

    for (uint32_t i = 0; i < MAX_CENTERS; i++) {
        if (CHECK_STATUS(setup(64 + i, many[i], sizeof many[i], &handles[i]), MV_STATUS_OKAY))
            opened++;
    }
    CHECK_EQ(opened, MAX_CENTERS);
    CHECK_STATUS(setup(64 + MAX_CENTERS, many[MAX_CENTERS], sizeof many[MAX_CENTERS],
                       &handles[MAX_CENTERS]),
                 MV_STATUS_TOOMANYNOTIFICATIONBUFFERS);
    CHECK_EQ(handles[MAX_CENTERS], 0u);

    /* Closing one frees a place. */
    MvNotificationHandle closed = handles[5];
    CHECK_STATUS(mvCloseNotifications(&handles[5]), MV_STATUS_OKAY);
    CHECK_STATUS(setup(64 + MAX_CENTERS, many[MAX_CENTERS], sizeof many[MAX_CENTERS],
                       &handles[MAX_CENTERS]),
                 MV_STATUS_OKAY);

    /* All 33 handles ever issued are non-zero and distinct. */
    handles[5] = closed;
    uint32_t zero = 0, dup = 0;
    for (uint32_t i = 0; i <= MAX_CENTERS; i++) {
        if (handles[i] == 0)
            zero++;
        for (uint32_t j = i + 1; j <= MAX_CENTERS; j++)
            if (handles[i] == handles[j])
                dup++;
    }
    CHECK_EQ(zero, 0u);
    CHECK_EQ(dup, 0u);
    handles[5] = 0;

    uint32_t closed_ok = 0;
    for (uint32_t i = 0; i <= MAX_CENTERS; i++) {
        if (i == 5)
            continue;
        if (mvCloseNotifications(&handles[i]) == MV_STATUS_OKAY && handles[i] == 0)
            closed_ok++;
    }
    CHECK_EQ(closed_ok, MAX_CENTERS);
}

int main(void)
{
    mvtest_begin("notifications-validation");
    bad_pointers();
    bad_buffers();
    buffer_in_use_and_irqs();
    center_limit();
    mvtest_end();
}
