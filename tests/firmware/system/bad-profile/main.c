/*
 * bad-profile: an invalid [device] id stops QEMU before any firmware runs
 * (exit status 1, a message naming the key). Should the firmware run at
 * all, it says so and ends the run with status 0, which the runner rejects.
 */
#include "fwtest.h"

int main(void)
{
    mvtest_begin("system-bad-profile: firmware ran despite the bad profile");
    mvtest_end();
}
