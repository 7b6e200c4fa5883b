#pragma once
// A Slack user object (users.list members, users.info, the user of a
// user_change or team_join event) read into what the bot keeps of it. Every
// field is checked: a wrong type counts as absent, never as an exception.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/slack_user_store.hpp"

namespace ritualbot::slack {

// Null when the object has no usable id. `tz` is kept as given (a string, or
// empty for null/absent/not a string); whether the tz database knows it is
// the directory's question. Slackbot (USLACKBOT) counts as a bot.
std::optional<slack_user_row> read_slack_user(const nlohmann::json& user);

// One users.list answer, read as it streams past (nlohmann's SAX interface):
// only `ok`, `error`, each member's id, tz, is_bot, is_app_user and deleted,
// and the next cursor are kept. A real member object is about 1.3 KB, most
// of it the profile, which is scanned but never built into a tree.
struct users_list_page {
    bool object = false;  // the body was one JSON object
    bool ok = false;
    std::string error;  // Slack's code when !ok ("unknown_error" if none)
    std::vector<slack_user_row> users;
    int unreadable = 0;  // members entries without a usable id (or not objects)
    std::string next_cursor;
};
users_list_page read_users_list_page(std::string_view body);

// A person who writes updates: not a bot, not deactivated.
inline bool is_person(const slack_user_row& u) { return !u.is_bot && !u.deleted; }

}  // namespace ritualbot::slack
