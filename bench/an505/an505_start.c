/*
 * an505_start.c - bare-metal start-up for the "cpu" benchmark on QEMU's
 * mps2-an505 (Cortex-M33 with TrustZone, IoTKit), the reference board the
 * Microvisor board is compared with (bench/run, docs/benchmarks.md).
 *
 * Built twice (bench/meson.build), both times with the one cpu_work.c object:
 *
 * AN505_NONSECURE=0: everything runs Secure, as the core comes out of reset.
 *   Code in SSRAM1's Secure alias (0x10000000, where init-svtor points),
 *   data and stack in SSRAM2's Secure alias (0x38000000).
 *
 * AN505_NONSECURE=1: this file stays Secure (0x10000000 code, 0x38200000 data
 *   and stack, SSRAM3); cpu_work_run runs Non-secure, as a Microvisor
 *   application does: its code at 0x00100000 (SSRAM1, Non-secure alias),
 *   its data and stack at 0x28000000 (SSRAM2). The Secure side sets the MPCs
 *   of SSRAM1 (from 1 MiB up) and SSRAM2 to Non-secure, sets SAU_CTRL.ALLNS
 *   (the IoTKit IDAU then makes addresses with bit 28 set Secure, the rest
 *   Non-secure, the same split the Microvisor board's boot stage uses) and
 *   calls cpu_work_run with BLXNS; the Non-secure code returns through
 *   FNC_RETURN.
 *
 * Both print "BENCH cpu board=... rounds=N checksum=0x..." through
 * semihosting and exit QEMU with SYS_EXIT_EXTENDED: status 0 when the
 * checksum is right, 1 when it is not, 3 on a fault. QEMU needs
 * -semihosting-config enable=on,target=native.
 *
 * (The names SSRAM1-3 are the AN505 document's; QEMU calls them ssram-0..2.)
 */
#include <stdint.h>

#include "cpu_work.h"

#ifndef AN505_NONSECURE
#error "define AN505_NONSECURE to 0 or 1"
#endif

/* From the linker script. */
extern uint32_t _estack, _sbss, _ebss;
#if AN505_NONSECURE
extern uint32_t _ns_sbss, _ns_ebss, _ns_estack;
#endif

static volatile uint32_t rounds = CPU_WORK_ROUNDS;

/* Semihosting (Arm's "semihosting for AArch32", BKPT 0xAB on M-profile). */
#define SYS_WRITE0 0x04u
#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static uint32_t semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm("r0") = op;
    register const void *r1 __asm("r1") = arg;

    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static void put(const char *s)
{
    semihost(SYS_WRITE0, s);
}

static void put_dec(uint32_t v)
{
    char text[11];
    unsigned i = sizeof text - 1;

    text[i] = 0;
    do {
        text[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v && i);
    put(&text[i]);
}

static void put_hex8(uint32_t v)
{
    char text[9];

    for (int i = 7; i >= 0; i--, v >>= 4)
        text[i] = "0123456789abcdef"[v & 15u];
    text[8] = 0;
    put(text);
}

__attribute__((noreturn)) static void finish(uint32_t status)
{
    const uint32_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, status };

    semihost(SYS_EXIT_EXTENDED, block);
    for (;;) {
    }
}

/* Any fault (there should be none) ends the run with status 3. */
void an505_fault(void)
{
    put("BENCH cpu fault\n");
    finish(3);
}

#if AN505_NONSECURE
/* IoTKit memory protection controllers (QEMU hw/misc/tz-mpc.c). */
#define MPC_SSRAM1 0x58007000u /* QEMU ssram-0-mpc: 4 MiB at 0x00000000 */
#define MPC_SSRAM2 0x58008000u /* QEMU ssram-1-mpc: 2 MiB at 0x28000000 */
#define MPC_BLK_CFG 0x14u
#define MPC_BLK_IDX 0x18u
#define MPC_BLK_LUT 0x1Cu
#define SAU_CTRL 0xE000EDD0u
#define SAU_CTRL_ALLNS 2u

