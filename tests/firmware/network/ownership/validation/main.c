/*
 * network-validation: every refusal of mvRequestNetwork, mvGetNetworkStatus,
 * mvReleaseNetwork and mvGetNetworkReasons, each provoked by an otherwise
 * valid call (docs/network.md "Ownership and status", semantics.md 2):
 *   - version 0 and 2: UNSUPPORTEDSTRUCTUREVERSION;
 *   - a notification handle that names no live center: PARAMETERFAULT (the
 *     call documents no INVALIDHANDLE);
 *   - unusable params or output pointers: PARAMETERFAULT;
 *   - 16 live handles, the 17th request a PARAMETERFAULT;
 *   - status and release with a zero, stale or foreign handle: INVALIDHANDLE.
 * A failing call writes nothing: outputs are prefilled and checked.
 */
#include <string.h>

#include "fwtest.h"
#include "../netutil.h"

#define IRQ TIM1_BRK_IRQn
#define TAG 0x56414cu
#define MAX_HANDLES 16

static volatile struct MvNotification ring[8] __attribute__((aligned(8)));
static volatile struct MvNotification ring2[4] __attribute__((aligned(8)));
static FwCenter center, center2;

static const MvNetworkHandle flash_word = 0x1234u;
/* Version 2 parameters in flash: read (so the version is what fails). */
static const struct MvRequestNetworkParams flash_params_v2 = { .version = 2 };

static uint32_t words[16];
static MvNetworkHandle handles[MAX_HANDLES + 1];

void TIM1_BRK_IRQHandler(void) { fw_center_isr(&center); }

static enum MvStatus request_v(uint32_t version, MvNotificationHandle c, MvNetworkHandle *out)
{
    struct MvRequestNetworkParams p = {
        .version = version, .v1 = { .notification_handle = c, .notification_tag = TAG },
    };
    return mvRequestNetwork(&p, out);
}

