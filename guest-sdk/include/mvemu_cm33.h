/*
 * mvemu_cm33.h - minimal Cortex-M33 core access for mvemu guest firmware.
 *
 * CMSIS is not available in this build, and firmware that does bring CMSIS
 * must still be able to include this file, so every name here carries an
 * MVEMU_ or mv_ prefix. The application runs in the non-secure state; the
 * addresses below are the architectural System Control Space locations,
 * which a non-secure access sees as its own (banked) copy of each block.
 */
#ifndef MVEMU_CM33_H
#define MVEMU_CM33_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MVEMU_REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
#define MVEMU_REG8(addr)  (*(volatile uint8_t *)(uintptr_t)(addr))

/* SysTick */
#define MVEMU_SYST_CSR      0xE000E010u  /* control and status */
#define MVEMU_SYST_RVR      0xE000E014u  /* reload value (24 bits) */
#define MVEMU_SYST_CVR      0xE000E018u  /* current value */
#define MVEMU_SYST_CALIB    0xE000E01Cu  /* calibration */
#define MVEMU_SYST_CSR_ENABLE    (1u << 0)
#define MVEMU_SYST_CSR_TICKINT   (1u << 1)
#define MVEMU_SYST_CSR_CLKSOURCE (1u << 2)   /* 1 = processor clock */
#define MVEMU_SYST_CSR_COUNTFLAG (1u << 16)

/* NVIC: one bit per line in 32-line banks, one priority byte per line */
#define MVEMU_NVIC_ISER0    0xE000E100u  /* set-enable */
#define MVEMU_NVIC_ICER0    0xE000E180u  /* clear-enable */
#define MVEMU_NVIC_ISPR0    0xE000E200u  /* set-pending */
#define MVEMU_NVIC_ICPR0    0xE000E280u  /* clear-pending */
#define MVEMU_NVIC_IABR0    0xE000E300u  /* active */
#define MVEMU_NVIC_IPR0     0xE000E400u  /* priority bytes */

/* SCB */
#define MVEMU_SCB_ICSR      0xE000ED04u
#define MVEMU_SCB_VTOR      0xE000ED08u
#define MVEMU_SCB_AIRCR     0xE000ED0Cu
#define MVEMU_SCB_SCR       0xE000ED10u
#define MVEMU_SCB_SHPR1     0xE000ED18u  /* priorities of exceptions 4..7 */
#define MVEMU_SCB_SHPR2     0xE000ED1Cu  /* exceptions 8..11 (SVCall = 11) */
#define MVEMU_SCB_SHPR3     0xE000ED20u  /* 12..15 (PendSV = 14, SysTick = 15) */

#define MVEMU_SCB_ICSR_PENDSTCLR (1u << 25)
#define MVEMU_SCB_ICSR_PENDSTSET (1u << 26)
#define MVEMU_SCB_ICSR_PENDSVCLR (1u << 27)
#define MVEMU_SCB_ICSR_PENDSVSET (1u << 28)
#define MVEMU_SCB_ICSR_VECTACTIVE_MASK 0x1FFu

/* AIRCR writes are ignored unless the upper half holds this key. */
#define MVEMU_SCB_AIRCR_VECTKEY        (0x05FAu << 16)
#define MVEMU_SCB_AIRCR_VECTKEY_MASK   (0xFFFFu << 16)
#define MVEMU_SCB_AIRCR_SYSRESETREQ    (1u << 2)
#define MVEMU_SCB_AIRCR_PRIGROUP_SHIFT 8
#define MVEMU_SCB_AIRCR_PRIGROUP_MASK  (7u << 8)

/*
 * The STM32U585 implements the top 4 bits of each priority byte, so a
 * priority level 0..15 lives in bits [7:4].
 */
#define MVEMU_NVIC_PRIO_BITS 4u

/* ---- interrupt lines (irqn >= 0) and system handlers (irqn < 0) ---- */

static inline void mv_nvic_enable_irq(int32_t irqn)
{
    if (irqn >= 0) {
        MVEMU_REG32(MVEMU_NVIC_ISER0 + 4u * ((uint32_t)irqn >> 5)) =
            1u << ((uint32_t)irqn & 31u);
        /* make the enable visible before any later code relies on it */
        __asm volatile("dsb 0xF\n\tisb 0xF" ::: "memory");
    }
}

static inline void mv_nvic_disable_irq(int32_t irqn)
{
    if (irqn >= 0) {
        MVEMU_REG32(MVEMU_NVIC_ICER0 + 4u * ((uint32_t)irqn >> 5)) =
            1u << ((uint32_t)irqn & 31u);
        /* no further entries of this IRQ once we return */
        __asm volatile("dsb 0xF\n\tisb 0xF" ::: "memory");
    }
}

static inline int mv_nvic_is_enabled(int32_t irqn)
{
    if (irqn < 0)
        return 0;
    return (MVEMU_REG32(MVEMU_NVIC_ISER0 + 4u * ((uint32_t)irqn >> 5)) >>
            ((uint32_t)irqn & 31u)) & 1u;
}

