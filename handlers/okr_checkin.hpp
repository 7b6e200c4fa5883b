#pragma once
// The weekly OKR check-in: each KR owner is asked in a direct message for
// the new value of every key result they own, one at a time.
//
// While a check-in waits for its answers it takes the owner's plain direct
// messages before the weekly update does (the dispatcher asks
// handle_okr_checkin_reply first). It lets a message through to the weekly
// update when that conversation is the more recent one (prompted or resumed
// after the check-in was asked), or when the text is no check-in answer while
// a weekly update is waiting; it closes after [rituals.okr] checkin_open_for.
#include <vector>

#include "handlers/jobs.hpp"

namespace ritualbot {

struct incoming;
class handler_context;

void okr_checkin_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out);
void run_okr_checkin(handler_context& ctx, const job_occurrence& occurrence);

// True when the direct message was a check-in answer (or earned a hint).
bool handle_okr_checkin_reply(handler_context& ctx, const incoming& in);

}  // namespace ritualbot
