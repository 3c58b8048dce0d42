/*
 * Board side of the backend contract (plugin/include/mvemu/backend_abi.h):
 * loads the backend library and implements the host operations it calls.
 */
#ifndef HW_MVEMU_BACKEND_HOST_H
#define HW_MVEMU_BACKEND_HOST_H

#include "qemu/timer.h"
#include "hw/arm/armv7m.h"
#include "backend_abi.h"

typedef struct MvemuBackendHost {
    void *library;
    MvemuHostOps host_ops;
    MvemuBackendOps ops;
    MvemuMachineInfo info;
    ARMv7MState *armv7m;
    QEMUTimer *timer;
    QEMUBH *poll_bh;
} MvemuBackendHost;

/* Load the library and create the backend from the device profile. */
bool mvemu_backend_host_load(MvemuBackendHost *h, const char *library_path,
                             const char *profile_path, Error **errp);
/* Connect to the realized CPU/NVIC; call once the machine is built. */
void mvemu_backend_host_attach(MvemuBackendHost *h, ARMv7MState *armv7m);
uint32_t mvemu_backend_host_syscall(MvemuBackendHost *h, uint32_t entry,
                                    const uint32_t args[4], uint32_t flags);
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
