// The Matrix figure of bench/README.md; disabled in normal runs. Run it with
//   RITUALBOT_BENCH_MEMBERS=500 build/tests/ritualbot_tests --gtest_also_run_disabled_tests
//     --gtest_filter='MatrixBench.*'
// (bench/matrix_week.sh does that under GNU time for the peak RSS).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "tests/support/matrix_test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;
using namespace std::chrono_literals;

TEST(MatrixBench, DISABLED_WeekOfAnswersThroughTheFakeHomeserver) {
    const char* env = std::getenv("RITUALBOT_BENCH_MEMBERS");
    const int members = env ? std::max(1, std::atoi(env)) : 100;
    const std::string bot_id = "@bot:fake.test";
    fake_homeserver hs;
    hs.add_user(bot_id);
    const std::string token = hs.issue_token(bot_id, "BENCH");

    // Teams of ten, each with its room; every member already has a DM room with the bot (m.direct).
    std::string toml = "[matrix]\nhomeserver = \"HOMESERVER\"\nuser_id = \"@bot:fake.test\"\nsync_timeout_seconds = 5\n\n";
    nlohmann::json direct = nlohmann::json::object();
    std::vector<std::string> users, dms;
    for (int t = 0; t * 10 < members; ++t) {
        std::vector<std::string> team;
        for (int i = t * 10; i < std::min(members, (t + 1) * 10); ++i) team.push_back("@u" + std::to_string(i) + ":fake.test");
        std::vector<std::string> joined = team;
        joined.push_back(bot_id);
        const std::string room = hs.create_room(team.front(), joined);
        toml += "[[teams]]\nname = \"team" + std::to_string(t) + "\"\nplatform = \"matrix\"\nchannel = \"" + room +
                "\"\ntimezone = \"Europe/Berlin\"\nmembers = [";
        for (const auto& u : team) {
            toml += "\"" + u + "\",";
            const std::string dm = hs.create_room(u, {bot_id});
            direct[u] = {dm};
            users.push_back(u);
            dms.push_back(dm);
        }
        toml += "]\n\n";
    }
    hs.set_account_data(bot_id, "m.direct", direct);

    const auto db_path = (std::filesystem::temp_directory_path() / ("ritualbot-matrix-bench-" + std::to_string(::getpid()) + ".db")).string();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path + suffix);
    matrix_test_bot bot(hs, toml, "2026-11-16T08:00:00Z", db_path, {token, ""});
    ASSERT_TRUE(bot.run_until([&] { return bot.synced(); }, 30s));

    const auto start = std::chrono::steady_clock::now();
    bot.advance_to("2026-11-19T14:00:00Z");  // every member's prompt
    ASSERT_TRUE(bot.run_until([&] { return bot.db->unsent_count() == 0; }, 600s));
    const auto prompts_done = std::chrono::steady_clock::now();

    const char* answers[] = {"Worked on the parser for the release", "It is twice as fast now",
                             "Blocked by platform on auth", "The release"};
    for (const char* a : answers)
        for (std::size_t i = 0; i < users.size(); ++i) hs.post(dms[i], users[i], a);
    const int messages = 4 * members;
    ASSERT_TRUE(bot.run_until(
        [&] {
            return bot.db->unsent_count() == 0 &&
                   static_cast<int>(hs.count("send_request")) >= members + messages;
        },
        600s));
    const auto answers_done = std::chrono::steady_clock::now();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path + suffix);

    auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
    const double prompt_s = seconds(prompts_done - start), answer_s = seconds(answers_done - prompts_done);
    std::printf("members=%d prompts=%d in %.2fs (%.0f sends/s); answers=%d in %.2fs (%.0f messages handled/s, "
                "each answered); syncs=%d\n",
                members, members, prompt_s, members / prompt_s, messages, answer_s, messages / answer_s, hs.count("sync"));
}
