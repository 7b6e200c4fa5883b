#pragma once
// Calendar arithmetic of the rituals, all through the tz database: ISO weeks
// in a team's zone, "Thu 15:00" in a member's zone, and which week an answer
// belongs to.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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

// A zone's local clock over (from, to], to rule out weekly times without a
// calendar walk: a scheduler pass over a minute checks every zone and time in
// use this way before it looks at any member. may_fall(when) is false when
// `when` cannot fall in the window, exactly; true when it may (it does; or the
// zone's offset changes inside the window; or the window is a week or longer;
// or the tz database does not know the zone): then the caller walks the
// calendars.
class local_window {
public:
    local_window(std::string_view zone, instant from, instant to);
    bool may_fall(const weekly_time& when) const;

private:
    bool empty_ = false, unsure_ = false;
    std::int64_t from_into_week_ = 0;  // local seconds since Monday 00:00 at `from`
    std::int64_t length_ = 0;          // seconds from `from` to `to`
};

// Whether any of `times` may fall in (from, to] in any zone someone of the
// config can be in (config::zones_in_use): false rules a whole scheduler
// pass out without a look at any member.
bool may_fall_in_any_zone(const config& cfg, const std::vector<weekly_time>& times, instant from, instant to);

// weekly_instants_between for a whole organisation in one pass: most people
// share a zone and a time, so each (zone, time) is computed once. The zone
// views must outlive the cache (they point into the config of the pass).
class weekly_calendars {
public:
    weekly_calendars(instant from, instant to) : from_(from), to_(to) {}
    const std::vector<instant>& between(const weekly_time& when, std::string_view zone);

private:
    struct key {
        std::string_view zone;
        weekly_time when;
        bool operator==(const key&) const = default;
    };
    struct key_hash {
        std::size_t operator()(const key& k) const {
            return std::hash<std::string_view>{}(k.zone) ^
                   (static_cast<std::size_t>(k.when.weekday * 1440 + k.when.hour * 60 + k.when.minute) << 1);
        }
    };
    instant from_, to_;
    std::unordered_map<key, std::vector<instant>, key_hash> instants_;
};

// When the team's digest for `week` is due.
instant digest_instant(const config& cfg, const team_config& team, const std::string& week);

// The week that collects what a member of `team` writes at `t`: the team's
// ISO week, or the next one once that week's digest is due.
std::string open_week(const config& cfg, const team_config& team, instant t);

// "Thu 19 Nov 15:00 CET"
std::string format_local(instant t, const std::string& zone);

}  // namespace ritualbot
