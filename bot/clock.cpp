#include "bot/clock.hpp"

#include <date/date.h>

#include <sstream>

namespace ritualbot {

instant system_clock_source::now() const {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::optional<instant> parse_iso_instant(std::string_view text) {
    const std::string s(text);
    for (const char* fmt : {"%FT%TZ", "%FT%T%Ez", "%FT%RZ", "%FT%R%Ez"}) {
        std::istringstream in(s);
        date::sys_seconds t;
        in >> date::parse(fmt, t);
        if (in.fail() || in.peek() != std::char_traits<char>::eof()) continue;
        // Calendars (ISO weeks, months) are computed a year around an
        // instant; far from today they mean nothing and may not exist.
        const auto year = int(date::year_month_day(std::chrono::floor<date::days>(t)).year());
        if (year < 2000 || year > 2999) return std::nullopt;
        return t;
    }
    return std::nullopt;
}

std::string format_iso_instant(instant t) { return date::format("%FT%TZ", t); }

}  // namespace ritualbot
