#include "handlers/digest.hpp"

#include <set>

#include "handlers/command_line.hpp"
#include "handlers/context.hpp"
#include "handlers/okr_digest.hpp"
#include "handlers/dependency_alerts.hpp"
#include "handlers/eowd.hpp"
#include "handlers/week.hpp"
#include "handlers/weekly_update.hpp"
#include "storage/store.hpp"

namespace ritualbot {

bool is_no_risk(const std::string& answer) {
    std::string s;
    for (char c : to_lower(trim(answer)))
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

message build_digest(handler_context& ctx, const team_config& team, const std::string& week) {
    struct entry {
        std::string member;
        weekly_update_row row;
    };
    std::vector<entry> written;
    std::vector<std::string> skipped, missing;
    for (const auto& member : team.members) {
        auto row = ctx.db.find_update(member, week);
        if (row && row->status == update_status::skipped) {
            skipped.push_back(member + (row->skip_reason.empty() ? "" : " (" + row->skip_reason + ")"));
            continue;
        }
        if (row && answered_count(*row) > 0) written.push_back({member, *row});
        if (!row || row->status != update_status::done) {
            int n = row ? answered_count(*row) : 0;
            missing.push_back(member + (n > 0 ? " (" + std::to_string(n) + " of 4 answered)" : ""));
        }
    }
    const std::size_t total = team.members.size();
    const std::size_t done = total - skipped.size() - missing.size();

    message m;
    m.header(team.name + " \u2014 weekly digest, week " + week);
    m.section("Participation: " + std::to_string(done) + " of " + std::to_string(total) + " answered.");
    if (!skipped.empty()) {
        std::string s = "Skipped: ";
        for (std::size_t i = 0; i < skipped.size(); ++i) s += (i ? ", " : "") + skipped[i];
        m.section(s + ".");
    }
    if (!missing.empty()) {
        std::string s = "Missing: ";
        for (std::size_t i = 0; i < missing.size(); ++i) s += (i ? ", " : "") + missing[i];
        m.section(s + ".");
    }

    std::vector<std::string> risks, focus;
    for (const auto& e : written) {
        m.divider();
        m.section(e.member + (e.row.status == update_status::done ? "" : " (unfinished)"));
        std::vector<std::string> lines;
        for (int i = 0; i < 4; ++i)
            if (!e.row.answers[i].empty()) lines.push_back(std::string(answer_labels[i]) + ": " + e.row.answers[i]);
        m.list(std::move(lines));
        if (!is_no_risk(e.row.answers[2])) risks.push_back(e.member + ": " + e.row.answers[2]);
        if (!e.row.answers[3].empty()) focus.push_back(e.member + ": " + e.row.answers[3]);
    }

    m.divider();
    m.section("Risks raised");
    if (risks.empty()) m.context("No risks raised this week.");
    else m.list(std::move(risks));
    m.section("Next week's focus");
    if (focus.empty()) m.context("Nobody has said yet what they will focus on.");
    else m.list(std::move(focus));
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
