/*
 * probe.c - firmware that takes the address of every system call in
 * mvemu/syscall_slots.h through the guest SDK's prototypes. It is never
 * booted: check_syscall_abi reads its symbol table (arm-none-eabi-nm),
 * where the generated mv_syscalls.ld put the entry addresses.
 *
 * Building it already checks two things: every name in the table is
 * declared by mv_syscalls.h (an undeclared name does not compile, a
 * declaration without a prototype fails -Wstrict-prototypes -Werror), and
 * the linker script defines it (else the link fails).
 */
#include <stdint.h>

#include "mv_syscalls.h"
#include "mvemu/syscall_slots.h"

#define PROBE_ENTRY(slot, name, unavailable_in_handler) (uintptr_t)&name,

static const uintptr_t entries[] = {MVEMU_SYSCALLS(PROBE_ENTRY)};

int main(void) {
    /* Reached by the startup code, so --gc-sections keeps the table. */
    uintptr_t sum = 0;
    for (unsigned i = 0; i < sizeof entries / sizeof entries[0]; i++) {
        sum += *(const volatile uintptr_t *)&entries[i];
    }
    mvTestingComplete(sum != 0 ? 0 : 1);
    for (;;) {
    }
}
