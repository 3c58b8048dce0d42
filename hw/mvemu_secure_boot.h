/*
 * The secure boot stage image, assembled from secure-boot/boot.S at build
 * time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MVEMU_SECURE_BOOT_H
#define HW_MVEMU_SECURE_BOOT_H

extern const uint8_t mvemu_secure_boot_image[];
extern const size_t mvemu_secure_boot_image_size;

#endif
