/*
 * firmware-fuzz: random system calls through the real board (veneers, the
 * NSC trap, guest memory through QEMU's address space, NVIC deliveries),
 * the firmware half of the fuzzing in docs/reliability.md.
 *
 * Every call is a random slot with four argument words drawn from pools:
 * small integers, sizes, enum-like values, raw random words, pointers into
 * a scratch area (random offsets, an "outbox" whose words become handles
 * when a call writes them), the scratch area's end, and addresses the
 * application may not use (Secure SRAM and flash, its own flash, SRAM it is
 * not granted, peripherals, unmapped space). Between calls the scratch area
 * gets random words: structures with pointers, handles and broken fields.
 *
 * The backend may write through any pointer into the scratch area, now or
 * later (notification rings, channel buffers, log buffers), so the area is
 * followed by a guard as large as the largest length in the pools, and no
 * argument or scribbled word ever points at the rest of the application's
 * SRAM: nothing the firmware itself relies on is ever in reach.
 *
 * Left out: mvTestingComplete, mvRestart and mvDeepSleep (they end or
 * restart the run). Every interrupt and exception lands in one handler on a
 * vector table in RAM that counts it (a line that fires too often is
 * disabled); SysTick runs at 1 kHz so mvPowerSave always wakes.
 *
 * The seed is the RNG peripheral's first value (QEMU's -seed, the profile's
 * [rng] seed), so a run is repeated by its seed. The verdict is 0 once
 * FUZZ_CALLS calls are made: the test is that the emulator neither crashed
 * nor hung nor reported a sanitizer error meanwhile.
 */
#include <stdint.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvemu_cm33.h"
#include "mvtest.h"
#include "stm32u585_map.h"
#include "syscall_slots.h"

#ifndef FUZZ_CALLS
#define FUZZ_CALLS 250000u
#endif

#define SCRATCH_SIZE 32768u
#define GUARD_SIZE   (65536u + 4096u)  /* beyond the largest pool length */
#define OUTBOX_WORDS 8u
#define HANDLES      16u
#define FILL         0xA5A5A5A5u
#define MAX_IRQ_TAKEN 20000u

#define RNG_CR 0x420C0800u
#define RNG_DR 0x420C0808u

static struct {
    uint8_t scratch[SCRATCH_SIZE];
    uint8_t guard[GUARD_SIZE];
} area __attribute__((aligned(512)));

static uint32_t vectors[16 + 125] __attribute__((aligned(1024)));
static volatile uint32_t taken[16 + 125];
static volatile uint32_t exceptions_total, faults;
static uint32_t handles[HANDLES];
static uint32_t handle_count;
static uint32_t state;

static const uint8_t slots[] = {
#define SLOT(slot, name, in_handler) slot,
    MVEMU_SYSCALLS(SLOT)
#undef SLOT
};

