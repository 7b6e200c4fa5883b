#include <gtest/gtest.h>

#include <map>
#include <set>
#include <tuple>

#include <SQLiteCpp/Database.h>

#include "handlers/jobs.hpp"
#include "storage/person_store.hpp"

#include "tests/support/console_runner.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {
const char* const team = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
members = ["alice"]
)";
}  // namespace

TEST(Scheduler, JobsRunInTimeOrderWithTheClockAtTheirDueTime) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-21T00:00:00Z");
    auto msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 3u);
    EXPECT_EQ(msgs[0].where(), "@alice");  // prompt, Thu 15:00
    EXPECT_NE(msgs[1].text.find("Reminder"), std::string::npos);  // Thu 19:00
    EXPECT_EQ(msgs[2].where(), "#alpha");  // digest, Fri 16:00
    EXPECT_EQ(bot.clk.now(), at("2026-11-21T00:00:00Z"));
    auto ran = bot.db->job_ran_at("weekly_reminder", "alice", "2026-W47");
    ASSERT_TRUE(ran);
    EXPECT_EQ(*ran, at("2026-11-19T18:00:00Z"));
}

TEST(Scheduler, FirstStartDoesNotReplayThePast) {
    test_bot bot(team, "2026-11-20T10:00:00Z");  // after Thursday's prompt
    EXPECT_TRUE(bot.sent().empty());
    bot.advance_to("2026-11-20T15:00:00Z");
    auto msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].where(), "#alpha");
}

TEST(Scheduler, RestartNeitherRepeatsNorSkips) {
    const std::string path = ritualbot::testing::temp_dir("scheduler_restart") + "/bot.db";
    {
        test_bot bot(team, "2026-11-16T08:00:00Z", path);
        bot.advance_to("2026-11-19T14:00:00Z");
        EXPECT_EQ(bot.sent().size(), 1u);  // the prompt
    }
    test_bot again(team, "2026-11-19T14:00:00Z", path);  // restarted at the same instant
    EXPECT_TRUE(again.sent().empty());
    again.advance_to("2026-11-20T15:00:00Z");
    auto msgs = again.sent();
    ASSERT_EQ(msgs.size(), 2u);  // reminder and digest, once each
    EXPECT_NE(msgs[0].text.find("Reminder"), std::string::npos);
    EXPECT_EQ(msgs[1].where(), "#alpha");
}

TEST(Scheduler, PromptMissedWhileDownRunsOnStartUntilTheDigest) {
    const std::string path = ritualbot::testing::temp_dir("scheduler_missed_prompt") + "/bot.db";
    { test_bot bot(team, "2026-11-16T08:00:00Z", path); }
    test_bot late(team, "2026-11-20T09:00:00Z", path);  // down over Thursday
    auto msgs = late.sent();
    ASSERT_EQ(msgs.size(), 1u);  // the prompt, late; no reminder right behind it
    EXPECT_NE(msgs[0].text.find("Question 1 of 4"), std::string::npos);
}

TEST(Scheduler, PromptIsDroppedOnceItsDigestHasPassed) {
    const std::string path = ritualbot::testing::temp_dir("scheduler_stale_prompt") + "/bot.db";
    { test_bot bot(team, "2026-11-16T08:00:00Z", path); }
    test_bot late(team, "2026-11-20T16:00:00Z", path);  // down until after Friday's digest time
    auto msgs = late.sent();
    ASSERT_EQ(msgs.size(), 1u);  // only the digest, an hour late
    EXPECT_EQ(msgs[0].where(), "#alpha");
}

TEST(Scheduler, DigestUpToADayLateStillRunsLaterNot) {
    const std::string path = ritualbot::testing::temp_dir("scheduler_late_digest") + "/bot.db";
    { test_bot bot(team, "2026-11-20T14:00:00Z", path); }
    {
        test_bot day_late(team, "2026-11-21T14:59:00Z", path);
        EXPECT_EQ(day_late.sent_to("#alpha").size(), 1u);
    }
    const std::string path2 = ritualbot::testing::temp_dir("scheduler_stale_digest") + "/bot.db";
    { test_bot bot(team, "2026-11-20T14:00:00Z", path2); }
    test_bot too_late(team, "2026-11-21T15:00:01Z", path2);
    EXPECT_TRUE(too_late.sent_to("#alpha").empty());
}

