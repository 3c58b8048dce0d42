/*
 * mvemu board <-> backend contract.
 *
 * This header is the whole interface between the QEMU board model
 * (hw/microvisor_stm32u585.c, built into qemu-system-arm) and the system-call
 * backend (plugin/, a shared library the board loads at machine init).
 * It is plain C so both sides can include it.
 *
 * Bump MVEMU_BACKEND_ABI_VERSION on any incompatible change; the board
 * refuses a backend of another version.
 *
 * Threading: every MvemuBackendOps function is called by the board with QEMU's
 * iothread lock held (from the vCPU thread for syscalls, irq_taken and
 * main_loop_poll, from the main loop for the rest). MvemuHostOps functions
 * may be called only with that lock held, except wake_main_loop, which any
 * thread may call.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MVEMU_BACKEND_ABI_H
#define MVEMU_BACKEND_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MVEMU_BACKEND_ABI_VERSION 6u

/* Name of the single symbol the board looks up in the backend library. */
#define MVEMU_BACKEND_ENTRY_SYMBOL "mvemu_backend_create"

/* Flags passed with each system call. */
#define MVEMU_CALL_FROM_HANDLER 0x1u /* caller was in Handler mode (an ISR) */

enum MvemuLogLevel {
    MVEMU_LOG_INFO = 0,   /* guest-visible output (server/test log lines) */
    MVEMU_LOG_WARN = 1,   /* emulator diagnostics a user should see */
    MVEMU_LOG_DEBUG = 2,  /* only with tracing enabled */
};

/* What the board offers the backend. */
typedef struct MvemuHostOps {
    uint32_t abi_version;
    void *host; /* opaque, passed back as the first argument */

    /*
     * Physical bus access as seen by the application (secure = false) or by
     * Microvisor (secure = true). Returns 0 on success, -1 on a bus error.
     * The backend validates guest pointers before calling these.
     */
    int (*mem_read)(void *host, uint32_t addr, void *buf, uint32_t len,
                    bool secure);
    int (*mem_write)(void *host, uint32_t addr, const void *buf,
                     uint32_t len, bool secure);

    /* Pend NVIC line `irq` (0-based device interrupt number). */
    void (*irq_pend)(void *host, uint32_t irq);
    /* True while `irq` is enabled and still pending (its ISR has not run). */
    bool (*irq_busy)(void *host, uint32_t irq);
    /* Number of device interrupt lines the NVIC implements. */
    uint32_t (*irq_count)(void *host);

    /*
     * mvPeriphPeek32 / mvPeriphPoke32 on the Non-secure register address
     * the application names. The board's models decide what the
     * application may read and which bits it may change (the RCC's poke
     * policy lives with the RCC model). Return 0, or -1 for a register
     * Microvisor keeps from the application.
     */
    int (*periph_peek32)(void *host, uint32_t addr, uint32_t *value);
    int (*periph_poke32)(void *host, uint32_t addr, uint32_t mask,
                         uint32_t xorvalue);

    /* QEMU_CLOCK_VIRTUAL in nanoseconds (deterministic under -icount). */
    int64_t (*clock_ns)(void *host);
    /* Arm the single backend timer (virtual clock); INT64_MAX disarms. */
    void (*set_deadline)(void *host, int64_t deadline_ns);

    /*
     * Thread-safe: have MvemuBackendOps.main_loop_poll called soon, with the
     * iothread lock held (the board runs it on the vCPU thread).
     */
    void (*wake_main_loop)(void *host);

    /*
     * The CPU's own view of the bus as Non-secure privileged code, which
     * includes its System Control Space (NVIC at 0xE000E100, SCB VTOR_NS
     * at 0xE000ED08): the fast-interrupt calls configure the NVIC through
     * its architectural registers. Returns 0, or -1 on a bus error.
     */
    int (*cpu_read)(void *host, uint32_t addr, void *buf, uint32_t len);
    int (*cpu_write)(void *host, uint32_t addr, const void *buf,
                     uint32_t len);

    /*
     * Halt the CPU until an interrupt is pending, as WFI does (mvPowerSave).
     * Called from a system call it takes effect when the call returns;
     * called from reset (deep sleep) the CPU stays halted, since a reset
     * NVIC has no line enabled, until the backend resets the machine again.
     */
    void (*cpu_halt)(void *host);

    /*
     * Program the application's flash as Microvisor does when it applies
     * an update: `len` bytes at Non-secure flash address `addr`, inside the
     * application's 1 MiB. Called from reset, before the CPU runs; the
     * bytes stay until programmed again (later resets do not reload the
     * -kernel image). Returns 0, or -1 outside the application's flash.
     */
    int (*flash_program)(void *host, uint32_t addr, const void *buf,
                         uint32_t len);

    /* Machine control: a reset (mvRestart) or an exit with a status. */
    void (*request_reset)(void *host);
    void (*request_exit)(void *host, int status);

    /* Console sink; `line` has no trailing newline. */
    void (*log)(void *host, int level, const char *line);

    /*
     * Replay: apply again an input of the board's own models that
     * MvemuBackendOps.board_input recorded ("gpio-set PC13 high").
     * Returns 0, or -1 for one the board cannot apply.
     */
    int (*apply_input)(void *host, const char *input);
} MvemuHostOps;

