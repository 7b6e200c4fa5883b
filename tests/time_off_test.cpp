// /update away and /update back: no prompts while away, "away" in the digest.
#include <gtest/gtest.h>

#include <cstdio>

#include "storage/person_store.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

// Monday 16 November 2026. Prompts Thu 19 Nov 15:00 Berlin (14:00Z), reminder
// 19:00 (18:00Z), digest Fri 20 Nov 16:00 Berlin (15:00Z).
const char* const team = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob", "carol"]

[[teams]]
name = "beta"
channel = "#beta"
timezone = "Europe/Berlin"
managers = ["mo"]
members = ["dave"]
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

std::size_t prompts_in(const std::vector<sent_message>& msgs) {
    std::size_t n = 0;
    for (const auto& m : msgs) n += has(m.text, "Weekly update \u2014") ? 1 : 0;
    return n;
}

}  // namespace

TEST(TimeOff, NoPromptOrReminderWhileAwayAndTheDigestSaysAwayNotMissing) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.say("alice", "/update away 2026-11-20 conference in Lisbon");
    auto reply = bot.last_text_to("@alice");
    EXPECT_TRUE(has(reply, "away until 2026-11-20 (inclusive): conference in Lisbon")) << reply;
    bot.advance_to("2026-11-20T14:59:59Z");
    auto alice = bot.sent_to("@alice");
    EXPECT_TRUE(alice.empty()) << alice.front().text;  // neither prompt nor reminder
    bot.advance_to("2026-11-20T15:00:00Z");
    auto digest = bot.last_text_to("#alpha");
    EXPECT_TRUE(has(digest, "Away: alice (away until 2026-11-20 (inclusive): conference in Lisbon).")) << digest;
    EXPECT_TRUE(has(digest, "Missing: bob, carol.")) << digest;
    EXPECT_FALSE(has(digest, "Missing: alice")) << digest;
    EXPECT_TRUE(has(digest, "Participation: 0 of 3 answered.")) << digest;
}

TEST(TimeOff, TheUntilDayIsIncludedAndPromptsResumeAfterIt) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.say("alice", "/update away 2026-11-19");  // Thursday, the prompt's day
    bot.advance_to("2026-11-20T16:00:00Z");
    EXPECT_EQ(prompts_in(bot.sent_to("@alice")), 0u);
    bot.advance_to("2026-11-26T14:00:00Z");  // the next Thursday
    auto alice = bot.sent_to("@alice");
    ASSERT_EQ(prompts_in(alice), 1u);
    EXPECT_TRUE(has(alice.back().text, "week 2026-W48"));
}

TEST(TimeOff, BackEndsItAndThePromptComes) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.say("alice", "/update away 2026-11-27");
    bot.advance_to("2026-11-18T09:00:00Z");
    bot.say("alice", "/ritual schedule");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "You are away until 2026-11-27 (inclusive)")) << bot.last_text_to("@alice");
    bot.say("alice", "/update back");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Welcome back"));
    bot.advance_to("2026-11-19T14:00:00Z");
    EXPECT_EQ(prompts_in(bot.sent_to("@alice")), 1u);
    bot.say("alice", "/update back");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "You are not away."));
}

TEST(TimeOff, AManagerSetsItForTheirTeamMemberWhoIsTold) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.say("maria", "/update away @bob 2026-12-24 parental leave");
    std::string to_maria, to_bob;
    int bob_messages = 0;
    for (const auto& m : bot.sent()) {
        if (m.where() == "@maria") to_maria = m.text;
        if (m.where() == "@bob") to_bob = m.text, ++bob_messages;
    }
    EXPECT_TRUE(has(to_maria, "@bob is away until 2026-12-24 (inclusive): parental leave")) << to_maria;
    EXPECT_TRUE(has(to_maria, "They have been told.")) << to_maria;
    EXPECT_EQ(bob_messages, 1);
    EXPECT_TRUE(has(to_bob, "@maria marked you as away until 2026-12-24 (inclusive): parental leave")) << to_bob;
    bot.say("alice", "/update away @bob 2026-12-01");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Only a manager of @bob's team")) << bot.last_text_to("@alice");
    bot.say("mo", "/update away @bob 2026-12-01");  // beta's manager, not alpha's
    EXPECT_TRUE(has(bot.last_text_to("@mo"), "Only a manager of @bob's team"));
    bot.say("maria", "/update back @bob");
    EXPECT_TRUE(has(bot.last_text_to("@bob"), "@maria ended your time off"));
    bot.advance_to("2026-11-19T14:00:00Z");
    EXPECT_EQ(prompts_in(bot.sent_to("@bob")), 1u);
}

