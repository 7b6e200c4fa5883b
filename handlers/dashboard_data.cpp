#include "handlers/dashboard_data.hpp"

#include <algorithm>

#include "handlers/context.hpp"
#include "handlers/week.hpp"
#include "handlers/dependency_view.hpp"
#include "storage/dependency_store.hpp"
#include "storage/eowd_store.hpp"
#include "storage/okr_store.hpp"

namespace ritualbot {

std::vector<const team_config*> dashboard_teams(const config& cfg, const std::string& user) {
    if (cfg.is_admin(user)) {
        std::vector<const team_config*> all;
        for (const auto& t : cfg.teams) all.push_back(&t);
        return all;
    }
    return cfg.teams_of(user);
}

const team_config* dashboard_team(const config& cfg, const std::string& user, const std::string& name) {
    for (const team_config* t : dashboard_teams(cfg, user))
        if (t->name == name) return t;
    return nullptr;
}

team_dashboard team_dashboard_of(handler_context& ctx, const team_config& team, int weeks) {
    team_dashboard d;
    d.week = open_week(ctx.cfg, team, ctx.now());
    std::string week = d.week;
    for (int i = 0; i < weeks; ++i) {
        const week_summary s = summarize_week(ctx, team, week);
        d.history.push_back({week, s.answered, s.skipped.size(), s.total});
        week = previous_week_key(week);
    }
    std::reverse(d.history.begin(), d.history.end());
    d.current = summarize_week(ctx, team, d.week);
    return d;
}

namespace {

// The KR's value at the end of local day `last` in `zone`: the last check-in
// by then, else the value before the first check-in; nullopt before it existed.
std::optional<double> value_by(const okr_kr_row& kr, const std::vector<okr_checkin_row>& checkins,
                               date::sys_days last, const std::string& zone) {
    if (date::sys_days(local_date(kr.created_at, zone)) > last) return std::nullopt;
    std::optional<double> v;
    for (const auto& c : checkins)
        if (date::sys_days(local_date(c.at, zone)) <= last) v = c.value;
    if (v) return v;
    return checkins.empty() ? kr.current : checkins.front().previous;
}

}  // namespace

okr_dashboard okr_dashboard_of(handler_context& ctx, const team_config& team) {
    okr_store okrs(ctx.db);
    const date::year_month_day today = local_date(ctx.now(), team.timezone);
    okr_dashboard d;
    d.period = current_period(okrs, ctx.cfg, team, today);
    const auto objectives = evaluate_team(okrs, ctx.cfg, team, d.period, today, ctx.now());
    d.warnings = okr_warnings(ctx.cfg, d.period, objectives);
    // The Mondays of the period's weeks up to this one.
    const date::sys_days first = d.period.first;
    const date::sys_days until = std::min(date::sys_days(today), date::sys_days(d.period.last));
    const date::sys_days first_monday = first - (date::weekday(first) - date::Monday);
    for (const auto& o : objectives) {
        objective_dashboard od{o.objective, {}};
        for (const auto& v : o.key_results) {
            kr_dashboard kd{v, {}, okrs.history(v.kr.id, 1000)};
            std::reverse(kd.checkins.begin(), kd.checkins.end());
            for (date::sys_days monday = first_monday; monday <= until; monday += date::days(7)) {
                const date::sys_days last = std::min(monday + date::days(6), until);
                // A past week ends with its Sunday; this one is today, as /okr status says.
                const double share = expected_progress(d.period, last == date::sys_days(today) ? last : last + date::days(1));
                kd.weeks.push_back({iso_week_key(instant(monday) + std::chrono::hours(12), "UTC"),
                                    value_by(v.kr, kd.checkins, last, team.timezone),
                                    v.kr.baseline + share * (v.kr.target - v.kr.baseline), share});
            }
            od.key_results.push_back(std::move(kd));
        }
        d.objectives.push_back(std::move(od));
    }
    return d;
}

std::vector<dependency_item> dependency_register(handler_context& ctx) {
    std::vector<dependency_item> out;
    for (auto& d : dependency_store(ctx.db).all()) {
        const dep_risk r = risk_now(ctx.cfg, d, ctx.now());
        std::string due = due_words(d, dependency_today(ctx.cfg, d, ctx.now()));
        out.push_back({std::move(d), r, std::move(due)});
    }
    return out;
}

namespace {

eowd_week_view eowd_week_of(handler_context& ctx, const team_config& team, const std::string& week) {
    eowd_week_view v;
    v.week = week;
    v.starts = eowd_start(ctx.cfg, team, week);
    v.lineup = eowd_lineup_of(ctx, team, week);
    v.agenda = eowd_agenda_lines(ctx.cfg, team, week, v.lineup);
    return v;
}

learning_session_view session_of(handler_context& ctx, const learning_host& host, const std::string& month,
                                 const std::string& zone) {
    return {month, learning_when(host, month, zone), learning_speaker(ctx, host, month)};
}

}  // namespace

eowd_dashboard eowd_dashboard_of(handler_context& ctx, const team_config& team, int weeks) {
    eowd_dashboard d;
    d.eowd_enabled = ctx.cfg.eowd_of(team).enabled;
    if (d.eowd_enabled) {
        const std::string week = eowd_week(ctx.cfg, team, ctx.now());
        d.coming = eowd_week_of(ctx, team, week);
        std::string past = week;
        for (int i = 0; i < weeks; ++i) {
            past = previous_week_key(past);
            auto v = eowd_week_of(ctx, team, past);
            if (!v.lineup.presenters.empty()) d.past.push_back(std::move(v));
        }
    }
    d.learning = learning_host_of(ctx.cfg, team);
    if (d.learning) {
        const std::string month = learning_month(*d.learning, ctx.now());
        d.next_session = session_of(ctx, *d.learning, month, team.timezone);
        for (const auto& s : eowd_store(ctx.db).sessions(d.learning->key))
            if (s.month < month) d.past_sessions.push_back(session_of(ctx, *d.learning, s.month, team.timezone));
        std::reverse(d.past_sessions.begin(), d.past_sessions.end());
        d.open_proposals = open_proposals(ctx, *d.learning);
    }
    return d;
}

}  // namespace ritualbot
