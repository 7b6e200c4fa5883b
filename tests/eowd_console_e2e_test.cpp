#include <gtest/gtest.h>

#include "tests/support/console_runner.hpp"

using namespace ritualbot::testing;

namespace {

const char* const config_text = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob", "carol", "dave", "erin"]

[[members]]
id = "dave"
timezone = "America/New_York"

[rituals.eowd]
enabled = true
slots = 3

[rituals.learning]
enabled = true
)";

// Week 2026-W47 through the real binary: sign-ups open Monday 10:00 Berlin
// (09:00Z), five people sign up for three slots, one changes her topic, one
// presenter withdraws and the first on the waitlist steps in; the agenda at
// Friday 12:00, reminders at 14:00, the digest at 16:00. The next week
// nobody signs up. Then the December learning session: a proposal, the call
// for speakers a week before, the pick, the reminder, the list afterwards.
const char* const script = R"(:time 2026-11-16T09:00:00Z
@alice #alpha> /eowd signup Ranking notebook -- is the evaluation sound?
@bob> /eowd signup Parser PR -- review the error handling
@carol> /eowd signup Data set
@dave> /eowd signup Airflow DAG -- alarm thresholds
@erin> /eowd signup Dashboard
@carol> /eowd signup Cleaned data set -- is it biased?
@bob> /eowd withdraw
@alice> /eowd list
@bob> /eowd signup
:time 2026-11-20T11:00:00Z
:time 2026-11-20T13:00:00Z
:time 2026-11-20T15:00:00Z
# the learning session of December
@alice> /learn propose Bandits in production
@bob> /learn propose Airflow at scale
:time 2026-11-24T15:00:00Z
@maria #alpha> /learn pick 1
# week 48: nobody signs up
:time 2026-11-27T11:00:00Z
:time 2026-12-01T14:00:00Z
:time 2026-12-01T16:00:00Z
@bob> /learn list
:quit
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

int count_with(const std::vector<std::string>& msgs, const std::string& needle) {
    int n = 0;
    for (const auto& m : msgs) n += has(m, needle);
    return n;
}

std::string first_with(const std::vector<std::string>& msgs, const std::string& needle) {
    for (const auto& m : msgs)
        if (has(m, needle)) return m;
    return "";
}

}  // namespace

TEST(EowdConsoleE2e, AWeekWithSignUpsAWithdrawalAndAPromotionThenALearningMonth) {
    auto run = run_console(temp_dir("eowd_week"), config_text, script, "--virtual-clock 2026-11-16T08:00:00Z");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto channel = run.messages_to("#alpha");

    // The invitation, once per week (weeks 47, 48 and 49).
    EXPECT_EQ(count_with(channel, "sign-ups are open"), 3) << run.out;
    EXPECT_TRUE(has(first_with(channel, "sign-ups are open"), "/eowd signup <topic> -- <input wanted>"));

    // Sign-ups, the waitlist and the promotion.
    const auto erin = run.messages_to("@erin");
    EXPECT_TRUE(has(first_with(erin, "waitlist"), "All 3 slots of the alpha EOWD are taken: you are number 2"))
        << run.out;
    const auto dave = run.messages_to("@dave");
    EXPECT_TRUE(has(first_with(dave, "waitlist"), "number 1 on the waitlist")) << run.out;
    const std::string promoted = first_with(dave, "A slot freed up");
    EXPECT_TRUE(has(promoted, "you present, slot 3 at Fri 20 Nov 09:20 EST")) << run.out;
    const auto carol = run.messages_to("@carol");
    EXPECT_TRUE(has(first_with(carol, "Updated"), "Updated: slot 3")) << run.out;
    const auto bob = run.messages_to("@bob");
    EXPECT_TRUE(has(first_with(bob, "Tell me what you will present"), "Usage:")) << run.out;
    const auto alice = run.messages_to("@alice");
    const std::string list = first_with(alice, "EOWD \u2014 alpha");
    EXPECT_TRUE(has(list, "15:00 alice: Ranking notebook. Input wanted: is the evaluation sound?")) << list;
    EXPECT_TRUE(has(list, "15:10 carol: Cleaned data set. Input wanted: is it biased?")) << list;
    EXPECT_TRUE(has(list, "15:20 dave: Airflow DAG. Input wanted: alarm thresholds")) << list;
    EXPECT_TRUE(has(list, "1. erin: Dashboard")) << list;

    // The agenda at close, once.
    EXPECT_EQ(count_with(channel, "End of Week Debrief \u2014 alpha, Fri 20 Nov 15:00 CET"), 1) << run.out;
    const std::string agenda = first_with(channel, "End of Week Debrief \u2014 alpha, Fri 20 Nov 15:00 CET");
    EXPECT_TRUE(has(agenda, "3 presenters, 10 minutes each")) << agenda;
    EXPECT_TRUE(has(agenda, "Waitlist: erin.")) << agenda;
    EXPECT_FALSE(has(agenda, "bob")) << agenda;

    // Reminders to the presenters only.
    EXPECT_EQ(count_with(alice, "Reminder: you present"), 1) << run.out;
    EXPECT_EQ(count_with(dave, "Reminder: you present at the alpha EOWD at Fri 20 Nov 09:20 EST"), 1) << run.out;
    EXPECT_EQ(count_with(bob, "Reminder: you present"), 0);
    EXPECT_EQ(count_with(erin, "Reminder: you present"), 0);

    // The digest has the EOWD section.
    const std::string digest = first_with(channel, "weekly digest, week 2026-W47");
    EXPECT_TRUE(has(digest, "End of Week Debrief, Fri 20 Nov 15:00 CET")) << digest;
    EXPECT_TRUE(has(digest, "Presented: alice, carol, dave.")) << digest;

    // Week 48: no EOWD.
    EXPECT_EQ(count_with(channel, "No EOWD this week for alpha: nobody signed up"), 1) << run.out;

    // The learning month.
    const std::string call = first_with(channel, "Call for speakers");
    EXPECT_TRUE(has(call, "Tue 01 Dec 16:00 CET")) << run.out;
    EXPECT_TRUE(has(call, "#1 alice: Bandits in production")) << call;
    EXPECT_TRUE(has(call, "#2 bob: Airflow at scale")) << call;
    EXPECT_TRUE(has(first_with(channel, "Learning session \u2014 alpha"), "alice speaks on \u201CBandits in production\u201D"))
        << run.out;
    EXPECT_EQ(count_with(channel, "Starting soon: the alpha learning session"), 1) << run.out;
    EXPECT_EQ(count_with(alice, "Reminder: your learning session"), 1) << run.out;
    const std::string learn_list = first_with(bob, "Learning sessions \u2014 alpha");
    EXPECT_TRUE(has(learn_list, "Next: Tue 05 Jan 16:00 CET")) << learn_list;
    EXPECT_TRUE(has(learn_list, "#2 bob: Airflow at scale")) << learn_list;
    EXPECT_TRUE(has(learn_list, "Tue 01 Dec 16:00 CET \u2014 alice: Bandits in production")) << learn_list;
}