static inline volatile uint32_t *reg(uint32_t address)
{
    return (volatile uint32_t *)address;
}

/* Blocks at offsets [ns_from, size) Non-secure, the others Secure. */
static void mpc_split(uint32_t mpc, uint32_t size, uint32_t ns_from)
{
    uint32_t block = 1u << (*reg(mpc + MPC_BLK_CFG) + 5);
    uint32_t blocks = size / block;

    for (uint32_t word = 0; word * 32 < blocks; word++) {
        uint32_t bits = 0;
        for (uint32_t bit = 0; bit < 32; bit++) {
            uint32_t index = word * 32 + bit;
            if (index < blocks && index * block >= ns_from)
                bits |= 1u << bit;
        }
        *reg(mpc + MPC_BLK_IDX) = word;
        *reg(mpc + MPC_BLK_LUT) = bits;
    }
}

/*
 * Calls fn(arg) in Non-secure state and returns its result. BLXNS pushes the
 * return address on the Secure stack and sets LR to FNC_RETURN; the callee
 * preserves r4-r11 as any AAPCS function does (saved here all the same).
 */
__attribute__((naked)) static uint32_t call_nonsecure(uint32_t (*fn)(uint32_t) __attribute__((unused)),
                                                     uint32_t arg __attribute__((unused)))
{
    __asm volatile(
        "push {r4-r12, lr}\n\t"
        "bic r2, r0, #1\n\t" /* bit 0 clear: the target is Non-secure */
        "mov r0, r1\n\t"
        "blxns r2\n\t"
        "pop {r4-r12, pc}\n\t");
}

static uint32_t run_work(uint32_t n)
{
    mpc_split(MPC_SSRAM1, 4u << 20, 1u << 20);
    mpc_split(MPC_SSRAM2, 2u << 20, 0);
    *reg(SAU_CTRL) = SAU_CTRL_ALLNS;
    __asm volatile("dsb\n\tisb" ::: "memory");

    /* Non-secure .bss (written now as Non-secure transactions). */
    for (volatile uint32_t *p = &_ns_sbss; p < &_ns_ebss;)
        *p++ = 0;
    __asm volatile("msr msp_ns, %0" : : "r"(&_ns_estack));
    return call_nonsecure(cpu_work_run, n);
}
#define BOARD_NAME "an505-nonsecure"
#else
static uint32_t run_work(uint32_t n)
{
    return cpu_work_run(n);
}
#define BOARD_NAME "an505-secure"
#endif

__attribute__((noreturn, used)) void an505_main(void)
{
    for (volatile uint32_t *p = &_sbss; p < &_ebss;)
        *p++ = 0;

    uint32_t n = rounds;
    uint32_t checksum = run_work(n);

    put("BENCH cpu board=" BOARD_NAME " rounds=");
    put_dec(n);
    put(" checksum=0x");
    put_hex8(checksum);
    put("\n");
    finish(checksum == CPU_WORK_EXPECTED ? 0 : 1);
}

__attribute__((naked, noreturn)) void an505_reset(void)
{
    __asm volatile(
        "ldr r0, =_estack\n\t"
        "mov sp, r0\n\t"
        "b an505_main\n\t"
        ".ltorg\n\t");
}

typedef void (*vector_t)(void);

/* Secure vector table at 0x10000000 (mps2-an505's init-svtor). */
__attribute__((section(".vectors"), used)) const vector_t an505_vectors[16] = {
    (vector_t)&_estack,
    an505_reset,
    an505_fault, /* NMI */
    an505_fault, /* HardFault */
    an505_fault, /* MemManage */
    an505_fault, /* BusFault */
    an505_fault, /* UsageFault */
    an505_fault, /* SecureFault */
    0, 0, 0,
    an505_fault, /* SVCall */
    an505_fault, /* DebugMonitor */
    0,
    an505_fault, /* PendSV */
    an505_fault, /* SysTick */
};
