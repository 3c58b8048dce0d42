/*
 * mqtt-tls: TLS connects against the runner's TLS listeners (--mqtt-tls-dir,
 * certificates from make_certs.py), docs/mqtt.md "TLS":
 *  - no credentials: the server is trusted through the profile's CA file
 *    (the host's store plus [tls] ca_files), verified for the name asked
 *    for although the host map sends the connection to 127.0.0.1;
 *  - an expired server certificate: CERTIFICATEEXPIRED; one from another CA
 *    and a name the certificate does not carry: UNKNOWNCA;
 *  - the application's CA chain, client certificate and PKCS#8 key (DER,
 *    from its flash) on a listener that wants a client certificate;
 *    without a client certificate there: SOCKETERROR;
 *  - malformed DER: INVALIDPARAMETERS, and the console names the problem;
 *  - TOOMANYELEMENTS for nine CA certificates.
 */
#include "../mqtttest.h"
#include "mqtt/mqtt_certs.h"

MQ_ONE_CHANNEL_TEST(32)

/* Accepted: a message through the TLS connection, naming the host. */
static const char *current_host;
static void publish_host(MqChannel *c)
{
    struct MvMqttPublishRequest p = { 7, mq_str("mvemu/test/tls/out"), mq_str(current_host), 1, 0 };
    CHECK_STATUS(mvMqttRequestPublish(c->ch, &p), MV_STATUS_OKAY);
    CHECK_EQ(mq_wait_item(c, MQ_WAIT_US), MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE);
    struct MvMqttPublishResponse pr;
    CHECK_STATUS(mvMqttReadPublishResponse(c->ch, &pr), MV_STATUS_OKAY);
    CHECK_EQ(pr.request_state, MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
}

static uint32_t attempt(const char *host, const struct MvTlsCredentials *tls, uint32_t *reason)
{
    struct MvMqttConnectRequest req = mq_connect_request(MV_MQTTPROTOCOLVERSION_V5, "mvemu-tls");
    req.host = mq_str(host);
    req.tls_credentials = tls;
    current_host = host;
    return mq_attempt(&m, rx, tx, sizeof rx, &req, reason, publish_host);
}

int main(void)
{
    mvtest_begin("mqtt-tls");
    mv_enable_irq();
    CHECK(mq_open(&m, ring, 32, TIM1_BRK_IRQn, rx, sizeof rx, tx, sizeof tx));
    CHECK_STATUS(mvCloseChannel(&m.ch), MV_STATUS_OKAY);

    uint32_t reason = 0;
    CHECK_EQ(attempt("mqtt.example.com", NULL, &reason), MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    CHECK_EQ(reason, 0u);
    CHECK_EQ(attempt("expired.example.com", NULL, &reason), MV_MQTTREQUESTSTATE_CERTIFICATEEXPIRED);
    CHECK_EQ(attempt("wrongca.example.com", NULL, &reason), MV_MQTTREQUESTSTATE_UNKNOWNCA);
    CHECK_EQ(attempt("mismatch.example.com", NULL, &reason), MV_MQTTREQUESTSTATE_UNKNOWNCA);

    struct MvSizedString ca[1] = { { mq_ca_der, sizeof mq_ca_der } };
    struct MvSizedString chain[1] = { { mq_client_der, sizeof mq_client_der } };
    struct MvTlsCredentials creds = {
        .cacert = { 1, ca },
        .clientcert = { { 1, chain }, { mq_client_key_der, sizeof mq_client_key_der } },
    };
    CHECK_EQ(attempt("client.example.com", &creds, &reason), MV_MQTTREQUESTSTATE_REQUESTCOMPLETED);
    CHECK_EQ(reason, 0u);
    struct MvTlsCredentials ca_only = { .cacert = { 1, ca } };
    CHECK_EQ(attempt("noclient.example.com", &ca_only, &reason), MV_MQTTREQUESTSTATE_SOCKETERROR);
    /* Our CA does not vouch for the other CA's server. */
    CHECK_EQ(attempt("wrongca.example.com", &ca_only, &reason), MV_MQTTREQUESTSTATE_UNKNOWNCA);

    static const uint8_t garbage[16] = { 0x30, 0x82, 0x01 };
    struct MvSizedString bad[1] = { { garbage, sizeof garbage } };
    struct MvTlsCredentials malformed = { .cacert = { 1, bad } };
    CHECK_EQ(attempt("mqtt.example.com", &malformed, &reason),
             MV_MQTTREQUESTSTATE_INVALIDPARAMETERS);

    struct MvSizedString nine[9];
    for (int i = 0; i < 9; i++) {
        nine[i] = ca[0];
    }
    struct MvTlsCredentials too_many = { .cacert = { 9, nine } };
    CHECK_STATUS(link_open(&m.center, MQ_TAG, m.net, MV_CHANNELTYPE_MQTT, "", rx, sizeof rx, tx,
                           sizeof tx, &m.ch), MV_STATUS_OKAY);
    struct MvMqttConnectRequest req = mq_connect_request(MV_MQTTPROTOCOLVERSION_V5, "mvemu-tls");
    req.tls_credentials = &too_many;
    CHECK_STATUS(mvMqttRequestConnect(m.ch, &req), MV_STATUS_TOOMANYELEMENTS);
    CHECK_STATUS(mvCloseChannel(&m.ch), MV_STATUS_OKAY);
    mvtest_end();
}
