#pragma once
// The monthly learning session: a call for speakers some days before (the
// team channel), proposals (/learn propose), a manager's pick (/learn pick),
// which is announced, and a reminder before it starts. One session per team
// and month, named by the month in the team's zone ("2026-12").
#include <string>
#include <vector>

#include "handlers/jobs.hpp"
#include "handlers/message.hpp"
#include "storage/eowd_store.hpp"

namespace ritualbot {

class handler_context;

bool valid_month_key(const std::string& month);
std::string month_key_of(instant t, const std::string& zone);  // "2026-12"
std::string next_month_key(const std::string& month);
std::string previous_month_key(const std::string& month);

// When the team's session of `month` starts, and when its call for speakers goes out.
instant learning_start(const config& cfg, const team_config& team, const std::string& month);
instant learning_call_instant(const config& cfg, const team_config& team, const std::string& month);

// The session a command at `t` is about: this month's until it starts, then next month's.
std::string learning_month(const config& cfg, const team_config& team, instant t);

// "Tue 01 Dec 16:00 CET (60 minutes: a 30–45 minute talk, then Q&A)"
std::string learning_when(const config& cfg, const team_config& team, const std::string& month,
                          const std::string& zone);

// The proposal picked for the team's session of `month`, if any.
std::optional<learning_proposal_row> learning_speaker(handler_context& ctx, const team_config& team,
                                                      const std::string& month);
// Proposals of the team not picked for any session, oldest first.
std::vector<learning_proposal_row> open_proposals(handler_context& ctx, const team_config& team);

void learning_call_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
void run_learning_call(handler_context& ctx, const job_occurrence& occurrence);
void learning_reminder_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
void run_learning_reminder(handler_context& ctx, const job_occurrence& occurrence);

// /ritual schedule: the team's next learning session (nothing when not enabled).
void learning_schedule_lines(handler_context& ctx, const team_config& team, const std::string& zone,
                             std::vector<std::string>& lines);

}  // namespace ritualbot