static void request_checks(MvNotificationHandle closed_center)
{
    MvNetworkHandle h = FILL;

    /* Versions. */
    CHECK_STATUS(request_v(0, center.handle, &h), MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    CHECK_STATUS(request_v(2, center.handle, &h), MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    CHECK_STATUS(mvRequestNetwork(&flash_params_v2, &h), MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    /* The version is checked before the center. */
    CHECK_STATUS(request_v(2, 0, &h), MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);

    /* Notification handles that name no live center. */
    CHECK_STATUS(request_v(1, 0, &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(request_v(1, 0x5EED1234u, &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(request_v(1, closed_center, &h), MV_STATUS_PARAMETERFAULT);

    /* Params pointer: missing, secure alias, unmapped, misaligned, running
     * past the end of application RAM. */
    struct MvRequestNetworkParams good = {
        .version = 1, .v1 = { .notification_handle = center.handle, .notification_tag = TAG },
    };
    uint8_t *odd = (uint8_t *)words + 2;
    memcpy(odd, &good, sizeof good);
    CHECK_STATUS(mvRequestNetwork(NULL, &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvRequestNetwork(PTR(FW_SECURE_SRAM), &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvRequestNetwork(PTR(FW_UNMAPPED), &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvRequestNetwork(PTR(odd), &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvRequestNetwork(PTR(0x2007FFF8u), &h), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(h, FILL);

    /* Handle output: missing, flash, secure alias, unmapped, misaligned. */
    CHECK_STATUS(mvRequestNetwork(&good, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvRequestNetwork(&good, PTR(&flash_word)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvRequestNetwork(&good, PTR(FW_SECURE_SRAM)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvRequestNetwork(&good, PTR(FW_UNMAPPED)), MV_STATUS_PARAMETERFAULT);
    words[8] = FILL;
    words[9] = FILL;
    CHECK_STATUS(mvRequestNetwork(&good, PTR((uint8_t *)&words[8] + 2)), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(words[8], FILL);
    CHECK_EQ(words[9], FILL);
    /* The pointers are checked before the version. */
    CHECK_STATUS(mvRequestNetwork(&flash_params_v2, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(flash_word, 0x1234u);

    /* None of those took a handle. */
    CHECK_REASONS(MV_NETWORKREASON_NEVERUSEDNETWORKAPI | MV_NETWORKREASON_COLDBOOTCONNECTION, 0);
}

static void handle_limit(void)
{
    uint32_t ok = 0;
    for (uint32_t i = 0; i < MAX_HANDLES; i++) {
        handles[i] = 0;
        if (CHECK_STATUS(fw_request_network(center.handle, TAG + i, &handles[i]), MV_STATUS_OKAY)) {
            ok++;
        }
    }
    CHECK_EQ(ok, (uint32_t)MAX_HANDLES);
    CHECK_REASONS(MV_NETWORKREASON_USINGNETWORK, MAX_HANDLES);

    handles[MAX_HANDLES] = FILL;
    CHECK_STATUS(fw_request_network(center.handle, TAG, &handles[MAX_HANDLES]), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(handles[MAX_HANDLES], FILL);
    CHECK_REASONS(MV_NETWORKREASON_USINGNETWORK, MAX_HANDLES);

    /* Every handle is non-zero and distinct. */
    uint32_t zero = 0, dup = 0;
    for (uint32_t i = 0; i < MAX_HANDLES; i++) {
        if (handles[i] == 0 || handles[i] == center.handle) {
            zero++;
        }
        for (uint32_t j = i + 1; j < MAX_HANDLES; j++) {
            if (handles[i] == handles[j]) {
                dup++;
            }
        }
    }
    CHECK_EQ(zero, 0u);
    CHECK_EQ(dup, 0u);

    /* One released: room for one more, and only one. */
    CHECK_STATUS(mvReleaseNetwork(&handles[3]), MV_STATUS_OKAY);
    CHECK_STATUS(fw_request_network(center.handle, TAG, &handles[MAX_HANDLES]), MV_STATUS_OKAY);
    CHECK(handles[MAX_HANDLES] != 0 && handles[MAX_HANDLES] != FILL);
    MvNetworkHandle extra = FILL;
    CHECK_STATUS(fw_request_network(center.handle, TAG, &extra), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(extra, FILL);

    uint32_t released = 0;
    for (uint32_t i = 0; i <= MAX_HANDLES; i++) {
        if (i != 3 && mvReleaseNetwork(&handles[i]) == MV_STATUS_OKAY && handles[i] == 0) {
            released++;
        }
    }
    CHECK_EQ(released, (uint32_t)MAX_HANDLES);
    CHECK_REASONS(0, 0);
}

static void status_and_release_checks(void)
{
    MvNetworkHandle live = 0;
    CHECK_STATUS(fw_request_network(center.handle, TAG, &live), MV_STATUS_OKAY);
    MvNetworkHandle stale = 0;
    CHECK_STATUS(fw_request_network(center.handle, TAG, &stale), MV_STATUS_OKAY);
    MvNetworkHandle released = stale;
    CHECK_STATUS(mvReleaseNetwork(&stale), MV_STATUS_OKAY);
    stale = released;

    /* A network handle is no notification handle. */
    MvNetworkHandle h2 = FILL;
    CHECK_STATUS(request_v(1, live, &h2), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(h2, FILL);

    uint32_t s = FILL;
    CHECK_STATUS(mvGetNetworkStatus(0, (enum MvNetworkStatus *)&s), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvGetNetworkStatus(stale, (enum MvNetworkStatus *)&s), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvGetNetworkStatus(center.handle, (enum MvNetworkStatus *)&s),
                 MV_STATUS_INVALIDHANDLE);
    CHECK_EQ(s, FILL);
    /* Bad output pointers with a live handle. */
    CHECK_STATUS(mvGetNetworkStatus(live, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetNetworkStatus(live, PTR(&flash_word)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetNetworkStatus(live, PTR(FW_SECURE_SRAM)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetNetworkStatus(live, PTR((uint8_t *)&words[0] + 1)),
                 MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetNetworkStatus(live, (enum MvNetworkStatus *)&s), MV_STATUS_OKAY);
    CHECK(s == MV_NETWORKSTATUS_CONNECTING || s == MV_NETWORKSTATUS_CONNECTED);

    /* Release: zero, stale and foreign handles are refused and left as they are. */
    MvNetworkHandle h = 0;
    CHECK_STATUS(mvReleaseNetwork(&h), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvReleaseNetwork(&stale), MV_STATUS_INVALIDHANDLE);
    CHECK_EQ(stale, released);
    MvNetworkHandle foreign = center.handle;
    CHECK_STATUS(mvReleaseNetwork(&foreign), MV_STATUS_INVALIDHANDLE);
    CHECK_EQ(foreign, center.handle);
    CHECK_STATUS(mvReleaseNetwork(NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvReleaseNetwork(PTR(&flash_word)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvReleaseNetwork(PTR(FW_UNMAPPED)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvReleaseNetwork(PTR((uint8_t *)&words[0] + 2)), MV_STATUS_PARAMETERFAULT);
    /* The live handle survived all that. */
    CHECK_REASONS(MV_NETWORKREASON_USINGNETWORK, 1);
    CHECK_STATUS(mvReleaseNetwork(&live), MV_STATUS_OKAY);
    CHECK_EQ(live, 0u);
}

static void reasons_checks(void)
{
    uint32_t r = FILL, n = FILL;
    CHECK_STATUS(mvGetNetworkReasons(NULL, &n), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetNetworkReasons((enum MvNetworkReason *)&r, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetNetworkReasons(PTR(&flash_word), &n), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetNetworkReasons((enum MvNetworkReason *)&r, PTR(&flash_word)),
                 MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetNetworkReasons(PTR(FW_SECURE_SRAM), &n), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetNetworkReasons((enum MvNetworkReason *)&r, PTR(FW_UNMAPPED)),
                 MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetNetworkReasons(PTR((uint8_t *)&words[0] + 2), &n), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetNetworkReasons((enum MvNetworkReason *)&r, PTR((uint8_t *)&words[0] + 1)),
                 MV_STATUS_PARAMETERFAULT);
    /* The good output of each failing call was not written. */
    CHECK_EQ(r, FILL);
    CHECK_EQ(n, FILL);
    CHECK_STATUS(mvGetNetworkReasons((enum MvNetworkReason *)&r, &n), MV_STATUS_OKAY);
    CHECK_EQ(r, 0u);
    CHECK_EQ(n, 0u);
}

int main(void)
{
    mvtest_begin("network-validation");
    mv_enable_irq();
    CHECK_STATUS(fw_center_open(&center, ring, 8, IRQ), MV_STATUS_OKAY);
    CHECK_STATUS(fw_center_open(&center2, ring2, 4, TIM1_UP_IRQn), MV_STATUS_OKAY);
    MvNotificationHandle closed = center2.handle;
    CHECK_STATUS(mvCloseNotifications(&center2.handle), MV_STATUS_OKAY);

    request_checks(closed);
    handle_limit();
    status_and_release_checks();
    reasons_checks();
    mvtest_end();
}
