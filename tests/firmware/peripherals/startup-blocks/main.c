/*
 * peripherals-startup-blocks: the blocks ST's HAL touches while it starts,
 * driven with the register sequences of the HAL functions named below:
 * PWR (HAL_PWREx_ControlVoltageScaling with the booster, ConfigSupply,
 * backup-domain access, VDDUSB), ICACHE (ConfigAssociativityMode, Enable,
 * Invalidate, Invalidate_IT with its interrupt, Disable), SYSCFG (the I/O
 * compensation cell), DBGMCU (HAL_GetDEVID/HAL_GetREVID, a freeze bit),
 * RNG (HAL_RNG_Init, HAL_RNGEx_SetConfig with CONDRST, several values from
 * HAL_RNG_GenerateRandomNumber) and CRC (HAL_CRC_Calculate on "123456789"
 * in the HAL default configuration, CRC-32/MPEG-2 = 0x0376E6E7; a CRC-8
 * with POLYSIZE 8; reflected CRC-32 and CRC-16 with REV_IN/REV_OUT).
 *
 * Expected CRCs are the catalogue check values of "123456789":
 * CRC-32/MPEG-2 0x0376E6E7, CRC-8/SMBUS (poly 0x07, init 0) 0xF4,
 * CRC-7/MMC (poly 0x09, init 0) 0x75, CRC-32/ISO-HDLC 0xCBF43926 (the unit
 * has no final XOR, so DR reads its complement 0x340BC6D9) and
 * CRC-16/ARC (poly 0x8005, init 0, reflected) 0xBB3D.
 */
#include "fwtest.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

/* RCC enables (Microvisor lets the application poke these) */
#define RCC_BASE        0x46020C00u
#define RCC_AHB1ENR     (RCC_BASE + 0x088)
#define RCC_AHB2ENR1    (RCC_BASE + 0x08C)
#define RCC_AHB3ENR     (RCC_BASE + 0x094)
#define RCC_APB3ENR     (RCC_BASE + 0x0A8)
#define RCC_AHB1ENR_CRCEN       (1u << 12)
#define RCC_AHB2ENR1_RNGEN      (1u << 18)
#define RCC_AHB3ENR_PWREN       (1u << 2)
#define RCC_APB3ENR_SYSCFGEN    (1u << 1)

/* PWR */
#define PWR_BASE        0x46020800u
#define PWR_CR3         REG(PWR_BASE + 0x008)
#define PWR_VOSR        REG(PWR_BASE + 0x00C)
#define PWR_SVMCR       REG(PWR_BASE + 0x010)
#define PWR_DBPR        REG(PWR_BASE + 0x028)
#define PWR_UCPDR       REG(PWR_BASE + 0x02C)
#define PWR_SVMSR       REG(PWR_BASE + 0x03C)
#define PWR_CR3_REGSEL          (1u << 1)
#define PWR_VOSR_BOOSTRDY       (1u << 14)
#define PWR_VOSR_VOSRDY         (1u << 15)
#define PWR_VOSR_VOS            (3u << 16)
#define PWR_VOSR_BOOSTEN        (1u << 18)
#define PWR_SCALE1              (3u << 16)
#define PWR_SCALE2              (2u << 16)
#define PWR_SCALE3              (1u << 16)
#define PWR_SVMCR_UVMEN         (1u << 24)
#define PWR_SVMCR_USV           (1u << 28)
#define PWR_DBPR_DBP            (1u << 0)
#define PWR_UCPDR_DBDIS         (1u << 0)
#define PWR_SVMSR_REGS          (1u << 1)
#define PWR_SVMSR_ACTVOSRDY     (1u << 15)
#define PWR_SVMSR_ACTVOS        (3u << 16)
#define PWR_SVMSR_VDDUSBRDY     (1u << 24)

