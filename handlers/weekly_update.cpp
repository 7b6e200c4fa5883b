#include "handlers/weekly_update.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <set>
#include <tuple>
#include <unordered_set>

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
int next_step(const weekly_update_row& row, const question_set& qs, int answered) {
    const int n = qs.size();
    if (row.status == update_status::done) return row.single_edit ? n : answered + 1;
    for (int j = answered + 1; j < n; ++j)
        if (!row.find(qs.questions[j].label)) return j;
    for (int j = 0; j < answered && j < n; ++j)
        if (!row.find(qs.questions[j].label)) return j;
    return n;
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

// Saves the row (complete once no question is left), then tells the member
// what comes next; `after_save` runs in between (the risk answer's checks).
template <typename AfterSave>
void finish_or_ask(handler_context& ctx, const incoming& in, weekly_update_row& row, const question_set& qs,
                   const team_config& team, message reply, AfterSave after_save) {
    const bool single = row.single_edit;
    if (row.step >= qs.size()) {
        set_step(row, qs, qs.size());
        row.status = update_status::done;
        row.single_edit = false;
    }
    row.updated_at = ctx.now();
    ctx.db.save_update(row);
    after_save();
    if (row.step >= qs.size() && single) {
        message m;
        m.section("Saved. The rest of your update for week " + row.week + " stays as it was.");
        m.context("/update show shows it; it goes into the " + team.name + " digest on " +
                  format_local(digest_instant(ctx.cfg, team, row.week), ctx.cfg.timezone_of(row.member)) + ".");
        reply.append(std::move(m));
    } else {
        reply.append(row.step >= qs.size() ? completion_message(ctx, row, team) : question_message(row, qs));
    }
    ctx.reply(in, std::move(reply));
}

void record_answer(handler_context& ctx, const incoming& in, weekly_update_row row, const std::string& text,
                   const team_config& team, std::string note) {
    const question_set& qs = ctx.cfg.questions_for(row.team, row.member);
    message reply;
    if (!note.empty()) reply.context(std::move(note));
    const int step = pending_question(row, qs);
    if (step < 0) {
        // The team's questions changed (config edit and restart) after this one
        // was asked, and it is no longer among them: the answer has no question
        // to be stored under. The update goes on with the new questions.
        reply.section("The team's weekly-update questions changed since I asked that one, and it is no longer "
                      "asked, so this answer was not saved. Your other answers are kept.");
        if (row.status == update_status::in_progress) set_step(row, qs, first_unanswered(row, qs));
        else set_step(row, qs, std::min(row.step, qs.size()));
        finish_or_ask(ctx, in, row, qs, team, std::move(reply), [] {});
        return;
    }
    const std::string& label = qs.questions[step].label;
    if (to_lower(text) == "same" && !row.find(label)) {
        // Nothing to keep: storing the word itself would put "same" in the digest.
        set_step(row, qs, step);
        reply.section("There is no earlier answer to question " + std::to_string(step + 1) +
                      " to keep, so nothing was saved; please write your answer.");
        reply.append(question_message(row, qs));
        ctx.reply(in, std::move(reply));
        return;
    }
    const bool keep = to_lower(text) == "same";
    if (!keep) row.set_answer(answer_to(qs, step, text));
    else if (const update_answer* a = row.find(label)) row.set_answer(answer_to(qs, step, a->text));
    set_step(row, qs, next_step(row, qs, step));
    const bool risk = !keep && label == qs.risk;
    finish_or_ask(ctx, in, row, qs, team, std::move(reply), [&] {
        if (risk) on_risk_answer(ctx, row);  // may name another team as a blocker
    });
}

// After the team's questions changed, an update in progress asks what is
// left of them; one with nothing left is complete (saved so), and false.
bool aligned_still_open(handler_context& ctx, weekly_update_row& row, const question_set& qs) {
    const auto before = std::make_pair(row.step, row.status);
    align_with_questions(row, qs);
    if (before == std::make_pair(row.step, row.status)) return row.status == update_status::in_progress;
    row.updated_at = ctx.now();
    ctx.db.save_update(row);
    return row.status == update_status::in_progress;
}

}  // namespace

int answered_count(const weekly_update_row& row) { return static_cast<int>(row.answers.size()); }

int answered_of(const weekly_update_row& row, const question_set& qs) {
    int n = 0;
    for (const auto& q : qs.questions) n += row.find(q.label) ? 1 : 0;
    return n;
}

update_answer answer_to(const question_set& qs, int i, std::string text) {
    const update_question& q = qs.questions.at(static_cast<std::size_t>(i));
    return {q.label, q.text, i, q.label == qs.risk ? "risk" : q.label == qs.focus ? "focus" : "", std::move(text)};
}

void set_step(weekly_update_row& row, const question_set& qs, int step) {
    row.step = step;
    row.asked = step >= 0 && step < qs.size() ? qs.questions[step].label : std::string();
}

int first_unanswered(const weekly_update_row& row, const question_set& qs) {
    for (int i = 0; i < qs.size(); ++i)
        if (!row.find(qs.questions[i].label)) return i;
    return qs.size();
}

