/*
 * STM32U5 implementation-defined attribution unit (IDAU).
 *
 * The STM32U5 marks every address as Secure or Non-secure by its alias (for
 * example flash at 0x08000000 is Non-secure, the same flash at 0x0C000000 is
 * Secure). Microvisor's veneer page is the one Non-secure-callable area.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MVEMU_STM32U5_IDAU_H
#define HW_MVEMU_STM32U5_IDAU_H

#include "qom/object.h"

#define TYPE_STM32U5_IDAU "stm32u5-idau"
OBJECT_DECLARE_SIMPLE_TYPE(STM32U5IdauState, STM32U5_IDAU)

struct STM32U5IdauState {
    Object parent_obj;
    uint32_t nsc_base; /* Non-secure-callable window (the veneer page) */
    uint32_t nsc_size;
};

#endif
