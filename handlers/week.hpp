#pragma once
// Calendar arithmetic of the rituals, all through the tz database: ISO weeks
// in a team's zone, "Thu 15:00" in a member's zone, and which week an answer
// belongs to.
#include <string>
#include <string_view>

#include "bot/clock.hpp"
#include "config/config.hpp"
#include "storage/week_key.hpp"

namespace ritualbot {

// "2026-W47": the ISO week of the instant's local date in `zone`.
std::string iso_week_key(instant t, const std::string& zone);

// The instant at which `when` (weekday and time) falls in ISO week `week`,
// read in `zone`. A time that a daylight-saving jump skips maps to the first
// instant after the gap; a time that happens twice maps to the first.
instant weekly_instant(const std::string& week, const weekly_time& when, const std::string& zone);

// Every instant of `when` in `zone` with from < t <= to, oldest first.
std::vector<instant> weekly_instants_between(const weekly_time& when, const std::string& zone, instant from,
                                             instant to);

// When the team's digest for `week` is due.
instant digest_instant(const config& cfg, const team_config& team, const std::string& week);

// The week that collects what a member of `team` writes at `t`: the team's
// ISO week, or the next one once that week's digest is due.
std::string open_week(const config& cfg, const team_config& team, instant t);

// "Thu 19 Nov 15:00 CET"
std::string format_local(instant t, const std::string& zone);

}  // namespace ritualbot
