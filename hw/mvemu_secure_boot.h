/* The secure boot stage image, assembled from hw/secure-boot/boot.S at build time. */
#ifndef HW_MVEMU_SECURE_BOOT_H
#define HW_MVEMU_SECURE_BOOT_H

#define MVEMU_SECURE_BOOT_BASE 0x0C100000u
#define MVEMU_SECURE_BOOT_MAX  0x4000u
/* SVC immediates boot.S raises to report a fault to the host. */
#define MVEMU_SVC_REPORT_SECUREFAULT 0xFFu
#define MVEMU_SVC_REPORT_HARDFAULT   0xFEu

extern const uint8_t mvemu_secure_boot_image[];
extern const size_t mvemu_secure_boot_image_size;

#endif
