// The real binary on Matrix, killed with SIGKILL again and again (at random
// moments with a fixed seed, and at the transport's named fault points) and
// restarted on the same database: every message is answered exactly once.
// Each restart gets a NEW access token, so the homeserver's txnId idempotency
// (per access token, as in Synapse 1.67) cannot help: what saves a send whose
// answer was lost is the bot's own read-back of the room.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include "tests/support/fake_homeserver.hpp"

using namespace ritualbot::testing;
using namespace std::chrono_literals;

namespace {

const std::string bot_id = "@bot:fake.test";
const std::string maria = "@maria:fake.test";

struct child_process {
    pid_t pid = -1;
    bool exited = false;
    int status = 0;

    bool poll() {
        if (!exited && waitpid(pid, &status, WNOHANG) == pid) exited = true;
        return exited;
    }
    void kill_now() {
        if (poll()) return;
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        exited = true;
    }
    bool killed_by_itself() const { return exited && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL; }
};

child_process start_bot(const std::filesystem::path& config, const std::filesystem::path& log,
                        const std::vector<std::pair<std::string, std::string>>& env) {
    // Everything the child needs is built before fork() (the fake's threads).
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) {
        std::string_view v(*e);
        if (!v.starts_with("MATRIX_") && !v.starts_with("RITUALBOT_FAULT")) env_strings.emplace_back(v);
    }
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args{RITUALBOT_FAULTY_BINARY, "run", "--config", config.string(), "--log-level", "warn"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string log_path = log.string();
    child_process c;
    c.pid = fork();
    if (c.pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int err = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(in, 0);
        dup2(err, 2);
        execve(argv[0], argv.data(), envp.data());
        _exit(127);
    }
    return c;
}

template <class F>
bool wait_until(F done, std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

std::string tail_of(const std::filesystem::path& log) {
    std::ifstream in(log);
    std::string all((std::istreambuf_iterator<char>(in)), {});
    return all.size() > 4000 ? all.substr(all.size() - 4000) : all;
}

}  // namespace

TEST(MatrixCrash, EveryMessageIsAnsweredExactlyOnceThroughSigkills) {
    const auto dir = std::filesystem::temp_directory_path() / ("ritualbot-matrix-crash-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto config = dir / "matrix.toml";
    const auto log = dir / "bot.log";

    fake_homeserver hs;
    hs.set_txn_scope(fake_homeserver::txn_scope::access_token);
    hs.add_user(bot_id);
    std::vector<std::string> members;
    for (int i = 0; i < 5; ++i) members.push_back("@m" + std::to_string(i) + ":fake.test");
    const std::string team_room = hs.create_room(maria, members);
    hs.invite(team_room, maria, bot_id, false);
    {
        std::ofstream cfg(config);
        cfg << "[storage]\npath = \"" << (dir / "bot.db").string() << "\"\n"
            << "[matrix]\nhomeserver = \"" << hs.base_url() << "\"\nuser_id = \"" << bot_id
            << "\"\nsync_timeout_seconds = 1\n"
            << "[[teams]]\nname = \"gamma\"\nplatform = \"matrix\"\nchannel = \"" << team_room
            << "\"\ntimezone = \"Europe/Berlin\"\nmanagers = [\"" << maria << "\"]\nmembers = [";
        for (std::size_t i = 0; i < members.size(); ++i) cfg << (i ? ", " : "") << "\"" << members[i] << "\"";
        cfg << "]\n";
    }

    std::mt19937 rng(20261206);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    auto fresh_env = [&](const std::string& fault) {
        // A new access token at every start: a fresh txnId scope on Synapse 1.67.
        std::vector<std::pair<std::string, std::string>> env{{"MATRIX_ACCESS_TOKEN", hs.issue_token(bot_id, "CRASH")}};
        if (!fault.empty()) env.push_back({"RITUALBOT_FAULT", fault});
        return env;
    };

    // The first start: the bot joins the team room; its first sync after the
    // join carries the room's history, which is not for it.
    auto bot = start_bot(config, log, fresh_env(""));
    ASSERT_TRUE(wait_until([&] { return hs.joined_rooms(bot_id).count(team_room) > 0; }, 10s)) << tail_of(log);
    std::this_thread::sleep_for(1500ms);

    constexpr int messages_total = 600;
    constexpr int rounds = 24;
    int posted = 0;
    int kills = 0, named_kills = 0, random_kills = 0;
    auto post_some = [&](int n) {
        for (int i = 0; i < n && posted < messages_total; ++i, ++posted)
            hs.post(team_room, members[static_cast<std::size_t>(uniform(0, 4))], "!update skip ref-" + std::to_string(posted));
    };

    const auto started = std::chrono::steady_clock::now();
    for (int round = 0; round < rounds; ++round) {
        if (round > 0) {
            std::string fault;
            switch (round % 3) {
                case 0: fault = "matrix.after_commit:" + std::to_string(uniform(1, 10)); break;
                case 1: fault = "matrix.after_send:" + std::to_string(uniform(1, 10)); break;
                default: break;  // a random moment
            }
            const int starts_before = hs.count("whoami");
            bot = start_bot(config, log, fresh_env(fault));
            // Its life counts from when it is up: a slow start (a sanitizer
            // build on a busy machine) must not use it all up, or no run
            // would reach a fault point.
            wait_until([&] { return hs.count("whoami") > starts_before || bot.poll(); }, 15s);
        }
        const int per_round = messages_total / rounds;
        // Some messages arrive while the bot was down, the rest while it runs.
        post_some(per_round / 3);
        const auto life = std::chrono::milliseconds(uniform(60, 700));
        const auto end = std::chrono::steady_clock::now() + life;
        while (std::chrono::steady_clock::now() < end && !bot.poll()) {
            post_some(uniform(0, 3));
            std::this_thread::sleep_for(std::chrono::milliseconds(uniform(5, 40)));
        }
        if (bot.poll()) {
            ASSERT_TRUE(bot.killed_by_itself()) << "the bot died on its own: status " << bot.status << "\n" << tail_of(log);
            ++named_kills;
        } else {
            bot.kill_now();
            ++random_kills;
        }
        ++kills;
        post_some(per_round / 3);
    }
    post_some(messages_total);  // whatever is left, while the bot is down

    // The last start runs without faults until everything is answered.
    auto reply_counts = [&] {
        std::map<int, int> counts;
        for (const auto& room : hs.joined_rooms(bot_id))
            for (const auto& body : hs.notices_in(room, bot_id)) {
                auto at = body.find("ref-");
                if (at == std::string::npos) continue;
                auto digits = body.substr(at + 4);
                auto len = digits.find_first_not_of("0123456789");
                if (len == 0) continue;
                counts[std::stoi(digits.substr(0, len))] += 1;
            }
        return counts;
    };
    bot = start_bot(config, log, fresh_env(""));
    wait_until([&] { return static_cast<int>(reply_counts().size()) >= messages_total; }, 30s);
    std::this_thread::sleep_for(1500ms);  // anything late would be a duplicate
    kill(bot.pid, SIGTERM);
    wait_until([&] { return bot.poll(); }, 5s);
    bot.kill_now();
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);

    const auto counts = reply_counts();
    int duplicates = 0, losses = 0;
    for (int i = 0; i < messages_total; ++i) {
        auto c = counts.find(i);
        if (c == counts.end()) ++losses;
        else if (c->second > 1) duplicates += c->second - 1;
    }
    std::printf("[matrix crash] messages %d, kills %d (at fault points %d, at random moments %d), "
                "duplicates %d, losses %d, send requests %d, /messages reads %d, DM rooms opened %d (for %zu members), "
                "starts %d, %lld ms\n",
                messages_total, kills, named_kills, random_kills, duplicates, losses, hs.count("send_request"),
                hs.count("messages"), hs.count("create_room"), members.size(), hs.count("whoami"),
                static_cast<long long>(took.count()));
    EXPECT_EQ(posted, messages_total);
    EXPECT_EQ(duplicates, 0);
    EXPECT_EQ(losses, 0) << tail_of(log);
    EXPECT_GE(named_kills, 4) << "too few kills at the named fault points";
    std::filesystem::remove_all(dir);
}
