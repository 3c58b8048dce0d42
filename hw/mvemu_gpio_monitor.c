/*
 * GPIO pins of the microvisor-stm32u585 machine in the monitor (schema in
 * qapi/mvemu.json, qemu-patches/0007): a user or a test presses a button
 * on PC13 with mvemu-gpio-set and watches PA5 with query-mvemu-gpio or the
 * MVEMU_GPIO_OUTPUT event. With the machine's trace-gpio property each
 * output change is also a console line ("[t] GPIO: PA5 1").
 *
 * The pins are QEMU's STM32L4x5 GPIO model: driving a pin is its GPIO
 * input line, releasing it is its disconnected-pins property, and the SoC
 * reports every pin's level change on its "pin-level" outputs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/qapi-commands-mvemu.h"
#include "qapi/qapi-events-mvemu.h"
#include "qobject/qdict.h"
#include "qemu/cutils.h"
#include "qemu/timer.h"
#include "hw/irq.h"
#include "monitor/hmp.h"
#include "monitor/monitor.h"
#include "mvemu_board_input.h"
#include "mvemu_console.h"
#include "mvemu_gpio_monitor.h"

#define PINS_PER_PORT 16

static MvemuGpioMode pin_mode(Stm32l4x5GpioState *gpio, int pin)
{
    static const MvemuGpioMode modes[] = {
        MVEMU_GPIO_MODE_INPUT, MVEMU_GPIO_MODE_OUTPUT,
        MVEMU_GPIO_MODE_ALTERNATE, MVEMU_GPIO_MODE_ANALOG,
    };

    return modes[extract32(gpio->moder, pin * 2, 2)];
}

static char *pin_name(int port, int pin)
{
    return g_strdup_printf("P%c%d", 'A' + port, pin);
}

bool mvemu_gpio_parse_pin(const char *name, int *port, int *pin)
{
    unsigned long number;
    const char *digits;

    if (name[0] == 'P' || name[0] == 'p') {
        name++;
    }
    *port = g_ascii_toupper(name[0]) - 'A';
    digits = name + 1;
    if (*port < 0 || *port >= STM32U585_NUM_GPIO || !g_ascii_isdigit(*digits)) {
        return false;
    }
    if (qemu_strtoul(digits, NULL, 10, &number) < 0 ||
        number >= PINS_PER_PORT) {
        return false;
    }
    *pin = number;
    return true;
}

static void pin_changed(void *opaque, int n, int level)
{
    MvemuGpioMonitor *m = opaque;
    int port = n / PINS_PER_PORT, pin = n % PINS_PER_PORT;
    g_autofree char *name = NULL;

    if (pin_mode(&m->soc->gpio[port], pin) != MVEMU_GPIO_MODE_OUTPUT) {
        return;
    }
    name = pin_name(port, pin);
    qapi_event_send_mvemu_gpio_output(name, level,
                                      qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    if (m->print_changes) {
        mvemu_console_printf("GPIO", "%s %d", name, !!level);
    }
}

void mvemu_gpio_monitor_init(MvemuGpioMonitor *m, STM32U585SocState *soc,
                             bool print_changes)
{
    int count = STM32U585_NUM_GPIO * PINS_PER_PORT;

    m->soc = soc;
    m->print_changes = print_changes;
    m->pin_watch = qemu_allocate_irqs(pin_changed, m, count);
    for (int n = 0; n < count; n++) {
        qdev_connect_gpio_out_named(DEVICE(soc), "pin-level", n,
                                    m->pin_watch[n]);
    }
}

static MvemuGpioMonitor *monitor_or_error(Error **errp)
{
    MvemuGpioMonitor *m = mvemu_machine_gpio_monitor();

    if (!m || !m->soc) {
        error_setg(errp, "not a microvisor-stm32u585 machine");
        return NULL;
    }
    return m;
}

static MvemuGpioDrive pin_drive(Stm32l4x5GpioState *gpio, int pin)
{
    if (extract32(gpio->disconnected_pins, pin, 1)) {
        return MVEMU_GPIO_DRIVE_RELEASED;
    }
    return extract32(gpio->pins_connected_high, pin, 1) ?
           MVEMU_GPIO_DRIVE_HIGH : MVEMU_GPIO_DRIVE_LOW;
}

MvemuGpioPinList *qmp_query_mvemu_gpio(const char *port_name, Error **errp)
{
    MvemuGpioMonitor *m = monitor_or_error(errp);
    MvemuGpioPinList *head = NULL, **tail = &head;
    int first = 0, last = STM32U585_NUM_GPIO - 1;

    if (!m) {
        return NULL;
    }
    if (port_name) {
        int c = g_ascii_toupper(port_name[0]) - 'A';

        if (c < 0 || c >= STM32U585_NUM_GPIO || port_name[1]) {
            error_setg(errp, "no GPIO port '%s' (A to I)", port_name);
            return NULL;
        }
        first = last = c;
    }
    for (int port = first; port <= last; port++) {
        Stm32l4x5GpioState *gpio = &m->soc->gpio[port];

        for (int pin = 0; pin < PINS_PER_PORT; pin++) {
            MvemuGpioPin *info = g_new0(MvemuGpioPin, 1);

            info->pin = pin_name(port, pin);
            info->mode = pin_mode(gpio, pin);
            info->level = extract32(gpio->idr, pin, 1);
            info->output = extract32(gpio->odr, pin, 1);
            info->drive = pin_drive(gpio, pin);
            QAPI_LIST_APPEND(tail, info);
        }
    }
    return head;
}

typedef struct GpioSet {
    MvemuGpioMonitor *m;
    const char *name;
    int port, pin;
    MvemuGpioDrive drive;
} GpioSet;

static void gpio_set(void *opaque, Error **errp)
{
    GpioSet *set = opaque;
    Stm32l4x5GpioState *gpio = &set->m->soc->gpio[set->port];
    int pin = set->pin;
    bool push_pull;

    if (set->drive == MVEMU_GPIO_DRIVE_RELEASED) {
        object_property_set_uint(OBJECT(gpio), "disconnected-pins",
                                 gpio->disconnected_pins | BIT(pin), errp);
        return;
    }
    /* The model, like the chip, refuses to fight a push-pull output. */
    push_pull = !extract32(gpio->otyper, pin, 1);
    if (pin_mode(gpio, pin) == MVEMU_GPIO_MODE_OUTPUT &&
        (push_pull || set->drive == MVEMU_GPIO_DRIVE_HIGH)) {
        error_setg(errp, "%s is an output the firmware drives", set->name);
        return;
    }
    qemu_set_irq(qdev_get_gpio_in(DEVICE(gpio), pin),
                 set->drive == MVEMU_GPIO_DRIVE_HIGH);
}

