/* mvServerLoggingInit / mvServerLog validation and console output. */
#include <string.h>

#include "fwtest.h"

static uint8_t log_buffer[1024] __attribute__((aligned(512)));
static uint8_t misaligned_buffer[1024 + 512] __attribute__((aligned(512)));
static char long_message[1100];

int main(void)
{
    mvtest_begin("server-logging");
    static const char hello[] = "hello from flash";

    CHECK_STATUS(mvServerLog((const uint8_t *)hello, sizeof(hello) - 1), MV_STATUS_UNAVAILABLE);
    CHECK_STATUS(mvServerLoggingInit(misaligned_buffer + 16, 1024), MV_STATUS_INVALIDBUFFERALIGNMENT);
    CHECK_STATUS(mvServerLoggingInit(log_buffer, 0), MV_STATUS_INVALIDBUFFERSIZE);
    CHECK_STATUS(mvServerLoggingInit(log_buffer, 100), MV_STATUS_INVALIDBUFFERSIZE);
    CHECK_STATUS(mvServerLoggingInit((uint8_t *)FW_APP_FLASH, 1024), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvServerLoggingInit((uint8_t *)FW_SECURE_SRAM, 1024), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvServerLoggingInit((uint8_t *)0x2007FE00u, 1024), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvServerLog((const uint8_t *)hello, sizeof(hello) - 1), MV_STATUS_UNAVAILABLE);

    CHECK_STATUS(mvServerLoggingInit(log_buffer, sizeof(log_buffer)), MV_STATUS_OKAY);
    /* The message may live in flash (a string literal) or in RAM. */
    CHECK_STATUS(mvServerLog((const uint8_t *)hello, sizeof(hello) - 1), MV_STATUS_OKAY);
    char ram_message[32];
    strcpy(ram_message, "value=42\n");
    CHECK_STATUS(mvServerLog((const uint8_t *)ram_message, strlen(ram_message)), MV_STATUS_OKAY);
    static const uint8_t control[] = {'a', 0x01, 'b'};
    CHECK_STATUS(mvServerLog(control, sizeof(control)), MV_STATUS_OKAY);
    CHECK_STATUS(mvServerLog((const uint8_t *)hello, 0), MV_STATUS_OKAY);

    CHECK_STATUS(mvServerLog((const uint8_t *)FW_SECURE_SRAM, 4), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvServerLog((const uint8_t *)FW_UNMAPPED, 4), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvServerLog((const uint8_t *)0x2007FFFEu, 4), MV_STATUS_PARAMETERFAULT);

    memset(long_message, 'x', sizeof(long_message));
    CHECK_STATUS(mvServerLog((const uint8_t *)long_message, 1024), MV_STATUS_OKAY);
    CHECK_STATUS(mvServerLog((const uint8_t *)long_message, 1025), MV_STATUS_LOGMESSAGETOOLONG);
    mvtest_end();
}
