#pragma once
// What the Slack transport keeps beyond the core store: the members' DM channels.
#include <functional>
#include <string>

#include "storage/store.hpp"

namespace ritualbot {

// Members' DM channels with the bot (D… ids), kept across restarts.
void remember_slack_dm_channel(store& db, const std::string& user, const std::string& channel);
// Every stored one, a row at a time (20,000 of them are not 1.3 MB at once).
void for_each_slack_dm_channel(store& db, const std::function<void(const std::string& user, std::string channel)>& fn);

}  // namespace ritualbot
