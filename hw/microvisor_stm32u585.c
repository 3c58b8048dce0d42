/*
 * microvisor-stm32u585: an STM32U585 (Cortex-M33 with TrustZone) as a
 * Microvisor application sees it.
 *
 * The application runs Non-secure. Microvisor's place in the Secure world is
 * taken by a small secure boot stage (hw/secure-boot/boot.S) and by the
 * system-call backend (plugin/), which serves every call the application
 * makes through the veneers in the Non-secure-callable page.
 *
 * Each 8-byte veneer at 0x0C1FE000 + 8 * N is: SG; SVC #N; BXNS LR, as on the
 * device. The CPU's Non-secure-callable hook performs the whole call when
 * Non-secure code branches to a veneer (mvemu_nsc_call); the Secure-SVC hook
 * serves the same SVC if the veneer is ever executed from Secure state, and
 * the boot stage's fault reports.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/error-report.h"
#include "qemu/units.h"
#include "exec/address-spaces.h"
#include "hw/boards.h"
#include "hw/clock.h"
#include "hw/loader.h"
#include "hw/qdev-clock.h"
#include "hw/qdev-properties.h"
#include "hw/sysbus.h"
#include "hw/arm/armv7m.h"
#include "hw/arm/boot.h"
#include "hw/misc/unimp.h"
#include "sysemu/reset.h"
#include "sysemu/runstate.h"
#include "target/arm/cpu.h"
#include "stm32u5_idau.h"
#include "stm32u5_rcc.h"
#include "stm32u5_flash_if.h"
#include "mvemu_backend_host.h"
#include "mvemu_secure_boot.h"
#include "trace.h"

#define TYPE_MICROVISOR_STM32U585_MACHINE MACHINE_TYPE_NAME("microvisor-stm32u585")
OBJECT_DECLARE_SIMPLE_TYPE(MicrovisorMachineState, MICROVISOR_STM32U585_MACHINE)

/* STM32U585 memory map (shared/abi/stm32u585.md). */
#define FLASH_NS_BASE   0x08000000u
#define FLASH_S_BASE    0x0C000000u
#define FLASH_SIZE      (2 * MiB)
#define SRAM_NS_BASE    0x20000000u
#define SRAM_S_BASE     0x30000000u
#define SRAM_SIZE       (768 * KiB) /* SRAM1-3 */
#define SRAM4_NS_BASE   0x28000000u
#define SRAM4_S_BASE    0x38000000u
#define SRAM4_SIZE      (16 * KiB)
#define PERIPH_NS_BASE  0x40000000u
#define PERIPH_S_BASE   0x50000000u
#define PERIPH_SIZE     0x10000000u
#define EXTMEM_BASE     0x60000000u
#define EXTMEM_SIZE     0x40000000u
#define RCC_NS_BASE     0x46020C00u
#define RCC_S_BASE      0x56020C00u
#define FLASH_IF_NS_BASE 0x40022000u
#define FLASH_IF_S_BASE  0x50022000u
#define STM32U585_NUM_IRQ 125
#define STM32U585_PRIO_BITS 4

/* The system-call veneers (shared/abi/syscalls.md). */
#define VENEER_BASE     0x0C1FE000u
#define VENEER_SIZE     8u
#define VENEER_COUNT    74u /* slots 0..73 */

/* Exit status when the application crashes (see docs/launcher.md). */
#define MVEMU_EXIT_GUEST_CRASH 125

struct MicrovisorMachineState {
    MachineState parent_obj;

    ARMv7MState armv7m;
    STM32U5IdauState idau;
    STM32U5RCCState rcc;
    STM32U5FlashIfState flash_if;
    MemoryRegion flash;
    MemoryRegion flash_s_alias;
    MemoryRegion sram;
    MemoryRegion sram_s_alias;
    MemoryRegion sram4;
    MemoryRegion sram4_s_alias;
    MemoryRegion rcc_s_alias;
    MemoryRegion flash_if_s_alias;
    Clock *sysclk;
    Clock *refclk;
    MvemuBackendHost backend;

    char *profile;
    char *backend_path;
};