/* ICACHE */
#define ICACHE_BASE     0x40030400u
#define ICACHE_CR       REG(ICACHE_BASE + 0x00)
#define ICACHE_SR       REG(ICACHE_BASE + 0x04)
#define ICACHE_IER      REG(ICACHE_BASE + 0x08)
#define ICACHE_FCR      REG(ICACHE_BASE + 0x0C)
#define ICACHE_HMONR    REG(ICACHE_BASE + 0x10)
#define ICACHE_CRR0     REG(ICACHE_BASE + 0x20)
#define ICACHE_CR_EN            (1u << 0)
#define ICACHE_CR_CACHEINV      (1u << 1)
#define ICACHE_CR_WAYSEL        (1u << 2)
#define ICACHE_SR_BUSYF         (1u << 0)
#define ICACHE_SR_BSYENDF       (1u << 1)
#define ICACHE_IER_BSYENDIE     (1u << 1)
#define ICACHE_FCR_CBSYENDF     (1u << 1)

/* SYSCFG */
#define SYSCFG_BASE     0x46000400u
#define SYSCFG_FPUIMR   REG(SYSCFG_BASE + 0x08)
#define SYSCFG_CCCSR    REG(SYSCFG_BASE + 0x1C)
#define SYSCFG_CCCR     REG(SYSCFG_BASE + 0x24)
#define SYSCFG_CCCSR_EN1        (1u << 0)
#define SYSCFG_CCCSR_CS1        (1u << 1)
#define SYSCFG_CCCSR_EN2        (1u << 2)
#define SYSCFG_CCCSR_CS2        (1u << 3)
#define SYSCFG_CCCSR_RDY1       (1u << 8)
#define SYSCFG_CCCSR_RDY2       (1u << 9)

/* DBGMCU, on the external PPB */
#define DBGMCU_IDCODE   REG(0xE0044000u)
#define DBGMCU_APB1FZR1 REG(0xE0044008u)
#define DBGMCU_APB1FZR1_TIM6    (1u << 4)

/* RNG */
#define RNG_BASE        0x420C0800u
#define RNG_CR          REG(RNG_BASE + 0x00)
#define RNG_SR          REG(RNG_BASE + 0x04)
#define RNG_DR          REG(RNG_BASE + 0x08)
#define RNG_HTCR        REG(RNG_BASE + 0x10)
#define RNG_CR_RNGEN            (1u << 2)
#define RNG_CR_IE               (1u << 3)
#define RNG_CR_CED              (1u << 5)
#define RNG_CR_ARDIS            (1u << 7)
#define RNG_CR_CONFIG3          (0xFu << 8)
#define RNG_CR_NISTC            (1u << 12)
#define RNG_CR_CONFIG2          (7u << 13)
#define RNG_CR_CLKDIV           (0xFu << 16)
#define RNG_CR_CONFIG1          (0x3Fu << 20)
#define RNG_CR_CONDRST          (1u << 30)
#define RNG_SR_DRDY             (1u << 0)
#define RNG_SR_CECS             (1u << 1)
#define RNG_SR_SECS             (1u << 2)
#define RNG_SR_CEIS             (1u << 5)
#define RNG_SR_SEIS             (1u << 6)
/* The NIST configuration: RNG_CONFIG1 0x0F, CONFIG2 0, CONFIG3 0xD */
#define RNG_NIST_CR             ((0x0Fu << 20) | (0x0u << 13) | (0xDu << 8))
#define RNG_NIST_HTCR           0x0000AAC7u

/* CRC */
#define CRC_BASE        0x40023000u
#define CRC_DR          REG(CRC_BASE + 0x00)
#define CRC_DR8         (*(volatile uint8_t *)(CRC_BASE + 0x00))
#define CRC_DR16        (*(volatile uint16_t *)(CRC_BASE + 0x00))
#define CRC_IDR         REG(CRC_BASE + 0x04)
#define CRC_CR          REG(CRC_BASE + 0x08)
#define CRC_INIT        REG(CRC_BASE + 0x10)
#define CRC_POL         REG(CRC_BASE + 0x14)
#define CRC_CR_RESET            (1u << 0)
#define CRC_CR_POLYSIZE         (3u << 3)
#define CRC_CR_POLYSIZE_8       (2u << 3)
#define CRC_CR_POLYSIZE_7       (3u << 3)
#define CRC_CR_POLYSIZE_16      (1u << 3)
#define CRC_CR_REV_IN           (3u << 5)
#define CRC_CR_REV_IN_BYTE      (1u << 5)
#define CRC_CR_REV_IN_WORD      (3u << 5)
#define CRC_CR_REV_OUT          (1u << 7)

