#include "handlers/weekly_update.hpp"

#include <set>

#include "handlers/command_line.hpp"
#include "handlers/context.hpp"
#include "handlers/dependency_alerts.hpp"
#include "handlers/snooze.hpp"
#include "handlers/time_off.hpp"
#include "handlers/week.hpp"

namespace ritualbot {
namespace {

std::string in_quotes(const std::string& s) { return "\u201C" + s + "\u201D"; }

// Next question after answering `answered`: the following one while editing a
// finished update; otherwise the next unanswered one, wrapping around.
int next_step(const weekly_update_row& row, int answered) {
    if (row.status == update_status::done) return answered + 1;
    for (int j = answered + 1; j < 4; ++j)
        if (row.answers[j].empty()) return j;
    for (int j = 0; j < answered; ++j)
        if (row.answers[j].empty()) return j;
    return 4;
}

message completion_message(handler_context& ctx, const weekly_update_row& row, const team_config& team) {
    const std::string zone = ctx.cfg.timezone_of(row.member);
    message m;
    m.section("Thanks! Your update for week " + row.week + " is complete.");
    m.context("It goes into the " + team.name + " digest on " +
              format_local(digest_instant(ctx.cfg, team, row.week), zone) +
              ". Until then /update edit changes it and /update show shows it.");
    return m;
}

void record_answer(handler_context& ctx, const incoming& in, weekly_update_row row, const std::string& text,
                   const team_config& team, std::string note) {
    const int step = row.step;
    if (to_lower(text) == "same" && row.answers[step].empty()) {
        // Nothing to keep: storing the word itself would put "same" in the digest.
        message reply;
        if (!note.empty()) reply.context(std::move(note));
        reply.section("There is no earlier answer to question " + std::to_string(step + 1) +
                      " to keep, so nothing was saved; please write your answer.");
        reply.append(question_message(row));
        ctx.reply(in, std::move(reply));
        return;
    }
    const bool keep = to_lower(text) == "same";
    if (!keep) row.answers[step] = text;
    row.step = next_step(row, step);
    if (row.step >= 4) {
        row.step = 4;
        row.status = update_status::done;
    }
    row.updated_at = ctx.now();
    ctx.db.save_update(row);
    if (step == 2 && !keep) on_risk_answer(ctx, row);  // may name another team as a blocker

    message reply;
    if (!note.empty()) reply.context(std::move(note));
    reply.append(row.step >= 4 ? completion_message(ctx, row, team) : question_message(row));
    ctx.reply(in, std::move(reply));
}

}  // namespace

int answered_count(const weekly_update_row& row) {
    int n = 0;
    for (const auto& a : row.answers) n += a.empty() ? 0 : 1;
    return n;
}

message question_message(const weekly_update_row& row) {
    message m;
    const int step = row.step < 0 ? 0 : (row.step > 3 ? 3 : row.step);
    m.section("Question " + std::to_string(step + 1) + " of 4: " + weekly_questions[step]);
    if (!row.answers[step].empty())
        m.context("Now: " + in_quotes(row.answers[step]) + " \u2014 reply `same` to keep it.");
    return m;
}

weekly_update_row new_update(const std::string& member, const std::string& week, const std::string& team,
                             instant now) {
    weekly_update_row row;
    row.member = member;
    row.week = week;
    row.team = team;
    row.started_at = now;
    row.updated_at = now;
    return row;
}

std::vector<std::pair<std::string, const team_config*>> update_writers(const config& cfg) {
    std::vector<std::pair<std::string, const team_config*>> out;
    std::set<std::string> seen;
    for (const auto& team : cfg.teams)
        for (const auto& m : team.members)
            if (seen.insert(m).second) out.emplace_back(m, &team);
    return out;
}

void weekly_prompt_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out) {
    for (const auto& [member, team] : update_writers(cfg)) {
        // The writer's zone, else their home team's (the team update_writers paired them with):
        // no search of every team's members per writer.
        std::string zone = cfg.own_timezone(member);
        if (zone.empty()) zone = team->timezone;
        for (instant t : weekly_instants_between(cfg.prompt_of(member), zone, from, to)) {
            std::string week = open_week(cfg, *team, t);
            out.push_back({"weekly_prompt", member, week, t, digest_instant(cfg, *team, week)});
        }
    }
}

void weekly_reminder_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out) {
    const auto delay = std::chrono::duration_cast<std::chrono::seconds>(cfg.weekly_update.reminder_after);
    for (const auto& [member, team] : update_writers(cfg)) {
        std::string zone = cfg.own_timezone(member);
        if (zone.empty()) zone = team->timezone;
        for (instant prompt : weekly_instants_between(cfg.prompt_of(member), zone, from - delay, to - delay)) {
            std::string week = open_week(cfg, *team, prompt);
            instant digest = digest_instant(cfg, *team, week);
            if (prompt + delay >= digest) continue;  // a reminder after the digest helps nobody
            out.push_back({"weekly_reminder", member, week, prompt + delay, digest});
        }
    }
}

