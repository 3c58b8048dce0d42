/*
 * A KORE-style idle FreeRTOS device for the fleet measurement
 * (docs/benchmarks.md "Fleet"): a 1 kHz tick, an application task that
 * sleeps a second at a time (vTaskDelay) and logs every 10 s with the
 * ticks counted, and an idle task that spins, as FreeRTOS's does with
 * configUSE_IDLE_HOOK 0 and configUSE_TICKLESS_IDLE 0: no WFI anywhere.
 * The two tasks switch on the PSP through PendSV (tests/firmware/common/
 * fwsched.c, built like FreeRTOS's ARM_CM33_NTZ port). Runs until stopped.
 */
#include <stdio.h>
#include <string.h>

#include "fwsched.h"
#include "mv_syscalls.h"
#include "mvemu_cm33.h"

#define STACK_WORDS 512u
#define APP 0u
#define IDLE 1u

static uint32_t app_stack[STACK_WORDS] __attribute__((aligned(8)));
static uint32_t idle_stack[STACK_WORDS] __attribute__((aligned(8)));
static uint8_t log_buffer[512] __attribute__((aligned(512)));

static volatile uint32_t ticks;
static volatile uint32_t app_wake_tick;   /* the app is blocked until then */
static volatile uint32_t app_blocked;
static volatile uint32_t ready_tasks = 2; /* uxCurrentNumberOfTasks ready */
static volatile uint32_t deleted_waiting; /* uxDeletedTasksWaitingCleanUp */
static uint64_t tick_start_us;            /* virtual time the tick started */

void SysTick_Handler(void)
{
    ticks++;
    /* xTaskIncrementTick: unblock the app when its delay is over. */
    if (app_blocked && ticks >= app_wake_tick) {
        app_blocked = 0;
        ready_tasks++;
        if (sched_current == IDLE)
            fwsched_yield();
    }
}

uint32_t svc_dispatch(uint32_t *frame, uint32_t exc_return)
{
    (void)frame;
    return sched_running ? exc_return : fwsched_svc_start();
}

static void task_delay(uint32_t ms)
{
    mv_disable_irq();
    app_wake_tick = ticks + ms;
    app_blocked = 1;
    ready_tasks--;
    mv_enable_irq();
    fwsched_yield();
    while (app_blocked) /* woken early: only by our own tick */
        fwsched_yield();
}

static void log_line(const char *text)
{
    (void)mvServerLog((const uint8_t *)text, (uint16_t)strlen(text));
}

static void app_task(void)
{
    uint32_t seconds = 0;

    char first[64];
    snprintf(first, sizeof first, "idle-rtos: ticks=0 at %lu us", (unsigned long)tick_start_us);
    log_line(first);
    for (;;) {
        task_delay(1000u);
        if (++seconds % 10u == 0) {
            uint64_t us = 0;
            char line[64];
            (void)mvGetMicroseconds(&us);
            snprintf(line, sizeof line, "idle-rtos: ticks=%lu at %lu us", (unsigned long)ticks,
                     (unsigned long)us);
            log_line(line);
        }
    }
}

/* prvIdleTask with preemption and configIDLE_SHOULD_YIELD 1. */
static void idle_task(void)
{
    for (;;) {
        while (deleted_waiting)
            deleted_waiting--;
        if (ready_tasks > 1u && !app_blocked)
            fwsched_yield();
    }
}

static void task_returned(void)
{
    for (;;)
        ;
}

int main(void)
{
    uint32_t hz = 160000000u;

    (void)mvServerLoggingInit(log_buffer, sizeof log_buffer);
    (void)mvGetSysClk(&hz);
    fwsched_init_thread(APP, app_stack, STACK_WORDS, app_task, task_returned);
    fwsched_init_thread(IDLE, idle_stack, STACK_WORDS, idle_task, task_returned);
    (void)mvGetMicroseconds(&tick_start_us);
    fwsched_start(hz);
    return 0;
}
