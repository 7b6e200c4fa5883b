#include "bot/slack/modal.hpp"

#include "bot/slack/envelope.hpp"
#include "handlers/eowd.hpp"
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
    // The labels ride along, so a submission after the team's questions changed is noticed.
    std::string metadata = form.week;
    for (std::size_t i = 0; i < form.questions.size(); ++i) {
        metadata += "\n" + form.questions[i].label;
        json element{{"type", "plain_text_input"},
                     {"action_id", "answer"},
                     {"multiline", true},
                     {"max_length", 3000}};
        // Slack caps initial_value like the input; a longer answer typed in a DM is cut here.
        if (i < form.answers.size() && !form.answers[i].empty())
            element["initial_value"] = form.answers[i].substr(0, 3000);
        blocks.push_back({{"type", "input"},
                          {"block_id", answer_block_id(static_cast<int>(i))},
                          {"label", {{"type", "plain_text"}, {"text", form.questions[i].text}}},
                          {"element", std::move(element)}});
    }
    return json{{"type", "modal"},
                {"callback_id", weekly_update_callback_id},
                {"private_metadata", metadata},
                {"title", {{"type", "plain_text"}, {"text", "Weekly update"}}},
                {"submit", {{"type", "plain_text"}, {"text", "Save"}}},
                {"close", {{"type", "plain_text"}, {"text", "Cancel"}}},
                {"blocks", std::move(blocks)}};
}

std::optional<weekly_update_submission> read_weekly_update_submission(const json& view) {
    if (string_field(view, "callback_id") != weekly_update_callback_id) return std::nullopt;
    weekly_update_submission s;
    const std::string metadata = string_field(view, "private_metadata");
    std::size_t line_end = metadata.find('\n');
    s.week = metadata.substr(0, line_end);
    while (line_end != std::string::npos && s.labels.size() < question_set::max_questions) {
        const std::size_t next = metadata.find('\n', line_end + 1);
        s.labels.push_back(metadata.substr(line_end + 1, next == std::string::npos ? next : next - line_end - 1));
        line_end = next;
    }
    const json& values = object_field(object_field(view, "state"), "values");
    // A form from before the labels rode along has the four questions of the template.
    const std::size_t count = s.labels.empty() ? 4 : s.labels.size();
    for (std::size_t i = 0; i < count; ++i)
        s.answers.push_back(
            string_field(object_field(object_field(values, answer_block_id(static_cast<int>(i))), "answer"), "value"));
    return s;
}

namespace {

json plain(const std::string& text) { return {{"type", "plain_text"}, {"text", text}, {"emoji", true}}; }

json text_input(bool multiline, std::size_t max_length, const std::string& placeholder) {
    return {{"type", "plain_text_input"},
            {"action_id", "value"},
            {"multiline", multiline},
            {"max_length", max_length},
            {"placeholder", plain(placeholder)}};
}

}  // namespace

json eowd_signup_view(const std::string& team, const std::string& week) {
    json options = json::array();
    for (const auto& kind : eowd_kinds()) options.push_back({{"text", plain(kind)}, {"value", kind}});
    json blocks = json::array();
    blocks.push_back({{"type", "context"}, {"elements", json::array({plain("Team " + team + ", week " + week)})}});
    blocks.push_back({{"type", "input"},
                      {"block_id", "topic"},
                      {"label", plain("What will you present?")},
                      {"element", text_input(false, eowd_max_topic_length, "New ranking model")}});
    blocks.push_back({{"type", "input"},
                      {"block_id", "kind"},
                      {"optional", true},
                      {"label", plain("What is it?")},
                      {"element", {{"type", "static_select"},
                                   {"action_id", "value"},
                                   {"placeholder", plain("notebook, pull request, document, ...")},
                                   {"options", std::move(options)}}}});
    blocks.push_back({{"type", "input"},
                      {"block_id", "input"},
                      {"optional", true},
                      {"label", plain("What input do you want from the team?")},
                      {"element", text_input(true, eowd_max_input_length, "Is the offline evaluation sound?")}});
    return json{{"type", "modal"},
                {"callback_id", eowd_signup_callback_id},
                {"private_metadata", team},
                {"title", plain("EOWD sign-up")},
                {"submit", plain("Sign up")},
                {"close", plain("Cancel")},
                {"blocks", std::move(blocks)}};
}

std::optional<eowd_signup_submission> read_eowd_signup_submission(const json& view) {
    if (string_field(view, "callback_id") != eowd_signup_callback_id) return std::nullopt;
    eowd_signup_submission s;
    s.team = string_field(view, "private_metadata");
    const json& values = object_field(object_field(view, "state"), "values");
    auto field = [&](const char* block) -> const json& { return object_field(object_field(values, block), "value"); };
    s.topic = string_field(field("topic"), "value");
    s.input_wanted = string_field(field("input"), "value");
    s.kind = string_field(object_field(field("kind"), "selected_option"), "value");
    return s;
}

}  // namespace ritualbot::slack
