#pragma once
// Named points in the code where a crash test may kill the process, to hit
// exactly the instants that matter for exactly-once delivery ("after the
// commit, before the ack", "after the post, before it is marked sent").
// The production binary links bot/fault_none.cpp (does nothing); the crash
// tests' binary `ritualbot_faulty` links tests/fault/fault_kill.cpp, which
// SIGKILLs itself at the N-th pass through the point named in
// RITUALBOT_FAULT (e.g. "slack.after_post:17").
namespace ritualbot {

void fault_point(const char* name);

}  // namespace ritualbot
