/*
 * The MQTT benchmark's baseline: a native libmosquitto client doing what
 * bench/mqtt_guest.c does (mqtt_bench.h), against the same broker.
 * usage: bench-mqtt-native PORT; prints the same BENCH lines as the guest.
 * One thread: mosquitto_loop drives the socket, callbacks count.
 */
#include <mosquitto.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mqtt_bench.h"

static volatile unsigned completed, received;
static int connected;

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void on_connect(struct mosquitto *m, void *u, int rc) { (void)m; (void)u; connected = rc == 0 ? 1 : -1; }
static void on_publish(struct mosquitto *m, void *u, int mid) { (void)m; (void)u; (void)mid; completed++; }
static void on_subscribe(struct mosquitto *m, void *u, int mid, int n, const int *q)
{
    (void)m; (void)u; (void)mid; (void)n; (void)q;
    connected = 2;
}
static void on_message(struct mosquitto *m, void *u, const struct mosquitto_message *msg)
{
    (void)m; (void)u; (void)msg;
    received++;
}

static void pump(struct mosquitto *m)
{
    int rc = mosquitto_loop(m, 10, 1);
    if (rc != MOSQ_ERR_SUCCESS) {
        fprintf(stderr, "mosquitto_loop: %s\n", mosquitto_strerror(rc));
        exit(1);
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    static uint8_t payload[PAYLOAD];
    static uint32_t us[TRIPS];
    if (argc != 2) {
        fprintf(stderr, "usage: %s PORT\n", argv[0]);
        return 2;
    }
    memset(payload, 'p', sizeof payload);
    mosquitto_lib_init();
    struct mosquitto *m = mosquitto_new("mvemu-bench-native", true, NULL);
    mosquitto_connect_callback_set(m, on_connect);
    mosquitto_publish_callback_set(m, on_publish);
    mosquitto_subscribe_callback_set(m, on_subscribe);
    mosquitto_message_callback_set(m, on_message);
    mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
    if (mosquitto_connect(m, "127.0.0.1", atoi(argv[1]), 60) != MOSQ_ERR_SUCCESS) {
        fprintf(stderr, "connect failed\n");
        return 1;
    }
    while (connected == 0) {
        pump(m);
    }
    if (connected < 0) {
        return 1;
    }
    mosquitto_subscribe(m, NULL, ECHO_TOPIC, 0);
    while (connected != 2) {
        pump(m);
    }
    for (int round = 0; round < ROUNDS; round++) {
        for (int qos = 0; qos <= 1; qos++) {
            unsigned sent = 0;
            completed = 0;
            uint64_t start = now_us();
            while (completed < MSGS) {
                while (sent < MSGS && sent - completed < WINDOW) {
                    mosquitto_publish(m, NULL, SINK_TOPIC, PAYLOAD, payload, qos, false);
                    sent++;
                }
                pump(m);
            }
            printf("BENCH mqtt-throughput qos=%d round=%d msgs=%u us=%llu\n", qos, round, MSGS,
                   (unsigned long long)(now_us() - start));
        }
        for (unsigned i = 0; i < TRIPS; i++) {
            unsigned want = received + 1;
            uint64_t start = now_us();
            mosquitto_publish(m, NULL, ECHO_TOPIC, PAYLOAD, payload, 0, false);
            while (received < want) {
                pump(m);
            }
            us[i] = (uint32_t)(now_us() - start);
        }
        qsort(us, TRIPS, sizeof us[0], cmp_u32);
        uint64_t sum = 0;
        for (unsigned i = 0; i < TRIPS; i++) {
            sum += us[i];
        }
        printf("BENCH mqtt-roundtrip round=%d trips=%u median_us=%u mean_us=%llu\n", round, TRIPS,
               us[TRIPS / 2], (unsigned long long)(sum / TRIPS));
    }
    mosquitto_disconnect(m);
    mosquitto_destroy(m);
    mosquitto_lib_cleanup();
    return 0;
}
