/*
 * Board side of the backend contract: loads the system-call backend (a shared
 * library built from plugin/) and gives it guest memory, interrupts, the
 * virtual clock, Microvisor's peripheral access and machine control.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <dlfcn.h>
#include "qapi/error.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "exec/address-spaces.h"
#include "exec/memory.h"
#include "hw/irq.h"
#include "hw/intc/armv7m_nvic.h"
#include "system/runstate.h"
#include "system/cpu-timers.h"
#include "hw/core/cpu.h"
#include "target/arm/cpu.h"
#include "stm32u585_map.h"
#include "mvemu_backend_host.h"
#include "mvemu_board_input.h"
#include "trace.h"

static int host_mem_access(uint32_t addr, void *buf, uint32_t len,
                           bool secure, bool is_write)
{
    MemTxAttrs attrs = { .secure = secure };
    MemTxResult r = address_space_rw(&address_space_memory, addr, attrs,
                                     buf, len, is_write);
    return r == MEMTX_OK ? 0 : -1;
}

static int host_mem_read(void *opaque, uint32_t addr, void *buf,
                         uint32_t len, bool secure)
{
    return host_mem_access(addr, buf, len, secure, false);
}

static int host_mem_write(void *opaque, uint32_t addr, const void *buf,
                          uint32_t len, bool secure)
{
    return host_mem_access(addr, (void *)buf, len, secure, true);
}

static uint32_t host_irq_count(void *opaque)
{
    MvemuBackendHost *h = opaque;

    return h->soc->armv7m.nvic.num_irq - NVIC_INTERNAL_VECTORS;
}

static void host_irq_pend(void *opaque, uint32_t irq)
{
    MvemuBackendHost *h = opaque;

    if (irq < host_irq_count(h)) {
        trace_mvemu_irq_pend(irq);
        qemu_irq_pulse(qdev_get_gpio_in(DEVICE(&h->soc->armv7m), irq));
    }
}

static bool host_irq_busy(void *opaque, uint32_t irq)
{
    MvemuBackendHost *h = opaque;
    VecInfo *vec;

    if (irq >= host_irq_count(h)) {
        return false;
    }
    vec = &h->soc->armv7m.nvic.vectors[NVIC_INTERNAL_VECTORS + irq];
    return vec->enabled && vec->pending;
}

static int host_periph_peek32(void *opaque, uint32_t addr, uint32_t *value)
{
    MvemuBackendHost *h = opaque;

    return stm32u585_soc_app_peek(h->soc, addr, value) ? 0 : -1;
}

static int host_periph_poke32(void *opaque, uint32_t addr, uint32_t mask,
                              uint32_t xorvalue)
{
    MvemuBackendHost *h = opaque;

    return stm32u585_soc_app_poke(h->soc, addr, mask, xorvalue) ? 0 : -1;
}

static int64_t host_clock_ns(void *opaque)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

static void host_set_deadline(void *opaque, int64_t deadline_ns)
{
    MvemuBackendHost *h = opaque;

    if (deadline_ns == INT64_MAX) {
        timer_del(h->timer);
    } else {
        timer_mod(h->timer, deadline_ns);
    }
}

/* What a waiting loop reads may have changed: let a parked CPU look. */
static void note_idle_activity(MvemuBackendHost *h)
{
    if (h->idle) {
        mvemu_idle_skip_activity(h->idle);
    }
}

static void backend_poll_on_cpu(CPUState *cs, run_on_cpu_data data)
{
    MvemuBackendHost *h = data.host_ptr;

    /* Cleared first: work posted while this runs queues another call. */
    qatomic_set(&h->poll_queued, false);
    smp_mb(); /* the clear before the backend reads its queue */
    if (h->ops.main_loop_poll) {
        h->ops.main_loop_poll(h->ops.backend);
    }
    note_idle_activity(h);
}

/*
 * The backend's threads have queued work (socket data, connect outcomes).
 * It runs on the vCPU thread, which holds the iothread lock for it: a vCPU
 * that is executing notices the kick at its next translation block without
 * any thread being woken, where a main-loop bottom half would wake the main
 * loop's thread and have it contend with the vCPU for the lock (about 40 us
 * of every MQTT round trip on a 2-core host, docs/benchmarks.md). A halted
 * vCPU (WFI) is woken by the same kick.
 */
static void host_wake_main_loop(void *opaque)
{
    MvemuBackendHost *h = opaque;

    if (!qatomic_xchg(&h->poll_queued, true)) {
        async_run_on_cpu(CPU(h->soc->armv7m.cpu), backend_poll_on_cpu,
                         RUN_ON_CPU_HOST_PTR(h));
    }
}

static AddressSpace *cpu_ns_address_space(MvemuBackendHost *h)
{
    return cpu_get_address_space(CPU(h->soc->armv7m.cpu), ARMASIdx_NS);
}

