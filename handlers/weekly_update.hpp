#pragma once
// The weekly update: the prompt and reminder jobs, and the conversation in
// which a member answers the four questions one message at a time.
#include <array>
#include <string>
#include <vector>

#include "handlers/jobs.hpp"
#include "storage/store.hpp"

namespace ritualbot {

struct incoming;
class handler_context;

inline constexpr std::array<const char*, 4> weekly_questions{
    "What goal did I work toward?",
    "What changed because of my work?",
    "What is at risk?",
    "What will I focus on next?",
};
inline constexpr std::array<const char*, 4> answer_labels{"Goal", "Changed", "At risk", "Next"};
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

// Shared with /update.
int answered_count(const weekly_update_row& row);
message question_message(const weekly_update_row& row);  // asks row.step
weekly_update_row new_update(const std::string& member, const std::string& week, const std::string& team,
                             instant now);

// Members who write weekly updates: everyone listed in some team's members,
// once each, with the team their update belongs to.
std::vector<std::pair<std::string, const team_config*>> update_writers(const config& cfg);

}  // namespace ritualbot
