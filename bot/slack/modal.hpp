#pragma once
// The modals (views.open) and reading their view_submission: the weekly
// update, and the EOWD sign-up behind the invitation's "Sign up" button.
#include <vector>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "handlers/weekly_update_form.hpp"

namespace ritualbot::slack {

inline constexpr const char* weekly_update_callback_id = "weekly_update";

nlohmann::json weekly_update_view(const weekly_update_form& form);

// The block_id of question i's input ("q0" .. "q7"), where errors are shown.
std::string answer_block_id(int question);

struct weekly_update_submission {
    std::string week;                 // from private_metadata: the week, then one line per question's label
    std::vector<std::string> labels;  // the questions the form showed (empty from a form without them)
    std::vector<std::string> answers; // by question
};

// From a view_submission payload's `view`; empty when it is not our form.
std::optional<weekly_update_submission> read_weekly_update_submission(const nlohmann::json& view);

inline constexpr const char* eowd_signup_callback_id = "eowd_signup";

// The sign-up form for one team's EOWD: topic, kind (eowd_kinds()), input wanted.
nlohmann::json eowd_signup_view(const std::string& team, const std::string& week);

struct eowd_signup_submission {
    std::string team;  // from private_metadata
    std::string topic;
    std::string kind;  // empty when not chosen
    std::string input_wanted;
};

// From a view_submission payload's `view`; empty when it is not the EOWD form.
std::optional<eowd_signup_submission> read_eowd_signup_submission(const nlohmann::json& view);

}  // namespace ritualbot::slack
