// Start-up on a big Slack workspace, against the fake Slack with Slack's real
// rate-limit tiers (one minute windows): the socket answers at once, zones come
// from users.list in the background and from the database on a restart,
// user_change moves a member's prompt, bots and deactivated users leave the
// teams read from a channel.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "storage/slack_user_store.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

const char* const big_team_toml = R"(
[[teams]]
name = "big"
platform = "slack"
channel = "C0BIG"
timezone = "UTC"
managers = ["UMGR"]

[[members]]
id = "U00001"
timezone = "Australia/Sydney"
)";

const char* const zones[] = {"Europe/Berlin", "America/New_York", "Asia/Tokyo", "America/Los_Angeles"};

std::string uid(int i) {
    char b[16];
    std::snprintf(b, sizeof b, "U%05d", i);
    return b;
}

// The issue's goal: the first envelope answered within a second of start.
// AddressSanitizer makes the whole start several times slower (one run of
// ctest -j2 in that build answered after 1,061 ms, alone 593-946 ms): there
// the bound only keeps the start from going wrong by far.
#if defined(__SANITIZE_ADDRESS__)
constexpr auto answer_within = std::chrono::seconds(3);
#else
constexpr auto answer_within = std::chrono::seconds(1);
#endif

// 20,000 users in all (19,998 people, the manager and the bot): 20 pages of users.list.
constexpr int people = 19998;

void add_big_workspace(fake_slack& slack) {
    std::vector<std::string> channel{"UBOT", "UMGR"};
    channel.reserve(people + 2);
    for (int i = 0; i < people; ++i) {
        slack.add_user(uid(i), zones[i % 4]);
        channel.push_back(uid(i));
    }
    slack.add_user("UMGR", "Europe/Berlin");
    slack.add_user("UBOT", "UTC", /*is_bot=*/true);
    slack.set_channel_members("C0BIG", std::move(channel));
}

std::string temp_db(const std::string& name) {
    const std::string path = ::testing::TempDir() + "/" + name + ".db";
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    return path;
}

// The other Slack tests' options (fast reconnects, no per-channel pacing of
// posts); users.list and users.info keep the real bot's paging and pacing.
slack::slack_options startup_options() { return fast_slack_options(); }

}  // namespace

TEST(SlackStartup, TwentyThousandMembersAnswerWithinASecondAndRestartAsksNothing) {
    fake_slack slack;  // real tiers: users.list 20 a minute, users.info 100 a minute, ...
    ASSERT_TRUE(fake_slack_options{}.enforce_tiers);
    add_big_workspace(slack);
    const std::string db = temp_db("slack_startup_big");

    // Pages of 1000, Slack's largest, so that the whole list fits one minute
    // of Tier 2 here; the default (200 a page, as Slack recommends) takes five.
    auto options = startup_options();
    ASSERT_EQ(options.users_page, 200);
    options.users_page = 1000;
    {
        const auto t0 = steady::now();
        slack_test_bot bot(big_team_toml, "2026-11-19T09:00:00Z", slack, options, nullptr, db);
        ASSERT_TRUE(bot.start(5s));
        const auto env = slack.send_slash("U00007", "D" + std::string("U00007"), "/ritual", "help");
        ASSERT_TRUE(bot.run_until([&] { return slack.ack_of(env).has_value(); }, 5s));
        const auto answered = steady::now() - t0;
        std::printf("[          ] 20,000 members, first start: slash command answered %lld ms after start\n",
                    static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(answered).count()));
        EXPECT_LT(answered, answer_within);
        EXPECT_TRUE(slack.ack_of(env)->frame.contains("payload"));  // the help rode in the ack

        // users.list in the background: every zone stored, the config's own zone kept.
        ASSERT_TRUE(bot.run_until([&] { return slack_user_store(*bot.db).listed_at().has_value(); }, 20s));
        EXPECT_EQ(slack_user_store(*bot.db).count(), 20000);
        EXPECT_EQ(bot.cfg.timezone_of("U00006"), "Asia/Tokyo");
        EXPECT_EQ(bot.cfg.timezone_of("U00001"), "Australia/Sydney");  // [[members]] wins
        EXPECT_EQ(bot.cfg.teams[0].members.size(), static_cast<std::size_t>(people + 1));  // the bot left out
        EXPECT_EQ(slack.calls("users.list").size(), 20u);
        EXPECT_TRUE(slack.calls("users.info").empty());
        EXPECT_EQ(slack.rate_limited_calls(), 0u);
    }

    // Restart on the same database, same workspace, same minute of Slack's windows.
    const std::size_t lists_before = slack.calls("users.list").size();
    {
        const auto t0 = steady::now();
        slack_test_bot bot(big_team_toml, "2026-11-19T09:05:00Z", slack, options, nullptr, db);
        bool zone_at_ready = false;
        std::size_t web_calls_at_ready = 0;
        bot.slack->start(
            [&] {
                bot.ready = true;
                zone_at_ready = bot.cfg.timezone_of("U00006") == "Asia/Tokyo" &&
                                bot.cfg.timezone_of("U00001") == "Australia/Sydney";
                web_calls_at_ready = slack.calls("users.list").size() + slack.calls("users.info").size();
            },
            [&] { bot.flush(); });
        ASSERT_TRUE(bot.run_until([&] { return bot.ready && bot.slack->socket().has_session(); }, 5s));
        const auto env = slack.send_slash("U00010", "DU00010", "/ritual", "help");
        ASSERT_TRUE(bot.run_until([&] { return slack.ack_of(env).has_value(); }, 5s));
        const auto answered = steady::now() - t0;
        std::printf("[          ] restart: slash command answered %lld ms after start\n",
                    static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(answered).count()));
        EXPECT_LT(answered, answer_within);
        EXPECT_TRUE(zone_at_ready);
        EXPECT_EQ(web_calls_at_ready, lists_before);
        bot.run_for(300ms);
        EXPECT_EQ(slack.calls("users.list").size(), lists_before);  // read less than a day ago
        EXPECT_TRUE(slack.calls("users.info").empty());
        EXPECT_EQ(slack.rate_limited_calls(), 0u);
        EXPECT_EQ(bot.cfg.timezone_of("U00003"), "America/Los_Angeles");
    }
}

