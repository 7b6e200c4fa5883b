#pragma once
// The monthly schedule word of the learning sessions: "first Tue 16:00",
// "last Friday 15:30".
#include <optional>
#include <string>
#include <string_view>

namespace ritualbot {

struct monthly_time {
    int ordinal = 1;       // 1..4: the n-th such weekday of the month; -1: the last one
    unsigned weekday = 2;  // 0 = Sunday .. 6 = Saturday
    int hour = 16;
    int minute = 0;

    friend bool operator==(const monthly_time&, const monthly_time&) = default;
};

// "first Tue 16:00", "2nd thursday 9:30", "last Fri 15:00" (case-insensitive).
// On failure returns nullopt and sets error to what a valid value looks like.
std::optional<monthly_time> parse_monthly_time(std::string_view text, std::string& error);

std::string format_monthly_time(const monthly_time& t);  // "first Tue 16:00"

}  // namespace ritualbot
