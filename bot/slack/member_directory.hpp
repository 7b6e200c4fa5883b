#pragma once
// What the bot knows of the Slack workspace's users (loaded from the
// database at start, then users.list, user_change and team_join), and how it
// shows in the config: each person's zone in `learned_zones` (tz database
// names only: an unknown zone is warned about once and the team's zone
// serves), and teams read from a channel without bots and deactivated users.
// Lookups are hash lookups: everything here is linear in the users.
#include <cstddef>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "storage/slack_user_store.hpp"

namespace ritualbot::slack {

class member_directory {
public:
    // True when the user is new or something of it changed.
    bool update(const slack_user_row& u);
    std::size_t size() const { return users_.size(); }
    bool known(const std::string& id) const { return users_.count(id) > 0; }
    // Known as a bot or a deactivated account.
    bool not_a_person(const std::string& id) const;

    // Everything into the config: zones, then the channel teams' members.
    void publish(config& cfg);
    // One user's zone into the config (after an update).
    void publish_zone(config& cfg, const slack_user_row& u);
    // Drops known bots and deactivated users from the teams read from a channel.
    void filter_channel_teams(config& cfg) const;
    // Zone names Slack reported that the local tz database does not know
    // (their users get their team's zone), for /metrics.
    std::size_t unknown_zones() const { return unknown_zones_; }

private:
    // A user as kept: 16 bytes beside the id, the zone one of `zones_`'s
    // names (a few hundred distinct among 100,000 users), not a copy each.
    struct known_user {
        const std::string* zone = nullptr;  // nullptr: none given
        bool is_bot = false;
        bool deleted = false;
        bool operator==(const known_user&) const = default;
    };
    bool valid_zone(const std::string& zone);
    void publish_zone(config& cfg, const std::string& id, const known_user& u);

    std::unordered_map<std::string, known_user> users_;
    std::size_t unknown_zones_ = 0;
    enum class zone_check : unsigned char { unchecked, known, unknown };
    std::unordered_map<std::string, zone_check> zones_;  // every zone name given, checked when published
};

}  // namespace ritualbot::slack