static bool gpio_set_parse(MvemuGpioMonitor *m, const char *pin_name_arg,
                           MvemuGpioDrive drive, GpioSet *set, Error **errp)
{
    *set = (GpioSet) { m, pin_name_arg, 0, 0, drive };
    if (!mvemu_gpio_parse_pin(pin_name_arg, &set->port, &set->pin)) {
        error_setg(errp, "no GPIO pin '%s' (PA0 to PI15)", pin_name_arg);
        return false;
    }
    return true;
}

void qmp_mvemu_gpio_set(const char *pin_name_arg, MvemuGpioDrive drive,
                        Error **errp)
{
    MvemuGpioMonitor *m = monitor_or_error(errp);
    g_autofree char *description = NULL;
    GpioSet set;

    if (!m || !gpio_set_parse(m, pin_name_arg, drive, &set, errp)) {
        return;
    }
    description = g_strdup_printf("gpio-set %s %s", pin_name_arg,
                                  MvemuGpioDrive_str(drive));
    mvemu_board_input(description, gpio_set, &set, errp);
}

bool mvemu_gpio_replay_set(const char *args)
{
    MvemuGpioMonitor *m = mvemu_machine_gpio_monitor();
    g_auto(GStrv) words = g_strsplit(args, " ", 3);
    Error *err = NULL;
    GpioSet set;
    int drive;

    if (!m || !m->soc || g_strv_length(words) != 2) {
        return false;
    }
    drive = qapi_enum_parse(&MvemuGpioDrive_lookup, words[1], -1, NULL);
    if (drive < 0 || !gpio_set_parse(m, words[0], drive, &set, &err)) {
        error_free(err);
        return false;
    }
    gpio_set(&set, &err);
    if (err) {
        error_free(err);
        return false;
    }
    return true;
}

void hmp_mvemu_gpio(Monitor *mon, const QDict *qdict)
{
    const char *pin = qdict_get_str(qdict, "pin");
    const char *drive_name = qdict_get_str(qdict, "drive");
    Error *err = NULL;
    int drive = qapi_enum_parse(&MvemuGpioDrive_lookup, drive_name, -1, NULL);

    if (drive < 0) {
        monitor_printf(mon, "Expected 'low', 'high' or 'released'\n");
        return;
    }
    qmp_mvemu_gpio_set(pin, drive, &err);
    hmp_handle_error(mon, err);
}

void hmp_info_mvemu_gpio(Monitor *mon, const QDict *qdict)
{
    Error *err = NULL;
    g_autoptr(MvemuGpioPinList) pins =
        qmp_query_mvemu_gpio(qdict_get_try_str(qdict, "port"), &err);

    if (hmp_handle_error(mon, err)) {
        return;
    }
    for (MvemuGpioPinList *p = pins; p; p = p->next) {
        MvemuGpioPin *info = p->value;

        if (info->mode == MVEMU_GPIO_MODE_ANALOG &&
            info->drive == MVEMU_GPIO_DRIVE_RELEASED) {
            continue;
        }
        monitor_printf(mon, "%-5s %-9s level %d  odr %d  %s\n", info->pin,
                       MvemuGpioMode_str(info->mode), info->level,
                       info->output,
                       info->drive == MVEMU_GPIO_DRIVE_RELEASED ? "" :
                       MvemuGpioDrive_str(info->drive));
    }
}
