#pragma once
// The only source of "now" in ritualbot. Handlers, the scheduler and the
// outbox take a clock&; production uses system_clock_source, tests and
// `run --virtual-clock` use manual_clock and move it explicitly.
#include <chrono>

namespace ritualbot {

using instant = std::chrono::sys_seconds;

class clock {
public:
    virtual ~clock() = default;
    virtual instant now() const = 0;
};

class system_clock_source final : public clock {
public:
    instant now() const override;
};

class manual_clock final : public clock {
public:
    explicit manual_clock(instant start) : now_(start) {}
    instant now() const override { return now_; }
    void set(instant t) { now_ = t; }
    void advance(std::chrono::seconds d) { now_ += d; }

private:
    instant now_;
};

}  // namespace ritualbot

#include <optional>
#include <string>
#include <string_view>

namespace ritualbot {

// "2026-11-19T15:00:00Z", "2026-11-19T16:00:00+01:00", seconds optional;
// only the years 2000 to 2999.
std::optional<instant> parse_iso_instant(std::string_view text);
std::string format_iso_instant(instant t);  // "2026-11-19T15:00:00Z"

}  // namespace ritualbot
