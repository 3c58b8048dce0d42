/*
 * A few words of application RAM that survive a restart.
 *
 * The startup code re-initialises .data and .bss on every boot and QEMU
 * does not clear RAM on reset, so a word outside both (and far from the
 * stack, which grows down from 0x20080000) keeps its value across
 * mvRestart. The address lies in the free RAM between the end of .bss and
 * the stack; fw_persist_placement_ok() re-checks that at run time.
 */
#ifndef FW_SYSTEM_PERSIST_H
#define FW_SYSTEM_PERSIST_H

#include <stdint.h>

#define FW_PERSIST_ADDR  0x20070000u

struct fw_persist {
    uint32_t magic;
    uint32_t value;
};

#define FW_PERSIST ((volatile struct fw_persist *)(uintptr_t)FW_PERSIST_ADDR)

/* From app.ld */
extern uint32_t _ebss;

/* The marker lies above .bss plus the heap/stack minimum app.ld reserves,
 * and well below the current stack pointer. */
static inline int fw_persist_placement_ok(void)
{
    uint32_t sp;

    __asm volatile("mov %0, sp" : "=r"(sp));
    return (uintptr_t)&_ebss + 0x4000u <= FW_PERSIST_ADDR &&
           FW_PERSIST_ADDR + sizeof(struct fw_persist) + 0x4000u <= sp;
}

#endif
