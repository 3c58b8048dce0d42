/*
 * threads: a minimal two-thread preemptive scheduler built the way FreeRTOS's
 * ARM_CM33_NTZ (non-secure, no TrustZone support) port works:
 *
 *  - threads run in Thread mode on the process stack (PSP);
 *  - SysTick ticks at 1 kHz from the core clock (reload = HCLK/1000 - 1)
 *    and only pends PendSV;
 *  - PendSV, at the lowest priority, saves r4-r11 and EXC_RETURN on the
 *    outgoing thread's PSP and restores the other thread's;
 *  - the first thread is started from the firmware's own SVC handler after
 *    `svc #2` issued by main() on the main stack (vPortStartFirstTask);
 *  - a second immediate, `svc #102` (the 2024 kernel's start SVC), is raised
 *    from a thread on the PSP and reaches the same handler, which decodes the
 *    immediate from the stacked return address.
 *
 * Both threads make a system call on every iteration (mvGetMicroseconds,
 * mvNoOp), so a tick may land while a thread is inside a system-call veneer
 * (Secure state: the exception frame then goes on the Secure stack and
 * EXC_RETURN.S = 1; PendSV counts those switches). Every iteration each
 * thread checks that it runs as itself (sched_current) on its own stack: a
 * context switch that resumes the wrong frame ends the run at once.
 * Thread 0 judges the run once both counters are past MIN_ITERATIONS, at
 * least MIN_SWITCHES context switches happened and MIN_ELAPSED_US of virtual
 * time passed; either thread gives up after GIVE_UP_US / GIVE_UP_TICKS.
 *
 * Before the scheduler starts, main() checks the NVIC's 4 implemented
 * priority bits and PRIGROUP, which FreeRTOS asserts on.
 */
#include <stdint.h>

#include "fwsched.h"
#include "fwtest.h"

#define MIN_ITERATIONS   200u
#define MIN_SWITCHES     20u
#define MIN_ELAPSED_US   20000u
#define GIVE_UP_US       2000000u   /* virtual time */
#define GIVE_UP_TICKS    2000u

#ifndef THREADS_MASK_SYSCALLS
#define THREADS_MASK_SYSCALLS 0
#endif

#define STACK_WORDS      512u       /* 2 KiB per thread */

static volatile uint32_t systick_ticks;

static uint32_t stack0[STACK_WORDS] __attribute__((aligned(8)));
static uint32_t stack1[STACK_WORDS] __attribute__((aligned(8)));

/* SVC bookkeeping */
static volatile uint32_t svc_entries;
static volatile uint32_t svc2_entries;
static volatile uint32_t svc102_entries;
static volatile uint32_t svc_other_entries;
static volatile uint32_t svc_last_other_imm;
static volatile uint32_t svc2_ipsr;
static volatile uint32_t svc2_from_psp = 0xFFu;
static volatile uint32_t svc102_from_psp = 0xFFu;
static volatile uint32_t svc102_r0;
static volatile uint32_t svc102_ipsr;

/* Thread bookkeeping */
static volatile uint32_t counter0;
static volatile uint32_t counter1;
static volatile uint32_t thread1_control;
static volatile uint32_t thread1_bad_status;
static volatile uint32_t thread0_bad_status;
static volatile uint32_t svc102_done;
static volatile uint32_t svc102_result;
static volatile uint32_t wrong_thread0, wrong_thread1;
static volatile uint32_t wrong_stack0, wrong_stack1;
static uint64_t start_us;

static void fail_and_stop(const char *why)
{
    mvtest_log("FATAL %s", why);
    CHECK(0);
    mvtest_end();
}

/* ---- exception handlers ---- */

void HardFault_Handler(void)
{
    fail_and_stop("HardFault");
}

void UsageFault_Handler(void)
{
    fail_and_stop("UsageFault");
}

void BusFault_Handler(void)
{
    fail_and_stop("BusFault");
}

void SysTick_Handler(void)
{
    systick_ticks++;
    fwsched_tick();
}

/* Called by SVC_Handler with the exception frame and EXC_RETURN; returns the
 * EXC_RETURN to leave with. */
