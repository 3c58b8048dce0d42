/*
 * Monitor commands of the microvisor-stm32u585 machine (schema in
 * qapi/mvemu.json and the HMP tables, added by qemu-patches/0004).
 *
 * Each command is forwarded to the backend's monitor() entry point with its
 * arguments as JSON; the backend answers with a JSON object, or with
 * {"error": "text"}, which becomes the command's error. Replies are converted
 * to the QAPI types with the QObject input visitor, so a reply of the wrong
 * shape is an error, never a crash.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/qapi-commands-mvemu.h"
#include "qapi/qapi-visit-mvemu.h"
#include "qapi/qobject-input-visitor.h"
#include "qobject/qdict.h"
#include "qobject/qjson.h"
#include "qobject/qstring.h"
#include "monitor/hmp.h"
#include "monitor/monitor.h"
#include "mvemu_backend_host.h"

/*
 * Run backend monitor command `command`; returns its reply object, or NULL
 * with `errp` set when there is no backend, the reply is not a JSON object
 * or it is {"error": ...}.
 */
static QDict *backend_command(const char *command, const char *args_json,
                              Error **errp)
{
    ERRP_GUARD();
    MvemuBackendHost *h = mvemu_machine_backend();
    g_autofree char *text = NULL;
    QObject *reply;
    QDict *dict;
    QObject *error;

    if (!h) {
        error_setg(errp, "not a microvisor-stm32u585 machine");
        return NULL;
    }
    if (!h->ops.monitor) {
        error_setg(errp, "the mvemu backend is not loaded");
        return NULL;
    }
    text = mvemu_backend_host_monitor(h, command, args_json);
    reply = qobject_from_json(text, errp);
    if (!reply) {
        error_prepend(errp, "mvemu backend: invalid reply to '%s': ", command);
        return NULL;
    }
    dict = qobject_to(QDict, reply);
    if (!dict) {
        error_setg(errp, "mvemu backend: reply to '%s' is not a JSON object",
                   command);
        qobject_unref(reply);
        return NULL;
    }
    error = qdict_get(dict, "error");
    if (error) {
        QString *message = qobject_to(QString, error);

        error_setg(errp, "%s", message ? qstring_get_str(message) :
                   "mvemu backend: error without a message");
        qobject_unref(dict);
        return NULL;
    }
    return dict;
}

void qmp_mvemu_set_link(bool up, Error **errp)
{
    /* Any object without "error" is success (the backend sends {}). */
    QDict *reply = backend_command("link-set",
                                   up ? "{\"up\": true}" : "{\"up\": false}",
                                   errp);

    qobject_unref(reply);
}

MvemuNetworkInfo *qmp_query_mvemu_network(Error **errp)
{
    ERRP_GUARD();
    QDict *reply = backend_command("query-network", "{}", errp);
    MvemuNetworkInfo *info = NULL;
    Visitor *v;

    if (!reply) {
        return NULL;
    }
    v = qobject_input_visitor_new(QOBJECT(reply));
    if (!visit_type_MvemuNetworkInfo(v, NULL, &info, errp)) {
        error_prepend(errp, "mvemu backend: invalid reply to '%s': ",
                      "query-network");
    }
    visit_free(v);
    qobject_unref(reply);
    return info;
}

void hmp_mvemu_link(Monitor *mon, const QDict *qdict)
{
    const char *state = qdict_get_str(qdict, "state");
    Error *err = NULL;

    if (strcmp(state, "up") && strcmp(state, "down")) {
        monitor_printf(mon, "Expected 'up' or 'down'\n");
        return;
    }
    qmp_mvemu_set_link(!strcmp(state, "up"), &err);
    hmp_handle_error(mon, err);
}

void mvemu_link_completion(ReadLineState *rs, int nb_args, const char *str)
{
    static const char *const states[] = { "up", "down" };

    if (nb_args != 2) {
        return;
    }
    readline_set_completion_index(rs, strlen(str));
    for (size_t i = 0; i < ARRAY_SIZE(states); i++) {
        if (!strncmp(states[i], str, strlen(str))) {
            readline_add_completion(rs, states[i]);
        }
    }
}

/* MvNetworkReason flags, by bit (guest-sdk/include/mv_enums.h). */
static const char *const network_reason_names[32] = {
    [0] = "USINGNETWORK",
    [1] = "NEVERUSEDNETWORKAPI",
    [2] = "MINIMUMCHECKINEXPIRED",
    [3] = "RTCNOTSET",
    [4] = "KERNELERROR",
    [5] = "APPLICATIONERROR",
    [6] = "COLDBOOTCONNECTION",
    [7] = "FETCHINGUPDATE",
    [8] = "DEBUGGERATTACHED",
    [9] = "NOAPPLICATIONCODE",
    [11] = "ENHANCECALM",
};

