#include <gtest/gtest.h>

#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

const std::string config_text = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob", "cleo"]

[[members]]
id = "bob"
timezone = "America/New_York"
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

struct checkin_bot : test_bot {
    explicit checkin_bot(const std::string& extra = "") : test_bot(config_text + extra, "2026-11-16T08:00:00Z") {
        say("maria", "/okr add \"Accelerate delivery\"");
        say("maria", "/okr kr add O1 \"Reduce CI build time\" target=5 baseline=12 unit=min owner=@alice");
        say("maria", "/okr kr add O1 \"Deploys per week\" target=10 baseline=2 owner=@bob");
        say("maria", "/okr add \"Reliability\"");
        say("maria", "/okr kr add O2 \"Uptime\" target=99.95 baseline=99.5 unit=% owner=@alice");
        sent();
    }

    std::string answer(const std::string& user, const std::string& text) {
        say(user, text);
        return last_text_to("@" + user);
    }
};

}  // namespace

TEST(OkrCheckin, AsksEachOwnerWednesdayAt11InTheirZone) {
    checkin_bot bot;
    bot.advance_to("2026-11-18T09:59:59Z");
    EXPECT_TRUE(bot.sent().empty());
    bot.advance_to("2026-11-18T10:00:00Z");  // 11:00 in Berlin
    auto msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].where(), "@alice");
    EXPECT_TRUE(has(msgs[0].text, "OKR check-in \u2014 week 2026-W47")) << msgs[0].text;
    EXPECT_TRUE(has(msgs[0].text, "You own 2 key results")) << msgs[0].text;
    EXPECT_TRUE(has(msgs[0].text, "KR1.1 Reduce CI build time (alpha): now 12 min, target 5 min")) << msgs[0].text;
    bot.advance_to("2026-11-18T15:59:59Z");
    EXPECT_TRUE(bot.sent().empty());
    bot.advance_to("2026-11-18T16:00:00Z");  // 11:00 in New York
    msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].where(), "@bob");
    EXPECT_TRUE(has(msgs[0].text, "KR1.2 Deploys per week")) << msgs[0].text;
    // cleo and maria own nothing and hear nothing.
    bot.advance_to("2026-11-19T08:00:00Z");
    EXPECT_TRUE(bot.sent().empty());
}

TEST(OkrCheckin, NumbersAreRecordedOneKrAtATime) {
    checkin_bot bot;
    bot.advance_to("2026-11-18T10:00:00Z");
    bot.sent();
    auto first = bot.answer("alice", "9 caching helped");
    EXPECT_TRUE(has(first, "Recorded KR1.1 at 9 min. Progress 43%, expected 52%: on track.")) << first;
    EXPECT_TRUE(has(first, "KR2.1 Uptime (alpha): now 99.5%")) << first;
    auto second = bot.answer("alice", "99.8%");
    EXPECT_TRUE(has(second, "Recorded KR2.1 at 99.8%.")) << second;
    EXPECT_TRUE(has(second, "That was the last one; thanks for checking in.")) << second;
    auto h = bot.answer("alice", "/okr history KR1.1");
    EXPECT_TRUE(has(h, "9 min (was 12) by @alice \u2014 caching helped")) << h;
    // Nothing is pending any more: a plain DM is the weekly update's again.
    EXPECT_TRUE(has(bot.answer("alice", "10"), "I am not waiting for an answer from you right now."));
}

TEST(OkrCheckin, SameKeepsTheValueAndCountsAsACheckin) {
    checkin_bot bot;
    bot.advance_to("2026-11-18T16:00:00Z");
    bot.sent();
    auto kept = bot.answer("bob", "same");
    EXPECT_TRUE(has(kept, "Kept KR1.2 at 2.")) << kept;
    auto status = bot.answer("bob", "/okr status");
    EXPECT_TRUE(has(status, "2 \u2192 2 \u2192 10")) << status;
    EXPECT_TRUE(has(status, "@bob    today")) << status;
}

TEST(OkrCheckin, SkipLeavesTheKrAndAsksTheNext) {
    checkin_bot bot;
    bot.advance_to("2026-11-18T10:00:00Z");
    bot.sent();
    auto skipped = bot.answer("alice", "skip");
    EXPECT_TRUE(has(skipped, "Skipped KR1.1 for this week.")) << skipped;
    EXPECT_TRUE(has(skipped, "KR2.1 Uptime")) << skipped;
    EXPECT_TRUE(has(bot.answer("alice", "/okr history KR1.1"), "No check-ins yet."));
}

TEST(OkrCheckin, AnythingElseGetsAHint) {
    checkin_bot bot;
    bot.advance_to("2026-11-18T10:00:00Z");
    bot.sent();
    auto hint = bot.answer("alice", "it went down a bit");
    EXPECT_TRUE(has(hint, "I'm waiting for the new value of KR1.1 Reduce CI build time (now 12 min).")) << hint;
    EXPECT_TRUE(has(hint, "`same` to keep 12, or `skip`")) << hint;
    EXPECT_TRUE(has(bot.answer("alice", "9"), "Recorded KR1.1 at 9 min."));
}

TEST(OkrCheckin, SettingTheValueByCommandAnswersTheCheckin) {
    checkin_bot bot;
    bot.advance_to("2026-11-18T10:00:00Z");
    bot.sent();
    bot.say("alice", "/okr set KR1.1 8");
    auto next = bot.answer("alice", "99.9");  // the pending question is now KR2.1
    EXPECT_TRUE(has(next, "Recorded KR2.1 at 99.9%.")) << next;
}

