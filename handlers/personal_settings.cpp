#include "handlers/personal_settings.hpp"

#include <date/tz.h>

#include <spdlog/spdlog.h>

#include <algorithm>

#include "handlers/command_line.hpp"
#include "handlers/context.hpp"
#include "handlers/text.hpp"
#include "handlers/time_off.hpp"
#include "handlers/week.hpp"
#include "storage/person_store.hpp"
#include "storage/store.hpp"

namespace ritualbot {
namespace {

const char* const usage =
    "Usage: /ritual settings                       show your time zone, prompt time and reminder\n"
    "       /ritual settings tz <zone>|default     e.g. /ritual settings tz Europe/Berlin\n"
    "       /ritual settings prompt <Day HH:MM>|default  e.g. /ritual settings prompt Thu 10:00 (your local time)\n"
    "       /ritual settings reminder on|off       the reminder after an unfinished prompt";

bool valid_zone(const std::string& zone) {
    if (zone.empty() || zone.size() > 64) return false;
    try {
        (void)date::locate_zone(zone);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

// Monday-first minutes into the week, to compare a prompt with the digest.
int week_minutes(const weekly_time& t) {
    return static_cast<int>((t.weekday + 6) % 7) * 1440 + t.hour * 60 + t.minute;
}

person_settings_row current_row(handler_context& ctx, const std::string& user) {
    auto row = person_store(ctx.db).settings(user);
    if (row) return *row;
    person_settings_row fresh;
    fresh.member = user;
    return fresh;
}

void save(handler_context& ctx, person_settings_row row) {
    row.updated_at = ctx.now();
    person_store(ctx.db).save_settings(row);
    personal_settings p;
    p.timezone = row.timezone;
    std::string ignored;
    if (!row.prompt.empty()) p.prompt = parse_weekly_time(row.prompt, ignored);
    p.reminder = row.reminder;
    ctx.cfg.personal[row.member] = p;
}

// After the zone or the prompt time changed: this week's prompt, if it has
// not gone out and its new time has passed, goes out now; a reminder keeps
// its distance from the prompt actually sent. Nobody is prompted twice in a
// week: prompts are recorded per (member, week), whatever their time.
std::string apply_move(handler_context& ctx, const std::string& user, const team_config& team) {
    const instant now = ctx.now();
    const std::string zone = ctx.cfg.timezone_of(user);
    const std::string week = open_week(ctx.cfg, team, now);
    const instant digest = digest_instant(ctx.cfg, team, week);
    const auto delay = std::chrono::duration_cast<std::chrono::seconds>(ctx.cfg.weekly_update.reminder_after);
    const instant new_time = weekly_instant(week, ctx.cfg.prompt_of(user), zone);
    if (auto prompted = ctx.db.job_ran_at("weekly_prompt", user, week)) {
        if (ctx.cfg.reminder_on(user) && !ctx.db.job_ran("weekly_reminder", user, week) &&
            *prompted + delay < digest)
            ctx.db.defer_job("weekly_reminder", user, week, std::max(now, *prompted + delay), digest);
        return "This week's prompt has already come, so the new time counts from next week.";
    }
    if (auto row = ctx.db.find_update(user, week); row && row->status != update_status::in_progress)
        return "Your update for this week is already " +
               std::string(row->status == update_status::skipped ? "skipped" : "complete") +
               ", so the new time counts from next week.";
    if (new_time >= digest || new_time > now) {
        auto next = weekly_instants_between(ctx.cfg.prompt_of(user), zone, now, now + std::chrono::hours(24 * 8));
        return next.empty() ? std::string() : "Your next prompt: " + format_local(next.front(), zone) + ".";
    }
    // The new time this week has passed and the prompt has not come: now, once.
    ctx.db.defer_job("weekly_prompt", user, week, now, digest);
    if (ctx.cfg.reminder_on(user) && now + delay < digest)
        ctx.db.defer_job("weekly_reminder", user, week, now + delay, digest);
    return "That time has passed this week, so this week's prompt comes now.";
}

void show(handler_context& ctx, const incoming& in, const team_config* team) {
    const std::string& user = in.user;
    const std::string zone = ctx.cfg.timezone_of(user);
    message m;
    m.header("Your settings");
    std::vector<std::string> lines;
    lines.push_back("Time zone: " + zone + " (from " + ctx.cfg.timezone_source(user) + ").");
    if (team) {
        const weekly_time prompt = ctx.cfg.prompt_of(user);
        const auto it = ctx.cfg.personal.find(user);
        const bool own = it != ctx.cfg.personal.end() && it->second.prompt;
        lines.push_back("Weekly-update prompt: " + format_weekly_time(prompt) + " your time (" +
                        (own ? "your own; the team's is " + format_weekly_time(ctx.cfg.weekly_update.prompt)
                             : std::string("the team's")) +
                        "). Allowed for " + team->name + ": " + allowed_prompt_times(ctx.cfg, *team) + ".");
        lines.push_back(std::string("Reminder: ") +
                        (ctx.cfg.reminder_on(user)
                             ? "on, " + format_duration(ctx.cfg.weekly_update.reminder_after) +
                                   " after the prompt if your update is not finished."
                             : "off."));
        if (auto off = away_at(ctx, user, ctx.now()))
            lines.push_back("Time off: away until " + off->until + " (inclusive); /update back ends it.");
    }
    m.list(std::move(lines));
    m.context(usage);
    ctx.reply(in, std::move(m));
}

}  // namespace

std::string allowed_prompt_times(const config& cfg, const team_config& team) {
    std::string days;
    for (unsigned d : cfg.prompt_days_of(team)) days += (days.empty() ? "" : ", ") + format_weekday(d);
    const auto [from, to] = cfg.prompt_window_of(team);
    return days + " " + format_clock(from) + "-" + format_clock(to);
}

std::optional<std::string> prompt_time_refusal(const config& cfg, const team_config& team, const weekly_time& when) {
    const auto& days = cfg.prompt_days_of(team);
    const auto [from, to] = cfg.prompt_window_of(team);
    const int minutes = when.hour * 60 + when.minute;
    if (std::find(days.begin(), days.end(), when.weekday) == days.end() || minutes < from || minutes > to)
        return team.name + " allows prompts on " + allowed_prompt_times(cfg, team) + " (your local time); " +
               format_weekly_time(when) + " is outside that.";
    if (week_minutes(when) >= week_minutes(cfg.digest.at))
        return "The prompt must come before the digest (" + format_weekly_time(cfg.digest.at) + " " + team.timezone +
               "), so that there is time to answer; " + format_weekly_time(when) + " is not.";
    return std::nullopt;
}

void load_personal_settings(const config& cfg, store& db) {
    std::map<std::string, personal_settings, std::less<>> out;
    for (const auto& row : person_store(db).all_settings()) {
        personal_settings p;
        if (valid_zone(row.timezone)) p.timezone = row.timezone;
        else if (!row.timezone.empty()) spdlog::warn("{}'s own time zone {} is not in the tz database", row.member, row.timezone);
        std::string err;
        if (!row.prompt.empty()) p.prompt = parse_weekly_time(row.prompt, err);
        p.reminder = row.reminder;
        out.emplace(row.member, std::move(p));
    }
    cfg.personal = std::move(out);
}

void handle_ritual_settings(handler_context& ctx, const incoming& in, const command_line& cmd) {
    const team_config* team = ctx.cfg.home_team(in.user);
    const std::string what = to_lower(cmd.arg(1));
    if (what.empty()) return show(ctx, in, team);
    if (what == "help") return ctx.reply(in, usage);
    if (ctx.cfg.teams_of(in.user).empty()) {
        ctx.reply(in, "You are not in any ritualbot team yet, so there is nothing to set.");
        return;
    }
    const std::string value = trim(cmd.rest(2));
    person_settings_row row = current_row(ctx, in.user);

    if (what == "tz" || what == "timezone" || what == "zone") {
        if (value.empty() || cmd.args.size() > 3) {
            ctx.reply(in, std::string("Which zone? Write a tz database name, e.g. /ritual settings tz Europe/Berlin, "
                                      "or `default` for the zone from the config or your profile.\n") +
                              usage);
            return;
        }
        if (to_lower(value) == "default") {
            row.timezone.clear();
        } else if (!valid_zone(value)) {
            ctx.reply(in, "\u201C" + clip_text(value, 64) +
                              "\u201D is not a time zone I know. Use a tz database name such as Europe/Berlin, "
                              "America/New_York or UTC.");
            return;
        } else {
            row.timezone = value;
        }
        save(ctx, row);
        std::string reply = "Your time zone is now " + ctx.cfg.timezone_of(in.user) + " (from " +
                            ctx.cfg.timezone_source(in.user) + ").";
        if (team) reply += " " + apply_move(ctx, in.user, *team);
        ctx.reply(in, reply);
        return;
    }
    if (what == "prompt") {
        if (!team) {
            ctx.reply(in, "You are not listed as a member of a team, so you get no weekly-update prompt.");
            return;
        }
        if (value.empty()) {
            ctx.reply(in, "When? e.g. /ritual settings prompt Thu 10:00 (your local time). " + team->name +
                              " allows " + allowed_prompt_times(ctx.cfg, *team) + ".");
            return;
        }
        if (to_lower(value) == "default") {
            row.prompt.clear();
        } else {
            std::string err;
            auto when = parse_weekly_time(value, err);
            if (!when) {  // the text clipped: it is echoed back
                ctx.reply(in, "I could not read \u201C" + clip_text(value, 40) +
                                  "\u201D: write a weekday and a 24-hour time such as Thu 10:00. " + team->name +
                                  " allows " + allowed_prompt_times(ctx.cfg, *team) + ".");
                return;
            }
            if (auto refusal = prompt_time_refusal(ctx.cfg, *team, *when)) {
                ctx.reply(in, *refusal);
                return;
            }
            row.prompt = format_weekly_time(*when);
        }
        save(ctx, row);
        ctx.reply(in, "Your weekly-update prompt is now " + format_weekly_time(ctx.cfg.prompt_of(in.user)) + " " +
                          ctx.cfg.timezone_of(in.user) + (row.prompt.empty() ? " (the team's)" : "") + ". " +
                          apply_move(ctx, in.user, *team));
        return;
    }
    if (what == "reminder" || what == "reminders") {
        const std::string v = to_lower(value);
        if (v != "on" && v != "off") {
            ctx.reply(in, std::string("Write /ritual settings reminder on or /ritual settings reminder off.\n") + usage);
            return;
        }
        row.reminder = v == "on";
        save(ctx, row);
        ctx.reply(in, row.reminder ? "Reminders are on: one comes " +
                                         format_duration(ctx.cfg.weekly_update.reminder_after) +
                                         " after the prompt if your update is not finished."
                                   : "Reminders are off: you get the weekly prompt, and no reminder after it.");
        return;
    }
    ctx.reply(in, "I don't know the setting \u201C" + clip_text(cmd.arg(1), 40) + "\u201D.\n" + usage);
}

}  // namespace ritualbot
