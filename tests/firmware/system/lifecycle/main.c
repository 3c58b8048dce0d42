/*
 * system-lifecycle: the machine's life cycle as a user meets it. While the
 * firmware idles after its marker line, the runner asks QEMU for savevm and
 * a migration; both must be refused with the board's reason (the backend's
 * handles and host sockets cannot be saved yet), and the firmware must go on
 * running to its verdict afterwards.
 */
#include "fwtest.h"

int main(void)
{
    mvtest_begin("system-lifecycle");
    mvtest_log("READY FOR SAVEVM");
    /* Idle long enough in virtual time for the monitor commands. */
    uint64_t start = fw_micros();
    while (fw_micros() - start < 300000u) {
    }
    CHECK(fw_micros() - start >= 300000u);
    mvtest_end();
}
