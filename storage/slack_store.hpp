#pragma once
// What the Slack transport keeps beyond the core store: the members' DM channels.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "storage/store.hpp"

namespace ritualbot {

// Members' DM channels with the bot (D… ids), kept across restarts.
void remember_slack_dm_channel(store& db, const std::string& user, const std::string& channel);
std::vector<std::pair<std::string, std::string>> slack_dm_channels(store& db);  // (user, channel)

}  // namespace ritualbot
