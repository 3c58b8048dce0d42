/*
 * channels-open-checks: every check of mvOpenChannel in docs/network.md's
 * table, each provoked once by a call that is otherwise valid, and where two
 * could apply, the one earlier in the table wins:
 *
 *   params / handle pointers          PARAMETERFAULT
 *   version == 1                      UNSUPPORTEDSTRUCTUREVERSION
 *   buffers in application SRAM       PARAMETERFAULT
 *   endpoint <= 256 bytes, readable   UNKNOWNCHANNELENDPOINT / PARAMETERFAULT
 *   live center and network handle    INVALIDHANDLE
 *   type 0-3                          UNKNOWNCHANNELTYPE
 *   endpoint valid for the type       UNKNOWNCHANNELENDPOINT
 *   sizes non-zero multiples of 512   INVALIDBUFFERSIZE
 *   buffers 512-aligned               INVALIDBUFFERALIGNMENT
 *   rx and tx apart                   PARAMETERFAULT
 *   not in use by a channel or ring   BUFFERALREADYINUSE
 *   network CONNECTED                 NETWORKNOTCONNECTED
 *   fewer than 4 open                 TOOMANYCHANNELS
 *
 * (RATELIMITED has its own test.) The handle output is never written by a
 * failing call. Eight channels are opened in all: the rate limit (8 a
 * second) is never hit.
 */
#include <string.h>

#include "fwtest.h"
#include "../chutil.h"

#define IRQ TIM1_BRK_IRQn
#define TAG_NET 0x4e4554u
#define TAG_CH  0x434841u

/* The center's ring is a 512-aligned 512-byte block, the size of a buffer. */
static volatile struct MvNotification ring[32] __attribute__((aligned(512)));
static volatile struct MvNotification ring2[4] __attribute__((aligned(8)));
static FwCenter center, center2;
static uint8_t pool[12][512] __attribute__((aligned(512)));
static uint8_t long_name[300];
static uint32_t words[16];

static const struct MvOpenChannelParams flash_params_v2 = { .version = 2 };
static const MvChannelHandle flash_handle = 0x1234u;

static MvNetworkHandle net;
static MvNotificationHandle closed_center;
static struct MvOpenChannelParams P;

void TIM1_BRK_IRQHandler(void) { fw_center_isr(&center); }

/* The base case: an HTTP channel on pool[0] / pool[1]. */
static void reset_params(void)
{
    P = ch_params(center.handle, TAG_CH, net, MV_CHANNELTYPE_HTTP, pool[0], 512, pool[1], 512);
}

/* Spoil the base case with `spoil`, open, expect `status`, output untouched. */
#define TRY(spoil, status) do {                                      \
        MvChannelHandle h_ = FILL;                                   \
        reset_params();                                              \
        spoil;                                                       \
        CHECK_STATUS(mvOpenChannel(&P, &h_), status);                \
        CHECK_EQ(h_, FILL);                                          \
        reset_params();                                              \
    } while (0)

#define NAME(s) do { P.v1.endpoint.data = (const uint8_t *)(s);     \
                     P.v1.endpoint.length = sizeof(s) - 1; } while (0)

/* Open with the current P; 1 and a handle on success. */
static int open_p(MvChannelHandle *h)
{
    *h = FILL;
    enum MvStatus s = mvOpenChannel(&P, h);
    CHECK_STATUS(s, MV_STATUS_OKAY);
    return s == MV_STATUS_OKAY && *h != 0 && *h != FILL;
}

