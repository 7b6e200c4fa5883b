#pragma once
// A Slack user object (users.list members, users.info, the user of a
// user_change or team_join event) read into what the bot keeps of it. Every
// field is checked: a wrong type counts as absent, never as an exception.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "storage/slack_user_store.hpp"

namespace ritualbot::slack {

// Null when the object has no usable id. `tz` is kept as given (a string, or
// empty for null/absent/not a string); whether the tz database knows it is
// the directory's question. Slackbot (USLACKBOT) counts as a bot.
std::optional<slack_user_row> read_slack_user(const nlohmann::json& user);

// A person who writes updates: not a bot, not deactivated.
inline bool is_person(const slack_user_row& u) { return !u.is_bot && !u.deleted; }

}  // namespace ritualbot::slack
