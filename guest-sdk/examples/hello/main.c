/*
 * hello - smallest useful mvemu firmware.
 *
 * Never touches the network. It logs the device identity, clocks and
 * uptime through server logging, then proves the notification path end to
 * end: it creates a notification center on TIM8_BRK, has Microvisor inject
 * one record with mvTempTriggerNotification, and waits for its ISR to see
 * that record.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvemu_cm33.h"
#include "stm32u585_irq.h"

#define NOTIFY_IRQ      TIM8_BRK_IRQn   /* 51 */
#define NOTIFY_RECORDS  8u
#define NOTIFY_TAG      0x1234u
#define NOTIFY_TYPE     ((enum MvEventType)1)

/* Server logging wants a 512-byte aligned buffer, a multiple of 512 long. */
static uint8_t log_buffer[4096] __attribute__((aligned(512)));

/* Microvisor writes records here; the ISR consumes them in ring order. */
static volatile struct MvNotification notify_buffer[NOTIFY_RECORDS]
    __attribute__((aligned(8)));
static volatile uint32_t notify_read_index;
static volatile uint32_t notify_seen;      /* records with our tag/type */
static volatile uint32_t notify_entries;   /* ISR entries */

static void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void log_line(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof line)
        n = (int)(sizeof line - 1);
    (void)mvServerLog((const uint8_t *)line, (uint16_t)n);
}

/*
 * One record per entry, as Microvisor pends the IRQ once per record. The
 * consumed slot gets event_type NOEVENT so stale slots are recognisable.
 */
void TIM8_BRK_IRQHandler(void)
{
    volatile struct MvNotification *rec = &notify_buffer[notify_read_index];

    notify_entries++;
    if (rec->tag == NOTIFY_TAG && rec->event_type == NOTIFY_TYPE)
        notify_seen++;
    rec->event_type = MV_EVENTTYPE_NOEVENT;
    notify_read_index = (notify_read_index + 1u) % NOTIFY_RECORDS;
}

static uint64_t now_us(void)
{
    uint64_t t = 0;
    (void)mvGetMicroseconds(&t);
    return t;
}

int main(void)
{
    char device_id[35];
    uint32_t sysclk = 0, hclk = 0;
    enum MvStatus st;

    (void)mvServerLoggingInit(log_buffer, sizeof log_buffer);

    /* 34 ASCII characters, not NUL-terminated by Microvisor. */
    memset(device_id, 0, sizeof device_id);
    st = mvGetDeviceId((uint8_t *)device_id, 34);
    if (st != MV_STATUS_OKAY)
        strcpy(device_id, "(unknown)");
    log_line("hello from %s", device_id);

    (void)mvGetSysClk(&sysclk);
    (void)mvGetHClk(&hclk);
    log_line("sysclk=%lu Hz hclk=%lu Hz",
             (unsigned long)sysclk, (unsigned long)hclk);

    /* nano printf has no %llu; milliseconds fit in 32 bits for ~49 days. */
    log_line("uptime=%lu ms", (unsigned long)(now_us() / 1000u));

    /* Fill with 0xFF first so slots Microvisor never wrote stand out. */
    memset((void *)notify_buffer, 0xFF, sizeof notify_buffer);

    struct MvNotificationSetup setup;
    MvNotificationHandle center = 0;
    setup.irq = (uint32_t)NOTIFY_IRQ;
    setup.buffer = (struct MvNotification *)notify_buffer;
    setup.buffer_size = sizeof notify_buffer;
    st = mvSetupNotifications(&setup, &center);
    log_line("mvSetupNotifications -> %lu handle=0x%08lx",
             (unsigned long)st, (unsigned long)center);

    /* Microvisor leaves the NVIC line alone: clear, then enable it. */
    mv_nvic_clear_pending(NOTIFY_IRQ);
    mv_nvic_enable_irq(NOTIFY_IRQ);
    mv_enable_irq();

    st = mvTempTriggerNotification(center, NOTIFY_TYPE, NOTIFY_TAG);
    log_line("mvTempTriggerNotification -> %lu", (unsigned long)st);

    /*
     * Poll rather than WFI: the record may arrive between a check and the
     * WFI, and nothing else would wake us. Bounded by time and by count in
     * case the clock does not move.
     */
    uint64_t deadline = now_us() + 1000000u;
    for (uint32_t spins = 0; !notify_seen && spins < 1000000u; spins++) {
        if (now_us() > deadline)
            break;
    }

    if (notify_seen)
        log_line("notification received: tag=0x%lx isr_entries=%lu",
                 (unsigned long)NOTIFY_TAG, (unsigned long)notify_entries);
    else
        log_line("notification NOT received (isr_entries=%lu)",
                 (unsigned long)notify_entries);

    log_line("hello done");

    /* Under mvemu (application-test mode) this ends the run with a pass, so a
     * headless boot returns; on a device outside test mode it is UNAVAILABLE
     * and the application idles instead. */
    mvTestingComplete(0);
    for (;;)
        mv_wfi();
}