namespace {

const char* const alpha_toml = R"(
[[teams]]
name = "alpha"
platform = "slack"
channel = "C0ALPHA"
timezone = "Europe/Berlin"
managers = ["UMGR"]
)";

bool any_contains(const std::vector<nlohmann::json>& messages, const std::string& needle) {
    for (const auto& m : messages)
        if (fake_slack::text_of(m).find(needle) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST(SlackStartup, UserChangeMovesTheNextPrompt) {
    fake_slack slack;
    slack.add_user("UALICE", "Europe/Berlin");
    slack.add_user("UMGR", "Europe/Berlin");
    slack.add_user("UBOT", "UTC", true);
    slack.set_channel_members("C0ALPHA", {"UBOT", "UALICE", "UMGR"});
    slack_test_bot bot(alpha_toml, "2026-11-16T08:00:00Z", slack, startup_options());
    ASSERT_TRUE(bot.start());
    ASSERT_TRUE(bot.run_until([&] { return slack_user_store(*bot.db).listed_at().has_value(); }));
    EXPECT_EQ(bot.cfg.timezone_of("UALICE"), "Europe/Berlin");
    // Pages of 200, as Slack's pagination guide recommends.
    ASSERT_FALSE(slack.calls("users.list").empty());
    EXPECT_EQ(slack.calls("users.list").front().args.value("limit", ""), "200");

    // Alice moves to New York: Slack sends user_change.
    const auto env = slack.change_user("UALICE", "America/New_York");
    ASSERT_TRUE(bot.run_until([&] { return slack.ack_of(env).has_value(); }));
    EXPECT_EQ(bot.cfg.timezone_of("UALICE"), "America/New_York");
    bool stored = false;
    for (const auto& u : slack_user_store(*bot.db).all())
        if (u.id == "UALICE") stored = u.timezone == "America/New_York";
    EXPECT_TRUE(stored);

    // Thursday 15:00 Berlin: the manager is prompted, Alice not yet...
    bot.advance_to("2026-11-19T14:00:30Z");
    ASSERT_TRUE(bot.run_until([&] { return any_contains(slack.dms_to("UMGR"), "Question 1 of 4"); }));
    bot.run_for(100ms);
    EXPECT_TRUE(slack.dms_to("UALICE").empty());
    // ...she is at 15:00 in New York.
    bot.advance_to("2026-11-19T20:00:30Z");
    EXPECT_TRUE(bot.run_until([&] { return any_contains(slack.dms_to("UALICE"), "Question 1 of 4"); }));
    EXPECT_TRUE(slack.calls("users.info").empty());
    EXPECT_EQ(slack.rate_limited_calls(), 0u);
}

TEST(SlackStartup, BotsDeactivatedAndGarbageFromUsersListLeaveTheChannelTeam) {
    fake_slack slack;
    slack.add_user("UALICE", "Europe/Berlin");
    slack.add_user("UMGR", "Europe/Berlin");
    slack.add_user("UBOT", "UTC", true);
    slack.add_user("UHELPER", "UTC", /*is_bot=*/true);
    slack.add_user("UGONE", "Asia/Tokyo", false, /*deleted=*/true);
    // Hostile entries: not objects, ids of the wrong type, fields of the wrong
    // type, a zone the tz database does not know.
    slack.add_raw_list_entry("just a string");
    slack.add_raw_list_entry({{"id", 42}, {"tz", "Europe/Paris"}});
    slack.add_raw_list_entry({{"id", "bad id!"}, {"tz", "Europe/Paris"}});
    slack.add_raw_list_entry({{"id", "UODD"}, {"tz", 12}, {"is_bot", "yes"}, {"deleted", nullptr}});
    slack.add_raw_list_entry({{"id", "UMARS"}, {"tz", "Mars/Olympus_Mons"}, {"is_bot", false}});
    slack.set_channel_members("C0ALPHA", {"UBOT", "UALICE", "UMGR", "UHELPER", "UGONE", "UODD", "UMARS"});
    slack_test_bot bot(alpha_toml, "2026-11-19T09:00:00Z", slack, startup_options());
    ASSERT_TRUE(bot.start());
    ASSERT_TRUE(bot.run_until([&] { return slack_user_store(*bot.db).listed_at().has_value(); }));
    EXPECT_EQ(bot.cfg.teams[0].members, (std::vector<std::string>{"UALICE", "UMGR", "UODD", "UMARS"}));
    EXPECT_EQ(bot.cfg.timezone_of("UMARS"), "Europe/Berlin");  // unknown zone: the team's
    EXPECT_EQ(bot.slack->unknown_zones(), 1u);                 // counted for /metrics
    EXPECT_EQ(bot.cfg.timezone_of("UODD"), "Europe/Berlin");   // no zone: the team's
    EXPECT_TRUE(slack.calls("users.info").empty());

    // Deactivated later: user_change takes them out of the team too.
    const auto env = slack.change_user("UALICE", "Europe/Berlin", false, /*deleted=*/true);
    ASSERT_TRUE(bot.run_until([&] { return slack.ack_of(env).has_value(); }));
    EXPECT_EQ(bot.cfg.teams[0].members, (std::vector<std::string>{"UMGR", "UODD", "UMARS"}));
    // Garbage events are acknowledged and change nothing.
    const auto junk1 = slack.send_event({{"type", "user_change"}, {"user", "UMGR"}});
    const auto junk2 = slack.send_event({{"type", "team_join"}, {"user", {{"id", nullptr}}}});
    ASSERT_TRUE(bot.run_until([&] { return slack.ack_of(junk1) && slack.ack_of(junk2); }));
    EXPECT_EQ(bot.cfg.teams[0].members, (std::vector<std::string>{"UMGR", "UODD", "UMARS"}));
}

TEST(SlackStartup, TeamJoinGivesANewcomerTheirZone) {
    fake_slack slack;
    slack.add_user("UALICE", "Europe/Berlin");
    slack.add_user("UMGR", "Europe/Berlin");
    slack.add_user("UBOT", "UTC", true);
    slack.set_channel_members("C0ALPHA", {"UBOT", "UALICE", "UMGR"});
    slack_test_bot bot(alpha_toml, "2026-11-19T09:00:00Z", slack, startup_options());
    ASSERT_TRUE(bot.start());
    ASSERT_TRUE(bot.run_until([&] { return slack_user_store(*bot.db).listed_at().has_value(); }));
    const auto env = slack.send_event(
        {{"type", "team_join"},
         {"user", {{"id", "UNEW"}, {"tz", "Asia/Kolkata"}, {"is_bot", false}, {"deleted", false}}}});
    ASSERT_TRUE(bot.run_until([&] { return slack.ack_of(env).has_value(); }));
    ASSERT_TRUE(bot.cfg.learned_zones.find("UNEW"));
    EXPECT_EQ(**bot.cfg.learned_zones.find("UNEW"), "Asia/Kolkata");
    EXPECT_EQ(slack_user_store(*bot.db).count(), 4);
}

// The fake's tiers catch a bot that calls faster than Slack allows: a walk of
// users.list that ignored Tier 2 gets HTTP 429 with Retry-After on its 21st page.
TEST(SlackStartup, TheFakeAnswers429PastAMethodsTier) {
    fake_slack slack;
    for (int i = 0; i < 300; ++i) slack.add_user(uid(i), "Europe/Berlin");
    slack.add_user("UMGR", "Europe/Berlin");
    slack.set_channel_members("C0ALPHA", {"UMGR"});
    auto options = startup_options();
    options.users_page = 10;               // 31 pages...
    options.users_list_per_minute = 1000;  // ...as if Tier 2 did not exist
    slack_test_bot bot(alpha_toml, "2026-11-19T09:00:00Z", slack, options);
    ASSERT_TRUE(bot.start());
    ASSERT_TRUE(bot.run_until([&] { return slack.rate_limited_calls() > 0; }));
    int ok = 0;
    for (const auto& c : slack.calls("users.list")) {
        if (c.http_status == 200) ++ok;
        else EXPECT_EQ(c.http_status, 429);
    }
    EXPECT_EQ(ok, 20);
}
