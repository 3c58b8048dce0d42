/*
 * profile-identity: the device ID and clock tree come from the profile
 * (see meson.build for the values).
 */
#include <string.h>

#include "fwtest.h"

#define DEVICE_ID "UV0123456789abcdef0123456789ABCDEF"

int main(void)
{
    mvtest_begin("system-profile-identity");

    /* 34 bytes, no terminator: the byte after them stays untouched. */
    uint8_t id[36];
    memset(id, 0xAA, sizeof id);
    CHECK_STATUS(mvGetDeviceId(id, 34), MV_STATUS_OKAY);
    CHECK(memcmp(id, DEVICE_ID, 34) == 0);
    CHECK_EQ(id[34], 0xAA);
    id[34] = '\0';
    mvtest_log("device id %s", (const char *)id);
    CHECK_STATUS(mvGetDeviceId(id, 35), MV_STATUS_INVALIDBUFFERSIZE);

    uint32_t sysclk = 0, hclk = 0, pclk1 = 0, pclk2 = 0;
    CHECK_STATUS(mvGetSysClk(&sysclk), MV_STATUS_OKAY);
    CHECK_STATUS(mvGetHClk(&hclk), MV_STATUS_OKAY);
    CHECK_STATUS(mvGetPClk1(&pclk1), MV_STATUS_OKAY);
    CHECK_STATUS(mvGetPClk2(&pclk2), MV_STATUS_OKAY);
    CHECK_EQ(sysclk, 80000000u);
    CHECK_EQ(hclk, 80000000u);
    CHECK_EQ(pclk1, 40000000u);
    CHECK_EQ(pclk2, 80000000u);

    mvtest_end();
}
