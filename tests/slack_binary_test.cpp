// The real binary on Slack: tokens and the API address from the environment.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/bot_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/http_probe.hpp"

using namespace ritualbot::testing;
using namespace std::chrono_literals;

namespace {

using child_process = bot_process;

child_process start_bot(const std::filesystem::path& dir, const std::vector<std::pair<std::string, std::string>>& env,
                        const std::string& extra_config = "") {
    {
        std::ofstream cfg(dir / "slack.toml");
        cfg << "[storage]\npath = \"" << (dir / "bot.db").string() << "\"\n"
            << "[[teams]]\nname = \"alpha\"\nplatform = \"slack\"\nchannel = \"C0ALPHA\"\nmembers = [\"UALICE\"]\n"
            << extra_config;
    }
    std::filesystem::remove(dir / "stderr.log");
    return start_bot_process({RITUALBOT_BINARY, "run", "--config", (dir / "slack.toml").string()}, env,
                             (dir / "stderr.log").string());
}

struct SlackBinary : ::testing::Test {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("ritualbot-slack-binary-" + std::to_string(getpid()) + "-" +
                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    SlackBinary() { std::filesystem::create_directories(dir); }
    ~SlackBinary() override { std::filesystem::remove_all(dir); }
};

}  // namespace

TEST_F(SlackBinary, RunsOnSlackFromTheEnvironmentAndStopsOnSigterm) {
    fake_slack slack;
    slack.add_user("UALICE", "Europe/Berlin");
    auto bot = start_bot(dir, {{"SLACK_APP_TOKEN", "xapp-1-test"},
                               {"SLACK_BOT_TOKEN", "xoxb-1-test"},
                               {"SLACK_API_BASE_URL", slack.api_base_url()}});
    ASSERT_TRUE(fake_slack::wait_until([&] { return slack.open_connections() > 0; }, 10s)) << bot.log();
    const auto env = slack.send_dm("UALICE", "/update");
    ASSERT_TRUE(fake_slack::wait_until([&] { return !slack.dms_to("UALICE").empty(); }, 10s)) << bot.log();
    EXPECT_TRUE(slack.ack_of(env));
    EXPECT_NE(fake_slack::text_of(slack.dms_to("UALICE")[0]).find("Question 1 of 4"), std::string::npos);
    kill(bot.pid, SIGTERM);
    EXPECT_EQ(bot.wait_exit(5s), 0);
    const std::string log = bot.log();
    EXPECT_EQ(log.find("xoxb-1-test"), std::string::npos);  // tokens never reach the log
    EXPECT_EQ(log.find("xapp-1-test"), std::string::npos);
}

TEST_F(SlackBinary, HealthAndMetricsEndpointsTellTheOperatorHowItGoes) {
    fake_slack slack;
    slack.add_user("UALICE", "Europe/Berlin");
    const unsigned short port = free_port();
    auto bot = start_bot(dir,
                         {{"SLACK_APP_TOKEN", "xapp-1-test"},
                          {"SLACK_BOT_TOKEN", "xoxb-1-test"},
                          {"SLACK_API_BASE_URL", slack.api_base_url()}},
                         "[health]\nlisten = \"127.0.0.1:" + std::to_string(port) + "\"\n");
    ASSERT_TRUE(fake_slack::wait_until([&] { return slack.open_connections() > 0; }, 10s)) << bot.log();
    std::string health;
    ASSERT_TRUE(fake_slack::wait_until([&] {
        health = http_get(port, "/healthz");
        return health.starts_with("HTTP/1.1 200");
    }, 10s)) << health << bot.log();
    EXPECT_NE(health.find("slack: connected"), std::string::npos) << health;
    const std::string metrics = http_get(port, "/metrics");
    EXPECT_NE(metrics.find("ritualbot_transport_connected{platform=\"slack\"} 1"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("ritualbot_info{version="), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("ritualbot_messages_total{outcome=\"handled\"} 0"), std::string::npos) << metrics;
    // A direct message is handled and its answer delivered: both are counted.
    slack.send_dm("UALICE", "/update");
    ASSERT_TRUE(fake_slack::wait_until([&] { return !slack.dms_to("UALICE").empty(); }, 10s)) << bot.log();
    std::string later;
    EXPECT_TRUE(fake_slack::wait_until([&] {
        later = http_get(port, "/metrics");
        return later.find("ritualbot_deliveries_total{platform=\"slack\",outcome=\"delivered\"} 1") != std::string::npos;
    }, 10s)) << later;
    EXPECT_NE(later.find("ritualbot_messages_total{outcome=\"handled\"} 1"), std::string::npos) << later;
    // Slack goes away: the bot stays up and says it is not healthy.
    slack.refuse_connections(true);
    slack.drop_connections();
    ASSERT_TRUE(fake_slack::wait_until([&] {
        health = http_get(port, "/healthz");
        return health.starts_with("HTTP/1.1 503");
    }, 10s)) << health;
    EXPECT_NE(health.find("slack: not connected"), std::string::npos) << health;
    kill(bot.pid, SIGTERM);
    EXPECT_EQ(bot.wait_exit(5s), 0);
}

TEST_F(SlackBinary, MissingOrSwappedTokensStopTheBotWithAReason) {
    auto missing = start_bot(dir, {});
    EXPECT_EQ(missing.wait_exit(5s), 1);
    EXPECT_NE(missing.log().find("SLACK_APP_TOKEN (xapp-...) and SLACK_BOT_TOKEN (xoxb-...) must be set"),
              std::string::npos)
        << missing.log();
    auto swapped = start_bot(dir, {{"SLACK_APP_TOKEN", "xoxb-1"}, {"SLACK_BOT_TOKEN", "xapp-1"}});
    EXPECT_EQ(swapped.wait_exit(5s), 1);
    EXPECT_NE(swapped.log().find("starts with xapp-"), std::string::npos) << swapped.log();
}

TEST_F(SlackBinary, PlainHttpApiOnlyOnLoopback) {
    auto bot = start_bot(dir, {{"SLACK_APP_TOKEN", "xapp-1"},
                               {"SLACK_BOT_TOKEN", "xoxb-1"},
                               {"SLACK_API_BASE_URL", "http://slack.example.com/api/"}});
    EXPECT_EQ(bot.wait_exit(5s), 1);
    EXPECT_NE(bot.log().find("loopback"), std::string::npos) << bot.log();
}
