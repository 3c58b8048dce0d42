/*
 * Register maps of the STM32U5 peripheral models, kept as tables:
 * one row per register with its name, reset value and writable bits.
 */
#ifndef HW_MVEMU_STM32U5_REGTABLE_H
#define HW_MVEMU_STM32U5_REGTABLE_H

typedef struct STM32U5RegInfo {
    hwaddr offset;
    const char *name;
    uint32_t reset;     /* reset value */
    uint32_t wmask;     /* bits a (secure) write may change; 0: write ignored */
} STM32U5RegInfo;

/* A row for register `reg` declared with REG32() from hw/registerfields.h. */
#define STM32U5_REG(reg, rst, wm) { A_##reg, #reg, (rst), (wm) }

static inline const STM32U5RegInfo *stm32u5_reg_find(const STM32U5RegInfo *table,
                                                     size_t count,
                                                     hwaddr offset)
{
    for (size_t i = 0; i < count; i++) {
        if (table[i].offset == offset) {
            return &table[i];
        }
    }
    return NULL;
}

#endif
