#include <gtest/gtest.h>

#include "bot/clock.hpp"

using namespace ritualbot;

TEST(Clock, ParsesIsoInstants) {
    auto z = parse_iso_instant("2026-11-19T15:00:00Z");
    ASSERT_TRUE(z);
    EXPECT_EQ(format_iso_instant(*z), "2026-11-19T15:00:00Z");
    auto offset = parse_iso_instant("2026-11-19T16:00:00+01:00");
    ASSERT_TRUE(offset);
    EXPECT_EQ(*offset, *z);
    auto minutes = parse_iso_instant("2026-11-19T15:00Z");
    ASSERT_TRUE(minutes);
    EXPECT_EQ(*minutes, *z);
}

TEST(Clock, RejectsMalformedInstants) {
    for (const char* bad : {"", "tomorrow", "2026-11-19", "2026-11-19 15:00:00", "2026-13-01T00:00:00Z",
                            "2026-11-19T15:00:00Zjunk"})
        EXPECT_FALSE(parse_iso_instant(bad)) << bad;
}

TEST(Clock, ManualClockMovesOnlyWhenTold) {
    manual_clock c(*parse_iso_instant("2026-01-01T00:00:00Z"));
    EXPECT_EQ(format_iso_instant(c.now()), "2026-01-01T00:00:00Z");
    c.advance(std::chrono::hours(25));
    EXPECT_EQ(format_iso_instant(c.now()), "2026-01-02T01:00:00Z");
}
