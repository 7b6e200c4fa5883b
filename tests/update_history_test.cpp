// Looking back: /update history, /update show of a past week with the team's
// labels, and the digest's thanks for answer streaks.
#include <gtest/gtest.h>

#include "handlers/update_history.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

const char* const org = R"(
[org]
admins = ["olga"]

[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob"]

[teams.weekly_update]
questions = [
  { label = "Shipped", text = "What did you ship?" },
  { label = "Risks", text = "What is at risk?" },
]
risk = "Risks"

[[teams]]
name = "beta"
channel = "#beta"
timezone = "Europe/Berlin"
managers = ["mike"]
members = ["carol"]
)";

void answer(test_bot& bot, const std::string& user, const std::string& what) {
    bot.say(user, "/update");
    bot.say(user, what);
    bot.say(user, "none");
}

// Weeks 2026-W44 .. W48: prompts on Thursdays 14:00Z, digests on Fridays 15:00Z.
// alice: answers W44, W45, skips W46 "on holiday", answers W47, misses W48.
// bob: answers W47 and W48 only.
void five_weeks(test_bot& bot) {
    bot.advance_to("2026-10-29T14:00:00Z");
    answer(bot, "alice", "W44 work");
    bot.advance_to("2026-11-05T14:00:00Z");
    answer(bot, "alice", "W45 work");
    bot.advance_to("2026-11-12T14:00:00Z");
    bot.say("alice", "/update skip on holiday");
    bot.advance_to("2026-11-19T14:00:00Z");
    answer(bot, "alice", "W47 work");
    answer(bot, "bob", "bob W47");
    bot.advance_to("2026-11-26T14:00:00Z");
    answer(bot, "bob", "bob W48");
    bot.advance_to("2026-12-03T10:00:00Z");  // Thursday of W49, before its prompt
    bot.sent();
}

}  // namespace

TEST(UpdateHistory, ListsEachWeekAnsweredSkippedOrMissing) {
    test_bot bot(org, "2026-10-26T08:00:00Z");
    five_weeks(bot);
    bot.say("alice", "/update history");
    auto text = bot.last_text_to("@alice");
    EXPECT_TRUE(has(text, "Your weekly updates, the last 8 weeks")) << text;
    EXPECT_TRUE(has(text, "2026-W49: this week, open until the digest on Fri 04 Dec 16:00 CET")) << text;
    EXPECT_TRUE(has(text, "2026-W48: missing")) << text;
    EXPECT_TRUE(has(text, "2026-W47: answered")) << text;
    EXPECT_TRUE(has(text, "2026-W46: skipped (on holiday)")) << text;
    EXPECT_TRUE(has(text, "2026-W44: answered")) << text;
    EXPECT_FALSE(has(text, "2026-W43")) << text;  // before ritualbot first asked her
    EXPECT_TRUE(has(text, "Answered 3, skipped 1, missing 1.")) << text;
    EXPECT_TRUE(has(text, "Nothing before week 2026-W44")) << text;
    // Newest first.
    EXPECT_LT(text.find("2026-W48"), text.find("2026-W44"));

    bot.say("alice", "/update history 2");
    text = bot.last_text_to("@alice");
    EXPECT_TRUE(has(text, "the last 2 weeks")) << text;
    EXPECT_TRUE(has(text, "2026-W48: missing")) << text;
    EXPECT_FALSE(has(text, "2026-W47")) << text;
}

TEST(UpdateHistory, TeammatesManagersAndAdminsMayLookOthersMayNot) {
    test_bot bot(org, "2026-10-26T08:00:00Z");
    five_weeks(bot);
    bot.say("bob", "/update history @alice 3");
    auto text = bot.last_text_to("@bob");
    EXPECT_TRUE(has(text, "Weekly updates of alice, the last 3 weeks")) << text;
    EXPECT_TRUE(has(text, "2026-W47: answered")) << text;
    bot.say("maria", "/update history @bob");
    text = bot.last_text_to("@maria");
    EXPECT_TRUE(has(text, "2026-W48: answered")) << text;
    EXPECT_TRUE(has(text, "Nothing before week 2026-W44")) << text;  // prompted from W44 on
    EXPECT_TRUE(has(text, "2026-W46: missing")) << text;
    bot.say("olga", "/update history @carol");
    EXPECT_TRUE(has(bot.last_text_to("@olga"), "Weekly updates of carol")) << bot.last_text_to("@olga");
    bot.say("carol", "/update history @alice");
    EXPECT_TRUE(has(bot.last_text_to("@carol"), "You can only see the history of people in your own teams"));
    bot.say("mike", "/update history @alice");
    EXPECT_TRUE(has(bot.last_text_to("@mike"), "You can only see the history"));
    bot.say("alice", "/update history @nobody");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "'nobody' is not a member of any team"));
}