static void pointer_checks(void)
{
    MvChannelHandle h = FILL;
    reset_params();

    /* Params: missing, unmapped, secure alias, misaligned, past the end of RAM. */
    uint8_t *odd = (uint8_t *)words + 2;
    memcpy(odd, &P, sizeof P);
    CHECK_STATUS(mvOpenChannel(NULL, &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvOpenChannel(PTR(FW_UNMAPPED), &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvOpenChannel(PTR(FW_SECURE_SRAM), &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvOpenChannel(PTR(odd), &h), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvOpenChannel(PTR(0x2007FFE0u), &h), MV_STATUS_PARAMETERFAULT);
    /* Params in flash are readable: the version is what fails. */
    CHECK_STATUS(mvOpenChannel(&flash_params_v2, &h), MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    CHECK_EQ(h, FILL);

    /* Handle output: missing, flash, secure alias, unmapped, misaligned. */
    CHECK_STATUS(mvOpenChannel(&P, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvOpenChannel(&P, PTR(&flash_handle)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvOpenChannel(&P, PTR(FW_SECURE_SRAM)), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvOpenChannel(&P, PTR(FW_UNMAPPED)), MV_STATUS_PARAMETERFAULT);
    words[12] = FILL;
    words[13] = FILL;
    CHECK_STATUS(mvOpenChannel(&P, PTR((uint8_t *)&words[12] + 2)), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(words[12], FILL);
    CHECK_EQ(words[13], FILL);
    /* Order: a bad output pointer before a bad version. */
    CHECK_STATUS(mvOpenChannel(&flash_params_v2, PTR(&flash_handle)), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(flash_handle, 0x1234u);
}

static void version_checks(void)
{
    TRY(P.version = 0, MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    TRY(P.version = 2, MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    /* Order: the version before the buffers. */
    TRY({ P.version = 2; P.v1.receive_buffer = PTR(FW_APP_FLASH); },
        MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
}

static void buffer_location_checks(void)
{
    TRY(P.v1.receive_buffer = PTR(FW_APP_FLASH), MV_STATUS_PARAMETERFAULT);
    TRY(P.v1.send_buffer = PTR(FW_APP_FLASH), MV_STATUS_PARAMETERFAULT);
    TRY(P.v1.receive_buffer = PTR(FW_SECURE_SRAM), MV_STATUS_PARAMETERFAULT);
    TRY(P.v1.send_buffer = PTR(FW_SECURE_SRAM), MV_STATUS_PARAMETERFAULT);
    TRY(P.v1.send_buffer = PTR(FW_SECURE_FLASH), MV_STATUS_PARAMETERFAULT);
    TRY(P.v1.receive_buffer = PTR(FW_BEYOND_APP_RAM), MV_STATUS_PARAMETERFAULT);
    TRY(P.v1.send_buffer = PTR(FW_BEYOND_APP_RAM), MV_STATUS_PARAMETERFAULT);
    TRY(P.v1.receive_buffer = NULL, MV_STATUS_PARAMETERFAULT);
    /* Starts in application RAM, runs past its end. */
    TRY({ P.v1.receive_buffer = PTR(0x2007FE00u); P.v1.receive_buffer_len = 1024; },
        MV_STATUS_PARAMETERFAULT);
    /* Order: the buffers before the endpoint and the handles. */
    TRY({ P.v1.receive_buffer = PTR(FW_APP_FLASH); P.v1.endpoint.length = 257;
          P.v1.endpoint.data = long_name; }, MV_STATUS_PARAMETERFAULT);
    TRY({ P.v1.send_buffer = PTR(FW_BEYOND_APP_RAM); P.v1.notification_handle = 0; },
        MV_STATUS_PARAMETERFAULT);
}

static void endpoint_checks(void)
{
    /* Too long, whatever its bytes. */
    TRY({ P.v1.endpoint.data = long_name; P.v1.endpoint.length = 257; },
        MV_STATUS_UNKNOWNCHANNELENDPOINT);
    TRY({ P.v1.endpoint.data = long_name; P.v1.endpoint.length = 0xFFFFFFFFu; },
        MV_STATUS_UNKNOWNCHANNELENDPOINT);
    /* Not readable. */
    TRY({ P.v1.endpoint.data = PTR(FW_UNMAPPED); P.v1.endpoint.length = 4; },
        MV_STATUS_PARAMETERFAULT);
    TRY({ P.v1.endpoint.data = PTR(FW_SECURE_SRAM); P.v1.endpoint.length = 1; },
        MV_STATUS_PARAMETERFAULT);
    TRY({ P.v1.endpoint.data = PTR(0x2007FFFEu); P.v1.endpoint.length = 4; },
        MV_STATUS_PARAMETERFAULT);
    TRY({ P.v1.endpoint.data = NULL; P.v1.endpoint.length = 3; }, MV_STATUS_PARAMETERFAULT);
    /* Order: the length before readability, both before the handles. */
    TRY({ P.v1.endpoint.data = PTR(FW_UNMAPPED); P.v1.endpoint.length = 257; },
        MV_STATUS_UNKNOWNCHANNELENDPOINT);
    TRY({ P.v1.endpoint.data = long_name; P.v1.endpoint.length = 257;
          P.v1.notification_handle = 0; }, MV_STATUS_UNKNOWNCHANNELENDPOINT);
    TRY({ P.v1.endpoint.data = PTR(FW_UNMAPPED); P.v1.endpoint.length = 4;
          P.v1.network_handle = 0; }, MV_STATUS_PARAMETERFAULT);
    /* 256 bytes pass this check: the bad center is found next. */
    TRY({ P.v1.endpoint.data = long_name; P.v1.endpoint.length = 256;
          P.v1.notification_handle = 0; }, MV_STATUS_INVALIDHANDLE);
}

static void handle_checks(void)
{
    MvNetworkHandle stale = 0;
    CHECK_STATUS(fw_request_network(center.handle, TAG_NET, &stale), MV_STATUS_OKAY);
    MvNetworkHandle released = stale;
    CHECK_STATUS(mvReleaseNetwork(&stale), MV_STATUS_OKAY);

    TRY(P.v1.notification_handle = 0, MV_STATUS_INVALIDHANDLE);
    TRY(P.v1.notification_handle = 0x5EED1234u, MV_STATUS_INVALIDHANDLE);
    TRY(P.v1.notification_handle = closed_center, MV_STATUS_INVALIDHANDLE);
    TRY(P.v1.notification_handle = net, MV_STATUS_INVALIDHANDLE);
    TRY(P.v1.network_handle = 0, MV_STATUS_INVALIDHANDLE);
    TRY(P.v1.network_handle = 0x5EED1234u, MV_STATUS_INVALIDHANDLE);
    TRY(P.v1.network_handle = released, MV_STATUS_INVALIDHANDLE);
    TRY(P.v1.network_handle = center.handle, MV_STATUS_INVALIDHANDLE);
    /* Order: the handles before the type and the sizes. */
    TRY({ P.v1.network_handle = 0; P.v1.channel_type = 4; }, MV_STATUS_INVALIDHANDLE);
    TRY({ P.v1.notification_handle = closed_center; P.v1.receive_buffer_len = 0; },
        MV_STATUS_INVALIDHANDLE);
}

static void type_and_endpoint_name_checks(void)
{
    TRY(P.v1.channel_type = 4, MV_STATUS_UNKNOWNCHANNELTYPE);
    TRY(P.v1.channel_type = 0xFFFFFFFFu, MV_STATUS_UNKNOWNCHANNELTYPE);
    /* Order: the type before the endpoint's name and the sizes. */
    TRY({ P.v1.channel_type = 4; NAME("x"); }, MV_STATUS_UNKNOWNCHANNELTYPE);
    TRY({ P.v1.channel_type = 4; P.v1.send_buffer_len = 0; }, MV_STATUS_UNKNOWNCHANNELTYPE);

    /* Opaque bytes: no endpoint exists in the default profile. */
    TRY(P.v1.channel_type = MV_CHANNELTYPE_OPAQUEBYTES, MV_STATUS_UNKNOWNCHANNELENDPOINT);
    TRY({ P.v1.channel_type = MV_CHANNELTYPE_OPAQUEBYTES; NAME("log"); },
        MV_STATUS_UNKNOWNCHANNELENDPOINT);
    /* Typed channels take an empty endpoint only. */
    TRY(NAME("x"), MV_STATUS_UNKNOWNCHANNELENDPOINT);
    TRY({ P.v1.channel_type = MV_CHANNELTYPE_MQTT; NAME("x"); },
        MV_STATUS_UNKNOWNCHANNELENDPOINT);
    TRY({ P.v1.channel_type = MV_CHANNELTYPE_CONFIGFETCH; NAME("x"); },
        MV_STATUS_UNKNOWNCHANNELENDPOINT);
    /* Order: the endpoint's name before the sizes and the alignment. */
    TRY({ NAME("x"); P.v1.receive_buffer_len = 100; }, MV_STATUS_UNKNOWNCHANNELENDPOINT);
    TRY({ P.v1.channel_type = MV_CHANNELTYPE_OPAQUEBYTES;
          P.v1.send_buffer = pool[1] + 16; }, MV_STATUS_UNKNOWNCHANNELENDPOINT);

    /* An empty endpoint is not read: any pointer will do. */
    MvChannelHandle h = 0;
    reset_params();
    P.v1.endpoint.data = NULL;
    if (open_p(&h)) {
        CHECK_STATUS(mvCloseChannel(&h), MV_STATUS_OKAY);
    }
    reset_params();
    P.v1.endpoint.data = PTR(FW_UNMAPPED);
    if (open_p(&h)) {
        CHECK_STATUS(mvCloseChannel(&h), MV_STATUS_OKAY);
    }
    reset_params();
}

static void size_and_alignment_checks(void)
{
    TRY(P.v1.receive_buffer_len = 0, MV_STATUS_INVALIDBUFFERSIZE);
    TRY(P.v1.receive_buffer_len = 100, MV_STATUS_INVALIDBUFFERSIZE);
    TRY(P.v1.receive_buffer_len = 513, MV_STATUS_INVALIDBUFFERSIZE);
    TRY(P.v1.send_buffer_len = 0, MV_STATUS_INVALIDBUFFERSIZE);
    TRY(P.v1.send_buffer_len = 100, MV_STATUS_INVALIDBUFFERSIZE);
    TRY(P.v1.send_buffer_len = 513, MV_STATUS_INVALIDBUFFERSIZE);
    /* Order: the sizes before the alignment and the overlap. */
    TRY({ P.v1.receive_buffer_len = 100; P.v1.receive_buffer = pool[2] + 16; },
        MV_STATUS_INVALIDBUFFERSIZE);
    TRY({ P.v1.send_buffer_len = 513; P.v1.send_buffer = pool[0]; },
        MV_STATUS_INVALIDBUFFERSIZE);

    /* 512-aligned + 16, each buffer on its own and both. */
    TRY(P.v1.receive_buffer = pool[2] + 16, MV_STATUS_INVALIDBUFFERALIGNMENT);
    TRY(P.v1.send_buffer = pool[2] + 16, MV_STATUS_INVALIDBUFFERALIGNMENT);
    TRY({ P.v1.receive_buffer = pool[2] + 16; P.v1.send_buffer = pool[3] + 256; },
        MV_STATUS_INVALIDBUFFERALIGNMENT);
    /* Order: the alignment before the overlap. */
    TRY({ P.v1.receive_buffer = pool[2] + 16; P.v1.send_buffer = pool[2] + 16; },
        MV_STATUS_INVALIDBUFFERALIGNMENT);

    /* The two buffers overlap: the same one, or one running into the other. */
    TRY(P.v1.send_buffer = pool[0], MV_STATUS_PARAMETERFAULT);
    TRY(P.v1.receive_buffer_len = 1024, MV_STATUS_PARAMETERFAULT);
    TRY({ P.v1.send_buffer = pool[0]; P.v1.send_buffer_len = 1024;
          P.v1.receive_buffer = pool[1]; }, MV_STATUS_PARAMETERFAULT);
}

/* Buffers in use, reuse after close, and the limit of 4 open channels. */
static void in_use_and_limit_checks(MvChannelHandle open[4])
{
    /* Channel A: rx pool[4..5], tx pool[6]. */
    MvChannelHandle a = 0;
    reset_params();
    P.v1.receive_buffer = pool[4];
    P.v1.receive_buffer_len = 1024;
    P.v1.send_buffer = pool[6];
    CHECK(open_p(&a));

    TRY(P.v1.receive_buffer = pool[4], MV_STATUS_BUFFERALREADYINUSE);
    TRY(P.v1.receive_buffer = pool[5], MV_STATUS_BUFFERALREADYINUSE);
    TRY({ P.v1.receive_buffer = pool[3]; P.v1.receive_buffer_len = 1024; },
        MV_STATUS_BUFFERALREADYINUSE);
    TRY(P.v1.send_buffer = pool[6], MV_STATUS_BUFFERALREADYINUSE);
    TRY(P.v1.send_buffer = pool[5], MV_STATUS_BUFFERALREADYINUSE);
    /* The notification center's ring. */
    TRY(P.v1.receive_buffer = (uint8_t *)ring, MV_STATUS_BUFFERALREADYINUSE);
    TRY(P.v1.send_buffer = (uint8_t *)ring, MV_STATUS_BUFFERALREADYINUSE);
    /* Order: overlapping each other, misaligned, both before "in use". */
    TRY({ P.v1.receive_buffer = pool[4]; P.v1.send_buffer = pool[4]; },
        MV_STATUS_PARAMETERFAULT);
    TRY(P.v1.receive_buffer = pool[4] + 16, MV_STATUS_INVALIDBUFFERALIGNMENT);

    /* Channel B right next to A on both sides: no overlap, fine. */
    reset_params();
    P.v1.receive_buffer = pool[3];
    P.v1.send_buffer = pool[7];
    CHECK(open_p(&open[0]));

    /* A closed channel's buffers can be lent again (the MQTT demo does). */
    CHECK_STATUS(mvCloseChannel(&a), MV_STATUS_OKAY);
    reset_params();
    P.v1.receive_buffer = pool[4];
    P.v1.receive_buffer_len = 1024;
    P.v1.send_buffer = pool[6];
    CHECK(open_p(&open[1]));

    /* Four open. */
    reset_params();
    P.v1.receive_buffer = pool[8];
    P.v1.send_buffer = pool[9];
    P.v1.channel_type = MV_CHANNELTYPE_MQTT;
    CHECK(open_p(&open[2]));
    reset_params();
    P.v1.receive_buffer = pool[10];
    P.v1.send_buffer = pool[11];
    P.v1.channel_type = MV_CHANNELTYPE_CONFIGFETCH;
    CHECK(open_p(&open[3]));
    CHECK(open[0] != open[1] && open[1] != open[2] && open[2] != open[3] &&
          open[0] != open[3]);

    TRY((void)0, MV_STATUS_TOOMANYCHANNELS);
    /* Order: a buffer in use before the channel limit. */
    TRY(P.v1.send_buffer = pool[9], MV_STATUS_BUFFERALREADYINUSE);
}

/* All handles released: the 4 channels stay open without a connection. */
static void not_connected_checks(MvChannelHandle open[4])
{
    MvNetworkHandle old = net;
    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    CHECK_STATUS(fw_request_network(center.handle, TAG_NET, &net), MV_STATUS_OKAY);

    /* Order: not connected before the channel limit (4 still open). */
    TRY((void)0, MV_STATUS_NETWORKNOTCONNECTED);
    /* Order: "in use" before "not connected": a disconnected channel's
     * buffers are still its own. */
    TRY(P.v1.receive_buffer = pool[10], MV_STATUS_BUFFERALREADYINUSE);
    TRY(P.v1.network_handle = old, MV_STATUS_INVALIDHANDLE);

    CHECK(fw_wait_network_status(net, MV_NETWORKSTATUS_CONNECTED, 1000000u));
    TRY((void)0, MV_STATUS_TOOMANYCHANNELS);

    /* Closing one (disconnected) channel makes room. */
    CHECK_STATUS(mvCloseChannel(&open[0]), MV_STATUS_OKAY);
    CHECK_EQ(open[0], 0u);
    reset_params();
    CHECK(open_p(&open[0]));

    uint32_t closed = 0;
    for (int i = 0; i < 4; i++) {
        if (mvCloseChannel(&open[i]) == MV_STATUS_OKAY && open[i] == 0) {
            closed++;
        }
    }
    CHECK_EQ(closed, 4u);
}

int main(void)
{
    mvtest_begin("channels-open-checks");
    mv_enable_irq();
    memset(long_name, 'a', sizeof long_name);

    CHECK_STATUS(fw_center_open(&center, ring, 32, IRQ), MV_STATUS_OKAY);
    CHECK_STATUS(fw_center_open(&center2, ring2, 4, TIM1_UP_IRQn), MV_STATUS_OKAY);
    closed_center = center2.handle;
    CHECK_STATUS(mvCloseNotifications(&center2.handle), MV_STATUS_OKAY);

    /* Requested while the boot connection is coming up: not yet CONNECTED. */
    CHECK_STATUS(fw_request_network(center.handle, TAG_NET, &net), MV_STATUS_OKAY);
    TRY((void)0, MV_STATUS_NETWORKNOTCONNECTED);
    CHECK(fw_wait_network_status(net, MV_NETWORKSTATUS_CONNECTED, 1000000u));
    uint64_t t0 = fw_micros();

    pointer_checks();
    version_checks();
    buffer_location_checks();
    endpoint_checks();
    handle_checks();
    type_and_endpoint_name_checks();
    size_and_alignment_checks();

    MvChannelHandle open[4] = { 0, 0, 0, 0 };
    in_use_and_limit_checks(open);
    not_connected_checks(open);
    mvtest_log("checks took %u us", (unsigned)(fw_micros() - t0));

    CHECK_STATUS(mvReleaseNetwork(&net), MV_STATUS_OKAY);
    mvtest_end();
}
