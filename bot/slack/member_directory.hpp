#pragma once
// What the bot knows of the Slack workspace's users (loaded from the
// database at start, then users.list, user_change and team_join), and how it
// shows in the config: each person's zone in `learned_zones` (tz database
// names only: an unknown zone is warned about once and the team's zone
// serves), and teams read from a channel without bots and deactivated users.
// Lookups are O(1) or O(log n) (learned_zones is an id_map, config/id_map.hpp):
// everything here is linear in the users.
//
// One entry per user in all: the people with a usable zone are the config's
// `learned_zones` itself; the directory keeps only the others (bots,
// deactivated accounts, people without a zone or with one the tz database
// does not know). At 20,000 users a second map of everyone was 1.4 MB of
// the bot's peak memory (bench/README.md, "Eighth session").
#include <cstddef>
#include <string>
#include <unordered_map>

#include "config/config.hpp"
#include "storage/slack_user_store.hpp"

namespace ritualbot::slack {

class member_directory {
public:
    // The directory writes `cfg`'s learned_zones, and reads them back as its own.
    explicit member_directory(config& cfg) : cfg_(cfg) {}

    // Takes what Slack says of a user, its zone into the config at once.
    // True when the user is new or something of it changed.
    bool update(const slack_user_row& u);
    std::size_t size() const { return cfg_.learned_zones.size() + others_.size(); }
    // Before loading about n stored users, in id order: they go into place, no merges.
    void reserve(std::size_t n) { cfg_.learned_zones.reserve(n); }
    bool known(const std::string& id) const { return cfg_.learned_zones.count(id) > 0 || others_.count(id) > 0; }
    // Known as a bot or a deactivated account.
    bool not_a_person(const std::string& id) const;

    // Drops known bots and deactivated users from the teams read from a channel.
    void filter_channel_teams() const;
    // Zone names Slack reported that the local tz database does not know
    // (their users get their team's zone), for /metrics.
    std::size_t unknown_zones() const { return unknown_zones_; }

private:
    // A user who is not in learned_zones: 16 bytes beside the id, the zone
    // one of `zones_`'s names (a few hundred distinct among 100,000 users).
    struct other_user {
        const std::string* zone = nullptr;  // nullptr: none given
        bool is_bot = false;
        bool deleted = false;
        bool operator==(const other_user&) const = default;
    };
    bool valid_zone(const std::string& zone);

    config& cfg_;
    std::unordered_map<std::string, other_user> others_;
    std::size_t unknown_zones_ = 0;
    enum class zone_check : unsigned char { unchecked, known, unknown };
    std::unordered_map<std::string, zone_check> zones_;  // every zone name given, checked when first seen
};

}  // namespace ritualbot::slack
