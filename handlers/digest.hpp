#pragma once
// The Friday digest: participation, each person's answers, every risk raised
// and next week's focus, posted to the team channel.
#include <string>
#include <vector>

#include "handlers/jobs.hpp"
#include "handlers/message.hpp"

namespace ritualbot {

class handler_context;

// Other rituals add their part of the digest (OKR snapshot, EOWD agenda,
// dependency risks) through this table in digest.cpp, one line each.
using digest_section = void (*)(handler_context& ctx, const team_config& team, const std::string& week,
                                message& digest);

message build_digest(handler_context& ctx, const team_config& team, const std::string& week);

void digest_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
void run_digest(handler_context& ctx, const job_occurrence& occurrence);

// "none", "nothing", "n/a", "-" ... say there is no risk.
bool is_no_risk(const std::string& answer);

}  // namespace ritualbot
