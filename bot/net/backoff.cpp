#include "bot/net/backoff.hpp"

#include <algorithm>

namespace ritualbot::net {

backoff::backoff(backoff_options options, std::uint64_t seed) : options_(options), random_(seed) {
    options_.first = std::max(options_.first, std::chrono::milliseconds(1));
    options_.max = std::max(options_.max, options_.first);
    options_.jitter = std::clamp(options_.jitter, 0.0, 1.0);
}

std::chrono::milliseconds backoff::next() {
    // Doubling stops at the cap, so the shift never overflows.
    double delay = static_cast<double>(options_.first.count());
    const double cap = static_cast<double>(options_.max.count());
    for (int i = 0; i < failures_ && delay < cap; ++i) delay *= 2;
    delay = std::min(delay, cap);
    ++failures_;
    std::uniform_real_distribution<double> share(1.0 - options_.jitter, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(delay * share(random_)));
}

}  // namespace ritualbot::net