static uint32_t next(void)
{
    /* xorshift32 */
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

static uint32_t pick(uint32_t n) { return next() % n; }

static uint32_t *outbox(void) { return (uint32_t *)(void *)&area.scratch[0]; }

static uint32_t scratch_pointer(void)
{
    static const uint32_t alignments[] = { 1, 2, 4, 8, 512 };
    uint32_t align = alignments[pick(5)];
    uint32_t offset = pick(SCRATCH_SIZE) & ~(align - 1u);
    return (uint32_t)(uintptr_t)&area.scratch[offset];
}

static uint32_t bad_pointer(void)
{
    static const uint32_t bad[] = {
        0x30000000u, 0x30000100u,   /* Secure SRAM */
        0x0C000000u, 0x0C1FE000u,   /* Secure flash, the veneer page */
        0x08000000u, 0x08000400u,   /* the application's own flash */
        0x20080000u, 0x200BFFFCu,   /* SRAM Microvisor keeps */
        0x40000000u, 0x40013800u, 0x50000000u,  /* peripherals, Secure alias */
        0xA0000000u, 0xE000E100u, 0xFFFFFFF0u, 0u, 4u,
    };
    return bad[pick(sizeof bad / sizeof bad[0])];
}

static uint32_t small_value(void)
{
    static const uint32_t values[] = {
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 16, 17, 31, 32, 33, 63, 64, 100, 127, 128,
        255, 256, 511, 512, 513, 1024, 4096, 65536, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu,
        0x80000u, 0xFFFFu,
    };
    return values[pick(sizeof values / sizeof values[0])];
}

/* Raw random words, handles and values calls wrote back can be anything,
 * and the backend rightly writes wherever a valid pointer and length say.
 * So a word that would point into the application's own SRAM outside the
 * area (its stack, its counters) is moved into the scratch area, and one
 * that as a length would reach past the guard but not past the end of SRAM
 * (where the backend refuses it anyway) is cut to 12 bits. */
static uint32_t keep_off_own_memory(uint32_t v)
{
    uint32_t area_start = (uint32_t)(uintptr_t)&area, area_end = area_start + sizeof area;
    if (v >= 0x20000000u && v < 0x20080000u && (v < area_start || v >= area_end)) {
        return area_start + v % SCRATCH_SIZE;
    }
    if (v > GUARD_SIZE && v < 0x80000u) {
        return v & 0xFFFu;
    }
    return v;
}

static uint32_t raw_argument(void)
{
    switch (pick(10)) {
    case 0:
    case 1:
        return small_value();
    case 2:
        return handle_count ? handles[pick(handle_count)] : small_value();
    case 3:
        return (uint32_t)(uintptr_t)&outbox()[pick(OUTBOX_WORDS)];
    case 4:
    case 5:
    case 6:
        return scratch_pointer();
    case 7:
        return bad_pointer();
    case 8:
        return (uint32_t)(uintptr_t)&area.scratch[SCRATCH_SIZE - 1u - pick(16)];
    default:
        return next();
    }
}

static uint32_t argument(void) { return keep_off_own_memory(raw_argument()); }

/* Structures for the next call: words at random places of the scratch area. */
static void scribble(void)
{
    uint32_t words = pick(24);
    for (uint32_t i = 0; i < words; i++) {
        uint32_t offset = pick(SCRATCH_SIZE / 4u) * 4u;
        if (offset < OUTBOX_WORDS * 4u) {
            continue;
        }
        uint32_t value = argument();
        memcpy(&area.scratch[offset], &value, sizeof value);
    }
}

static void harvest(void)
{
    uint32_t *box = outbox();
    for (uint32_t i = 0; i < OUTBOX_WORDS; i++) {
        if (box[i] != FILL && box[i] != 0) {
            handles[handle_count < HANDLES ? handle_count++ : pick(HANDLES)] = box[i];
        }
        box[i] = FILL;
    }
}

static int excluded(uint32_t slot)
{
    return slot == 55u /* mvTestingComplete */ || slot == 62u /* mvDeepSleep */ ||
           slot == 64u /* mvRestart */;
}

/* Every exception and interrupt: count it; faults are the firmware's own bug. */
static void any_exception(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    uint32_t n = ipsr & 0x1FFu;
    exceptions_total++;
    if (n < 16u) {
        if (n >= 2u && n <= 7u) {
            faults++;
            mvtest_log("FATAL exception %lu", (unsigned long)n);
            mvtest_end();
        }
    } else if (n < 16u + 125u && ++taken[n] > MAX_IRQ_TAKEN) {
        mv_nvic_disable_irq((int32_t)(n - 16u));
    }
}

static void install_vectors(void)
{
    const uint32_t *current = (const uint32_t *)(uintptr_t)MVEMU_REG32(MVEMU_SCB_VTOR);
    vectors[0] = current[0];
    vectors[1] = current[1];
    for (uint32_t i = 2; i < sizeof vectors / sizeof vectors[0]; i++) {
        vectors[i] = (uint32_t)(uintptr_t)any_exception;
    }
    MVEMU_REG32(MVEMU_SCB_VTOR) = (uint32_t)(uintptr_t)vectors;
    __asm volatile("dsb\n isb" ::: "memory");
}

static uint32_t hardware_seed(void)
{
    MVEMU_REG32(RNG_CR) = 1u << 2;  /* RNGEN */
    uint32_t seed = MVEMU_REG32(RNG_DR);
    return seed ? seed : 0x12345678u;
}

typedef uint32_t (*SyscallEntry)(uint32_t, uint32_t, uint32_t, uint32_t);

int main(void)
{
    mvtest_begin("firmware-fuzz");
    install_vectors();
    uint32_t seed = hardware_seed();
    state = seed;
    mvtest_log("FUZZ seed=0x%08lx calls=%lu", (unsigned long)seed, (unsigned long)FUZZ_CALLS);
    memset(area.scratch, 0, sizeof area.scratch);
    for (uint32_t i = 0; i < OUTBOX_WORDS; i++) {
        outbox()[i] = FILL;
    }
    MVEMU_REG32(MVEMU_SYST_RVR) = 160000u - 1u;  /* 1 kHz at 160 MHz */
    MVEMU_REG32(MVEMU_SYST_CVR) = 0;
    MVEMU_REG32(MVEMU_SYST_CSR) =
        MVEMU_SYST_CSR_ENABLE | MVEMU_SYST_CSR_TICKINT | MVEMU_SYST_CSR_CLKSOURCE;
    mv_enable_irq();

    uint32_t made = 0, accepted = 0;
    uint32_t per_slot[80] = { 0 };
    while (made < FUZZ_CALLS) {
        uint32_t slot = slots[pick(sizeof slots)];
        if (excluded(slot)) {
            continue;
        }
        if (pick(4) == 0) {
            scribble();
        }
        uint32_t a0 = argument(), a1 = argument(), a2 = argument(), a3 = argument();
        SyscallEntry entry =
            (SyscallEntry)(uintptr_t)(MVEMU_VENEER_BASE + MVEMU_VENEER_SIZE * slot + 1u);
        accepted += entry(a0, a1, a2, a3) == MV_STATUS_OKAY;
        harvest();
        per_slot[slot]++;
        made++;
    }
    uint32_t slots_used = 0;
    for (uint32_t s = 0; s < 80; s++) {
        slots_used += per_slot[s] != 0;
    }
    mvtest_log("FUZZ END calls=%lu slots=%lu okay=%lu handles=%lu exceptions=%lu",
               (unsigned long)made, (unsigned long)slots_used, (unsigned long)accepted,
               (unsigned long)handle_count, (unsigned long)exceptions_total);
    CHECK_EQ(faults, 0u);
    mvtest_end();
}
