// The real binary on the fake Slack, killed (SIGKILL) again and again while
// people write to it, restarted each time on the same database: every direct
// message and every slash command is answered exactly once, none is lost.
// Kills land at random moments and at the two instants that matter most:
// after a commit before its ack ("slack.after_commit") and after a post
// before it is marked sent ("slack.after_post"), see bot/fault.hpp.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

#include "tests/support/bot_process.hpp"
#include "tests/support/fake_slack.hpp"

using namespace ritualbot::testing;
using namespace std::chrono_literals;

namespace {

std::string user_id(int i) {
    char id[16];
    std::snprintf(id, sizeof id, "U%05d", i);
    return id;
}

struct SlackCrash : ::testing::Test {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("ritualbot-slack-crash-" + std::to_string(getpid()));
    SlackCrash() {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
    }
    ~SlackCrash() override {
        if (!HasFailure()) std::filesystem::remove_all(dir);
    }
};

}  // namespace

TEST_F(SlackCrash, DirectMessagesAndSlashCommandsAreAnsweredExactlyOnceAcrossKills) {
    constexpr int people = 400;
    // Slack sends an unacked envelope again a few times, then gives up; a bot
    // killed again before it could handle any of them loses it by Slack's
    // design. Redeliveries two seconds apart and lifetimes long enough to
    // start (also in the slow sanitizer build) keep the test about the bot.
    fake_slack_options options;
    options.redeliver_after = 2000ms;
    options.max_redeliveries = 30;  // Slack's 3 retries span about 6 minutes
    fake_slack slack(options);
    std::string members;
    for (int i = 0; i < people; ++i) {
        slack.add_user(user_id(i), "Europe/Berlin");
        members += (i ? ", \"" : "\"") + user_id(i) + "\"";
    }
    {
        std::ofstream cfg(dir / "slack.toml");
        cfg << "[storage]\npath = \"" << (dir / "bot.db").string() << "\"\n"
            << "[[teams]]\nname = \"alpha\"\nplatform = \"slack\"\nchannel = \"C0ALPHA\"\nmembers = [" << members
            << "]\n";
    }
    const std::vector<std::string> args{RITUALBOT_FAULTY_BINARY, "run", "--config", (dir / "slack.toml").string()};
    const std::vector<std::pair<std::string, std::string>> env{{"SLACK_APP_TOKEN", "xapp-1-test"},
                                                               {"SLACK_BOT_TOKEN", "xoxb-1-test"},
                                                               {"SLACK_API_BASE_URL", slack.api_base_url()}};
    const std::string log = (dir / "stderr.log").string();

    // People write while the bot comes and goes: a DM and a slash command each.
    std::mutex mu;
    std::vector<std::string> commands;
    std::atomic<bool> sent_all{false};
    std::thread writer([&] {
        for (int i = 0; i < people; ++i) {
            slack.send_dm(user_id(i), "/nonsense");
            auto id = slack.send_slash(user_id(i), "C0ALPHA", "/update", "frobnicate");
            {
                std::lock_guard lock(mu);
                commands.push_back(id);
            }
            std::this_thread::sleep_for(12ms);
        }
        sent_all = true;
    });

    std::mt19937 random(20261206);
    int kills = 0, fault_kills = 0;
    for (int run = 0; run < 24; ++run) {
        auto env_run = env;
        const int kind = run % 3;
        if (kind == 0) env_run.emplace_back("RITUALBOT_FAULT", "slack.after_post:" + std::to_string(3 + run));
        if (kind == 1) env_run.emplace_back("RITUALBOT_FAULT", "slack.after_commit:" + std::to_string(3 + run));
        auto bot = start_bot_process(args, env_run, log);
        const auto lifetime = std::chrono::milliseconds(300 + random() % 600);
        const int code = bot.wait_exit(kind == 2 ? lifetime : 4s);
        ASSERT_TRUE(code == -1 || code == 128 + 9) << "exit " << code << "\n" << bot.log();
        ++kills;
        if (code == 128 + 9) ++fault_kills;
    }
    writer.join();
    ASSERT_TRUE(sent_all);

    // The last run is left alone until everything is answered.
    auto bot = start_bot_process(args, env, log);
    auto answered = [&] {
        for (int i = 0; i < people; ++i)
            if (slack.dms_to(user_id(i)).empty()) return false;
        for (const auto& id : commands)
            if (!slack.ack_of(id)) return false;
        return true;
    };
    // Every post whose outcome a kill left unknown is read back first
    // (conversations.history, Tier 3: 50 a minute, counted over all the runs
    // before). A machine loaded enough to leave more of them than that waits
    // out Slack's minute once or twice: late is not lost.
    const bool all = fake_slack::wait_until(answered, 180s);
    std::this_thread::sleep_for(1500ms);  // a late duplicate would show now
    kill(bot.pid, SIGTERM);
    EXPECT_EQ(bot.wait_exit(10s), 0);
    EXPECT_TRUE(all) << "not everything was answered";

    int dm_lost = 0, dm_repeated = 0, command_lost = 0, command_repeated = 0;
    for (int i = 0; i < people; ++i) {
        const auto n = static_cast<int>(slack.dms_to(user_id(i)).size());
        if (n == 0) ++dm_lost;
        if (n > 1) dm_repeated += n - 1;
    }
    for (const auto& id : commands) {
        auto ack = slack.ack_of(id);  // the first ack that arrived: what the person saw
        if (!ack || !ack->frame.contains("payload") || ack->frame["payload"].is_null()) ++command_lost;
    }
    // An answer that did not ride in an ack would come as an ephemeral message.
    command_repeated = static_cast<int>(slack.calls("chat.postEphemeral").size());
    std::printf("slack crash test: %d DMs and %zu slash commands, %d kills (%d at fault points); "
                "DMs lost %d, repeated %d; commands lost %d, repeated %d; %zu posts read back, %zu calls rate-limited\n",
                people, commands.size(), kills, fault_kills, dm_lost, dm_repeated, command_lost, command_repeated,
                slack.calls("conversations.history").size(), slack.rate_limited_calls());
    EXPECT_EQ(dm_lost, 0);
    EXPECT_EQ(dm_repeated, 0);
    EXPECT_EQ(command_lost, 0);
    EXPECT_EQ(command_repeated, 0);
    EXPECT_GE(fault_kills, 8);
}
