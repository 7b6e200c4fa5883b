#include <gtest/gtest.h>

#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

// maria manages alpha (Berlin) and beta (New York); mike manages beta only.
const char* const teams = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob"]

[[teams]]
name = "beta"
channel = "#beta"
timezone = "America/New_York"
managers = ["maria", "mike"]
members = ["carol", "dave"]
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

void answer_all(test_bot& bot, const std::string& who, const std::string& risk) {
    bot.say(who, "/update");
    for (const std::string& a : {std::string("the goal"), std::string("it changed"), risk, std::string("next")})
        bot.say(who, a);
}

}  // namespace

TEST(ManagerRollup, AManagerOfSeveralTeamsGetsOneMessageAfterTheLastDigest) {
    test_bot bot(teams, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-19T20:30:00Z");  // every prompt of the week is out
    answer_all(bot, "alice", "the vendor API is late");
    answer_all(bot, "carol", "none");
    bot.say("dave", "/update skip on holiday");
    bot.sent();

    // alpha's digest (Fri 16:00 Berlin = 15:00Z) comes first; beta's at 21:00Z.
    auto to = [](const std::vector<sent_message>& all, const std::string& where) {
        std::vector<std::string> out;
        for (const auto& m : all)
            if (m.where() == where) out.push_back(m.text);
        return out;
    };
    bot.advance_to("2026-11-20T15:00:00Z");
    auto first = bot.sent();
    EXPECT_EQ(to(first, "#alpha").size(), 1u);
    EXPECT_TRUE(to(first, "@maria").empty()) << "no roll-up before the last of her teams' digests";

    bot.advance_to("2026-11-20T21:00:00Z");
    auto second = bot.sent();
    EXPECT_EQ(to(second, "#beta").size(), 1u);
    EXPECT_TRUE(to(second, "@mike").empty()) << "one team: the digest is enough";
    auto to_maria = to(second, "@maria");
    ASSERT_EQ(to_maria.size(), 1u);
    const std::string& text = to_maria[0];
    EXPECT_TRUE(has(text, "Your teams this week \u2014 week 2026-W47")) << text;
    EXPECT_TRUE(has(text, "alpha: 1 of 2 answered; missing: bob.")) << text;
    EXPECT_TRUE(has(text, "alice: the vendor API is late")) << text;
    EXPECT_TRUE(has(text, "beta: 1 of 2 answered; skipped: dave (on holiday).")) << text;
    EXPECT_TRUE(has(text, "No risks raised.")) << text;

    bot.advance_to("2026-11-22T00:00:00Z");
    EXPECT_TRUE(bot.sent_to("@maria").empty()) << "once a week";
}

TEST(ManagerRollup, ARestartAfterTheDigestsStillSendsItOnce) {
    const std::string path = ::testing::TempDir() + "rollup-restart.db";
    std::remove(path.c_str());
    {
        test_bot bot(teams, "2026-11-16T08:00:00Z", path);
        bot.advance_to("2026-11-20T20:00:00Z");  // down before beta's digest
    }
    test_bot bot(teams, "2026-11-16T08:00:00Z", path);
    bot.restart_at("2026-11-21T09:00:00Z");  // up again next morning, within the day's window
    EXPECT_EQ(bot.sent_to("@maria").size(), 1u);
    bot.restart_at("2026-11-21T10:00:00Z");
    EXPECT_TRUE(bot.sent_to("@maria").empty());
    std::remove(path.c_str());
}
