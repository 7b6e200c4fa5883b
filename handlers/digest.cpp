#include "handlers/digest.hpp"

#include <algorithm>
#include <set>

#include "handlers/command_line.hpp"
#include "handlers/context.hpp"
#include "handlers/okr_digest.hpp"
#include "handlers/dependency_alerts.hpp"
#include "handlers/eowd.hpp"
#include "handlers/text.hpp"
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
        if (row) {  // what a member wrote, as the team may see it
            for (auto& a : row->answers) a = shown_text(a);
            row->skip_reason = shown_text(row->skip_reason);
        }
        if (row && row->status == update_status::skipped) {
            s.skipped.push_back(member + (row->skip_reason.empty() ? "" : " (" + row->skip_reason + ")"));
            continue;
        }
        const int answered = row ? answered_count(*row) : 0;
        if (!row || row->status != update_status::done)
            s.missing.push_back(member + (answered > 0 ? " (" + std::to_string(answered) + " of 4 answered)" : ""));
        if (answered > 0) {
            if (!is_no_risk(row->answers[2])) s.risks.push_back(member + ": " + row->answers[2]);
            if (!row->answers[3].empty()) s.focus.push_back(member + ": " + row->answers[3]);
            s.written.emplace_back(member, std::move(*row));
        }
    }
    s.total = team.members.size();
    s.answered = s.total - s.skipped.size() - s.missing.size();
    return s;
}

message build_digest(handler_context& ctx, const team_config& team, const std::string& week) {
    week_summary s = summarize_week(ctx, team, week);

    message m;
    m.header(team.name + " \u2014 weekly digest, week " + week);
    m.section("Participation: " + std::to_string(s.answered) + " of " + std::to_string(s.total) + " answered.");
    if (!s.skipped.empty()) m.section("Skipped: " + comma_list(s.skipped) + ".");
    if (!s.missing.empty()) m.section("Missing: " + comma_list(s.missing) + ".");

    for (const auto& [member, row] : s.written) {
        m.divider();
        m.section(member + (row.status == update_status::done ? "" : " (unfinished)"));
        std::vector<std::string> lines;
        for (int i = 0; i < 4; ++i)
            if (!row.answers[i].empty()) lines.push_back(std::string(answer_labels[i]) + ": " + row.answers[i]);
        m.list(std::move(lines));
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
    for (const auto& team : cfg.teams) {
        for (instant t : weekly_instants_between(cfg.digest.at, team.timezone, from, to)) {
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
