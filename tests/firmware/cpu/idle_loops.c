/*
 * Loops that only wait, run paced (./mvemu run --paced, the board's
 * idle-skip): the CPU may sleep in each, and every one must still see what
 * wakes it, at the virtual time it would without sleeping.
 *   - a HAL_Delay-style poll of a tick count an ISR increments;
 *   - a `while (!flag)` poll of a flag the ISR sets, and the same through a
 *     function call (FreeRTOS's idle task calls out), and with WFE;
 *   - a poll of a device register that no interrupt announces (SysTick's
 *     COUNTFLAG with TICKINT off): must never sleep;
 *   - a poll of mvGetMicroseconds (a system call): must never sleep;
 *   - a poll of a notification record the backend writes (an echo's data).
 * "idle-loops: waited" is the runner's cue to read the board's park count.
 */
#include "fwtest.h"
#include "fwnet.h"

#define RING_IRQ TIM1_BRK_IRQn
#define TICK_HZ  1000u
#define SLACK_US 1500u
/* Unpaced, the virtual clock is the host's, and a loaded host is late. */
#ifndef LATE_SLACK_US
#define LATE_SLACK_US SLACK_US
#endif

static volatile uint32_t ticks;
static volatile uint32_t flag;
static volatile uint32_t flag_tick;
static volatile struct MvNotification ring[4] __attribute__((aligned(8)));
static FwCenter center;
static uint8_t echo_rx[512] __attribute__((aligned(512)));
static uint8_t echo_tx[512] __attribute__((aligned(512)));

void SysTick_Handler(void)
{
    ticks++;
    if (flag_tick && ticks == flag_tick)
        flag = 1;
}

void TIM1_BRK_IRQHandler(void)
{
    fw_center_isr(&center);
}

static void flag_after(uint32_t n)
{
    flag = 0;
    flag_tick = ticks + n;
}

__attribute__((noinline)) static uint32_t read_flag(void)
{
    return flag;
}

/* A wait of `ms` took `ms` ms of virtual time, give or take a tick. */
static void check_lasted(const char *what, uint64_t from, uint32_t ms)
{
    uint64_t took = fw_micros() - from;

    mvtest_log("%s: %u us", what, (unsigned)took);
    CHECK(took + SLACK_US >= ms * 1000u);
    CHECK(took <= ms * 1000u + LATE_SLACK_US);
}

int main(void)
{
    uint32_t hz = 160000000u;
    uint64_t t0;

    mvtest_begin("idle-loops");
    (void)mvGetSysClk(&hz);
    mv_systick_start(hz / TICK_HZ);
    mv_enable_irq();

    t0 = fw_micros();
    for (uint32_t start = ticks; ticks - start < 50u;) {
    }
    check_lasted("tick poll", t0, 50);

    flag_after(20);
    t0 = fw_micros();
    while (!flag) {
    }
    check_lasted("flag poll", t0, 20);

    flag_after(20);
    t0 = fw_micros();
    while (!read_flag()) {
    }
    check_lasted("flag poll through a call", t0, 20);

    flag_after(20);
    t0 = fw_micros();
    while (!flag)
        __asm volatile("wfe");
    check_lasted("flag poll with WFE", t0, 20);
    mvtest_log("idle-loops: waited");

    /* COUNTFLAG sets at each wrap with no interrupt: polled 10 times. */
    MVEMU_REG32(MVEMU_SYST_CSR) &= ~MVEMU_SYST_CSR_TICKINT;
    t0 = fw_micros();
    (void)MVEMU_REG32(MVEMU_SYST_CSR);           /* clears COUNTFLAG */
    for (int i = 0; i < 10; i++) {
        while (!(MVEMU_REG32(MVEMU_SYST_CSR) & MVEMU_SYST_CSR_COUNTFLAG)) {
        }
    }
    check_lasted("device register poll", t0, 10);
    MVEMU_REG32(MVEMU_SYST_CSR) |= MVEMU_SYST_CSR_TICKINT;

    t0 = fw_micros();
    while (fw_micros() - t0 < 5000u) {
    }
    check_lasted("system call poll", t0, 5);

    /* The echo of 4 bytes comes back from the backend's thread: a record
     * written into the ring and its interrupt. */
    if (CHECK_STATUS(fw_center_open(&center, ring, 4, RING_IRQ), MV_STATUS_OKAY)) {
        MvNetworkHandle net = 0;
        MvChannelHandle echo = 0;
        uint32_t available = 0;

        CHECK_STATUS(fw_request_network(center.handle, 1, &net), MV_STATUS_OKAY);
        CHECK(fw_wait_network_status(net, MV_NETWORKSTATUS_CONNECTED, 5000000u));
        struct MvOpenChannelParams op = {
            .version = 1,
            .v1 = { center.handle, 2, net, echo_rx, sizeof echo_rx, echo_tx, sizeof echo_tx,
                    MV_CHANNELTYPE_OPAQUEBYTES, { (const uint8_t *)"echo", 4 } },
        };
        CHECK_STATUS(mvOpenChannel(&op, &echo), MV_STATUS_OKAY);
        fw_spin_us(100000);              /* connected, its records taken */
        uint32_t before = center.received, start = ticks;
        CHECK_STATUS(mvWriteChannel(echo, (const uint8_t *)"ping", 4, &available), MV_STATUS_OKAY);
        while (center.received == before && ticks - start < 5000u) {
        }
        CHECK(center.received > before);
        CHECK_EQ(center.last_type, MV_EVENTTYPE_CHANNELDATAREADABLE);
        mvtest_log("echo came back after %u ticks", (unsigned)(ticks - start));
        CHECK_STATUS(mvCloseChannel(&echo), MV_STATUS_OKAY);
        CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    }
    mvtest_end();
}
