/*
 * Wiring of I2C devices' output pins to the board's GPIO inputs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MVEMU_PIN_WIRING_H
#define HW_MVEMU_PIN_WIRING_H

#include "stm32u585_soc.h"

/*
 * For every device on @soc's I2C buses with a named GPIO output NAME and a
 * string property "NAME-pin" (e.g. mcp9808's "alert" and "alert-pin=PB2"),
 * connect the output to that GPIO pin's input.
 */
bool mvemu_wire_i2c_device_pins(STM32U585SocState *soc, Error **errp);

#endif
