#include "config/schedule_spec.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace ritualbot {
namespace {

constexpr std::array<std::string_view, 7> short_days{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
constexpr std::array<std::string_view, 7> long_days{"sunday",   "monday", "tuesday", "wednesday",
                                                    "thursday", "friday", "saturday"};
constexpr std::array<std::string_view, 7> display_days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool parse_int(std::string_view s, int& out) {
    if (s.empty() || s.size() > 6) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size();
}

}  // namespace

std::optional<weekly_time> parse_weekly_time(std::string_view text, std::string& error) {
    const auto bad = [&] {
        error = "expected a weekday and a 24-hour time such as \"Thu 15:00\", got \"" + std::string(text) + "\"";
        return std::nullopt;
    };
    auto space = text.find(' ');
    if (space == std::string_view::npos) return bad();
    std::string day = lower(text.substr(0, space));
    std::string_view clock = text.substr(space + 1);
    while (!clock.empty() && clock.front() == ' ') clock.remove_prefix(1);

    weekly_time out;
    bool found = false;
    for (unsigned i = 0; i < 7; ++i) {
        if (day == short_days[i] || day == long_days[i]) {
            out.weekday = i;
            found = true;
        }
    }
    if (!found) return bad();
    auto colon = clock.find(':');
    if (colon == std::string_view::npos) return bad();
    if (!parse_int(clock.substr(0, colon), out.hour) || !parse_int(clock.substr(colon + 1), out.minute)) return bad();
    if (clock.size() - colon - 1 != 2) return bad();
    if (out.hour < 0 || out.hour > 23 || out.minute < 0 || out.minute > 59) return bad();
    return out;
}

std::optional<std::chrono::minutes> parse_duration(std::string_view text, std::string& error) {
    const auto bad = [&] {
        error = "expected a duration such as \"4h\", \"30m\" or \"1h30m\" (shorter than a week), got \"" +
                std::string(text) + "\"";
        return std::nullopt;
    };
    if (text.empty()) return bad();
    long total = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t start = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
        int n = 0;
        if (i == start || i == text.size() || !parse_int(text.substr(start, i - start), n)) return bad();
        switch (text[i]) {
            case 'd': total += n * 1440L; break;
            case 'h': total += n * 60L; break;
            case 'm': total += n; break;
            default: return bad();
        }
        ++i;
    }
    if (total <= 0 || total >= 7 * 1440) return bad();
    return std::chrono::minutes(total);
}

std::optional<unsigned> parse_weekday(std::string_view text) {
    const std::string day = lower(text);
    for (unsigned i = 0; i < 7; ++i)
        if (day == short_days[i] || day == long_days[i]) return i;
    return std::nullopt;
}

std::optional<std::pair<int, int>> parse_clock_window(std::string_view text, std::string& error) {
    const auto bad = [&] {
        error = "expected two 24-hour times such as \"09:00-18:00\", got \"" + std::string(text) + "\"";
        return std::nullopt;
    };
    const auto clock = [](std::string_view s, int& out) {
        int h = 0, m = 0;
        if (s.size() != 5 || s[2] != ':' || !parse_int(s.substr(0, 2), h) || !parse_int(s.substr(3), m)) return false;
        if (h < 0 || h > 23 || m < 0 || m > 59) return false;
        out = h * 60 + m;
        return true;
    };
    const auto dash = text.find('-');
    if (dash == std::string_view::npos) return bad();
    int start = 0, end = 0;
    if (!clock(text.substr(0, dash), start) || !clock(text.substr(dash + 1), end)) return bad();
    if (start > end) {
        error = "the window \"" + std::string(text) + "\" ends before it starts";
        return std::nullopt;
    }
    return std::pair{start, end};
}

std::string format_weekday(unsigned weekday) { return std::string(display_days[weekday % 7]); }

std::string format_clock(int minutes) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
    return buf;
}

std::string format_weekly_time(const weekly_time& t) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", t.hour, t.minute);
    return std::string(display_days[t.weekday % 7]) + " " + buf;
}

std::string format_duration(std::chrono::minutes d) {
    auto m = d.count();
    std::string out;
    if (m >= 1440) { out += std::to_string(m / 1440) + "d"; m %= 1440; }
    if (m >= 60) { out += std::to_string(m / 60) + "h"; m %= 60; }
    if (m > 0 || out.empty()) out += std::to_string(m) + "m";
    return out;
}

}  // namespace ritualbot
