/*
 * startup_mvemu.c - reset code and vector table for mvemu application images.
 *
 * Layout of the table follows the Armv8-M exception numbers: 16 core entries
 * (the first being the initial stack pointer) followed by the STM32U585's
 * 125 device interrupts. Every handler is a weak alias of Default_Handler,
 * so firmware overrides one simply by defining a function of that name.
 *
 * This object also carries the minimal newlib system-call stubs (see the end
 * of the file). They live here rather than in a file of their own because
 * this object is always pulled out of libmvguest.a (ENTRY(Reset_Handler)
 * makes the linker want it), so its definitions are seen before the
 * linker reaches libnosys, whose stubs warn at link time.
 */
#include <stdint.h>
#include <sys/stat.h>
#include <errno.h>

/* Provided by app.ld */
extern uint32_t _estack;
extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss;

extern int main(void);
extern void __libc_init_array(void);

void Reset_Handler(void);
void Default_Handler(void);

/* Clock/board setup hook run before C/C++ initialisation; empty by default
 * because Microvisor has already configured the clocks. */
__attribute__((weak)) void SystemInit(void)
{
}

/*
 * With -nostartfiles there is no crti.o, yet newlib's __libc_init_array
 * still calls _init(). Empty weak versions keep the link working.
 */
__attribute__((weak)) void _init(void)
{
}

__attribute__((weak)) void _fini(void)
{
}

/* Second half of Reset_Handler, once SP is valid. Not static: it is
 * reached only from the assembly below. */
__attribute__((noreturn, used)) void mvemu_reset_continue(void);

void mvemu_reset_continue(void)
{
    /*
     * Word loops (the linker script keeps these regions 4-byte aligned).
     * volatile stops GCC from turning them into memcpy/memset calls that
     * would run before the C environment exists.
     */
    volatile uint32_t *src = &_sidata;
    volatile uint32_t *dst = &_sdata;
    while (dst < &_edata)
        *dst++ = *src++;
    for (dst = &_sbss; dst < &_ebss;)
        *dst++ = 0;

    SystemInit();
    __libc_init_array();
    (void)main();

    /* main() is not expected to return; park the core if it does. */
    for (;;)
        __asm volatile("wfi");
}

/*
 * Written without a prologue so nothing touches the stack before SP is
 * set: whoever starts the image may not have loaded SP from entry 0.
 */
__attribute__((naked, noreturn)) void Reset_Handler(void)
{
    __asm volatile(
        "ldr r0, =_estack\n\t"
        "mov sp, r0\n\t"
        "b mvemu_reset_continue\n\t"
        ".ltorg\n\t");
}

/* Unhandled exception or interrupt: stop here so a debugger shows where. */
void Default_Handler(void)
{
    for (;;) {
    }
}

#define MV_WEAK_HANDLER(name) \
    void name(void) __attribute__((weak, alias("Default_Handler")));

/* Core exceptions */
MV_WEAK_HANDLER(NMI_Handler)
MV_WEAK_HANDLER(HardFault_Handler)
MV_WEAK_HANDLER(MemManage_Handler)
MV_WEAK_HANDLER(BusFault_Handler)
MV_WEAK_HANDLER(UsageFault_Handler)
MV_WEAK_HANDLER(SecureFault_Handler)
MV_WEAK_HANDLER(SVC_Handler)
MV_WEAK_HANDLER(DebugMon_Handler)
MV_WEAK_HANDLER(PendSV_Handler)
MV_WEAK_HANDLER(SysTick_Handler)

