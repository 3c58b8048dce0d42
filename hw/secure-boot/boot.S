/*
 * mvemu secure boot stage.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * On the device, Microvisor owns the Secure world: it configures TrustZone and
 * then starts the non-secure application. This is the emulator's stand-in for
 * that last step. The board loads it at the start of Microvisor's half of the
 * flash (Secure alias 0x0C100000), which is also the Secure vector table
 * address (init-svtor). It runs once per reset, in Secure privileged Thread
 * mode, and ends by branching to the application's reset handler in
 * Non-secure state.
 */
#include "stm32u585_map.h"
#include "mvemu_fault_report.h"

    .syntax unified
    .cpu cortex-m33
    .thumb

    .equ SCB_AIRCR,    0xE000ED0C
    .equ SCB_SHCSR,    0xE000ED24
    .equ SCB_NSACR,    0xE000ED8C
    .equ SAU_CTRL,     0xE000EDD0
    .equ SAU_SFSR,     0xE000EDE4
    .equ SCB_HFSR,     0xE000ED2C
    .equ NVIC_ITNS0,   0xE000E380
    .equ SCB_NS_VTOR,  0xE002ED08      /* VTOR of the Non-secure SCB alias */
    .equ APP_VECTORS,  MVEMU_APP_FLASH_BASE    /* application image */
    .equ SECURE_STACK, MVEMU_SECURE_STACK_TOP  /* above the app's SRAM */
    .equ FAULT_REPORT, MVEMU_FAULT_REPORT_BASE /* the board's report registers */

    .section .vectors, "a"
    .word SECURE_STACK
    .word secure_reset
    .word secure_other          /* NMI */
    .word secure_hardfault      /* HardFault */
    .word secure_other          /* MemManage */
    .word secure_other          /* BusFault */
    .word secure_other          /* UsageFault */
    .word secure_securefault    /* SecureFault */
    .word 0, 0, 0, 0
    .word secure_other          /* SVCall: a veneer run from Secure state */
    .word secure_other          /* DebugMonitor */
    .word 0
    .word secure_other          /* PendSV */
    .word secure_other          /* SysTick */

    .text
    .thumb_func
    .global secure_reset
secure_reset:
    /*
     * Attribution: leave the SAU disabled with ALLNS set, so the board's IDAU
     * alone decides: the STM32U5 split of Secure and Non-secure aliases, and
     * the veneer page as Non-secure callable.
     */
    ldr r0, =SAU_CTRL
    movs r1, #2
    str r1, [r0]

    /* Every interrupt line targets the Non-secure world (125 lines: 4 words). */
    ldr r0, =NVIC_ITNS0
    mov r1, #0xFFFFFFFF
    str r1, [r0, #0]
    str r1, [r0, #4]
    str r1, [r0, #8]
    str r1, [r0, #12]

    /* BusFault, HardFault and NMI go to the application's handlers. */
    ldr r0, =SCB_AIRCR
    ldr r1, =0x05FA2000         /* VECTKEY | BFHFNMINS */
    str r1, [r0]

    /* A Non-secure access to Secure memory raises SecureFault (not HardFault). */
    ldr r0, =SCB_SHCSR
    ldr r1, [r0]
    orr r1, r1, #(1 << 19)      /* SECUREFAULTENA */
    str r1, [r0]

    /* The application may use the FPU (CP10/CP11). */
    ldr r0, =SCB_NSACR
    mov r1, #0xC00
    str r1, [r0]

    /* Non-secure vector table, main stack, and reset handler from the image. */
    ldr r0, =APP_VECTORS
    ldr r1, =SCB_NS_VTOR
    str r0, [r1]
    ldr r1, [r0, #0]
    msr msp_ns, r1
    ldr r2, [r0, #4]
    bic r2, r2, #1              /* bit 0 clear: BLXNS enters Non-secure state */
    blxns r2
    b secure_hang

/*
 * Fault reports: write what the host needs to the board's fault-report
 * registers; writing the kind last sends one diagnostic line and ends the
 * run with the crash status.
 *   +0: SFAR (SecureFault), HFSR (HardFault) or IPSR (anything else)
 *   +4: SFSR or 0, +8: PC from the exception frame of the faulting code
 */
    .macro load_stacked_pc
    mov r12, lr                 /* EXC_RETURN */
    tst r12, #0x40              /* S: was the frame pushed on a Secure stack? */
    bne 1f
    tst r12, #0x4               /* SPSEL: process or main stack */
    ite eq
    mrseq r2, msp_ns
    mrsne r2, psp_ns
    b 2f
1:  tst r12, #0x4
    ite eq
    mrseq r2, msp
    mrsne r2, psp
2:  ldr r2, [r2, #24]           /* r0-r3, r12, lr, then the return address */
    .endm

    .macro send_report kind
    ldr r3, =FAULT_REPORT
    str r0, [r3, #0]
    str r1, [r3, #4]
    str r2, [r3, #8]
    movs r0, #\kind
    str r0, [r3, #12]
    b secure_hang
    .endm

    .thumb_func
secure_securefault:
    load_stacked_pc
    ldr r3, =SAU_SFSR
    ldr r1, [r3, #0]            /* SFSR */
    ldr r0, [r3, #4]            /* SFAR */
    send_report MVEMU_FAULT_SECUREFAULT

    .thumb_func
secure_hardfault:
    load_stacked_pc
    ldr r3, =SCB_HFSR
    ldr r0, [r3]
    movs r1, #0
    send_report MVEMU_FAULT_HARDFAULT

    .thumb_func
secure_other:
    load_stacked_pc
    mrs r0, ipsr
    movs r1, #0
    send_report MVEMU_FAULT_OTHER

    .thumb_func
secure_hang:
    b secure_hang
