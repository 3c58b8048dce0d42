/*
 * A two-thread preemptive scheduler built the way FreeRTOS's ARM_CM33_NTZ
 * port works (threads on the PSP, PendSV switches, the first thread started
 * from the firmware's own `svc #2`), for firmware tests that run like an
 * RTOS application. The test provides SysTick_Handler (calling
 * fwsched_tick) and SVC_Handler (calling fwsched_svc_start for svc #2).
 */
#ifndef MVEMU_FWSCHED_H
#define MVEMU_FWSCHED_H

#include <stdint.h>

/* Return to Non-secure Thread mode on the PSP, standard (integer) frame. */
#define FWSCHED_EXC_RETURN_THREAD_PSP 0xFFFFFFBCu

/* Scheduler state; PendSV (assembly, fwsched.c) uses the first four. */
extern uint32_t sched_sp[2];                   /* saved PSP of each thread */
extern volatile uint32_t sched_current;        /* the running thread */
extern volatile uint32_t sched_switches;       /* PendSV context switches */
extern volatile uint32_t sched_secure_preemptions; /* switched out with EXC_RETURN.S = 1 */
extern volatile uint32_t sched_running;

/* Lay out thread @index's stack as PendSV leaves a switched-out thread. */
void fwsched_init_thread(unsigned index, uint32_t *stack, uint32_t words, void (*entry)(void),
                         void (*exit_trap)(void));
/* From SVC_Handler on `svc #2`: start thread 0; returns the EXC_RETURN to use. */
uint32_t fwsched_svc_start(void);
/* SysTick at 1 kHz from HCLK and PendSV at the lowest priority, then `svc #2`. */
void fwsched_start(uint32_t hclk_hz);
/* Enable interrupts and raise `svc #2` (vStartFirstTask), SysTick set up. */
void fwsched_launch(void);
/* Provided by the test: SVC_Handler (fwsched.c) calls it with the stacked
 * exception frame and EXC_RETURN; it returns the EXC_RETURN to leave with. */
uint32_t svc_dispatch(uint32_t *frame, uint32_t exc_return);
/* From SysTick_Handler: ask for a switch (when the scheduler runs). */
void fwsched_tick(void);
/* Give the CPU to the other thread now (taskYIELD). */
void fwsched_yield(void);

#endif
