/* mvGetWallTime under the profile's wall-clock modes (the runner picks one). */
#include "fwtest.h"

int main(void)
{
    mvtest_begin("wall-time");
    uint64_t wall = 0x1111;
    enum MvStatus s = mvGetWallTime(&wall);
#if defined(EXPECT_NOT_SET)
    CHECK_STATUS(s, MV_STATUS_TIMENOTSET);
#else
    /* fixed: 2030-01-01T00:00:00Z plus the time since boot */
    CHECK_STATUS(s, MV_STATUS_OKAY);
    uint64_t start = 1893456000ull * 1000000ull;
    CHECK(wall >= start);
    CHECK(wall - start < 5ull * 1000000ull);
    CHECK(wall - start <= fw_micros());
#endif
    mvtest_end();
}
