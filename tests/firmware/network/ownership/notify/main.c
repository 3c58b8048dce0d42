/*
 * network-ownership-notify: when NETWORKSTATUSCHANGED is posted
 * (docs/network.md "When NETWORKSTATUSCHANGED is posted").
 *
 * - Two handles requested while the boot connection is still coming up,
 *   on two centers with different tags: each gets exactly one record when
 *   the connection is CONNECTED, and so does a NETWORK system notification.
 * - A request while CONNECTED: no record by default; with
 *   notify_when_already_connected = true (EXPECT_AT_ONCE=1) one record at
 *   once, to the requester only.
 * - Releasing handles, the last included, posts nothing.
 * - A request after the full release: the bring-up is announced to the
 *   requester and the system notification, not to other centers.
 * - An UPDATE subscription never fires; a closed NETWORK subscription gets
 *   nothing more.
 */
#include "fwtest.h"
#include "../netutil.h"

#ifndef EXPECT_AT_ONCE
#define EXPECT_AT_ONCE 0
#endif

#define TAG_A 0x4141u
#define TAG_B 0x4242u
#define TAG_C 0x4343u
#define TAG_D 0x4444u
#define TAG_E 0x4545u
#define TAG_SYS_NET 0x5353u
#define TAG_SYS_UPD 0x5555u

static volatile struct MvNotification ring_a[8] __attribute__((aligned(8)));
static volatile struct MvNotification ring_b[8] __attribute__((aligned(8)));
static volatile struct MvNotification ring_s[8] __attribute__((aligned(8)));
static FwCenter ca, cb, cs;
/* Tags seen on the system center, to see that no UPDATE record came. */
static volatile uint32_t sys_update_records;

void TIM1_BRK_IRQHandler(void) { fw_center_isr(&ca); }
void TIM1_UP_IRQHandler(void) { fw_center_isr(&cb); }
void TIM1_TRG_COM_IRQHandler(void)
{
    fw_center_isr(&cs);
    if (cs.last_tag == TAG_SYS_UPD) {
        sys_update_records++;
    }
}

#define CHECK_COUNTS(a, b, s) do {          \
        CHECK_EQ(ca.received, (uint32_t)(a)); \
        CHECK_EQ(cb.received, (uint32_t)(b)); \
        CHECK_EQ(cs.received, (uint32_t)(s)); \
    } while (0)

