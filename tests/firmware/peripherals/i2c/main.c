/*
 * peripherals-i2c: I2C1 driven the way ST's HAL drives it, against the
 * sensor and display models the runner attaches with -device:
 *
 * - HAL_I2C_Init (PE off, TIMINGR, OAR1/OAR2, CR2 AUTOEND|NACK, PE on);
 * - HAL_I2C_IsDeviceReady: START with NBYTES = 0 and AUTOEND, then STOPF
 *   (present) or NACKF (absent, address 0x50);
 * - HAL_I2C_Mem_Read: register address with a software end (TC), then a
 *   repeated START to read, RXNE per byte, STOPF; a long read split with
 *   RELOAD (TCR, the next NBYTES);
 * - HAL_I2C_Mem_Write: register address with RELOAD (TCR), data, STOPF;
 * - HAL_I2C_Master_Transmit for the HT16K33's commands and display RAM.
 *
 * Devices: MCP9808 at 0x18 (IDs, ambient temperature, the runner changes
 * it with qom-set, and its ALERT on PB2 gives an EXTI2 falling edge once
 * it passes T_UPPER), TH02 at 0x40 (a conversion with the busy bit),
 * LIS3DH at 0x19 (WHO_AM_I, axes at +-2 g high resolution, a tap from the
 * runner as a click interrupt on INT1 = PC4, EXTI4), HT16K33 at 0x70 (the
 * firmware draws "12:34"; the runner reads the display's text).
 */
#include "fwtest.h"
#include "fwhal.h"

#define MCP9808 0x18
#define LIS3DH  0x19
#define TH02    0x40
#define ABSENT  0x50
#define HT16K33 0x70

static volatile uint32_t alert_edges, click_edges;

void EXTI2_IRQHandler(void)
{
    if (EXTI->FPR1 & (1u << 2)) {
        EXTI->FPR1 = 1u << 2;
        alert_edges++;
    }
}

void EXTI4_IRQHandler(void)
{
    if (EXTI->RPR1 & (1u << 4)) {
        EXTI->RPR1 = 1u << 4;
        click_edges++;
    }
}

static uint16_t be16(const uint8_t *b)
{
    return (uint16_t)(b[0] << 8 | b[1]);
}

static int wait_until(volatile uint32_t *value, uint32_t want, uint32_t timeout_us)
{
    uint64_t start = fw_micros();
    while (*value < want) {
        if (fw_micros() - start > timeout_us) {
            return 0;
        }
    }
    return 1;
}

static void check_mcp9808(void)
{
    uint8_t b[2];
    CHECK(fw_i2c_mem_read(I2C1, MCP9808, 6, b, 2, 255));
    CHECK_EQ(be16(b), 0x0054u);                                 /* manufacturer */
    CHECK(fw_i2c_mem_read(I2C1, MCP9808, 7, b, 2, 255));
    CHECK_EQ(be16(b), 0x0400u);                                 /* device, revision */
    CHECK(fw_i2c_mem_read(I2C1, MCP9808, 5, b, 2, 255));
    CHECK_EQ(be16(b) & 0x1FFFu, 376u);                          /* 23.5 C in 1/16 C */
    mvtest_log("mcp9808 ambient 0x%04x", be16(b) & 0x1FFFu);

    /* ALERT (PB2, active low, pulled up) in comparator mode above 30 C. */
    gpio_configure(GPIOB, 2, GPIO_MODE_INPUT, GPIO_PULLUP);
    EXTI->EXTICR[0] = (EXTI->EXTICR[0] & ~(0xFFu << 16)) | (1u << 16);
    EXTI->FTSR1 |= 1u << 2;
    EXTI->IMR1 |= 1u << 2;
    nvic_enable(EXTI2_IRQn);
    const uint8_t upper[2] = { 0x01, 0xE0 };                    /* 30.00 C */
    CHECK(fw_i2c_mem_write(I2C1, MCP9808, 2, upper, 2));
    const uint8_t crit[2] = { 0x02, 0x80 };                     /* 40.00 C */
    CHECK(fw_i2c_mem_write(I2C1, MCP9808, 4, crit, 2));
    const uint8_t config[2] = { 0x00, 0x08 };                   /* alert output on */
    CHECK(fw_i2c_mem_write(I2C1, MCP9808, 1, config, 2));
    CHECK(fw_i2c_mem_read(I2C1, MCP9808, 1, b, 2, 255));
    CHECK_EQ(be16(b), 0x0008u);
    CHECK(GPIOB->IDR & (1u << 2));                              /* not asserted */
    CHECK_EQ(alert_edges, 0u);
    mvtest_log("warm the mcp9808");
    CHECK(wait_until(&alert_edges, 1, 5000000u));
    CHECK_EQ(GPIOB->IDR & (1u << 2), 0u);
    CHECK(fw_i2c_mem_read(I2C1, MCP9808, 5, b, 2, 255));
    CHECK_EQ(be16(b) & 0x1FFFu, 500u);                          /* 31.25 C */
    CHECK(b[0] & 0x40);                                         /* above T_UPPER */
}

