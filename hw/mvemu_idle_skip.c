/*
 * Idle-loop skipping for paced runs (docs/launcher.md "Paced mode").
 *
 * A loop that only waits (FreeRTOS's idle task with no WFI, a poll of a
 * flag an interrupt handler sets) comes back to its head in the same
 * state every time until an interrupt changes something, so letting the
 * CPU sleep there, as WFI does, changes nothing the firmware can see but
 * the host time it burns.  At each taken backward branch the CPU calls
 * idle_probe() with the target; once a head has come round often enough
 * in a row, the state there is kept, and at the next visit the loop is
 * idle if nothing moved:
 *   - the same registers (core, special and FP);
 *   - no store to RAM but in the red zone just below SP, which an
 *     exception frame may overwrite at any moment, so no correct code
 *     reads it back (the dirty log of the SRAM regions, plus a copy of
 *     the stack pages around SP);
 *   - no access to a device (the CPU's I/O access count: a device
 *     register may change with time and no interrupt);
 *   - no system call and no delivery from the backend.
 * A head that is checked and found busy waits twice as long before its
 * next check, so busy loops cost a counter increment per iteration.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "exec/ram_addr.h"
#include "exec/cpu-common.h"
#include "hw/core/cpu.h"
#include "mvemu_idle_skip.h"
#include "trace.h"

#define RED_ZONE 1024                 /* bytes below SP a loop may write */
#define FIRST_PATIENCE 8              /* visits before a head's first check */
#define MAX_PATIENCE (1u << 20)

static unsigned head_slot(uint32_t head)
{
    return (head >> 1) % MVEMU_IDLE_HEADS;
}

static void read_cpu_state(CPUARMState *env, MvemuIdleCpuState *st)
{
    memset(st, 0, sizeof(*st));
    memcpy(st->regs, env->regs, sizeof(st->regs));
    st->xpsr = xpsr_read(env);
    for (int i = 0; i < 2; i++) {
        st->control[i] = env->v7m.control[i];
        st->primask[i] = env->v7m.primask[i];
        st->basepri[i] = env->v7m.basepri[i];
        st->faultmask[i] = env->v7m.faultmask[i];
    }
    st->other_sp = env->v7m.other_sp;
    st->other_ss_msp = env->v7m.other_ss_msp;
    st->other_ss_psp = env->v7m.other_ss_psp;
    st->secure = env->v7m.secure;
    st->fpscr = vfp_get_fpscr(env);
    for (int i = 0; i < 16; i++) {
        st->dregs[i] = *aa32_vfp_dreg(env, i);
    }
}

static MvemuIdleRam *ram_holding(MvemuIdleSkip *s, uint32_t addr)
{
    for (int i = 0; i < ARRAY_SIZE(s->ram); i++) {
        if (addr - s->ram[i].base < s->ram[i].size) {
            return &s->ram[i];
        }
    }
    return NULL;
}

/* Clears the dirty log of [from, to) in @ram; true if any of it was dirty. */
static bool take_dirty(MvemuIdleRam *ram, uint32_t from, uint32_t to)
{
    if (to <= from) {
        return false;
    }
    return cpu_physical_memory_test_and_clear_dirty(
        memory_region_get_ram_addr(ram->mr) + (from - ram->base), to - from,
        DIRTY_MEMORY_VGA);
}

/*
 * Whether RAM was written since the last call anywhere but the stack pages
 * kept in s->copy, and clears the log of all of it but those pages.
 */
static bool ram_written_outside_copy(MvemuIdleSkip *s)
{
    bool written = false;

    for (int i = 0; i < ARRAY_SIZE(s->ram); i++) {
        MvemuIdleRam *ram = &s->ram[i];
        uint32_t end = ram->base + ram->size;

        if (s->copy_base - ram->base < ram->size) {
            written |= take_dirty(ram, ram->base, s->copy_base);
            written |= take_dirty(ram, s->copy_base + s->copy_len, end);
        } else {
            written |= take_dirty(ram, ram->base, end);
        }
    }
    return written;
}

static uint8_t *ram_ptr(MvemuIdleSkip *s, uint32_t addr)
{
    MvemuIdleRam *ram = ram_holding(s, addr);

    return (uint8_t *)memory_region_get_ram_ptr(ram->mr) + (addr - ram->base);
}

/*
 * The stack pages around SP, from RED_ZONE below it to the end of its
 * page; false if SP is not in SRAM or they would leave its region.
 */
