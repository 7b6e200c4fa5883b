#include <gtest/gtest.h>

#include "handlers/week.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using ritualbot::testing::at;

TEST(Week, IsoWeekKeyUsesTheLocalDate) {
    // Sunday 23:30 UTC is already Monday in Berlin: the next ISO week there.
    EXPECT_EQ(iso_week_key(at("2026-11-22T23:30:00Z"), "UTC"), "2026-W47");
    EXPECT_EQ(iso_week_key(at("2026-11-22T23:30:00Z"), "Europe/Berlin"), "2026-W48");
    // 1 January 2027 is a Friday: it belongs to 2026's week 53.
    EXPECT_EQ(iso_week_key(at("2027-01-01T12:00:00Z"), "UTC"), "2026-W53");
}

TEST(Week, NextAndPreviousCrossYearEnds) {
    EXPECT_EQ(next_week_key("2026-W53"), "2027-W01");
    EXPECT_EQ(previous_week_key("2027-W01"), "2026-W53");
    EXPECT_EQ(next_week_key("2025-W52"), "2026-W01");
}

TEST(Week, ValidWeekKeys) {
    EXPECT_TRUE(valid_week_key("2026-W53"));
    EXPECT_FALSE(valid_week_key("2025-W53"));  // 2025 has 52 ISO weeks
    EXPECT_FALSE(valid_week_key("2026-W00"));
    EXPECT_FALSE(valid_week_key("2026W47"));
}

TEST(Week, WeeklyInstantIsLocalTimeInTheZone) {
    EXPECT_EQ(weekly_instant("2026-W47", {4, 15, 0}, "Europe/Berlin"), at("2026-11-19T14:00:00Z"));
    EXPECT_EQ(weekly_instant("2026-W47", {4, 15, 0}, "America/New_York"), at("2026-11-19T20:00:00Z"));
    EXPECT_EQ(weekly_instant("2026-W47", {0, 9, 0}, "UTC"), at("2026-11-22T09:00:00Z"));  // Sunday ends the ISO week
}

TEST(Week, EuropeanAutumnChangeKeepsThePromptAtLocalTime) {
    // Clocks go back on Sunday 25 October 2026 in Europe: Thursday 15:00 stays 15:00.
    auto t = weekly_instants_between({4, 15, 0}, "Europe/Berlin", at("2026-10-19T00:00:00Z"), at("2026-11-02T00:00:00Z"));
    ASSERT_EQ(t.size(), 2u);
    EXPECT_EQ(t[0], at("2026-10-22T13:00:00Z"));  // CEST, UTC+2
    EXPECT_EQ(t[1], at("2026-10-29T14:00:00Z"));  // CET, UTC+1
}

TEST(Week, UsAutumnChangeKeepsThePromptAtLocalTime) {
    // US clocks go back on Sunday 1 November 2026.
    auto t = weekly_instants_between({4, 15, 0}, "America/New_York", at("2026-10-26T00:00:00Z"), at("2026-11-09T00:00:00Z"));
    ASSERT_EQ(t.size(), 2u);
    EXPECT_EQ(t[0], at("2026-10-29T19:00:00Z"));  // EDT
    EXPECT_EQ(t[1], at("2026-11-05T20:00:00Z"));  // EST
}

TEST(Week, TimeRepeatedByAutumnChangeHappensOnce) {
    // 02:30 happens twice in Berlin on 25 October 2026; the prompt comes once, at the first.
    auto t = weekly_instants_between({0, 2, 30}, "Europe/Berlin", at("2026-10-24T00:00:00Z"), at("2026-10-26T00:00:00Z"));
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0], at("2026-10-25T00:30:00Z"));  // 02:30 CEST
    // 01:30 happens twice in New York on 1 November 2026.
    auto us = weekly_instants_between({0, 1, 30}, "America/New_York", at("2026-10-31T00:00:00Z"), at("2026-11-02T00:00:00Z"));
    ASSERT_EQ(us.size(), 1u);
    EXPECT_EQ(us[0], at("2026-11-01T05:30:00Z"));  // 01:30 EDT
}

TEST(Week, TimeSkippedBySpringChangeStillHappensOnce) {
    // 02:30 does not exist in Berlin on 29 March 2026: the prompt comes at 03:00 CEST.
    auto t = weekly_instants_between({0, 2, 30}, "Europe/Berlin", at("2026-03-28T00:00:00Z"), at("2026-03-30T00:00:00Z"));
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0], at("2026-03-29T01:00:00Z"));
    // And the US spring change (8 March 2026) moves Thursday 15:00 from EST to EDT.
    auto us = weekly_instants_between({4, 15, 0}, "America/New_York", at("2026-03-02T00:00:00Z"), at("2026-03-16T00:00:00Z"));
    ASSERT_EQ(us.size(), 2u);
    EXPECT_EQ(us[0], at("2026-03-05T20:00:00Z"));
    EXPECT_EQ(us[1], at("2026-03-12T19:00:00Z"));
}

