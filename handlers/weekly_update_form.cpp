#include "handlers/weekly_update_form.hpp"

#include <spdlog/spdlog.h>

#include "handlers/command_line.hpp"
#include "handlers/context.hpp"
#include "handlers/dependency_alerts.hpp"
#include "handlers/week.hpp"
#include "handlers/weekly_update.hpp"
#include "storage/store.hpp"

namespace ritualbot {

std::optional<weekly_update_form> open_weekly_update_form(const config& cfg, store& db, instant now,
                                                          const std::string& user) {
    const team_config* team = cfg.home_team(user);
    if (!team) return std::nullopt;
    weekly_update_form form;
    form.team = team->name;
    form.week = open_week(cfg, *team, now);
    const question_set& qs = cfg.questions_of(*team);
    form.questions = qs.questions;
    form.answers.assign(form.questions.size(), std::string());
    if (auto row = db.find_update(user, form.week))
        for (std::size_t i = 0; i < form.questions.size(); ++i) form.answers[i] = row->text_of(form.questions[i].label);
    return form;
}

form_submission_result submit_weekly_update_form(const config& cfg, store& db, const clock& clk, const incoming& in,
                                                 const std::string& week, const std::vector<std::string>& answers,
                                                 const std::vector<std::string>& labels) {
    form_submission_result result;
    const team_config* team = cfg.home_team(in.user);
    if (!team) {
        result.errors[0] = "You are not a member of a team, so there is no weekly update for you.";
        return result;
    }
    const question_set& qs = cfg.questions_of(*team);
    bool same_questions = labels.empty() || labels.size() == qs.questions.size();
    for (std::size_t i = 0; same_questions && i < labels.size(); ++i)
        same_questions = labels[i] == qs.questions[i].label;
    if (!same_questions || answers.size() != qs.questions.size()) {
        result.errors[0] = "Your team's weekly-update questions changed since this form was opened; nothing was "
                           "saved. Close it and press the button again (or type /update).";
        return result;
    }
    std::vector<std::string> trimmed(answers.size());
    for (int i = 0; i < qs.size(); ++i) {
        trimmed[i] = trim(answers[i]);
        if (trimmed[i].empty()) result.errors[i] = "Please answer this question.";
        else if (trimmed[i].size() > max_answer_length)
            result.errors[i] = "Please keep this under " + std::to_string(max_answer_length) + " characters.";
    }
    const std::string open = open_week(cfg, *team, clk.now());
    if (open != week)
        result.errors[0] = "The digest for week " + week + " has been posted meanwhile; close this form and " +
                           "press the button again (or type /update) to write week " + open + ".";
    if (!result.errors.empty()) return result;

    try {
        auto tx = db.begin();
        if (!in.dedupe_key.empty() && db.event_seen(in.dedupe_key)) {
            result.duplicate = true;
            return result;
        }
        handler_context ctx(cfg, db, clk);
        auto row = db.find_update(in.user, week);
        if (!row) row = new_update(in.user, week, team->name, ctx.now());
        const int risk = qs.index_of(qs.risk);
        const bool risk_changed = risk >= 0 && row->text_of(qs.risk) != trimmed[risk];
        // Answers to questions the team no longer asks stay; the form's replace the rest.
        for (int i = 0; i < qs.size(); ++i) row->set_answer(answer_to(qs, i, trimmed[i]));
        row->status = update_status::done;
        set_step(*row, qs, qs.size());
        row->skip_reason.clear();
        row->updated_at = ctx.now();
        db.save_update(*row);
        if (risk_changed) on_risk_answer(ctx, *row);

        message m;
        m.section("Thanks! Your update for week " + week + " is saved.");
        m.context("It goes into the " + team->name + " digest on " +
                  format_local(digest_instant(cfg, *team, week), cfg.timezone_of(in.user)) +
                  ". Until then /update edit changes it and /update show shows it.");
        ctx.direct(in.user, std::move(m));
        if (!in.dedupe_key.empty()) db.record_event(in.dedupe_key, ctx.now());
        tx->commit();
        result.applied = true;
        result.outbox_ids = ctx.enqueued();
    } catch (const std::exception& e) {
        spdlog::error("saving the weekly update form of {} failed: {}", in.user, e.what());
        result.errors[0] = "Sorry, something went wrong on my side and nothing was saved. Please try again.";
    }
    return result;
}

}  // namespace ritualbot