TEST(Scheduler, DaylightSavingChangeNeitherDoublesNorSkipsAPrompt) {
    // Prompt at Sunday 02:30, the hour the autumn change repeats and the spring change skips.
    const std::string toml = std::string(team) + "\n[rituals.weekly_update]\nprompt = \"Sun 02:30\"\n";
    auto prompts = [](test_bot& bot) {
        std::vector<std::string> out;
        for (const auto& m : bot.sent_to("@alice"))
            if (m.text.rfind("Weekly update", 0) == 0) out.push_back(m.text);
        return out;
    };
    test_bot autumn(toml, "2026-10-19T00:00:00Z");
    autumn.advance_to("2026-10-26T12:00:00Z");
    EXPECT_EQ(prompts(autumn).size(), 1u);
    EXPECT_TRUE(autumn.db->job_ran_at("weekly_prompt", "alice", "2026-W44"));
    EXPECT_EQ(*autumn.db->job_ran_at("weekly_prompt", "alice", "2026-W44"), at("2026-10-25T00:30:00Z"));
    test_bot spring(toml, "2026-03-23T00:00:00Z");
    spring.advance_to("2026-03-30T12:00:00Z");
    EXPECT_EQ(prompts(spring).size(), 1u);
    EXPECT_EQ(*spring.db->job_ran_at("weekly_prompt", "alice", "2026-W14"), at("2026-03-29T01:00:00Z"));
}

TEST(Scheduler, NextDueIsTheEarliestJob) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    // The dependency check runs daily at 09:00 Berlin, the OKR check-in on
    // Wednesday at 11:00 Berlin, the weekly prompt on Thursday at 15:00.
    const std::pair<const char*, const char*> steps[] = {
        {"2026-11-16T08:00:00Z", "2026-11-17T08:00:00Z"},
        {"2026-11-18T09:00:00Z", "2026-11-18T10:00:00Z"},
        {"2026-11-18T10:00:00Z", "2026-11-19T08:00:00Z"},
        {"2026-11-19T08:00:00Z", "2026-11-19T14:00:00Z"},
    };
    for (const auto& [after, expected] : steps) {
        auto next = bot.sched->next_due_after(at(after));
        ASSERT_TRUE(next) << after;
        EXPECT_EQ(*next, at(expected)) << after;
    }
}

TEST(Scheduler, VirtualTimeJumpOverSeveralWeeksRunsEveryWeek) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-12-12T00:00:00Z");  // four Fridays later
    EXPECT_EQ(bot.sent_to("#alpha").size(), 4u);
    for (const char* week : {"2026-W47", "2026-W48", "2026-W49", "2026-W50"})
        EXPECT_TRUE(bot.db->job_ran("digest", "alpha", week)) << week;
}

TEST(Scheduler, APromptSentLateKeepsItsReminderAtTheSameDistance) {
    const std::string path = ritualbot::testing::temp_dir("scheduler_late_reminder") + "/bot.db";
    { test_bot bot(team, "2026-11-16T08:00:00Z", path); }
    test_bot late(team, "2026-11-20T09:00:00Z", path);  // down over Thursday: prompt at 09:00 Friday
    ASSERT_EQ(late.sent().size(), 1u);
    late.advance_to("2026-11-20T12:59:00Z");
    EXPECT_TRUE(late.sent().empty());
    late.advance_to("2026-11-20T13:00:00Z");  // four hours after the prompt actually went out
    auto msgs = late.sent();
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_NE(msgs[0].text.find("Reminder"), std::string::npos);
    EXPECT_EQ(*late.db->job_ran_at("weekly_reminder", "alice", "2026-W47"), at("2026-11-20T13:00:00Z"));
    late.advance_to("2026-11-21T00:00:00Z");
    msgs = late.sent();
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].where(), "#alpha");
}

