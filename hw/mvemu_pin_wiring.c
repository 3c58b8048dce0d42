/*
 * The board's wiring of sensor interrupt outputs (an MCP9808's ALERT, a
 * LIS3DH's INT1) to GPIO inputs, chosen by the user on the device:
 *
 *     -device mcp9808,bus=i2c1,address=0x18,alert-pin=PB2
 *
 * Devices given with -device exist only once the machine is created, so
 * the machine calls this from its machine-init-done notifier.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/qdev-core.h"
#include "mvemu_gpio_monitor.h"
#include "mvemu_pin_wiring.h"

static bool wire_device_pins(STM32U585SocState *soc, DeviceState *dev,
                             Error **errp)
{
    NamedGPIOList *ngl;

    QLIST_FOREACH(ngl, &dev->gpios, node) {
        g_autofree char *prop = NULL;
        g_autofree char *pin_name = NULL;
        int port, pin;

        if (!ngl->name || !ngl->num_out) {
            continue;
        }
        prop = g_strdup_printf("%s-pin", ngl->name);
        if (!object_property_find(OBJECT(dev), prop)) {
            continue;
        }
        pin_name = object_property_get_str(OBJECT(dev), prop, errp);
        if (!pin_name) {
            return false;
        }
        if (!*pin_name) {
            continue;
        }
        if (!mvemu_gpio_parse_pin(pin_name, &port, &pin)) {
            error_setg(errp, "%s: %s=%s is not a GPIO pin (PA0 to PI15)",
                       object_get_typename(OBJECT(dev)), prop, pin_name);
            return false;
        }
        qdev_connect_gpio_out_named(dev, ngl->name, 0,
                                    qdev_get_gpio_in(DEVICE(&soc->gpio[port]),
                                                     pin));
    }
    return true;
}

bool mvemu_wire_i2c_device_pins(STM32U585SocState *soc, Error **errp)
{
    for (int i = 0; i < STM32U585_NUM_I2C; i++) {
        BusState *bus = BUS(soc->i2c[i].bus);
        BusChild *kid;

        QTAILQ_FOREACH(kid, &bus->children, sibling) {
            if (!wire_device_pins(soc, kid->child, errp)) {
                return false;
            }
        }
    }
    return true;
}
