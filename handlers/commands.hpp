#pragma once
// The command handlers the dispatcher routes to, one file each.
#include "handlers/command_line.hpp"
#include "handlers/context.hpp"

namespace ritualbot {

void handle_update_command(handler_context& ctx, const incoming& in, const command_line& cmd);
void handle_dep_command(handler_context& ctx, const incoming& in, const command_line& cmd);
void handle_ritual_command(handler_context& ctx, const incoming& in, const command_line& cmd);
void handle_okr_command(handler_context& ctx, const incoming& in, const command_line& cmd);
void handle_eowd_command(handler_context& ctx, const incoming& in, const command_line& cmd);
void handle_learn_command(handler_context& ctx, const incoming& in, const command_line& cmd);

// The team a command is about: the channel it was typed in, else the asker's
// home team, else the first team they manage. Null when there is none.
const team_config* team_in_context(const handler_context& ctx, const incoming& in);

}  // namespace ritualbot
