/*
 * mvemu secure boot stage.
 *
 * On the device, Microvisor owns the Secure world: it configures TrustZone and
 * then starts the non-secure application. This is the emulator's stand-in for
 * that last step. The board loads it at the start of Microvisor's half of the
 * flash (Secure alias 0x0C100000), which is also the Secure vector table
 * address (init-svtor). It runs once per reset, in Secure privileged Thread
 * mode, and ends by branching to the application's reset handler in
 * Non-secure state.
 */
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
    .equ APP_VECTORS,  0x08000000      /* application image, Non-secure flash */
    .equ SECURE_STACK, 0x300C0000      /* top of SRAM3 Secure alias, above the app's 512 KiB */

    /* SVC immediates the board reserves for reports from this code. */
    .equ SVC_REPORT_SECUREFAULT, 0xFF
    .equ SVC_REPORT_HARDFAULT,   0xFE

    .section .vectors, "a"
    .word SECURE_STACK
    .word secure_reset
    .word secure_hang           /* NMI */
    .word secure_hardfault      /* HardFault */
    .word secure_hang           /* MemManage */
    .word secure_hang           /* BusFault */
    .word secure_hang           /* UsageFault */
    .word secure_securefault    /* SecureFault */
    .word 0, 0, 0, 0
    .word secure_hang           /* SVCall: the board consumes veneer SVCs */
    .word secure_hang           /* DebugMonitor */
    .word 0
    .word secure_hang           /* PendSV */
    .word secure_hang           /* SysTick */

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
 * Fault reports: load what the host needs into r0-r2 and raise a reserved SVC
 * that the board turns into one diagnostic line.
 *   r0 = SFAR (SecureFault) or HFSR (HardFault), r1 = SFSR or 0,
 *   r2 = PC from the exception frame of the code that faulted
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

    .thumb_func
secure_securefault:
    load_stacked_pc
    ldr r3, =SAU_SFSR
    ldr r1, [r3, #0]            /* SFSR */
    ldr r0, [r3, #4]            /* SFAR */
    svc #SVC_REPORT_SECUREFAULT
    b secure_hang

    .thumb_func
secure_hardfault:
    load_stacked_pc
    ldr r3, =SCB_HFSR
    ldr r0, [r3]
    movs r1, #0
    svc #SVC_REPORT_HARDFAULT
    b secure_hang

    .thumb_func
secure_hang:
    b secure_hang
