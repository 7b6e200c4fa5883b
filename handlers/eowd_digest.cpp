// The EOWD in the Friday digest and in /ritual schedule.
#include "handlers/context.hpp"
#include "handlers/eowd.hpp"
#include "handlers/week.hpp"

namespace ritualbot {

void eowd_digest_section(handler_context& ctx, const team_config& team, const std::string& week, message& digest) {
    if (!ctx.cfg.eowd_of(team).enabled) return;
    const eowd_lineup lineup = eowd_lineup_of(ctx, team, week);
    const instant start = eowd_start(ctx.cfg, team, week);
    digest.divider();
    digest.section("End of Week Debrief, " + format_local(start, team.timezone));
    if (lineup.presenters.empty()) {
        // A preview before sign-ups close must not call off an EOWD people may still sign up for.
        switch (eowd_phase_at(ctx.cfg, team, week, ctx.now())) {
            case eowd_phase::not_open:
                digest.context("Sign-ups open " + format_local(eowd_opens(ctx.cfg, team, week), team.timezone) + ".");
                return;
            case eowd_phase::open:
                digest.context("Nobody has signed up yet; sign-ups are open until " +
                               format_local(eowd_closes(ctx.cfg, team, week), team.timezone) + " (/eowd signup).");
                return;
            default: break;
        }
        digest.context("No EOWD this week: nobody signed up.");
        return;
    }
    digest.list(eowd_agenda_lines(ctx.cfg, team, week, lineup));
    std::string names;
    for (const auto& p : lineup.presenters) names += (names.empty() ? "" : ", ") + p.member;
    digest.context((ctx.now() >= start ? "Presented: " : "Presenting: ") + names + ".");
}

void eowd_schedule_lines(handler_context& ctx, const team_config& team, const std::string& zone,
                         std::vector<std::string>& lines) {
    if (!ctx.cfg.eowd_of(team).enabled) return;
    const std::string week = eowd_week(ctx.cfg, team, ctx.now());
    std::string line = "Next " + team.name + " EOWD: " + format_local(eowd_start(ctx.cfg, team, week), zone);
    switch (eowd_phase_at(ctx.cfg, team, week, ctx.now())) {
        case eowd_phase::not_open:
            line += "; sign-ups open " + format_local(eowd_opens(ctx.cfg, team, week), zone) + ".";
            break;
        case eowd_phase::open:
            line += "; sign-ups close " + format_local(eowd_closes(ctx.cfg, team, week), zone) + " (/eowd signup).";
            break;
        case eowd_phase::closed: line += "; the agenda is posted (/eowd list)."; break;
    }
    lines.push_back(std::move(line));
}

}  // namespace ritualbot
