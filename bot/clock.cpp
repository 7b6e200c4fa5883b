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
        if (!in.fail() && in.peek() == std::char_traits<char>::eof()) return t;
    }
    return std::nullopt;
}

std::string format_iso_instant(instant t) { return date::format("%FT%TZ", t); }

}  // namespace ritualbot
