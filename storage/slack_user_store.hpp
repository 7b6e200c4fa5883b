#pragma once
// The Slack workspace's users as the bot last heard of them (users.list,
// user_change, team_join): zone, bot, deactivated. It shares the core store's
// connection; a page of users is written in one transaction.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bot/clock.hpp"

namespace ritualbot {

class store;

struct slack_user_row {
    std::string id;
    std::string timezone;  // as Slack gave it (validated by the reader); empty: none
    bool is_bot = false;
    bool deleted = false;

    bool operator==(const slack_user_row&) const = default;
};

class slack_user_store {
public:
    explicit slack_user_store(store& db) : db_(db) {}

    // Every stored user, in id order.
    std::vector<slack_user_row> all();
    // The same, one row at a time: 20,000 users at start are not 2 MB at once.
    void for_each(const std::function<void(const slack_user_row&)>& fn);
    // Inserts or replaces these users, in one transaction.
    void save(const std::vector<slack_user_row>& users, instant at);
    int count();
    // When users.list was last read to its end.
    std::optional<instant> listed_at();
    void set_listed_at(instant at);

private:
    store& db_;
};

}  // namespace ritualbot
