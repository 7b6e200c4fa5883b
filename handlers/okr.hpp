#pragma once
// What the OKR command, the weekly check-in and the digest share: which
// period is current for a team, who may see and change a team's OKRs, the
// evaluated view of a key result, the anti-pattern warnings and the status
// rendering.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "handlers/context.hpp"
#include "handlers/okr_progress.hpp"
#include "storage/okr_store.hpp"

namespace ritualbot {

// The team's period holding day `d`: a hand-set one if any holds it, else the
// calendar period of [rituals.okr] period.
okr_period current_period(okr_store& okrs, const config& cfg, const team_config& team, date::year_month_day d);
// The user's local date now.
date::year_month_day today_of(const handler_context& ctx, const std::string& user);

// Members and managers see their teams; [rituals.okr] admins see every team.
bool can_view_okrs(const config& cfg, const std::string& user, const team_config& team);
std::vector<const team_config*> okr_visible_teams(const config& cfg, const std::string& user);
// Managers change a team's objectives, key results and period.
bool can_manage_okrs(const config& cfg, const std::string& user, const team_config& team);
// A KR's owner and the team's managers set its value.
bool can_set_kr(const config& cfg, const std::string& user, const team_config& team, const okr_kr_row& kr);

// "O1" -> 1; "KR1.2" -> {1, 2}. Case-insensitive; nullopt otherwise.
std::optional<int> parse_objective_id(std::string_view s);
std::optional<std::pair<int, int>> parse_kr_id(std::string_view s);

// A key result with its numbers worked out at one date.
struct kr_view {
    okr_kr_row kr;
    double progress = 0;  // unclamped
    double expected = 0;
    kr_status status = kr_status::on_track;
    bool stale = false;   // no check-in (or creation) for stale_days
    bool binary = false;
};
kr_view evaluate_kr(const config& cfg, const okr_kr_row& kr, const okr_period& period, date::year_month_day d,
                    instant now);

struct objective_view {
    okr_objective_row objective;
    std::vector<kr_view> key_results;
};
// The team's live objectives of `period`, evaluated at day `d`.
std::vector<objective_view> evaluate_team(okr_store& okrs, const config& cfg, const team_config& team,
                                          const okr_period& period, date::year_month_day d, instant now);

// The seeds' anti-patterns, one sentence each.
std::vector<std::string> okr_warnings(const config& cfg, const okr_period& period,
                                      const std::vector<objective_view>& objectives);

std::string value_with_unit(double v, const std::string& unit);  // "12 min", "95%"
std::string owner_label(const std::string& owner);                 // "@alice", "—"
std::string checkin_age(const kr_view& v, instant now);            // "today", "3d ago", "never"
// "KR1.2 Reduce CI build time: 12 → 9 → 5 min, 43% (expected 50%), on track"
std::string kr_summary_line(const kr_view& v);

// /okr status for one team: a table per objective and the warnings.
message okr_status_message(const config& cfg, const team_config& team, const okr_period& period,
                           const std::vector<objective_view>& objectives, date::year_month_day d, instant now);

}  // namespace ritualbot
