#include "bot/slack/modal.hpp"

#include "bot/slack/envelope.hpp"
#include "handlers/weekly_update.hpp"

namespace ritualbot::slack {

using json = nlohmann::json;

std::string answer_block_id(int question) { return "q" + std::to_string(question); }

json weekly_update_view(const weekly_update_form& form) {
    json blocks = json::array();
    blocks.push_back({{"type", "context"},
                      {"elements", json::array({{{"type", "plain_text"},
                                                 {"text", "Team " + form.team + ", week " + form.week},
                                                 {"emoji", true}}})}});
    for (int i = 0; i < 4; ++i) {
        json element{{"type", "plain_text_input"},
                     {"action_id", "answer"},
                     {"multiline", true},
                     {"max_length", 3000}};
        // Slack caps initial_value like the input; a longer answer typed in a DM is cut here.
        if (!form.answers[i].empty()) element["initial_value"] = form.answers[i].substr(0, 3000);
        blocks.push_back({{"type", "input"},
                          {"block_id", answer_block_id(i)},
                          {"label", {{"type", "plain_text"}, {"text", weekly_questions[i]}}},
                          {"element", std::move(element)}});
    }
    return json{{"type", "modal"},
                {"callback_id", weekly_update_callback_id},
                {"private_metadata", form.week},
                {"title", {{"type", "plain_text"}, {"text", "Weekly update"}}},
                {"submit", {{"type", "plain_text"}, {"text", "Save"}}},
                {"close", {{"type", "plain_text"}, {"text", "Cancel"}}},
                {"blocks", std::move(blocks)}};
}

std::optional<weekly_update_submission> read_weekly_update_submission(const json& view) {
    if (string_field(view, "callback_id") != weekly_update_callback_id) return std::nullopt;
    weekly_update_submission s;
    s.week = string_field(view, "private_metadata");
    const json& values = object_field(object_field(view, "state"), "values");
    for (int i = 0; i < 4; ++i)
        s.answers[i] = string_field(object_field(object_field(values, answer_block_id(i)), "answer"), "value");
    return s;
}

}  // namespace ritualbot::slack