TEST(OkrCheckin, ClosesAfterItsWindow) {
    checkin_bot bot;
    bot.advance_to("2026-11-18T10:00:00Z");
    bot.sent();
    bot.advance_to("2026-11-19T10:00:00Z");  // 24 h later
    EXPECT_TRUE(has(bot.answer("alice", "9"), "I am not waiting for an answer from you right now."));
}

TEST(OkrCheckin, AWeeklyUpdateStartedLaterGetsTheDirectMessages) {
    checkin_bot bot;
    bot.advance_to("2026-11-18T10:00:00Z");
    bot.advance_to("2026-11-18T12:00:00Z");
    bot.sent();
    bot.say("alice", "/update");  // after the check-in was asked
    EXPECT_TRUE(has(bot.answer("alice", "Shipped the cache"), "Question 2 of 4")) ;
    EXPECT_TRUE(has(bot.answer("alice", "12"), "Question 3 of 4"));  // a number, but the update asked last
    auto shown = bot.answer("alice", "/update show");
    EXPECT_TRUE(has(shown, "12")) << shown;
    EXPECT_TRUE(has(bot.answer("alice", "/okr history KR1.1"), "No check-ins yet."));
}

TEST(OkrCheckin, TextThatIsNoAnswerFallsThroughToAWaitingWeeklyUpdate) {
    // The check-in comes Friday morning, after Thursday's weekly prompt.
    checkin_bot bot("[rituals.okr]\ncheckin = \"Fri 09:00\"\n");
    bot.advance_to("2026-11-19T14:00:00Z");  // alice's weekly prompt (Thu 15:00 Berlin)
    bot.advance_to("2026-11-20T08:00:00Z");  // the check-in (Fri 09:00 Berlin)
    auto msgs = bot.sent_to("@alice");
    ASSERT_GE(msgs.size(), 2u);
    EXPECT_TRUE(has(msgs.back().text, "OKR check-in")) << msgs.back().text;
    EXPECT_TRUE(has(bot.answer("alice", "9"), "Recorded KR1.1 at 9 min."));  // the check-in asked last
    EXPECT_TRUE(has(bot.answer("alice", "Shipped the cache"), "Question 2 of 4"));  // the update's answer
    EXPECT_TRUE(has(bot.answer("alice", "99.7"), "Recorded KR2.1 at 99.7%."));
}

TEST(OkrCheckin, RestartNeitherRepeatsNorSkipsIt) {
    checkin_bot bot;
    bot.advance_to("2026-11-18T10:00:00Z");
    EXPECT_EQ(bot.sent_to("@alice").size(), 1u);
    bot.restart_at("2026-11-18T10:30:00Z");
    EXPECT_TRUE(bot.sent_to("@alice").empty());
    // Down over the next Wednesday 11:00 and back within the window: it comes late.
    bot.restart_at("2026-11-25T15:00:00Z");
    auto late = bot.sent_to("@alice");
    ASSERT_EQ(late.size(), 1u);
    EXPECT_TRUE(has(late[0].text, "week 2026-W48")) << late[0].text;
}

TEST(OkrCheckin, DayAndTimeAreConfigurable) {
    checkin_bot bot("[rituals.okr]\ncheckin = \"Mon 09:30\"\n");
    auto checkins = [&] {
        int n = 0;
        for (const auto& m : bot.sent_to("@alice")) n += has(m.text, "OKR check-in");
        return n;
    };
    bot.advance_to("2026-11-16T08:30:00Z");  // Mon 09:30 Berlin, the day it starts
    EXPECT_EQ(checkins(), 1);
    bot.advance_to("2026-11-23T08:29:59Z");
    EXPECT_EQ(checkins(), 0);  // not on Wednesday
    bot.advance_to("2026-11-23T08:30:00Z");  // Mon 09:30 Berlin
    EXPECT_EQ(checkins(), 1);
}

TEST(OkrCheckin, ArchivedObjectivesAreNotAskedAbout) {
    checkin_bot bot;
    bot.say("maria", "/okr archive O2");
    bot.sent();
    bot.advance_to("2026-11-18T10:00:00Z");
    auto msgs = bot.sent_to("@alice");
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_TRUE(has(msgs[0].text, "You own one key result.")) << msgs[0].text;
    EXPECT_TRUE(has(bot.answer("alice", "9"), "That was the last one"));
}

// A finished weekly update of a team with three questions waits for nothing:
// the check-in's hint answers a plain text, not the weekly update.
TEST(OkrCheckin, AFinishedUpdateOfThreeQuestionsDoesNotTakeTheCheckinsText) {
    checkin_bot bot(R"(
[rituals.weekly_update]
prompt = "Tue 10:00"
questions = [
  { label = "Shipped", text = "What did you ship?" },
  { label = "Next", text = "What is next?" },
  { label = "Help", text = "Who could help?" },
]
)");
    bot.advance_to("2026-11-17T09:00:00Z");  // Tue 10:00 in Berlin: the prompt
    bot.sent();
    bot.say("alice", "The parser");
    bot.say("alice", "The lexer");
    EXPECT_TRUE(has(bot.answer("alice", "Nobody"), "complete"));
    bot.advance_to("2026-11-18T10:00:00Z");  // the check-in
    bot.sent();
    auto hint = bot.answer("alice", "it went down a bit");
    EXPECT_TRUE(has(hint, "I'm waiting for the new value of KR1.1 Reduce CI build time (now 12 min).")) << hint;
    EXPECT_TRUE(has(bot.answer("alice", "10"), "KR2.1 Uptime")) << bot.last_text_to("@alice");
}
