#pragma once
// The monthly learning session: a call for speakers some days before (the
// team channel), proposals (/learn propose), a manager's pick (/learn pick),
// which is announced, and a reminder before it starts. One session per team
// and month (or one shared by the teams), named by its month ("2026-12").
#include <optional>
#include <string>
#include <vector>

#include "handlers/jobs.hpp"
#include "storage/message.hpp"
#include "storage/eowd_store.hpp"

namespace ritualbot {

class handler_context;

bool valid_month_key(const std::string& month);
std::string month_key_of(instant t, const std::string& zone);  // "2026-12"
std::string next_month_key(const std::string& month);
std::string previous_month_key(const std::string& month);

// Who holds a session: one team, or every team that has it enabled when
// [rituals.learning] across_teams is set.
struct learning_host {
    std::string key;       // the team's name, or "*" for the shared session (the storage key)
    std::string name;      // "alpha", or "all teams"
    std::string timezone;  // the session's time is read here
    learning_config settings;
    std::vector<const team_config*> teams;  // their channels hear of it, their managers pick

    bool includes(const team_config& team) const;
    bool may_pick(const config& cfg, const std::string& user) const;  // a manager of one of the teams, an admin
};

std::vector<learning_host> learning_hosts(const config& cfg);
std::optional<learning_host> learning_host_of(const config& cfg, const team_config& team);  // none: not enabled
std::optional<learning_host> learning_host_by_key(const config& cfg, const std::string& key);

// When the session of `month` starts, and when its call for speakers goes out.
instant learning_start(const learning_host& host, const std::string& month);
instant learning_call_instant(const learning_host& host, const std::string& month);

// The session a command at `t` is about: this month's until it starts, then next month's.
std::string learning_month(const learning_host& host, instant t);

// "Tue 01 Dec 16:00 CET (1 hour: a talk of 30–45 minutes, then Q&A)"
// `with_format`: also what the hour holds ("a talk of 30–45 minutes, then Q&A"), said once, in the call for speakers.
std::string learning_when(const learning_host& host, const std::string& month, const std::string& zone,
                          bool with_format = false);

// The proposal picked for the session of `month`, if any.
std::optional<learning_proposal_row> learning_speaker(handler_context& ctx, const learning_host& host,
                                                      const std::string& month);
// Proposals not picked for any session, oldest first.
std::vector<learning_proposal_row> open_proposals(handler_context& ctx, const learning_host& host);

void learning_call_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
void run_learning_call(handler_context& ctx, const job_occurrence& occurrence);
void learning_reminder_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
void run_learning_reminder(handler_context& ctx, const job_occurrence& occurrence);

// /ritual schedule: the team's next learning session (nothing when not enabled).
void learning_schedule_lines(handler_context& ctx, const team_config& team, const std::string& zone,
                             std::vector<std::string>& lines);

}  // namespace ritualbot
