/*
 * ST LIS3DH 3-axis accelerometer (I2C).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MVEMU_LIS3DH_H
#define HW_MVEMU_LIS3DH_H

#define TYPE_LIS3DH "lis3dh"

#endif