#define POLL_LIMIT 1000u

/* Poll until (reg & mask) == want, as the HAL's timeout loops do. */
static int poll_bits(volatile uint32_t *reg, uint32_t mask, uint32_t want)
{
    for (uint32_t i = 0; i < POLL_LIMIT; i++) {
        if ((*reg & mask) == want) {
            return 1;
        }
    }
    return 0;
}

/* ---- PWR ---------------------------------------------------------------- */

/* HAL_PWREx_ControlVoltageScaling */
static int pwr_control_voltage_scaling(uint32_t scale)
{
    if ((PWR_SVMSR & PWR_SVMSR_ACTVOS) == scale) {
        return 1;
    }
    if (scale > PWR_SCALE3) {   /* EPOD booster for ranges 1 and 2 */
        PWR_VOSR = (PWR_VOSR & ~(PWR_VOSR_VOS | PWR_VOSR_BOOSTEN)) |
                   scale | PWR_VOSR_BOOSTEN;
    } else {
        PWR_VOSR = (PWR_VOSR & ~(PWR_VOSR_VOS | PWR_VOSR_BOOSTEN)) | scale;
    }
    return poll_bits(&PWR_VOSR, PWR_VOSR_VOSRDY, PWR_VOSR_VOSRDY) &&
           poll_bits(&PWR_SVMSR, PWR_SVMSR_ACTVOSRDY, PWR_SVMSR_ACTVOSRDY);
}

static void test_pwr(void)
{
    CHECK(pwr_control_voltage_scaling(PWR_SCALE3));
    CHECK_EQ(PWR_SVMSR & PWR_SVMSR_ACTVOS, PWR_SCALE3);
    CHECK_EQ(PWR_VOSR & (PWR_VOSR_BOOSTEN | PWR_VOSR_BOOSTRDY), 0u);
    CHECK(pwr_control_voltage_scaling(PWR_SCALE2));
    CHECK_EQ(PWR_SVMSR & PWR_SVMSR_ACTVOS, PWR_SCALE2);
    CHECK(pwr_control_voltage_scaling(PWR_SCALE1));
    CHECK_EQ(PWR_SVMSR & PWR_SVMSR_ACTVOS, PWR_SCALE1);
    CHECK_EQ(PWR_VOSR & PWR_VOSR_VOS, PWR_SCALE1);
    /* the booster is on and ready: PLL1MBOOST may be used */
    CHECK(poll_bits(&PWR_VOSR, PWR_VOSR_BOOSTRDY, PWR_VOSR_BOOSTRDY));
    mvtest_log("PWR VOS range 1 VOSR=0x%08lx SVMSR=0x%08lx",
               (unsigned long)PWR_VOSR, (unsigned long)PWR_SVMSR);

    /* HAL_PWREx_ConfigSupply(PWR_SMPS_SUPPLY), then back to the LDO */
    PWR_CR3 |= PWR_CR3_REGSEL;
    CHECK(poll_bits(&PWR_SVMSR, PWR_SVMSR_REGS, PWR_SVMSR_REGS));
    PWR_CR3 &= ~PWR_CR3_REGSEL;
    CHECK(poll_bits(&PWR_SVMSR, PWR_SVMSR_REGS, 0));

    /* HAL_PWR_EnableBkUpAccess, HAL_PWREx_DisableUCPDDeadBattery */
    PWR_DBPR |= PWR_DBPR_DBP;
    CHECK_EQ(PWR_DBPR, PWR_DBPR_DBP);
    PWR_UCPDR |= PWR_UCPDR_DBDIS;
    CHECK_EQ(PWR_UCPDR & PWR_UCPDR_DBDIS, PWR_UCPDR_DBDIS);

    /* HAL_PWREx_EnableUVM, then HAL_PWREx_EnableVddUSB once VDDUSB is ready */
    PWR_SVMCR |= PWR_SVMCR_UVMEN;
    CHECK(poll_bits(&PWR_SVMSR, PWR_SVMSR_VDDUSBRDY, PWR_SVMSR_VDDUSBRDY));
    PWR_SVMCR |= PWR_SVMCR_USV;
    CHECK_EQ(PWR_SVMCR & (PWR_SVMCR_UVMEN | PWR_SVMCR_USV),
             PWR_SVMCR_UVMEN | PWR_SVMCR_USV);
}

