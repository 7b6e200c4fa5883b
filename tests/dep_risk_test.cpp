#include <gtest/gtest.h>

#include "handlers/dependency_risk.hpp"
#include "handlers/dependency_view.hpp"

using namespace ritualbot;

namespace {

const date::sys_days today = date::sys_days{date::year{2026} / 11 / 16};

dependency_row dep(dep_type type, dep_status status, const std::string& due) {
    dependency_row d;
    d.id = 3;
    d.provider = "platform";
    d.consumer = "alpha";
    d.what = "Auth v2";
    d.type = type;
    d.status = status;
    d.due = due;
    return d;
}

dep_risk risk(dep_type type, dep_status status, const std::string& due) {
    return compute_risk(dep(type, status, due), today);
}

}  // namespace

TEST(DepRisk, BlockingDueWithinFourteenDaysIsHigh) {
    EXPECT_EQ(risk(dep_type::blocking, dep_status::not_started, "2026-11-30"), dep_risk::high);  // 14 days
    EXPECT_EQ(risk(dep_type::blocking, dep_status::in_progress, "2026-11-17"), dep_risk::high);
    EXPECT_EQ(risk(dep_type::blocking, dep_status::in_progress, "2026-11-16"), dep_risk::high);  // today
}

TEST(DepRisk, BlockingPastDueIsHigh) {
    EXPECT_EQ(risk(dep_type::blocking, dep_status::in_progress, "2026-10-01"), dep_risk::high);
}

TEST(DepRisk, BlockingDueLaterIsMedium) {
    EXPECT_EQ(risk(dep_type::blocking, dep_status::not_started, "2026-12-01"), dep_risk::medium);  // 15 days
    EXPECT_EQ(risk(dep_type::blocking, dep_status::in_progress, "2027-03-01"), dep_risk::medium);
}

TEST(DepRisk, BlockingWithoutDueDate) {
    EXPECT_EQ(risk(dep_type::blocking, dep_status::not_started, ""), dep_risk::high);
    EXPECT_EQ(risk(dep_type::blocking, dep_status::in_progress, ""), dep_risk::medium);
}

TEST(DepRisk, NonBlockingDueWithinSevenDaysIsMedium) {
    EXPECT_EQ(risk(dep_type::non_blocking, dep_status::not_started, "2026-11-23"), dep_risk::medium);  // 7 days
    EXPECT_EQ(risk(dep_type::non_blocking, dep_status::in_progress, "2026-11-01"), dep_risk::medium);  // past due
    EXPECT_EQ(risk(dep_type::non_blocking, dep_status::not_started, "2026-11-24"), dep_risk::low);     // 8 days
    EXPECT_EQ(risk(dep_type::non_blocking, dep_status::not_started, ""), dep_risk::low);
}

TEST(DepRisk, SoftIsLow) {
    EXPECT_EQ(risk(dep_type::soft, dep_status::not_started, "2026-11-17"), dep_risk::low);
    EXPECT_EQ(risk(dep_type::soft, dep_status::in_progress, ""), dep_risk::low);
}

TEST(DepRisk, AvailableOrDoneIsNone) {
    EXPECT_EQ(risk(dep_type::blocking, dep_status::available, "2026-11-01"), dep_risk::none);
    EXPECT_EQ(risk(dep_type::blocking, dep_status::done, ""), dep_risk::none);
    EXPECT_EQ(risk(dep_type::non_blocking, dep_status::done, "2026-11-17"), dep_risk::none);
}

TEST(DepRisk, DueDatesAreStrictIsoDates) {
    EXPECT_TRUE(parse_due_date("2026-12-01"));
    EXPECT_TRUE(parse_due_date("2028-02-29"));
    EXPECT_FALSE(parse_due_date("2026-02-29"));
    EXPECT_FALSE(parse_due_date("2026-02-30"));
    EXPECT_FALSE(parse_due_date("2026-1-5"));
    EXPECT_FALSE(parse_due_date("2026-13-01"));
    EXPECT_FALSE(parse_due_date("tomorrow"));
    EXPECT_FALSE(parse_due_date(""));
    EXPECT_EQ(short_due_date(*parse_due_date("2026-12-01")), "Dec 1");
}

TEST(DepRisk, TodayIsTheLocalDateOfTheZone) {
    // 23:30 UTC on Nov 16 is already Nov 17 in Berlin and still Nov 16 in New York.
    const instant t = date::sys_days{date::year{2026} / 11 / 16} + std::chrono::hours(23) + std::chrono::minutes(30);
    EXPECT_EQ(local_today(t, "Europe/Berlin"), date::sys_days{date::year{2026} / 11 / 17});
    EXPECT_EQ(local_today(t, "America/New_York"), date::sys_days{date::year{2026} / 11 / 16});
}

TEST(DepRisk, GraphLineReadsLikeTheIssue) {
    auto d = dep(dep_type::blocking, dep_status::in_progress, "2026-12-01");
    EXPECT_EQ(edge_text(d, dep_risk::high), "platform \u2500\u2500blocks\u2500\u2500\u25B6 alpha (Auth v2, due Dec 1) HIGH");
    EXPECT_EQ(edge_text(dep(dep_type::blocking, dep_status::done, ""), dep_risk::none),
              "platform \u2500\u2500blocks\u2500\u2500\u25B6 alpha (Auth v2)");
}