TEST(UpdateHistory, BadArgumentsGetAClearAnswer) {
    test_bot bot(org, "2026-11-19T14:30:00Z");
    bot.say("alice", "/update history 53");
    auto text = bot.last_text_to("@alice");
    EXPECT_TRUE(has(text, "from 1 to 52 weeks, not 53")) << text;
    EXPECT_TRUE(has(text, "Usage: /update history")) << text;
    bot.say("alice", "/update history 0");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "not 0"));
    bot.say("alice", "/update history 99999999999999");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "from 1 to 52 weeks"));
    bot.say("alice", "/update history @bob @carol");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Name one person"));
    bot.say("alice", "/update history 52");
    text = bot.last_text_to("@alice");
    EXPECT_TRUE(has(text, "the last 52 weeks")) << text;
    EXPECT_TRUE(has(text, "2026-W47: this week")) << text;
    bot.say("alice", "/update help");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "/update history [@user] [n]"));
    bot.say("alice", "/ritual help");
    std::string help;
    for (const auto& m : bot.sent_to("@alice")) help += m.text;
    EXPECT_TRUE(has(help, "/update history [@user] [n]")) << help;
    EXPECT_TRUE(has(help, "/update edit [n | label]")) << help;
}

TEST(UpdateHistory, ShowOfAPastWeekUsesTheTeamsLabels) {
    test_bot bot(org, "2026-10-26T08:00:00Z");
    five_weeks(bot);
    bot.say("bob", "/update show @alice 2026-W45");
    auto text = bot.last_text_to("@bob");
    EXPECT_TRUE(has(text, "Weekly update of alice, week 2026-W45")) << text;
    EXPECT_TRUE(has(text, "Shipped: W45 work")) << text;
    EXPECT_TRUE(has(text, "Risks: none")) << text;
    bot.say("bob", "/update show @alice 2026-W46");
    EXPECT_TRUE(has(bot.last_text_to("@bob"), "Skipped: on holiday"));
    bot.say("olga", "/update show @alice 2026-W44");  // an org admin
    EXPECT_TRUE(has(bot.last_text_to("@olga"), "Shipped: W44 work"));
}

TEST(AnswerStreak, ASkipWithAReasonIsPassedOverAndAMissEndsIt) {
    test_bot bot(org, "2026-10-26T08:00:00Z");
    five_weeks(bot);
    EXPECT_EQ(answer_streak(*bot.db, "alice", "2026-W47"), 3);  // W44, W45, (W46 skipped), W47
    EXPECT_EQ(answer_streak(*bot.db, "alice", "2026-W46"), 0);  // that week itself was skipped
    EXPECT_EQ(answer_streak(*bot.db, "alice", "2026-W48"), 0);
    EXPECT_EQ(answer_streak(*bot.db, "bob", "2026-W48"), 2);
    EXPECT_EQ(answer_streak(*bot.db, "carol", "2026-W48"), 0);
}

TEST(AnswerStreak, ASkipWithoutAReasonEndsTheStreak) {
    test_bot bot(org, "2026-10-26T08:00:00Z");
    bot.advance_to("2026-10-29T14:00:00Z");
    answer(bot, "alice", "a");
    bot.advance_to("2026-11-05T14:00:00Z");
    bot.say("alice", "/update skip");
    bot.advance_to("2026-11-12T14:00:00Z");
    answer(bot, "alice", "b");
    EXPECT_EQ(answer_streak(*bot.db, "alice", "2026-W46"), 1);
}

TEST(AnswerStreak, TheDigestThanksLongStreaksAndShamesNobody) {
    test_bot bot(org, "2026-10-26T08:00:00Z");
    bot.advance_to("2026-10-29T14:00:00Z");
    answer(bot, "alice", "a1");
    answer(bot, "bob", "b1");
    bot.advance_to("2026-11-05T14:00:00Z");
    answer(bot, "alice", "a2");
    answer(bot, "bob", "b2");
    bot.advance_to("2026-11-12T14:00:00Z");
    bot.say("alice", "/update skip on holiday");
    answer(bot, "bob", "b3");
    bot.advance_to("2026-11-13T15:00:00Z");  // the W46 digest
    auto w46 = bot.last_text_to("#alpha");
    EXPECT_TRUE(has(w46, "Thank you for writing your update week after week: bob (3 weeks running).")) << w46;
    bot.advance_to("2026-11-19T14:00:00Z");
    answer(bot, "alice", "a4");              // bob misses this week
    bot.advance_to("2026-11-20T15:00:00Z");  // the W47 digest
    auto w47 = bot.last_text_to("#alpha");
    EXPECT_TRUE(has(w47, "week 2026-W47")) << w47;
    EXPECT_TRUE(has(w47, "Thank you for writing your update week after week: alice (3 weeks running).")) << w47;
    EXPECT_TRUE(has(w47, "Missing: bob.")) << w47;  // as before: no word about his streak
    for (const char* harsh : {"streak", "broke", "ended", "lost"}) EXPECT_FALSE(has(w47, harsh)) << harsh;
    // Two weeks running is not yet mentioned.
    bot.advance_to("2026-11-26T14:00:00Z");
    answer(bot, "bob", "b5");
    answer(bot, "alice", "a5");
    bot.advance_to("2026-11-27T15:00:00Z");
    auto w48 = bot.last_text_to("#alpha");
    EXPECT_TRUE(has(w48, "alice (4 weeks running)")) << w48;
    EXPECT_FALSE(has(w48, "bob (")) << w48;
}