int main(void)
{
    mvtest_begin("network-ownership-notify");
    mv_enable_irq();

    CHECK_STATUS(fw_center_open(&ca, ring_a, 8, TIM1_BRK_IRQn), MV_STATUS_OKAY);
    CHECK_STATUS(fw_center_open(&cb, ring_b, 8, TIM1_UP_IRQn), MV_STATUS_OKAY);
    CHECK_STATUS(fw_center_open(&cs, ring_s, 8, TIM1_TRG_COM_IRQn), MV_STATUS_OKAY);

    MvSystemEventHandle sys_net = 0, sys_upd = 0;
    struct MvOpenSystemNotificationParams sp = {
        .notification_handle = cs.handle,
        .notification_tag = TAG_SYS_NET,
        .notification_source = MV_SYSTEMNOTIFICATIONSOURCE_NETWORK,
    };
    CHECK_STATUS(mvOpenSystemNotification(&sp, &sys_net), MV_STATUS_OKAY);
    sp.notification_tag = TAG_SYS_UPD;
    sp.notification_source = MV_SYSTEMNOTIFICATIONSOURCE_UPDATE;
    CHECK_STATUS(mvOpenSystemNotification(&sp, &sys_upd), MV_STATUS_OKAY);
    CHECK(sys_net != 0 && sys_upd != 0 && sys_net != sys_upd);

    /* 1. Two requests while the boot connection is still coming up. */
    mvtest_log("requesting at %u us", (unsigned)fw_micros());
    CHECK(fw_micros() < 80000u);  /* well before the 100 ms bring-up */
    MvNetworkHandle ha = 0, hb = 0;
    CHECK_STATUS(fw_request_network(ca.handle, TAG_A, &ha), MV_STATUS_OKAY);
    CHECK_STATUS(fw_request_network(cb.handle, TAG_B, &hb), MV_STATUS_OKAY);
    CHECK_EQ(fw_network_status(ha), MV_NETWORKSTATUS_CONNECTING);
    CHECK_COUNTS(0, 0, 0);

    CHECK(fw_center_wait(&ca, 1, 1000000u));
    CHECK(fw_center_wait(&cb, 1, 1000000u));
    CHECK(fw_center_wait(&cs, 1, 1000000u));
    CHECK_EQ(fw_network_status(ha), MV_NETWORKSTATUS_CONNECTED);
    CHECK_EQ(fw_network_status(hb), MV_NETWORKSTATUS_CONNECTED);
    CHECK_EQ(ca.last_type, MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    CHECK_EQ(ca.last_tag, TAG_A);
    CHECK_EQ(cb.last_type, MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    CHECK_EQ(cb.last_tag, TAG_B);
    CHECK_EQ(cs.last_type, MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    CHECK_EQ(cs.last_tag, TAG_SYS_NET);
    /* Exactly one each. */
    fw_spin_us(50000);
    CHECK_COUNTS(1, 1, 1);

    /* 2. A request while CONNECTED. */
    MvNetworkHandle hc = 0;
    CHECK_STATUS(fw_request_network(ca.handle, TAG_C, &hc), MV_STATUS_OKAY);
    CHECK_EQ(fw_network_status(hc), MV_NETWORKSTATUS_CONNECTED);
#if EXPECT_AT_ONCE
    CHECK(fw_center_wait(&ca, 2, 20000u));  /* at once, not after a bring-up */
    CHECK_EQ(ca.last_type, MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    CHECK_EQ(ca.last_tag, TAG_C);
#endif
    fw_spin_us(50000);
    CHECK_COUNTS(1 + EXPECT_AT_ONCE, 1, 1);

    /* 3. Releases post nothing, the last one included. */
    CHECK_STATUS(mvReleaseNetwork(&hc), MV_STATUS_OKAY);
    CHECK_STATUS(mvReleaseNetwork(&ha), MV_STATUS_OKAY);
    fw_spin_us(20000);
    CHECK_COUNTS(1 + EXPECT_AT_ONCE, 1, 1);
    CHECK_EQ(fw_network_status(hb), MV_NETWORKSTATUS_CONNECTED);
    CHECK_STATUS(mvReleaseNetwork(&hb), MV_STATUS_OKAY);
    fw_spin_us(200000);  /* longer than a bring-up */
    CHECK_COUNTS(1 + EXPECT_AT_ONCE, 1, 1);

    /* 4. A fresh request: its CONNECTING is not announced, the bring-up is,
     *    to the requester and the NETWORK subscription only. */
    MvNetworkHandle hd = 0;
    CHECK_STATUS(fw_request_network(cb.handle, TAG_D, &hd), MV_STATUS_OKAY);
    CHECK_EQ(fw_network_status(hd), MV_NETWORKSTATUS_CONNECTING);
    fw_spin_us(5000);  /* well inside the 100 ms bring-up */
    CHECK_COUNTS(1 + EXPECT_AT_ONCE, 1, 1);
    CHECK(fw_center_wait(&cb, 2, 1000000u));
    CHECK(fw_center_wait(&cs, 2, 1000000u));
    CHECK_EQ(fw_network_status(hd), MV_NETWORKSTATUS_CONNECTED);
    CHECK_EQ(cb.last_tag, TAG_D);
    CHECK_EQ(cs.last_tag, TAG_SYS_NET);
    CHECK_EQ(cs.last_type, MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    fw_spin_us(20000);
    CHECK_COUNTS(1 + EXPECT_AT_ONCE, 2, 2);

    /* 5. Close the subscriptions; a closed one gets nothing more. */
    MvSystemEventHandle stale = sys_net;
    CHECK_STATUS(mvCloseSystemNotification(&sys_net), MV_STATUS_OKAY);
    CHECK_EQ(sys_net, 0u);
    CHECK_STATUS(mvCloseSystemNotification(&stale), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvCloseSystemNotification(&sys_upd), MV_STATUS_OKAY);
    CHECK_EQ(sys_upd, 0u);

    CHECK_STATUS(mvReleaseNetwork(&hd), MV_STATUS_OKAY);
    MvNetworkHandle he = 0;
    CHECK_STATUS(fw_request_network(ca.handle, TAG_E, &he), MV_STATUS_OKAY);
    CHECK(fw_center_wait(&ca, 2 + EXPECT_AT_ONCE, 1000000u));
    CHECK_EQ(ca.last_tag, TAG_E);
    fw_spin_us(20000);
    CHECK_COUNTS(2 + EXPECT_AT_ONCE, 2, 2);
    CHECK_EQ(sys_update_records, 0u);
    CHECK_STATUS(mvReleaseNetwork(&he), MV_STATUS_OKAY);

    mvtest_end();
}
