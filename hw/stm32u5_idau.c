/*
 * STM32U5 IDAU: Secure/Non-secure attribution by address alias.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qom/object.h"
#include "target/arm/idau.h"
#include "stm32u5_idau.h"
#include "stm32u585_map.h"
#include "trace.h"

/* Secure aliases of the STM32U5 memory map, as [base, end) ranges. */
typedef struct IdauRegion {
    uint32_t base;
    uint32_t end;
    int number; /* reported by the TT instruction */
} IdauRegion;

static const IdauRegion secure_regions[] = {
    { MVEMU_FLASH_S_BASE, 0x10000000u, 1 }, /* flash, Secure alias */
    { 0x10000000u, 0x20000000u, 2 }, /* system memory / OTP */
    { MVEMU_SRAM_S_BASE, 0x40000000u, 3 }, /* SRAM, Secure alias */
    { MVEMU_PERIPH_S_BASE, MVEMU_PERIPH_S_BASE + MVEMU_PERIPH_SIZE, 4 },
    { 0x70000000u, 0x80000000u, 5 }, /* external memory, Secure alias */
    { 0x90000000u, 0xA0000000u, 6 },
};

static void stm32u5_idau_check(IDAUInterface *ii, uint32_t address,
                               int *iregion, bool *exempt, bool *ns, bool *nsc)
{
    STM32U5IdauState *s = STM32U5_IDAU(ii);

    *exempt = false;
    *ns = true;
    *nsc = false;
    *iregion = IREGION_NOTVALID;
    for (size_t i = 0; i < ARRAY_SIZE(secure_regions); i++) {
        if (address >= secure_regions[i].base &&
            address < secure_regions[i].end) {
            *ns = false;
            *iregion = secure_regions[i].number;
            *nsc = address >= s->nsc_base &&
                   address - s->nsc_base < s->nsc_size;
            break;
        }
    }
    trace_stm32u5_idau_check(address, *ns, *nsc);
}

static void stm32u5_idau_init(Object *obj)
{
    STM32U5IdauState *s = STM32U5_IDAU(obj);

    s->nsc_base = MVEMU_VENEER_BASE;
    s->nsc_size = MVEMU_NSC_REGION_SIZE;
}

static void stm32u5_idau_class_init(ObjectClass *oc, void *data)
{
    IDAUInterfaceClass *iic = IDAU_INTERFACE_CLASS(oc);

    iic->check = stm32u5_idau_check;
}

static const TypeInfo stm32u5_idau_info = {
    .name = TYPE_STM32U5_IDAU,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(STM32U5IdauState),
    .instance_init = stm32u5_idau_init,
    .class_init = stm32u5_idau_class_init,
    .interfaces = (InterfaceInfo[]) {
        { TYPE_IDAU_INTERFACE },
        { }
    },
};

static void stm32u5_idau_register_types(void)
{
    type_register_static(&stm32u5_idau_info);
}

type_init(stm32u5_idau_register_types)
