#pragma once
// [storage] keep_weeks: a daily job (03:30 UTC) deletes what is older than
// that many weeks (storage/retention.cpp says what) and logs what it removed.
#include <vector>

#include "handlers/jobs.hpp"

namespace ritualbot {

void data_retention_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
void run_data_retention(handler_context& ctx, const job_occurrence& occurrence);

}  // namespace ritualbot
