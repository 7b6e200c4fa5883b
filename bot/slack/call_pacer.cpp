#include "bot/slack/call_pacer.hpp"

#include <algorithm>

namespace ritualbot::slack {

call_pacer::clock::duration call_pacer::wait(clock::time_point now) {
    while (!recent_.empty() && now - recent_.front() >= window_) recent_.pop_front();
    clock::duration w = not_before_ > now ? not_before_ - now : clock::duration::zero();
    if (per_window_ > 0 && static_cast<int>(recent_.size()) >= per_window_)
        w = std::max(w, recent_.front() + window_ - now);
    return w;
}

void call_pacer::record(clock::time_point now) { recent_.push_back(now); }

}  // namespace ritualbot::slack
