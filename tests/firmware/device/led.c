/*
 * device-led: mvSystemLedEnable turns Microvisor's system LED off and on;
 * each change is one console line and the runner reads the state over QMP
 * (query-mvemu-device) and HMP (info mvemu_led) while it is off.
 */
#include "fwtest.h"

int main(void)
{
    mvtest_begin("device-led");
    CHECK_STATUS(mvSystemLedEnable(2), MV_STATUS_PARAMETERFAULT);  /* reserved */
    CHECK_STATUS(mvSystemLedEnable(1), MV_STATUS_OKAY);  /* already on: no line */
    CHECK_STATUS(mvSystemLedEnable(0), MV_STATUS_OKAY);
    CHECK_STATUS(mvSystemLedEnable(0), MV_STATUS_OKAY);  /* no change: no line */
    mvtest_log("LED OFF");
    /* The runner's queries go out now; give them virtual time. */
    uint64_t start = fw_micros();
    while (fw_micros() - start < 300000u) {
    }
    CHECK_STATUS(mvSystemLedEnable(1), MV_STATUS_OKAY);
    mvtest_log("LED ON");
    start = fw_micros();
    while (fw_micros() - start < 300000u) {
    }
    mvtest_end();
}
