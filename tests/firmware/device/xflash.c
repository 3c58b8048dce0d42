/*
 * device-xflash: the external NOR flash, booted twice with one backing
 * file (the runner's --runs 2). A sector erased in the first run reads
 * 0xFF; programming only clears bits; the pattern written in the first
 * run is read back in the second. Every check of the calls' statuses runs
 * in both.
 */
#include "fwtest.h"

#define MARK_ADDR   0x10000u   /* sector 16 */
#define SECTOR      4096u

static uint8_t buf[64] __attribute__((aligned(4)));

static void check_statuses(MvExternalFlashHandle h, uint32_t size)
{
    struct MvExternalFlashInfo info = { .version = 2 };

    CHECK_STATUS(mvExternalFlashGetInfo(h, &info), MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    CHECK_STATUS(mvExternalFlashGetInfo(h, (struct MvExternalFlashInfo *)FW_APP_FLASH),
                 MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvExternalFlashGetInfo(h ^ 1u, &info), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvExternalFlashReadBlocking(h, size - 4, 8, buf), MV_STATUS_ADDRESSOUTOFRANGE);
    CHECK_STATUS(mvExternalFlashReadBlocking(h, 0xFFFFFFFCu, 8, buf),
                 MV_STATUS_ADDRESSOUTOFRANGE);
    CHECK_STATUS(mvExternalFlashReadBlocking(h, 0, 8, (uint8_t *)FW_APP_FLASH),
                 MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvExternalFlashReadBlocking(0, 0, 8, buf), MV_STATUS_INVALIDHANDLE);
    CHECK_STATUS(mvExternalFlashWriteBlocking(h, size, 1, buf), MV_STATUS_ADDRESSOUTOFRANGE);
    CHECK_STATUS(mvExternalFlashWriteBlocking(h, 0, 4, (const uint8_t *)FW_SECURE_SRAM),
                 MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvExternalFlashEraseBlocking(h, 100, SECTOR), MV_STATUS_INVALIDBUFFERALIGNMENT);
    CHECK_STATUS(mvExternalFlashEraseBlocking(h, 0, 100), MV_STATUS_INVALIDBUFFERALIGNMENT);
    CHECK_STATUS(mvExternalFlashEraseBlocking(h, size, SECTOR), MV_STATUS_ADDRESSOUTOFRANGE);
}

int main(void)
{
    MvExternalFlashHandle h = 0, h2 = 0;
    struct MvExternalFlashInfo info = { .version = 1 };

    mvtest_begin("device-xflash");
    CHECK_STATUS(mvExternalFlashOpen(NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_STATUS(mvExternalFlashOpen(&h), MV_STATUS_OKAY);
    CHECK_STATUS(mvExternalFlashOpen(&h2), MV_STATUS_OKAY);
    CHECK(h != 0 && h2 != 0 && h != h2);
    CHECK_STATUS(mvExternalFlashGetInfo(h, &info), MV_STATUS_OKAY);
    CHECK_EQ(info.v1.size, 8u << 20);
    CHECK_EQ(info.v1.chip_id, 0x00C22817u);
    CHECK_EQ(info.v1.num_handles, 2u);
    CHECK_STATUS(mvExternalFlashClose(&h2), MV_STATUS_OKAY);
    CHECK_EQ(h2, 0u);
    CHECK_STATUS(mvExternalFlashClose(&h2), MV_STATUS_INVALIDHANDLE);
    check_statuses(h, info.v1.size);

    CHECK_STATUS(mvExternalFlashReadBlocking(h, MARK_ADDR, 8, buf), MV_STATUS_OKAY);
    if (buf[0] == 0xFF) {
        mvtest_log("xflash: first run");
        /* A fresh image reads erased everywhere we look. */
        CHECK_STATUS(mvExternalFlashReadBlocking(h, info.v1.size - 64, 64, buf), MV_STATUS_OKAY);
        for (unsigned i = 0; i < 64; i++)
            CHECK_EQ(buf[i], 0xFFu);
        /* Bits only go from 1 to 0: 0xF0 then 0x3C leaves 0x30. */
        static const uint8_t a[2] = { 0xF0, 0xF0 }, b[2] = { 0x3C, 0xFF };
        CHECK_STATUS(mvExternalFlashWriteBlocking(h, SECTOR + 10, 2, a), MV_STATUS_OKAY);
        CHECK_STATUS(mvExternalFlashWriteBlocking(h, SECTOR + 10, 2, b), MV_STATUS_OKAY);
        CHECK_STATUS(mvExternalFlashReadBlocking(h, SECTOR + 10, 2, buf), MV_STATUS_OKAY);
        CHECK_EQ(buf[0], 0x30u);
        CHECK_EQ(buf[1], 0xF0u);
        /* An erase brings the whole sector back, and only that sector. */
        CHECK_STATUS(mvExternalFlashEraseBlocking(h, SECTOR, SECTOR), MV_STATUS_OKAY);
        CHECK_STATUS(mvExternalFlashReadBlocking(h, SECTOR + 10, 2, buf), MV_STATUS_OKAY);
        CHECK_EQ(buf[0], 0xFFu);
        /* The mark for the second run, across a page boundary. */
        static const uint8_t mark[8] = { 'M', 'V', 'E', 'M', 'U', 0x00, 0x5A, 0xA5 };
        CHECK_STATUS(mvExternalFlashWriteBlocking(h, MARK_ADDR, 8, mark), MV_STATUS_OKAY);
    } else {
        mvtest_log("xflash: second run");
        CHECK_EQ(buf[0], 'M');
        CHECK_EQ(buf[4], 'U');
        CHECK_EQ(buf[5], 0x00u);
        CHECK_EQ(buf[7], 0xA5u);
    }
    CHECK_STATUS(mvExternalFlashClose(&h), MV_STATUS_OKAY);
    CHECK_STATUS(mvExternalFlashReadBlocking(h, 0, 4, buf), MV_STATUS_INVALIDHANDLE);
    mvtest_end();
}
