#pragma once
// The real binary as a child process that stays up while a test talks to it:
// console lines go to its standard input, its messages are read from its
// standard output as they come (bot_process has standard input closed).
#include <chrono>
#include <string>
#include <vector>

#include "tests/support/bot_process.hpp"

namespace ritualbot::testing {

class console_process {
public:
    // `args` as for start_bot_process (args[0] is the binary).
    console_process(const std::vector<std::string>& args, const std::string& stderr_path);
    ~console_process();  // closes standard input, waits a little, then kills
    console_process(const console_process&) = delete;
    console_process& operator=(const console_process&) = delete;

    void send(const std::string& line);  // one line; '\n' is added
    // Reads standard output until it holds `needle` (after what earlier calls
    // consumed); returns everything read up to the end of that line, or what
    // was read so far when `timeout` passes first (the caller checks).
    std::string read_until(const std::string& needle, std::chrono::milliseconds timeout);
    std::string log() const { return process_.log(); }
    // Closes standard input and returns the exit code (see bot_process::wait_exit).
    int finish(std::chrono::milliseconds timeout);

private:
    bot_process process_;
    int input_ = -1;
    int output_ = -1;
    int exit_code_ = -1;
    std::string pending_;  // read but not yet returned
};

}  // namespace ritualbot::testing