static inline void mv_nvic_set_pending(int32_t irqn)
{
    if (irqn >= 0)
        MVEMU_REG32(MVEMU_NVIC_ISPR0 + 4u * ((uint32_t)irqn >> 5)) =
            1u << ((uint32_t)irqn & 31u);
}

static inline void mv_nvic_clear_pending(int32_t irqn)
{
    if (irqn >= 0)
        MVEMU_REG32(MVEMU_NVIC_ICPR0 + 4u * ((uint32_t)irqn >> 5)) =
            1u << ((uint32_t)irqn & 31u);
}

static inline int mv_nvic_is_pending(int32_t irqn)
{
    if (irqn < 0)
        return 0;
    return (MVEMU_REG32(MVEMU_NVIC_ISPR0 + 4u * ((uint32_t)irqn >> 5)) >>
            ((uint32_t)irqn & 31u)) & 1u;
}

/*
 * prio is a level 0 (highest) .. 15. Negative irqn addresses the system
 * handler priority bytes: exception number irqn + 16, byte (exc - 4) of
 * SHPR1..3 (only exceptions 4..15 have a programmable priority).
 */
static inline void mv_nvic_set_priority(int32_t irqn, uint32_t prio)
{
    uint8_t value = (uint8_t)((prio << (8u - MVEMU_NVIC_PRIO_BITS)) & 0xFFu);

    if (irqn >= 0)
        MVEMU_REG8(MVEMU_NVIC_IPR0 + (uint32_t)irqn) = value;
    else if (irqn >= -12)
        MVEMU_REG8(MVEMU_SCB_SHPR1 + (uint32_t)(irqn + 16 - 4)) = value;
}

static inline uint32_t mv_nvic_get_priority(int32_t irqn)
{
    uint8_t value = 0;

    if (irqn >= 0)
        value = MVEMU_REG8(MVEMU_NVIC_IPR0 + (uint32_t)irqn);
    else if (irqn >= -12)
        value = MVEMU_REG8(MVEMU_SCB_SHPR1 + (uint32_t)(irqn + 16 - 4));
    return (uint32_t)value >> (8u - MVEMU_NVIC_PRIO_BITS);
}

/* ---- SCB helpers ---- */

static inline void mv_scb_pend_pendsv(void)
{
    MVEMU_REG32(MVEMU_SCB_ICSR) = MVEMU_SCB_ICSR_PENDSVSET;
}

/* Writes AIRCR keeping PRIGROUP, supplying the key the hardware demands. */
static inline void mv_scb_set_prigroup(uint32_t group)
{
    uint32_t v = MVEMU_REG32(MVEMU_SCB_AIRCR);
    v &= ~(MVEMU_SCB_AIRCR_VECTKEY_MASK | MVEMU_SCB_AIRCR_PRIGROUP_MASK);
    v |= MVEMU_SCB_AIRCR_VECTKEY |
         ((group << MVEMU_SCB_AIRCR_PRIGROUP_SHIFT) & MVEMU_SCB_AIRCR_PRIGROUP_MASK);
    MVEMU_REG32(MVEMU_SCB_AIRCR) = v;
}

/* ---- SysTick ---- */

/* Starts SysTick on the processor clock, interrupting every `ticks`. */
static inline void mv_systick_start(uint32_t ticks)
{
    MVEMU_REG32(MVEMU_SYST_CSR) = 0;
    MVEMU_REG32(MVEMU_SYST_RVR) = (ticks - 1u) & 0x00FFFFFFu;
    MVEMU_REG32(MVEMU_SYST_CVR) = 0;
    MVEMU_REG32(MVEMU_SYST_CSR) = MVEMU_SYST_CSR_CLKSOURCE |
                                  MVEMU_SYST_CSR_TICKINT |
                                  MVEMU_SYST_CSR_ENABLE;
}

static inline void mv_systick_stop(void)
{
    MVEMU_REG32(MVEMU_SYST_CSR) = 0;
}

/* ---- core instructions and special registers ---- */

/* Exception number being handled (0 = thread mode, 16 + n = IRQ n). */
static inline uint32_t mv_get_ipsr(void)
{
    uint32_t v;
    __asm volatile("mrs %0, ipsr" : "=r"(v));
    return v;
}

static inline uint32_t mv_get_primask(void)
{
    uint32_t v;
    __asm volatile("mrs %0, primask" : "=r"(v));
    return v;
}

static inline void mv_enable_irq(void)  { __asm volatile("cpsie i" ::: "memory"); }
static inline void mv_disable_irq(void) { __asm volatile("cpsid i" ::: "memory"); }
static inline void mv_wfi(void)         { __asm volatile("wfi" ::: "memory"); }
static inline void mv_wfe(void)         { __asm volatile("wfe" ::: "memory"); }
static inline void mv_sev(void)         { __asm volatile("sev" ::: "memory"); }
static inline void mv_dsb(void)         { __asm volatile("dsb 0xF" ::: "memory"); }
static inline void mv_isb(void)         { __asm volatile("isb 0xF" ::: "memory"); }
static inline void mv_dmb(void)         { __asm volatile("dmb 0xF" ::: "memory"); }
static inline void mv_nop(void)         { __asm volatile("nop"); }

#ifdef __cplusplus
}
#endif

#endif /* MVEMU_CM33_H */