static void check_th02(void)
{
    uint8_t id, status, data[2];
    CHECK(fw_i2c_mem_read(I2C1, TH02, 0x11, &id, 1, 255));
    CHECK_EQ(id, 0x50u);
    const uint8_t start_temp = 0x11;                            /* START | TEMP */
    CHECK(fw_i2c_mem_write(I2C1, TH02, 0x03, &start_temp, 1));
    CHECK(fw_i2c_mem_read(I2C1, TH02, 0x00, &status, 1, 255));
    CHECK_EQ(status & 1u, 1u);                                  /* busy converting */
    uint64_t start = fw_micros();
    int read_ok;
    do {
        read_ok = fw_i2c_mem_read(I2C1, TH02, 0x00, &status, 1, 255);
    } while (read_ok && (status & 1u) && fw_micros() - start < 1000000u);
    CHECK(read_ok);
    CHECK_EQ(status & 1u, 0u);
    CHECK(fw_micros() - start >= 30000u);                       /* ~35 ms conversion */
    CHECK(fw_i2c_mem_read(I2C1, TH02, 0x01, data, 2, 255));
    CHECK_EQ(be16(data) >> 2, (25u + 50u) * 32u);               /* 25.0 C */

    /* Humidity in fast mode: 18 ms, value / 16 - 24 %RH in bits 15..4. */
    const uint8_t start_rh = 0x21;                              /* START | FAST */
    CHECK(fw_i2c_mem_write(I2C1, TH02, 0x03, &start_rh, 1));
    start = fw_micros();
    do {
        read_ok = fw_i2c_mem_read(I2C1, TH02, 0x00, &status, 1, 255);
    } while (read_ok && (status & 1u) && fw_micros() - start < 1000000u);
    CHECK_EQ(status & 1u, 0u);
    CHECK(fw_micros() - start < 30000u);
    CHECK(fw_i2c_mem_read(I2C1, TH02, 0x01, data, 2, 255));
    CHECK_EQ(be16(data) >> 4, (40u + 24u) * 16u);               /* 40 %RH */
}

