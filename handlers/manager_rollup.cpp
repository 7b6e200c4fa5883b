#include "handlers/manager_rollup.hpp"

#include <algorithm>
#include <set>

#include "handlers/context.hpp"
#include "handlers/digest.hpp"
#include "handlers/text.hpp"
#include "handlers/week.hpp"

namespace ritualbot {
namespace {

constexpr std::size_t max_risk_chars = 200;

}  // namespace

void manager_rollup_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out) {
    std::set<std::string> seen;
    for (const auto& team : cfg.teams) {
        for (const auto& manager : team.managers) {
            if (!seen.insert(manager).second) continue;
            const auto teams = cfg.teams_managed_by(manager);
            if (teams.size() < 2) continue;
            // The weeks whose last digest can fall in (from, to]: a digest is
            // in its own ISO week, give or take a day of time zones.
            std::set<std::string> weeks;
            for (instant d = from - std::chrono::hours(24 * 8); d <= to + std::chrono::hours(24);
                 d += std::chrono::hours(24))
                weeks.insert(iso_week_key(d, teams.front()->timezone));
            for (const auto& week : weeks) {
                instant due = digest_instant(cfg, *teams.front(), week);
                for (const team_config* t : teams) due = std::max(due, digest_instant(cfg, *t, week));
                if (from < due && due <= to)
                    out.push_back({"manager_rollup", manager, week, due, due + std::chrono::hours(24)});
            }
        }
    }
}

void run_manager_rollup(handler_context& ctx, const job_occurrence& occ) {
    const auto teams = ctx.cfg.teams_managed_by(occ.target);
    if (teams.size() < 2) return;
    message m;
    m.header("Your teams this week \u2014 week " + occ.period);
    for (const team_config* team : teams) {
        const week_summary s = summarize_week(ctx, *team, occ.period);
        std::string line = team->name + ": " + std::to_string(s.answered) + " of " + std::to_string(s.total) +
                           " answered";
        if (!s.missing.empty()) line += "; missing: " + comma_list(s.missing);
        if (!s.skipped.empty()) line += "; skipped: " + comma_list(s.skipped);
        if (!s.away.empty()) line += "; away: " + comma_list(s.away);
        m.section(line + ".");
        if (s.risks.empty()) {
            m.context("No risks raised.");
            continue;
        }
        std::vector<std::string> risks;
        for (const auto& r : s.risks) risks.push_back(clip_text(r, max_risk_chars));
        m.list(std::move(risks));
    }
    m.context("Each team's full digest is in its channel.");
    ctx.direct(occ.target, std::move(m));
}

}  // namespace ritualbot
