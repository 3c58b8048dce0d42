/*
 * Board side of the backend contract (plugin/include/mvemu/backend_abi.h):
 * loads the backend library and implements the host operations it calls.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MVEMU_BACKEND_HOST_H
#define HW_MVEMU_BACKEND_HOST_H

#include "qemu/timer.h"
#include "stm32u585_soc.h"
#include "backend_abi.h"
#include "mvemu_idle_skip.h"

typedef struct MvemuBackendHost {
    void *library;
    MvemuHostOps host_ops;
    MvemuBackendOps ops;
    STM32U585SocState *soc;
    QEMUTimer *timer;
    /* main_loop_poll is queued on the vCPU (wake_main_loop), not yet run */
    bool poll_queued;
    /* a run is being recorded or replayed (record/replay properties) */
    bool recording, replaying;
    /* paced runs: told of system calls and deliveries (or NULL) */
    MvemuIdleSkip *idle;
} MvemuBackendHost;

/*
 * Load the library and create the backend from the device profile, for the
 * realized @soc and its clock tree @info.
 */
bool mvemu_backend_host_load(MvemuBackendHost *h, const char *library_path,
                             const char *profile_path,
                             const MvemuMachineInfo *info,
                             STM32U585SocState *soc, Error **errp);
/* Release the backend (its threads and sockets) and unload the library. */
void mvemu_backend_host_destroy(MvemuBackendHost *h);
/* Serve system call @entry made from @caller (its return address). */
uint32_t mvemu_backend_host_syscall(MvemuBackendHost *h, uint32_t entry,
                                    const uint32_t args[4], uint32_t flags,
                                    uint32_t caller);
void mvemu_backend_host_reset(MvemuBackendHost *h);
/* Run a monitor command; returns a g_malloc()ed JSON text. */
char *mvemu_backend_host_monitor(MvemuBackendHost *h, const char *command,
                                 const char *args_json);

/*
 * The backend of the current machine (for the monitor commands), or NULL
 * when the machine is not microvisor-stm32u585.
 */
MvemuBackendHost *mvemu_machine_backend(void);

#endif