static void check_lis3dh(void)
{
    uint8_t who, axes[6];
    CHECK(fw_i2c_mem_read(I2C1, LIS3DH, 0x0F, &who, 1, 255));
    CHECK_EQ(who, 0x33u);
    const uint8_t ctrl1 = 0x57;                                 /* 100 Hz, X/Y/Z */
    CHECK(fw_i2c_mem_write(I2C1, LIS3DH, 0x20, &ctrl1, 1));
    const uint8_t ctrl4 = 0x08;                                 /* HR, +-2 g */
    CHECK(fw_i2c_mem_write(I2C1, LIS3DH, 0x23, &ctrl4, 1));
    /* Six output bytes with auto-increment, in three RELOAD chunks. */
    CHECK(fw_i2c_mem_read(I2C1, LIS3DH, 0x28 | 0x80, axes, 6, 2));
    int16_t z = (int16_t)(axes[5] << 8 | axes[4]);
    CHECK_EQ((uint32_t)(z >> 4), 1000u);                        /* 1 g at 1 mg/digit */
    CHECK_EQ((uint32_t)(axes[0] | axes[1] | axes[2] | axes[3]), 0u);

    /* Single click on Z to INT1 (PC4), latched until CLICK_SRC is read. */
    gpio_configure(GPIOC, 4, GPIO_MODE_INPUT, GPIO_PULLDOWN);
    EXTI->EXTICR[1] = (EXTI->EXTICR[1] & ~0xFFu) | 2u;
    EXTI->RTSR1 |= 1u << 4;
    EXTI->IMR1 |= 1u << 4;
    nvic_enable(EXTI4_IRQn);
    const uint8_t click_cfg = 0x10, click_ths = 0x80 | 0x20, ctrl3 = 0x80;
    CHECK(fw_i2c_mem_write(I2C1, LIS3DH, 0x38, &click_cfg, 1));              /* ZS */
    CHECK(fw_i2c_mem_write(I2C1, LIS3DH, 0x3A, &click_ths, 1));              /* LIR_Click */
    CHECK(fw_i2c_mem_write(I2C1, LIS3DH, 0x22, &ctrl3, 1));                  /* I1_CLICK */
    mvtest_log("tap the lis3dh");
    CHECK(wait_until(&click_edges, 1, 5000000u));
    uint8_t src;
    CHECK(fw_i2c_mem_read(I2C1, LIS3DH, 0x39, &src, 1, 255));
    CHECK(src & 0x40);                                          /* IA */
    CHECK(src & 0x10);                                          /* single click */
    CHECK(src & 0x04);                                          /* on Z */
    CHECK_EQ(GPIOC->IDR & (1u << 4), 0u);                       /* released by the read */
}

/*
 * HAL_I2C_Mem_Read_IT on I2C4 (whose event line, 101, follows its error
 * line, 100): the register address goes out polled, then the read runs
 * from the event interrupt (I2C_Master_ISR_IT: RXNE, then STOPF).
 */
static volatile uint8_t it_buf[2];
static volatile uint32_t it_count, it_events, it_errors, it_done;

void I2C4_EV_IRQHandler(void)
{
    it_events++;
    uint32_t isr = I2C4->ISR;
    if (isr & I2C_ISR_RXNE) {
        it_buf[it_count++] = (uint8_t)I2C4->RXDR;
    } else if (isr & I2C_ISR_STOPF) {
        I2C4->ICR = I2C_ICR_STOPCF;
        I2C4->CR1 &= ~(I2C_CR1_RXIE | I2C_CR1_STOPIE | I2C_CR1_NACKIE | I2C_CR1_TCIE |
                       I2C_CR1_ERRIE);
        it_done = 1;
    }
}

void I2C4_ER_IRQHandler(void)
{
    it_errors++;
}

static void check_interrupt_driven_read(void)
{
    CHECK_STATUS(mvPeriphPoke32(RCC_APB1ENR2, APB1ENR2_I2C4EN, APB1ENR2_I2C4EN), MV_STATUS_OKAY);
    fw_i2c_init(I2C4);
    CHECK_EQ(fw_i2c_is_device_ready(I2C4, MCP9808), 0);        /* not on this bus */
    CHECK_EQ(fw_i2c_is_device_ready(I2C4, 0x1F), 1);
    nvic_enable(I2C4_EV_IRQn);
    nvic_enable(I2C4_ER_IRQn);
    /* I2C_RequestMemoryRead, polled: the register pointer, software end. */
    I2C4->CR2 = (0x1Fu << 1) | I2C_CR2_NBYTES(1) | I2C_CR2_START;
    uint64_t start = fw_micros();
    while (!(I2C4->ISR & I2C_ISR_TXIS) && fw_micros() - start < 100000u) {
    }
    I2C4->TXDR = 7;                                             /* device ID */
    while (!(I2C4->ISR & I2C_ISR_TC) && fw_micros() - start < 100000u) {
    }
    CHECK(I2C4->ISR & I2C_ISR_TC);
    /* The read with AUTOEND, then the interrupts carry it. */
    I2C4->CR2 = (0x1Fu << 1) | I2C_CR2_NBYTES(2) | I2C_CR2_AUTOEND | I2C_CR2_RD_WRN |
                I2C_CR2_START;
    I2C4->CR1 |= I2C_CR1_RXIE | I2C_CR1_STOPIE | I2C_CR1_NACKIE | I2C_CR1_TCIE | I2C_CR1_ERRIE;
    while (!it_done && fw_micros() - start < 1000000u) {
    }
    CHECK(it_done);
    CHECK_EQ(it_count, 2u);
    CHECK_EQ(be16((const uint8_t *)it_buf), 0x0400u);
    CHECK_EQ(it_events, 3u);                                    /* two RXNE, one STOPF */
    CHECK_EQ(it_errors, 0u);
}