/* ---- ICACHE ------------------------------------------------------------- */

static volatile uint32_t icache_irqs;

/* HAL_ICACHE_IRQHandler for the end of an invalidation */
void ICACHE_IRQHandler(void)
{
    if (ICACHE_SR & ICACHE_IER & ICACHE_SR_BSYENDF) {
        ICACHE_IER &= ~ICACHE_IER_BSYENDIE;
        ICACHE_FCR = ICACHE_FCR_CBSYENDF;
        icache_irqs++;
    }
}

/* HAL_ICACHE_WaitForInvalidateComplete */
static int icache_wait_invalidate(void)
{
    int ok = 1;

    if (ICACHE_SR & ICACHE_SR_BUSYF) {
        ok = poll_bits(&ICACHE_SR, ICACHE_SR_BSYENDF, ICACHE_SR_BSYENDF);
    }
    ICACHE_FCR = ICACHE_FCR_CBSYENDF;
    return ok;
}

static void test_icache(void)
{
    /* Boot code may have left the cache on: HAL_ICACHE_Disable first */
    if (ICACHE_CR & ICACHE_CR_EN) {
        ICACHE_FCR = ICACHE_FCR_CBSYENDF;
        ICACHE_CR &= ~ICACHE_CR_EN;
        CHECK(poll_bits(&ICACHE_CR, ICACHE_CR_EN, 0));
    }
    CHECK(icache_wait_invalidate());

    /* HAL_ICACHE_ConfigAssociativityMode(ICACHE_1WAY), cache disabled */
    ICACHE_CR &= ~ICACHE_CR_WAYSEL;
    CHECK_EQ(ICACHE_CR & ICACHE_CR_WAYSEL, 0u);
    ICACHE_CR |= ICACHE_CR_WAYSEL;              /* back to 2 ways */
    CHECK_EQ(ICACHE_CRR0 & (1u << 15), 0u);     /* no remap region */

    ICACHE_CR |= ICACHE_CR_EN;                  /* HAL_ICACHE_Enable */
    CHECK_EQ(ICACHE_CR & ICACHE_CR_EN, ICACHE_CR_EN);
    /* WAYSEL is frozen while the cache is on */
    ICACHE_CR &= ~ICACHE_CR_WAYSEL;
    CHECK_EQ(ICACHE_CR & ICACHE_CR_WAYSEL, ICACHE_CR_WAYSEL);

    /* HAL_ICACHE_Invalidate */
    CHECK_EQ(ICACHE_SR & ICACHE_SR_BUSYF, 0u);
    ICACHE_FCR = ICACHE_FCR_CBSYENDF;
    CHECK_EQ(ICACHE_SR & ICACHE_SR_BSYENDF, 0u);
    ICACHE_CR |= ICACHE_CR_CACHEINV;
    CHECK(poll_bits(&ICACHE_SR, ICACHE_SR_BUSYF | ICACHE_SR_BSYENDF,
                    ICACHE_SR_BSYENDF));
    CHECK_EQ(ICACHE_CR & ICACHE_CR_CACHEINV, 0u);
    CHECK(icache_wait_invalidate());
    CHECK_EQ(ICACHE_SR, 0u);
    CHECK_EQ(ICACHE_HMONR, 0u);

    /* HAL_ICACHE_Invalidate_IT: the end of invalidation interrupt */
    mv_nvic_clear_pending(ICACHE_IRQn);
    mv_nvic_enable_irq(ICACHE_IRQn);
    mv_enable_irq();
    ICACHE_FCR = ICACHE_FCR_CBSYENDF;
    ICACHE_IER |= ICACHE_IER_BSYENDIE;
    ICACHE_CR |= ICACHE_CR_CACHEINV;
    for (uint32_t i = 0; i < POLL_LIMIT && !icache_irqs; i++) {
    }
    CHECK_EQ(icache_irqs, 1u);
    CHECK_EQ(ICACHE_SR, 0u);
    mv_nvic_disable_irq(ICACHE_IRQn);

    /* HAL_ICACHE_Disable: clearing EN starts an invalidation */
    ICACHE_FCR = ICACHE_FCR_CBSYENDF;
    ICACHE_CR &= ~ICACHE_CR_EN;
    CHECK(poll_bits(&ICACHE_CR, ICACHE_CR_EN, 0));
    CHECK(poll_bits(&ICACHE_SR, ICACHE_SR_BSYENDF, ICACHE_SR_BSYENDF));
    ICACHE_FCR = ICACHE_FCR_CBSYENDF;

    ICACHE_CR |= ICACHE_CR_EN;                  /* leave it on, as apps do */
    mvtest_log("ICACHE enabled CR=0x%08lx, invalidations complete",
               (unsigned long)ICACHE_CR);
}

