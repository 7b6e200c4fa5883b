#include "handlers/snooze.hpp"

#include "handlers/command_line.hpp"
#include "handlers/context.hpp"
#include "handlers/text.hpp"
#include "handlers/time_off.hpp"
#include "handlers/week.hpp"
#include "handlers/weekly_update.hpp"
#include "storage/person_store.hpp"
#include "storage/store.hpp"

namespace ritualbot {
namespace {

std::string snooze_period(const std::string& week, int number) { return week + "#" + std::to_string(number); }

}  // namespace

void snooze_occurrences(const config&, instant, instant, std::vector<job_occurrence>&) {}

std::optional<instant> snoozed_until(handler_context& ctx, const std::string& member, const std::string& week) {
    auto all = person_store(ctx.db).snoozes(member, week);
    if (all.empty() || all.back().until <= ctx.now()) return std::nullopt;
    return all.back().until;
}

void handle_update_later(handler_context& ctx, const incoming& in, const command_line& cmd) {
    const team_config* team = ctx.cfg.home_team(in.user);
    if (!team) {
        ctx.reply(in, "You are not listed as a member of a team, so there is no weekly update to put off.");
        return;
    }
    const auto& settings = ctx.cfg.weekly_update;
    const instant now = ctx.now();
    const std::string zone = ctx.cfg.timezone_of(in.user);
    const std::string week = open_week(ctx.cfg, *team, now);
    const instant digest = digest_instant(ctx.cfg, *team, week);
    const std::string limits = "from " + format_duration(min_snooze) + " to " + format_duration(settings.snooze_max) +
                               ", e.g. 30m, 2h or 1d";
    if (cmd.args.size() > 2) {
        ctx.reply(in, "Usage: /update later [duration], " + limits + "; without one, " +
                          format_duration(settings.snooze_default) + ".");
        return;
    }
    auto row = ctx.db.find_update(in.user, week);
    if (row && row->status != update_status::in_progress) {
        ctx.reply(in, "Your update for week " + week + " is already " +
                          (row->status == update_status::skipped ? "skipped" : "complete") +
                          ", so there is nothing to put off.");
        return;
    }
    if (!row && !ctx.db.job_ran("weekly_prompt", in.user, week)) {
        ctx.reply(in, "This week's prompt has not come yet, so there is nothing to put off. /ritual schedule shows "
                      "when it comes.");
        return;
    }
    std::chrono::minutes wait = settings.snooze_default;
    if (const std::string typed = cmd.arg(1); !typed.empty()) {
        std::string err;
        auto d = parse_duration(to_lower(typed), err);
        if (!d || *d < min_snooze || *d > settings.snooze_max) {
            ctx.reply(in, "\u201C" + clip_text(typed, 20) + "\u201D is not a time I can wait: " + limits + ".");
            return;
        }
        wait = *d;
    }
    person_store people(ctx.db);
    const auto earlier = people.snoozes(in.user, week);
    if (static_cast<int>(earlier.size()) >= settings.snoozes_per_week) {
        ctx.reply(in, settings.snoozes_per_week == 0
                          ? "Putting the prompt off is turned off for this bot. /update writes your update now, "
                            "/update skip [reason] skips this week."
                          : "You have put this week's update off " + std::to_string(earlier.size()) +
                                " times already, which is as often as I can (" +
                                std::to_string(settings.snoozes_per_week) +
                                " a week). No worries: /update writes it now, a few lines are enough, or /update "
                                "skip [reason] skips this week. The digest goes out " +
                                format_local(digest, zone) + ".");
        return;
    }
    const instant until = now + wait;
    if (until >= digest) {
        ctx.reply(in, "The " + team->name + " digest goes out " + format_local(digest, zone) + ", before " +
                          format_duration(wait) + " from now, so I cannot wait that long. Try a shorter time, or "
                          "/update to write it now.");
        return;
    }
    const int number = static_cast<int>(earlier.size()) + 1;
    people.add_snooze({in.user, week, number, until, now});
    ctx.db.defer_job("weekly_snooze", in.user, snooze_period(week, number), until, digest);
    const int left = settings.snoozes_per_week - number;
    ctx.reply(in, "OK, I will ask again " + format_local(until, zone) + " (in " + format_duration(wait) + "). " +
                      (left > 0 ? "You can put it off " + std::to_string(left) + " more time" + (left > 1 ? "s" : "") +
                                      " this week."
                                : "That was the last time this week."));
}

void run_weekly_snooze(handler_context& ctx, const job_occurrence& occ) {
    const auto hash = occ.period.find('#');
    if (hash == std::string::npos) return;
    const std::string week = occ.period.substr(0, hash);
    const team_config* team = ctx.cfg.home_team(occ.target);
    if (!team) return;
    if (away_at(ctx, occ.target, ctx.now())) return;
    // A later snooze of the same week replaces this one.
    auto all = person_store(ctx.db).snoozes(occ.target, week);
    if (all.empty() || snooze_period(week, all.back().number) != occ.period) return;
    auto row = ctx.db.find_update(occ.target, week);
    if (row && row->status != update_status::in_progress) return;  // written or skipped meanwhile
    const question_set& qs = ctx.cfg.questions_for(row ? row->team : team->name, occ.target);
    if (!row) {
        row = new_update(occ.target, week, team->name, ctx.now());
        set_step(*row, qs, 0);
        ctx.db.save_update(*row);
    } else {  // the team's questions may have changed since the update began
        const auto before = std::make_pair(row->step, row->status);
        align_with_questions(*row, qs);
        if (before != std::make_pair(row->step, row->status)) {
            row->updated_at = ctx.now();
            ctx.db.save_update(*row);
        }
        if (row->status != update_status::in_progress) return;
    }
    message m;
    m.section("Back to your weekly update for week " + week + ", as you asked (" +
              std::to_string(answered_of(*row, qs)) + " of " + std::to_string(qs.size()) + " answered). The " +
              team->name + " digest goes out " +
              format_local(digest_instant(ctx.cfg, *team, week), ctx.cfg.timezone_of(occ.target)) + ".");
    m.append(question_message(*row, qs));
    std::vector<button> buttons{{"update.start", "Write my update", week}, {"update.skip", "Skip this week", week}};
    if (static_cast<int>(all.size()) < ctx.cfg.weekly_update.snoozes_per_week)
        buttons.push_back({"update.later", "Later", week});
    m.actions(std::move(buttons));
    ctx.direct(occ.target, std::move(m));
}

}  // namespace ritualbot
