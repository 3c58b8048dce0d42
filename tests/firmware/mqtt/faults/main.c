/*
 * mqtt-cloud-faults: connects to servers that misbehave (tests/faulty_peer.py,
 * docs/reliability.md "Cloud faults") end with a connect response in bounded
 * time, and the emulator keeps nothing of them:
 *  - a peer answering garbage instead of CONNACK (libmosquitto then waits
 *    for the rest of a "packet" of many megabytes): SOCKETERROR once the
 *    profile's connect_timeout_s (2 s here) has passed;
 *  - a peer that never answers (no CONNACK; with FAULTS_TLS, a TLS handshake
 *    that stalls): SOCKETERROR at the same deadline;
 *  - 1,000 connects in a row to a peer that resets each one: SOCKETERROR
 *    every time (the runner checks descriptors and memory around them).
 */
#include "../mqtttest.h"

#define DEADLINE_US 2000000u  /* [mqtt] connect_timeout_s in meson.build */
#define RESETS 1000u

MQ_ONE_CHANNEL_TEST(32)

static uint32_t attempt(const char *host, uint16_t keepalive, uint32_t *reason)
{
    struct MvMqttConnectRequest req = mq_connect_request(MV_MQTTPROTOCOLVERSION_V5, "mvemu-faults");
    req.host = mq_str(host);
    req.keepalive = keepalive;
    return mq_attempt(&m, rx, tx, sizeof rx, &req, reason, NULL);
}

/* A connect that must fail at the deadline, not before, not much after. */
static void timed_failure(const char *host)
{
    uint32_t reason = 0;
    uint64_t start = fw_micros();
    CHECK_EQ(attempt(host, 60, &reason), MV_MQTTREQUESTSTATE_SOCKETERROR);
    uint64_t waited = fw_micros() - start;
    CHECK(waited >= DEADLINE_US);
    CHECK(waited < DEADLINE_US + 2000000u);
    mvtest_log("%s: connect failed after %lu ms", host, (unsigned long)(waited / 1000));
}

int main(void)
{
    mvtest_begin("mqtt-cloud-faults");
    mv_enable_irq();
    CHECK(mq_open(&m, ring, 32, TIM1_BRK_IRQn, rx, sizeof rx, tx, sizeof tx));
    CHECK_STATUS(mvCloseChannel(&m.ch), MV_STATUS_OKAY);

#ifndef FAULTS_TLS
    timed_failure("garbage.example.com");
#endif
    timed_failure("silent.example.com");

#ifndef FAULTS_TLS
    mvtest_log("RESETS BEGIN");
    uint32_t wrong = 0, reason = 0;
    for (uint32_t i = 0; i < RESETS; i++) {
        if (attempt("reset.example.com", 60, &reason) != MV_MQTTREQUESTSTATE_SOCKETERROR)
            wrong++;
    }
    CHECK_EQ(wrong, 0u);
    mvtest_log("RESETS END: %lu connects reset", (unsigned long)RESETS);
    fw_spin_us(500000);  /* the runner samples the process while this runs */
#endif
    /* None of these was ever connected: no channel lost a connection. */
    CHECK_EQ(link_count(&m.center, MV_EVENTTYPE_CHANNELNOTCONNECTED, MQ_TAG), 0u);
    mvtest_end();
}
