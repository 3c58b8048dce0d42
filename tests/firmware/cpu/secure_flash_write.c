/*
 * secure-flash-write: a Non-secure write to the Secure alias of flash
 * (0x0C000000) is a SecureFault (AUVIOL); the host reports the crash and
 * QEMU exits with status 125.
 */
#include "fwtest.h"

int main(void)
{
    mvtest_begin("secure-flash-write");
    mvtest_log("about to write secure flash at 0x%08lx",
               (unsigned long)FW_SECURE_FLASH);
    MVEMU_REG32(FW_SECURE_FLASH) = 0xDEADBEEFu;
    mv_dsb();
    mvtest_log("survived: wrote Secure flash");
    CHECK(0);
    mvtest_end();
}
