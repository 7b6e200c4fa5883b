#include "handlers/time_off.hpp"

#include <date/tz.h>

#include "handlers/command_line.hpp"
#include "handlers/context.hpp"
#include "handlers/okr_progress.hpp"
#include "handlers/text.hpp"
#include "handlers/week.hpp"
#include "storage/store.hpp"

namespace ritualbot {
namespace {

constexpr std::size_t max_reason_chars = 200;

const char* const away_usage =
    "Usage: /update away <last day away, YYYY-MM-DD> [reason], e.g. /update away 2026-12-24 parental leave\n"
    "       /update away @member <YYYY-MM-DD> [reason]  (managers, for a member of their team)\n"
    "       /update back [@member]  ends the time off now";

// The first instant of the day after `day` in `zone`: the time off covers `day` to its end.
instant end_of_day(date::year_month_day day, const std::string& zone) {
    const date::local_days next{(date::sys_days{day} + date::days{1}).time_since_epoch()};
    return date::locate_zone(zone)->to_sys(date::local_seconds{next}, date::choose::earliest);
}

bool manages_member(const config& cfg, const std::string& manager, const std::string& member) {
    for (const team_config* t : cfg.teams_managed_by(manager))
        for (const auto& m : t->members)
            if (m == member) return true;
    return false;
}

// Who the command is about: args[1] when it is a mention, else the asker.
// Returns false (having answered) when the asker may not do it.
bool resolve_who(handler_context& ctx, const incoming& in, const command_line& cmd, std::string& who,
                 std::size_t& next) {
    who = in.user;
    next = 1;
    const std::string first = cmd.arg(1);
    if (!first.empty() && (first[0] == '@' || first.starts_with("<@"))) {
        who = user_id_from_mention(first);
        next = 2;
        if (who.empty() || who == "@") {
            ctx.reply(in, std::string("Who? Write the person as @name.\n") + away_usage);
            return false;
        }
    }
    if (!ctx.cfg.home_team(who)) {
        ctx.reply(in, who == in.user ? "You are not a member of any team, so there are no prompts to pause."
                                     : "'" + clip_text(who, 60) + "' is not a member of any team.");
        return false;
    }
    if (who != in.user && !manages_member(ctx.cfg, in.user, who)) {
        ctx.reply(in, "Only a manager of " + user_mention(who) + "'s team can set their time off; " +
                          user_mention(who) + " can set it themselves with /update away.");
        return false;
    }
    return true;
}

std::string describe(const time_off_row& row) {
    return "away until " + row.until + " (inclusive)" +
           (row.reason.empty() ? std::string() : ": " + shown_text(row.reason));
}

}  // namespace

std::optional<time_off_row> away_at(handler_context& ctx, const std::string& member, instant t) {
    auto row = person_store(ctx.db).time_off(member);
    if (row && row->starts_at <= t && t < row->ends_at) return row;
    return std::nullopt;
}

std::optional<time_off_row> away_in_week(handler_context& ctx, const team_config& team, const std::string& member,
                                         const std::string& week) {
    auto row = person_store(ctx.db).time_off(member);
    if (!row) return std::nullopt;
    const instant digest = digest_instant(ctx.cfg, team, week);
    instant prompt = weekly_instant(week, ctx.cfg.prompt_of(member), ctx.cfg.timezone_of(member));
    if (prompt >= digest) prompt = digest - std::chrono::hours(24 * 7);
    if (row->starts_at < digest && row->ends_at > prompt) return row;
    return std::nullopt;
}

std::string away_label(const std::string& member, const time_off_row& row) {
    return member + " (" + describe(row) + ")";
}

void handle_update_away(handler_context& ctx, const incoming& in, const command_line& cmd) {
    std::string who;
    std::size_t next = 1;
    if (cmd.args.size() < 2) {
        auto row = away_at(ctx, in.user, ctx.now());
        ctx.reply(in, (row ? "You are " + describe(*row) + ".\n" : std::string()) + away_usage);
        return;
    }
    if (!resolve_who(ctx, in, cmd, who, next)) return;
    const std::string zone = ctx.cfg.timezone_of(who);
    const auto today = local_date(ctx.now(), zone);
    const std::string typed = cmd.arg(next);
    auto until = parse_date(typed);
    if (typed.empty() || !until) {
        ctx.reply(in, (typed.empty() ? std::string("Until when? ")
                                     : "\u201C" + clip_text(typed, 40) + "\u201D is not a date. ") +
                          "Write the last day away as YYYY-MM-DD.\n" + away_usage);
        return;
    }
    const int year = static_cast<int>(until->year());
    const auto latest = date::year_month_day{date::sys_days{today} + date::days{max_days_away}};
    if (year < 2000 || year > 2999 || *until < today || *until > latest) {
        ctx.reply(in, "The last day away must be from today (" + format_date(today) + ") to a year ahead (" +
                          format_date(latest) + "), in " + (who == in.user ? "your" : user_mention(who) + "'s") +
                          " time zone " +
                          zone + "; " + typed + " is not.");
        return;
    }
    std::string reason = trim(cmd.rest(next + 1));
    if (text_length(reason) > max_reason_chars) reason = clip_text(reason, max_reason_chars);

    person_store people(ctx.db);
    time_off_row row;
    row.member = who;
    row.starts_at = ctx.now();
    if (auto current = away_at(ctx, who, ctx.now())) row.starts_at = current->starts_at;  // extended, not restarted
    row.ends_at = end_of_day(*until, zone);
    row.until = format_date(*until);
    row.reason = reason;
    row.set_by = in.user;
    row.set_at = ctx.now();
    people.save_time_off(row);

    const std::string what = describe(row) + ". No weekly-update prompts or reminders until then; the digest lists ";
    if (who == in.user) {
        ctx.reply(in, "You are " + what + "you as away. /update back ends it early.");
        return;
    }
    ctx.reply(in, user_mention(who) + " is " + what + "them as away. They have been told.");
    ctx.direct(who, message(user_mention(in.user) + " marked you as " + what +
                            "you as away. /update back ends it early."));
}

void handle_update_back(handler_context& ctx, const incoming& in, const command_line& cmd) {
    std::string who;
    std::size_t next = 1;
    if (!resolve_who(ctx, in, cmd, who, next)) return;
    if (cmd.args.size() > next) {
        ctx.reply(in, std::string("/update back takes no date: it ends the time off now.\n") + away_usage);
        return;
    }
    auto row = away_at(ctx, who, ctx.now());
    if (!row) {
        ctx.reply(in, (who == in.user ? std::string("You are") : user_mention(who) + " is") + " not away.");
        return;
    }
    row->ends_at = ctx.now();
    row->set_by = in.user;
    row->set_at = ctx.now();
    person_store(ctx.db).save_time_off(*row);
    const std::string welcome = "Welcome back! Prompts and reminders are on again; /update writes this week's update.";
    if (who == in.user) {
        ctx.reply(in, welcome);
        return;
    }
    ctx.reply(in, user_mention(who) + " is back: prompts and reminders are on again. They have been told.");
    ctx.direct(who, message(user_mention(in.user) + " ended your time off. " + welcome));
}

}  // namespace ritualbot
