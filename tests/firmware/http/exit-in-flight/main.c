/*
 * http-exit-in-flight: the application ends the run while an HTTP request is
 * still on its way (the server answers /slow/5000 after 5 s). Run under
 * valgrind: the backend must cancel the transfer and free libcurl's handles,
 * sockets and the channel, leaving no lost block or open descriptor.
 */
#include <string.h>

#include "fwnet.h"
#include "../../network/channels/chutil.h"

#define IRQ TIM1_BRK_IRQn
#define TAG_NET 0x4e4554u
#define TAG_HTTP 0x485454u

static volatile struct MvNotification ring[8] __attribute__((aligned(8)));
static FwCenter center;
static uint8_t rx[4096] __attribute__((aligned(512)));
static uint8_t tx[1024] __attribute__((aligned(512)));

void TIM1_BRK_IRQHandler(void) { fw_center_isr(&center); }

int main(void)
{
    static const char method[] = "GET", url[] = "https://api.example.com/slow/5000";
    MvNetworkHandle net = 0;
    MvChannelHandle h = 0;

    mvtest_begin("http-exit-in-flight");
    mv_enable_irq();
    CHECK_STATUS(fw_center_open(&center, ring, 8, IRQ), MV_STATUS_OKAY);
    CHECK_STATUS(fw_request_network(center.handle, TAG_NET, &net), MV_STATUS_OKAY);
    CHECK(fw_wait_network_status(net, MV_NETWORKSTATUS_CONNECTED, 5000000u));
    struct MvOpenChannelParams op = ch_params(center.handle, TAG_HTTP, net, MV_CHANNELTYPE_HTTP,
                                              rx, sizeof rx, tx, sizeof tx);
    CHECK_STATUS(mvOpenChannel(&op, &h), MV_STATUS_OKAY);
    struct MvHttpRequest r = {
        .method = { (const uint8_t *)method, sizeof method - 1 },
        .url = { (const uint8_t *)url, sizeof url - 1 },
        .timeout_ms = 10000,
    };
    CHECK_STATUS(mvSendHttpRequest(h, &r), MV_STATUS_OKAY);
    /* Long enough for the connection and TLS to be up, well before the answer. */
    fw_spin_us(500000u);
    mvtest_log("leaving with the request in flight");
    mvtest_end();
}
