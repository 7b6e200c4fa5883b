#pragma once
// What every chat platform implements: deliver one rendered outbox row.
// Intake (turning the platform's events into `incoming`) is each transport's
// own business; it hands them to the dispatcher through a callback.
#include <chrono>
#include <functional>
#include <string>

namespace ritualbot {

struct outbox_row;

struct delivery_result {
    bool ok = false;
    bool retryable = true;                 // false: the platform refused it for good
    std::chrono::seconds retry_after{0};   // from the platform, when it said
    std::string error;                     // never contains a token
    // Not delivered as far as we know, but a request that may have posted
    // left (or part of a long message went out): the transport must look
    // before posting it again, also after a restart.
    bool maybe_delivered = false;
};

class transport {
public:
    virtual ~transport() = default;
    virtual std::string platform() const = 0;
    // Calls `done` exactly once, possibly before returning.
    virtual void deliver(const outbox_row& row, std::function<void(delivery_result)> done) = 0;
};

}  // namespace ritualbot