/* What the backend provides. */
typedef struct MvemuBackendOps {
    uint32_t abi_version;
    void *backend; /* opaque, passed back as the first argument */

    /*
     * Serve system call `entry` (the veneer slot) made from `caller` (the
     * return address, LR); returns the MvStatus.
     */
    uint32_t (*syscall)(void *backend, uint32_t entry, const uint32_t args[4],
                        uint32_t flags, uint32_t caller);
    /* Called after the machine (and the guest RAM) has been reset. */
    void (*reset)(void *backend);
    /* The deadline armed with set_deadline has passed. */
    void (*timer_expired)(void *backend);
    /* Work queued from the backend's own threads is ready (wake_main_loop). */
    void (*main_loop_poll)(void *backend);
    /*
     * The CPU has just taken external interrupt `irq` (it is active and no
     * longer pending); called on the vCPU thread during exception entry.
     * The backend may pend the line again (its next notification record).
     */
    void (*irq_taken)(void *backend, uint32_t irq);
    /*
     * A monitor command (QMP/HMP "mvemu-*"): `command` and `args` are UTF-8,
     * the result is a malloc()ed UTF-8 JSON text the board frees with free().
     */
    char *(*monitor)(void *backend, const char *command, const char *args_json);
    /*
     * Under -icount with record or replay on: every vCPU is idle and the
     * virtual clock is about to jump `delta_ns` at raw instruction count
     * `executed`; returns the jump to make (recording: the same, replaying:
     * the recorded one). Must not read the clock (clock_ns).
     */
    int64_t (*clock_warp)(void *backend, int64_t executed, int64_t delta_ns);
    /*
     * Recording: the board has just applied `input`, an input to its own
     * models from outside (a QMP command such as mvemu-gpio-set), on the
     * vCPU thread; a replay gets it back through MvemuHostOps.apply_input.
     */
    void (*board_input)(void *backend, const char *input);
    /* Release everything; no other call follows. */
    void (*destroy)(void *backend);
} MvemuBackendOps;

/*
 * Machine facts the board gives the backend at creation: the clock tree
 * the machine was built with (its *-frequency properties), which
 * mvGetSysClk and friends report.
 */
typedef struct MvemuMachineInfo {
    uint32_t sysclk_hz, hclk_hz, pclk1_hz, pclk2_hz;
    /*
     * The system-call trace (the machine's trace-syscalls* properties):
     * NULL when off; "" for the console, else a file name; the format
     * ("text" or "json", NULL: text); the groups (comma-separated, NULL or
     * "": all). Only valid during creation.
     */
    const char *trace_syscalls;
    const char *trace_syscalls_format;
    const char *trace_syscalls_groups;
    /* The traffic log's file (the machine's traffic property), or NULL. */
    const char *traffic;
    /*
     * Record and replay (the machine's record, replay and record-note
     * properties; docs/reliability.md): the file to record to or replay
     * from, NULL when off, and a note (key=value words) to keep in the
     * recording's header. Only valid during creation.
     */
    const char *record;
    const char *replay;
    const char *record_note;
} MvemuMachineInfo;

/*
 * Create the backend from the device profile (NULL or "" for defaults).
 * On failure, returns false with a message in `error`.
 */
typedef bool (*MvemuBackendCreateFn)(const MvemuHostOps *host,
                                     const char *profile_path,
                                     const MvemuMachineInfo *machine,
                                     MvemuBackendOps *ops_out,
                                     char *error, size_t error_len);

#ifdef __cplusplus
}
#endif

#endif /* MVEMU_BACKEND_ABI_H */
