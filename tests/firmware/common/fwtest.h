/*
 * Helpers shared by the firmware tests (on top of guest-sdk/testlib/mvtest.h).
 */
#ifndef MVEMU_FWTEST_H
#define MVEMU_FWTEST_H

#include <stdint.h>

#include "mv_syscalls.h"
#include "mvemu_cm33.h"
#include "mvtest.h"
#include "stm32u585_irq.h"

/* Addresses the application must not be able to use as buffers. */
#define FW_SECURE_SRAM      0x30000000u  /* Secure alias of SRAM */
#define FW_UNMAPPED         0xA0000000u  /* nothing there */
#define FW_APP_FLASH        0x08000000u  /* readable, never writable */
#define FW_BEYOND_APP_RAM   0x20080000u  /* SRAM Microvisor keeps for itself */
#define FW_SECURE_FLASH     0x0C000000u

/* A ring of notification records with an ISR that consumes one record per
 * interrupt, the way every demo application does. */
typedef struct FwCenter {
    volatile struct MvNotification *records;
    uint32_t slots;
    uint32_t irq;
    volatile uint32_t read_index;
    volatile uint32_t received;
    volatile uint32_t last_type;
    volatile uint32_t last_tag;
    MvNotificationHandle handle;
} FwCenter;

/* Set up a center on `irq` with `slots` records at `records` (8-aligned). */
enum MvStatus fw_center_open(FwCenter *c, volatile struct MvNotification *records,
                             uint32_t slots, uint32_t irq);
/* Call from the IRQ handler: consume the record at the read index. */
void fw_center_isr(FwCenter *c);
/* Spin (bounded by virtual time) until `count` records were received. */
int fw_center_wait(FwCenter *c, uint32_t count, uint32_t timeout_us);

uint64_t fw_micros(void);

#endif
