#pragma once
// The manager roll-up: a manager of two or more teams gets one direct
// message a week, once the last of their teams' digests is posted, with each
// team's participation, who is missing and the risks raised.
#include <vector>

#include "handlers/jobs.hpp"

namespace ritualbot {

class handler_context;

// "manager_rollup": one per manager of several teams and week.
void manager_rollup_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
void run_manager_rollup(handler_context& ctx, const job_occurrence& occurrence);

}  // namespace ritualbot
