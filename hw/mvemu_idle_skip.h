/*
 * Idle-loop skipping for paced runs: the CPU sleeps at the head of a loop
 * that can only wait for an interrupt (docs/launcher.md "Paced mode").
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MVEMU_IDLE_SKIP_H
#define MVEMU_IDLE_SKIP_H

#include "exec/memory.h"
#include "target/arm/cpu.h"

/* How often a loop head must repeat before it is checked; per head. */
#define MVEMU_IDLE_HEADS 64

typedef struct MvemuIdleCpuState {
    uint32_t regs[15];
    uint32_t xpsr;
    uint32_t control[2];
    uint32_t primask[2];
    uint32_t basepri[2];
    uint32_t faultmask[2];
    uint32_t other_sp;
    uint32_t other_ss_msp;
    uint32_t other_ss_psp;
    uint32_t secure;
    uint32_t fpscr;
    uint64_t dregs[16];
} MvemuIdleCpuState;

typedef struct MvemuIdleRam {
    MemoryRegion *mr;
    uint32_t base;                  /* Non-secure address */
    uint32_t size;
} MvemuIdleRam;

typedef struct MvemuIdleSkip {
    ARMCPU *cpu;
    MvemuIdleRam ram[2];

    /* The loop being watched: its head and how often it came round. */
    uint32_t head;
    uint32_t visits;
    uint32_t patience[MVEMU_IDLE_HEADS];  /* visits before a check */
    bool armed;                     /* @before holds the state at @head */
    MvemuIdleCpuState before;
    uint64_t io_accesses;
    uint64_t activity;              /* at @before */
    /* The stack page(s) around SP, to compare outside the red zone. */
    uint32_t copy_base;
    uint32_t copy_len;
    uint8_t *copy;                  /* room for three target pages */

    uint64_t activity_count;        /* system calls, backend deliveries */
    bool parked;
    uint32_t parked_at;
    uint64_t parks;
} MvemuIdleSkip;

/* Watch @cpu's loops; its RAM is @sram and @sram4 (at their NS bases). */
void mvemu_idle_skip_init(MvemuIdleSkip *s, ARMCPU *cpu, MemoryRegion *sram,
                          uint32_t sram_base, MemoryRegion *sram4,
                          uint32_t sram4_base);
/*
 * Something outside the CPU may have changed what a loop reads (a system
 * call, a backend delivery, a board input): a parked CPU runs again.
 */
void mvemu_idle_skip_activity(MvemuIdleSkip *s);

#endif
