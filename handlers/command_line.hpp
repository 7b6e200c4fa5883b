#pragma once
// Splits "/update skip on holiday" into a command word and arguments.
// Commands start with '/' (Slack, console) or '!' (Matrix habit); double
// quotes group words: /okr add "Ship the beta".
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ritualbot {

// Parsing is linear in the text, in time and memory: a hostile 40,000-word
// command costs its own size, not its square.
struct command_line {
    std::string name;                 // "update", lower-case
    std::vector<std::string> args;    // unquoted words
    std::string error;                // set when quoting is broken
    std::string text;                 // the trimmed command as typed
    std::vector<std::size_t> starts;  // starts[i]: where args[i] begins in text

    // The raw text from argument i on ("" when there is none).
    std::string rest(std::size_t i) const { return i < starts.size() ? text.substr(starts[i]) : std::string(); }
    std::string arg(std::size_t i) const { return i < args.size() ? args[i] : std::string(); }
};

bool looks_like_command(std::string_view text);
std::optional<command_line> parse_command_line(std::string_view text);

std::string trim(std::string_view s);
std::string to_lower(std::string_view s);

}  // namespace ritualbot
