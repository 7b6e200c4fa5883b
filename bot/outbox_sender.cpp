#include "bot/outbox_sender.hpp"

#include <spdlog/spdlog.h>

#include "storage/store.hpp"

namespace ritualbot {

int outbox_sender::flush() {
    int handed = 0;
    for (auto& [platform, t] : transports_) {
        for (const outbox_row& row : db_.unsent(platform, 500)) {
            if (!in_flight_.insert(row.id).second) continue;
            ++handed;
            const std::int64_t id = row.id;
            t->deliver(row, [this, id, p = platform](delivery_result r) {
                in_flight_.erase(id);
                delivery_counters& n = counters_[p];
                (r.ok ? n.delivered : r.retryable ? n.failed : n.set_aside) += 1;
                try {
                    if (r.ok) {
                        db_.mark_sent(id, clk_.now());
                    } else if (!r.retryable) {
                        // Refused for good (a deleted channel, a user who left): trying
                        // again cannot help, and it must not hold up the rows behind it.
                        spdlog::error("outbox row {} refused by the platform, set aside: {}", id, r.error);
                        db_.set_aside(id, r.error);
                    } else {
                        spdlog::warn("outbox row {} not delivered: {}", id, r.error);
                        db_.mark_failed(id, r.error);
                    }
                } catch (const std::exception& e) {
                    // The row stays unsent and goes out again: at least once, never lost.
                    spdlog::error("could not record delivery of outbox row {}: {}", id, e.what());
                }
            });
        }
    }
    return handed;
}

}  // namespace ritualbot
