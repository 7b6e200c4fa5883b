#include <gtest/gtest.h>

#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

const char* const two_zones = R"(
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

}  // namespace

TEST(WeeklyUpdate, PromptComesAtEachMembersLocalTime) {
    test_bot bot(two_zones, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-19T13:59:59Z");
    EXPECT_TRUE(bot.sent().empty());
    bot.advance_to("2026-11-19T14:00:00Z");  // Thu 15:00 in Berlin
    auto msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].where(), "@alice");
    EXPECT_NE(msgs[0].text.find("Question 1 of 4: What goal did I work toward?"), std::string::npos);
    bot.advance_to("2026-11-19T20:00:00Z");  // Thu 15:00 in New York
    EXPECT_EQ(bot.sent_to("@bob").size(), 1u);
}
