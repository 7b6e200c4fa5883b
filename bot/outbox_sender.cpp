#include "bot/outbox_sender.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "storage/store.hpp"

namespace ritualbot {

namespace {

// The wait before a failed row is tried again: doubling from a second up to
// a quarter of an hour, or what the platform asked for if that is longer
// (capped too: a hostile Retry-After does not park a row for years).
std::chrono::seconds next_wait(int attempts, std::chrono::seconds asked) {
    const auto doubling = std::chrono::seconds(1LL << std::clamp(attempts, 0, 10));
    return std::clamp(std::max(doubling, asked), std::chrono::seconds(1), std::chrono::seconds(15 * 60));
}

}  // namespace

int outbox_sender::flush() {
    const std::uint64_t enqueues = db_.enqueue_count();
    const std::uint64_t finished = finished_;
    const instant now = clk_.now();
    if (settled_ && enqueues == enqueues_seen_ && now - settled_at_ < recheck_after) return 0;
    // Every unsent row is numbered (store::unsent) the first time, once a
    // second (a retry coming due, a row re-queued by another process), when
    // asked to, and when rows were left out for want of room and half the room
    // is free again. In between, only rows written since the last look and the
    // lines of destinations that had a row delivered are read: under a backlog
    // a delivery costs a few index steps, not a pass over the backlog.
    const bool whole = !looked_whole_ || now - looked_whole_at_ >= recheck_after ||
                       (left_out_ && in_flight_.size() <= max_in_flight / 2);
    const std::int64_t newest = db_.last_outbox_id();
    std::vector<destination> delivered_to;
    delivered_to.swap(delivered_to_);  // a delivery that finishes during this flush adds to the next one's
    int handed = 0;
    bool complete = true;  // every eligible row handed over
    auto hand_over = [&](transport& t, const std::string& platform, const std::vector<outbox_row>& rows) {
        for (const outbox_row& row : rows) {
            if (in_flight_.size() >= max_in_flight) {
                complete = false;
                return;
            }
            if (!in_flight_.insert(row.id).second) continue;
            ++handed;
            deliver(t, platform, row);
        }
    };
    for (auto& [platform, t] : transports_) {
        if (in_flight_.size() >= max_in_flight) {
            complete = false;
            break;
        }
        const int room = std::min<int>(500, static_cast<int>(max_in_flight - in_flight_.size()));
        // Rows in flight are skipped after the LIMIT: fewer than `room` others means none was left out.
        const int limit = room + static_cast<int>(in_flight_.size());
        const auto rows = whole ? db_.unsent(platform, limit, now, per_destination, &in_flight_)
                                : db_.unsent_after(platform, last_looked_, limit, now, per_destination, &in_flight_);
        if (rows.size() >= static_cast<std::size_t>(room)) complete = false;
        hand_over(*t, platform, rows);
        if (whole) continue;
        std::set<std::tuple<destination_kind, std::string, std::string>> asked;  // each line once
        for (const destination& to : delivered_to)
            if (to.platform == platform && asked.emplace(to.kind, to.user, to.channel).second)
                hand_over(*t, platform, db_.unsent_to(to, now, per_destination, &in_flight_));
    }
    if (whole) {
        looked_whole_ = true;
        looked_whole_at_ = now;
        left_out_ = false;
    }
    left_out_ = left_out_ || !complete;
    last_looked_ = newest;
    // A delivery that finished meanwhile (the console's, at once) may let more go.
    settled_ = complete && finished_ == finished;
    enqueues_seen_ = enqueues;
    settled_at_ = now;
    return handed;
}

void outbox_sender::deliver(transport& t, const std::string& platform, const outbox_row& row) {
    const std::int64_t id = row.id;
    t.deliver(row, [this, id, p = platform, to = row.item.to, attempts = row.attempts,
                    created = row.created_at](delivery_result r) {
        in_flight_.erase(id);
        ++finished_;  // a destination's next row may go, or this one later
        delivered_to_.push_back(to);
        settled_ = false;
        delivery_counters& n = counters_[p];
        (r.ok ? n.delivered : r.retryable ? n.failed : n.set_aside) += 1;
        try {
            if (r.ok) {
                db_.mark_sent(id, clk_.now());
                if (wake_) wake_();  // the next rows of that destination may go now
            } else if (!r.retryable) {
                // Refused for good (a deleted channel, a user who left): trying
                // again cannot help, and it must not hold up the rows behind it.
                spdlog::error("outbox row {} refused by the platform, set aside: {}", id, r.error);
                db_.set_aside(id, r.error);
            } else if (attempts + 1 >= max_attempts || clk_.now() - created >= max_age) {
                // Retrying for ever helps nobody (a prompt two days late is
                // moot) and hides the problem: set aside, counted in /metrics;
                // `ritualbot outbox list|retry` shows and re-queues it.
                const std::string why = "gave up after " + std::to_string(attempts + 1) + " attempts: " + r.error;
                spdlog::error("outbox row {} {}; set aside", id, why);
                --n.failed;
                ++n.set_aside;
                db_.set_aside(id, why);
            } else {
                spdlog::warn("outbox row {} not delivered: {}", id, r.error);
                db_.mark_failed(id, r.error, r.maybe_delivered, clk_.now() + next_wait(attempts, r.retry_after));
            }
        } catch (const std::exception& e) {
            // The row stays unsent and goes out again: at least once, never lost.
            spdlog::error("could not record delivery of outbox row {}: {}", id, e.what());
        }
    });
}

}  // namespace ritualbot
