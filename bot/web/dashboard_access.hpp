#pragma once
// Who may open the dashboard: makes a person's link (the [web] public_url,
// a signed token, expiring after [web] link_hours) and tells whose a token
// is, if it is still good: signed with our key, not expired, made under the
// current revocation generations (`ritualbot dashboard revoke`).
#include <optional>
#include <string>
#include <string_view>

#include "bot/clock.hpp"
#include "config/config.hpp"

namespace ritualbot {
class store;
}

namespace ritualbot::web {

class dashboard_access {
public:
    // The key: RITUALBOT_WEB_SECRET when set (at least 32 characters), else
    // the one in the database, made at first start. Throws when the
    // environment's is too short.
    dashboard_access(store& db, web_config cfg);

    // "https://ritual.example.org/d/<token>/"
    std::string link_for(const std::string& user, instant now);
    // The holder of a good token; nullopt for anything else, whatever the reason.
    std::optional<std::string> holder(std::string_view token, instant now);

private:
    store& db_;
    web_config cfg_;
    std::string key_;
};

}  // namespace ritualbot::web
