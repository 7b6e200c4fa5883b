// The EOWD's scheduled jobs: invitation when sign-ups open, agenda when they
// close, a reminder to each presenter before the EOWD starts.
#include "handlers/context.hpp"
#include "handlers/eowd.hpp"
#include "handlers/week.hpp"

namespace ritualbot {
namespace {

template <typename Each>
void for_enabled_teams(const config& cfg, Each each) {
    for (const auto& team : cfg.teams)
        if (cfg.eowd_of(team).enabled) each(team, cfg.eowd_of(team));
}

}  // namespace

void eowd_open_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out) {
    for_enabled_teams(cfg, [&](const team_config& team, const eowd_config& e) {
        for (instant t : weekly_instants_between(e.opens, team.timezone, from, to)) {
            const std::string week = iso_week_key(t, team.timezone);
            // An invitation is still worth posting while sign-ups are open.
            out.push_back({"eowd_open", team.name, week, t, eowd_closes(cfg, team, week)});
        }
    });
}

void run_eowd_open(handler_context& ctx, const job_occurrence& occ) {
    const team_config* team = ctx.cfg.find_team(occ.target);
    if (!team) return;
    const auto& e = ctx.cfg.eowd_of(*team);
    const std::string& week = occ.period;
    message m;
    m.header("End of Week Debrief \u2014 sign-ups are open");
    m.section("The " + team->name + " EOWD is on " + format_local(eowd_start(ctx.cfg, *team, week), team->timezone) +
              ": " + std::to_string(e.slots) + " slots of " + spoken_duration(e.slot_length) +
              ". Share what you worked on this week \u2014 a notebook, a pull request, a document, a data set \u2014 "
              "and say up front what input you want from the team. No preparation needed.");
    m.context("Sign up with /eowd signup <topic> -- <input wanted>, e.g. /eowd signup New ranking model -- is the "
              "offline evaluation sound? Sign-ups close " +
              format_local(eowd_closes(ctx.cfg, *team, week), team->timezone) + ".");
    m.actions({{"eowd.signup", "Sign up", team->name + " " + week}});
    ctx.post(*team, std::move(m));
}

void eowd_close_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out) {
    for_enabled_teams(cfg, [&](const team_config& team, const eowd_config& e) {
        for (instant t : weekly_instants_between(e.closes, team.timezone, from, to)) {
            const std::string week = iso_week_key(t, team.timezone);
            // The agenda is useful until the EOWD is over.
            out.push_back({"eowd_close", team.name, week, t,
                           eowd_slot_start(cfg, team, week, static_cast<std::size_t>(e.slots))});
        }
    });
}

void run_eowd_close(handler_context& ctx, const job_occurrence& occ) {
    const team_config* team = ctx.cfg.find_team(occ.target);
    if (!team) return;
    ctx.post(*team, eowd_agenda_message(ctx, *team, occ.period));
    // Whoever waits hears it now rather than finding out at the EOWD.
    const eowd_lineup lineup = eowd_lineup_of(ctx, *team, occ.period);
    const instant start = eowd_start(ctx.cfg, *team, occ.period);
    for (std::size_t i = 0; i < lineup.waitlist.size(); ++i) {
        const auto& w = lineup.waitlist[i];
        ctx.direct(w.member, message("The " + team->name + " EOWD agenda is out and every slot is taken; you are number " +
                                     std::to_string(i + 1) + " on the waitlist. If a presenter withdraws before " +
                                     format_local(start, ctx.cfg.timezone_of(w.member)) +
                                     ", you step in and I'll tell you. /eowd withdraw takes you off the list."));
    }
}

void eowd_reminder_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out) {
    for_enabled_teams(cfg, [&](const team_config& team, const eowd_config& e) {
        for (instant start : weekly_instants_between(e.at, team.timezone, from + e.remind_before, to + e.remind_before))
            out.push_back({"eowd_reminder", team.name, iso_week_key(start, team.timezone), start - e.remind_before,
                           start});
    });
}

void run_eowd_reminder(handler_context& ctx, const job_occurrence& occ) {
    const team_config* team = ctx.cfg.find_team(occ.target);
    if (!team) return;
    const std::string& week = occ.period;
    const eowd_lineup lineup = eowd_lineup_of(ctx, *team, week);
    const auto& e = ctx.cfg.eowd_of(*team);
    for (std::size_t i = 0; i < lineup.presenters.size(); ++i) {
        const auto& p = lineup.presenters[i];
        const std::string zone = ctx.cfg.timezone_of(p.member);
        const instant slot = eowd_slot_start(ctx.cfg, *team, week, i);
        message m;
        m.section("Reminder: you present at the " + team->name + " EOWD at " + format_local(slot, zone) + " (" +
                  spoken_duration(e.slot_length) + "): " + p.topic + ".");
        m.context(p.input_wanted.empty()
                      ? "Think about the input you want from the team; you have not said yet."
                      : "Input you asked for: " + p.input_wanted);
        m.context("Can't make it? /eowd withdraw frees your slot for the waitlist.");
        ctx.direct(p.member, std::move(m));
    }
}

}  // namespace ritualbot
