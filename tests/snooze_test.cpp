// /update later: a prompt put off comes back once, at most twice a week, never past the digest.
#include <gtest/gtest.h>

#include <cstdio>

#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

// Prompt Thu 19 Nov 2026 15:00 Berlin (14:00Z), reminder 18:00Z, digest Fri 15:00Z.
const char* const team = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice"]
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

std::size_t count(const std::vector<sent_message>& msgs, const std::string& needle) {
    std::size_t n = 0;
    for (const auto& m : msgs) n += has(m.text, needle) ? 1 : 0;
    return n;
}

const std::string back = "Back to your weekly update for week 2026-W47";

}  // namespace

TEST(Snooze, ThePromptComesBackOnceAfterTheSnooze) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-19T14:00:00Z");
    bot.sent();
    bot.say("alice", "/update later 2h");
    auto r = bot.last_text_to("@alice");
    EXPECT_TRUE(has(r, "OK, I will ask again Thu 19 Nov 17:00 CET (in 2h). You can put it off 1 more time")) << r;
    bot.advance_to("2026-11-19T15:59:59Z");
    EXPECT_TRUE(bot.sent_to("@alice").empty());
    bot.advance_to("2026-11-19T16:00:00Z");
    auto again = bot.sent_to("@alice");
    ASSERT_EQ(count(again, back), 1u);
    EXPECT_TRUE(has(again[0].text, "Question 1 of 4")) << again[0].text;
    bot.advance_to("2026-11-20T15:00:00Z");
    auto rest = bot.sent_to("@alice");
    EXPECT_EQ(count(rest, back), 0u);
    EXPECT_EQ(count(rest, "Reminder:"), 1u);  // the 18:00Z reminder, after the snooze came back
}

TEST(Snooze, TheThirdTimeIsRefusedKindly) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-19T14:00:00Z");
    bot.say("alice", "/update later 30m");
    bot.say("alice", "/update later");  // the default, 2h; replaces the first
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "(in 2h). That was the last time this week."));
    bot.say("alice", "/update later 1h");
    auto r = bot.last_text_to("@alice");
    EXPECT_TRUE(has(r, "You have put this week's update off 2 times already")) << r;
    EXPECT_TRUE(has(r, "/update writes it now")) << r;
    bot.advance_to("2026-11-19T17:00:00Z");
    EXPECT_EQ(count(bot.sent_to("@alice"), back), 1u);  // only the latest snooze comes back
}

TEST(Snooze, NotPastTheDigestAndOnlyReasonableDurations) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.say("alice", "/update later 1h");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "This week's prompt has not come yet"));
    bot.advance_to("2026-11-20T13:30:00Z");  // Friday 14:30 Berlin, the digest at 16:00
    bot.sent();
    bot.say("alice", "/update later 2h");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "digest goes out Fri 20 Nov 16:00 CET, before 2h from now"))
        << bot.last_text_to("@alice");
    for (const char* bad : {"2x", "0m", "2d", "1m", "-1h", "99999999999h"}) {
        bot.say("alice", std::string("/update later ") + bad);
        EXPECT_TRUE(has(bot.last_text_to("@alice"), "is not a time I can wait: from 5m to 1d")) << bad;
    }
    bot.say("alice", "/update later 1h 30m");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Usage: /update later [duration]"));
    bot.say("alice", "/update later 1h");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "OK, I will ask again"));
}

TEST(Snooze, NothingComesBackOnceTheUpdateIsWritten) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-19T14:00:00Z");
    bot.say("alice", "/update later 1h");
    for (const char* a : {"g", "c", "none", "n"}) bot.say("alice", a);
    bot.say("alice", "/update later 1h");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "already complete, so there is nothing to put off"));
    bot.advance_to("2026-11-19T16:00:00Z");
    EXPECT_EQ(count(bot.sent_to("@alice"), back), 0u);
}

TEST(Snooze, SurvivesARestartAndComesOnce) {
    const std::string path = ::testing::TempDir() + "snooze_restart.db";
    std::remove(path.c_str());
    {
        test_bot bot(team, "2026-11-16T08:00:00Z", path);
        bot.advance_to("2026-11-19T14:00:00Z");
        bot.say("alice", "/update later 1h");
    }
    test_bot again(team, "2026-11-19T14:30:00Z", path);
    again.restart_at("2026-11-19T15:10:00Z");  // down through the snooze's time: it comes on start
    EXPECT_EQ(count(again.sent_to("@alice"), back), 1u);
    again.restart_at("2026-11-19T15:20:00Z");
    EXPECT_EQ(count(again.sent_to("@alice"), back), 0u);
}

TEST(Snooze, TheLimitIsConfigurable) {
    test_bot bot(std::string(team) + "\n[rituals.weekly_update]\nsnoozes_per_week = 0\n", "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-19T14:00:00Z");
    bot.say("alice", "/update later");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Putting the prompt off is turned off"));
}

TEST(Snooze, TheSnoozedPromptAsksTheTeamsOwnQuestions) {
    const std::string own = std::string(team) + R"(
[teams.weekly_update]
questions = [
  { label = "Shipped", text = "What did you ship?" },
  { label = "Blockers", text = "What slows you down?" },
]
risk = "Blockers"
)";
    test_bot bot(own, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-19T14:00:00Z");
    bot.say("alice", "The parser");  // the answer to question 1
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Question 2 of 2: What slows you down?"));
    bot.say("alice", "/update later 1h");
    bot.sent();
    bot.advance_to("2026-11-19T15:00:00Z");
    auto again = bot.sent_to("@alice");
    ASSERT_EQ(count(again, back), 1u);
    EXPECT_TRUE(has(again[0].text, "(1 of 2 answered)")) << again[0].text;
    EXPECT_TRUE(has(again[0].text, "Question 2 of 2: What slows you down?")) << again[0].text;
    bot.say("alice", "Review queue");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "complete")) << bot.last_text_to("@alice");
}
