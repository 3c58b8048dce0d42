/*
 * A firmware whose own verdict is a failure: it logs, then calls
 * mvTestingComplete(7) (the launcher-expect-verdict test).
 */
#include <string.h>

#include "mv_syscalls.h"

static uint8_t log_buffer[512] __attribute__((aligned(512)));

int main(void)
{
    static const char line[] = "verdict: failing on purpose";
    (void)mvServerLoggingInit(log_buffer, sizeof log_buffer);
    (void)mvServerLog((const uint8_t *)line, (uint16_t)strlen(line));
    mvTestingComplete(7);
    for (;;) {
    }
}
