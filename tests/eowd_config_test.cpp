#include <gtest/gtest.h>

#include "config/config.hpp"

using namespace ritualbot;

namespace {

const std::string team = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
members = ["alice"]
)";

std::string all_errors(const config_load_result& r) {
    std::string s;
    for (const auto& e : r.errors) s += format_config_error("c.toml", e) + "\n";
    return s;
}

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

}  // namespace

TEST(EowdConfig, OffByDefaultWithTheIssueDefaults) {
    auto r = load_config_string(team);
    ASSERT_TRUE(r.cfg) << all_errors(r);
    const eowd_config& e = r.cfg->eowd;
    EXPECT_FALSE(e.enabled);
    EXPECT_EQ(format_weekly_time(e.at), "Fri 15:00");
    EXPECT_EQ(format_weekly_time(e.opens), "Mon 10:00");
    EXPECT_EQ(format_weekly_time(e.closes), "Fri 12:00");
    EXPECT_EQ(e.slots, 6);
    EXPECT_EQ(e.slot_length, std::chrono::minutes(10));
    EXPECT_EQ(e.remind_before, std::chrono::hours(1));
    const learning_config& l = r.cfg->learning;
    EXPECT_FALSE(l.enabled);
    EXPECT_EQ(format_monthly_time(l.at), "first Tue 16:00");
    EXPECT_EQ(l.length, std::chrono::minutes(60));
    EXPECT_EQ(l.call_days_before, 7);
}

TEST(EowdConfig, ReadsEveryKeyAndATeamsOwnSettings) {
    auto r = load_config_string(team + R"(
[teams.eowd]
at = "Thu 16:00"
closes = "Thu 12:00"

[teams.learning]
enabled = false

[[teams]]
name = "beta"
channel = "#beta"
members = ["bob"]

[rituals.eowd]
enabled = true
at = "Fri 14:00"
slots = 4
slot_length = "15m"
opens = "Tue 09:00"
closes = "Fri 09:30"
remind_before = "30m"

[rituals.learning]
enabled = true
at = "last Thu 15:30"
length = "45m"
call_days_before = 10
remind_before = "2h"
)");
    ASSERT_TRUE(r.cfg) << all_errors(r);
    const config& c = *r.cfg;
    EXPECT_EQ(c.eowd.slots, 4);
    EXPECT_EQ(c.eowd.slot_length, std::chrono::minutes(15));
    EXPECT_EQ(format_weekly_time(c.eowd.opens), "Tue 09:00");
    EXPECT_EQ(c.eowd.remind_before, std::chrono::minutes(30));
    EXPECT_EQ(format_monthly_time(c.learning.at), "last Thu 15:30");
    EXPECT_EQ(c.learning.call_days_before, 10);
    // alpha: the global settings with its own keys applied.
    const eowd_config& alpha = c.eowd_of(c.teams[0]);
    EXPECT_TRUE(alpha.enabled);
    EXPECT_EQ(format_weekly_time(alpha.at), "Thu 16:00");
    EXPECT_EQ(format_weekly_time(alpha.closes), "Thu 12:00");
    EXPECT_EQ(alpha.slots, 4);
    EXPECT_FALSE(c.learning_of(c.teams[0]).enabled);
    // beta has none of its own.
    EXPECT_EQ(format_weekly_time(c.eowd_of(c.teams[1]).at), "Fri 14:00");
    EXPECT_TRUE(c.learning_of(c.teams[1]).enabled);
}

TEST(EowdConfig, MistakesAreErrorsWithTheirLine) {
    auto r = load_config_string(team + R"(
[rituals.eowd]
enabled = "yes"
slots = 0
slot_length = "10 minutes"
closes = "Fri 16:00"
colour = "blue"

[rituals.learning]
at = "every Tue 16:00"
call_days_before = 40
)");
    ASSERT_FALSE(r.cfg);
    const std::string errors = all_errors(r);
    EXPECT_TRUE(has(errors, "c.toml:8: [rituals.eowd] enabled must be true or false")) << errors;
    EXPECT_TRUE(has(errors, "c.toml:9: [rituals.eowd] slots must be a whole number from 1 to 20")) << errors;
    EXPECT_TRUE(has(errors, "c.toml:10: [rituals.eowd] slot_length: expected a duration")) << errors;
    EXPECT_TRUE(has(errors, "unknown key 'colour' in [rituals.eowd]")) << errors;
    // closes after the EOWD starts (15:00)
    EXPECT_TRUE(has(errors, "sign-ups must open before they close, and close no later than the EOWD")) << errors;
    EXPECT_TRUE(has(errors, "c.toml:15: [rituals.learning] at: expected which weekday of the month")) << errors;
    EXPECT_TRUE(has(errors, "call_days_before must be a whole number from 1 to 27")) << errors;
}

TEST(EowdConfig, ATeamsOwnSettingsAreCheckedToo) {
    auto r = load_config_string(team + R"(
[teams.eowd]
opens = "Sat 10:00"
)");
    ASSERT_FALSE(r.cfg);
    EXPECT_TRUE(has(all_errors(r), "team 'alpha' [teams.eowd]: sign-ups must open before they close")) << all_errors(r);
}

TEST(EowdConfig, MonthlyTimes) {
    std::string err;
    auto t = parse_monthly_time("second Wednesday 9:30", err);
    ASSERT_TRUE(t) << err;
    EXPECT_EQ(t->ordinal, 2);
    EXPECT_EQ(t->weekday, 3u);
    EXPECT_EQ(format_monthly_time(*t), "second Wed 09:30");
    EXPECT_TRUE(parse_monthly_time("4th fri 17:00", err));
    EXPECT_FALSE(parse_monthly_time("fifth Mon 10:00", err));
    EXPECT_FALSE(parse_monthly_time("first Tue", err));
    EXPECT_FALSE(parse_monthly_time("", err));
    EXPECT_FALSE(parse_monthly_time("last Tue 25:00", err));
}

TEST(EowdConfig, ExampleConfigEnablesBoth) {
    auto r = load_config_file(std::string(RITUALBOT_SOURCE_DIR) + "/config/example.toml");
    ASSERT_TRUE(r.cfg) << all_errors(r);
    EXPECT_TRUE(r.cfg->eowd.enabled);
    EXPECT_TRUE(r.cfg->learning.enabled);
}

TEST(EowdConfig, ASharedLearningSessionTakesOnlyEnabledFromATeam) {
    auto r = load_config_string(team + R"(
[teams.learning]
enabled = false
at = "last Fri 10:00"

[rituals.learning]
enabled = true
across_teams = true
timezone = "Mars/Olympus"
)");
    ASSERT_FALSE(r.cfg);
    const std::string errors = all_errors(r);
    EXPECT_TRUE(has(errors, "c.toml:9: team 'alpha' [teams.learning]: with [rituals.learning] across_teams = true a "
                            "team may only set enabled")) << errors;
    EXPECT_TRUE(has(errors, "unknown time zone 'Mars/Olympus'")) << errors;
    auto team_key = load_config_string(team + "\n[teams.learning]\nacross_teams = true\n");
    EXPECT_TRUE(has(all_errors(team_key), "unknown key 'across_teams' in team 'alpha' [teams.learning]"))
        << all_errors(team_key);
}