static bool copy_stack(MvemuIdleSkip *s, uint32_t sp)
{
    uint32_t page = qemu_target_page_size();
    uint32_t from = QEMU_ALIGN_DOWN(sp - RED_ZONE, page);
    uint32_t to = QEMU_ALIGN_UP(sp + 1, page);
    MvemuIdleRam *ram = ram_holding(s, sp);

    if (!ram || sp - RED_ZONE < ram->base || to > ram->base + ram->size ||
        to - from > 3 * page) {
        return false;
    }
    s->copy_base = from;
    s->copy_len = to - from;
    memcpy(s->copy, ram_ptr(s, from), s->copy_len);
    return true;
}

/* The stack pages are as copied but for the red zone below @sp. */
static bool stack_unchanged(MvemuIdleSkip *s, uint32_t sp)
{
    const uint8_t *now = ram_ptr(s, s->copy_base);
    uint32_t zone = sp - RED_ZONE - s->copy_base;
    uint32_t above = sp - s->copy_base;

    return !memcmp(now, s->copy, zone) &&
           !memcmp(now + above, s->copy + above, s->copy_len - above);
}

static bool arm_check(MvemuIdleSkip *s, CPUARMState *env)
{
    read_cpu_state(env, &s->before);
    if (!copy_stack(s, s->before.regs[13])) {
        return false;
    }
    ram_written_outside_copy(s);
    s->io_accesses = CPU(s->cpu)->io_accesses;
    s->activity = s->activity_count;
    return true;
}

static bool still_idle(MvemuIdleSkip *s, CPUARMState *env)
{
    MvemuIdleCpuState now;

    read_cpu_state(env, &now);
    return !memcmp(&now, &s->before, sizeof(now)) &&
           CPU(s->cpu)->io_accesses == s->io_accesses &&
           s->activity_count == s->activity &&
           !ram_written_outside_copy(s) &&
           stack_unchanged(s, now.regs[13]);
}

static bool idle_probe(ARMCPU *cpu, uint32_t target, void *opaque)
{
    MvemuIdleSkip *s = opaque;
    uint32_t *patience;

    s->parked = false;
    if (CPU(cpu)->singlestep_enabled) {
        return false; /* gdb's step masks interrupts: nothing would wake it */
    }
    if (target != s->head) {
        s->head = target;
        s->visits = 0;
        s->armed = false;
        return false;
    }
    patience = &s->patience[head_slot(target)];
    if (!s->armed) {
        if (++s->visits < *patience) {
            return false;
        }
        s->visits = 0;
        s->armed = arm_check(s, &cpu->env);
        return false;
    }
    s->armed = false;
    if (!still_idle(s, &cpu->env)) {
        *patience = MIN(*patience * 2, MAX_PATIENCE);
        trace_mvemu_idle_busy(target, *patience);
        return false;
    }
    /* Found waiting: check this head again at its next visits. */
    *patience = 1;
    s->parked = true;
    s->parked_at = target;
    s->parks++;
    trace_mvemu_idle_park(target, s->parks);
    return true;
}

void mvemu_idle_skip_activity(MvemuIdleSkip *s)
{
    CPUState *cs;

    s->activity_count++;
    if (!s->cpu || !s->parked) {
        return;
    }
    cs = CPU(s->cpu);
    s->parked = false;
    if (cs->halted && s->cpu->env.regs[15] == s->parked_at) {
        cs->halted = 0;
        qemu_cpu_kick(cs);
    }
}

void mvemu_idle_skip_init(MvemuIdleSkip *s, ARMCPU *cpu, MemoryRegion *sram,
                          uint32_t sram_base, MemoryRegion *sram4,
                          uint32_t sram4_base)
{
    memset(s, 0, sizeof(*s));
    s->cpu = cpu;
    s->copy = g_malloc(3 * qemu_target_page_size());
    s->ram[0] = (MvemuIdleRam) { sram, sram_base,
                                 memory_region_size(sram) };
    s->ram[1] = (MvemuIdleRam) { sram4, sram4_base,
                                 memory_region_size(sram4) };
    for (int i = 0; i < MVEMU_IDLE_HEADS; i++) {
        s->patience[i] = FIRST_PATIENCE;
    }
    for (int i = 0; i < ARRAY_SIZE(s->ram); i++) {
        memory_region_set_log(s->ram[i].mr, true, DIRTY_MEMORY_VGA);
    }
    cpu->backward_branch_hook = idle_probe;
    cpu->backward_branch_hook_opaque = s;
}
