#pragma once
// The OKR snapshot of the Friday digest: every live key result of the team's
// current period with its status, and the anti-pattern warnings.
#include <string>

#include "config/config.hpp"
#include "storage/message.hpp"

namespace ritualbot {

class handler_context;

void okr_digest_section(handler_context& ctx, const team_config& team, const std::string& week, message& digest);

}  // namespace ritualbot
