#include <gtest/gtest.h>

#include "handlers/okr.hpp"
#include "handlers/okr_progress.hpp"

using namespace ritualbot;
using date::day;
using date::month;
using date::year;

namespace {

date::year_month_day ymd(int y, unsigned m, unsigned d) { return year{y} / month{m} / day{d}; }

}  // namespace

TEST(OkrProgress, IncreasingKrMeasuresFromBaselineToTarget) {
    EXPECT_DOUBLE_EQ(kr_progress(2, 10, 2), 0.0);
    EXPECT_DOUBLE_EQ(kr_progress(2, 10, 6), 0.5);
    EXPECT_DOUBLE_EQ(kr_progress(2, 10, 10), 1.0);
    EXPECT_DOUBLE_EQ(kr_progress(0, 4, 1), 0.25);
}

TEST(OkrProgress, DecreasingKrCountsAReductionAsProgress) {
    // Reduce CI build time from 12 to 5 minutes.
    EXPECT_DOUBLE_EQ(kr_progress(12, 5, 12), 0.0);
    EXPECT_NEAR(kr_progress(12, 5, 9), 3.0 / 7.0, 1e-12);
    EXPECT_DOUBLE_EQ(kr_progress(12, 5, 5), 1.0);
    // Getting worse is negative progress, beating the target more than 100%.
    EXPECT_LT(kr_progress(12, 5, 14), 0.0);
    EXPECT_GT(kr_progress(12, 5, 4), 1.0);
}

TEST(OkrProgress, ProgressIsClampedOnlyForDisplay) {
    EXPECT_DOUBLE_EQ(clamp_progress(-0.3), 0.0);
    EXPECT_DOUBLE_EQ(clamp_progress(1.4), 1.0);
    EXPECT_EQ(format_percent(-0.3), "0%");
    EXPECT_EQ(format_percent(1.4), "100%");
    EXPECT_EQ(format_percent(3.0 / 7.0), "43%");
    EXPECT_EQ(progress_bar(0.43), "\u2588\u2588\u2588\u2588\u2591\u2591\u2591\u2591\u2591\u2591");
    EXPECT_EQ(progress_bar(2.0), "\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588");
}

TEST(OkrProgress, TargetEqualToBaselineGivesNoProgress) { EXPECT_DOUBLE_EQ(kr_progress(3, 3, 7), 0.0); }

TEST(OkrPeriod, CalendarQuartersHalvesAndYears) {
    auto q = calendar_period(ymd(2026, 11, 22), "quarter");
    EXPECT_EQ(q.key, "2026-Q4");
    EXPECT_EQ(q.first, ymd(2026, 10, 1));
    EXPECT_EQ(q.last, ymd(2026, 12, 31));
    EXPECT_EQ(q.days(), 92);
    EXPECT_EQ(calendar_period(ymd(2026, 1, 1), "quarter").key, "2026-Q1");
    EXPECT_EQ(calendar_period(ymd(2026, 3, 31), "quarter").key, "2026-Q1");
    EXPECT_EQ(calendar_period(ymd(2026, 4, 1), "quarter").key, "2026-Q2");
    auto h = calendar_period(ymd(2026, 7, 1), "half");
    EXPECT_EQ(h.key, "2026-H2");
    EXPECT_EQ(h.last, ymd(2026, 12, 31));
    EXPECT_EQ(calendar_period(ymd(2026, 6, 30), "half").key, "2026-H1");
    auto y = calendar_period(ymd(2026, 5, 5), "year");
    EXPECT_EQ(y.key, "2026");
    EXPECT_EQ(y.days(), 365);
}

TEST(OkrPeriod, LeapYearQuarterHasTheLeapDay) {
    auto q1 = calendar_period(ymd(2028, 2, 29), "quarter");
    EXPECT_EQ(q1.key, "2028-Q1");
    EXPECT_EQ(q1.last, ymd(2028, 3, 31));
    EXPECT_EQ(q1.days(), 91);
    EXPECT_EQ(calendar_period(ymd(2026, 2, 28), "quarter").days(), 90);
    EXPECT_EQ(calendar_period(ymd(2028, 2, 29), "year").days(), 366);
    // On the leap day 31 + 28 days of the quarter are over.
    EXPECT_NEAR(expected_progress(q1, ymd(2028, 2, 29)), 59.0 / 91.0, 1e-12);
    EXPECT_NEAR(expected_progress(q1, ymd(2028, 3, 1)), 60.0 / 91.0, 1e-12);
}

