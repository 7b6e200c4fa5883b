#pragma once
// The table of scheduled rituals. Each job kind says when it is due (pure
// calendar maths over the config) and what it does when run; the scheduler
// in bot/ runs each occurrence once, in its own transaction.
#include <string>
#include <string_view>
#include <vector>

#include "bot/clock.hpp"
#include "config/config.hpp"

namespace ritualbot {

class handler_context;

struct job_occurrence {
    std::string kind;    // "weekly_prompt"
    std::string target;  // a member id or a team name
    std::string period;  // "2026-W47"
    instant due{};
    instant window_end{};  // a run missed while the bot was down still happens before this
};

struct job_definition {
    std::string_view kind;
    // Appends every occurrence with from < due <= to.
    void (*occurrences)(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
    void (*run)(handler_context& ctx, const job_occurrence& occurrence);
};

const std::vector<job_definition>& job_table();

}  // namespace ritualbot
