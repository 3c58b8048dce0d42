/*
 * peripherals-gpio: GPIO ports driven the way ST's HAL drives them: reset
 * values, HAL_GPIO_Init (MODER, OTYPER, OSPEEDR, PUPDR), HAL_GPIO_WritePin
 * and TogglePin through BSRR (the USER LED on PA5), BRR, and pull-ups and
 * pull-downs visible in IDR on an unconnected input (the button pin PC13),
 * and HAL_GPIO_LockPin's LCKR key sequence (locked pins keep their mode).
 */
#include "fwtest.h"

#define RCC_AHB2ENR1 (0x46020C00u + 0x08C)

typedef struct {
    volatile uint32_t MODER, OTYPER, OSPEEDR, PUPDR, IDR, ODR, BSRR, LCKR, AFR[2], BRR;
} Gpio;

#define GPIOA ((Gpio *)0x42020000u)
#define GPIOB ((Gpio *)0x42020400u)
#define GPIOC ((Gpio *)0x42020800u)
#define GPIOI ((Gpio *)0x42022000u)
#define PIN5  (1u << 5)
#define PIN13 (1u << 13)

int main(void)
{
    mvtest_begin("peripherals-gpio");
    CHECK_STATUS(mvPeriphPoke32(RCC_AHB2ENR1, 0x1FFu, 0x1FFu), MV_STATUS_OKAY); /* GPIOA-I */

    /* RM0456 reset values (debug pins in alternate function on A and B). */
    CHECK_EQ(GPIOA->MODER, 0xABFFFFFFu);
    CHECK_EQ(GPIOA->PUPDR, 0x64000000u);
    CHECK_EQ(GPIOB->MODER, 0xFFFFFEBFu);
    CHECK_EQ(GPIOC->MODER, 0xFFFFFFFFu);
    CHECK_EQ(GPIOI->MODER, 0xFFFFFFFFu);

    /* HAL_GPIO_Init(GPIOA, PIN5, output push-pull, no pull, low speed). */
    GPIOA->OSPEEDR &= ~(3u << 10);
    GPIOA->OTYPER &= ~PIN5;
    GPIOA->PUPDR &= ~(3u << 10);
    GPIOA->MODER = (GPIOA->MODER & ~(3u << 10)) | (1u << 10);
    CHECK_EQ((GPIOA->MODER >> 10) & 3u, 1u);

    GPIOA->BSRR = PIN5;                       /* HAL_GPIO_WritePin(SET) */
    CHECK(GPIOA->ODR & PIN5);
    CHECK(GPIOA->IDR & PIN5);                 /* an output reads back on IDR */
    GPIOA->BSRR = PIN5 << 16;                 /* HAL_GPIO_WritePin(RESET) */
    CHECK_EQ(GPIOA->ODR & PIN5, 0u);
    CHECK_EQ(GPIOA->IDR & PIN5, 0u);
    /* HAL_GPIO_TogglePin: BSRR with the set and reset halves from ODR. */
    for (int i = 0; i < 4; i++) {
        uint32_t odr = GPIOA->ODR;
        GPIOA->BSRR = ((odr & PIN5) << 16) | (~odr & PIN5);
        CHECK_EQ(GPIOA->ODR & PIN5, (i % 2 == 0) ? PIN5 : 0u);
    }
    GPIOA->BSRR = PIN5;
    GPIOA->BRR = PIN5;                        /* BRR resets too */
    CHECK_EQ(GPIOA->ODR & PIN5, 0u);

    /* PC13 as an input: the pull decides what an unconnected pin reads. */
    GPIOC->MODER &= ~(3u << 26);
    GPIOC->PUPDR = (GPIOC->PUPDR & ~(3u << 26)) | (1u << 26);   /* pull-up */
    CHECK(GPIOC->IDR & PIN13);
    GPIOC->PUPDR = (GPIOC->PUPDR & ~(3u << 26)) | (2u << 26);   /* pull-down */
    CHECK_EQ(GPIOC->IDR & PIN13, 0u);

    /* HAL_GPIO_LockPin(GPIOA, PIN5): the LCKK key sequence, then LCKK reads 1. */
    uint32_t key = (1u << 16) | PIN5;
    GPIOA->LCKR = key;
    GPIOA->LCKR = PIN5;
    GPIOA->LCKR = key;
    (void)GPIOA->LCKR;
    CHECK(GPIOA->LCKR & (1u << 16));
    uint32_t moder = GPIOA->MODER;
    GPIOA->MODER = moder & ~(3u << 10);          /* PA5 to input: refused */
    CHECK_EQ((GPIOA->MODER >> 10) & 3u, 1u);
    GPIOA->MODER = moder & ~(3u << 12);          /* PA6 is not locked */
    CHECK_EQ((GPIOA->MODER >> 12) & 3u, 0u);
    GPIOA->PUPDR |= 1u << 10;                    /* PA5's pull: refused */
    CHECK_EQ((GPIOA->PUPDR >> 10) & 3u, 0u);
    GPIOA->LCKR = 0;                             /* locked until reset */
    CHECK(GPIOA->LCKR & (1u << 16));
    GPIOA->BSRR = PIN5;                          /* the output still works */
    CHECK(GPIOA->ODR & PIN5);
    /* A broken sequence does not lock (port B). */
    GPIOB->LCKR = (1u << 16) | 1u;
    GPIOB->LCKR = 2u;
    GPIOB->LCKR = (1u << 16) | 1u;
    CHECK_EQ(GPIOB->LCKR & (1u << 16), 0u);
    mvtest_end();
}
