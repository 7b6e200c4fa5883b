#pragma once
// Delivers committed outbox rows through their platform's transport, in the
// order they were written, and marks each row sent once the platform took it.
// A row that fails stays unsent and is tried again on a later flush, after a
// growing wait; one the platform refused for good (not retryable), or one that
// kept failing too long, is set aside: kept, never sent unless the operator
// re-queues it (`ritualbot outbox retry`).
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bot/clock.hpp"
#include "bot/transport.hpp"
#include "storage/message.hpp"

namespace ritualbot {

class store;

// Deliveries since the start, per platform (for /metrics).
struct delivery_counters {
    std::uint64_t delivered = 0;
    std::uint64_t failed = 0;     // tried again later
    std::uint64_t set_aside = 0;  // refused for good
};

class outbox_sender {
public:
    outbox_sender(store& db, const clock& clk) : db_(db), clk_(clk) {}

    void add_transport(transport& t) { transports_[t.platform()] = &t; }
    // Called when a delivery completed: the owner flushes again soon (the
    // destination's next rows were not handed over yet).
    void set_wake(std::function<void()> wake) { wake_ = std::move(wake); }
    // Rows of one destination handed over at a time (see store::unsent).
    static constexpr int per_destination = 3;
    // Rows handed to transports and not finished, all platforms together: a
    // backlog waits in the database, not in memory.
    static constexpr std::size_t max_in_flight = 512;
    // Delivers everything unsent; returns how many rows were handed over.
    int flush();
    // The outbox changed behind the sender's back (another process, a test
    // editing the table): the next flush reads every unsent row.
    void recheck() {
        settled_ = false;
        looked_whole_ = false;
    }

    const std::map<std::string, delivery_counters>& counters() const { return counters_; }

    // A row that keeps failing with a retryable error is set aside after this
    // many attempts, or when it is this old, whichever comes first.
    static constexpr int max_attempts = 200;
    static constexpr std::chrono::hours max_age{48};

private:
    void deliver(transport& t, const std::string& platform, const outbox_row& row);

    std::map<std::string, delivery_counters> counters_;
    store& db_;
    const clock& clk_;
    std::map<std::string, transport*> transports_;
    std::set<std::int64_t> in_flight_;
    std::function<void()> wake_;
    // What the last flush saw: every eligible row was handed over, nothing was
    // enqueued and no delivery finished since. Then the next flush need not ask
    // the database (it scans every unsent row) until `recheck_after` has passed
    // (a retry coming due, a row re-queued by another process).
    bool settled_ = false;
    std::uint64_t enqueues_seen_ = 0;
    std::uint64_t finished_ = 0;  // deliveries finished
    instant settled_at_{};
    static constexpr std::chrono::seconds recheck_after{1};
    // Between two reads of every unsent row (see flush()): when the last one
    // was, the newest row looked at since, whether rows were left out for
    // want of room, and the destinations whose rows were delivered since.
    bool looked_whole_ = false;
    instant looked_whole_at_{};
    std::int64_t last_looked_ = 0;
    bool left_out_ = false;
    std::vector<destination> delivered_to_;
};

}  // namespace ritualbot