/* ---- SYSCFG ------------------------------------------------------------- */

static void test_syscfg(void)
{
    CHECK_EQ(SYSCFG_FPUIMR, 0x1Fu);             /* RM0456 reset values */
    CHECK_EQ(SYSCFG_CCCSR, SYSCFG_CCCSR_CS1 | SYSCFG_CCCSR_CS2);
    CHECK_EQ(SYSCFG_CCCR, 0x7878u);

    /* HAL_SYSCFG_CompensationCodeSelect(cell codes), then
     * HAL_SYSCFG_EnableVddCompensationCell / EnableVddIO2CompensationCell:
     * set ENx and wait for RDYx */
    SYSCFG_CCCSR &= ~(SYSCFG_CCCSR_CS1 | SYSCFG_CCCSR_CS2);
    SYSCFG_CCCSR |= SYSCFG_CCCSR_EN1;
    CHECK(poll_bits(&SYSCFG_CCCSR, SYSCFG_CCCSR_RDY1, SYSCFG_CCCSR_RDY1));
    SYSCFG_CCCSR |= SYSCFG_CCCSR_EN2;
    CHECK(poll_bits(&SYSCFG_CCCSR, SYSCFG_CCCSR_RDY2, SYSCFG_CCCSR_RDY2));
    mvtest_log("SYSCFG compensation cells ready CCCSR=0x%08lx",
               (unsigned long)SYSCFG_CCCSR);
}

/* ---- DBGMCU ------------------------------------------------------------- */

static void test_dbgmcu(void)
{
    uint32_t idcode = DBGMCU_IDCODE;

    CHECK_EQ(idcode & 0xFFFu, 0x482u);          /* HAL_GetDEVID */
    CHECK((idcode >> 16) != 0u);                /* HAL_GetREVID */
    mvtest_log("DBGMCU DEV_ID=0x%03lx REV_ID=0x%04lx",
               (unsigned long)(idcode & 0xFFFu),
               (unsigned long)(idcode >> 16));
    DBGMCU_APB1FZR1 |= DBGMCU_APB1FZR1_TIM6;   /* __HAL_DBGMCU_FREEZE_TIM6 */
    CHECK_EQ(DBGMCU_APB1FZR1, DBGMCU_APB1FZR1_TIM6);
    DBGMCU_APB1FZR1 &= ~DBGMCU_APB1FZR1_TIM6;
    CHECK_EQ(DBGMCU_APB1FZR1, 0u);
}

