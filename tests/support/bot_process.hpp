#pragma once
// The real binary as a child process, for tests that stop it (SIGTERM) or
// kill it (SIGKILL) and start it again on the same database.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace ritualbot::testing {

struct bot_process {
    pid_t pid = -1;
    std::string stderr_path;

    // The exit code, 128 + signal when killed, -1 when it had to be killed after `timeout`.
    int wait_exit(std::chrono::milliseconds timeout);
    void kill_now();  // SIGKILL and reap
    std::string log() const;
};

// Runs `args` (args[0] is the binary) with standard input from /dev/null and
// standard error to `stderr_path` (appended). The child's environment is ours
// without SLACK_*, MATRIX_* and RITUALBOT_FAULT, plus `env`.
bot_process start_bot_process(const std::vector<std::string>& args,
                              const std::vector<std::pair<std::string, std::string>>& env,
                              const std::string& stderr_path);

}  // namespace ritualbot::testing
