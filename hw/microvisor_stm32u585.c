/*
 * microvisor-stm32u585: an STM32U585 as a Microvisor application sees it
 *
 * The machine instantiates the stm32u585-soc and adds what Microvisor owns
 * on a device: the Secure world. The application runs Non-secure; in the
 * Secure world a small boot stage (secure-boot/boot.S) starts it, and the
 * system-call backend (plugin/, loaded as a shared library) serves every
 * call it makes through the veneers in the Non-secure-callable page.
 *
 * Each 8-byte veneer at MVEMU_VENEER_BASE + 8 * N is SG; SVC #N; BXNS LR,
 * as on the device. The CPU's Non-secure-callable entry hook (qemu-patches
 * 0002) performs the whole call when Non-secure code branches to a veneer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qemu/error-report.h"
#include "qemu/log.h"
#include "qemu/timer.h"
#include "exec/address-spaces.h"
#include "hw/boards.h"
#include "hw/loader.h"
#include "hw/arm/boot.h"
#include "hw/qdev-properties-system.h"
#include "migration/blocker.h"
#include "system/reset.h"
#include "system/runstate.h"
#include "system/system.h"
#include "target/arm/cpu.h"
#include "stm32u585_soc.h"
#include "stm32u585_map.h"
#include "mvemu_backend_host.h"
#include "mvemu_console.h"
#include "mvemu_serial_console.h"
#include "mvemu_gpio_monitor.h"
#include "mvemu_pin_wiring.h"
#include "mvemu_secure_boot.h"
#include "mvemu_fault_report.h"
#include "trace.h"

#define TYPE_MICROVISOR_STM32U585_MACHINE \
    MACHINE_TYPE_NAME("microvisor-stm32u585")
OBJECT_DECLARE_SIMPLE_TYPE(MicrovisorMachineState,
                           MICROVISOR_STM32U585_MACHINE)

/* Exit status when the application crashes (see docs/launcher.md). */
#define MVEMU_EXIT_GUEST_CRASH 125
/* Exit status when the virtual time limit passes (like timeout(1)'s). */
#define MVEMU_EXIT_TIME_LIMIT 124

/* The fault-report registers the secure boot stage writes (boot.S). */
#define FAULT_REPORT_INFO   0x0     /* SFAR or HFSR */
#define FAULT_REPORT_SFSR   0x4
#define FAULT_REPORT_PC     0x8     /* PC from the faulting exception frame */
#define FAULT_REPORT_KIND   0xC     /* writing it sends the report */

struct MicrovisorMachineState {
    MachineState parent_obj;

    STM32U585SocState soc;
    MvemuBackendHost backend;
    MvemuGpioMonitor gpio_monitor;
    MvemuIdleSkip idle_skip;
    Chardev *serial_console[STM32U585_NUM_SERIAL]; /* ports on the console */
    bool idle_skip_on;              /* sleep in loops that only wait */
    MemoryRegion fault_report;
    uint32_t fault_regs[FAULT_REPORT_KIND / 4];
    Notifier exit_notifier;
    Notifier init_done_notifier;
    Error *migration_blocker;

    char *profile;
    char *backend_path;
    bool trace_gpio;
    char *trace_syscalls;           /* NULL: off, "-": the console */
    char *trace_syscalls_format;
    char *trace_syscalls_groups;
    char *traffic;                  /* the traffic log's file, or NULL */
    char *record;                   /* record the run to this file, or NULL */
    char *replay;                   /* replay the run from this file, or NULL */
    char *record_note;              /* kept in the recording's header */
    uint64_t time_limit_ms;     /* of virtual time; 0: none */
    QEMUTimer *time_limit;
};

/* Fill each veneer with SG; SVC #slot; BXNS LR (Thumb, little-endian). */
static void install_veneers(void)
{
    uint8_t code[MVEMU_VENEER_COUNT * MVEMU_VENEER_SIZE];

    for (uint32_t slot = 0; slot < MVEMU_VENEER_COUNT; slot++) {
        const uint8_t veneer[MVEMU_VENEER_SIZE] = {
            0x7f, 0xe9, 0x7f, 0xe9,     /* SG */
            slot, 0xdf,                 /* SVC #slot */
            0x74, 0x47,                 /* BXNS LR */
        };
        memcpy(&code[slot * MVEMU_VENEER_SIZE], veneer, sizeof(veneer));
    }
    rom_add_blob_fixed_as("mvemu.veneers", code, sizeof(code),
                          MVEMU_VENEER_BASE, &address_space_memory);
}

