/*
 * mqtt-refusals: how connect attempts fail (docs/mqtt.md "Outcomes"):
 *  - the broker's password listener refuses a wrong password: the request
 *    completes and reason_code is the CONNACK code (5 on 3.1.1, 0x87 on 5);
 *    the right password is accepted;
 *  - a name that does not resolve: NXDOMAIN;
 *  - a port nobody listens on: SOCKETERROR.
 * Each attempt uses a fresh channel: a channel has one connect.
 */
#include "../mqtttest.h"

MQ_ONE_CHANNEL_TEST(32)

static uint32_t attempt(const char *host, enum MvMqttProtocolVersion v, const char *password,
                        uint32_t *reason)
{
    struct MvMqttConnectRequest req = mq_connect_request(v, "mvemu-refusals");
    req.host = mq_str(host);
    if (password) {
        req.authentication.method = MV_MQTTAUTHENTICATIONMETHOD_USERNAMEPASSWORD;
        req.authentication.username_password.username = mq_str("device");
        req.authentication.username_password.password = mq_str(password);
    }
    return mq_attempt(&m, rx, tx, sizeof rx, &req, reason, NULL);
}

int main(void)
{
    mvtest_begin("mqtt-refusals");
    mv_enable_irq();
    CHECK(mq_open(&m, ring, 32, TIM1_BRK_IRQn, rx, sizeof rx, tx, sizeof tx));
    CHECK_STATUS(mvCloseChannel(&m.ch), MV_STATUS_OKAY);

    uint32_t reason = 0;
    CHECK_EQ(attempt("secure.example.com", MV_MQTTPROTOCOLVERSION_V3_1_1, "wr0ng-pw", &reason),
             MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    CHECK_EQ(reason, 5u);
    CHECK_EQ(attempt("secure.example.com", MV_MQTTPROTOCOLVERSION_V5, "wr0ng-pw", &reason),
             MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    CHECK_EQ(reason, 0x87u);
    CHECK_EQ(attempt("secure.example.com", MV_MQTTPROTOCOLVERSION_V5, NULL, &reason),
             MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    CHECK(reason >= 0x80u);  /* anonymous refused on that listener */
    CHECK_EQ(attempt("secure.example.com", MV_MQTTPROTOCOLVERSION_V5, "mqtt-s3cret-pw", &reason),
             MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    CHECK_EQ(reason, 0u);
    CHECK_EQ(attempt("no-such-broker.invalid", MV_MQTTPROTOCOLVERSION_V5, NULL, &reason),
             MV_MQTTREQUESTSTATE_NXDOMAIN);
    CHECK_EQ(attempt("refused.example.com", MV_MQTTPROTOCOLVERSION_V5, NULL, &reason),
             MV_MQTTREQUESTSTATE_SOCKETERROR);
    /* No channel lost its connection: refusals are connect responses. */
    fw_spin_us(20000);
    CHECK_EQ(link_count(&m.center, MV_EVENTTYPE_CHANNELNOTCONNECTED, MQ_TAG), 0u);
    mvtest_end();
}
