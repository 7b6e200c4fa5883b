#include <gtest/gtest.h>

#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

const char* const config_text = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob"]

[[members]]
id = "bob"
timezone = "America/New_York"
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

}  // namespace

TEST(OkrDigest, PreviewShowsTheSnapshot) {
    test_bot bot(config_text, "2026-11-16T08:00:00Z");
    bot.say("maria", "/okr add \"Accelerate delivery\"");
    bot.say("maria", "/okr kr add O1 \"Deploys per week\" target=10 baseline=2 owner=@bob");
    bot.say("bob", "/okr set KR1.1 6");
    bot.sent();
    bot.say("alice", "/ritual digest preview");
    auto text = bot.last_text_to("@alice");
    EXPECT_TRUE(has(text, "OKR snapshot \u2014 2026-Q4, expected progress 50%")) << text;
    EXPECT_TRUE(has(text, "KR1.1 Deploys per week: 2 \u2192 6 \u2192 10, 50% (expected 50%), on track, @bob")) << text;
    EXPECT_TRUE(has(text, "1 on track, 0 at risk, 0 off track, 0 done.")) << text;
    EXPECT_FALSE(has(text, "OKR warnings")) << text;
}

TEST(OkrDigest, ANewQuarterStartsWithoutOkrsAndSaysSo) {
    test_bot bot(config_text, "2026-12-28T08:00:00Z");
    bot.say("maria", "/okr add \"Accelerate delivery\"");
    bot.say("maria", "/okr kr add O1 \"Deploys per week\" target=10 baseline=2 owner=@bob");
    bot.sent();
    // 23:30 on 31 Dec in Berlin: the last day of Q4, 91 of 92 days over.
    bot.advance_to("2026-12-31T22:30:00Z");
    bot.say("alice", "/okr status");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Expected progress on 2026-12-31: 99% (0 days left).")) ;
    // An hour later Berlin is in 2027-Q1 while New York is still in 2026.
    bot.advance_to("2026-12-31T23:30:00Z");
    bot.say("alice", "/okr status");
    auto alice = bot.last_text_to("@alice");
    EXPECT_TRUE(has(alice, "OKRs \u2014 alpha, 2027-Q1")) << alice;
    EXPECT_TRUE(has(alice, "No OKRs for 2027-Q1")) << alice;
    bot.say("bob", "/okr status");
    auto bob = bot.last_text_to("@bob");
    EXPECT_TRUE(has(bob, "OKRs \u2014 alpha, 2026-Q4")) << bob;
    EXPECT_TRUE(has(bob, "Deploys per week")) << bob;
    // The Friday 1 Jan digest speaks for the new quarter.
    bot.advance_to("2027-01-01T15:00:00Z");
    auto digest = bot.last_text_to("#alpha");
    EXPECT_TRUE(has(digest, "OKR snapshot \u2014 2027-Q1, expected progress 0%")) << digest;
    EXPECT_TRUE(has(digest, "No OKRs for 2027-Q1")) << digest;
    EXPECT_FALSE(has(digest, "Deploys per week")) << digest;
}

TEST(OkrDigest, DoneKeyResultsAreNeverStale) {
    test_bot bot(config_text, "2026-11-16T08:00:00Z");
    bot.say("maria", "/okr add \"Accelerate delivery\"");
    bot.say("maria", "/okr kr add O1 \"Deploys per week\" target=10 baseline=2 owner=@bob");
    bot.say("bob", "/okr set KR1.1 12");
    bot.advance_to("2026-12-04T15:00:00Z");
    auto digest = bot.last_text_to("#alpha");
    EXPECT_TRUE(has(digest, "100% (expected 70%), done, @bob")) << digest;
    EXPECT_FALSE(has(digest, "set and forget")) << digest;
}
