/*
 * peripherals-rtos-app: an application shaped like a CubeMX FreeRTOS
 * project on the board, every block at once:
 *
 * - HAL time base on TIM6 (1 kHz, HAL_IncTick in TIM6_IRQHandler) beside
 *   the scheduler's SysTick (fwsched.c, FreeRTOS ARM_CM33_NTZ style);
 * - the "app" task blinks the USER LED (PA5) every 50 HAL ticks, logs on
 *   USART2 and waits for the USER button (PC13, EXTI13 interrupt) that
 *   the runner presses over QMP;
 * - the "sensor" task reads an MCP9808 on I2C1 every 20 ticks and shows
 *   the temperature on an HT16K33 7-segment display; once the button was
 *   pressed the runner warms the sensor (qom-set) and reads the display
 *   (qom-get) when the new value shows;
 * - USART2 is shared between the tasks under a critical section, the I2C
 *   bus belongs to the sensor task.
 *
 * Run under -icount. The app task judges the run: the tick kept pace with virtual time, the
 * LED blinked, the button interrupt arrived once, the display followed the
 * sensor, and both tasks ran on their own stacks.
 */
#include <stdio.h>

#include "fwhal.h"
#include "fwsched.h"
#include "fwtest.h"

#define STACK_WORDS 1024u
#define MCP9808     0x18
#define HT16K33     0x70
#define GIVE_UP_MS  10000u

static uint32_t app_stack[STACK_WORDS] __attribute__((aligned(8)));
static uint32_t sensor_stack[STACK_WORDS] __attribute__((aligned(8)));

static volatile uint32_t hal_ticks, button_presses, blinks, sensor_reads;
static volatile uint32_t displayed_tenths = 0xFFFFFFFFu;
static volatile uint32_t sensor_errors, wrong_stack;
static uint64_t start_us;

void TIM6_IRQHandler(void)
{
    if (MVEMU_REG32(0x40001010u) & 1u) {
        MVEMU_REG32(0x40001010u) = ~1u;
        hal_ticks++;
    }
}

void EXTI13_IRQHandler(void)
{
    if (EXTI->RPR1 & (1u << 13)) {
        EXTI->RPR1 = 1u << 13;
        button_presses++;
    }
}

void SysTick_Handler(void)
{
    fwsched_tick();
}

uint32_t svc_dispatch(uint32_t *frame, uint32_t exc_return)
{
    const uint8_t *after = (const uint8_t *)(uintptr_t)(frame[6] & ~1u);
    return after[-2] == 2u && !sched_running ? fwsched_svc_start() : exc_return;
}


static void log_line(const char *text)
{
    mv_disable_irq();                   /* taskENTER_CRITICAL */
    fw_uart_write(USART2, text);
    fw_uart_write(USART2, "\r\n");
    mv_enable_irq();
}

/* osDelay: give the CPU away until @ms HAL ticks have passed. */
static void task_delay(uint32_t ms)
{
    uint32_t until = hal_ticks + ms;
    while ((int32_t)(hal_ticks - until) < 0) {
        fwsched_yield();
    }
}

static int on_stack(const uint32_t *stack)
{
    uint32_t sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    return sp > (uint32_t)(uintptr_t)stack && sp <= (uint32_t)(uintptr_t)(stack + STACK_WORDS);
}

static void task_exit_trap(void)
{
    mvtest_log("FATAL a task returned");
    CHECK(0);
    mvtest_end();
}

/* Seven-segment patterns of 0-9 (Adafruit backpack: segment a = bit 0). */
static const uint8_t digit_segments[10] = {
    0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F,
};

/* "tt.t" on the display: tenths of a degree, the point after the units. */
static int show_tenths(uint32_t tenths)
{
    uint8_t ram[11] = { 0x00 };
    uint32_t hundreds = tenths / 1000u % 10u, tens = tenths / 100u % 10u;
    ram[1] = hundreds ? digit_segments[hundreds] : 0;
    ram[3] = digit_segments[tens];
    ram[7] = digit_segments[tenths / 10u % 10u] | 0x80;  /* with its point */
    ram[9] = digit_segments[tenths % 10u];
    return fw_i2c_transmit(I2C1, HT16K33, ram, sizeof ram);
}

static void sensor_task(void)
{
    static const uint8_t oscillator_on = 0x21, display_on = 0x81;
    if (!fw_i2c_transmit(I2C1, HT16K33, &oscillator_on, 1) ||
        !fw_i2c_transmit(I2C1, HT16K33, &display_on, 1)) {
        sensor_errors++;
    }
    for (;;) {
        uint8_t b[2];
        if (!on_stack(sensor_stack)) {
            wrong_stack++;
        }
        if (fw_i2c_mem_read(I2C1, MCP9808, 5, b, 2, 255)) {
            /* T_A: 13-bit two's complement in 1/16 degree, flags above */
            uint32_t sixteenths = (uint32_t)((b[0] & 0x0F) << 8 | b[1]);
            uint32_t tenths = sixteenths * 10u / 16u;
            sensor_reads++;
            if (tenths != displayed_tenths) {
                char line[48];
                if (!show_tenths(tenths)) {
                    sensor_errors++;
                }
                displayed_tenths = tenths;
                snprintf(line, sizeof line, "temperature %lu.%lu C",
                         (unsigned long)(tenths / 10u), (unsigned long)(tenths % 10u));
                log_line(line);
            }
        } else {
            sensor_errors++;
        }
        task_delay(20);
    }
}

