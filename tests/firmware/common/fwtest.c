#include "fwtest.h"

#include <string.h>

uint64_t fw_micros(void)
{
    uint64_t us = 0;
    mvGetMicroseconds(&us);
    return us;
}

enum MvStatus fw_center_open(FwCenter *c, volatile struct MvNotification *records,
                             uint32_t slots, uint32_t irq)
{
    static struct MvNotificationSetup setup;

    memset((void *)records, 0xff, slots * sizeof(struct MvNotification));
    c->records = records;
    c->slots = slots;
    c->irq = irq;
    c->read_index = 0;
    c->received = 0;
    setup.irq = irq;
    setup.buffer = (struct MvNotification *)records;
    setup.buffer_size = slots * sizeof(struct MvNotification);
    enum MvStatus s = mvSetupNotifications(&setup, &c->handle);
    if (s == MV_STATUS_OKAY) {
        mv_nvic_clear_pending((int)irq);
        mv_nvic_enable_irq((int)irq);
    }
    return s;
}

void fw_center_isr(FwCenter *c)
{
    volatile struct MvNotification *n = &c->records[c->read_index];
    c->last_type = n->event_type;
    c->last_tag = n->tag;
    n->event_type = MV_EVENTTYPE_NOEVENT;
    c->read_index = (c->read_index + 1) % c->slots;
    c->received++;
}

int fw_center_wait(FwCenter *c, uint32_t count, uint32_t timeout_us)
{
    uint64_t start = fw_micros();
    while (c->received < count) {
        if (fw_micros() - start > timeout_us) {
            return 0;
        }
    }
    return 1;
}
