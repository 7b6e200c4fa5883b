#include "tests/support/console_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <stdexcept>
#include <string_view>

extern char** environ;

namespace ritualbot::testing {

console_process::console_process(const std::vector<std::string>& args, const std::string& stderr_path) {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    // The environment of bot_process: ours without the platforms' secrets and the bot's own settings.
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) {
        std::string_view v(*e);
        if (!v.starts_with("SLACK_") && !v.starts_with("MATRIX_") && !v.starts_with("RITUALBOT_"))
            env_strings.emplace_back(v);
    }
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> arg_strings = args;
    std::vector<char*> argv;
    for (auto& a : arg_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    process_.stderr_path = stderr_path;
    process_.pid = fork();
    if (process_.pid == 0) {
        int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err, 2);
        execve(argv[0], argv.data(), envp.data());
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    input_ = in[1];
    output_ = out[0];
}

console_process::~console_process() {
    if (process_.pid > 0) finish(std::chrono::seconds(5));
    if (output_ >= 0) close(output_);
}

void console_process::send(const std::string& line) {
    const std::string data = line + "\n";
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = write(input_, data.data() + done, data.size() - done);
        if (n <= 0) throw std::runtime_error("the bot's standard input is closed");
        done += static_cast<std::size_t>(n);
    }
}

std::string console_process::read_until(const std::string& needle, std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (auto at = pending_.find(needle); at != std::string::npos) {
            auto eol = pending_.find('\n', at + needle.size());
            if (eol != std::string::npos) {
                std::string out = pending_.substr(0, eol + 1);
                pending_.erase(0, eol + 1);
                return out;
            }
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
        if (left.count() <= 0) return pending_;
        pollfd p{output_, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        char buf[4096];
        const ssize_t n = read(output_, buf, sizeof buf);
        if (n <= 0) return pending_;  // the bot ended
        pending_.append(buf, static_cast<std::size_t>(n));
    }
}

int console_process::finish(std::chrono::milliseconds timeout) {
    if (input_ >= 0) {
        close(input_);
        input_ = -1;
    }
    // Drain what it still prints, so it never blocks on a full pipe.
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        pollfd p{output_, POLLIN, 0};
        if (poll(&p, 1, 50) > 0) {
            char buf[4096];
            if (read(output_, buf, sizeof buf) <= 0) break;
        }
    }
    if (process_.pid <= 0) return exit_code_;
    exit_code_ = process_.wait_exit(std::chrono::seconds(5));
    process_.pid = -1;
    return exit_code_;
}

}  // namespace ritualbot::testing
