/*
 * device-calls: fast interrupts (validation, their enable and priority in
 * the NVIC, the interplay with notification centers) and the Wi-Fi
 * configuration round trip.
 */
#include <string.h>

#include "fwtest.h"

#define FAST_IRQ  TIM2_IRQn      /* 45 */
#define RING_IRQ  TIM1_BRK_IRQn  /* 41 */

static volatile struct MvNotification ring[4] __attribute__((aligned(8)));
static FwCenter center;
static volatile uint32_t fast_hits;

void TIM1_BRK_IRQHandler(void)
{
    fw_center_isr(&center);
}

void TIM2_IRQHandler(void)
{
    fast_hits++;
}

static void fast_interrupts(void)
{
    CHECK_STATUS(mvSetFastInterrupt(125), MV_STATUS_INVALIDINTERRUPT);
    CHECK_STATUS(mvEnableFastInterrupt(FAST_IRQ), MV_STATUS_INVALIDINTERRUPT);  /* not fast */
    CHECK_STATUS(fw_center_open(&center, ring, 4, RING_IRQ), MV_STATUS_OKAY);
    CHECK_STATUS(mvSetFastInterrupt(RING_IRQ), MV_STATUS_INVALIDINTERRUPT);     /* a center's */

    mv_nvic_set_priority(FAST_IRQ, 12);
    CHECK_STATUS(mvSetFastInterrupt(FAST_IRQ), MV_STATUS_OKAY);
    CHECK_EQ(mv_nvic_get_priority(FAST_IRQ), 0u);   /* fast: the highest priority */
    CHECK(!mv_nvic_is_enabled(FAST_IRQ));           /* and off until enabled */
    CHECK_STATUS(mvEnableFastInterrupt(FAST_IRQ), MV_STATUS_OKAY);
    CHECK(mv_nvic_is_enabled(FAST_IRQ));
    mv_nvic_set_pending(FAST_IRQ);
    CHECK_EQ(fast_hits, 1u);

    /* A fast line cannot take a notification center. */
    static volatile struct MvNotification ring2[4] __attribute__((aligned(8)));
    struct MvNotificationSetup setup = { FAST_IRQ, (struct MvNotification *)ring2, sizeof(ring2) };
    MvNotificationHandle h = 0;
    CHECK_STATUS(mvSetupNotifications(&setup, &h), MV_STATUS_INVALIDINTERRUPT);

    CHECK_STATUS(mvDisableAllFastInterrupts(), MV_STATUS_OKAY);
    CHECK(!mv_nvic_is_enabled(FAST_IRQ));
    CHECK_STATUS(mvEnableAllFastInterrupts(), MV_STATUS_OKAY);
    CHECK(mv_nvic_is_enabled(FAST_IRQ));             /* its own enable still holds */
    CHECK_STATUS(mvDisableFastInterrupt(FAST_IRQ), MV_STATUS_OKAY);
    CHECK(!mv_nvic_is_enabled(FAST_IRQ));
    CHECK_STATUS(mvEnableAllFastInterrupts(), MV_STATUS_OKAY);
    CHECK(!mv_nvic_is_enabled(FAST_IRQ));            /* ...and so does its disable */

    CHECK_STATUS(mvClearFastInterrupt(FAST_IRQ), MV_STATUS_OKAY);
    CHECK_EQ(mv_nvic_get_priority(FAST_IRQ), 12u); /* the old priority is back */
    CHECK_STATUS(mvEnableFastInterrupt(FAST_IRQ), MV_STATUS_INVALIDINTERRUPT);
    CHECK_STATUS(mvSetupNotifications(&setup, &h), MV_STATUS_OKAY);
}

static void wifi(void)
{
    static uint8_t ssid_out[40];
    static uint32_t ssid_len;
    static uint8_t encrypted;
    static const char ssid[] = "mvemu-lab", password[] = "correct horse battery";
    struct MvWifiConfig set = {
        .version = 1,
        .v1 = { .config_mode = MV_WIFICONFIGMODE_APPLYNOW,
                .wifi_ssid = { (const uint8_t *)ssid, sizeof(ssid) - 1 },
                .wifi_password = { (const uint8_t *)password, sizeof(password) - 1 } },
    };
    struct MvWifiConfigOut get = {
        .version = 1,
        .v1 = { .ssid = { ssid_out, sizeof(ssid_out), &ssid_len }, .has_encryption = &encrypted },
    };

    /* The profile's network first (with a password: tests/firmware/device/meson.build). */
    CHECK_STATUS(mvGetWifiConfig(&get), MV_STATUS_OKAY);
    CHECK_EQ(ssid_len, 7u);
    CHECK(memcmp(ssid_out, "profile", 7) == 0);
    CHECK_EQ(encrypted, 1u);

    CHECK_STATUS(mvSetWifiConfig(NULL), MV_STATUS_PARAMETERFAULT);
    set.version = 2;
    CHECK_STATUS(mvSetWifiConfig(&set), MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    set.version = 1;
    set.v1.wifi_ssid.length = 33;
    CHECK_STATUS(mvSetWifiConfig(&set), MV_STATUS_INPUTTOOLONG);
    set.v1.wifi_ssid.length = sizeof(ssid) - 1;
    set.v1.wifi_password.data = (const uint8_t *)FW_SECURE_SRAM;
    CHECK_STATUS(mvSetWifiConfig(&set), MV_STATUS_PARAMETERFAULT);
    set.v1.wifi_password.data = (const uint8_t *)password;
    CHECK_STATUS(mvSetWifiConfig(&set), MV_STATUS_OKAY);

    CHECK_STATUS(mvGetWifiConfig(&get), MV_STATUS_OKAY);
    CHECK_EQ(ssid_len, sizeof(ssid) - 1);
    CHECK(memcmp(ssid_out, ssid, sizeof(ssid) - 1) == 0);
    CHECK_EQ(encrypted, 1u);
    get.v1.ssid.size = 4;
    CHECK_STATUS(mvGetWifiConfig(&get), MV_STATUS_INVALIDBUFFERSIZE);
    get.v1.ssid.size = sizeof(ssid_out);

    set.v1.config_mode = MV_WIFICONFIGMODE_CLEARNOW;
    CHECK_STATUS(mvSetWifiConfig(&set), MV_STATUS_OKAY);
    CHECK_STATUS(mvGetWifiConfig(&get), MV_STATUS_OKAY);
    CHECK_EQ(ssid_len, 0u);
    CHECK_EQ(encrypted, 0u);
    /* Set again, for the runner's query. */
    set.v1.config_mode = MV_WIFICONFIGMODE_APPLYNOW;
    CHECK_STATUS(mvSetWifiConfig(&set), MV_STATUS_OKAY);
}

int main(void)
{
    mvtest_begin("device-calls");
    mv_enable_irq();
    fast_interrupts();
    wifi();
    mvtest_log("CALLS DONE");
    uint64_t start = fw_micros();
    while (fw_micros() - start < 300000u) {
    }
    mvtest_end();
}
