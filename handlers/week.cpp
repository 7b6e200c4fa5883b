#include "handlers/week.hpp"

#include <date/date.h>
#include <date/tz.h>

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