/* Device interrupts, IRQ 0..124 */
MV_WEAK_HANDLER(WWDG_IRQHandler)
MV_WEAK_HANDLER(PVD_PVM_IRQHandler)
MV_WEAK_HANDLER(RTC_IRQHandler)
MV_WEAK_HANDLER(RTC_S_IRQHandler)
MV_WEAK_HANDLER(TAMP_IRQHandler)
MV_WEAK_HANDLER(RAMCFG_IRQHandler)
MV_WEAK_HANDLER(FLASH_IRQHandler)
MV_WEAK_HANDLER(FLASH_S_IRQHandler)
MV_WEAK_HANDLER(GTZC_IRQHandler)
MV_WEAK_HANDLER(RCC_IRQHandler)
MV_WEAK_HANDLER(RCC_S_IRQHandler)
MV_WEAK_HANDLER(EXTI0_IRQHandler)
MV_WEAK_HANDLER(EXTI1_IRQHandler)
MV_WEAK_HANDLER(EXTI2_IRQHandler)
MV_WEAK_HANDLER(EXTI3_IRQHandler)
MV_WEAK_HANDLER(EXTI4_IRQHandler)
MV_WEAK_HANDLER(EXTI5_IRQHandler)
MV_WEAK_HANDLER(EXTI6_IRQHandler)
MV_WEAK_HANDLER(EXTI7_IRQHandler)
MV_WEAK_HANDLER(EXTI8_IRQHandler)
MV_WEAK_HANDLER(EXTI9_IRQHandler)
MV_WEAK_HANDLER(EXTI10_IRQHandler)
MV_WEAK_HANDLER(EXTI11_IRQHandler)
MV_WEAK_HANDLER(EXTI12_IRQHandler)
MV_WEAK_HANDLER(EXTI13_IRQHandler)
MV_WEAK_HANDLER(EXTI14_IRQHandler)
MV_WEAK_HANDLER(EXTI15_IRQHandler)
MV_WEAK_HANDLER(IWDG_IRQHandler)
MV_WEAK_HANDLER(SAES_IRQHandler)
MV_WEAK_HANDLER(GPDMA1_Channel0_IRQHandler)
MV_WEAK_HANDLER(GPDMA1_Channel1_IRQHandler)
MV_WEAK_HANDLER(GPDMA1_Channel2_IRQHandler)
MV_WEAK_HANDLER(GPDMA1_Channel3_IRQHandler)
MV_WEAK_HANDLER(GPDMA1_Channel4_IRQHandler)
MV_WEAK_HANDLER(GPDMA1_Channel5_IRQHandler)
MV_WEAK_HANDLER(GPDMA1_Channel6_IRQHandler)
MV_WEAK_HANDLER(GPDMA1_Channel7_IRQHandler)
MV_WEAK_HANDLER(ADC1_IRQHandler)
MV_WEAK_HANDLER(DAC1_IRQHandler)
MV_WEAK_HANDLER(FDCAN1_IT0_IRQHandler)
MV_WEAK_HANDLER(FDCAN1_IT1_IRQHandler)
MV_WEAK_HANDLER(TIM1_BRK_IRQHandler)
MV_WEAK_HANDLER(TIM1_UP_IRQHandler)
MV_WEAK_HANDLER(TIM1_TRG_COM_IRQHandler)
MV_WEAK_HANDLER(TIM1_CC_IRQHandler)
MV_WEAK_HANDLER(TIM2_IRQHandler)
MV_WEAK_HANDLER(TIM3_IRQHandler)
MV_WEAK_HANDLER(TIM4_IRQHandler)
MV_WEAK_HANDLER(TIM5_IRQHandler)
MV_WEAK_HANDLER(TIM6_IRQHandler)
MV_WEAK_HANDLER(TIM7_IRQHandler)
MV_WEAK_HANDLER(TIM8_BRK_IRQHandler)
MV_WEAK_HANDLER(TIM8_UP_IRQHandler)
MV_WEAK_HANDLER(TIM8_TRG_COM_IRQHandler)
MV_WEAK_HANDLER(TIM8_CC_IRQHandler)
MV_WEAK_HANDLER(I2C1_EV_IRQHandler)
MV_WEAK_HANDLER(I2C1_ER_IRQHandler)
MV_WEAK_HANDLER(I2C2_EV_IRQHandler)
MV_WEAK_HANDLER(I2C2_ER_IRQHandler)
MV_WEAK_HANDLER(SPI1_IRQHandler)
MV_WEAK_HANDLER(SPI2_IRQHandler)
MV_WEAK_HANDLER(USART1_IRQHandler)
MV_WEAK_HANDLER(USART2_IRQHandler)
MV_WEAK_HANDLER(USART3_IRQHandler)
MV_WEAK_HANDLER(UART4_IRQHandler)
MV_WEAK_HANDLER(UART5_IRQHandler)
MV_WEAK_HANDLER(LPUART1_IRQHandler)
MV_WEAK_HANDLER(LPTIM1_IRQHandler)
MV_WEAK_HANDLER(LPTIM2_IRQHandler)
MV_WEAK_HANDLER(TIM15_IRQHandler)
MV_WEAK_HANDLER(TIM16_IRQHandler)
MV_WEAK_HANDLER(TIM17_IRQHandler)
MV_WEAK_HANDLER(COMP_IRQHandler)
MV_WEAK_HANDLER(OTG_FS_IRQHandler)
MV_WEAK_HANDLER(CRS_IRQHandler)
MV_WEAK_HANDLER(FMC_IRQHandler)
MV_WEAK_HANDLER(OCTOSPI1_IRQHandler)
MV_WEAK_HANDLER(PWR_S3WU_IRQHandler)
MV_WEAK_HANDLER(SDMMC1_IRQHandler)
MV_WEAK_HANDLER(SDMMC2_IRQHandler)
MV_WEAK_HANDLER(GPDMA1_Channel8_IRQHandler)
MV_WEAK_HANDLER(GPDMA1_Channel9_IRQHandler)
MV_WEAK_HANDLER(GPDMA1_Channel10_IRQHandler)
MV_WEAK_HANDLER(GPDMA1_Channel11_IRQHandler)
MV_WEAK_HANDLER(GPDMA1_Channel12_IRQHandler)
MV_WEAK_HANDLER(GPDMA1_Channel13_IRQHandler)
MV_WEAK_HANDLER(GPDMA1_Channel14_IRQHandler)
MV_WEAK_HANDLER(GPDMA1_Channel15_IRQHandler)
MV_WEAK_HANDLER(I2C3_EV_IRQHandler)
MV_WEAK_HANDLER(I2C3_ER_IRQHandler)
MV_WEAK_HANDLER(SAI1_IRQHandler)
MV_WEAK_HANDLER(SAI2_IRQHandler)
MV_WEAK_HANDLER(TSC_IRQHandler)
MV_WEAK_HANDLER(AES_IRQHandler)
MV_WEAK_HANDLER(RNG_IRQHandler)
MV_WEAK_HANDLER(FPU_IRQHandler)
MV_WEAK_HANDLER(HASH_IRQHandler)
MV_WEAK_HANDLER(PKA_IRQHandler)
MV_WEAK_HANDLER(LPTIM3_IRQHandler)
MV_WEAK_HANDLER(SPI3_IRQHandler)
MV_WEAK_HANDLER(I2C4_ER_IRQHandler)
MV_WEAK_HANDLER(I2C4_EV_IRQHandler)
MV_WEAK_HANDLER(MDF1_FLT0_IRQHandler)
MV_WEAK_HANDLER(MDF1_FLT1_IRQHandler)
MV_WEAK_HANDLER(MDF1_FLT2_IRQHandler)
MV_WEAK_HANDLER(MDF1_FLT3_IRQHandler)
MV_WEAK_HANDLER(UCPD1_IRQHandler)
MV_WEAK_HANDLER(ICACHE_IRQHandler)
MV_WEAK_HANDLER(OTFDEC1_IRQHandler)
MV_WEAK_HANDLER(OTFDEC2_IRQHandler)
MV_WEAK_HANDLER(LPTIM4_IRQHandler)
MV_WEAK_HANDLER(DCACHE1_IRQHandler)
MV_WEAK_HANDLER(ADF1_IRQHandler)
MV_WEAK_HANDLER(ADC4_IRQHandler)
MV_WEAK_HANDLER(LPDMA1_Channel0_IRQHandler)
MV_WEAK_HANDLER(LPDMA1_Channel1_IRQHandler)
MV_WEAK_HANDLER(LPDMA1_Channel2_IRQHandler)
MV_WEAK_HANDLER(LPDMA1_Channel3_IRQHandler)
MV_WEAK_HANDLER(DMA2D_IRQHandler)
MV_WEAK_HANDLER(DCMI_PSSI_IRQHandler)
MV_WEAK_HANDLER(OCTOSPI2_IRQHandler)
MV_WEAK_HANDLER(MDF1_FLT4_IRQHandler)
MV_WEAK_HANDLER(MDF1_FLT5_IRQHandler)
MV_WEAK_HANDLER(CORDIC_IRQHandler)
MV_WEAK_HANDLER(FMAC_IRQHandler)