TEST(Scheduler, AReminderThatWouldComeAfterTheDigestIsNotSent) {
    const std::string path = ritualbot::testing::temp_dir("scheduler_late_no_reminder") + "/bot.db";
    { test_bot bot(team, "2026-11-16T08:00:00Z", path); }
    test_bot late(team, "2026-11-20T12:00:00Z", path);  // prompt at 12:00, the digest at 15:00
    late.advance_to("2026-11-21T00:00:00Z");
    auto msgs = late.sent();
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_NE(msgs[0].text.find("Question 1 of 4"), std::string::npos);
    EXPECT_EQ(msgs[1].where(), "#alpha");
}

TEST(Scheduler, ARestartBetweenTwoJobsDueAtTheSameInstantRunsTheSecond) {
    const std::string toml = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
members = ["alice", "bob"]
)";
    const std::string path = ritualbot::testing::temp_dir("scheduler_same_instant") + "/bot.db";
    {
        test_bot bot(toml, "2026-11-19T13:00:00Z", path);
        auto due = bot.sched->due_between(at("2026-11-19T13:00:00Z"), at("2026-11-19T14:00:00Z"));
        ASSERT_EQ(due.size(), 2u);  // both prompts at 15:00 Berlin
        ASSERT_EQ(due[0].due, due[1].due);
        const job_definition* prompt = nullptr;
        for (const auto& j : job_table())
            if (j.kind == "weekly_prompt") prompt = &j;
        bot.clk.set(due[0].due);
        ASSERT_TRUE(bot.dispatch->run_job(*prompt, due[0]));
        // ... and the process dies here, before the second.
    }
    test_bot again(toml, "2026-11-19T14:00:30Z", path);
    EXPECT_TRUE(again.db->job_ran("weekly_prompt", "alice", "2026-W47"));
    EXPECT_TRUE(again.db->job_ran("weekly_prompt", "bob", "2026-W47"));
    EXPECT_EQ(again.sent().size(), 2u);  // alice's (committed, not yet delivered) and bob's
}

TEST(Scheduler, ACalendarThatCannotBeComputedFailsAloneAndIsCounted) {
    // At the end of year 9999 the next ISO week and month do not exist: each
    // job's calendar fails on its own, logged and counted, and nothing throws.
    const std::string toml = std::string(team) + "\n[rituals.learning]\nenabled = true\n";
    test_bot bot(toml, "9999-12-13T00:00:00Z");
    bot.advance_to("9999-12-20T00:00:00Z");
    EXPECT_TRUE(bot.db->job_ran("weekly_prompt", "alice", "9999-W50"));
    EXPECT_TRUE(bot.db->job_ran("digest", "alpha", "9999-W50"));
    EXPECT_NO_THROW(bot.advance_to("9999-12-31T00:00:00Z"));
    EXPECT_GT(bot.sched->occurrence_failures(), 0u);
    // Such instants never enter from outside: :time and --virtual-clock refuse them.
    EXPECT_FALSE(parse_iso_instant("9999-12-31T00:00:00Z"));
    EXPECT_FALSE(parse_iso_instant("0000-01-01T00:00:00Z"));
    EXPECT_TRUE(parse_iso_instant("2999-12-31T00:00:00Z"));
}

TEST(Scheduler, AVirtualJumpOfThousandsOfYearsReplaysOnlyTheLastYear) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.advance_to("2999-12-31T00:00:00Z");
    std::map<std::string, int> n;
    for (const auto& m : bot.sent()) ++n[m.where()];
    EXPECT_LE(n["#alpha"], 53);
    EXPECT_GE(n["#alpha"], 52);
}

