/*
 * network-system-notifications: mvOpenSystemNotification and
 * mvCloseSystemNotification argument checks (docs/network.md "System
 * notifications"):
 *   - a center that is not live, or a source other than NETWORK (0) and
 *     UPDATE (1): INVALIDHANDLE;
 *   - unusable params or handle pointers: PARAMETERFAULT;
 *   - from an interrupt handler (an NVIC-pended line, and a notification
 *     center's own ISR): UNAVAILABLE, and nothing is opened or closed;
 *   - close zeroes the handle; a zero, stale or foreign handle is invalid.
 * The handle output is never written by a failing call.
 */
#include <string.h>

#include "fwtest.h"
#include "../netutil.h"

#define CENTER_IRQ  TIM1_BRK_IRQn
#define PENDED_IRQ  TIM3_IRQn  /* no center uses it */
#define TAG 0x53595354u

static volatile struct MvNotification ring[8] __attribute__((aligned(8)));
static volatile struct MvNotification ring2[4] __attribute__((aligned(8)));
static FwCenter center, center2;

/* Parameters read from flash are fine (source 2 is still refused). */
static const struct MvOpenSystemNotificationParams flash_params = {
    .notification_handle = 0, .notification_tag = 1, .notification_source = 2,
};
static const MvSystemEventHandle flash_handle = 0x1234u;

static uint32_t aligned_words[16];

/* What the interrupt handlers did. */
static volatile uint32_t isr_mode;  /* 0 idle, 1 probe */
static volatile uint32_t isr_entries;
static volatile uint32_t isr_open_status, isr_close_status;
static MvSystemEventHandle isr_open_out;
static MvSystemEventHandle isr_close_handle;

static void isr_probe(void)
{
    struct MvOpenSystemNotificationParams p = {
        .notification_handle = center.handle,
        .notification_tag = TAG,
        .notification_source = MV_SYSTEMNOTIFICATIONSOURCE_NETWORK,
    };
    isr_entries++;
    isr_open_status = mvOpenSystemNotification(&p, &isr_open_out);
    isr_close_status = mvCloseSystemNotification(&isr_close_handle);
}

void TIM1_BRK_IRQHandler(void)
{
    fw_center_isr(&center);
    if (isr_mode) {
        isr_probe();
    }
}

void TIM3_IRQHandler(void)
{
    isr_probe();
}

static enum MvStatus open_sys(MvNotificationHandle c, uint32_t source, MvSystemEventHandle *out)
{
    struct MvOpenSystemNotificationParams p = {
        .notification_handle = c, .notification_tag = TAG, .notification_source = source,
    };
    return mvOpenSystemNotification(&p, out);
}