uint32_t svc_dispatch(uint32_t *frame, uint32_t exc_return)
{
    /* The stacked PC is the instruction after the 16-bit SVC; its low
     * byte is the immediate. */
    const uint8_t *after = (const uint8_t *)(uintptr_t)(frame[6] & ~1u);
    uint32_t imm = after[-2];
    uint32_t from_psp = (exc_return >> 2) & 1u;

    svc_entries++;
    if (imm == 2u) {
        svc2_entries++;
        svc2_ipsr = mv_get_ipsr();
        svc2_from_psp = from_psp;
        if (!sched_running)
            return fwsched_svc_start();
    } else if (imm == 102u) {
        svc102_entries++;
        svc102_from_psp = from_psp;
        svc102_r0 = frame[0];
        svc102_ipsr = mv_get_ipsr();
        frame[0] = 0x600DF00Du;  /* result seen by the caller in r0 */
    } else {
        svc_other_entries++;
        svc_last_other_imm = imm;
    }
    return exc_return;
}


/* ---- threads ---- */

static uint32_t get_sp(void)
{
    uint32_t sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    return sp;
}

static int on_stack(uint32_t sp, const uint32_t *stack)
{
    return sp > (uint32_t)(uintptr_t)stack &&
           sp <= (uint32_t)(uintptr_t)(stack + STACK_WORDS);
}

/*
 * The system calls the threads make. THREADS_MASK_SYSCALLS (the
 * threads-masked-syscalls variant) makes them with PRIMASK set, so no tick
 * can land while the CPU is inside a veneer.
 */
static enum MvStatus thread_noop(void)
{
#if THREADS_MASK_SYSCALLS
    mv_disable_irq();
    enum MvStatus s = mvNoOp();
    mv_enable_irq();
    return s;
#else
    return mvNoOp();
#endif
}

static enum MvStatus thread_micros(uint64_t *now)
{
#if THREADS_MASK_SYSCALLS
    mv_disable_irq();
    enum MvStatus s = mvGetMicroseconds(now);
    mv_enable_irq();
    return s;
#else
    return mvGetMicroseconds(now);
#endif
}

static void thread_exit_trap(void)
{
    fail_and_stop("a thread returned");
}

static uint32_t svc102(uint32_t arg)
{
    register uint32_t r0 __asm("r0") = arg;
    __asm volatile("svc #102" : "+r"(r0) :: "memory");
    return r0;
}

