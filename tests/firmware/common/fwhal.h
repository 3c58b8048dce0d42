/*
 * Register sequences of ST's HAL drivers (stm32u5xx_hal_i2c.c,
 * stm32u5xx_hal_uart.c), reproduced for firmware tests: each function
 * touches the registers in the order, and polls the flags, that the HAL
 * function in its comment does. Every wait is bounded in virtual time;
 * a function returns 0 where the HAL would return HAL_ERROR or
 * HAL_TIMEOUT.
 */
#ifndef MVEMU_FWHAL_H
#define MVEMU_FWHAL_H

#include <stdint.h>

#include "stm32u5_regs.h"

/* HAL_I2C_Init: PE off, TIMINGR, OAR1/OAR2, CR2 AUTOEND|NACK, PE on. */
void fw_i2c_init(I2c *i2c);
/* HAL_I2C_IsDeviceReady (one trial): 1 present, 0 absent, -1 timeout. */
int fw_i2c_is_device_ready(I2c *i2c, uint8_t addr);
/* HAL_I2C_Mem_Read with an 8-bit register address; chunks of at most
 * `chunk` bytes (the HAL uses 255) are joined with RELOAD. */
int fw_i2c_mem_read(I2c *i2c, uint8_t addr, uint8_t reg, uint8_t *buf, uint32_t len,
                    uint32_t chunk);
/* HAL_I2C_Mem_Write with an 8-bit register address. */
int fw_i2c_mem_write(I2c *i2c, uint8_t addr, uint8_t reg, const uint8_t *data, uint32_t len);
/* HAL_I2C_Master_Transmit (len <= 255). */
int fw_i2c_transmit(I2c *i2c, uint8_t addr, const uint8_t *data, uint32_t len);

/* HAL_UART_Init (8N1, oversampling 16) with UART_CheckIdleState's wait. */
void fw_uart_init(Usart *u, uint32_t pclk, uint32_t baud);
/* HAL_UART_Transmit: TXE before each byte, TC at the end. */
int fw_uart_write(Usart *u, const char *text);

/*
 * HAL_InitTick on TIM6: a 1 kHz update interrupt from TIMCLK (PCLK1, or
 * 2 x PCLK1 when APB1 divides HCLK), at NVIC priority @priority. The
 * firmware's TIM6_IRQHandler clears UIF and counts (HAL_IncTick).
 */
void fw_hal_init_tick(uint32_t priority);
/* TIMCLK of the APB1 timers as HAL_RCC_GetPCLK1Freq and HAL_InitTick see it. */
uint32_t fw_apb1_timer_clock(void);

#endif