static void bad_sources_and_centers(void)
{
    MvSystemEventHandle h = FILL;

    CHECK_STATUS(open_sys(center.handle, 2, &h), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(open_sys(center.handle, 0xFFFFFFFFu, &h), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(open_sys(0, MV_SYSTEMNOTIFICATIONSOURCE_NETWORK, &h), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(open_sys(0x5EED1234u, MV_SYSTEMNOTIFICATIONSOURCE_NETWORK, &h),
                 MV_STATUS_INVALIDHANDLE);

    /* A center that was closed, and a network handle in its place. */
    CHECK_STATUS(fw_center_open(&center2, ring2, 4, TIM1_UP_IRQn), MV_STATUS_OKAY);
    MvNotificationHandle closed = center2.handle;
    CHECK_STATUS(mvCloseNotifications(&center2.handle), MV_STATUS_OKAY);
    CHECK_STATUS(open_sys(closed, MV_SYSTEMNOTIFICATIONSOURCE_UPDATE, &h),
                 MV_STATUS_INVALIDHANDLE);
    MvNetworkHandle net = 0;
    CHECK_STATUS(fw_request_network(center.handle, TAG, &net), MV_STATUS_OKAY);
    CHECK_STATUS(open_sys(net, MV_SYSTEMNOTIFICATIONSOURCE_NETWORK, &h), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);

    /* Parameters in flash are read: the source is what is refused. */
    CHECK_STATUS(mvOpenSystemNotification(&flash_params, &h), MV_STATUS_INVALIDHANDLE);
    CHECK_EQ(h, FILL);
}

static void bad_pointers(void)
{
    struct MvOpenSystemNotificationParams good = {
        .notification_handle = center.handle,
        .notification_tag = TAG,
        .notification_source = MV_SYSTEMNOTIFICATIONSOURCE_NETWORK,
    };
    MvSystemEventHandle h = FILL;

    CHECK_STATUS(mvOpenSystemNotification(NULL, &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvOpenSystemNotification(PTR(FW_UNMAPPED), &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvOpenSystemNotification(PTR(FW_SECURE_SRAM), &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvOpenSystemNotification(PTR(0x2007FFFCu), &h), MV_STATUS_PARAMETERFAULT);
    /* A copy of the good parameters at an odd address. */
    uint8_t *odd = (uint8_t *)aligned_words + 2;
    memcpy(odd, &good, sizeof good);
    CHECK_STATUS(mvOpenSystemNotification(PTR(odd), &h), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(h, FILL);

    CHECK_STATUS(mvOpenSystemNotification(&good, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvOpenSystemNotification(&good, PTR(&flash_handle)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvOpenSystemNotification(&good, PTR(FW_SECURE_SRAM)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvOpenSystemNotification(&good, PTR((uint8_t *)aligned_words + 1)),
                 MV_STATUS_PARAMETERFAULT);
    /* A bad pointer comes before a bad source. */
    good.notification_source = 2;
    CHECK_STATUS(mvOpenSystemNotification(&good, PTR(FW_APP_FLASH)), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(flash_handle, 0x1234u);

    CHECK_STATUS(mvCloseSystemNotification(NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvCloseSystemNotification(PTR(&flash_handle)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvCloseSystemNotification(PTR(FW_UNMAPPED)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvCloseSystemNotification(PTR((uint8_t *)aligned_words + 2)),
                 MV_STATUS_PARAMETERFAULT);
}

static void life_cycle(void)
{
    MvSystemEventHandle h = FILL;

    CHECK_STATUS(open_sys(center.handle, MV_SYSTEMNOTIFICATIONSOURCE_NETWORK, &h),
                 MV_STATUS_OKAY);
    CHECK(h != 0 && h != FILL && h != center.handle);

    MvSystemEventHandle live = h;
    CHECK_STATUS(mvCloseSystemNotification(&h), MV_STATUS_OKAY);
    CHECK_EQ(h, 0u);
    CHECK_STATUS(mvCloseSystemNotification(&h), MV_STATUS_INVALIDHANDLE);  /* zero */
    MvSystemEventHandle stale = live;
    CHECK_STATUS(mvCloseSystemNotification(&stale), MV_STATUS_INVALIDHANDLE);
    CHECK_EQ(stale, live);  /* not zeroed on failure */

    /* A foreign handle (the center's own) is not a subscription, and the
     * attempt leaves the center working. */
    MvNotificationHandle foreign = center.handle;
    CHECK_STATUS(mvCloseSystemNotification(&foreign), MV_STATUS_INVALIDHANDLE);
    CHECK_EQ(foreign, center.handle);
    uint32_t before = center.received;
    CHECK_STATUS(mvTempTriggerNotification(center.handle, MV_EVENTTYPE_CHANNELDATAREADABLE, 7),
                 MV_STATUS_OKAY);
    CHECK(fw_center_wait(&center, before + 1, 1000000u));
    CHECK_EQ(center.last_tag, 7u);
}

/* Wait (bounded) for the ISR to have run `n` times. */
static int wait_isr(uint32_t n)
{
    uint64_t start = fw_micros();
    while (isr_entries < n) {
        if (fw_micros() - start > 1000000u) {
            return 0;
        }
    }
    return 1;
}

static void from_interrupts(void)
{
    /* A live subscription the ISR will try to close. */
    isr_close_handle = 0;
    CHECK_STATUS(open_sys(center.handle, MV_SYSTEMNOTIFICATIONSOURCE_UPDATE, &isr_close_handle),
                 MV_STATUS_OKAY);
    MvSystemEventHandle live = isr_close_handle;
    CHECK(live != 0);

    /* An ordinary device interrupt, pended through the NVIC. */
    isr_open_out = FILL;
    isr_open_status = isr_close_status = 0xFFFFFFFFu;
    mv_nvic_clear_pending(PENDED_IRQ);
    mv_nvic_enable_irq(PENDED_IRQ);
    mv_nvic_set_pending(PENDED_IRQ);
    CHECK(wait_isr(1));
    mv_nvic_disable_irq(PENDED_IRQ);
    CHECK_STATUS(isr_open_status, MV_STATUS_UNAVAILABLE);
    CHECK_STATUS(isr_close_status, MV_STATUS_UNAVAILABLE);
    CHECK_EQ(isr_open_out, FILL);
    CHECK_EQ(isr_close_handle, live);

    /* The notification center's own ISR. */
    isr_open_status = isr_close_status = 0xFFFFFFFFu;
    isr_mode = 1;
    CHECK_STATUS(mvTempTriggerNotification(center.handle, MV_EVENTTYPE_CHANNELDATAREADABLE, 9),
                 MV_STATUS_OKAY);
    CHECK(wait_isr(2));
    isr_mode = 0;
    CHECK_STATUS(isr_open_status, MV_STATUS_UNAVAILABLE);
    CHECK_STATUS(isr_close_status, MV_STATUS_UNAVAILABLE);
    CHECK_EQ(isr_open_out, FILL);
    CHECK_EQ(isr_close_handle, live);

    /* The subscription survived both attempts; thread mode closes it. */
    CHECK_STATUS(mvCloseSystemNotification(&isr_close_handle), MV_STATUS_OKAY);
    CHECK_EQ(isr_close_handle, 0u);
}

int main(void)
{
    mvtest_begin("network-system-notifications");
    mv_enable_irq();
    CHECK_STATUS(fw_center_open(&center, ring, 8, CENTER_IRQ), MV_STATUS_OKAY);

    bad_sources_and_centers();
    bad_pointers();
    life_cycle();
    from_interrupts();
    mvtest_end();
}