static void install_secure_boot(void)
{
    assert(mvemu_secure_boot_image_size <= MVEMU_SECURE_BOOT_MAX);
    rom_add_blob_fixed_as("mvemu.secure-boot", mvemu_secure_boot_image,
                          mvemu_secure_boot_image_size, MVEMU_SECURE_BOOT_BASE,
                          &address_space_memory);
}

static const char *secure_fault_kind(uint32_t sfsr)
{
    static const char *const names[] = {
        "INVEP (branch to a Secure address that is not an entry point)",
        "INVIS", "INVER",
        "AUVIOL (Non-secure access to Secure memory)",
        "INVTRAN", "LSPERR",
    };
    for (unsigned bit = 0; bit < ARRAY_SIZE(names); bit++) {
        if (sfsr & (1u << bit)) {
            return names[bit];
        }
    }
    return "unknown cause";
}

/* One diagnostic line for what the boot stage's fault handler found. */
static void report_guest_fault(MicrovisorMachineState *s, uint32_t kind)
{
    uint32_t info = s->fault_regs[FAULT_REPORT_INFO / 4];
    uint32_t sfsr = s->fault_regs[FAULT_REPORT_SFSR / 4];
    uint32_t pc = s->fault_regs[FAULT_REPORT_PC / 4];

    switch (kind) {
    case MVEMU_FAULT_SECUREFAULT:
        trace_mvemu_guest_fault("securefault", info, pc);
        if (sfsr & R_V7M_SFSR_SFARVALID_MASK) {
            error_report("mvemu: application crashed: SecureFault %s at "
                         "address 0x%08x, pc 0x%08x",
                         secure_fault_kind(sfsr), info, pc);
        } else {
            error_report("mvemu: application crashed: SecureFault %s at "
                         "pc 0x%08x", secure_fault_kind(sfsr), pc);
        }
        break;
    case MVEMU_FAULT_HARDFAULT:
        trace_mvemu_guest_fault("hardfault", info, pc);
        error_report("mvemu: application crashed: Secure HardFault "
                     "(HFSR 0x%08x) at pc 0x%08x", info, pc);
        break;
    default:
        trace_mvemu_guest_fault("secure-exception", kind, pc);
        error_report("mvemu: application crashed: unexpected Secure "
                     "exception %u at pc 0x%08x", kind, pc);
        break;
    }
    qemu_system_shutdown_request_with_code(SHUTDOWN_CAUSE_GUEST_PANIC,
                                           MVEMU_EXIT_GUEST_CRASH);
}

static MemTxResult fault_report_write(void *opaque, hwaddr offset,
                                      uint64_t value, unsigned size,
                                      MemTxAttrs attrs)
{
    MicrovisorMachineState *s = opaque;

    if (!attrs.secure) {
        return MEMTX_ERROR;
    }
    if (offset == FAULT_REPORT_KIND) {
        report_guest_fault(s, value);
    } else {
        s->fault_regs[offset / 4] = value;
    }
    return MEMTX_OK;
}

static MemTxResult fault_report_read(void *opaque, hwaddr offset,
                                     uint64_t *value, unsigned size,
                                     MemTxAttrs attrs)
{
    *value = 0;
    return attrs.secure ? MEMTX_OK : MEMTX_ERROR;
}