/* Fill each veneer with SG; SVC #slot; BXNS LR (Thumb, little-endian). */
static void install_veneers(void)
{
    uint8_t code[VENEER_COUNT * VENEER_SIZE];

    for (uint32_t slot = 0; slot < VENEER_COUNT; slot++) {
        uint8_t *v = &code[slot * VENEER_SIZE];
        const uint8_t veneer[VENEER_SIZE] = {
            0x7f, 0xe9, 0x7f, 0xe9,     /* SG */
            slot, 0xdf,                 /* SVC #slot */
            0x74, 0x47,                 /* BXNS LR */
        };
        memcpy(v, veneer, sizeof(veneer));
    }
    rom_add_blob_fixed_as("mvemu.veneers", code, sizeof(code), VENEER_BASE,
                          &address_space_memory);
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

static void report_guest_fault(uint32_t imm, CPUARMState *env)
{
    uint32_t info = env->regs[0], sfsr = env->regs[1], pc = env->regs[2];

    if (imm == MVEMU_SVC_REPORT_SECUREFAULT) {
        trace_mvemu_guest_fault("securefault", info, pc);
        if (sfsr & (1u << 6)) { /* SFARVALID */
            error_report("mvemu: application crashed: SecureFault %s at "
                         "address 0x%08x, pc 0x%08x",
                         secure_fault_kind(sfsr), info, pc);
        } else {
            error_report("mvemu: application crashed: SecureFault %s at "
                         "pc 0x%08x", secure_fault_kind(sfsr), pc);
        }
    } else {
        trace_mvemu_guest_fault("hardfault", info, pc);
        error_report("mvemu: application crashed: Secure HardFault "
                     "(HFSR 0x%08x) at pc 0x%08x", info, pc);
    }
    qemu_system_exit_request(MVEMU_EXIT_GUEST_CRASH);
}

/* Serve system call `slot` with r0-r3 as arguments; the status goes to r0. */
static void serve_call(MicrovisorMachineState *s, CPUARMState *env,
                       uint32_t slot)
{
    uint32_t args[4] = { env->regs[0], env->regs[1], env->regs[2],
                         env->regs[3] };
    uint32_t flags = env->v7m.exception ? MVEMU_CALL_FROM_HANDLER : 0;

    env->regs[0] = mvemu_backend_host_syscall(&s->backend, slot, args, flags);
}

/*
 * The CPU's Secure-SVC hook: a veneer executed from Secure state, and the
 * secure boot stage's fault reports.
 */
static bool mvemu_secure_svc(ARMCPU *cpu, uint32_t imm, void *opaque)
{
    MicrovisorMachineState *s = opaque;
    CPUARMState *env = &cpu->env;
    uint32_t pc = env->regs[15]; /* already past the SVC */
    uint32_t offset = pc - VENEER_BASE;

    if (offset < VENEER_COUNT * VENEER_SIZE && offset % VENEER_SIZE == 6 &&
        imm == offset / VENEER_SIZE) {
        serve_call(s, env, imm);
        return true;
    }
    if (pc - MVEMU_SECURE_BOOT_BASE < MVEMU_SECURE_BOOT_MAX &&
        (imm == MVEMU_SVC_REPORT_SECUREFAULT ||
         imm == MVEMU_SVC_REPORT_HARDFAULT)) {
        report_guest_fault(imm, env);
        return true;
    }
    return false;
}

/*
 * The CPU's Non-secure-callable hook: a branch from Non-secure code into the
 * veneer page is the whole system call. It completes here, as the veneer's
 * SG; SVC; BXNS LR would, but atomically: no interrupt can be taken half way
 * through in Secure state, which would leave an exception frame on the Secure
 * stack under an RTOS that switches threads on the Non-secure one.
 */
static bool mvemu_nsc_call(ARMCPU *cpu, void *opaque)
{
    MicrovisorMachineState *s = opaque;
    CPUARMState *env = &cpu->env;
    uint32_t offset = env->regs[15] - VENEER_BASE;

    if (offset >= VENEER_COUNT * VENEER_SIZE || offset % VENEER_SIZE != 0) {
        return false; /* not an entry point: QEMU raises the SecureFault */
    }
    serve_call(s, env, offset / VENEER_SIZE);
    env->regs[15] = env->regs[14] & ~1u; /* return to the caller (BXNS LR) */
    return true;
}

static void mvemu_machine_reset_hook(void *opaque)
{
    MicrovisorMachineState *s = opaque;

    mvemu_backend_host_reset(&s->backend);
}

static void map_with_secure_alias(MemoryRegion *sysmem, SysBusDevice *dev,
                                  MemoryRegion *alias, const char *name,
                                  hwaddr ns_base, hwaddr s_base)
{
    MemoryRegion *mr = sysbus_mmio_get_region(dev, 0);

    sysbus_mmio_map(dev, 0, ns_base);
    memory_region_init_alias(alias, OBJECT(dev), name, mr, 0,
                             memory_region_size(mr));
    memory_region_add_subregion(sysmem, s_base, alias);
}

static void init_memory(MicrovisorMachineState *s, MemoryRegion *sysmem)
{
    memory_region_init_rom(&s->flash, NULL, "stm32u5.flash", FLASH_SIZE,
                           &error_fatal);
    memory_region_add_subregion(sysmem, FLASH_NS_BASE, &s->flash);
    memory_region_init_alias(&s->flash_s_alias, NULL, "stm32u5.flash.secure",
                             &s->flash, 0, FLASH_SIZE);
    memory_region_add_subregion(sysmem, FLASH_S_BASE, &s->flash_s_alias);

    memory_region_init_ram(&s->sram, NULL, "stm32u5.sram1-3", SRAM_SIZE,
                           &error_fatal);
    memory_region_add_subregion(sysmem, SRAM_NS_BASE, &s->sram);
    memory_region_init_alias(&s->sram_s_alias, NULL, "stm32u5.sram1-3.secure",
                             &s->sram, 0, SRAM_SIZE);
    memory_region_add_subregion(sysmem, SRAM_S_BASE, &s->sram_s_alias);

    memory_region_init_ram(&s->sram4, NULL, "stm32u5.sram4", SRAM4_SIZE,
                           &error_fatal);
    memory_region_add_subregion(sysmem, SRAM4_NS_BASE, &s->sram4);
    memory_region_init_alias(&s->sram4_s_alias, NULL, "stm32u5.sram4.secure",
                             &s->sram4, 0, SRAM4_SIZE);
    memory_region_add_subregion(sysmem, SRAM4_S_BASE, &s->sram4_s_alias);
}

static void init_peripherals(MicrovisorMachineState *s, MemoryRegion *sysmem)
{
    MvemuMachineInfo *clk = &s->backend.info;

    object_initialize_child(OBJECT(s), "rcc", &s->rcc, TYPE_STM32U5_RCC);
    stm32u5_rcc_set_clock_tree(&s->rcc, clk->sysclk_hz, clk->hclk_hz,
                               clk->pclk1_hz, clk->pclk2_hz, &error_fatal);
    sysbus_realize(SYS_BUS_DEVICE(&s->rcc), &error_fatal);
    map_with_secure_alias(sysmem, SYS_BUS_DEVICE(&s->rcc), &s->rcc_s_alias,
                          "stm32u5.rcc.secure", RCC_NS_BASE, RCC_S_BASE);

    object_initialize_child(OBJECT(s), "flash-if", &s->flash_if,
                            TYPE_STM32U5_FLASH_IF);
    /* Wait states the way Microvisor sets them for the core clock. */
    qdev_prop_set_uint32(DEVICE(&s->flash_if), "latency",
                         clk->hclk_hz > 128000000 ? 4 :
                         clk->hclk_hz > 96000000 ? 3 :
                         clk->hclk_hz > 64000000 ? 2 :
                         clk->hclk_hz > 32000000 ? 1 : 0);
    sysbus_realize(SYS_BUS_DEVICE(&s->flash_if), &error_fatal);
    map_with_secure_alias(sysmem, SYS_BUS_DEVICE(&s->flash_if),
                          &s->flash_if_s_alias, "stm32u5.flash-if.secure",
                          FLASH_IF_NS_BASE, FLASH_IF_S_BASE);

    /* Everything not modelled yet reads as zero and shows up in -d unimp. */
    create_unimplemented_device("stm32u5.periph", PERIPH_NS_BASE, PERIPH_SIZE);
    create_unimplemented_device("stm32u5.periph.secure", PERIPH_S_BASE,
                                PERIPH_SIZE);
    create_unimplemented_device("stm32u5.extmem", EXTMEM_BASE, EXTMEM_SIZE);
}

static void init_cpu(MicrovisorMachineState *s, MemoryRegion *sysmem)
{
    DeviceState *armv7m;

    /* The core and SysTick run from HCLK; the SysTick reference is HCLK/8. */
    s->sysclk = clock_new(OBJECT(s), "HCLK");
    clock_set_hz(s->sysclk, s->backend.info.hclk_hz);
    s->refclk = clock_new(OBJECT(s), "SYSTICK_REFCLK");
    clock_set_mul_div(s->refclk, 8, 1);
    clock_set_source(s->refclk, s->sysclk);

    object_initialize_child(OBJECT(s), "idau", &s->idau, TYPE_STM32U5_IDAU);
    s->idau.nsc_base = VENEER_BASE;
    s->idau.nsc_size = 0x1000;

    object_initialize_child(OBJECT(s), "armv7m", &s->armv7m, TYPE_ARMV7M);
    armv7m = DEVICE(&s->armv7m);
    qdev_prop_set_string(armv7m, "cpu-type", ARM_CPU_TYPE_NAME("cortex-m33"));
    qdev_prop_set_uint32(armv7m, "num-irq", STM32U585_NUM_IRQ);
    qdev_prop_set_uint32(armv7m, "init-svtor", MVEMU_SECURE_BOOT_BASE);
    qdev_prop_set_bit(armv7m, "enable-bitband", false);
    qdev_connect_clock_in(armv7m, "cpuclk", s->sysclk);
    qdev_connect_clock_in(armv7m, "refclk", s->refclk);
    object_property_set_link(OBJECT(armv7m), "memory", OBJECT(sysmem),
                             &error_abort);
    object_property_set_link(OBJECT(armv7m), "idau", OBJECT(&s->idau),
                             &error_abort);
    /* FreeRTOS probes the implemented priority bits and asserts on them. */
    object_property_set_uint(OBJECT(&s->armv7m.nvic), "num-prio-bits",
                             STM32U585_PRIO_BITS, &error_abort);
    sysbus_realize(SYS_BUS_DEVICE(armv7m), &error_fatal);

    s->armv7m.cpu->m_secure_svc_hook = mvemu_secure_svc;
    s->armv7m.cpu->m_secure_svc_hook_opaque = s;
    s->armv7m.cpu->m_nsc_call_hook = mvemu_nsc_call;
    s->armv7m.cpu->m_nsc_call_hook_opaque = s;
}

static void microvisor_stm32u585_init(MachineState *machine)
{
    MicrovisorMachineState *s = MICROVISOR_STM32U585_MACHINE(machine);
    MemoryRegion *sysmem = get_system_memory();

    /* The backend owns the device profile, which sets the clock tree. */
    mvemu_backend_host_load(&s->backend, s->backend_path, s->profile,
                            &error_fatal);

    init_memory(s, sysmem);
    init_cpu(s, sysmem);
    init_peripherals(s, sysmem);
    mvemu_backend_host_attach(&s->backend, &s->armv7m);

    install_veneers();
    install_secure_boot();
    if (!machine->kernel_filename) {
        error_report("microvisor-stm32u585: no application: pass -kernel APP.elf");
        exit(1);
    }
    armv7m_load_kernel(s->armv7m.cpu, machine->kernel_filename, FLASH_NS_BASE,
                       1 * MiB);
    qemu_register_reset(mvemu_machine_reset_hook, s);
}

MvemuBackendHost *mvemu_machine_backend(void)
{
    Object *machine = object_dynamic_cast(qdev_get_machine(),
                                          TYPE_MICROVISOR_STM32U585_MACHINE);

    return machine ? &MICROVISOR_STM32U585_MACHINE(machine)->backend : NULL;
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

static const char *const valid_cpu_types[] = {
    ARM_CPU_TYPE_NAME("cortex-m33"), NULL
};

static void microvisor_stm32u585_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->desc = "STM32U585 running a Microvisor application (mvemu)";
    mc->init = microvisor_stm32u585_init;
    mc->max_cpus = 1;
    mc->default_ram_size = 0;
    mc->default_cpu_type = ARM_CPU_TYPE_NAME("cortex-m33");
    mc->valid_cpu_types = valid_cpu_types;

    object_class_property_add_str(oc, "profile", get_profile, set_profile);
    object_class_property_set_description(oc, "profile",
        "Device profile (TOML): device ID, clocks, wall time, network");
    object_class_property_add_str(oc, "backend", get_backend, set_backend);
    object_class_property_set_description(oc, "backend",
        "Path of the system-call backend library (libmvemu-backend.so)");
}

static const TypeInfo microvisor_stm32u585_info = {
    .name = TYPE_MICROVISOR_STM32U585_MACHINE,
    .parent = TYPE_MACHINE,
    .instance_size = sizeof(MicrovisorMachineState),
    .class_init = microvisor_stm32u585_class_init,
};

static void microvisor_stm32u585_register_types(void)
{
    type_register_static(&microvisor_stm32u585_info);
}

type_init(microvisor_stm32u585_register_types)
