#pragma once
// ISO week keys ("2026-W47") and their arithmetic: no zone, no config. The
// weekly updates are stored by week key, and the store keeps each member's
// answer streak from one week to the next, so this lives at storage's level.
#include <date/date.h>

#include <string>
#include <string_view>

namespace ritualbot {

bool valid_week_key(std::string_view week);
std::string next_week_key(const std::string& week);
std::string previous_week_key(const std::string& week);

// The key of the ISO week holding `day`, and the Monday of a week (throws
// std::invalid_argument on a malformed key).
std::string week_key_of(date::sys_days day);
date::sys_days monday_of(const std::string& week);

}  // namespace ritualbot
