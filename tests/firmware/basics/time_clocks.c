/* Time and clocks: mvGetMicroseconds, mvGetWallTime, mvGet*Clk, pointer checks. */
#include <string.h>

#include "fwtest.h"

/* Every output pointer the application must not be able to use. */
static const uint32_t bad_outputs[] = {
    0, FW_SECURE_SRAM, FW_UNMAPPED, FW_APP_FLASH, FW_BEYOND_APP_RAM, FW_SECURE_FLASH,
    0x20000001u, /* misaligned */
};

static uint64_t u64_at_ram_end_slot;

int main(void)
{
    mvtest_begin("time-clocks");

    uint64_t t0 = 0, t1 = 0;
    CHECK_STATUS(mvGetMicroseconds(&t0), MV_STATUS_OKAY);
    for (volatile int i = 0; i < 200000; i++) {
    }
    CHECK_STATUS(mvGetMicroseconds(&t1), MV_STATUS_OKAY);
    CHECK(t1 > t0);
    CHECK(t0 < 10u * 1000u * 1000u); /* seconds since boot, not since 1970 */

    for (unsigned i = 0; i < sizeof(bad_outputs) / sizeof(bad_outputs[0]); i++) {
        CHECK_STATUS(mvGetMicroseconds((uint64_t *)bad_outputs[i]), MV_STATUS_PARAMETERFAULT);
        CHECK_STATUS(mvGetWallTime((uint64_t *)bad_outputs[i]), MV_STATUS_PARAMETERFAULT);
        CHECK_STATUS(mvGetSysClk((uint32_t *)bad_outputs[i]), MV_STATUS_PARAMETERFAULT);
        CHECK_STATUS(mvGetHClk((uint32_t *)bad_outputs[i]), MV_STATUS_PARAMETERFAULT);
        CHECK_STATUS(mvGetPClk1((uint32_t *)bad_outputs[i]), MV_STATUS_PARAMETERFAULT);
        CHECK_STATUS(mvGetPClk2((uint32_t *)bad_outputs[i]), MV_STATUS_PARAMETERFAULT);
    }
    /* An 8-byte output straddling the end of application RAM. */
    CHECK_STATUS(mvGetMicroseconds((uint64_t *)0x2007FFFCu), MV_STATUS_PARAMETERFAULT);
    (void)u64_at_ram_end_slot;

    /* Default profile: host wall clock, so a plausible date (after 2024). */
    uint64_t wall = 0;
    CHECK_STATUS(mvGetWallTime(&wall), MV_STATUS_OKAY);
    CHECK(wall > 1704067200ull * 1000000ull);

    uint32_t sys = 0, hclk = 0, p1 = 0, p2 = 0;
    CHECK_STATUS(mvGetSysClk(&sys), MV_STATUS_OKAY);
    CHECK_STATUS(mvGetHClk(&hclk), MV_STATUS_OKAY);
    CHECK_STATUS(mvGetPClk1(&p1), MV_STATUS_OKAY);
    CHECK_STATUS(mvGetPClk2(&p2), MV_STATUS_OKAY);
    CHECK_EQ(sys, 160000000u);
    CHECK_EQ(hclk, 160000000u);
    CHECK_EQ(p1, 160000000u);
    CHECK_EQ(p2, 160000000u);

    mvtest_end();
}