/* "0x41 (USINGNETWORK|COLDBOOTCONNECTION)"; 0 is NOTCONNECTING. */
static char *format_network_reasons(uint32_t reasons)
{
    GString *s = g_string_new(NULL);

    g_string_printf(s, "0x%" PRIx32 " (", reasons);
    if (!reasons) {
        g_string_append(s, "NOTCONNECTING");
    }
    for (unsigned bit = 0; bit < 32; bit++) {
        if (!(reasons & (1u << bit))) {
            continue;
        }
        if (s->str[s->len - 1] != '(') {
            g_string_append_c(s, '|');
        }
        if (network_reason_names[bit]) {
            g_string_append(s, network_reason_names[bit]);
        } else {
            g_string_append_printf(s, "0x%x", 1u << bit);
        }
    }
    g_string_append_c(s, ')');
    return g_string_free(s, false);
}

void hmp_info_mvemu_network(Monitor *mon, const QDict *qdict)
{
    Error *err = NULL;
    g_autoptr(MvemuNetworkInfo) info = qmp_query_mvemu_network(&err);
    g_autofree char *reasons = NULL;

    if (hmp_handle_error(mon, err)) {
        return;
    }
    reasons = format_network_reasons(info->reasons);
    monitor_printf(mon, "link: %s  owner: %s  status: %s  reasons: %s  "
                   "requests: %" PRIu32 "\n",
                   info->link_up ? "up" : "down", info->owner, info->status,
                   reasons, info->request_count);
    for (MvemuNetworkHandleList *n = info->networks; n; n = n->next) {
        monitor_printf(mon, "network 0x%08" PRIx32 ": notification center "
                       "0x%08" PRIx32 ", tag %" PRIu32 "\n",
                       n->value->handle, n->value->notification_handle,
                       n->value->notification_tag);
    }
    for (MvemuChannelInfoList *c = info->channels; c; c = c->next) {
        MvemuChannelInfo *ch = c->value;

        monitor_printf(mon, "channel 0x%08" PRIx32 ": %s on network "
                       "0x%08" PRIx32 ", %s, closure reason %s, "
                       "%" PRIu32 " bytes readable, %" PRIu32 " unsent\n",
                       ch->handle, ch->type, ch->network_handle,
                       ch->connected ? "connected" : "not connected",
                       ch->closure_reason, ch->readable_bytes,
                       ch->unsent_bytes);
    }
}

MvemuDeviceInfo *qmp_query_mvemu_device(Error **errp)
{
    ERRP_GUARD();
    QDict *reply = backend_command("query-device", "{}", errp);
    MvemuDeviceInfo *info = NULL;
    Visitor *v;

    if (!reply) {
        return NULL;
    }
    v = qobject_input_visitor_new(QOBJECT(reply));
    if (!visit_type_MvemuDeviceInfo(v, NULL, &info, errp)) {
        error_prepend(errp, "mvemu backend: invalid reply to '%s': ",
                      "query-device");
    }
    visit_free(v);
    qobject_unref(reply);
    return info;
}

void qmp_mvemu_update_downloaded(const char *path, Error **errp)
{
    g_autoptr(QDict) args = qdict_new();
    g_autoptr(GString) json = NULL;
    QDict *reply;

    if (path) {
        qdict_put_str(args, "path", path);
    }
    json = qobject_to_json(QOBJECT(args));
    reply = backend_command("update-downloaded", json->str, errp);
    qobject_unref(reply);
}

void hmp_mvemu_update_downloaded(Monitor *mon, const QDict *qdict)
{
    Error *err = NULL;

    qmp_mvemu_update_downloaded(qdict_get_try_str(qdict, "path"), &err);
    hmp_handle_error(mon, err);
}

void hmp_info_mvemu_device(Monitor *mon, const QDict *qdict)
{
    Error *err = NULL;
    g_autoptr(MvemuDeviceInfo) info = qmp_query_mvemu_device(&err);

    if (hmp_handle_error(mon, err)) {
        return;
    }
    monitor_printf(mon, "system LED: %s\n", info->system_led ? "on" : "off");
    monitor_printf(mon, "power: %s  wake reason: %s\n", info->power,
                   info->wake_reason);
    if (info->update_downloaded) {
        monitor_printf(mon, "update downloaded: %s\n",
                       info->update_image ? info->update_image :
                       "(the running application)");
    } else {
        monitor_printf(mon, "update downloaded: none\n");
    }
    monitor_printf(mon, "Wi-Fi: %s\n", info->wifi_configured ?
                   info->wifi_ssid : "not configured");
    monitor_printf(mon, "external flash: %" PRIu32 " bytes\n",
                   info->external_flash_size);
}

void hmp_info_mvemu_led(Monitor *mon, const QDict *qdict)
{
    Error *err = NULL;
    g_autoptr(MvemuDeviceInfo) info = qmp_query_mvemu_device(&err);

    if (hmp_handle_error(mon, err)) {
        return;
    }
    monitor_printf(mon, "system LED: %s\n", info->system_led ? "on" : "off");
}
