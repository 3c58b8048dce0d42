/*
 * The fault kinds the secure boot stage (secure-boot/boot.S) writes to the
 * board's fault-report KIND register. Included by assembly too.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MVEMU_FAULT_REPORT_H
#define HW_MVEMU_FAULT_REPORT_H

#define MVEMU_FAULT_SECUREFAULT 1
#define MVEMU_FAULT_HARDFAULT   2
#define MVEMU_FAULT_OTHER       3   /* any other Secure exception */

#endif
