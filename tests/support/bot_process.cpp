#include "tests/support/bot_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string_view>
#include <thread>

extern char** environ;

namespace ritualbot::testing {

int bot_process::wait_exit(std::chrono::milliseconds timeout) {
    int status = 0;
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    kill_now();
    return -1;
}

void bot_process::kill_now() {
    if (pid <= 0) return;
    int status = 0;
    ::kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    pid = -1;
}

std::string bot_process::log() const {
    std::ifstream in(stderr_path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

bot_process start_bot_process(const std::vector<std::string>& args,
                              const std::vector<std::pair<std::string, std::string>>& env,
                              const std::string& stderr_path) {
    // Everything the child needs is built here: after fork() in a process
    // with threads (a fake server's), the child may only make system calls.
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) {
        std::string_view v(*e);
        if (!v.starts_with("SLACK_") && !v.starts_with("MATRIX_") && !v.starts_with("RITUALBOT_FAULT"))
            env_strings.emplace_back(v);
    }
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> arg_strings = args;
    std::vector<char*> argv;
    for (auto& a : arg_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    bot_process p;
    p.stderr_path = stderr_path;
    p.pid = fork();
    if (p.pid == 0) {
        int in = open("/dev/null", O_RDONLY);  // standard input as under systemd
        int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(in, 0);
        dup2(err, 2);
        execve(argv[0], argv.data(), envp.data());
        _exit(127);
    }
    return p;
}

}  // namespace ritualbot::testing
