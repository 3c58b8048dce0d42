/* What the MQTT benchmark does, shared by the guest (mqtt_guest.c) and the
 * native libmosquitto client (mqtt_native.c) so both do the same work. */
#ifndef MVEMU_MQTT_BENCH_H
#define MVEMU_MQTT_BENCH_H

#define ROUNDS 3
#define MSGS 2000u         /* publishes per throughput round */
#define WINDOW 16u         /* outstanding publishes (the channel's limit) */
#define TRIPS 500u         /* round trips per round */
#define PAYLOAD 64u
#define SINK_TOPIC "mvemu/bench/sink"
#define ECHO_TOPIC "mvemu/bench/echo"

#endif
