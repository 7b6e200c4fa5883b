#pragma once
// Time off: /update away <until> [reason] and /update back. While a member is
// away the bot sends them no weekly-update prompt, reminder or snoozed prompt,
// and the digest, /update missing and the manager roll-up list them as away
// (with the reason) instead of missing.
#include <optional>
#include <string>

#include "bot/clock.hpp"
#include "config/config.hpp"
#include "storage/person_store.hpp"

namespace ritualbot {

struct incoming;
struct command_line;
class handler_context;

// The member's time off if it covers the instant t.
std::optional<time_off_row> away_at(handler_context& ctx, const std::string& member, instant t);

// The member's time off if it counts for `week` of `team`: it overlaps the
// stretch from their prompt of that week to the team's digest.
std::optional<time_off_row> away_in_week(handler_context& ctx, const team_config& team, const std::string& member,
                                         const std::string& week);

// "bob (away until 2026-12-24: parental leave)"
std::string away_label(const std::string& member, const time_off_row& row);

// /update away [@member] <YYYY-MM-DD> [reason] and /update back [@member]; cmd.args[0] is "away" or "back".
void handle_update_away(handler_context& ctx, const incoming& in, const command_line& cmd);
void handle_update_back(handler_context& ctx, const incoming& in, const command_line& cmd);

// How far ahead time off may be set.
inline constexpr int max_days_away = 365;

}  // namespace ritualbot
