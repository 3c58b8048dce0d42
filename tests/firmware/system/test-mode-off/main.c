/*
 * test-mode-off: with application_test_mode = false in the profile, the
 * test-mode calls (mvTestLoggingInit, mvTestLog, mvTestingComplete) return
 * UNAVAILABLE. mvtest cannot report here, so the verdict goes out through
 * the server log as "RESULT PASS" or "RESULT FAIL <what>", and the firmware
 * then spins (the runner stops QEMU on the RESULT line).
 */
#include <stdio.h>
#include <string.h>

#include "fwtest.h"

static uint8_t server_buf[4096] __attribute__((aligned(512)));
static uint8_t test_buf[4096] __attribute__((aligned(512)));

static char failures[512];

static void expect(const char *what, enum MvStatus got, enum MvStatus want)
{
    if (got == want)
        return;
    size_t used = strlen(failures);
    snprintf(failures + used, sizeof failures - used, " %s=0x%lx", what, (unsigned long)got);
}

static void server_log(const char *text)
{
    (void)mvServerLog((const uint8_t *)text, (uint16_t)strlen(text));
}

int main(void)
{
    static const char msg[] = "this must not appear";

    if (mvServerLoggingInit(server_buf, sizeof server_buf) != MV_STATUS_OKAY) {
        for (;;)  /* no way to report; the runner times out */
            mv_wfi();
    }

    expect("mvTestLoggingInit", mvTestLoggingInit(test_buf, sizeof test_buf),
           MV_STATUS_UNAVAILABLE);
    expect("mvTestLog", mvTestLog((const uint8_t *)msg, sizeof msg - 1),
           MV_STATUS_UNAVAILABLE);
    /* A non-zero verdict: should the call wrongly end the run, it fails. */
    expect("mvTestingComplete", mvTestingComplete(1), MV_STATUS_UNAVAILABLE);

    /* Still running after mvTestingComplete. */
    uint64_t start = fw_micros();
    while (fw_micros() - start < 10000u) {
    }

    if (failures[0] == '\0') {
        server_log("RESULT PASS");
    } else {
        char line[600];
        snprintf(line, sizeof line, "RESULT FAIL%s", failures);
        server_log(line);
    }
    for (;;)
        mv_wfi();
}
