#include "handlers/okr_progress.hpp"

#include <fmt/format.h>

#include <date/tz.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace ritualbot {

int okr_period::days() const { return (date::sys_days{last} - date::sys_days{first}).count() + 1; }

bool okr_period::contains(date::year_month_day d) const { return first <= d && d <= last; }

std::string format_date(date::year_month_day d) { return date::format("%F", date::sys_days{d}); }

okr_period calendar_period(date::year_month_day d, std::string_view kind) {
    const int year = static_cast<int>(d.year());
    const unsigned month = static_cast<unsigned>(d.month());
    const unsigned length = kind == "year" ? 12 : kind == "half" ? 6 : 3;
    const unsigned start = (month - 1) / length * length + 1;  // 1, 4, 7, 10 for quarters
    okr_period p;
    p.first = date::year{year} / date::month{start} / 1;
    // The day before the first of the next period: the tz library knows month lengths and leap years.
    p.last = date::year_month_day{date::sys_days{date::year_month_day{p.first} + date::months{length}} - date::days{1}};
    if (length == 12) p.key = std::to_string(year);
    else if (length == 6) p.key = std::to_string(year) + "-H" + std::to_string(start / 6 + 1);
    else p.key = std::to_string(year) + "-Q" + std::to_string(start / 3 + 1);
    return p;
}

okr_period custom_period(date::year_month_day first, date::year_month_day last) {
    return {format_date(first) + ".." + format_date(last), first, last};
}

date::year_month_day local_date(instant t, const std::string& zone) {
    auto local = date::locate_zone(zone)->to_local(t);
    return date::year_month_day{date::floor<date::days>(local)};
}

std::string period_label(const okr_period& p) {
    const std::string days = format_date(p.first) + " to " + format_date(p.last);
    return p.key == format_date(p.first) + ".." + format_date(p.last) ? days : p.key + ", " + days;
}

std::optional<date::year_month_day> parse_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    int y = 0;
    unsigned m = 0, d = 0;
    auto num = [&](std::size_t from, std::size_t len, auto& out) {
        auto [p, ec] = std::from_chars(s.data() + from, s.data() + from + len, out);
        return ec == std::errc() && p == s.data() + from + len;
    };
    if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
    date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.ok()) return std::nullopt;
    return ymd;
}

double kr_progress(double baseline, double target, double current) {
    const double span = target - baseline;
    if (span == 0) return 0;
    return (current - baseline) / span;
}

double clamp_progress(double p) { return std::clamp(p, 0.0, 1.0); }

double expected_progress(const okr_period& period, date::year_month_day d) {
    const auto elapsed = (date::sys_days{d} - date::sys_days{period.first}).count();
    return std::clamp(static_cast<double>(elapsed) / period.days(), 0.0, 1.0);
}

std::string to_string(kr_status s) {
    switch (s) {
        case kr_status::on_track: return "on track";
        case kr_status::at_risk: return "at risk";
        case kr_status::off_track: return "off track";
        case kr_status::done: return "done";
    }
    return "on track";
}

kr_status classify(double progress, double expected, const okr_config& cfg) {
    // A hair of tolerance so that 0.7 entered as a decimal still counts as 70%.
    constexpr double eps = 1e-9;
    if (progress >= 1.0 - eps) return kr_status::done;
    const double gap = (expected - progress) * 100.0;
    if (gap <= cfg.on_track_within + eps) return kr_status::on_track;
    if (gap <= cfg.at_risk_within + eps) return kr_status::at_risk;
    return kr_status::off_track;
}

bool is_binary_kr(double baseline, double target, const std::string& unit) {
    if ((baseline == 0 && target == 1) || (baseline == 1 && target == 0)) return true;
    std::string u;
    for (char c : unit) u += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return u == "yes/no" || u == "done" || u == "bool" || u == "boolean" || u == "binary";
}

std::optional<double> parse_number(std::string_view s) {
    if (s.empty() || s.size() > 32) return std::nullopt;
    if (s.front() == '+') s.remove_prefix(1);
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::general);
    if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    // "inf" and "nan" parse as words; only digits make a number here.
    if (s.find_first_of("0123456789") == std::string_view::npos) return std::nullopt;
    if (std::abs(v) > max_kr_value) return std::nullopt;
    return v;
}

std::string format_number(double v) {
    if (v == 0 || !std::isfinite(v)) return "0";  // no "-0"
    const double magnitude = std::abs(v);
    if (magnitude < 1e-6 || magnitude >= 1e16) return fmt::format("{:.4g}", v);
    // Four significant digits but never fewer than the whole part, no
    // trailing zeros: 1234567, 99.95, 3.142, 0.00002.
    const int exponent = static_cast<int>(std::floor(std::log10(magnitude)));
    const int decimals = std::clamp(3 - exponent, 0, 11);
    std::string s = fmt::format("{:.{}f}", v, decimals);
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    if (s == "-0") s = "0";
    return s;
}

std::string format_percent(double fraction) {
    return std::to_string(static_cast<int>(std::lround(clamp_progress(fraction) * 100))) + "%";
}

std::string progress_bar(double fraction, int width) {
    const int full = static_cast<int>(std::lround(clamp_progress(fraction) * width));
    std::string s;
    for (int i = 0; i < width; ++i) s += i < full ? "\u2588" : "\u2591";
    return s;
}

}  // namespace ritualbot