static void check_ht16k33(void)
{
    static const uint8_t oscillator_on = 0x21, display_on = 0x81, full_brightness = 0xEF;
    CHECK(fw_i2c_transmit(I2C1, HT16K33, &oscillator_on, 1));
    CHECK(fw_i2c_transmit(I2C1, HT16K33, &display_on, 1));
    CHECK(fw_i2c_transmit(I2C1, HT16K33, &full_brightness, 1));
    /* "12:34": digits at RAM 0, 2, 6, 8, the colon at RAM 4 bit 1. */
    static const uint8_t ram[] = { 0x00, 0x06, 0, 0x5B, 0, 0x02, 0, 0x4F, 0, 0x66, 0 };
    CHECK(fw_i2c_transmit(I2C1, HT16K33, ram, sizeof ram));
    /* An 8x8 matrix at 0x71: a diagonal, row r = RAM byte 2r, bit c = column c. */
    CHECK(fw_i2c_transmit(I2C1, HT16K33 + 1, &oscillator_on, 1));
    CHECK(fw_i2c_transmit(I2C1, HT16K33 + 1, &display_on, 1));
    uint8_t rows[17] = { 0x00 };
    for (unsigned r = 0; r < 8; r++) {
        rows[1 + 2 * r] = (uint8_t)(1u << r);
    }
    CHECK(fw_i2c_transmit(I2C1, HT16K33 + 1, rows, sizeof rows));
    mvtest_log("display drawn");
}

int main(void)
{
    mvtest_begin("peripherals-i2c");
    CHECK_STATUS(mvPeriphPoke32(RCC_AHB2ENR1, 0x1FFu, 0x1FFu), MV_STATUS_OKAY);
    CHECK_STATUS(mvPeriphPoke32(RCC_APB1ENR1, APB1ENR1_I2C1EN, APB1ENR1_I2C1EN), MV_STATUS_OKAY);
    fw_i2c_init(I2C1);

    CHECK_EQ(fw_i2c_is_device_ready(I2C1, MCP9808), 1);
    CHECK_EQ(fw_i2c_is_device_ready(I2C1, LIS3DH), 1);
    CHECK_EQ(fw_i2c_is_device_ready(I2C1, TH02), 1);
    CHECK_EQ(fw_i2c_is_device_ready(I2C1, HT16K33), 1);
    CHECK_EQ(fw_i2c_is_device_ready(I2C1, ABSENT), 0);
    /* A register read from an absent device ends with NACKF and a STOP. */
    uint8_t b[2];
    CHECK_EQ(fw_i2c_mem_read(I2C1, ABSENT, 0, b, 2, 255), 0);
    CHECK_EQ(I2C1->ISR & (I2C_ISR_BUSY | I2C_ISR_NACKF | I2C_ISR_STOPF), 0u);

    check_mcp9808();
    check_th02();
    check_lis3dh();
    check_ht16k33();
    check_interrupt_driven_read();

    /* The runner has read the display when PB1 goes high. */
    gpio_configure(GPIOB, 1, GPIO_MODE_INPUT, GPIO_PULLDOWN);
    uint64_t start = fw_micros();
    while (!(GPIOB->IDR & (1u << 1)) && fw_micros() - start < 5000000u) {
    }
    CHECK(GPIOB->IDR & (1u << 1));
    mvtest_end();
}
