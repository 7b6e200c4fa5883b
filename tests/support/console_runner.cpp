#include "tests/support/console_runner.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ritualbot::testing {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::vector<std::string> console_run::messages_to(const std::string& where) const {
    std::vector<std::string> out;
    std::istringstream in(this->out);
    std::string line, current;
    bool inside = false;
    auto finish = [&] {
        if (inside) {
            if (!current.empty() && current.back() == '\n') current.pop_back();
            out.push_back(current);
        }
        current.clear();
    };
    while (std::getline(in, line)) {
        if (line.rfind(">>> ", 0) == 0) {
            finish();
            inside = line.substr(4) == where;
            continue;
        }
        if (inside) current += line + "\n";
    }
    finish();
    return out;
}

std::size_t console_run::count(const std::string& needle) const {
    std::size_t n = 0;
    for (auto pos = out.find(needle); pos != std::string::npos; pos = out.find(needle, pos + needle.size())) ++n;
    return n;
}

std::string temp_dir(const std::string& name) {
    auto dir = std::filesystem::current_path() / "test-output" / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

console_run run_command(const std::string& args) { return run_binary(RITUALBOT_BINARY, "", args); }

console_run run_binary(const std::string& binary, const std::string& env, const std::string& args) {
    const std::string out_path = std::filesystem::temp_directory_path() / ("ritualbot-out-" + std::to_string(::getpid()));
    const std::string err_path = out_path + ".err";
    const std::string cmd = env + (env.empty() ? "" : " ") + shell_quote(binary) + " " + args + " > " + shell_quote(out_path) + " 2> " +
                            shell_quote(err_path);
    console_run r;
    int status = std::system(cmd.c_str());
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    std::filesystem::remove(out_path);
    std::filesystem::remove(err_path);
    return r;
}

console_run run_console(const std::string& dir, const std::string& toml, const std::string& script,
                        const std::string& extra_args) {
    write_file(dir + "/config.toml", toml);
    write_file(dir + "/script.txt", script);
    return run_command("run --config " + shell_quote(dir + "/config.toml") + " --database " +
                       shell_quote(dir + "/bot.db") + " " + extra_args + " < " + shell_quote(dir + "/script.txt"));
}

}  // namespace ritualbot::testing
