#pragma once
// Keeps one Web API method under its rate-limit tier: at most `per_window`
// calls in any `window` (Slack counts per method and workspace, per minute),
// and nothing before a Retry-After has passed.
#include <chrono>
#include <deque>

namespace ritualbot::slack {

class call_pacer {
public:
    using clock = std::chrono::steady_clock;
    call_pacer(int per_window, clock::duration window) : per_window_(per_window), window_(window) {}

    // How long to wait from `now` before the next call may go.
    clock::duration wait(clock::time_point now);
    void record(clock::time_point now);
    void hold_until(clock::time_point t) {
        if (t > not_before_) not_before_ = t;
    }

private:
    int per_window_;
    clock::duration window_;
    std::deque<clock::time_point> recent_;
    clock::time_point not_before_{};
};

}  // namespace ritualbot::slack
