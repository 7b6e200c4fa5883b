#pragma once
// The weekly update as one form (a Slack modal): all of the team's questions at once.
// Opening reads the member's current answers to pre-fill it; submitting
// validates and saves them in one transaction with the dedupe key and the
// confirmation, like the dispatcher does for a message.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/clock.hpp"
#include "config/config.hpp"
#include "handlers/incoming.hpp"

namespace ritualbot {

class store;

struct weekly_update_form {
    std::string week;
    std::string team;
    std::vector<update_question> questions;  // the team's, in order
    std::vector<std::string> answers;        // one per question ("" when not answered)
};

// Empty when the user writes no weekly update (not a member of any team).
std::optional<weekly_update_form> open_weekly_update_form(const config& cfg, store& db, instant now,
                                                          const std::string& user);

struct form_submission_result {
    bool applied = false;
    bool duplicate = false;
    std::map<int, std::string> errors;     // question index -> what is wrong; nothing saved then
    std::vector<std::int64_t> outbox_ids;  // the confirmation, committed
};

// `in` carries the user, the platform and the dedupe key; its text is unused.
// `answers` are by question; `labels`, when given, are the labels of the
// questions the form showed: if the team's questions changed since it was
// opened, nothing is saved and the member is asked to open it again.
form_submission_result submit_weekly_update_form(const config& cfg, store& db, const clock& clk, const incoming& in,
                                                 const std::string& week, const std::vector<std::string>& answers,
                                                 const std::vector<std::string>& labels = {});

}  // namespace ritualbot
