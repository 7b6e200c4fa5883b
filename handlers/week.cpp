#include "handlers/week.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <cstdint>

namespace ritualbot {
namespace {

instant local_to_instant(date::local_seconds local, const date::time_zone* zone) {
    return zone->to_sys(local, date::choose::earliest);
}

unsigned iso_offset(unsigned weekday) { return weekday == 0 ? 6 : weekday - 1; }  // Mon = 0 .. Sun = 6

}  // namespace

std::string iso_week_key(instant t, const std::string& zone) {
    auto local = date::locate_zone(zone)->to_local(t);
    return week_key_of(date::sys_days{date::floor<date::days>(local).time_since_epoch()});
}

instant weekly_instant(const std::string& week, const weekly_time& when, const std::string& zone) {
    date::sys_days day = monday_of(week) + date::days{iso_offset(when.weekday)};
    date::local_seconds local{(day + std::chrono::hours(when.hour) + std::chrono::minutes(when.minute)).time_since_epoch()};
    return local_to_instant(local, date::locate_zone(zone));
}

std::vector<instant> weekly_instants_between(const weekly_time& when, const std::string& zone, instant from,
                                             instant to) {
    std::vector<instant> out;
    if (to <= from) return out;
    // Walk the local weeks from one before `from` to one after `to`; a zone is
    // at most a day from UTC, so a week of margin on each side is plenty.
    std::string week = previous_week_key(iso_week_key(from, zone));
    const std::string last = next_week_key(iso_week_key(to, zone));
    for (int guard = 0; guard < 10000; ++guard) {
        instant t = weekly_instant(week, when, zone);
        if (t > from && t <= to) out.push_back(t);
        if (week == last) break;
        week = next_week_key(week);
    }
    return out;
}

constexpr std::int64_t seconds_a_week = 7 * 86400;

local_window::local_window(std::string_view zone, instant from, instant to) {
    if (to <= from) {
        empty_ = true;
        return;
    }
    if ((to - from).count() >= seconds_a_week) {
        unsure_ = true;
        return;
    }
    const date::time_zone* tz = nullptr;
    try {
        tz = date::locate_zone(zone);
    } catch (const std::exception&) {
        unsure_ = true;
        return;
    }
    const date::sys_info info = tz->get_info(from);
    if (info.end <= to) {  // the offset changes inside the window
        unsure_ = true;
        return;
    }
    // One offset throughout: local time is UTC shifted (no gap, no repeated
    // hour), and a wall time falls in the window exactly when the shifted
    // window passes it.
    const date::local_seconds local_from{from.time_since_epoch() + info.offset};
    const auto day = date::floor<date::days>(local_from);
    from_into_week_ = iso_offset(date::weekday{day}.c_encoding()) * std::int64_t{86400} + (local_from - day).count();
    length_ = (to - from).count();
}

bool local_window::may_fall(const weekly_time& when) const {
    if (empty_ || unsure_) return unsure_;
    const std::int64_t target = iso_offset(when.weekday) * std::int64_t{86400} + when.hour * 3600 + when.minute * 60;
    std::int64_t ahead = ((target - from_into_week_) % seconds_a_week + seconds_a_week) % seconds_a_week;
    if (ahead == 0) ahead = seconds_a_week;  // `from` itself is outside the window
    return ahead <= length_;
}

bool may_fall_in_any_zone(const config& cfg, const std::vector<weekly_time>& times, instant from, instant to) {
    for (std::string_view zone : cfg.zones_in_use()) {
        const local_window window(zone, from, to);
        for (const weekly_time& t : times)
            if (window.may_fall(t)) return true;
    }
    return false;
}

const std::vector<instant>& weekly_calendars::between(const weekly_time& when, std::string_view zone) {
    auto it = instants_.find({zone, when});
    if (it == instants_.end())
        it = instants_.emplace(key{zone, when}, weekly_instants_between(when, std::string(zone), from_, to_)).first;
    return it->second;
}

instant digest_instant(const config& cfg, const team_config& team, const std::string& week) {
    return weekly_instant(week, cfg.digest.at, team.timezone);
}

std::string open_week(const config& cfg, const team_config& team, instant t) {
    std::string week = iso_week_key(t, team.timezone);
    if (t >= digest_instant(cfg, team, week)) week = next_week_key(week);
    return week;
}

std::string format_local(instant t, const std::string& zone) {
    return date::format("%a %d %b %H:%M %Z", date::make_zoned(date::locate_zone(zone), t));
}

}  // namespace ritualbot
