#include "handlers/okr_digest.hpp"

#include "handlers/okr.hpp"
#include "handlers/text.hpp"
#include "storage/store.hpp"

namespace ritualbot {

void okr_digest_section(handler_context& ctx, const team_config& team, const std::string&, message& digest) {
    okr_store okrs(ctx.db);
    // The digest speaks for the team, so "today" is the team's date.
    const auto today = local_date(ctx.now(), team.timezone);
    const okr_period period = current_period(okrs, ctx.cfg, team, today);
    auto objectives = evaluate_team(okrs, ctx.cfg, team, period, today, ctx.now());
    digest.divider();
    digest.section("OKR snapshot \u2014 " + period.key + ", expected progress " +
                   format_percent(expected_progress(period, today)));
    int counts[4] = {0, 0, 0, 0};
    for (const auto& ov : objectives) {
        std::vector<std::string> lines;
        for (const auto& v : ov.key_results) {
            lines.push_back(kr_summary_line(v));
            ++counts[static_cast<int>(v.status)];
        }
        digest.section("O" + std::to_string(ov.objective.number) + " " + shown_text(ov.objective.title));
        if (lines.empty()) digest.context("No key results yet.");
        else digest.list(std::move(lines));
    }
    if (!objectives.empty())
        digest.context(std::to_string(counts[static_cast<int>(kr_status::on_track)]) + " on track, " +
                       std::to_string(counts[static_cast<int>(kr_status::at_risk)]) + " at risk, " +
                       std::to_string(counts[static_cast<int>(kr_status::off_track)]) + " off track, " +
                       std::to_string(counts[static_cast<int>(kr_status::done)]) + " done. /okr status " + team.name +
                       " shows the details.");
    auto warnings = okr_warnings(ctx.cfg, period, objectives);
    if (!warnings.empty()) {
        digest.section("OKR warnings");
        digest.list(std::move(warnings));
    }
}

}  // namespace ritualbot
