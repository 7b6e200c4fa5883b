#pragma once
// What the Slack transport reads beyond the core store: one outbox row by id,
// to carry a slash command's reply in its acknowledgement.
#include <cstdint>
#include <optional>

#include "storage/store.hpp"

namespace ritualbot {

// The row if it exists, is readable and is not sent yet.
std::optional<outbox_row> unsent_outbox_row(store& db, std::int64_t id);

}  // namespace ritualbot
