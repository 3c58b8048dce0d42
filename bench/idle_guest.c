/*
 * An idle device for the fleet measurement (docs/benchmarks.md "Fleet"):
 * a 1 kHz SysTick and WFI between ticks, as a tickful RTOS's idle task
 * with configUSE_TICKLESS_IDLE 0 and a WFI idle hook does; a server log
 * line every 10 s of virtual time with the ticks counted and the virtual
 * time (and one when the tick starts), so a lost or late tick shows. Runs until stopped.
 */
#include <stdio.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvemu_cm33.h"

static uint8_t log_buffer[512] __attribute__((aligned(512)));
static volatile uint32_t ticks;

void SysTick_Handler(void) { ticks++; }

static void log_line(const char *text)
{
    (void)mvServerLog((const uint8_t *)text, (uint16_t)strlen(text));
}

int main(void)
{
    (void)mvServerLoggingInit(log_buffer, sizeof log_buffer);
    uint32_t hz = 160000000u;
    (void)mvGetSysClk(&hz);
    MVEMU_REG32(MVEMU_SYST_RVR) = hz / 1000u - 1u;
    MVEMU_REG32(MVEMU_SYST_CVR) = 0;
    MVEMU_REG32(MVEMU_SYST_CSR) =
        MVEMU_SYST_CSR_ENABLE | MVEMU_SYST_CSR_TICKINT | MVEMU_SYST_CSR_CLKSOURCE;
    mv_enable_irq();
    uint64_t start_us = 0;
    char first[64];
    (void)mvGetMicroseconds(&start_us);
    snprintf(first, sizeof first, "idle: ticks=0 at %lu us", (unsigned long)start_us);
    log_line(first);
    uint32_t next_report = 10000u;
    for (;;) {
        __asm volatile("wfi");
        if (ticks >= next_report) {
            uint64_t us = 0;
            char line[64];
            (void)mvGetMicroseconds(&us);
            snprintf(line, sizeof line, "idle: ticks=%lu at %lu us", (unsigned long)ticks,
                     (unsigned long)us);
            log_line(line);
            next_report += 10000u;
        }
    }
}
