/* mvGetDeviceId: exactly 34 bytes, "UV" and 32 hex digits, nothing more. */
#include <string.h>

#include "fwtest.h"

static uint8_t id[40];

static int is_hex(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int main(void)
{
    mvtest_begin("device-id");
    memset(id, 0xAA, sizeof(id));
    CHECK_STATUS(mvGetDeviceId(id, 33), MV_STATUS_INVALIDBUFFERSIZE);
    CHECK_STATUS(mvGetDeviceId(id, 35), MV_STATUS_INVALIDBUFFERSIZE);
    CHECK_STATUS(mvGetDeviceId(id, 0), MV_STATUS_INVALIDBUFFERSIZE);
    CHECK_EQ(id[0], 0xAA); /* rejected calls write nothing */

    CHECK_STATUS(mvGetDeviceId((uint8_t *)FW_APP_FLASH, 34), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetDeviceId((uint8_t *)FW_SECURE_SRAM, 34), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetDeviceId((uint8_t *)0, 34), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvGetDeviceId((uint8_t *)0x2007FFF0u, 34), MV_STATUS_PARAMETERFAULT);

    CHECK_STATUS(mvGetDeviceId(id, 34), MV_STATUS_OKAY);
    CHECK_EQ(id[0], 'U');
    CHECK_EQ(id[1], 'V');
    int hex = 1;
    for (int i = 2; i < 34; i++) {
        hex &= is_hex(id[i]);
    }
    CHECK(hex);
    CHECK_EQ(id[34], 0xAA); /* no terminator */
    id[34] = 0;
    mvtest_log("device id %s", (const char *)id);
    mvtest_end();
}
