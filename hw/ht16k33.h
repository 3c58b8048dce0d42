/*
 * Holtek HT16K33 LED controller driver (I2C).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MVEMU_HT16K33_H
#define HW_MVEMU_HT16K33_H

#define TYPE_HT16K33 "ht16k33"

#endif