/* Judge the run; called by whichever thread ends it. */
static void __attribute__((noreturn)) finish(const char *who)
{
    /* Freeze the schedule: no tick, no pending switch. */
    mv_disable_irq();
    sched_running = 0;
    mv_systick_stop();
    MVEMU_REG32(MVEMU_SCB_ICSR) = MVEMU_SCB_ICSR_PENDSVCLR | MVEMU_SCB_ICSR_PENDSTCLR;

    uint64_t now = fw_micros();
    uint32_t c0 = counter0, c1 = counter1, sw = sched_switches;
    uint32_t ticks = systick_ticks;
    uint32_t elapsed_us = (uint32_t)(now - start_us);

    mvtest_log("ended by %s: thread0=%lu thread1=%lu switches=%lu "
               "switched-out-in-secure=%lu ticks=%lu elapsed_us=%lu",
               who, (unsigned long)c0, (unsigned long)c1, (unsigned long)sw,
               (unsigned long)sched_secure_preemptions,
               (unsigned long)ticks, (unsigned long)elapsed_us);
    mvtest_log("wrong-thread: t0=%lu t1=%lu wrong-stack: t0=%lu t1=%lu",
               (unsigned long)wrong_thread0, (unsigned long)wrong_thread1,
               (unsigned long)wrong_stack0, (unsigned long)wrong_stack1);
    mvtest_log("svc entries=%lu #2=%lu #102=%lu other=%lu (last other #%lu)",
               (unsigned long)svc_entries, (unsigned long)svc2_entries,
               (unsigned long)svc102_entries, (unsigned long)svc_other_entries,
               (unsigned long)svc_last_other_imm);
    /* Each thread's code ran as that thread, on its own stack. */
    CHECK_EQ(wrong_thread0, 0u);
    CHECK_EQ(wrong_thread1, 0u);
    CHECK_EQ(wrong_stack0, 0u);
    CHECK_EQ(wrong_stack1, 0u);
    CHECK(elapsed_us <= GIVE_UP_US + 100000u);
    CHECK(ticks <= GIVE_UP_TICKS);
    CHECK(c0 > MIN_ITERATIONS);
    CHECK(c1 > MIN_ITERATIONS);
    CHECK(sw >= MIN_SWITCHES);
    CHECK(elapsed_us >= MIN_ELAPSED_US);
    CHECK_EQ(thread0_bad_status, 0u);
    CHECK_EQ(thread1_bad_status, 0u);
    /*
     * 1 kHz tick: never more ticks than elapsed milliseconds of virtual
     * time. Without -icount a loaded host delivers late ticks that coalesce
     * (QEMU's timers run on its main-loop thread), so the lower bound is
     * loose: it only catches a tick clocked far too slow (e.g. HCLK/8).
     */
    CHECK(ticks <= elapsed_us / 1000u + 2u);
    CHECK(ticks * 4u + 4u >= elapsed_us / 1000u);

    /* The firmware's own SVCs reached its handler. */
    CHECK_EQ(svc2_entries, 1u);
    CHECK_EQ(svc2_ipsr, 11u);
    CHECK_EQ(svc2_from_psp, 0u);
    CHECK_EQ(svc102_entries, 1u);
    CHECK_EQ(svc102_from_psp, 1u);
    CHECK_EQ(svc102_r0, 0x1234u);
    CHECK_EQ(svc102_ipsr, 11u);
    CHECK_EQ(svc102_result, 0x600DF00Du);
    CHECK_EQ(svc_other_entries, 0u);
    CHECK_EQ(svc_entries, 2u);
    /* Threads run privileged on the PSP (CONTROL.SPSEL = 1, nPRIV = 0). */
    CHECK_EQ(thread1_control & 3u, 2u);
    uint32_t control;
    __asm volatile("mrs %0, control" : "=r"(control));
    CHECK_EQ(control & 3u, 2u);
    CHECK_EQ(mv_get_ipsr(), 0u);
    mvtest_end();
}

static void thread1(void)
{
    uint32_t control;
    __asm volatile("mrs %0, control" : "=r"(control));
    thread1_control = control;

    /* The 2024 kernel's start SVC, raised from a thread on the PSP. */
    svc102_result = svc102(0x1234u);
    svc102_done = 1;

    for (;;) {
        counter1++;
        if (thread_noop() != MV_STATUS_OKAY)
            thread1_bad_status++;
        if (sched_current != 1u)
            wrong_thread1++;
        if (!on_stack(get_sp(), stack1))
            wrong_stack1++;
        if (wrong_thread1 || wrong_stack1)
            finish("thread1 (ran as the wrong thread)");
        if (systick_ticks > GIVE_UP_TICKS)
            finish("thread1 (gave up)");
    }
}

static void thread0(void)
{
    uint64_t now = 0;

    for (;;) {
        counter0++;
        if (thread_micros(&now) != MV_STATUS_OKAY)
            thread0_bad_status++;
        if (sched_current != 0u)
            wrong_thread0++;
        if (!on_stack(get_sp(), stack0))
            wrong_stack0++;
        if (wrong_thread0 || wrong_stack0)
            finish("thread0 (ran as the wrong thread)");
        if (counter0 > MIN_ITERATIONS && counter1 > MIN_ITERATIONS &&
            sched_switches >= MIN_SWITCHES && svc102_done &&
            now - start_us >= MIN_ELAPSED_US)
            finish("thread0 (done)");
        if (now - start_us > GIVE_UP_US || systick_ticks > GIVE_UP_TICKS)
            finish("thread0 (gave up)");
    }
}