/* ---- RNG ---------------------------------------------------------------- */

static volatile uint32_t rng_irq_value, rng_irqs;

/* HAL_RNG_IRQHandler for HAL_RNG_GenerateRandomNumber_IT */
void RNG_IRQHandler(void)
{
    if (RNG_SR & RNG_SR_DRDY) {
        RNG_CR &= ~RNG_CR_IE;                   /* __HAL_RNG_DISABLE_IT */
        rng_irq_value = RNG_DR;
        rng_irqs++;
    }
}

/* HAL_RNG_GenerateRandomNumber */
static int rng_generate(uint32_t *value)
{
    if (RNG_SR & RNG_SR_SEIS) {
        return 0;
    }
    if (!poll_bits(&RNG_SR, RNG_SR_DRDY, RNG_SR_DRDY)) {
        return 0;
    }
    *value = RNG_DR;
    return (RNG_SR & RNG_SR_SEIS) == 0;
}

static void test_rng(void)
{
    uint32_t values[8];
    int distinct = 1;
    const uint32_t cfg_mask = RNG_CR_NISTC | RNG_CR_CLKDIV | RNG_CR_CONFIG1 |
                              RNG_CR_CONFIG2 | RNG_CR_CONFIG3 | RNG_CR_ARDIS;

    /* HAL_RNG_Init with clock error detection on (CED = 0) */
    RNG_CR &= ~RNG_CR_RNGEN;
    RNG_CR = (RNG_CR & ~(RNG_CR_CED | RNG_CR_CONDRST)) | RNG_CR_CONDRST;
    CHECK_EQ(RNG_SR & RNG_SR_DRDY, 0u);
    CHECK_EQ(RNG_DR, 0u);                       /* nothing ready: reads 0 */
    RNG_CR &= ~RNG_CR_CONDRST;
    CHECK(poll_bits(&RNG_CR, RNG_CR_CONDRST, 0));
    RNG_CR |= RNG_CR_RNGEN;
    CHECK_EQ(RNG_SR & RNG_SR_SEIS, 0u);
    CHECK(poll_bits(&RNG_SR, RNG_SR_SECS, 0));

    /* HAL_RNGEx_SetConfig: NIST configuration under CONDRST */
    RNG_CR &= ~RNG_CR_RNGEN;
    RNG_CR = (RNG_CR & ~cfg_mask) | RNG_CR_CONDRST | RNG_NIST_CR;
    RNG_HTCR = RNG_NIST_HTCR;
    RNG_CR &= ~RNG_CR_CONDRST;
    CHECK(poll_bits(&RNG_CR, RNG_CR_CONDRST, 0));
    RNG_CR |= RNG_CR_RNGEN;
    CHECK_EQ(RNG_CR & cfg_mask, RNG_NIST_CR);
    CHECK_EQ(RNG_HTCR, RNG_NIST_HTCR);

    /* The configuration is taken only with CONDRST set */
    RNG_CR = (RNG_CR & ~RNG_CR_CONFIG1) | (0x01u << 20);
    CHECK_EQ(RNG_CR & cfg_mask, RNG_NIST_CR);

    for (int i = 0; i < 8; i++) {
        values[i] = 0;
        CHECK(rng_generate(&values[i]));
        for (int j = 0; j < i; j++) {
            distinct &= values[i] != values[j];
        }
    }
    CHECK(distinct);
    CHECK_EQ(RNG_SR & (RNG_SR_CECS | RNG_SR_SECS | RNG_SR_CEIS | RNG_SR_SEIS),
             0u);
    mvtest_log("RNG values 0x%08lx 0x%08lx 0x%08lx ... distinct=%d",
               (unsigned long)values[0], (unsigned long)values[1],
               (unsigned long)values[2], distinct);

    /* HAL_RNG_GenerateRandomNumber_IT: IE with DRDY set interrupts */
    mv_nvic_clear_pending(RNG_IRQn);
    mv_nvic_enable_irq(RNG_IRQn);
    mv_enable_irq();
    RNG_CR |= RNG_CR_IE;
    for (uint32_t i = 0; i < POLL_LIMIT && !rng_irqs; i++) {
    }
    CHECK_EQ(rng_irqs, 1u);
    CHECK(rng_irq_value != values[7]);
    CHECK_EQ(RNG_CR & RNG_CR_IE, 0u);
    mv_nvic_disable_irq(RNG_IRQn);

    /* CEIS/SEIS are rc_w0: HAL_RNG_DeInit's CLEAR_BIT leaves DRDY alone */
    RNG_SR &= ~(RNG_SR_CEIS | RNG_SR_SEIS);
    CHECK_EQ(RNG_SR & RNG_SR_DRDY, RNG_SR_DRDY);
}

