/*
 * Benchmark: the host cost of one trapped system call.
 *
 * Times ITERATIONS calls of mvNoOp, then the same loop calling an ordinary
 * (non-inlined) guest function, and prints both in host nanoseconds per
 * call. Without -icount, QEMU's virtual clock (mvGetMicroseconds) follows the
 * host's clock, so the firmware can time itself. bench/run reads the lines.
 */
#include <stdint.h>

#include "mv_syscalls.h"
#include "mvtest.h"

#define ITERATIONS 1000000u

static volatile uint32_t sink;

__attribute__((noinline)) static enum MvStatus ordinary_function(void)
{
    sink++;
    return MV_STATUS_OKAY;
}

static uint64_t now_us(void)
{
    uint64_t us = 0;
    mvGetMicroseconds(&us);
    return us;
}

int main(void)
{
    mvtest_begin("syscall-cost");
    for (int round = 0; round < 3; round++) {
        uint64_t t0 = now_us();
        for (uint32_t i = 0; i < ITERATIONS; i++) {
            mvNoOp();
        }
        uint64_t t1 = now_us();
        for (uint32_t i = 0; i < ITERATIONS; i++) {
            ordinary_function();
        }
        uint64_t t2 = now_us();
        /* nanoseconds per call, times 10 for one decimal */
        mvtest_log("BENCH round=%d calls=%lu syscall_ns_x10=%lu function_ns_x10=%lu", round,
                   (unsigned long)ITERATIONS,
                   (unsigned long)((t1 - t0) * 10000u / ITERATIONS),
                   (unsigned long)((t2 - t1) * 10000u / ITERATIONS));
    }
    mvtest_end();
}
