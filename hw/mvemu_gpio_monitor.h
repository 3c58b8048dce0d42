/*
 * The GPIO pins of the microvisor-stm32u585 machine as the monitor sees
 * them: query and drive pins (query-mvemu-gpio, mvemu-gpio-set), an event
 * for each output change (MVEMU_GPIO_OUTPUT) and, when asked, a console
 * line for each.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MVEMU_GPIO_MONITOR_H
#define HW_MVEMU_GPIO_MONITOR_H

#include "stm32u585_soc.h"

typedef struct MvemuGpioMonitor {
    STM32U585SocState *soc;
    qemu_irq *pin_watch;        /* one per port pin, from the SoC's pin-level */
    bool print_changes;         /* the machine's trace-gpio property */
} MvemuGpioMonitor;

/* Watch @soc's pins (after it is realized). */
void mvemu_gpio_monitor_init(MvemuGpioMonitor *m, STM32U585SocState *soc,
                             bool print_changes);

/* The machine's monitor, or NULL on another machine (microvisor_stm32u585.c) */
MvemuGpioMonitor *mvemu_machine_gpio_monitor(void);

/*
 * Parse a pin name: "PC13", "pc13" or "C13" into @port (0 = A) and @pin.
 * Returns false for anything else.
 */
bool mvemu_gpio_parse_pin(const char *name, int *port, int *pin);

/* Replay a recorded "PIN DRIVE" of mvemu-gpio-set; false if it cannot. */
bool mvemu_gpio_replay_set(const char *args);

#endif
