/*
 * gdb_target: firmware driven by tests/gdb/run_gdb.py through QEMU's gdbstub.
 * Built with -O0 -g so every statement has its own line and every local
 * lives on the stack where gdb can print it.
 *
 * run_gdb.py breaks at main, steps with `next` to the system-call line and
 * over it (a BL into the Secure veneer page: SG; SVC; BXNS LR), then prints
 * status, now and counter. Keep the statements of main() in this order; the
 * script finds the lines by the GDB-LINE markers.
 */
#include <stdint.h>

#include "mv_syscalls.h"
#include "mvtest.h"

volatile uint32_t counter;

int main(void)
{
    uint64_t now = 0;
    enum MvStatus status = MV_STATUS_UNAVAILABLE;   /* 10 until the call */

    counter = 42;                        /* GDB-LINE: set-counter */
    status = mvGetMicroseconds(&now);    /* GDB-LINE: syscall */
    counter = counter + 1;               /* GDB-LINE: after-syscall */

    /* Also runs without a debugger: judge the call and finish. */
    mvtest_begin("gdb-target");
    CHECK_STATUS(status, MV_STATUS_OKAY);
    CHECK(now > 0);
    CHECK_EQ(counter, 43u);
    mvtest_end();
}
