#include "main_queue.h"

namespace mvemu {

void MainQueue::post(std::function<void()> work) {
    bool was_empty;
    {
        std::lock_guard lock(mutex_);
        was_empty = items_.empty();
        items_.push_back(std::move(work));
    }
    if (was_empty) {
        host_.wake_main_loop();
    }
}

size_t MainQueue::drain() {
    std::deque<std::function<void()>> batch;
    {
        std::lock_guard lock(mutex_);
        batch.swap(items_);
    }
    for (auto& work : batch) {
        work();
    }
    return batch.size();
}

void MainQueue::clear() {
    std::lock_guard lock(mutex_);
    items_.clear();
}

}  // namespace mvemu
