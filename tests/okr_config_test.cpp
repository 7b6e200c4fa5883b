#include <gtest/gtest.h>

#include "config/config.hpp"

using namespace ritualbot;

namespace {

const std::string team = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
managers = ["maria"]
members = ["alice"]
)";

}  // namespace

TEST(OkrConfig, DefaultsWhenTheTableIsAbsent) {
    auto r = load_config_string(team);
    ASSERT_TRUE(r.cfg);
    EXPECT_EQ(r.cfg->okr.checkin, (weekly_time{3, 11, 0}));
    EXPECT_EQ(r.cfg->okr.checkin_open_for, std::chrono::hours(24));
    EXPECT_EQ(r.cfg->okr.period, "quarter");
    EXPECT_EQ(r.cfg->okr.on_track_within, 10);
    EXPECT_EQ(r.cfg->okr.at_risk_within, 25);
    EXPECT_EQ(r.cfg->okr.stale_days, 14);
    EXPECT_EQ(r.cfg->okr.max_objectives, 3);
    EXPECT_EQ(r.cfg->okr.max_key_results, 4);
}

TEST(OkrConfig, EveryKeyIsRead) {
    auto r = load_config_string(team + R"(
[rituals.okr]
checkin = "Mon 09:30"
checkin_open_for = "2d"
period = "half"
on_track_within = 5
at_risk_within = 15
stale_days = 10
max_objectives = 2
max_key_results = 5
)");
    ASSERT_TRUE(r.cfg) << (r.errors.empty() ? "" : r.errors[0].message);
    EXPECT_EQ(r.cfg->okr.checkin, (weekly_time{1, 9, 30}));
    EXPECT_EQ(r.cfg->okr.checkin_open_for, std::chrono::hours(48));
    EXPECT_EQ(r.cfg->okr.period, "half");
    EXPECT_EQ(r.cfg->okr.on_track_within, 5);
    EXPECT_EQ(r.cfg->okr.at_risk_within, 15);
    EXPECT_EQ(r.cfg->okr.stale_days, 10);
    EXPECT_EQ(r.cfg->okr.max_objectives, 2);
    EXPECT_EQ(r.cfg->okr.max_key_results, 5);
}

TEST(OkrConfig, BadValuesAreRejectedWithTheirLine) {
    auto r = load_config_string(team + R"(
[rituals.okr]
checkin = "Someday"
period = "fortnight"
on_track_within = 30
at_risk_within = 20
stale_days = 0
colour = "red"
)");
    ASSERT_FALSE(r.cfg);
    std::string all;
    for (const auto& e : r.errors) all += std::to_string(e.line) + ": " + e.message + "\n";
    EXPECT_NE(all.find("9: [rituals.okr] checkin"), std::string::npos) << all;
    EXPECT_NE(all.find("10: [rituals.okr] period must be"), std::string::npos) << all;
    EXPECT_NE(all.find("at_risk_within (20) must not be smaller than on_track_within (30)"), std::string::npos) << all;
    EXPECT_NE(all.find("stale_days must be a whole number from 1 to 365"), std::string::npos) << all;
    EXPECT_NE(all.find("14: unknown key 'colour' in [rituals.okr]"), std::string::npos) << all;
}

TEST(OkrConfig, TheExampleConfigLoads) {
    auto r = load_config_file(std::string(RITUALBOT_SOURCE_DIR) + "/config/example.toml");
    EXPECT_TRUE(r.cfg) << (r.errors.empty() ? "" : r.errors[0].message);
}