/* ---- CRC ---------------------------------------------------------------- */

static const uint8_t check_string[9] = "123456789";

/* HAL_CRC_Calculate with CRC_INPUTDATA_FORMAT_BYTES (CRC_Handle_8) */
static uint32_t crc_calculate_bytes(const uint8_t *buf, uint32_t len)
{
    uint32_t i;

    CRC_CR |= CRC_CR_RESET;                     /* __HAL_CRC_DR_RESET */
    for (i = 0; i < len / 4u; i++) {
        CRC_DR = ((uint32_t)buf[4u * i] << 24) |
                 ((uint32_t)buf[4u * i + 1u] << 16) |
                 ((uint32_t)buf[4u * i + 2u] << 8) |
                 (uint32_t)buf[4u * i + 3u];
    }
    if (len % 4u >= 2u) {
        CRC_DR16 = (uint16_t)(((uint16_t)buf[4u * i] << 8) |
                              buf[4u * i + 1u]);
    }
    if (len % 4u == 1u) {
        CRC_DR8 = buf[4u * i];
    }
    if (len % 4u == 3u) {
        CRC_DR8 = buf[4u * i + 2u];
    }
    return CRC_DR;
}

/* HAL_CRC_Init: INIT, POL and POLYSIZE (HAL_CRCEx_Polynomial_Set), REV_x */
static void crc_init(uint32_t init, uint32_t pol, uint32_t polysize,
                     uint32_t rev_in, uint32_t rev_out)
{
    CRC_INIT = init;
    CRC_POL = pol;
    CRC_CR = (CRC_CR & ~(CRC_CR_POLYSIZE | CRC_CR_REV_IN | CRC_CR_REV_OUT)) |
             polysize | rev_in | rev_out;
}

