#include "storage/week_key.hpp"

#include <date/iso_week.h>

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

}  // namespace

bool valid_week_key(std::string_view week) {
    parsed_week w{};
    return parse_week(week, w);
}

std::string week_key_of(date::sys_days day) {
    iso_week::year_weeknum_weekday iw{day};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-W%02u", static_cast<int>(iw.year()), static_cast<unsigned>(iw.weeknum()));
    return buf;
}

date::sys_days monday_of(const std::string& week) {
    parsed_week w{};
    if (!parse_week(week, w)) throw std::invalid_argument("not an ISO week key: '" + week + "'");
    return date::sys_days{iso_week::year{w.year} / iso_week::weeknum{w.week} / iso_week::mon};
}

std::string next_week_key(const std::string& week) { return week_key_of(monday_of(week) + date::days{7}); }
std::string previous_week_key(const std::string& week) { return week_key_of(monday_of(week) - date::days{7}); }

}  // namespace ritualbot