typedef void (*mv_vector_t)(void);

/*
 * The table itself. `used` keeps the compiler from dropping it, KEEP in
 * app.ld keeps --gc-sections from doing so, and the section name places it
 * at 0x08000000.
 */
__attribute__((section(".isr_vector"), used))
const mv_vector_t mv_vector_table[16 + 125] = {
    (mv_vector_t)&_estack,    /* initial main stack pointer */
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    SecureFault_Handler,
    0,                        /* reserved */
    0,                        /* reserved */
    0,                        /* reserved */
    SVC_Handler,
    DebugMon_Handler,
    0,                        /* reserved */
    PendSV_Handler,
    SysTick_Handler,

    WWDG_IRQHandler,                  /* 0 */
    PVD_PVM_IRQHandler,               /* 1 */
    RTC_IRQHandler,                   /* 2 */
    RTC_S_IRQHandler,                 /* 3 */
    TAMP_IRQHandler,                  /* 4 */
    RAMCFG_IRQHandler,                /* 5 */
    FLASH_IRQHandler,                 /* 6 */
    FLASH_S_IRQHandler,               /* 7 */
    GTZC_IRQHandler,                  /* 8 */
    RCC_IRQHandler,                   /* 9 */
    RCC_S_IRQHandler,                 /* 10 */
    EXTI0_IRQHandler,                 /* 11 */
    EXTI1_IRQHandler,                 /* 12 */
    EXTI2_IRQHandler,                 /* 13 */
    EXTI3_IRQHandler,                 /* 14 */
    EXTI4_IRQHandler,                 /* 15 */
    EXTI5_IRQHandler,                 /* 16 */
    EXTI6_IRQHandler,                 /* 17 */
    EXTI7_IRQHandler,                 /* 18 */
    EXTI8_IRQHandler,                 /* 19 */
    EXTI9_IRQHandler,                 /* 20 */
    EXTI10_IRQHandler,                /* 21 */
    EXTI11_IRQHandler,                /* 22 */
    EXTI12_IRQHandler,                /* 23 */
    EXTI13_IRQHandler,                /* 24 */
    EXTI14_IRQHandler,                /* 25 */
    EXTI15_IRQHandler,                /* 26 */
    IWDG_IRQHandler,                  /* 27 */
    SAES_IRQHandler,                  /* 28 */
    GPDMA1_Channel0_IRQHandler,       /* 29 */
    GPDMA1_Channel1_IRQHandler,       /* 30 */
    GPDMA1_Channel2_IRQHandler,       /* 31 */
    GPDMA1_Channel3_IRQHandler,       /* 32 */
    GPDMA1_Channel4_IRQHandler,       /* 33 */
    GPDMA1_Channel5_IRQHandler,       /* 34 */
    GPDMA1_Channel6_IRQHandler,       /* 35 */
    GPDMA1_Channel7_IRQHandler,       /* 36 */
    ADC1_IRQHandler,                  /* 37 */
    DAC1_IRQHandler,                  /* 38 */
    FDCAN1_IT0_IRQHandler,            /* 39 */
    FDCAN1_IT1_IRQHandler,            /* 40 */
    TIM1_BRK_IRQHandler,              /* 41 */
    TIM1_UP_IRQHandler,               /* 42 */
    TIM1_TRG_COM_IRQHandler,          /* 43 */
    TIM1_CC_IRQHandler,               /* 44 */
    TIM2_IRQHandler,                  /* 45 */
    TIM3_IRQHandler,                  /* 46 */
    TIM4_IRQHandler,                  /* 47 */
    TIM5_IRQHandler,                  /* 48 */
    TIM6_IRQHandler,                  /* 49 */
    TIM7_IRQHandler,                  /* 50 */
    TIM8_BRK_IRQHandler,              /* 51 */
    TIM8_UP_IRQHandler,               /* 52 */
    TIM8_TRG_COM_IRQHandler,          /* 53 */
    TIM8_CC_IRQHandler,               /* 54 */
    I2C1_EV_IRQHandler,               /* 55 */
    I2C1_ER_IRQHandler,               /* 56 */
    I2C2_EV_IRQHandler,               /* 57 */
    I2C2_ER_IRQHandler,               /* 58 */
    SPI1_IRQHandler,                  /* 59 */
    SPI2_IRQHandler,                  /* 60 */
    USART1_IRQHandler,                /* 61 */
    USART2_IRQHandler,                /* 62 */
    USART3_IRQHandler,                /* 63 */
    UART4_IRQHandler,                 /* 64 */
    UART5_IRQHandler,                 /* 65 */
    LPUART1_IRQHandler,               /* 66 */
    LPTIM1_IRQHandler,                /* 67 */
    LPTIM2_IRQHandler,                /* 68 */
    TIM15_IRQHandler,                 /* 69 */
    TIM16_IRQHandler,                 /* 70 */
    TIM17_IRQHandler,                 /* 71 */
    COMP_IRQHandler,                  /* 72 */
    OTG_FS_IRQHandler,                /* 73 */
    CRS_IRQHandler,                   /* 74 */
    FMC_IRQHandler,                   /* 75 */
    OCTOSPI1_IRQHandler,              /* 76 */
    PWR_S3WU_IRQHandler,              /* 77 */
    SDMMC1_IRQHandler,                /* 78 */
    SDMMC2_IRQHandler,                /* 79 */
    GPDMA1_Channel8_IRQHandler,       /* 80 */
    GPDMA1_Channel9_IRQHandler,       /* 81 */
    GPDMA1_Channel10_IRQHandler,      /* 82 */
    GPDMA1_Channel11_IRQHandler,      /* 83 */
    GPDMA1_Channel12_IRQHandler,      /* 84 */
    GPDMA1_Channel13_IRQHandler,      /* 85 */
    GPDMA1_Channel14_IRQHandler,      /* 86 */
    GPDMA1_Channel15_IRQHandler,      /* 87 */
    I2C3_EV_IRQHandler,               /* 88 */
    I2C3_ER_IRQHandler,               /* 89 */
    SAI1_IRQHandler,                  /* 90 */
    SAI2_IRQHandler,                  /* 91 */
    TSC_IRQHandler,                   /* 92 */
    AES_IRQHandler,                   /* 93 */
    RNG_IRQHandler,                   /* 94 */
    FPU_IRQHandler,                   /* 95 */
    HASH_IRQHandler,                  /* 96 */
    PKA_IRQHandler,                   /* 97 */
    LPTIM3_IRQHandler,                /* 98 */
    SPI3_IRQHandler,                  /* 99 */
    I2C4_ER_IRQHandler,               /* 100 */
    I2C4_EV_IRQHandler,               /* 101 */
    MDF1_FLT0_IRQHandler,             /* 102 */
    MDF1_FLT1_IRQHandler,             /* 103 */
    MDF1_FLT2_IRQHandler,             /* 104 */
    MDF1_FLT3_IRQHandler,             /* 105 */
    UCPD1_IRQHandler,                 /* 106 */
    ICACHE_IRQHandler,                /* 107 */
    OTFDEC1_IRQHandler,               /* 108 */
    OTFDEC2_IRQHandler,               /* 109 */
    LPTIM4_IRQHandler,                /* 110 */
    DCACHE1_IRQHandler,               /* 111 */
    ADF1_IRQHandler,                  /* 112 */
    ADC4_IRQHandler,                  /* 113 */
    LPDMA1_Channel0_IRQHandler,       /* 114 */
    LPDMA1_Channel1_IRQHandler,       /* 115 */
    LPDMA1_Channel2_IRQHandler,       /* 116 */
    LPDMA1_Channel3_IRQHandler,       /* 117 */
    DMA2D_IRQHandler,                 /* 118 */
    DCMI_PSSI_IRQHandler,             /* 119 */
    OCTOSPI2_IRQHandler,              /* 120 */
    MDF1_FLT4_IRQHandler,             /* 121 */
    MDF1_FLT5_IRQHandler,             /* 122 */
    CORDIC_IRQHandler,                /* 123 */
    FMAC_IRQHandler,                  /* 124 */
};