static void test_crc(void)
{
    uint32_t crc;

    /* RM0456 reset values: the HAL default configuration */
    CHECK_EQ(CRC_POL, 0x04C11DB7u);
    CHECK_EQ(CRC_INIT, 0xFFFFFFFFu);
    CHECK_EQ(CRC_CR, 0u);
    CHECK_EQ(CRC_DR, 0xFFFFFFFFu);
    CRC_IDR = 0xA5A55A5Au;
    CHECK_EQ(CRC_IDR, 0xA5A55A5Au);

    crc = crc_calculate_bytes(check_string, 9);
    CHECK_EQ(crc, 0x0376E6E7u);                 /* CRC-32/MPEG-2 */
    CHECK_EQ(CRC_CR & CRC_CR_RESET, 0u);        /* RESET clears itself */
    mvtest_log("CRC-32/MPEG-2(\"123456789\") = 0x%08lx", (unsigned long)crc);

    /* Two word writes then a single byte, once more by bytes only */
    CRC_CR |= CRC_CR_RESET;
    for (int i = 0; i < 9; i++) {
        CRC_DR8 = check_string[i];
    }
    CHECK_EQ(CRC_DR, 0x0376E6E7u);

    /* HAL_CRC_Accumulate after Calculate: the CRC goes on from DR */
    crc_calculate_bytes(check_string, 4);
    CRC_DR = 0x35363738u;
    CRC_DR8 = '9';
    CHECK_EQ(CRC_DR, 0x0376E6E7u);

    crc_init(0x00u, 0x07u, CRC_CR_POLYSIZE_8, 0, 0);
    crc = crc_calculate_bytes(check_string, 9);
    CHECK_EQ(crc, 0xF4u);                       /* CRC-8/SMBUS */
    CHECK_EQ(CRC_DR8, 0xF4u);
    mvtest_log("CRC-8 poly 0x07 = 0x%02lx", (unsigned long)crc);

    crc_init(0x00u, 0x09u, CRC_CR_POLYSIZE_7, 0, 0);
    CHECK_EQ(crc_calculate_bytes(check_string, 9), 0x75u);   /* CRC-7/MMC */

    /* Reflected CRC-32 (ISO-HDLC): byte-wise input reversal, REV_OUT */
    crc_init(0xFFFFFFFFu, 0x04C11DB7u, 0, CRC_CR_REV_IN_BYTE, CRC_CR_REV_OUT);
    crc = crc_calculate_bytes(check_string, 9);
    CHECK_EQ(crc, 0x340BC6D9u);
    CHECK_EQ(~crc, 0xCBF43926u);
    mvtest_log("CRC-32/ISO-HDLC = 0x%08lx (DR 0x%08lx)",
               (unsigned long)~crc, (unsigned long)crc);

    /* The same with word-wise reversal of little-endian words */
    CRC_CR = (CRC_CR & ~CRC_CR_REV_IN) | CRC_CR_REV_IN_WORD | CRC_CR_RESET;
    CRC_DR = 0x34333231u;                       /* "1234" as a LE word */
    CRC_DR = 0x38373635u;                       /* "5678" */
    CRC_DR8 = '9';
    CHECK_EQ(CRC_DR, 0x340BC6D9u);

    /* CRC-16/ARC: 16-bit polynomial, reflected, output reversed on 16 bits */
    crc_init(0x0000u, 0x8005u, CRC_CR_POLYSIZE_16, CRC_CR_REV_IN_BYTE,
             CRC_CR_REV_OUT);
    crc = crc_calculate_bytes(check_string, 9);
    CHECK_EQ(crc, 0xBB3Du);
    mvtest_log("CRC-16/ARC = 0x%04lx", (unsigned long)crc);

    /* HAL_CRC_DeInit: back to the defaults */
    crc_init(0xFFFFFFFFu, 0x04C11DB7u, 0, 0, 0);
    CRC_CR |= CRC_CR_RESET;
    CHECK_EQ(CRC_DR, 0xFFFFFFFFu);
}

int main(void)
{
    mvtest_begin("peripherals-startup-blocks");
    CHECK_STATUS(mvPeriphPoke32(RCC_AHB3ENR, RCC_AHB3ENR_PWREN,
                                RCC_AHB3ENR_PWREN), MV_STATUS_OKAY);
    CHECK_STATUS(mvPeriphPoke32(RCC_APB3ENR, RCC_APB3ENR_SYSCFGEN,
                                RCC_APB3ENR_SYSCFGEN), MV_STATUS_OKAY);
    CHECK_STATUS(mvPeriphPoke32(RCC_AHB2ENR1, RCC_AHB2ENR1_RNGEN,
                                RCC_AHB2ENR1_RNGEN), MV_STATUS_OKAY);
    CHECK_STATUS(mvPeriphPoke32(RCC_AHB1ENR, RCC_AHB1ENR_CRCEN,
                                RCC_AHB1ENR_CRCEN), MV_STATUS_OKAY);

    test_pwr();
    test_icache();
    test_syscfg();
    test_dbgmcu();
    test_rng();
    test_crc();
    mvtest_end();
}