/* As Non-secure privileged code: MemTxAttrs with secure and user clear. */
static int host_cpu_read(void *opaque, uint32_t addr, void *buf, uint32_t len)
{
    MvemuBackendHost *h = opaque;
    MemTxAttrs attrs = { .secure = 0 };

    return address_space_read(cpu_ns_address_space(h), addr, attrs, buf,
                              len) == MEMTX_OK ? 0 : -1;
}

static int host_cpu_write(void *opaque, uint32_t addr, const void *buf,
                          uint32_t len)
{
    MvemuBackendHost *h = opaque;
    MemTxAttrs attrs = { .secure = 0 };

    return address_space_write(cpu_ns_address_space(h), addr, attrs, buf,
                               len) == MEMTX_OK ? 0 : -1;
}

/*
 * WFI's effect: CPU_INTERRUPT_HALT makes the vCPU halt at its next
 * interrupt check (after the current call returns, or when it starts
 * after a reset) and it sleeps until an enabled interrupt is pending.
 */
static void host_cpu_halt(void *opaque)
{
    MvemuBackendHost *h = opaque;

    trace_mvemu_cpu_halt();
    cpu_interrupt(CPU(h->soc->armv7m.cpu), CPU_INTERRUPT_HALT);
}

static int host_flash_program(void *opaque, uint32_t addr, const void *buf,
                              uint32_t len)
{
    uint64_t end = (uint64_t)addr + len;

    if (addr < MVEMU_APP_FLASH_BASE ||
        end > (uint64_t)MVEMU_APP_FLASH_BASE + MVEMU_APP_FLASH_SIZE) {
        return -1;
    }
    /* The flash is a ROM region: only the ROM path may write it. */
    return address_space_write_rom(&address_space_memory, addr,
                                   MEMTXATTRS_UNSPECIFIED, buf,
                                   len) == MEMTX_OK ? 0 : -1;
}

static void host_request_reset(void *opaque)
{
    qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
}

static void host_request_exit(void *opaque, int status)
{
    qemu_system_shutdown_request_with_code(SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
                                           status);
}

static void host_log(void *opaque, int level, const char *line)
{
    if (level == MVEMU_LOG_INFO) {
        fprintf(stdout, "%s\n", line);
        fflush(stdout);
    } else if (level == MVEMU_LOG_WARN) {
        error_report("%s", line);
    } else {
        trace_mvemu_backend_debug(line);
    }
}

static int host_apply_input(void *opaque, const char *input)
{
    return mvemu_board_input_replay(input) ? 0 : -1;
}

static void backend_timer_cb(void *opaque)
{
    MvemuBackendHost *h = opaque;

    h->ops.timer_expired(h->ops.backend);
    note_idle_activity(h);
}

/* The NVIC's hook: an exception has just been taken. */
static void backend_irq_taken(void *opaque, int exc)
{
    MvemuBackendHost *h = opaque;

    if (exc >= NVIC_INTERNAL_VECTORS && h->ops.irq_taken) {
        h->ops.irq_taken(h->ops.backend, exc - NVIC_INTERNAL_VECTORS);
    }
}

/*
 * -icount's idle clock jumps, which a recording keeps and a replay repeats.
 * Only a guest asleep in WFI lets virtual time pass: while the vCPU is
 * stopped (before the first instruction, during a reset) the jump would
 * be the host's real time, which a replay could not reproduce.
 */
static int64_t backend_clock_warp(void *opaque, int64_t executed,
                                  int64_t delta)
{
    MvemuBackendHost *h = opaque;
    CPUState *cs = CPU(h->soc->armv7m.cpu);

    if (!cs->halted || cs->stopped) {
        return 0;
    }
    return h->ops.clock_warp ? h->ops.clock_warp(h->ops.backend, executed,
                                                 delta) : delta;
}

/*
 * Recording and replaying stamp what enters the guest with virtual time,
 * which says where in the instruction stream it entered only under
 * -icount with a fixed shift.
 */
static bool check_record_replay(MvemuBackendHost *h,
                                const MvemuMachineInfo *info, Error **errp)
{
    h->recording = info->record != NULL;
    h->replaying = info->replay != NULL;
    if (!h->recording && !h->replaying) {
        return true;
    }
    if (icount_enabled() != ICOUNT_PRECISE) {
        error_setg(errp, "microvisor-stm32u585: %s needs -icount shift=N "
                   "with a fixed N (./mvemu run --record/--replay adds it)",
                   h->recording ? "record" : "replay");
        return false;
    }
    return true;
}

