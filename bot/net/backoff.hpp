#pragma once
// Capped exponential backoff with jitter, for reconnect and retry loops.
// The n-th consecutive failure waits a random time in
// [d/2, d] where d = min(max, first * 2^(n-1)); the jitter keeps many bots
// (or many rooms) from retrying in lock-step after an outage.
//
//   net::backoff b({.first = 1s, .max = 60s});
//   on failure: timer.expires_after(b.next());
//   on success: b.reset();
#include <chrono>
#include <cstdint>
#include <random>

namespace ritualbot::net {

struct backoff_options {
    std::chrono::milliseconds first{500};
    std::chrono::milliseconds max{60000};
    double jitter = 0.5;  // share of the delay that is random: 0 = none, 1 = anywhere in [0, d]
};

class backoff {
public:
    explicit backoff(backoff_options options = {}, std::uint64_t seed = std::random_device{}());

    // The wait before the next attempt; counts one more failure.
    std::chrono::milliseconds next();
    void reset() { failures_ = 0; }
    int failures() const { return failures_; }

private:
    backoff_options options_;
    std::mt19937_64 random_;
    int failures_ = 0;
};

}  // namespace ritualbot::net
