// The charts the handlers put in chat messages: the digest's participation
// over 12 weeks (earlier weeks counted from their statuses, as the digest
// counts the current one) and /okr status's progress per key result.
#include <gtest/gtest.h>

#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

const char* const team = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob"]
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

const block* chart_of(const message& m) {
    for (const block& b : m.blocks())
        if (b.kind == block_kind::image) return &b;
    return nullptr;
}

}  // namespace

TEST(ChatCharts, TheDigestChartCountsEveryWeekAsTheDigestDid) {
    test_bot bot(team, "2026-11-09T08:00:00Z");
    // Week 46: alice answers, bob skips. Week 47: nobody; alice half-way.
    for (const char* a : {"/update", "Parser", "Merged", "none", "Docs"}) bot.say("alice", a);
    bot.say("bob", "/update skip on holiday");
    bot.advance_to("2026-11-13T15:00:00Z");  // the week 46 digest
    bot.sent();
    bot.advance_to("2026-11-19T14:00:00Z");
    bot.say("alice", "Half");
    bot.advance_to("2026-11-20T15:00:00Z");  // the week 47 digest
    message digest;
    for (const auto& m : bot.sent_to("#alpha"))
        if (has(m.text, "weekly digest, week 2026-W47")) digest = m.body;
    const block* chart = chart_of(digest);
    ASSERT_NE(chart, nullptr);
    EXPECT_TRUE(has(chart->text, "Participation, last 12 weeks (alpha)")) << chart->text;
    EXPECT_TRUE(has(chart->text, "oldest first: 2026-W36: 0 of 2;")) << chart->text;
    EXPECT_TRUE(has(chart->text, "2026-W46: 1 of 2; 2026-W47: 0 of 2.")) << chart->text;
    EXPECT_TRUE(chart->svg.starts_with("<svg")) << chart->svg.substr(0, 40);
    EXPECT_TRUE(has(chart->svg, ">1/2<")) << "week 46's bar";
    // The text is still there, before the chart.
    EXPECT_TRUE(has(digest.plain_text(), "Participation: 0 of 2 answered."));
    EXPECT_LT(digest.plain_text().find("Participation: 0 of 2"), digest.plain_text().find("[chart]"));
}

TEST(ChatCharts, OkrStatusShowsEachKeyResultAgainstItsExpectedMark) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.say("maria", "/okr add \"Faster builds\"", "#alpha");
    bot.say("maria", "/okr kr add O1 \"Build time\" target=10 baseline=30 unit=min owner=@alice", "#alpha");
    bot.say("maria", "/okr kr add O1 \"Flaky tests\" target=0 baseline=40", "#alpha");
    bot.say("alice", "/okr set KR1.1 20", "#alpha");
    bot.sent();
    bot.say("maria", "/okr status", "#alpha");
    const auto answers = bot.sent_to("@maria");
    ASSERT_FALSE(answers.empty());
    const block* chart = chart_of(answers.back().body);
    ASSERT_NE(chart, nullptr);
    EXPECT_TRUE(has(chart->text, "Key results of alpha")) << chart->text;
    EXPECT_TRUE(has(chart->text, "KR1.1 50% (expected")) << chart->text;
    EXPECT_TRUE(has(chart->text, "KR1.2 0% (expected")) << chart->text;
    EXPECT_EQ(std::count(chart->svg.begin(), chart->svg.end(), '\n'), 0);
    EXPECT_TRUE(has(chart->svg, "class=\"mark\"")) << "the expected marks";
    EXPECT_TRUE(has(answers.back().text, "Build time")) << "the table stays";
}

TEST(ChatCharts, NoKeyResultsNoChart) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.say("maria", "/okr status", "#alpha");
    const auto answers = bot.sent_to("@maria");
    ASSERT_FALSE(answers.empty());
    EXPECT_EQ(chart_of(answers.back().body), nullptr);
}
