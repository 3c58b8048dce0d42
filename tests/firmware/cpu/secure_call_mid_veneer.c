/*
 * secure-call-mid-veneer: the veneer page is a call gate (qemu-patches/0019)
 * that serves only the 8-byte entries' first addresses. mvGetMicroseconds
 * is called through it many times, so its block is cached; then a branch
 * to the middle of that same veneer (0x0C1FE014, not an SG instruction) must
 * still be the SecureFault (INVEP) a device raises: the host reports the
 * crash and QEMU exits with status 125.
 */
#include "fwtest.h"

#define MID_VENEER 0x0C1FE015u   /* mvGetMicroseconds' entry + 4, Thumb bit set */

int main(void)
{
    mvtest_begin("secure-call-mid-veneer");
    uint64_t last = 0;
    uint32_t served = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        uint64_t now = 0;
        served += mvGetMicroseconds(&now) == MV_STATUS_OKAY && now >= last;
        last = now;
    }
    CHECK_EQ(served, 1000u);
    mvtest_log("gate served %lu calls; about to call 0x%08lx", (unsigned long)served,
               (unsigned long)MID_VENEER);
    void (*volatile fn)(void) = (void (*)(void))(uintptr_t)MID_VENEER;
    fn();
    mvtest_log("survived: the call returned");
    CHECK(0);
    mvtest_end();
}
