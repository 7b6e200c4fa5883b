#pragma once
// The weekly update: the prompt and reminder jobs, and the conversation in
// which a member answers the four questions one message at a time.
#include <string>
#include <vector>

#include "handlers/jobs.hpp"
#include "storage/store.hpp"

namespace ritualbot {

struct incoming;
class handler_context;

inline constexpr std::size_t max_answer_length = 4000;

void weekly_prompt_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
void run_weekly_prompt(handler_context& ctx, const job_occurrence& occurrence);
void weekly_reminder_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
void run_weekly_reminder(handler_context& ctx, const job_occurrence& occurrence);

// A direct message that is not a command: the answer to the pending question.
// `note` (optional) goes before the reply, e.g. why a text was taken as an answer.
void handle_weekly_answer(handler_context& ctx, const incoming& in, const std::string& note = {});
// Whether a plain direct message from `user` would now be taken as an answer.
bool weekly_answer_pending(handler_context& ctx, const std::string& user);

// Shared with /update. Each takes the questions of the update's team
// (config::questions_for), which may have changed since the update began.
int answered_count(const weekly_update_row& row);  // answers given, to any question
int answered_of(const weekly_update_row& row, const question_set& qs);  // of these questions
message question_message(const weekly_update_row& row, const question_set& qs);  // asks the pending question
weekly_update_row new_update(const std::string& member, const std::string& week, const std::string& team,
                             instant now);
// The answer `text` to question i of qs, with what it answered.
update_answer answer_to(const question_set& qs, int i, std::string text);
// Sets the question to ask next (qs.size(): none) and remembers its label.
void set_step(weekly_update_row& row, const question_set& qs, int step);
int first_unanswered(const weekly_update_row& row, const question_set& qs);  // qs.size() when none
// The question of qs the next plain message answers, -1 when none (nothing
// pending, or the question asked is no longer one of the team's).
int pending_question(const weekly_update_row& row, const question_set& qs);
// Whether the member is in the middle of the update (a first pass or an edit).
bool awaiting_answer(const weekly_update_row& row);
// Brings an open update in line with the team's questions after they changed:
// the pending question is the one asked if it is still there, else the first
// unanswered one; an update with every question answered is complete.
void align_with_questions(weekly_update_row& row, const question_set& qs);
// "Goal: text" lines in the team's question order, then answers to questions it
// no longer asks under their own labels; with `missing`, "(no answer yet)" for
// the questions not answered. Texts as given: callers clean them for others' eyes.
std::vector<std::string> answer_lines(const weekly_update_row& row, const question_set& qs, bool missing);
// The risk answer and the focus answer: by the question the team names now,
// else by the role the answer had when it was given.
std::string risk_answer(const weekly_update_row& row, const question_set& qs);
std::string focus_answer(const weekly_update_row& row, const question_set& qs);

}  // namespace ritualbot