static void __attribute__((noreturn)) finish(void)
{
    mv_disable_irq();
    sched_running = 0;
    mv_systick_stop();
    uint32_t elapsed_ms = (uint32_t)((fw_micros() - start_us) / 1000u);
    mvtest_log("ticks=%lu in %lu ms, blinks=%lu, presses=%lu, sensor reads=%lu, switches=%lu",
               (unsigned long)hal_ticks, (unsigned long)elapsed_ms, (unsigned long)blinks,
               (unsigned long)button_presses, (unsigned long)sensor_reads,
               (unsigned long)sched_switches);
    /* Under -icount the HAL tick keeps exact pace with virtual time. */
    CHECK(hal_ticks <= elapsed_ms + 2u);
    CHECK(hal_ticks + 2u >= elapsed_ms);
    CHECK(blinks >= 4u);
    CHECK_EQ(button_presses, 1u);
    CHECK_EQ(displayed_tenths, 300u);
    CHECK(sensor_reads >= 3u);
    CHECK_EQ(sensor_errors, 0u);
    CHECK_EQ(wrong_stack, 0u);
    CHECK(sched_switches > 10u);
    mvtest_end();
}

static void app_task(void)
{
    log_line("app task running");
    /* HAL_GPIO_Init: PA5 output, PC13 input (pull-down) on EXTI13 rising. */
    gpio_configure(GPIOA, 5, GPIO_MODE_OUTPUT, GPIO_NOPULL);
    gpio_configure(GPIOC, 13, GPIO_MODE_INPUT, GPIO_PULLDOWN);
    gpio_configure(GPIOB, 1, GPIO_MODE_INPUT, GPIO_PULLDOWN);
    EXTI->EXTICR[3] = (EXTI->EXTICR[3] & ~(0xFFu << 8)) | (2u << 8);
    EXTI->RTSR1 |= 1u << 13;
    EXTI->IMR1 |= 1u << 13;
    mv_nvic_set_priority(EXTI13_IRQn, 5);
    nvic_enable(EXTI13_IRQn);

    int asked = 0, warmed = 0;
    for (;;) {
        if (!on_stack(app_stack)) {
            wrong_stack++;
        }
        task_delay(50);
        GPIOA->BSRR = (GPIOA->ODR & (1u << 5)) ? (1u << 21) : (1u << 5);  /* toggle */
        blinks++;
        if (!asked && blinks >= 2u) {
            log_line("waiting for the button");
            asked = 1;
        }
        if (button_presses && !warmed) {
            log_line("button pressed");
            warmed = 1;
        }
        /* The runner's go-ahead: it has read the display. */
        if (warmed && (GPIOB->IDR & (1u << 1)) && blinks >= 4u) {
            finish();
        }
        if (hal_ticks > GIVE_UP_MS) {
            log_line("gave up");
            finish();
        }
    }
}

int main(void)
{
    mvtest_begin("peripherals-rtos-app");
    uint32_t hclk = 0, pclk1 = 0;
    CHECK_STATUS(mvGetHClk(&hclk), MV_STATUS_OKAY);
    CHECK_STATUS(mvGetPClk1(&pclk1), MV_STATUS_OKAY);
    CHECK_STATUS(mvPeriphPoke32(RCC_AHB2ENR1, 0x1FFu, 0x1FFu), MV_STATUS_OKAY);
    CHECK_STATUS(mvPeriphPoke32(RCC_APB1ENR1, APB1ENR1_USART2EN | APB1ENR1_I2C1EN,
                                APB1ENR1_USART2EN | APB1ENR1_I2C1EN), MV_STATUS_OKAY);

    /* HAL_Init: NVIC grouping 4, the time base on TIM6 at priority 15. */
    MVEMU_REG32(MVEMU_SCB_AIRCR) = MVEMU_SCB_AIRCR_VECTKEY | (3u << MVEMU_SCB_AIRCR_PRIGROUP_SHIFT);
    fw_hal_init_tick(15);
    fw_uart_init(USART2, pclk1, 115200u);
    fw_i2c_init(I2C1);

    fwsched_init_thread(0, app_stack, STACK_WORDS, app_task, task_exit_trap);
    fwsched_init_thread(1, sensor_stack, STACK_WORDS, sensor_task, task_exit_trap);
    start_us = fw_micros();
    fwsched_start(hclk);
    mvtest_log("FATAL the scheduler did not start");
    CHECK(0);
    mvtest_end();
}
