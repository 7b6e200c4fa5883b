#include "bot/slack/slack_user.hpp"

namespace ritualbot::slack {

std::optional<slack_user_row> read_slack_user(const nlohmann::json& user) {
    if (!user.is_object()) return std::nullopt;
    auto text = [&](const char* key) -> std::string {
        auto it = user.find(key);
        return it != user.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    auto flag = [&](const char* key) {
        auto it = user.find(key);
        return it != user.end() && it->is_boolean() && it->get<bool>();
    };
    slack_user_row u;
    u.id = text("id");
    // Ids are short upper-case tokens ("U0123", "W0123"); anything else is not a user we can address.
    if (u.id.empty() || u.id.size() > 32) return std::nullopt;
    for (char c : u.id)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return std::nullopt;
    u.timezone = text("tz");
    if (u.timezone.size() > 64) u.timezone.clear();  // no zone name is that long
    u.is_bot = flag("is_bot") || flag("is_app_user") || u.id == "USLACKBOT";
    u.deleted = flag("deleted");
    return u;
}

}  // namespace ritualbot::slack
