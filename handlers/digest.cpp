#include "handlers/digest.hpp"

#include <algorithm>
#include <set>

#include "handlers/chat_charts.hpp"
#include "handlers/command_line.hpp"
#include "handlers/context.hpp"
#include "handlers/okr_digest.hpp"
#include "handlers/dependency_alerts.hpp"
#include "handlers/eowd.hpp"
#include "handlers/text.hpp"
#include "handlers/time_off.hpp"
#include "handlers/update_history.hpp"
#include "handlers/week.hpp"
#include "handlers/weekly_update.hpp"
#include "storage/store.hpp"
#include "storage/weekly_update_store.hpp"

namespace ritualbot {

bool is_no_risk(const std::string& answer) {
    // More letters than the longest phrase below ("nothing at risk"): a real
    // answer, decided without building its lower-case copy (a big team's
    // digest asks 1,000 times).
    const std::string trimmed = trim(answer);
    if (std::count_if(trimmed.begin(), trimmed.end(), [](char c) { return c != '.' && c != '!'; }) > 15)
        return false;
    std::string s;
    for (char c : to_lower(trimmed))
        if (c != '.' && c != '!') s += c;
    static const std::set<std::string> nothing{"",        "none",          "nothing",         "no",
                                               "nope",    "n/a",           "na",              "-",
                                               "nil",     "no risk",       "no risks",        "nothing at risk",
                                               "none yet", "none so far",  "nothing so far",  "nothing new"};
    return nothing.count(s) > 0;
}

namespace {

// Sections after the weekly updates, in this order.
constexpr digest_section extra_sections[] = {
    nullptr,  // placeholder so the array is never empty; skipped below
    eowd_digest_section,
    okr_digest_section,
    dependency_digest_section,
};

}  // namespace

week_summary summarize_week(handler_context& ctx, const team_config& team, const std::string& week) {
    week_summary s;
    // One statement for the whole team, not one per member.
    auto written = weekly_update_store(ctx.db).find_updates(team.members, week);
    for (const auto& member : team.members) {
        std::optional<weekly_update_row> row;
        if (auto it = written.find(member); it != written.end()) row = std::move(it->second);
        const question_set& qs = ctx.cfg.questions_for(row ? row->team : std::string(), member);
        if (row) {  // what a member wrote, as the team may see it
            for (auto& a : row->answers) a.text = shown_text(a.text);
            row->skip_reason = shown_text(row->skip_reason);
            align_with_questions(*row, qs);  // the team's questions may have changed since
        }
        if (row && row->status == update_status::skipped) {
            s.skipped.push_back(member + (row->skip_reason.empty() ? "" : " (" + row->skip_reason + ")"));
            continue;
        }
        if (row && answered_count(*row) > 0) {
            const std::string risk = risk_answer(*row, qs), focus = focus_answer(*row, qs);
            if (!risk.empty() && !is_no_risk(risk)) s.risks.push_back(member + ": " + risk);
            if (!focus.empty()) s.focus.push_back(member + ": " + focus);
            s.written.emplace_back(member, *row);
        }
        if (!row || row->status != update_status::done) {
            if (auto off = away_in_week(ctx, team, member, week)) {  // time off: away, not missing
                s.away.push_back(away_label(member, *off));
                continue;
            }
            int n = row ? answered_of(*row, qs) : 0;
            s.missing.push_back(member + (n > 0 ? " (" + std::to_string(n) + " of " + std::to_string(qs.size()) +
                                                      " answered)"
                                                : ""));
        }
    }
    s.total = team.members.size();
    s.answered = s.total - s.skipped.size() - s.missing.size() - s.away.size();
    return s;
}

message build_digest(handler_context& ctx, const team_config& team, const std::string& week) {
    week_summary s = summarize_week(ctx, team, week);

    message m;
    m.header(team.name + " \u2014 weekly digest, week " + week);
    m.section("Participation: " + std::to_string(s.answered) + " of " + std::to_string(s.total) + " answered.");
    if (!s.skipped.empty()) m.section("Skipped: " + comma_list(s.skipped) + ".");
    if (!s.away.empty()) m.section("Away: " + comma_list(s.away) + ".");
    if (!s.missing.empty()) m.section("Missing: " + comma_list(s.missing) + ".");
    if (std::string thanks = streak_thanks(ctx, team, week); !thanks.empty()) m.context(std::move(thanks));
    add_participation_chart(ctx, team, week, s, m);  // the lines above stay for those who cannot see it

    for (const auto& [member, row] : s.written) {
        m.divider();
        m.section(member + (row.status == update_status::done ? "" : " (unfinished)"));
        m.list(answer_lines(row, ctx.cfg.questions_for(row.team, member), false));
    }

    m.divider();
    m.section("Risks raised");
    if (s.risks.empty()) m.context("No risks raised this week.");
    else m.list(std::move(s.risks));
    m.section("Next week's focus");
    if (s.focus.empty()) m.context("Nobody has said yet what they will focus on.");
    else m.list(std::move(s.focus));
    for (digest_section section : extra_sections)
        if (section) section(ctx, team, week, m);
    return m;
}

void digest_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out) {
    weekly_calendars calendars(from, to);  // teams share zones: each zone's week once
    for (const auto& team : cfg.teams) {
        for (instant t : calendars.between(cfg.digest.at, team.timezone)) {
            // Up to a day late is still worth posting; after that the week is stale.
            out.push_back({"digest", team.name, iso_week_key(t, team.timezone), t, t + std::chrono::hours(24)});
        }
    }
}

void run_digest(handler_context& ctx, const job_occurrence& occ) {
    const team_config* team = ctx.cfg.find_team(occ.target);
    if (!team) return;
    ctx.post(*team, build_digest(ctx, *team, occ.period));
}

}  // namespace ritualbot