TEST(OkrPeriod, ExpectedProgressAtThePeriodsEdges) {
    auto q = calendar_period(ymd(2026, 10, 1), "quarter");  // 92 days
    EXPECT_DOUBLE_EQ(expected_progress(q, ymd(2026, 9, 30)), 0.0);   // before it
    EXPECT_DOUBLE_EQ(expected_progress(q, ymd(2026, 10, 1)), 0.0);   // first day
    EXPECT_NEAR(expected_progress(q, ymd(2026, 10, 2)), 1.0 / 92, 1e-12);
    EXPECT_NEAR(expected_progress(q, ymd(2026, 12, 31)), 91.0 / 92, 1e-12);  // last day
    EXPECT_DOUBLE_EQ(expected_progress(q, ymd(2027, 1, 1)), 1.0);    // after it
    EXPECT_DOUBLE_EQ(expected_progress(q, ymd(2027, 6, 1)), 1.0);
}

TEST(OkrPeriod, CustomPeriodIsNamedByItsDays) {
    auto p = custom_period(ymd(2026, 11, 2), ymd(2026, 12, 18));
    EXPECT_EQ(p.key, "2026-11-02..2026-12-18");
    EXPECT_EQ(p.days(), 47);
    EXPECT_TRUE(p.contains(ymd(2026, 11, 2)));
    EXPECT_TRUE(p.contains(ymd(2026, 12, 18)));
    EXPECT_FALSE(p.contains(ymd(2026, 12, 19)));
}

TEST(OkrPeriod, LocalDateFollowsTheZone) {
    instant t = date::sys_days{ymd(2026, 12, 31)} + std::chrono::hours(23) + std::chrono::minutes(30);
    EXPECT_EQ(local_date(t, "UTC"), ymd(2026, 12, 31));
    EXPECT_EQ(local_date(t, "Europe/Berlin"), ymd(2027, 1, 1));  // already next quarter there
    EXPECT_EQ(local_date(t, "America/New_York"), ymd(2026, 12, 31));
}

TEST(OkrPeriod, ParseDateAcceptsOnlyRealDays) {
    EXPECT_EQ(parse_date("2028-02-29"), ymd(2028, 2, 29));
    EXPECT_FALSE(parse_date("2026-02-29"));
    EXPECT_FALSE(parse_date("2026-13-01"));
    EXPECT_FALSE(parse_date("2026-1-01"));
    EXPECT_FALSE(parse_date("tomorrow"));
    EXPECT_FALSE(parse_date(""));
}

TEST(OkrStatus, ThresholdsAroundExpectedProgress) {
    okr_config cfg;  // on track within 10 points, at risk within 25
    EXPECT_EQ(classify(0.50, 0.50, cfg), kr_status::on_track);
    EXPECT_EQ(classify(0.40, 0.50, cfg), kr_status::on_track);   // exactly 10 points below
    EXPECT_EQ(classify(0.399, 0.50, cfg), kr_status::at_risk);
    EXPECT_EQ(classify(0.25, 0.50, cfg), kr_status::at_risk);    // exactly 25 points below
    EXPECT_EQ(classify(0.249, 0.50, cfg), kr_status::off_track);
    EXPECT_EQ(classify(-0.2, 0.10, cfg), kr_status::off_track);  // went the wrong way
    EXPECT_EQ(classify(0.9, 0.0, cfg), kr_status::on_track);     // ahead of plan
    EXPECT_EQ(classify(1.0, 0.3, cfg), kr_status::done);
    EXPECT_EQ(classify(1.2, 1.0, cfg), kr_status::done);
    EXPECT_EQ(classify(0.95, 1.0, cfg), kr_status::on_track);    // period over, 5 points short
    EXPECT_EQ(to_string(kr_status::off_track), "off track");
}

