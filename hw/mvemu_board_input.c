/*
 * Inputs to the board's own models from outside, recorded and replayed
 * (docs/reliability.md "Record and replay").
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/cutils.h"
#include "hw/core/cpu.h"
#include "hw/qdev-core.h"
#include "qom/object.h"
#include "target/arm/cpu.h"
#include "mvemu_backend_host.h"
#include "mvemu_board_input.h"
#include "mvemu_gpio_monitor.h"

typedef struct BoardInput {
    MvemuBackendHost *h;
    const char *description;
    MvemuBoardInputFn *apply;
    void *opaque;
    Error *err;
} BoardInput;

static void board_input_on_cpu(CPUState *cs, run_on_cpu_data data)
{
    BoardInput *in = data.host_ptr;

    in->apply(in->opaque, &in->err);
    if (!in->err && in->h->ops.board_input) {
        in->h->ops.board_input(in->h->ops.backend, in->description);
    }
}

void mvemu_board_input(const char *description, MvemuBoardInputFn *apply,
                       void *opaque, Error **errp)
{
    MvemuBackendHost *h = mvemu_machine_backend();
    BoardInput in = { h, description, apply, opaque, NULL };

    if (h && h->replaying) {
        error_setg(errp, "the run is a replay: the recorded inputs are "
                   "replayed instead");
        return;
    }
    if (!h || !h->recording) {
        apply(opaque, errp);
        return;
    }
    /* Where the virtual clock names the instruction it entered before. */
    run_on_cpu(CPU(h->soc->armv7m.cpu), board_input_on_cpu,
               RUN_ON_CPU_HOST_PTR(&in));
    error_propagate(errp, in.err);
}

/* Set while a recorded or replayed property input is being stored. */
static bool storing_property;

typedef struct PropertyInput {
    Object *obj;
    const char *name;
    int64_t value;
} PropertyInput;

static void property_input_store(void *opaque, Error **errp)
{
    PropertyInput *in = opaque;

    storing_property = true;
    object_property_set_int(in->obj, in->name, in->value, errp);
    storing_property = false;
}

bool mvemu_board_input_property(Object *obj, const char *name, int64_t value,
                                Error **errp)
{
    MvemuBackendHost *h = mvemu_machine_backend();
    g_autofree char *path = NULL;
    g_autofree char *description = NULL;
    PropertyInput in = { obj, name, value };

    if (storing_property || !h || !(h->recording || h->replaying) ||
        !phase_check(PHASE_MACHINE_READY)) {
        return true;
    }
    path = object_get_canonical_path(obj);
    description = g_strdup_printf("qom-set %s %s %" PRId64, path, name, value);
    mvemu_board_input(description, property_input_store, &in, errp);
    return false;
}

static bool replay_property(const char *args)
{
    g_auto(GStrv) words = g_strsplit(args, " ", 4);
    Error *err = NULL;
    PropertyInput in;
    Object *obj;
    int64_t value;

    if (g_strv_length(words) != 3 ||
        qemu_strtoi64(words[2], NULL, 10, &value)) {
        return false;
    }
    obj = object_resolve_path(words[0], NULL);
    if (!obj) {
        return false;
    }
    in = (PropertyInput) { obj, words[1], value };
    property_input_store(&in, &err);
    if (err) {
        error_free(err);
        return false;
    }
    return true;
}

bool mvemu_board_input_replay(const char *description)
{
    static const char gpio_set[] = "gpio-set ", qom_set[] = "qom-set ";

    if (g_str_has_prefix(description, gpio_set)) {
        return mvemu_gpio_replay_set(description + strlen(gpio_set));
    }
    if (g_str_has_prefix(description, qom_set)) {
        return replay_property(description + strlen(qom_set));
    }
    return false;
}