TEST(TimeOff, DatesAreValidatedWithTheLimitsSaid) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.say("alice", "/update away 2026-11-15");
    auto r = bot.last_text_to("@alice");
    EXPECT_TRUE(has(r, "from today (2026-11-16) to a year ahead (2027-11-16)")) << r;
    bot.say("alice", "/update away 2027-11-17");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "to a year ahead (2027-11-16)"));
    bot.say("alice", "/update away 2026-02-30");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "is not a date")) << bot.last_text_to("@alice");
    bot.say("alice", "/update away 3000-01-01");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "to a year ahead"));
    bot.say("alice", "/update away tomorrow");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "is not a date. Write the last day away as YYYY-MM-DD"));
    bot.say("alice", "/update away @");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Who?"));
    bot.say("alice", "/update away @zed 2026-12-01");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "'zed' is not a member of any team"));
    person_store people(*bot.db);
    EXPECT_FALSE(people.time_off("alice"));
    bot.say("alice", "/update away 2026-11-16 today only");  // today is allowed
    ASSERT_TRUE(people.time_off("alice"));
    EXPECT_EQ(people.time_off("alice")->until, "2026-11-16");
}

TEST(TimeOff, MissingAndTheManagerRollUpDoNotCountTheAway) {
    const std::string two_teams = std::string(team) + R"(
[[teams]]
name = "gamma"
channel = "#gamma"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["erin"]
)";
    test_bot bot(two_teams, "2026-11-16T08:00:00Z");
    bot.say("carol", "/update away 2026-11-30 sick");
    bot.advance_to("2026-11-19T14:00:00Z");
    bot.sent();
    bot.say("maria", "/update missing");
    auto missing = bot.last_text_to("@maria");
    EXPECT_TRUE(has(missing, "2 of 2 not done yet")) << missing;
    EXPECT_TRUE(has(missing, "Away: carol (away until 2026-11-30 (inclusive): sick).")) << missing;
    bot.advance_to("2026-11-20T15:00:00Z");
    std::string rollup;
    for (const auto& m : bot.sent_to("@maria"))
        if (has(m.text, "Your teams this week")) rollup = m.text;
    EXPECT_TRUE(has(rollup, "missing: alice, bob; away: carol (away until 2026-11-30 (inclusive): sick)")) << rollup;
}

TEST(TimeOff, AnAnswerWrittenWhileAwayStillCounts) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.say("alice", "/update away 2026-11-20");
    bot.say("alice", "/update");
    for (const char* a : {"g", "c", "none", "n"}) bot.say("alice", a);
    bot.advance_to("2026-11-20T15:00:00Z");
    auto digest = bot.last_text_to("#alpha");
    EXPECT_TRUE(has(digest, "Participation: 1 of 3 answered.")) << digest;
    EXPECT_FALSE(has(digest, "Away:")) << digest;
}

TEST(TimeOff, SurvivesARestart) {
    const std::string path = ::testing::TempDir() + "time_off_restart.db";
    std::remove(path.c_str());
    {
        test_bot bot(team, "2026-11-16T08:00:00Z", path);
        bot.say("alice", "/update away 2026-11-20");
    }
    test_bot again(team, "2026-11-17T08:00:00Z", path);
    again.advance_to("2026-11-20T15:00:00Z");
    std::vector<sent_message> alice;
    std::string digest;
    for (auto& m : again.sent()) {
        if (m.where() == "@alice") alice.push_back(m);
        if (m.where() == "#alpha") digest = m.text;
    }
    EXPECT_EQ(prompts_in(alice), 0u);
    EXPECT_TRUE(has(digest, "Away: alice")) << digest;
}
