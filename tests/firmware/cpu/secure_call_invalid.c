/*
 * secure-call-invalid-entry: branching from Non-secure code to a Secure
 * address that is not an SG entry point (0x0C100000, the start of
 * Microvisor's Secure flash, outside the Non-secure-callable veneer page)
 * is a SecureFault (INVEP); the host reports the crash and QEMU exits with
 * status 125.
 */
#include "fwtest.h"

#define SECURE_NOT_ENTRY 0x0C100001u   /* Thumb bit set */

int main(void)
{
    mvtest_begin("secure-call-invalid-entry");
    mvtest_log("about to call 0x%08lx", (unsigned long)SECURE_NOT_ENTRY);
    void (*volatile fn)(void) = (void (*)(void))(uintptr_t)SECURE_NOT_ENTRY;
    fn();
    mvtest_log("survived: the call returned");
    CHECK(0);
    mvtest_end();
}
