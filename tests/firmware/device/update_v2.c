/*
 * device-update, second image: what the update installed. It reports the
 * wake reason the device gives after an update and ends the test.
 */
#include "fwtest.h"
#include "../system/persist.h"

int main(void)
{
    enum MvWakeReason reason = (enum MvWakeReason)0xEE;

    mvtest_begin("device-update");
    mvtest_log("v2 running");
    CHECK_STATUS(mvGetWakeReason(&reason), MV_STATUS_OKAY);
    CHECK_EQ(reason, MV_WAKEREASON_APPLICATIONUPDATE);
    FW_PERSIST->magic = 0;
    mvtest_end();
}
