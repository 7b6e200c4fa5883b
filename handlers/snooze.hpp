#pragma once
// Putting the weekly-update prompt off: /update later [30m|2h|1d] (and the
// Later button on Slack). The prompt comes back once at the new time as a
// reminder-like message, a deferred job (kind weekly_snooze, period
// "<week>#<n>") that survives a restart. A few times a week at most, and never
// past the digest.
#include <optional>
#include <string>
#include <vector>

#include "handlers/jobs.hpp"

namespace ritualbot {

struct incoming;
struct command_line;
class handler_context;

void handle_update_later(handler_context& ctx, const incoming& in, const command_line& cmd);

// Snoozes have no calendar: each is deferred when asked for.
void snooze_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
void run_weekly_snooze(handler_context& ctx, const job_occurrence& occurrence);

// When the member's latest snooze of `week` comes back, if that is after now.
std::optional<instant> snoozed_until(handler_context& ctx, const std::string& member, const std::string& week);

inline constexpr std::chrono::minutes min_snooze{5};

}  // namespace ritualbot
