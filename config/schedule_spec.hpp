#pragma once
// Parsing of the schedule words used in the config: "Thu 15:00" and "4h".
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ritualbot {

// A time in the week, read in some time zone: weekday 0 = Sunday .. 6 = Saturday.
struct weekly_time {
    unsigned weekday = 4;
    int hour = 15;
    int minute = 0;

    friend bool operator==(const weekly_time&, const weekly_time&) = default;
};

// "Thu 15:00", "thursday 9:30" (case-insensitive). On failure returns nullopt
// and sets error to a message that says what a valid value looks like.
std::optional<weekly_time> parse_weekly_time(std::string_view text, std::string& error);

// "4h", "30m", "1h30m", "2d". Positive and shorter than a week.
std::optional<std::chrono::minutes> parse_duration(std::string_view text, std::string& error);

std::string format_weekly_time(const weekly_time& t);    // "Thu 15:00"
std::string format_duration(std::chrono::minutes d);      // "4h", "1h30m"

}  // namespace ritualbot
