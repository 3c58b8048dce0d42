/*
 * peripherals-exti: GPIO inputs and EXTI driven the way ST's HAL drives
 * them (HAL_GPIO_Init with GPIO_MODE_IT_RISING_FALLING: EXTICR port
 * selection, RTSR1/FTSR1, IMR1; HAL_GPIO_EXTI_IRQHandler: RPR1 then FPR1,
 * each cleared by writing 1), with the pins driven from outside over QMP
 * by the test runner, as a button or a sensor would:
 *
 * - a software trigger (SWIER1) on line 13;
 * - "press PC13": the runner holds PC13 high, a rising edge on EXTI13;
 *   "release PC13": it lets go and the pull-down brings a falling edge;
 * - line 0 selects port B: PA0 going high is no edge for it, PB0 is;
 * - PA5 (the USER LED) toggled: the runner sees each change as an
 *   MVEMU_GPIO_OUTPUT event, reads the pins with query-mvemu-gpio and HMP
 *   info mvemu_gpio, and cannot drive the push-pull output.
 *
 * Each step waits (bounded in virtual time) for the runner's QMP command to
 * show on the pin before it checks the interrupt.
 */
#include "fwtest.h"
#include "stm32u5_regs.h"

#define PIN(n) (1u << (n))

static volatile uint32_t rising13, falling13, rising0;

void EXTI13_IRQHandler(void)
{
    if (EXTI->RPR1 & PIN(13)) {
        EXTI->RPR1 = PIN(13);
        rising13++;
    }
    if (EXTI->FPR1 & PIN(13)) {
        EXTI->FPR1 = PIN(13);
        falling13++;
    }
}

void EXTI0_IRQHandler(void)
{
    if (EXTI->RPR1 & PIN(0)) {
        EXTI->RPR1 = PIN(0);
        rising0++;
    }
}

/* Spin until *value == want or the pin reads `level` (bounded: 5 s). */
static int wait_until(volatile uint32_t *value, uint32_t want)
{
    uint64_t start = fw_micros();
    while (*value != want) {
        if (fw_micros() - start > 5000000u) {
            return 0;
        }
    }
    return 1;
}

static int wait_pin(Gpio *g, unsigned pin, unsigned level)
{
    uint64_t start = fw_micros();
    while (((g->IDR >> pin) & 1u) != level) {
        if (fw_micros() - start > 5000000u) {
            return 0;
        }
    }
    return 1;
}

/* HAL_GPIO_Init's EXTI part: port in EXTICR, edges, then the mask. */
static void exti_configure(unsigned line, unsigned port, int rising, int falling)
{
    uint32_t shift = (line % 4) * 8;
    EXTI->EXTICR[line / 4] = (EXTI->EXTICR[line / 4] & ~(0xFFu << shift)) | (port << shift);
    EXTI->RTSR1 = rising ? EXTI->RTSR1 | PIN(line) : EXTI->RTSR1 & ~PIN(line);
    EXTI->FTSR1 = falling ? EXTI->FTSR1 | PIN(line) : EXTI->FTSR1 & ~PIN(line);
    EXTI->EMR1 &= ~PIN(line);
    EXTI->IMR1 |= PIN(line);
}

int main(void)
{
    mvtest_begin("peripherals-exti");
    CHECK_STATUS(mvPeriphPoke32(RCC_AHB2ENR1, 0x1FFu, 0x1FFu), MV_STATUS_OKAY);

    /* Reset state: nothing selected, masked or pending. */
    CHECK_EQ(EXTI->IMR1, 0u);
    CHECK_EQ(EXTI->RPR1 | EXTI->FPR1, 0u);
    CHECK_EQ(EXTI->EXTICR[3], 0u);

    /* The USER button PC13: input with pull-down, both edges. */
    gpio_configure(GPIOC, 13, GPIO_MODE_INPUT, GPIO_PULLDOWN);
    exti_configure(13, 2, 1, 1);
    CHECK_EQ(EXTI->EXTICR[3], 2u << 8);
    nvic_enable(EXTI13_IRQn);

    /* A software trigger is a rising request on the line. */
    EXTI->SWIER1 = PIN(13);
    CHECK(wait_until(&rising13, 1));
    CHECK_EQ(EXTI->SWIER1 & PIN(13), 0u);   /* cleared with its pending bit */
    CHECK_EQ(falling13, 0u);

    mvtest_log("press PC13");
    CHECK(wait_pin(GPIOC, 13, 1));
    CHECK(wait_until(&rising13, 2));
    CHECK_EQ(falling13, 0u);
    mvtest_log("release PC13");
    CHECK(wait_pin(GPIOC, 13, 0));
    CHECK(wait_until(&falling13, 1));
    CHECK_EQ(rising13, 2u);

    /* Line 0 on port B: PA0 is not its pin. */
    gpio_configure(GPIOA, 0, GPIO_MODE_INPUT, GPIO_NOPULL);
    gpio_configure(GPIOB, 0, GPIO_MODE_INPUT, GPIO_NOPULL);
    exti_configure(0, 1, 1, 0);
    nvic_enable(EXTI0_IRQn);
    mvtest_log("drive PA0");
    CHECK(wait_pin(GPIOA, 0, 1));
    CHECK_EQ(EXTI->RPR1 & PIN(0), 0u);
    CHECK_EQ(rising0, 0u);
    mvtest_log("drive PB0");
    CHECK(wait_pin(GPIOB, 0, 1));
    CHECK(wait_until(&rising0, 1));
    /* A masked line still latches its pending bit, without an interrupt. */
    EXTI->IMR1 &= ~PIN(0);
    mvtest_log("drop PB0");
    CHECK(wait_pin(GPIOB, 0, 0));
    mvtest_log("raise PB0");
    CHECK(wait_pin(GPIOB, 0, 1));
    CHECK(EXTI->RPR1 & PIN(0));
    CHECK_EQ(rising0, 1u);
    EXTI->RPR1 = PIN(0);
    CHECK_EQ(EXTI->RPR1 & PIN(0), 0u);

    /* The USER LED: high, low, high; the runner follows the changes. */
    gpio_configure(GPIOA, 5, GPIO_MODE_OUTPUT, GPIO_NOPULL);
    GPIOA->BSRR = PIN(5);
    GPIOA->BSRR = PIN(5) << 16;
    GPIOA->BSRR = PIN(5);
    gpio_configure(GPIOB, 1, GPIO_MODE_INPUT, GPIO_PULLDOWN);
    mvtest_log("PA5 toggled");
    CHECK(wait_pin(GPIOB, 1, 1));   /* the runner's go-ahead */
    mvtest_end();
}
