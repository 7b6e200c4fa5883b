#pragma once
// The Friday digest: participation, each person's answers, every risk raised
// and next week's focus, posted to the team channel.
#include <string>
#include <vector>

#include "handlers/jobs.hpp"
#include "storage/message.hpp"
#include "storage/store.hpp"

namespace ritualbot {

class handler_context;

// Other rituals add their part of the digest (OKR snapshot, EOWD agenda,
// dependency risks) through this table in digest.cpp, one line each.
using digest_section = void (*)(handler_context& ctx, const team_config& team, const std::string& week,
                                message& digest);

// Who answered a team's weekly update of `week`, and what they said.
struct week_summary {
    std::size_t answered = 0;           // finished (not skipped)
    std::size_t total = 0;              // members
    std::vector<std::string> skipped;   // "bob (on holiday)"
    std::vector<std::string> missing;   // "carol (2 of 4 answered)"
    std::vector<std::string> away;      // "dave (away until 2026-12-24 (inclusive): parental leave)"
    std::vector<std::pair<std::string, weekly_update_row>> written;  // member and update, finished or not
    std::vector<std::string> risks;     // "alice: the vendor is late", real risks only
    std::vector<std::string> focus;     // "alice: ship the parser"
};
week_summary summarize_week(handler_context& ctx, const team_config& team, const std::string& week);

message build_digest(handler_context& ctx, const team_config& team, const std::string& week);

void digest_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
void run_digest(handler_context& ctx, const job_occurrence& occurrence);

// "none", "nothing", "n/a", "-" ... say there is no risk.
bool is_no_risk(const std::string& answer);

}  // namespace ritualbot
