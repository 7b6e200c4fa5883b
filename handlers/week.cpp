#include "handlers/week.hpp"

#include <date/date.h>
#include <date/iso_week.h>
#include <date/tz.h>

#include <cstdio>
#include <stdexcept>

namespace ritualbot {
namespace {

struct parsed_week {
    int year;
    unsigned week;
};

bool parse_week(std::string_view s, parsed_week& out) {
    // "YYYY-Www"
    if (s.size() != 8 || s[4] != '-' || s[5] != 'W') return false;
    int year = 0;
    unsigned week = 0;
    for (int i = 0; i < 4; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        year = year * 10 + (s[i] - '0');
    }
    for (int i = 6; i < 8; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        week = week * 10 + static_cast<unsigned>(s[i] - '0');
    }
    if (week < 1) return false;
    auto last = iso_week::year_lastweek{iso_week::year{year}};
    if (week > static_cast<unsigned>(last.weeknum())) return false;
    out = {year, week};
    return true;
}

parsed_week must_parse(const std::string& s) {
    parsed_week w{};
    if (!parse_week(s, w)) throw std::invalid_argument("not an ISO week key: '" + s + "'");
    return w;
}

std::string key_of(date::sys_days day) {
    iso_week::year_weeknum_weekday iw{day};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-W%02u", static_cast<int>(iw.year()), static_cast<unsigned>(iw.weeknum()));
    return buf;
}

date::sys_days monday_of(const std::string& week) {
    parsed_week w = must_parse(week);
    return date::sys_days{iso_week::year{w.year} / iso_week::weeknum{w.week} / iso_week::mon};
}

instant local_to_instant(date::local_seconds local, const date::time_zone* zone) {
    return zone->to_sys(local, date::choose::earliest);
}

unsigned iso_offset(unsigned weekday) { return weekday == 0 ? 6 : weekday - 1; }  // Mon = 0 .. Sun = 6

}  // namespace

bool valid_week_key(std::string_view week) {
    parsed_week w{};
    return parse_week(week, w);
}

std::string iso_week_key(instant t, const std::string& zone) {
    auto local = date::locate_zone(zone)->to_local(t);
    return key_of(date::sys_days{date::floor<date::days>(local).time_since_epoch()});
}

std::string next_week_key(const std::string& week) { return key_of(monday_of(week) + date::days{7}); }
std::string previous_week_key(const std::string& week) { return key_of(monday_of(week) - date::days{7}); }

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
