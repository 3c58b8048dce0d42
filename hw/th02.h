/*
 * Seeed TH02 humidity and temperature sensor (I2C).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MVEMU_TH02_H
#define HW_MVEMU_TH02_H

#define TYPE_TH02 "th02"

#endif