void run_weekly_prompt(handler_context& ctx, const job_occurrence& occ) {
    const team_config* team = ctx.cfg.home_team(occ.target);
    if (!team) return;
    if (away_at(ctx, occ.target, ctx.now())) return;  // time off: the digest lists them as away
    auto row = ctx.db.find_update(occ.target, occ.period);
    if (row && row.value().status != update_status::in_progress) return;  // done early, or skipped
    if (!row) {
        row = new_update(occ.target, occ.period, team->name, ctx.now());
        ctx.db.save_update(*row);
    }

    message m;
    m.header("Weekly update \u2014 " + team->name + ", week " + occ.period);
    auto last = ctx.db.latest_update_before(occ.target, occ.period);
    if (last && !last->answers[3].empty())
        m.section("Last week you said you would focus on: " + in_quotes(last->answers[3]));
    m.append(question_message(*row));
    m.context("Answer here, one message per question. /update skip [reason] skips this week; /update later 2h "
              "asks again later.");
    m.actions({{"update.start", "Write my update", occ.period},
               {"update.skip", "Skip this week", occ.period},
               {"update.later", "Later", occ.period}});
    ctx.direct(occ.target, std::move(m));
}

void run_weekly_reminder(handler_context& ctx, const job_occurrence& occ) {
    const team_config* team = ctx.cfg.home_team(occ.target);
    if (!team) return;
    if (away_at(ctx, occ.target, ctx.now()) || !ctx.cfg.reminder_on(occ.target)) return;
    if (snoozed_until(ctx, occ.target, occ.period)) return;  // the snoozed prompt comes back instead
    auto row = ctx.db.find_update(occ.target, occ.period);
    if (row && row.value().status != update_status::in_progress) return;
    // After a downtime the prompt may have gone out late: the reminder keeps
    // its distance from the prompt that was actually sent.
    auto prompted = ctx.db.job_ran_at("weekly_prompt", occ.target, occ.period);
    const auto delay = std::chrono::duration_cast<std::chrono::seconds>(ctx.cfg.weekly_update.reminder_after);
    if (prompted && ctx.now() - *prompted < delay) {
        // Unless that would be after the digest: then the reminder helps nobody.
        if (*prompted + delay < digest_instant(ctx.cfg, *team, occ.period)) ctx.defer_until(*prompted + delay);
        return;
    }
    if (!row) {
        row = new_update(occ.target, occ.period, team->name, ctx.now());
        ctx.db.save_update(*row);
    }
    message m;
    m.section("Reminder: your weekly update for week " + occ.period + " is not finished yet (" +
              std::to_string(answered_count(*row)) + " of 4 answered). The " + team->name + " digest goes out " +
              format_local(digest_instant(ctx.cfg, *team, occ.period), ctx.cfg.timezone_of(occ.target)) + ".");
    m.append(question_message(*row));
    m.actions({{"update.start", "Write my update", occ.period}, {"update.skip", "Skip this week", occ.period}});
    ctx.direct(occ.target, std::move(m));
}

bool weekly_answer_pending(handler_context& ctx, const std::string& user) {
    const team_config* team = ctx.cfg.home_team(user);
    if (!team) return false;
    const std::string week = open_week(ctx.cfg, *team, ctx.now());
    if (auto row = ctx.db.find_update(user, week)) return row->status != update_status::skipped && row->step < 4;
    auto previous = ctx.db.latest_update_before(user, week);
    return previous && previous->week == previous_week_key(week) && previous->status != update_status::skipped &&
           previous->step < 4;
}

void handle_weekly_answer(handler_context& ctx, const incoming& in, const std::string& note) {
    const team_config* team = ctx.cfg.home_team(in.user);
    if (!team) {
        if (ctx.cfg.teams_of(in.user).empty())
            ctx.reply(in, "Hi! You are not in any ritualbot team yet; ask your manager to add you to the config. "
                          "/ritual help shows what I can do.");
        else
            ctx.reply(in, "You are not listed as a member of a team, so there is no weekly update for you. "
                          "/ritual help shows what I can do.");
        return;
    }
    const std::string text = trim(in.text);
    if (text.empty()) return;
    if (text.size() > max_answer_length) {
        ctx.reply(in, "That answer is " + std::to_string(text.size()) + " characters long; please keep it under " +
                          std::to_string(max_answer_length) + " and send it again.");
        return;
    }

    const std::string week = open_week(ctx.cfg, *team, ctx.now());
    auto row = ctx.db.find_update(in.user, week);
    if (row) {
        if (row->status == update_status::skipped) {
            ctx.reply(in, "You skipped week " + week + ". Type /update to write your update after all.");
        } else if (row->step >= 4) {
            ctx.reply(in, "Your update for week " + week +
                              " is complete. /update edit changes it, /update show shows it.");
        } else {
            record_answer(ctx, in, *row, text, *team, note);
        }
        return;
    }

    // An answer that arrives after the digest of the week it was asked for.
    // It is never stored under another question than the one it answers: an
    // answer to question 1 opens the next week with it; an answer to a later
    // question is not saved, and the next week starts at question 1.
    auto previous = ctx.db.latest_update_before(in.user, week);
    if (previous && previous->week == previous_week_key(week) && previous->status != update_status::skipped &&
        previous->step < 4) {
        weekly_update_row next = new_update(in.user, week, team->name, ctx.now());
        const std::string closed = "Your update for week " + previous->week + " closed when its digest was posted";
        if (previous->step == 0) {
            record_answer(ctx, in, next, text, *team,
                          (note.empty() ? "" : note + " ") + closed +
                              ", so I saved this answer to question 1 for week " + week + ".");
            return;
        }
        ctx.db.save_update(next);
        message reply;
        if (!note.empty()) reply.context(note);
        reply.section(closed + ", so this answer to question " + std::to_string(previous->step + 1) +
                      " was not saved. Week " + week + " starts again at question 1:");
        reply.append(question_message(next));
        ctx.reply(in, std::move(reply));
        return;
    }
    ctx.reply(in, "I am not waiting for an answer from you right now. Type /update to write your weekly update, "
                  "or /ritual help to see what I can do.");
}

}  // namespace ritualbot
