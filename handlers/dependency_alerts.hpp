#pragma once
// The dependency alerts: due soon / past due, hidden dependency, stuck, and
// bottleneck. Each condition is raised at most once per subject per week; the
// claim is recorded in the transaction that sends the alert (see
// dependency_store::claim_alert). Evaluated by the daily job at 09:00 in each
// team's zone, and at once when a dependency or a risk answer changes.
#include <string>
#include <vector>

#include "handlers/jobs.hpp"
#include "storage/message.hpp"
#include "storage/dependency_store.hpp"

namespace ritualbot {

class handler_context;
struct weekly_update_row;

// Due soon, past due and in progress past due, for one dependency.
void check_dependency(handler_context& ctx, const dependency_row& dep);
// A providing team with three or more open blocking dependencies.
void check_bottleneck(handler_context& ctx, const std::string& provider);
// Hidden dependencies and repeated blockers named in a team's risk answers of `week`.
void check_team_updates(handler_context& ctx, const team_config& team, const std::string& week);

// The weekly update calls this after a risk answer is saved: only the teams
// this answer names are checked (a hidden dependency, and an escalation when
// the team named the same one the week before); the daily check reads every
// answer of the team.
void on_risk_answer(handler_context& ctx, const weekly_update_row& row);

// The daily job, "dependency_check": one per team and local date, at 09:00.
void dependency_check_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
void run_dependency_check(handler_context& ctx, const job_occurrence& occurrence);

// The digest's dependency section: new, open high-risk, resolved this week.
void dependency_digest_section(handler_context& ctx, const team_config& team, const std::string& week,
                               message& digest);

inline constexpr int due_soon_days = 7;
inline constexpr std::size_t bottleneck_threshold = 3;

}  // namespace ritualbot
