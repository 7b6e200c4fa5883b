#include "handlers/dependency_risk.hpp"

#include <date/tz.h>

#include <sstream>

namespace ritualbot {

std::string to_string(dep_risk r) {
    switch (r) {
        case dep_risk::high: return "high";
        case dep_risk::medium: return "medium";
        case dep_risk::low: return "low";
        case dep_risk::none: return "none";
    }
    return "none";
}

std::optional<date::sys_days> parse_due_date(std::string_view text) {
    // Exactly YYYY-MM-DD: date::parse alone would accept "2026-1-5".
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    std::istringstream in{std::string(text)};
    date::year_month_day ymd{};
    in >> date::parse("%F", ymd);
    if (in.fail() || !ymd.ok()) return std::nullopt;
    return date::sys_days{ymd};
}

std::string format_due_date(date::sys_days day) { return date::format("%F", day); }

std::string short_due_date(date::sys_days day) {
    date::year_month_day ymd{day};
    return date::format("%b", day) + " " + std::to_string(static_cast<unsigned>(ymd.day()));
}

std::optional<int> days_until_due(const dependency_row& dep, date::sys_days today) {
    auto due = parse_due_date(dep.due);
    if (!due) return std::nullopt;
    return static_cast<int>((*due - today).count());
}

date::sys_days local_today(instant t, const std::string& zone) {
    auto local = date::locate_zone(zone)->to_local(t);
    return date::sys_days{date::floor<date::days>(local).time_since_epoch()};
}

dep_risk compute_risk(const dependency_row& dep, date::sys_days today) {
    if (!dep.open()) return dep_risk::none;
    const auto days = days_until_due(dep, today);
    switch (dep.type) {
        case dep_type::blocking:
            if (!days) return dep.status == dep_status::not_started ? dep_risk::high : dep_risk::medium;
            return *days <= 14 ? dep_risk::high : dep_risk::medium;
        case dep_type::non_blocking:
            return days && *days <= 7 ? dep_risk::medium : dep_risk::low;
        case dep_type::soft:
            return dep_risk::low;
    }
    return dep_risk::low;
}

}  // namespace ritualbot
