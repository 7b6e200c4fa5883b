#pragma once
// What the Slack transport reads beyond the core store: one outbox row by id,
// to carry a slash command's reply in its acknowledgement.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/store.hpp"

namespace ritualbot {

// The row if it exists, is readable and is not sent yet.
std::optional<outbox_row> unsent_outbox_row(store& db, std::int64_t id);

// Members' DM channels with the bot (D… ids), kept across restarts.
void remember_slack_dm_channel(store& db, const std::string& user, const std::string& channel);
std::vector<std::pair<std::string, std::string>> slack_dm_channels(store& db);  // (user, channel)

}  // namespace ritualbot