/*
 * newlib system-call stubs. There is no console file descriptor in this
 * environment (logging goes through mvServerLog/mvTestLog), so output is
 * accepted and dropped. All weak: firmware may supply real ones, e.g. a
 * _write that feeds a UART. _sbrk comes from libnosys and uses `end`.
 */
__attribute__((weak)) int _write(int fd, const char *buf, int len)
{
    (void)fd;
    (void)buf;
    return len;
}

__attribute__((weak)) int _read(int fd, char *buf, int len)
{
    (void)fd;
    (void)buf;
    (void)len;
    return 0;
}

__attribute__((weak)) int _close(int fd)
{
    (void)fd;
    return -1;
}

__attribute__((weak)) int _lseek(int fd, int offset, int whence)
{
    (void)fd;
    (void)offset;
    (void)whence;
    return 0;
}

__attribute__((weak)) int _fstat(int fd, struct stat *st)
{
    (void)fd;
    st->st_mode = S_IFCHR;   /* unbuffered character device */
    return 0;
}

__attribute__((weak)) int _isatty(int fd)
{
    (void)fd;
    return 1;
}

__attribute__((weak)) int _getpid(void)
{
    return 1;
}

__attribute__((weak)) int _kill(int pid, int sig)
{
    (void)pid;
    (void)sig;
    errno = EINVAL;
    return -1;
}

__attribute__((weak, noreturn)) void _exit(int status)
{
    (void)status;
    for (;;) {
    }
}