int pending_question(const weekly_update_row& row, const question_set& qs) {
    if (row.status == update_status::skipped) return -1;
    // A row written without the label (a test, a migrated complete one): its step says it.
    if (row.asked.empty())
        return row.status == update_status::in_progress && row.step >= 0 && row.step < qs.size() ? row.step : -1;
    return qs.index_of(row.asked);
}

bool awaiting_answer(const weekly_update_row& row) {
    if (row.status == update_status::skipped) return false;
    return row.status == update_status::in_progress || !row.asked.empty();
}

void align_with_questions(weekly_update_row& row, const question_set& qs) {
    if (!awaiting_answer(row)) return;
    const int p = pending_question(row, qs);
    if (p >= 0 && (row.status == update_status::done || !row.find(qs.questions[p].label))) {
        set_step(row, qs, p);
        return;
    }
    if (row.status == update_status::in_progress) {
        set_step(row, qs, first_unanswered(row, qs));
        if (row.step >= qs.size()) row.status = update_status::done;
    } else {
        set_step(row, qs, std::min(row.step, qs.size()));
    }
}

std::vector<std::string> answer_lines(const weekly_update_row& row, const question_set& qs, bool missing) {
    std::vector<std::string> lines;
    for (const auto& q : qs.questions) {
        if (const update_answer* a = row.find(q.label)) lines.push_back(q.label + ": " + a->text);
        else if (missing) lines.push_back(q.label + ": (no answer yet)");
    }
    for (const auto& a : row.answers)
        if (qs.index_of(a.label) < 0) lines.push_back(a.label + ": " + a.text);
    return lines;
}

std::string risk_answer(const weekly_update_row& row, const question_set& qs) {
    if (!qs.risk.empty())
        if (const update_answer* a = row.find(qs.risk)) return a->text;
    return row.text_with_role("risk");
}

std::string focus_answer(const weekly_update_row& row, const question_set& qs) {
    if (!qs.focus.empty())
        if (const update_answer* a = row.find(qs.focus)) return a->text;
    return row.text_with_role("focus");
}

message question_message(const weekly_update_row& row, const question_set& qs) {
    message m;
    const int n = qs.size();
    int step = pending_question(row, qs);
    if (step < 0) step = std::clamp(row.step, 0, n - 1);
    const update_question& q = qs.questions[step];
    m.section("Question " + std::to_string(step + 1) + " of " + std::to_string(n) + ": " + q.text);
    if (const update_answer* a = row.find(q.label))
        m.context("Now: " + in_quotes(a->text) + " \u2014 reply `same` to keep it.");
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

namespace {

// Every writer once, with their home team (the first they are a member of,
// as config::home_team), without copying the member lists and without a
// search per member: the calendars run on every scheduler pass.
template <class Fn>
void for_each_writer(const config& cfg, Fn&& fn) {
    std::unordered_set<std::string_view> seen;
    if (cfg.teams.size() > 1) {
        std::size_t listed = 0;
        for (const auto& team : cfg.teams) listed += team.members.size();
        seen.reserve(listed);
    }
    for (const auto& team : cfg.teams)
        for (const auto& m : team.members)
            if (cfg.teams.size() == 1 || seen.insert(m).second) fn(m, team);
}

// Most members share a zone and a prompt time: each calendar is computed once
// per (zone, time) and each week once per (team, instant) in one pass.
class writer_calendars {
public:
    writer_calendars(const config& cfg, instant from, instant to) : cfg_(cfg), instants_(from, to) {}

    const std::vector<instant>& prompts(const std::string& member, const team_config& team) {
        std::string_view zone = cfg_.own_zone(member);
        if (zone.empty()) zone = team.timezone;
        return instants_.between(cfg_.prompt_of(member), zone);
    }

    // The week a prompt at `t` opens, and when that week's digest is due.
    const std::pair<std::string, instant>& week_of(const team_config& team, instant t) {
        auto key = std::make_pair(&team, t);
        auto it = weeks_.find(key);
        if (it == weeks_.end()) {
            std::string week = open_week(cfg_, team, t);
            const instant digest = digest_instant(cfg_, team, week);
            it = weeks_.emplace(key, std::make_pair(std::move(week), digest)).first;
        }
        return it->second;
    }

private:
    const config& cfg_;
    weekly_calendars instants_;
    std::map<std::pair<const team_config*, instant>, std::pair<std::string, instant>> weeks_;
};

// Whether anyone's prompt can fall in (from, to]: every zone in use against
// every prompt time in use, without a look at any member. Most scheduler
// passes cover a minute in which nobody is prompted; then the passes cost the
// same for 200 people or 100,000.
bool any_prompt_between(const config& cfg, instant from, instant to) {
    std::vector<weekly_time> times{cfg.weekly_update.prompt};
    for (const auto& [id, p] : cfg.personal)
        if (p.prompt) times.push_back(*p.prompt);
    auto order = [](const weekly_time& a, const weekly_time& b) {
        return std::tie(a.weekday, a.hour, a.minute) < std::tie(b.weekday, b.hour, b.minute);
    };
    std::sort(times.begin(), times.end(), order);
    times.erase(std::unique(times.begin(), times.end()), times.end());
    return may_fall_in_any_zone(cfg, times, from, to);
}

}  // namespace

void weekly_prompt_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out) {
    if (!any_prompt_between(cfg, from, to)) return;
    writer_calendars calendars(cfg, from, to);
    for_each_writer(cfg, [&](const std::string& member, const team_config& team) {
        for (instant t : calendars.prompts(member, team)) {
            const auto& [week, digest] = calendars.week_of(team, t);
            out.push_back({"weekly_prompt", member, week, t, digest});
        }
    });
}