TEST(Week, OpenWeekMovesOnAtTheDigest) {
    auto cfg = ritualbot::testing::must_load(R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
members = ["alice"]
)");
    const team_config& team = cfg.teams[0];
    EXPECT_EQ(open_week(cfg, team, at("2026-11-20T14:59:59Z")), "2026-W47");  // Fri 15:59 Berlin
    EXPECT_EQ(open_week(cfg, team, at("2026-11-20T15:00:00Z")), "2026-W48");  // digest time
    EXPECT_EQ(open_week(cfg, team, at("2026-11-22T22:59:59Z")), "2026-W48");  // Sunday night
}

TEST(Week, FormatLocalShowsTheZone) {
    EXPECT_EQ(format_local(at("2026-11-19T14:00:00Z"), "Europe/Berlin"), "Thu 19 Nov 15:00 CET");
}

// local_window rules a weekly time out only when the calendar walk finds
// nothing: checked minute by minute and hour by hour across both daylight-
// saving changes, in zones with half-hour and 45-minute offsets, a 30-minute
// change (Lord Howe) and none, for times the changes skip or repeat.
TEST(Week, LocalWindowRulesOutOnlyWhatTheCalendarWalkDoesNotFind) {
    const char* zones[] = {"UTC",           "Europe/Berlin",      "America/New_York", "Asia/Kolkata",
                           "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham",  "America/Sao_Paulo"};
    const weekly_time times[] = {{0, 2, 30}, {0, 3, 0}, {0, 1, 30}, {4, 15, 0}, {1, 9, 0}, {6, 23, 45}, {0, 0, 0}};
    struct span {
        const char* from;
        int hours;
    };
    // Europe's and the US's changes in March 2026 and October/November 2026,
    // Lord Howe's and Chatham's in April and October.
    const span spans[] = {{"2026-03-07T00:00:00Z", 24 * 23}, {"2026-10-03T00:00:00Z", 24 * 37}};
    int ruled_out = 0, found = 0;
    for (const char* zone : zones)
        for (const auto& s : spans)
            for (const auto step : {std::chrono::seconds(60 * 17), std::chrono::seconds(3600 * 5)}) {
                const auto length = step == std::chrono::seconds(60 * 17) ? std::chrono::seconds(60) : step;
                for (instant from = at(s.from); from < at(s.from) + std::chrono::hours(s.hours); from += step) {
                    const local_window window(zone, from, from + length);
                    for (const auto& t : times) {
                        const bool walk = !weekly_instants_between(t, zone, from, from + length).empty();
                        if (walk) {
                            ++found;
                            EXPECT_TRUE(window.may_fall(t)) << zone << " " << format_iso_instant(from) << " weekday "
                                                            << t.weekday << " " << t.hour << ":" << t.minute;
                        } else if (!window.may_fall(t)) {
                            ++ruled_out;
                        }
                    }
                }
            }
    EXPECT_GT(found, 100);          // the check met real occurrences
    EXPECT_GT(ruled_out, 100000);   // and ruled most windows out
}

TEST(Week, LocalWindowOfAWeekOrOfAnUnknownZoneRulesNothingOut) {
    EXPECT_TRUE(local_window("UTC", at("2026-11-16T00:00:00Z"), at("2026-11-23T00:00:00Z")).may_fall({3, 12, 0}));
    EXPECT_TRUE(local_window("Mars/Olympus", at("2026-11-16T00:00:00Z"), at("2026-11-16T00:01:00Z")).may_fall({3, 12, 0}));
    EXPECT_FALSE(local_window("UTC", at("2026-11-16T00:01:00Z"), at("2026-11-16T00:01:00Z")).may_fall({1, 0, 1}));
    // (from, to]: a time at `from` is out, one at `to` is in.
    EXPECT_FALSE(local_window("UTC", at("2026-11-16T09:00:00Z"), at("2026-11-16T09:01:00Z")).may_fall({1, 9, 0}));
    EXPECT_TRUE(local_window("UTC", at("2026-11-16T08:59:00Z"), at("2026-11-16T09:00:00Z")).may_fall({1, 9, 0}));
}