TEST(OkrStatus, ThresholdsAreConfigurable) {
    okr_config cfg;
    cfg.on_track_within = 0;
    cfg.at_risk_within = 5;
    EXPECT_EQ(classify(0.50, 0.50, cfg), kr_status::on_track);
    EXPECT_EQ(classify(0.49, 0.50, cfg), kr_status::at_risk);
    EXPECT_EQ(classify(0.44, 0.50, cfg), kr_status::off_track);
}

TEST(OkrStatus, DecreasingKrStatusAtMidQuarter) {
    okr_config cfg;
    auto q = calendar_period(ymd(2026, 11, 15), "quarter");
    const double expected = expected_progress(q, ymd(2026, 11, 15));  // 45/92, about 49%
    EXPECT_EQ(classify(kr_progress(12, 5, 9), expected, cfg), kr_status::on_track);    // 43%
    EXPECT_EQ(classify(kr_progress(12, 5, 10), expected, cfg), kr_status::at_risk);    // 29%
    EXPECT_EQ(classify(kr_progress(12, 5, 12), expected, cfg), kr_status::off_track);  // 0%
    EXPECT_EQ(classify(kr_progress(12, 5, 4.5), expected, cfg), kr_status::done);
}

TEST(OkrAntiPatterns, BinaryKrs) {
    EXPECT_TRUE(is_binary_kr(0, 1, ""));
    EXPECT_TRUE(is_binary_kr(1, 0, ""));
    EXPECT_TRUE(is_binary_kr(0, 3, "done"));
    EXPECT_TRUE(is_binary_kr(0, 1, "yes/no"));
    EXPECT_FALSE(is_binary_kr(0, 2, "pilots"));
    EXPECT_FALSE(is_binary_kr(12, 5, "min"));
}

TEST(OkrNumbers, ParsedWithFromChars) {
    EXPECT_EQ(parse_number("12"), 12.0);
    EXPECT_EQ(parse_number("-3.5"), -3.5);
    EXPECT_EQ(parse_number("+4"), 4.0);
    EXPECT_EQ(parse_number("99.95"), 99.95);
    EXPECT_EQ(parse_number("1e3"), 1000.0);
    for (const char* bad : {"", "abc", "12abc", "1,200", "inf", "nan", "-inf", "0x10", "1e999", " 3", "+",
                            "123456789012345678901234567890123", "1e70", "-2e15", "1e308"})
        EXPECT_FALSE(parse_number(bad)) << bad;
}

TEST(OkrNumbers, FormattedShortly) {
    EXPECT_EQ(format_number(12), "12");
    EXPECT_EQ(format_number(3.5), "3.5");
    EXPECT_EQ(format_number(99.95), "99.95");
    EXPECT_EQ(format_number(-0.0), "0");
    EXPECT_EQ(format_number(1.0 / 3), "0.3333");
    EXPECT_EQ(format_number(0.00002), "0.00002");
    EXPECT_EQ(format_number(0.0004), "0.0004");
    EXPECT_EQ(format_number(1234567), "1234567");
    EXPECT_EQ(format_number(1e15), "1000000000000000");
    EXPECT_EQ(format_number(1e70), "1e+70");  // not stored by a command, but never 63 digits
    EXPECT_EQ(format_number(3e-9), "3e-09");
    EXPECT_EQ(value_with_unit(95, "%"), "95%");
    EXPECT_EQ(value_with_unit(12, "min"), "12 min");
}

TEST(OkrIds, ObjectiveAndKeyResultIds) {
    EXPECT_EQ(parse_objective_id("O1"), 1);
    EXPECT_EQ(parse_objective_id("o12"), 12);
    EXPECT_FALSE(parse_objective_id("O0"));
    EXPECT_FALSE(parse_objective_id("O"));
    EXPECT_FALSE(parse_objective_id("KR1.1"));
    EXPECT_FALSE(parse_objective_id("O1x"));
    EXPECT_EQ(parse_kr_id("KR1.2"), (std::pair{1, 2}));
    EXPECT_EQ(parse_kr_id("kr3.14"), (std::pair{3, 14}));
    EXPECT_FALSE(parse_kr_id("KR1"));
    EXPECT_FALSE(parse_kr_id("KR1."));
    EXPECT_FALSE(parse_kr_id("KR.2"));
    EXPECT_FALSE(parse_kr_id("KR1.2.3"));
    EXPECT_FALSE(parse_kr_id("O1"));
}
