// mvSetFastInterrupt, mvClearFastInterrupt, mvEnableFastInterrupt,
// mvDisableFastInterrupt, mvDisableAllFastInterrupts,
// mvEnableAllFastInterrupts.
//
// A fast interrupt is an application interrupt Microvisor serves with low
// latency. Here that is its priority: while a line is fast it runs at the
// highest priority (0), so it preempts every other application interrupt;
// clearing it restores the priority it had. Its enable is the fast enable
// and not mvDisableAllFastInterrupts, written to the NVIC.
#include "backend.h"

namespace mvemu {

namespace {

constexpr uint32_t kScbVtor = 0xE000ED08u;  // VTOR_NS, as Non-secure code reads it
constexpr uint32_t kNvicIser = 0xE000E100u, kNvicIcer = 0xE000E180u, kNvicIpr = 0xE000E400u;
constexpr uint32_t kFirstExternalVector = 16;

bool valid_line(Backend& b, uint32_t irq) { return irq < b.host().irq_count(); }

void nvic_enable(Backend& b, uint32_t irq, bool on) {
    uint32_t bit = 1u << (irq % 32);
    b.host().cpu_write((on ? kNvicIser : kNvicIcer) + 4 * (irq / 32), &bit, 4);
}

uint8_t nvic_priority(Backend& b, uint32_t irq) {
    uint8_t prio = 0;
    b.host().cpu_read(kNvicIpr + irq, &prio, 1);
    return prio;
}

void set_nvic_priority(Backend& b, uint32_t irq, uint8_t prio) {
    b.host().cpu_write(kNvicIpr + irq, &prio, 1);
}

// The line's vector must be one the application owns: VTOR_NS and the
// handler it names in the application's flash or RAM.
bool vector_valid(Backend& b, uint32_t irq) {
    uint32_t vtor = 0, handler = 0;
    uint32_t entry = 0;
    if (!b.host().cpu_read(kScbVtor, &vtor, 4)) {
        return false;
    }
    entry = vtor + 4 * (kFirstExternalVector + irq);
    if (!b.memory().readable(vtor, 4) || !b.memory().readable(entry, 4)) {
        return false;
    }
    auto value = b.memory().read_u32(entry);
    if (!value) {
        return false;
    }
    handler = *value & ~1u;
    return (*value & 1u) && b.memory().readable(handler, 2);
}

FastInterrupts::Line* fast_line(Backend& b, uint32_t irq) {
    auto& lines = b.fast_interrupts().lines;
    auto it = lines.find(irq);
    return it == lines.end() ? nullptr : &it->second;
}

Status set_fast(Backend& b, const CallArgs& c) {
    uint32_t irq = c.a[0];
    if (!valid_line(b, irq) || b.centers().uses_irq(irq)) {
        return MV_STATUS_INVALIDINTERRUPT;
    }
    if (!vector_valid(b, irq)) {
        return MV_STATUS_INVALIDVECTOR;
    }
    if (fast_line(b, irq)) {
        return MV_STATUS_OKAY;  // already fast
    }
    // Fast lines start disabled: mvEnableFastInterrupt turns them on.
    b.fast_interrupts().lines[irq] = FastInterrupts::Line{false, nvic_priority(b, irq)};
    nvic_enable(b, irq, false);
    set_nvic_priority(b, irq, 0);
    return MV_STATUS_OKAY;
}

Status clear_fast(Backend& b, const CallArgs& c) {
    uint32_t irq = c.a[0];
    if (!valid_line(b, irq)) {
        return MV_STATUS_INVALIDINTERRUPT;
    }
    if (auto* line = fast_line(b, irq)) {
        set_nvic_priority(b, irq, line->saved_priority);
        b.fast_interrupts().lines.erase(irq);
    }
    return MV_STATUS_OKAY;
}

Status enable_fast(Backend& b, const CallArgs& c, bool on) {
    auto* line = valid_line(b, c.a[0]) ? fast_line(b, c.a[0]) : nullptr;
    if (!line) {
        return MV_STATUS_INVALIDINTERRUPT;
    }
    line->enabled = on;
    nvic_enable(b, c.a[0], on && !b.fast_interrupts().all_disabled);
    return MV_STATUS_OKAY;
}

Status enable_all(Backend& b, bool on) {
    b.fast_interrupts().all_disabled = !on;
    for (auto& [irq, line] : b.fast_interrupts().lines) {
        nvic_enable(b, irq, on && line.enabled);
    }
    return MV_STATUS_OKAY;
}

}  // namespace

void register_fast_interrupt_calls(SyscallTable& table) {
    table.set("mvSetFastInterrupt", set_fast);
    table.set("mvClearFastInterrupt", clear_fast);
    table.set("mvEnableFastInterrupt",
              [](Backend& b, const CallArgs& c) { return enable_fast(b, c, true); });
    table.set("mvDisableFastInterrupt",
              [](Backend& b, const CallArgs& c) { return enable_fast(b, c, false); });
    table.set("mvDisableAllFastInterrupts",
              [](Backend& b, const CallArgs&) { return enable_all(b, false); });
    table.set("mvEnableAllFastInterrupts",
              [](Backend& b, const CallArgs&) { return enable_all(b, true); });
}

}  // namespace mvemu
