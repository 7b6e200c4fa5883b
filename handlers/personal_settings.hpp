#pragma once
// A member's own hours: /ritual settings shows their time zone (and where it
// comes from), prompt time and reminder; /ritual settings tz|prompt|reminder
// changes them within the limits their team allows. A moved prompt takes
// effect at once and never prompts anyone twice in a week.
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace ritualbot {

struct incoming;
struct command_line;
class handler_context;
class store;

// /ritual settings [tz <zone>|default | prompt <Day HH:MM>|default | reminder on|off]; cmd.args[0] is "settings".
void handle_ritual_settings(handler_context& ctx, const incoming& in, const command_line& cmd);

// Copies everyone's settings from the database into cfg.personal: the
// scheduler does so before each pass, so a restart (or a change that rolled
// back) leaves the calendar as the database says.
void load_personal_settings(const config& cfg, store& db);

// Why `when` is not a prompt time `team` allows, or nullopt when it is.
std::optional<std::string> prompt_time_refusal(const config& cfg, const team_config& team, const weekly_time& when);

// "Mon, Tue, Wed, Thu, Fri 08:00-18:00"
std::string allowed_prompt_times(const config& cfg, const team_config& team);

}  // namespace ritualbot
