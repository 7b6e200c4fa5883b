#pragma once
// A member's weekly updates over the weeks: /update history, and the answer
// streaks the digest thanks people for.
#include <string>

#include "handlers/command_line.hpp"
#include "handlers/context.hpp"

namespace ritualbot {

// A streak is mentioned (digest, /update history) from this many weeks on.
inline constexpr int streak_threshold = 3;
inline constexpr int history_default_weeks = 8;
inline constexpr int history_max_weeks = 52;

// How many weeks running, up to and including `week`, the member finished
// their update. A week skipped with a reason (holiday, sick leave) is passed
// over: it neither counts nor ends the streak. A week skipped without a
// reason, or not finished, ends it. 0 when `week` itself is not finished.
int answer_streak(store& db, const std::string& member, const std::string& week);

// Whether `asker` may look at `member`'s updates: themself, someone in a team
// with them (a member or a manager of it), or an org admin.
bool may_see_updates(const config& cfg, const std::string& asker, const std::string& member);

// /update history [@user] [n]
void show_history(handler_context& ctx, const incoming& in, const command_line& cmd);

// The digest's thanks: "Answered 8 weeks running: alice; 3 weeks: bob.", empty when nobody reaches the threshold.
std::string streak_thanks(handler_context& ctx, const team_config& team, const std::string& week);

}  // namespace ritualbot