// The bot asks for the jobs due in the next minute on every wake; most
// minutes are ruled out zone by zone without a look at any member
// (local_window). Walking a week one minute at a time must find exactly what
// one walk over the week finds, across the European and US spring changes,
// with people in their own zones (learned from Slack, set by themselves, in
// [[members]]), half-hour zones, and their own prompt times.
TEST(Scheduler, AWeekOfOneMinuteWakesFindsWhatOneWalkOverTheWeekFinds) {
    config cfg = must_load(R"(
[[members]]
id = "mia"
timezone = "Asia/Kathmandu"

[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["boss"]
members = ["alice", "bob", "carol", "mia"]

[[teams]]
name = "beta"
channel = "#beta"
timezone = "America/New_York"
members = ["dave", "erin", "alice"]

[[teams]]
name = "gamma"
channel = "#gamma"
timezone = "Asia/Kolkata"
members = ["frank"]
)");
    cfg.learned_zones.insert_or_assign("bob", interned_zone("America/Los_Angeles"));
    cfg.learned_zones.insert_or_assign("dave", interned_zone("Australia/Adelaide"));
    cfg.personal["carol"].timezone = "Asia/Tokyo";
    cfg.personal["carol"].prompt = weekly_time{0, 2, 30};  // Sunday 02:30: skipped by a spring change elsewhere
    cfg.personal["erin"].prompt = weekly_time{1, 8, 15};
    cfg.members_changed();

    using key = std::tuple<std::string, std::string, std::string, instant, instant>;
    for (const char* monday : {"2026-03-02T00:00:00Z", "2026-03-23T00:00:00Z", "2026-11-16T00:00:00Z"}) {
        const instant start = at(monday);
        for (const job_definition& job : job_table()) {
            std::vector<job_occurrence> whole, by_minute;
            job.occurrences(cfg, start, start + std::chrono::hours(24 * 7), whole);
            for (instant from = start; from < start + std::chrono::hours(24 * 7); from += std::chrono::minutes(1))
                job.occurrences(cfg, from, from + std::chrono::minutes(1), by_minute);
            auto keys = [](const std::vector<job_occurrence>& v) {
                std::multiset<key> out;
                for (const auto& o : v) out.insert({o.kind, o.target, o.period, o.due, o.window_end});
                return out;
            };
            EXPECT_EQ(keys(by_minute), keys(whole)) << job.kind << " in the week from " << monday;
            if (job.kind == "weekly_prompt") {
                EXPECT_EQ(whole.size(), 7u) << monday;  // each writer once
            }
        }
    }
}

// A wake reads the people's own settings again only when they may have
// changed: written through this store (committed or rolled back), or by
// another process (`ritualbot forget`, a second connection).
TEST(Scheduler, OwnSettingsAreReadAgainWhenTheDatabaseMayHaveChangedThem) {
    const std::string path = ritualbot::testing::temp_dir("scheduler_settings") + "/bot.db";
    test_bot bot(team, "2026-11-16T08:00:00Z", path);
    bot.advance_to("2026-11-16T08:05:00Z");
    EXPECT_EQ(bot.cfg.personal.count("alice"), 0u);

    // Unchanged database: what is in memory stays (here, something only the
    // memory has, to see that no reread happened).
    bot.cfg.personal["zed"].timezone = "Asia/Tokyo";
    bot.advance_to("2026-11-16T08:10:00Z");
    EXPECT_EQ(bot.cfg.personal.count("zed"), 1u);

    // Written through this store: read at the next wake.
    person_store(*bot.db).save_settings({"alice", "Asia/Tokyo", "", true, bot.clk.now()});
    bot.advance_to("2026-11-16T08:15:00Z");
    EXPECT_EQ(bot.cfg.personal.count("zed"), 0u);
    ASSERT_EQ(bot.cfg.personal.count("alice"), 1u);
    EXPECT_EQ(bot.cfg.personal["alice"].timezone, "Asia/Tokyo");

    // Written and rolled back: the next wake has the database's settings again.
    {
        auto tx = bot.db->begin();
        person_store(*bot.db).save_settings({"alice", "America/Lima", "", true, bot.clk.now()});
        bot.cfg.personal["alice"].timezone = "America/Lima";  // as the handler does before its commit
    }
    bot.advance_to("2026-11-16T08:20:00Z");
    EXPECT_EQ(bot.cfg.personal["alice"].timezone, "Asia/Tokyo");

    // Another connection (another process) deletes them: read at the next wake.
    {
        SQLite::Database other(path, SQLite::OPEN_READWRITE);
        other.exec("DELETE FROM person_settings WHERE member = 'alice'");
    }
    bot.advance_to("2026-11-16T08:25:00Z");
    EXPECT_EQ(bot.cfg.personal.count("alice"), 0u);
}
