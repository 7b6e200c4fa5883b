#pragma once
// The weekly-update modal (views.open) and reading its view_submission.
#include <array>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "handlers/weekly_update_form.hpp"

namespace ritualbot::slack {

inline constexpr const char* weekly_update_callback_id = "weekly_update";

nlohmann::json weekly_update_view(const weekly_update_form& form);

// The block_id of question i's input ("q0" .. "q3"), where errors are shown.
std::string answer_block_id(int question);

struct weekly_update_submission {
    std::string week;  // from private_metadata
    std::array<std::string, 4> answers;
};

// From a view_submission payload's `view`; empty when it is not our form.
std::optional<weekly_update_submission> read_weekly_update_submission(const nlohmann::json& view);

}  // namespace ritualbot::slack