bool mvemu_backend_host_load(MvemuBackendHost *h, const char *library_path,
                             const char *profile_path,
                             const MvemuMachineInfo *info,
                             STM32U585SocState *soc, Error **errp)
{
    MvemuBackendCreateFn create;
    char message[512] = "";

    if (!check_record_replay(h, info, errp)) {
        return false;
    }
    if (!library_path || !*library_path) {
        library_path = getenv("MVEMU_BACKEND");
    }
    if (!library_path || !*library_path) {
        error_setg(errp, "microvisor-stm32u585 needs the system-call backend: "
                   "pass backend=PATH/libmvemu-backend.so in -M or set "
                   "MVEMU_BACKEND (./mvemu run does this for you)");
        return false;
    }
    h->library = dlopen(library_path, RTLD_NOW | RTLD_LOCAL);
    if (!h->library) {
        error_setg(errp, "cannot load backend %s: %s", library_path, dlerror());
        return false;
    }
    create = (MvemuBackendCreateFn)dlsym(h->library,
                                         MVEMU_BACKEND_ENTRY_SYMBOL);
    if (!create) {
        error_setg(errp, "%s has no %s", library_path,
                   MVEMU_BACKEND_ENTRY_SYMBOL);
        return false;
    }
    h->host_ops = (MvemuHostOps) {
        .abi_version = MVEMU_BACKEND_ABI_VERSION,
        .host = h,
        .mem_read = host_mem_read,
        .mem_write = host_mem_write,
        .irq_pend = host_irq_pend,
        .irq_busy = host_irq_busy,
        .irq_count = host_irq_count,
        .periph_peek32 = host_periph_peek32,
        .periph_poke32 = host_periph_poke32,
        .clock_ns = host_clock_ns,
        .set_deadline = host_set_deadline,
        .wake_main_loop = host_wake_main_loop,
        .cpu_read = host_cpu_read,
        .cpu_write = host_cpu_write,
        .cpu_halt = host_cpu_halt,
        .flash_program = host_flash_program,
        .request_reset = host_request_reset,
        .request_exit = host_request_exit,
        .log = host_log,
        .apply_input = host_apply_input,
    };
    h->soc = soc;
    /* The backend may arm its timer or wake the main loop while it starts. */
    h->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, backend_timer_cb, h);
    if (!create(&h->host_ops, profile_path, info, &h->ops, message,
                sizeof(message))) {
        error_setg(errp, "backend: %s", message);
        memset(&h->ops, 0, sizeof(h->ops));
        return false;
    }
    if (h->ops.abi_version != MVEMU_BACKEND_ABI_VERSION) {
        error_setg(errp, "backend %s speaks contract version %u, the board %u",
                   library_path, h->ops.abi_version, MVEMU_BACKEND_ABI_VERSION);
        memset(&h->ops, 0, sizeof(h->ops));
        return false;
    }
    soc->armv7m.nvic.acknowledge_hook = backend_irq_taken;
    soc->armv7m.nvic.acknowledge_hook_opaque = h;
    if (h->recording || h->replaying) {
        icount_set_warp_hook(backend_clock_warp, h);
    }
    return true;
}

void mvemu_backend_host_destroy(MvemuBackendHost *h)
{
    if (h->soc && h->soc->armv7m.nvic.acknowledge_hook_opaque == h) {
        h->soc->armv7m.nvic.acknowledge_hook = NULL;
    }
    if (h->recording || h->replaying) {
        icount_set_warp_hook(NULL, NULL);
    }
    if (h->ops.destroy) {
        h->ops.destroy(h->ops.backend);
    }
    memset(&h->ops, 0, sizeof(h->ops));
    g_clear_pointer(&h->timer, timer_free);
    if (h->library) {
        dlclose(h->library);
        h->library = NULL;
    }
}

uint32_t mvemu_backend_host_syscall(MvemuBackendHost *h, uint32_t entry,
                                    const uint32_t args[4], uint32_t flags,
                                    uint32_t caller)
{
    uint32_t status = h->ops.syscall(h->ops.backend, entry, args, flags,
                                     caller);

    trace_mvemu_syscall(entry, args[0], args[1], args[2], args[3], flags,
                        status);
    note_idle_activity(h);
    return status;
}

void mvemu_backend_host_reset(MvemuBackendHost *h)
{
    if (h->ops.reset) {
        h->ops.reset(h->ops.backend);
    }
}

typedef struct MonitorCall {
    MvemuBackendHost *h;
    const char *command, *args_json;
    char *result;
} MonitorCall;

static void monitor_call_run(MonitorCall *call)
{
    MvemuBackendHost *h = call->h;
    char *text = h->ops.monitor(h->ops.backend, call->command,
                                call->args_json);

    call->result = g_strdup(text ? text : "{}");
    free(text);
}

static void monitor_call_on_cpu(CPUState *cs, run_on_cpu_data data)
{
    monitor_call_run(data.host_ptr);
}

char *mvemu_backend_host_monitor(MvemuBackendHost *h, const char *command,
                                 const char *args_json)
{
    MonitorCall call = { h, command, args_json, NULL };

    if (h->recording) {
        /*
         * On the vCPU thread between two instructions, where the virtual
         * clock says exactly where the command's effects entered the guest.
         */
        run_on_cpu(CPU(h->soc->armv7m.cpu), monitor_call_on_cpu,
                   RUN_ON_CPU_HOST_PTR(&call));
    } else {
        monitor_call_run(&call);
    }
    return call.result;
}
