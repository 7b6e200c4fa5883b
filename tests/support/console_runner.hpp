#pragma once
// Runs the real `ritualbot` binary with a script on standard input and
// returns what it printed, for end-to-end tests.
#include <string>
#include <vector>

namespace ritualbot::testing {

struct console_run {
    int exit_code = -1;
    std::string out;  // standard output: only the bot's messages
    std::string err;  // standard error: the logs

    // The text of every message printed under `where` (">>> @alice" -> "@alice").
    std::vector<std::string> messages_to(const std::string& where) const;
    std::size_t count(const std::string& needle) const;  // occurrences in out
};

// A fresh directory under the build tree for one test's files.
std::string temp_dir(const std::string& name);

// Writes `toml` to dir/config.toml and `script` to dir/script.txt, then runs
// `ritualbot run --config ... --database dir/bot.db [extra args]` with the
// script as standard input.
console_run run_console(const std::string& dir, const std::string& toml, const std::string& script,
                        const std::string& extra_args = "");

console_run run_command(const std::string& args_and_redirections);  // ritualbot + args, via sh
// Another binary (ritualbot_faulty) with environment assignments before it
// ("RITUALBOT_FAULT=job.after_commit:1"); a SIGKILLed run has exit code 137.
console_run run_binary(const std::string& binary, const std::string& env, const std::string& args_and_redirections);
std::string shell_quote(const std::string& s);

}  // namespace ritualbot::testing
