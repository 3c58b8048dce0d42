/*
 * Microchip MCP9808 digital temperature sensor (I2C).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MVEMU_MCP9808_H
#define HW_MVEMU_MCP9808_H

#define TYPE_MCP9808 "mcp9808"

#endif
