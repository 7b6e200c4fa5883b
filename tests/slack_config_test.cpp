#include <gtest/gtest.h>

#include "config/config.hpp"

using namespace ritualbot;

namespace {
config_load_result load(const std::string& text) { return load_config_string(text, "t.toml"); }
std::string errors_of(const config_load_result& r) {
    std::string all;
    for (const auto& e : r.errors) all += format_config_error("t.toml", e) + "\n";
    return all;
}
}  // namespace

TEST(SlackConfig, SlackTeamWithIdsLoads) {
    auto r = load(R"(
[[teams]]
name = "alpha"
platform = "slack"
channel = "C0123ABCD"
managers = ["U0MANAGER"]
members = ["U0ALICE", "W0BOB"]
)");
    ASSERT_TRUE(r.cfg) << errors_of(r);
    EXPECT_EQ(r.cfg->teams[0].platform, "slack");
    EXPECT_FALSE(r.cfg->teams[0].members_from_channel);
}

TEST(SlackConfig, MembersLeftOutMeansTheChannelsMembers) {
    auto r = load(R"(
[[teams]]
name = "alpha"
platform = "slack"
channel = "C0123ABCD"
managers = ["U0MANAGER"]

[[members]]
id = "U0SOMEONE"
timezone = "Asia/Tokyo"
)");
    ASSERT_TRUE(r.cfg) << errors_of(r);
    EXPECT_TRUE(r.cfg->teams[0].members_from_channel);
    EXPECT_TRUE(r.cfg->teams[0].members.empty());
}

TEST(SlackConfig, ConsoleTeamStillNeedsMembers) {
    auto r = load(R"(
[[teams]]
name = "alpha"
channel = "#alpha"
)");
    EXPECT_FALSE(r.cfg);
    EXPECT_NE(errors_of(r).find("has no members"), std::string::npos);
}

TEST(SlackConfig, NamesInsteadOfIdsAreExplained) {
    auto r = load(R"(
[[teams]]
name = "alpha"
platform = "slack"
channel = "#alpha"
members = ["alice"]
)");
    ASSERT_FALSE(r.cfg);
    const auto all = errors_of(r);
    EXPECT_NE(all.find("t.toml:5: team 'alpha': a Slack channel is its id"), std::string::npos) << all;
    EXPECT_NE(all.find("'alice' is not a Slack user id"), std::string::npos) << all;
}

TEST(SlackConfig, UnknownPlatformListsSlack) {
    auto r = load(R"(
[[teams]]
name = "alpha"
platform = "teams"
channel = "#alpha"
members = ["a"]
)");
    ASSERT_FALSE(r.cfg);
    EXPECT_NE(errors_of(r).find("available: console, slack"), std::string::npos);
}