static void check_priority_bits(void)
{
    /* PendSV priority byte: only the top 4 bits are implemented. */
    MVEMU_REG8(0xE000ED22u) = 0xFFu;
    CHECK_EQ(MVEMU_REG8(0xE000ED22u), 0xF0u);
    /* SVCall byte (top of SHPR2), as newer FreeRTOS kernels probe it. */
    uint32_t shpr2 = MVEMU_REG32(MVEMU_SCB_SHPR2);
    MVEMU_REG32(MVEMU_SCB_SHPR2) = 0xFF000000u;
    CHECK_EQ(MVEMU_REG32(MVEMU_SCB_SHPR2) >> 24, 0xF0u);
    MVEMU_REG32(MVEMU_SCB_SHPR2) = shpr2;
    /* A device interrupt's priority byte (TIM1_BRK, IRQ 41). */
    MVEMU_REG8(MVEMU_NVIC_IPR0 + 41u) = 0xFFu;
    CHECK_EQ(MVEMU_REG8(MVEMU_NVIC_IPR0 + 41u), 0xF0u);
    MVEMU_REG8(MVEMU_NVIC_IPR0 + 41u) = 0x5Au;
    CHECK_EQ(MVEMU_REG8(MVEMU_NVIC_IPR0 + 41u), 0x50u);
    CHECK_EQ(mv_nvic_get_priority(41), 5u);
    MVEMU_REG8(MVEMU_NVIC_IPR0 + 41u) = 0;

    /* PRIGROUP = 3 (HAL_NVIC_SetPriorityGrouping(NVIC_PRIORITYGROUP_4)). */
    MVEMU_REG32(MVEMU_SCB_AIRCR) = MVEMU_SCB_AIRCR_VECTKEY |
                                   (3u << MVEMU_SCB_AIRCR_PRIGROUP_SHIFT);
    uint32_t aircr = MVEMU_REG32(MVEMU_SCB_AIRCR);
    CHECK_EQ((aircr & MVEMU_SCB_AIRCR_PRIGROUP_MASK) >> MVEMU_SCB_AIRCR_PRIGROUP_SHIFT, 3u);
    CHECK_EQ(aircr >> 16, 0xFA05u);          /* VECTKEYSTAT */
    /* Without the key the write is ignored. */
    MVEMU_REG32(MVEMU_SCB_AIRCR) = 5u << MVEMU_SCB_AIRCR_PRIGROUP_SHIFT;
    aircr = MVEMU_REG32(MVEMU_SCB_AIRCR);
    CHECK_EQ((aircr & MVEMU_SCB_AIRCR_PRIGROUP_MASK) >> MVEMU_SCB_AIRCR_PRIGROUP_SHIFT, 3u);
}

int main(void)
{
    mvtest_begin("threads");
    check_priority_bits();

    uint32_t hclk = 0;
    CHECK_STATUS(mvGetHClk(&hclk), MV_STATUS_OKAY);
    CHECK(hclk >= 1000000u);
    uint32_t reload = hclk / 1000u - 1u;
    CHECK(reload <= 0x00FFFFFFu);
    mvtest_log("hclk=%lu reload=%lu", (unsigned long)hclk, (unsigned long)reload);

    fwsched_init_thread(0, stack0, STACK_WORDS, thread0, thread_exit_trap);
    fwsched_init_thread(1, stack1, STACK_WORDS, thread1, thread_exit_trap);

    /* PendSV and SysTick at the lowest priority (configKERNEL_INTERRUPT_PRIORITY). */
    mv_nvic_set_priority(-2, 15);   /* PendSV */
    mv_nvic_set_priority(-1, 15);   /* SysTick */
    CHECK_EQ(mv_nvic_get_priority(-2), 15u);
    CHECK_EQ(mv_nvic_get_priority(-1), 15u);

    /* vPortSetupTimerInterrupt */
    MVEMU_REG32(MVEMU_SYST_CSR) = 0;
    MVEMU_REG32(MVEMU_SYST_CVR) = 0;
    MVEMU_REG32(MVEMU_SYST_RVR) = reload;
    CHECK_EQ(MVEMU_REG32(MVEMU_SYST_RVR), reload);
    MVEMU_REG32(MVEMU_SYST_CSR) = MVEMU_SYST_CSR_CLKSOURCE |
                                  MVEMU_SYST_CSR_TICKINT |
                                  MVEMU_SYST_CSR_ENABLE;

    start_us = fw_micros();

    fwsched_launch();

    /* Only reached if the SVC did not start the scheduler. */
    mvtest_log("svc #2 returned to main: svc_entries=%lu",
               (unsigned long)svc_entries);
    CHECK(0);
    mvtest_end();
}