void weekly_reminder_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out) {
    const auto delay = std::chrono::duration_cast<std::chrono::seconds>(cfg.weekly_update.reminder_after);
    if (!any_prompt_between(cfg, from - delay, to - delay)) return;
    writer_calendars calendars(cfg, from - delay, to - delay);
    for_each_writer(cfg, [&](const std::string& member, const team_config& team) {
        for (instant prompt : calendars.prompts(member, team)) {
            const auto& [week, digest] = calendars.week_of(team, prompt);
            if (prompt + delay >= digest) continue;  // a reminder after the digest helps nobody
            out.push_back({"weekly_reminder", member, week, prompt + delay, digest});
        }
    });
}

void run_weekly_prompt(handler_context& ctx, const job_occurrence& occ) {
    const team_config* team = ctx.cfg.home_team(occ.target);
    if (!team) return;
    if (away_at(ctx, occ.target, ctx.now())) return;  // time off: the digest lists them as away
    auto row = ctx.db.find_update(occ.target, occ.period);
    if (row && row.value().status != update_status::in_progress) return;  // done early, or skipped
    const question_set& qs = ctx.cfg.questions_for(row ? row->team : team->name, occ.target);
    if (!row) {
        row = new_update(occ.target, occ.period, team->name, ctx.now());
        set_step(*row, qs, 0);
        ctx.db.save_update(*row);
    } else if (!aligned_still_open(ctx, *row, qs)) {
        return;
    }

    message m;
    m.header("Weekly update \u2014 " + team->name + ", week " + occ.period);
    auto last = ctx.db.latest_update_before(occ.target, occ.period);
    const std::string focus = last ? focus_answer(*last, ctx.cfg.questions_for(last->team, last->member)) : "";
    if (!qs.focus.empty() && !focus.empty())
        m.section("Last week you said you would focus on: " + in_quotes(focus));
    m.append(question_message(*row, qs));
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
    const question_set& qs = ctx.cfg.questions_for(row ? row->team : team->name, occ.target);
    if (!row) {
        row = new_update(occ.target, occ.period, team->name, ctx.now());
        set_step(*row, qs, 0);
        ctx.db.save_update(*row);
    } else if (!aligned_still_open(ctx, *row, qs)) {
        return;
    }
    message m;
    m.section("Reminder: your weekly update for week " + occ.period + " is not finished yet (" +
              std::to_string(answered_of(*row, qs)) + " of " + std::to_string(qs.size()) + " answered). The " +
              team->name + " digest goes out " +
              format_local(digest_instant(ctx.cfg, *team, occ.period), ctx.cfg.timezone_of(occ.target)) + ".");
    m.append(question_message(*row, qs));
    m.actions({{"update.start", "Write my update", occ.period}, {"update.skip", "Skip this week", occ.period}});
    ctx.direct(occ.target, std::move(m));
}

bool weekly_answer_pending(handler_context& ctx, const std::string& user) {
    const team_config* team = ctx.cfg.home_team(user);
    if (!team) return false;
    const std::string week = open_week(ctx.cfg, *team, ctx.now());
    if (auto row = ctx.db.find_update(user, week)) return awaiting_answer(*row);
    auto previous = ctx.db.latest_update_before(user, week);
    return previous && previous->week == previous_week_key(week) && awaiting_answer(*previous);
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
        } else if (!awaiting_answer(*row)) {
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
    if (previous && previous->week == previous_week_key(week) && awaiting_answer(*previous)) {
        weekly_update_row next = new_update(in.user, week, team->name, ctx.now());
        const question_set& qs = ctx.cfg.questions_for(team->name, in.user);
        set_step(next, qs, 0);
        const std::string closed = "Your update for week " + previous->week + " closed when its digest was posted";
        // The question asked: its label, or for a row without one, its place.
        const std::string asked = !previous->asked.empty() ? previous->asked
                                  : previous->step == 0    ? qs.questions[0].label
                                                           : std::string();
        if (asked == qs.questions[0].label) {
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
        reply.append(question_message(next, qs));
        ctx.reply(in, std::move(reply));
        return;
    }
    ctx.reply(in, "I am not waiting for an answer from you right now. Type /update to write your weekly update, "
                  "or /ritual help to see what I can do.");
}

}  // namespace ritualbot
