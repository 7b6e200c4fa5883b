#pragma once
// Parsing of the schedule words used in the config: "Thu 15:00" and "4h".
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

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

// "thu", "Thursday" -> 4 (0 = Sunday); nullopt for anything else.
std::optional<unsigned> parse_weekday(std::string_view text);
// "09:00-18:00" -> minutes after midnight {540, 1080}; the start not after the end.
std::optional<std::pair<int, int>> parse_clock_window(std::string_view text, std::string& error);

std::string format_weekly_time(const weekly_time& t);    // "Thu 15:00"
std::string format_duration(std::chrono::minutes d);      // "4h", "1h30m"
std::string format_weekday(unsigned weekday);             // "Thu"
std::string format_clock(int minutes_after_midnight);     // "09:00"

}  // namespace ritualbot
