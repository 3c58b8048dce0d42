/*
 * The "cpu" benchmark as a Microvisor application (microvisor-stm32u585).
 *
 * Runs bench/cpu_work.c once, checks its checksum, prints one line and ends
 * the run with mvTestingComplete, so QEMU exits. bench/run measures the host
 * CPU time of the QEMU process and compares it with the same work on
 * mps2-an505 (bench/an505/).
 */
#include <stdint.h>

#include "cpu_work.h"
#include "mv_syscalls.h"
#include "mvtest.h"

static volatile uint32_t rounds = CPU_WORK_ROUNDS;

static uint64_t now_us(void)
{
    uint64_t us = 0;
    mvGetMicroseconds(&us);
    return us;
}

int main(void)
{
    mvtest_begin("cpu-work");
    uint32_t n = rounds;
    uint64_t t0 = now_us();
    uint32_t checksum = cpu_work_run(n);
    uint64_t t1 = now_us();
    /* Virtual time: the host's clock, or the instruction count with -icount. */
    mvtest_log("BENCH cpu board=mvemu rounds=%lu checksum=0x%08lx virtual_us=%lu", (unsigned long)n,
               (unsigned long)checksum, (unsigned long)(t1 - t0));
    CHECK_EQ(checksum, CPU_WORK_EXPECTED);
    mvtest_end();
}
