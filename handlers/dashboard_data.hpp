#pragma once
// What the web dashboard shows, gathered the way the chat commands gather
// it (the digest's week summary, OKR progress, the dependency register, the
// EOWD line-up), for exactly the teams a person may see in chat: their own,
// those they manage, and every team for an org admin. No HTML here;
// bot/web renders these.
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "handlers/digest.hpp"
#include "handlers/dependency_risk.hpp"
#include "handlers/eowd.hpp"
#include "handlers/learning.hpp"
#include "handlers/okr.hpp"

namespace ritualbot {

class handler_context;

// Every team for an org admin, else the teams the user is in or manages (file order).
std::vector<const team_config*> dashboard_teams(const config& cfg, const std::string& user);
// The team called `name` if the user may see it.
const team_config* dashboard_team(const config& cfg, const std::string& user, const std::string& name);

struct participation_week {
    std::string week;  // "2026-W47"
    std::size_t answered = 0;
    std::size_t skipped = 0;
    std::size_t total = 0;
};

struct team_dashboard {
    std::string week;                         // the open week
    std::vector<participation_week> history;  // oldest first, ending with `week`
    week_summary current;                     // this week's updates, who is missing or skipped, risks
};

// The team's open week and the `weeks` - 1 before it.
team_dashboard team_dashboard_of(handler_context& ctx, const team_config& team, int weeks = 12);

// A key result week by week: its value at the end of each week of the
// period so far (nullopt before it existed) and where the expected line is.
struct kr_week_point {
    std::string week;
    std::optional<double> value;
    double expected = 0;        // in the KR's unit: baseline + expected share of the way to the target
    double expected_share = 0;  // that share, 0 to 1
};

struct kr_dashboard {
    kr_view view;                          // as /okr status evaluates it today
    std::vector<kr_week_point> weeks;      // oldest first
    std::vector<okr_checkin_row> checkins;  // oldest first
};

struct objective_dashboard {
    okr_objective_row objective;
    std::vector<kr_dashboard> key_results;
};

struct okr_dashboard {
    okr_period period;
    std::vector<objective_dashboard> objectives;
    std::vector<std::string> warnings;  // /okr status's anti-pattern warnings
};

// The team's current period, read in the team's zone.
okr_dashboard okr_dashboard_of(handler_context& ctx, const team_config& team);

// The dependency register as /dep list shows it (everyone may read it in
// chat): every dependency by id, with its risk and due words as of now.
struct dependency_item {
    dependency_row dep;
    dep_risk risk = dep_risk::none;
    std::string due;  // "due Dec 1, in 5 days"
};
std::vector<dependency_item> dependency_register(handler_context& ctx);

// One EOWD: its week, when it starts, who presents (agenda lines as posted) and who waits.
struct eowd_week_view {
    std::string week;
    instant starts{};
    eowd_lineup lineup;
    std::vector<std::string> agenda;  // "15:00 alice: topic. Input wanted: ..."
};

struct learning_session_view {
    std::string month;  // "2026-12"
    std::string when;   // learning_when's words, in the team's zone
    std::optional<learning_proposal_row> speaker;
};

struct eowd_dashboard {
    bool eowd_enabled = false;
    eowd_week_view coming;             // the EOWD commands are about now
    std::vector<eowd_week_view> past;  // the `weeks` before it, newest first, only those with presenters
    std::optional<learning_host> learning;  // none: learning sessions are off for the team
    std::optional<learning_session_view> next_session;
    std::vector<learning_session_view> past_sessions;  // newest first
    std::vector<learning_proposal_row> open_proposals;
};
eowd_dashboard eowd_dashboard_of(handler_context& ctx, const team_config& team, int weeks = 12);

}  // namespace ritualbot