static const MemoryRegionOps fault_report_ops = {
    .read_with_attrs = fault_report_read,
    .write_with_attrs = fault_report_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

/*
 * The CPU's Non-secure-callable entry hook: a branch from Non-secure code
 * into the veneer page is the whole system call. It completes here, as the
 * veneer's SG; SVC; BXNS LR would, but atomically: no interrupt can be
 * taken half way through in Secure state, which would leave an exception
 * frame on the Secure stack under an RTOS that switches threads on the
 * Non-secure one.
 */
static bool mvemu_nsc_entry(ARMCPU *cpu, void *opaque)
{
    MicrovisorMachineState *s = opaque;
    CPUARMState *env = &cpu->env;
    uint32_t offset = env->regs[15] - MVEMU_VENEER_BASE;
    uint32_t args[4] = { env->regs[0], env->regs[1], env->regs[2],
                         env->regs[3] };
    uint32_t flags = env->v7m.exception ? MVEMU_CALL_FROM_HANDLER : 0;

    if (offset >= MVEMU_VENEER_COUNT * MVEMU_VENEER_SIZE ||
        offset % MVEMU_VENEER_SIZE != 0) {
        return false; /* not an entry point: QEMU raises the SecureFault */
    }
    env->regs[0] = mvemu_backend_host_syscall(&s->backend,
                                              offset / MVEMU_VENEER_SIZE,
                                              args, flags,
                                              env->regs[14] & ~1u);
    env->regs[15] = env->regs[14] & ~1u; /* return to the caller (BXNS LR) */
    return true;
}

/*
 * Devices first, which reloads the ROM blobs and the application image,
 * then the backend, which may write to guest RAM (mps2-tz orders its
 * reset the same way).
 */
static void microvisor_stm32u585_reset(MachineState *machine, ResetType type)
{
    MicrovisorMachineState *s = MICROVISOR_STM32U585_MACHINE(machine);

    /* A line cut short by the reset is printed as it stands. */
    for (int i = 0; i < STM32U585_NUM_SERIAL; i++) {
        if (s->serial_console[i]) {
            mvemu_serial_console_flush(s->serial_console[i]);
        }
    }
    qemu_devices_reset(type);
    mvemu_backend_host_reset(&s->backend);
}

/* Every -device exists now: wire sensor outputs to their GPIO pins. */
static void microvisor_stm32u585_init_done(Notifier *notifier, void *data)
{
    MicrovisorMachineState *s = container_of(notifier, MicrovisorMachineState,
                                             init_done_notifier);

    mvemu_wire_i2c_device_pins(&s->soc, &error_fatal);
}

static void microvisor_stm32u585_exit(Notifier *notifier, void *data)
{
    MicrovisorMachineState *s = container_of(notifier, MicrovisorMachineState,
                                             exit_notifier);

    mvemu_backend_host_destroy(&s->backend);
}

/*
 * QEMU's -serial order: USART1, USART2, USART3, UART4, UART5, LPUART1. A
 * port without one prints its lines on the console.
 */
static void connect_serial_ports(MicrovisorMachineState *s)
{
    for (int i = 0; i < STM32U585_NUM_SERIAL; i++) {
        Chardev *chr = serial_hd(i);

        if (!chr) {
            chr = mvemu_serial_console_new(stm32u585_soc_serial_name(i),
                                           &error_fatal);
            s->serial_console[i] = chr;
        }
        qdev_prop_set_chr(DEVICE(&s->soc.serial[i]), "chardev", chr);
    }
}

/* The run has had all the virtual time it may: stop it, as timeout(1) would. */
static void time_limit_reached(void *opaque)
{
    MicrovisorMachineState *s = opaque;

    mvemu_console_printf("mvemu", "virtual time limit of %" PRIu64
                         " ms reached", s->time_limit_ms);
    qemu_system_shutdown_request_with_code(SHUTDOWN_CAUSE_HOST_SIGNAL,
                                           MVEMU_EXIT_TIME_LIMIT);
}

static void start_time_limit(MicrovisorMachineState *s)
{
    if (s->time_limit_ms == 0) {
        return;
    }
    s->time_limit = timer_new_ms(QEMU_CLOCK_VIRTUAL, time_limit_reached, s);
    timer_mod(s->time_limit, s->time_limit_ms);
}

static void microvisor_stm32u585_init(MachineState *machine)
{
    MicrovisorMachineState *s = MICROVISOR_STM32U585_MACHINE(machine);
    MvemuMachineInfo info = {
        .sysclk_hz = s->soc.rcc.sysclk_hz,
        .hclk_hz = s->soc.rcc.hclk_hz,
        .pclk1_hz = s->soc.rcc.pclk1_hz,
        .pclk2_hz = s->soc.rcc.pclk2_hz,
        .trace_syscalls = !s->trace_syscalls ? NULL :
                          strcmp(s->trace_syscalls, "-") ? s->trace_syscalls :
                          "",
        .trace_syscalls_format = s->trace_syscalls_format,
        .trace_syscalls_groups = s->trace_syscalls_groups,
        .traffic = s->traffic,
        .record = s->record,
        .replay = s->replay,
        .record_note = s->record_note,
    };

    if (!machine->kernel_filename) {
        error_report("microvisor-stm32u585: no application: "
                     "pass -kernel APP.elf");
        exit(1);
    }
    connect_serial_ports(s);
    sysbus_realize(SYS_BUS_DEVICE(&s->soc), &error_fatal);
    mvemu_gpio_monitor_init(&s->gpio_monitor, &s->soc, s->trace_gpio);

    memory_region_init_io(&s->fault_report, OBJECT(s), &fault_report_ops, s,
                          "mvemu.fault-report", MVEMU_FAULT_REPORT_SIZE);
    memory_region_add_subregion(get_system_memory(), MVEMU_FAULT_REPORT_BASE,
                                &s->fault_report);
    install_veneers();
    install_secure_boot();
    armv7m_load_kernel(s->soc.armv7m.cpu, machine->kernel_filename,
                       MVEMU_APP_FLASH_BASE, MVEMU_APP_FLASH_SIZE);

    mvemu_backend_host_load(&s->backend, s->backend_path, s->profile, &info,
                            &s->soc, &error_fatal);
    s->soc.armv7m.cpu->m_nsc_entry_hook = mvemu_nsc_entry;
    s->soc.armv7m.cpu->m_nsc_entry_hook_opaque = s;
    /* A call into the veneers runs translated code: no faulting fetch. */
    s->soc.armv7m.cpu->m_call_gate_base = MVEMU_VENEER_BASE;
    s->soc.armv7m.cpu->m_call_gate_size =
        ROUND_UP(MVEMU_VENEER_COUNT * MVEMU_VENEER_SIZE,
                 qemu_target_page_size());
    if (s->idle_skip_on) {
        mvemu_idle_skip_init(&s->idle_skip, s->soc.armv7m.cpu, &s->soc.sram,
                             MVEMU_SRAM_NS_BASE, &s->soc.sram4,
                             MVEMU_SRAM4_NS_BASE);
        s->backend.idle = &s->idle_skip;
    }
    s->exit_notifier.notify = microvisor_stm32u585_exit;
    qemu_add_exit_notifier(&s->exit_notifier);
    s->init_done_notifier.notify = microvisor_stm32u585_init_done;
    qemu_add_machine_init_done_notifier(&s->init_done_notifier);

    error_setg(&s->migration_blocker, "microvisor-stm32u585: the state of "
               "the Microvisor backend (handles, channels, host sockets) "
               "cannot be saved, so neither savevm nor migration works yet");
    migrate_add_blocker(&s->migration_blocker, &error_fatal);
    start_time_limit(s);
}

MvemuBackendHost *mvemu_machine_backend(void)
{
    Object *machine = object_dynamic_cast(qdev_get_machine(),
                                          TYPE_MICROVISOR_STM32U585_MACHINE);

    return machine ? &MICROVISOR_STM32U585_MACHINE(machine)->backend : NULL;
}

MvemuGpioMonitor *mvemu_machine_gpio_monitor(void)
{
    Object *machine = object_dynamic_cast(qdev_get_machine(),
                                          TYPE_MICROVISOR_STM32U585_MACHINE);

    return machine ? &MICROVISOR_STM32U585_MACHINE(machine)->gpio_monitor :
           NULL;
}

static bool get_trace_gpio(Object *obj, Error **errp)
{
    return MICROVISOR_STM32U585_MACHINE(obj)->trace_gpio;
}

static void set_trace_gpio(Object *obj, bool value, Error **errp)
{
    MICROVISOR_STM32U585_MACHINE(obj)->trace_gpio = value;
}

static bool get_idle_skip(Object *obj, Error **errp)
{
    return MICROVISOR_STM32U585_MACHINE(obj)->idle_skip_on;
}

static void set_idle_skip(Object *obj, bool value, Error **errp)
{
    MICROVISOR_STM32U585_MACHINE(obj)->idle_skip_on = value;
}

static void get_idle_parks(Object *obj, Visitor *v, const char *name,
                           void *opaque, Error **errp)
{
    uint64_t parks = MICROVISOR_STM32U585_MACHINE(obj)->idle_skip.parks;

    visit_type_uint64(v, name, &parks, errp);
}

static void get_virtual_time_ns(Object *obj, Visitor *v, const char *name,
                                void *opaque, Error **errp)
{
    uint64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    visit_type_uint64(v, name, &now, errp);
}

static void get_time_limit_ms(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    MicrovisorMachineState *s = MICROVISOR_STM32U585_MACHINE(obj);

    visit_type_uint64(v, name, &s->time_limit_ms, errp);
}

static void set_time_limit_ms(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    MicrovisorMachineState *s = MICROVISOR_STM32U585_MACHINE(obj);

    visit_type_uint64(v, name, &s->time_limit_ms, errp);
}

static char *get_profile(Object *obj, Error **errp)
{
    return g_strdup(MICROVISOR_STM32U585_MACHINE(obj)->profile);
}

static void set_profile(Object *obj, const char *value, Error **errp)
{
    MicrovisorMachineState *s = MICROVISOR_STM32U585_MACHINE(obj);

    g_free(s->profile);
    s->profile = g_strdup(value);
}

/* The trace-syscalls* string properties, by their offset in the state. */
static char *get_trace_string(Object *obj, Error **errp, size_t offset)
{
    char **field = (char **)((char *)obj + offset);

    return g_strdup(*field);
}

static void set_trace_string(Object *obj, const char *value, size_t offset)
{
    char **field = (char **)((char *)obj + offset);

    g_free(*field);
    *field = g_strdup(value);
}

#define TRACE_STRING_ACCESSORS(field)                                       \
    static char *get_##field(Object *obj, Error **errp)                     \
    {                                                                       \
        return get_trace_string(obj, errp,                                  \
                                offsetof(MicrovisorMachineState, field));   \
    }                                                                       \
    static void set_##field(Object *obj, const char *value, Error **errp)   \
    {                                                                       \
        set_trace_string(obj, value,                                        \
                         offsetof(MicrovisorMachineState, field));          \
    }

TRACE_STRING_ACCESSORS(trace_syscalls)
TRACE_STRING_ACCESSORS(trace_syscalls_format)
TRACE_STRING_ACCESSORS(trace_syscalls_groups)
TRACE_STRING_ACCESSORS(traffic)
TRACE_STRING_ACCESSORS(record)
TRACE_STRING_ACCESSORS(replay)
TRACE_STRING_ACCESSORS(record_note)

static char *get_backend(Object *obj, Error **errp)
{
    return g_strdup(MICROVISOR_STM32U585_MACHINE(obj)->backend_path);
}

static void set_backend(Object *obj, const char *value, Error **errp)
{
    MicrovisorMachineState *s = MICROVISOR_STM32U585_MACHINE(obj);

    g_free(s->backend_path);
    s->backend_path = g_strdup(value);
}

static void microvisor_stm32u585_instance_init(Object *obj)
{
    MicrovisorMachineState *s = MICROVISOR_STM32U585_MACHINE(obj);
    object_initialize_child(obj, "soc", &s->soc, TYPE_STM32U585_SOC);
}

/* The clock tree Microvisor set up, forwarded to the SoC's RCC. */
static void get_clock_tree_hz(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    MicrovisorMachineState *s = MICROVISOR_STM32U585_MACHINE(obj);
    uint32_t value = object_property_get_uint(OBJECT(&s->soc), name, errp);

    visit_type_uint32(v, name, &value, errp);
}

static void set_clock_tree_hz(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    MicrovisorMachineState *s = MICROVISOR_STM32U585_MACHINE(obj);
    uint32_t value;

    if (visit_type_uint32(v, name, &value, errp)) {
        object_property_set_uint(OBJECT(&s->soc), name, value, errp);
    }
}

static const char *const valid_cpu_types[] = {
    ARM_CPU_TYPE_NAME("cortex-m33"), NULL
};

static void microvisor_stm32u585_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->desc = "STM32U585 running a Microvisor application (mvemu)";
    mc->init = microvisor_stm32u585_init;
    mc->reset = microvisor_stm32u585_reset;
    mc->max_cpus = 1;
    mc->default_ram_size = 0;
    mc->default_cpu_type = ARM_CPU_TYPE_NAME("cortex-m33");
    mc->valid_cpu_types = valid_cpu_types;

    object_class_property_add_str(oc, "profile", get_profile, set_profile);
    object_class_property_set_description(oc, "profile",
        "Device profile (TOML): device ID, wall time, network, ...");
    for (size_t i = 0; i < ARRAY_SIZE(stm32u5_clock_tree_properties); i++) {
        const char *name = stm32u5_clock_tree_properties[i];

        object_class_property_add(oc, name, "uint32", get_clock_tree_hz,
                                  set_clock_tree_hz, NULL, NULL);
        object_class_property_set_description(oc, name,
            "Clock tree Microvisor sets up, in Hz (default 160 MHz); "
            "./mvemu run takes it from the profile's [clocks]");
    }
    object_class_property_add_bool(oc, "trace-gpio", get_trace_gpio,
                                   set_trace_gpio);
    object_class_property_set_description(oc, "trace-gpio",
        "Print a console line for each change of an output pin");
    object_class_property_add_bool(oc, "idle-skip", get_idle_skip,
                                   set_idle_skip);
    object_class_property_set_description(oc, "idle-skip",
        "Let the CPU sleep in a loop that can only wait for an interrupt "
        "(./mvemu run --paced)");
    object_class_property_add(oc, "idle-parks", "uint64", get_idle_parks,
                              NULL, NULL, NULL);
    object_class_property_set_description(oc, "idle-parks",
        "How many times the CPU has slept in a loop that only waits");
    object_class_property_add_str(oc, "trace-syscalls", get_trace_syscalls,
                                  set_trace_syscalls);
    object_class_property_set_description(oc, "trace-syscalls",
        "Trace every system call to this file (\"-\": the console)");
    object_class_property_add_str(oc, "trace-syscalls-format",
                                  get_trace_syscalls_format,
                                  set_trace_syscalls_format);
    object_class_property_set_description(oc, "trace-syscalls-format",
        "text (the default) or json (one JSON object a line)");
    object_class_property_add_str(oc, "trace-syscalls-groups",
                                  get_trace_syscalls_groups,
                                  set_trace_syscalls_groups);
    object_class_property_set_description(oc, "trace-syscalls-groups",
        "Only these groups of calls, comma-separated (mqtt,http,...)");
    object_class_property_add_str(oc, "traffic", get_traffic, set_traffic);
    object_class_property_set_description(oc, "traffic",
        "Log every cloud exchange (MQTT, HTTP, config) to this file, "
        "as JSON lines");
    object_class_property_add_str(oc, "record", get_record, set_record);
    object_class_property_set_description(oc, "record",
        "Record everything that enters the guest from outside to this file "
        "(needs -icount shift=N; ./mvemu run --record)");
    object_class_property_add_str(oc, "replay", get_replay, set_replay);
    object_class_property_set_description(oc, "replay",
        "Replay a recorded run from this file, with no network "
        "(needs the recording's -icount shift; ./mvemu run --replay)");
    object_class_property_add_str(oc, "record-note", get_record_note,
                                  set_record_note);
    object_class_property_set_description(oc, "record-note",
        "Text kept in the recording's header (./mvemu run keeps its seed "
        "and -icount shift there)");
    object_class_property_add(oc, "virtual-time-ns", "uint64",
                              get_virtual_time_ns, NULL, NULL, NULL);
    object_class_property_set_description(oc, "virtual-time-ns",
        "The virtual clock now, in nanoseconds (read only)");
    object_class_property_add(oc, "time-limit-ms", "uint64", get_time_limit_ms,
                              set_time_limit_ms, NULL, NULL);
    object_class_property_set_description(oc, "time-limit-ms",
        "Stop with exit status 124 after this much virtual time (0: never)");
    object_class_property_add_str(oc, "backend", get_backend, set_backend);
    object_class_property_set_description(oc, "backend",
        "Path of the system-call backend library (libmvemu-backend.so)");
}

static const TypeInfo microvisor_stm32u585_info = {
    .name = TYPE_MICROVISOR_STM32U585_MACHINE,
    .parent = TYPE_MACHINE,
    .instance_size = sizeof(MicrovisorMachineState),
    .instance_init = microvisor_stm32u585_instance_init,
    .class_init = microvisor_stm32u585_class_init,
};

static void microvisor_stm32u585_register_types(void)
{
    type_register_static(&microvisor_stm32u585_info);
}

type_init(microvisor_stm32u585_register_types)
