/*
 * The scheduler of fwsched.h: context switch, first-thread start, tick.
 */
#include "fwsched.h"

#include "mvemu_cm33.h"

#define INITIAL_XPSR 0x01000000u  /* Thumb bit */

uint32_t sched_sp[2];
volatile uint32_t sched_current;
volatile uint32_t sched_switches;
volatile uint32_t sched_secure_preemptions;
volatile uint32_t sched_running;

void fwsched_init_thread(unsigned index, uint32_t *stack, uint32_t words, void (*entry)(void),
                         void (*exit_trap)(void))
{
    uint32_t *sp = stack + words;
    *--sp = INITIAL_XPSR;
    *--sp = (uint32_t)(uintptr_t)entry & ~1u;             /* PC */
    *--sp = (uint32_t)(uintptr_t)exit_trap;               /* LR */
    *--sp = 12u;                                          /* r12 */
    *--sp = 3u;
    *--sp = 2u;
    *--sp = 1u;
    *--sp = 0u;                                           /* r0 */
    for (uint32_t r = 11; r >= 4; r--)
        *--sp = r;                                        /* r11..r4 */
    *--sp = FWSCHED_EXC_RETURN_THREAD_PSP;
    sched_sp[index] = (uint32_t)(uintptr_t)sp;
}

uint32_t fwsched_svc_start(void)
{
    /* vPortStartFirstTask: drop the thread's software-saved r4-r11 and
     * EXC_RETURN, point PSP at its exception frame. */
    uint32_t psp = sched_sp[0] + 9u * 4u;
    __asm volatile("msr psp, %0\n\tisb 0xF" :: "r"(psp) : "memory");
    sched_current = 0;
    sched_running = 1;
    return FWSCHED_EXC_RETURN_THREAD_PSP;
}

void fwsched_start(uint32_t hclk_hz)
{
    /* PendSV and SysTick at the lowest priority (configKERNEL_INTERRUPT_PRIORITY). */
    mv_nvic_set_priority(-2, 15);
    mv_nvic_set_priority(-1, 15);
    /* vPortSetupTimerInterrupt */
    MVEMU_REG32(MVEMU_SYST_CSR) = 0;
    MVEMU_REG32(MVEMU_SYST_CVR) = 0;
    MVEMU_REG32(MVEMU_SYST_RVR) = hclk_hz / 1000u - 1u;
    MVEMU_REG32(MVEMU_SYST_CSR) = MVEMU_SYST_CSR_CLKSOURCE | MVEMU_SYST_CSR_TICKINT |
                                  MVEMU_SYST_CSR_ENABLE;
    fwsched_launch();
}

void fwsched_launch(void)
{
    /* vStartFirstTask: enable interrupts and raise the start SVC. */
    __asm volatile(
        "cpsie i\n\t"
        "cpsie f\n\t"
        "dsb 0xF\n\t"
        "isb 0xF\n\t"
        "svc #2\n\t"
        "nop\n\t" ::: "memory");
}

void fwsched_tick(void)
{
    if (sched_running)
        mv_scb_pend_pendsv();
}

void fwsched_yield(void)
{
    mv_scb_pend_pendsv();
    __asm volatile("dsb 0xF\n\tisb 0xF" ::: "memory");
}

/*
 * The SVC entry: the test's svc_dispatch() gets the exception frame (on
 * the MSP or PSP, by EXC_RETURN bit 2) and EXC_RETURN, and returns the
 * EXC_RETURN to leave with.
 */
__attribute__((naked)) void SVC_Handler(void)
{
    __asm volatile(
        "tst lr, #4\n\t"
        "ite eq\n\t"
        "mrseq r0, msp\n\t"
        "mrsne r0, psp\n\t"
        "mov r1, lr\n\t"
        "push {r1, lr}\n\t"      /* keeps the stack 8-byte aligned */
        "bl svc_dispatch\n\t"
        "pop {r1, r2}\n\t"
        "bx r0\n\t");
}

/*
 * Context switch, as xPortPendSVHandler does it (no FPU, no MPU): push
 * r4-r11 and EXC_RETURN on the outgoing PSP, pick the other thread, pop its
 * r4-r11 and EXC_RETURN, return on its PSP.
 */
__attribute__((naked)) void PendSV_Handler(void)
{
    __asm volatile(
        "mrs r0, psp\n\t"
        "isb 0xF\n\t"
        "mov r3, lr\n\t"
        "tst r3, #0x40\n\t"      /* EXC_RETURN.S: preempted in Secure state */
        "beq 1f\n\t"
        "ldr r1, =sched_secure_preemptions\n\t"
        "ldr r2, [r1]\n\t"
        "adds r2, r2, #1\n\t"
        "str r2, [r1]\n\t"
        "1:\n\t"
        "stmdb r0!, {r3-r11}\n\t"
        "ldr r1, =sched_current\n\t"
        "ldr r2, [r1]\n\t"
        "ldr r12, =sched_sp\n\t"
        "str r0, [r12, r2, lsl #2]\n\t"
        "eor r2, r2, #1\n\t"
        "str r2, [r1]\n\t"
        "ldr r0, [r12, r2, lsl #2]\n\t"
        "ldmia r0!, {r3-r11}\n\t"
        "msr psp, r0\n\t"
        "isb 0xF\n\t"
        "ldr r1, =sched_switches\n\t"
        "ldr r2, [r1]\n\t"
        "adds r2, r2, #1\n\t"
        "str r2, [r1]\n\t"
        "bx r3\n\t"
        ".ltorg\n\t");
}
