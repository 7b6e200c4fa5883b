#include "handlers/eowd.hpp"
#include "handlers/text.hpp"

#include <date/tz.h>

#include "handlers/context.hpp"
#include "handlers/week.hpp"

namespace ritualbot {

instant eowd_start(const config& cfg, const team_config& team, const std::string& week) {
    return weekly_instant(week, cfg.eowd_of(team).at, team.timezone);
}

instant eowd_opens(const config& cfg, const team_config& team, const std::string& week) {
    return weekly_instant(week, cfg.eowd_of(team).opens, team.timezone);
}

instant eowd_closes(const config& cfg, const team_config& team, const std::string& week) {
    return weekly_instant(week, cfg.eowd_of(team).closes, team.timezone);
}

instant eowd_slot_start(const config& cfg, const team_config& team, const std::string& week, std::size_t slot) {
    // Slots follow each other in elapsed time: an EOWD across a clock change
    // still gives everyone their minutes.
    return eowd_start(cfg, team, week) + cfg.eowd_of(team).slot_length * static_cast<int>(slot);
}

std::string eowd_week(const config& cfg, const team_config& team, instant t) {
    std::string week = iso_week_key(t, team.timezone);
    if (t >= eowd_start(cfg, team, week)) week = next_week_key(week);
    return week;
}

eowd_phase eowd_phase_at(const config& cfg, const team_config& team, const std::string& week, instant t) {
    if (t < eowd_opens(cfg, team, week)) return eowd_phase::not_open;
    if (t < eowd_closes(cfg, team, week)) return eowd_phase::open;
    return eowd_phase::closed;
}

eowd_lineup split_lineup(std::vector<eowd_signup_row> signups, int slots) {
    eowd_lineup out;
    for (auto& s : signups) {
        if (static_cast<int>(out.presenters.size()) < slots) out.presenters.push_back(std::move(s));
        else out.waitlist.push_back(std::move(s));
    }
    return out;
}

eowd_lineup eowd_lineup_of(handler_context& ctx, const team_config& team, const std::string& week) {
    eowd_store eowds(ctx.db);
    return split_lineup(eowds.signups(team.name, week), ctx.cfg.eowd_of(team).slots);
}

std::string spoken_duration(std::chrono::minutes d) {
    const auto m = d.count();
    if (m % 60 == 0) return std::to_string(m / 60) + (m == 60 ? " hour" : " hours");
    return std::to_string(m) + (m == 1 ? " minute" : " minutes");
}

std::string format_clock_time(instant t, const std::string& zone) {
    return date::format("%H:%M", date::make_zoned(date::locate_zone(zone), t));
}

std::vector<std::string> eowd_agenda_lines(const config& cfg, const team_config& team, const std::string& week,
                                           const eowd_lineup& lineup) {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < lineup.presenters.size(); ++i) {
        const auto& p = lineup.presenters[i];
        std::string line = format_clock_time(eowd_slot_start(cfg, team, week, i), team.timezone) + " " + p.member +
                           ": " + shown_text(p.topic) + (p.kind.empty() ? "" : " (" + p.kind + ")") + ".";
        line += p.input_wanted.empty() ? " Input wanted: not said." : " Input wanted: " + shown_text(p.input_wanted);
        lines.push_back(std::move(line));
    }
    return lines;
}

message eowd_agenda_message(handler_context& ctx, const team_config& team, const std::string& week) {
    const eowd_lineup lineup = eowd_lineup_of(ctx, team, week);
    const instant start = eowd_start(ctx.cfg, team, week);
    message m;
    if (lineup.presenters.empty()) {
        m.section("No EOWD this week for " + team.name + ": nobody signed up. Sign-ups for the next one open " +
                  format_local(eowd_opens(ctx.cfg, team, next_week_key(week)), team.timezone) + ".");
        return m;
    }
    const auto& e = ctx.cfg.eowd_of(team);
    m.header("End of Week Debrief \u2014 " + team.name + ", " + format_local(start, team.timezone));
    m.section(std::to_string(lineup.presenters.size()) + " presenter" + (lineup.presenters.size() == 1 ? "" : "s") +
              ", " + spoken_duration(e.slot_length) + " each, times in " + team.timezone + ":");
    m.list(eowd_agenda_lines(ctx.cfg, team, week, lineup));
    if (!lineup.waitlist.empty()) {
        std::string names;
        for (const auto& w : lineup.waitlist) names += (names.empty() ? "" : ", ") + w.member;
        m.context("Waitlist: " + names + ". If a presenter withdraws (/eowd withdraw), the first of them steps in.");
    }
    m.context("Think about the input you want from the team; no slides needed.");
    return m;
}

}  // namespace ritualbot
