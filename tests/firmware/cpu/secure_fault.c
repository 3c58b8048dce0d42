/*
 * secure-fault: a Non-secure read of the Secure alias of SRAM (0x30000000)
 * is a SecureFault (AUVIOL). The secure boot stage reports it, the host
 * prints one diagnostic line and QEMU exits with status 125. Reaching the
 * end of main() means the read went through: the test then reports failure.
 */
#include "fwtest.h"

int main(void)
{
    mvtest_begin("secure-fault");
    mvtest_log("about to touch secure memory at 0x%08lx",
               (unsigned long)FW_SECURE_SRAM);
    uint32_t v = MVEMU_REG32(FW_SECURE_SRAM);
    mvtest_log("survived: read 0x%08lx from Secure SRAM", (unsigned long)v);
    CHECK(0);
    mvtest_end();
}
