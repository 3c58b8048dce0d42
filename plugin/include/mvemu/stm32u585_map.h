/*
 * The STM32U585 memory map as a Microvisor application sees it: the one
 * table the board (hw/), the backend's pointer checks (plugin/), the unit
 * tests' fake machine and the guest linker script (preprocessed with cpp)
 * all take their addresses from. Facts from shared/abi/stm32u585.md and
 * shared/abi/syscalls.md.
 *
 * Plain integer literals without suffixes, so the GNU ld script can use
 * them too; every value fits in 32 bits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MVEMU_STM32U585_MAP_H
#define MVEMU_STM32U585_MAP_H

/* Embedded flash (2 MiB), Non-secure and Secure aliases. */
#define MVEMU_FLASH_NS_BASE        0x08000000
#define MVEMU_FLASH_S_BASE         0x0C000000
#define MVEMU_FLASH_SIZE           0x00200000
/* The application's share: the first 1 MiB of Non-secure flash. */
#define MVEMU_APP_FLASH_BASE       0x08000000
#define MVEMU_APP_FLASH_SIZE       0x00100000

/* SRAM1-3 (768 KiB, contiguous) and SRAM4 (16 KiB). */
#define MVEMU_SRAM_NS_BASE         0x20000000
#define MVEMU_SRAM_S_BASE          0x30000000
#define MVEMU_SRAM_SIZE            0x000C0000
#define MVEMU_SRAM4_NS_BASE        0x28000000
#define MVEMU_SRAM4_S_BASE         0x38000000
#define MVEMU_SRAM4_SIZE           0x00004000
/* The application's share: the first 512 KiB of Non-secure SRAM. */
#define MVEMU_APP_SRAM_BASE        0x20000000
#define MVEMU_APP_SRAM_SIZE        0x00080000

/* Peripherals and external memory. */
#define MVEMU_PERIPH_NS_BASE       0x40000000
#define MVEMU_PERIPH_S_BASE        0x50000000
#define MVEMU_PERIPH_SIZE          0x10000000
#define MVEMU_PERIPH_S_OFFSET      (MVEMU_PERIPH_S_BASE - MVEMU_PERIPH_NS_BASE)
#define MVEMU_EXTMEM_BASE          0x60000000
#define MVEMU_EXTMEM_SIZE          0x40000000

/* Peripherals the emulator models or Microvisor lets the application peek. */
#define MVEMU_RCC_NS_BASE          0x46020C00
#define MVEMU_RCC_SIZE             0x00000400
#define MVEMU_FLASH_IF_NS_BASE     0x40022000
#define MVEMU_FLASH_IF_SIZE        0x00000400

/* Microvisor's system-call veneers: slot N at BASE + SIZE * N (Secure, NSC). */
#define MVEMU_VENEER_BASE          0x0C1FE000
#define MVEMU_VENEER_SIZE          8
#define MVEMU_VENEER_COUNT         74
#define MVEMU_NSC_REGION_SIZE      0x00001000

/* The emulator's secure boot stage, in Microvisor's half of the flash. */
#define MVEMU_SECURE_BOOT_BASE     0x0C100000
#define MVEMU_SECURE_BOOT_MAX      0x00004000
/* Top of the secure boot stage's stack: SRAM3's Secure alias, above the app. */
#define MVEMU_SECURE_STACK_TOP     0x300C0000
/*
 * The board's fault-report registers, where the secure boot stage's fault
 * handlers write what they found (Secure-only; in the Secure alias of the
 * peripheral space, at an address no STM32U585 peripheral uses).
 */
#define MVEMU_FAULT_REPORT_BASE    0x5FFFF000
#define MVEMU_FAULT_REPORT_SIZE    0x00000010

#endif /* MVEMU_STM32U585_MAP_H */
