// /ritual help | schedule | digest preview [team] | dashboard
#include <algorithm>

#include "handlers/commands.hpp"
#include "handlers/digest.hpp"
#include "handlers/eowd.hpp"
#include "handlers/learning.hpp"
#include "handlers/personal_settings.hpp"
#include "handlers/time_off.hpp"
#include "handlers/week.hpp"
#include "handlers/weekly_update.hpp"

namespace ritualbot {
namespace {

const char* const help_text =
    "ritualbot runs your team's weekly update and posts a digest to the team channel.\n"
    "/update \u2014 write or resume your weekly update (the bot also asks you each week)\n"
    "/update edit [n | label] \u2014 change this week's answers (or only question n, e.g. /update edit 3) until "
    "the digest is posted\n"
    "/update skip [reason] \u2014 skip this week, e.g. /update skip on holiday\n"
    "/update show [@user] [week] \u2014 show this week's update (or that of a week, e.g. 2026-W47), yours or a "
    "teammate's\n"
    "/update history [@user] [n] \u2014 the last n weeks (8, at most 52): answered, skipped (why) or missing\n"
    "/update missing \u2014 managers: who has not answered yet\n"
    "/update away <YYYY-MM-DD> [reason] | back \u2014 time off: no prompts until that day (inclusive); managers: "
    "/update away @member ...\n"
    "/update later [30m|2h|1d] \u2014 put this week's prompt off (at most twice a week, never past the digest)\n"
    "/okr status [team | at-risk] \u2014 where the team's objectives and key results stand\n"
    "/okr add | kr add | set | history | archive | period \u2014 manage OKRs; /okr help explains them\n"
    "/dep add <provider> -> <consumer> \"<what>\" type=blocking|non-blocking|soft [due=YYYY-MM-DD] "
    "[owner=@user] \u2014 managers: register a cross-team dependency\n"
    "/dep list | risks | graph [team] \u2014 the dependency register, its risks, who blocks whom; /dep help for "
    "more\n"
    "/eowd signup <topic> [-- <input wanted>] | withdraw | list \u2014 present at the End of Week Debrief; /eowd "
    "help for more\n"
    "/learn propose <topic> | pick <id> | list \u2014 the monthly learning session (managers pick the speaker); "
    "/learn help for more\n"
    "/ritual schedule \u2014 your next prompt and the next digest, in your time zone\n"
    "/ritual settings [tz <zone> | prompt <Day HH:MM> | reminder on|off] \u2014 your own time zone, prompt time "
    "and reminder\n"
    "/ritual digest preview [team] \u2014 the digest as it stands now, shown only to you\n"
    "/ritual dashboard \u2014 a personal link to the web dashboard (charts of your teams), shown only to you\n"
    "/ritual help \u2014 this text\n"
    "Commands also work with ! instead of /, e.g. !update.";

const char* const usage =
    "Usage: /ritual help | /ritual schedule | /ritual settings [tz|prompt|reminder ...] | /ritual digest preview "
    "[team] | /ritual dashboard";

void schedule(handler_context& ctx, const incoming& in) {
    auto teams = ctx.cfg.teams_of(in.user);
    if (teams.empty()) {
        ctx.reply(in, "You are not in any ritualbot team yet, so nothing is scheduled for you.");
        return;
    }
    const std::string zone = ctx.cfg.timezone_of(in.user);
    const instant now = ctx.now();
    const auto week_ahead = std::chrono::hours(24 * 8);
    message m;
    m.header("Your schedule (times in " + zone + ")");
    std::vector<std::string> lines;
    if (const team_config* home = ctx.cfg.home_team(in.user)) {
        auto prompts = weekly_instants_between(ctx.cfg.prompt_of(in.user), zone, now, now + week_ahead);
        if (!prompts.empty())
            lines.push_back("Next weekly-update prompt: " + format_local(prompts.front(), zone) +
                            (ctx.cfg.reminder_on(in.user)
                                 ? ", a reminder " + format_duration(ctx.cfg.weekly_update.reminder_after) +
                                       " later if it is not finished"
                                 : ", no reminder (/ritual settings)") +
                            " (" + home->name + ").");
        if (auto off = away_at(ctx, in.user, now))
            lines.push_back("You are away until " + off->until +
                            " (inclusive): no prompts or reminders until then; /update back ends it.");
        const std::string week = open_week(ctx.cfg, *home, now);
        auto row = ctx.db.find_update(in.user, week);
        std::string state = !row ? "not started"
                            : row->status == update_status::skipped ? "skipped"
                            : row->status == update_status::done    ? "complete"
                                                                    : std::to_string(answered_of(
                                                                          *row, ctx.cfg.questions_of(*home))) +
                                                                       " of " +
                                                                       std::to_string(
                                                                           ctx.cfg.questions_of(*home).size()) +
                                                                       " answered";
        lines.push_back("Your update for week " + week + ": " + state + ".");
    }
    for (const team_config* team : teams) {
        auto digests = weekly_instants_between(ctx.cfg.digest.at, team->timezone, now, now + week_ahead);
        if (!digests.empty())
            lines.push_back("Next " + team->name + " digest: " + format_local(digests.front(), zone) + " (" +
                            format_weekly_time(ctx.cfg.digest.at) + " " + team->timezone + ").");
        eowd_schedule_lines(ctx, *team, zone, lines);
        learning_schedule_lines(ctx, *team, zone, lines);
    }
    m.list(std::move(lines));
    ctx.reply(in, std::move(m));
}

void digest_preview(handler_context& ctx, const incoming& in, const command_line& cmd) {
    const team_config* team = nullptr;
    if (!cmd.arg(2).empty()) {
        std::string name = cmd.arg(2);
        if (!name.empty() && name[0] == '#') {
            team = ctx.cfg.find_team_by_channel(in.platform, name);
        }
        if (!team) team = ctx.cfg.find_team(name);
        if (!team) {
            ctx.reply(in, "There is no team called '" + name + "'.");
            return;
        }
    } else {
        team = team_in_context(ctx, in);
    }
    if (!team) {
        ctx.reply(in, "You are not in any team; name one: /ritual digest preview <team>.");
        return;
    }
    auto mine = ctx.cfg.teams_of(in.user);
    if (std::find(mine.begin(), mine.end(), team) == mine.end()) {
        ctx.reply(in, "You can only preview the digest of your own teams.");
        return;
    }
    const std::string week = open_week(ctx.cfg, *team, ctx.now());
    message m;
    m.context("Preview, only you see this. It will be posted to " + team->channel + " on " +
              format_local(digest_instant(ctx.cfg, *team, week), ctx.cfg.timezone_of(in.user)) + ".");
    m.append(build_digest(ctx, *team, week));
    ctx.reply(in, std::move(m));
}

// A link that shows what the person may see in chat; the runtime signs it.
void dashboard(handler_context& ctx, const incoming& in) {
    if (!ctx.dashboard_link) {
        ctx.reply(in, "The web dashboard is not enabled on this bot; the operator turns it on with [web] in the "
                      "config.");
        return;
    }
    if (ctx.cfg.teams_of(in.user).empty() && !ctx.cfg.is_admin(in.user)) {
        ctx.reply(in, "You are not in any ritualbot team, so the dashboard would show you nothing.");
        return;
    }
    message m;
    m.section("Your dashboard: " + (*ctx.dashboard_link)(in.user));
    m.context("Only you see this. The link is personal: anyone who has it sees what you see, until it expires. "
              "Ask for a new one with /ritual dashboard whenever you like.");
    ctx.reply(in, std::move(m));
}

}  // namespace

const team_config* team_in_context(const handler_context& ctx, const incoming& in) {
    if (!in.is_direct())
        if (const team_config* t = ctx.cfg.find_team_by_channel(in.platform, in.channel)) return t;
    if (const team_config* t = ctx.cfg.home_team(in.user)) return t;
    auto managed = ctx.cfg.teams_managed_by(in.user);
    return managed.empty() ? nullptr : managed.front();
}

void handle_ritual_command(handler_context& ctx, const incoming& in, const command_line& cmd) {
    const std::string sub = to_lower(cmd.arg(0));
    if (sub.empty() || sub == "help") return ctx.reply(in, help_text);
    if (sub == "schedule") return schedule(ctx, in);
    if (sub == "settings") return handle_ritual_settings(ctx, in, cmd);
    if (sub == "dashboard" && cmd.args.size() == 1) return dashboard(ctx, in);
    if (sub == "digest" && to_lower(cmd.arg(1)) == "preview" && cmd.args.size() <= 3)
        return digest_preview(ctx, in, cmd);
    ctx.reply(in, "I don't understand /ritual " + trim(cmd.rest(0)) + ".\n" + usage);
}

}  // namespace ritualbot
