// [storage] keep_weeks: the store function that deletes old rows, and the
// daily job that calls it through the real scheduler.
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "storage/dependency_store.hpp"
#include "storage/eowd_store.hpp"
#include "storage/okr_store.hpp"
#include "storage/person_store.hpp"
#include "storage/retention.hpp"
#include "storage/store.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using ritualbot::testing::at;

namespace {

void save_week(store& db, const std::string& member, const std::string& week) {
    weekly_update_row r;
    r.member = member;
    r.week = week;
    r.team = "alpha";
    r.status = update_status::done;
    r.step = 4;
    r.set_answer({"Goal", "What goal did I work toward?", 0, "", "goal"});
    r.set_answer({"At risk", "What is at risk?", 2, "risk", "none"});
    r.started_at = r.updated_at = at("2026-10-01T10:00:00Z");
    db.save_update(r);
}

std::int64_t count(store& db, const std::string& table) {
    return db.database().execAndGet("SELECT count(*) FROM " + table).getInt64();
}

std::int64_t removed(const std::vector<retention_count>& counts, const std::string& table) {
    for (const auto& c : counts)
        if (c.table == table) return c.rows;
    return 0;
}

const char* const team_toml = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
members = ["alice"]
)";

}  // namespace

TEST(DataRetention, DeletesOldRowsButKeepsWhatTheBotStillReads) {
    store db(":memory:");
    save_week(db, "alice", "2026-W40");
    save_week(db, "alice", "2026-W47");
    okr_store okrs(db);
    auto o = okrs.add_objective("alpha", "2026-Q4", "Ship", "maria", at("2026-10-01T10:00:00Z"));
    auto kr1 = okrs.add_kr(o.id, "Latency", 100, 50, "ms", "alice", at("2026-10-01T10:00:00Z"));
    auto kr2 = okrs.add_kr(o.id, "Errors", 10, 1, "", "alice", at("2026-10-01T10:00:00Z"));
    okrs.record_checkin(kr1.id, 90, "alice", at("2026-10-07T10:00:00Z"), "");
    okrs.record_checkin(kr1.id, 80, "alice", at("2026-10-14T10:00:00Z"), "");
    okrs.record_checkin(kr1.id, 70, "alice", at("2026-11-18T10:00:00Z"), "");
    okrs.record_checkin(kr2.id, 5, "alice", at("2026-10-07T10:00:00Z"), "");  // old, but its KR's latest
    eowd_store eowd(db);
    eowd_signup_row s;
    s.team = "alpha";
    s.member = "alice";
    s.topic = "old";
    s.week = "2026-W40";
    eowd.save_signup(s);
    s.week = "2026-W47";
    s.topic = "new";
    eowd.save_signup(s);
    dependency_store deps(db);
    dependency_row d;
    d.provider = "beta";
    d.consumer = "alpha";
    d.what = "old and done";
    d.status = dep_status::done;
    d.created_by = "maria";
    d.created_at = d.updated_at = at("2026-09-01T10:00:00Z");
    d.resolved_at = at("2026-09-10T10:00:00Z");
    deps.add(d);
    d.what = "old and open";
    d.status = dep_status::in_progress;
    d.resolved_at.reset();
    deps.add(d);
    outgoing msg;
    msg.to.platform = "console";
    msg.to.user = "alice";
    msg.body = message("hello");
    const auto sent = db.enqueue(msg, at("2026-10-01T10:00:00Z"));
    db.mark_sent(sent, at("2026-10-01T10:00:01Z"));
    db.enqueue(msg, at("2026-10-01T10:00:00Z"));  // never sent: kept

    person_store people(db);
    for (const char* week : {"2026-W40", "2026-W47"})
        people.add_snooze({"alice", week, 1, at("2026-10-01T12:00:00Z"), at("2026-10-01T10:00:00Z")});
    people.save_time_off({"alice", at("2026-09-01T00:00:00Z"), at("2026-09-10T22:00:00Z"), "2026-09-10", "", "alice",
                          at("2026-09-01T00:00:00Z")});
    people.save_time_off({"bob", at("2026-10-20T00:00:00Z"), at("2026-11-10T23:00:00Z"), "2026-11-10", "", "bob",
                          at("2026-10-20T00:00:00Z")});  // began before the cutoff, ends after it: kept
    people.save_settings({"alice", "Europe/Berlin", "Wed 10:00", false, at("2026-09-01T00:00:00Z")});

    auto tx = db.begin();
    const auto counts = delete_older_than(db, at("2026-11-01T00:00:00Z"), "2026-W44", "2026-11");
    tx->commit();
    EXPECT_EQ(removed(counts, "weekly_updates"), 1);
    EXPECT_EQ(removed(counts, "weekly_update_answers"), 2);
    EXPECT_FALSE(db.find_update("alice", "2026-W40"));
    ASSERT_TRUE(db.find_update("alice", "2026-W47"));
    EXPECT_EQ(db.find_update("alice", "2026-W47")->answers.size(), 2u);
    EXPECT_EQ(count(db, "weekly_update_answers"), 2);
    EXPECT_EQ(removed(counts, "update_snoozes"), 1);
    EXPECT_EQ(people.snoozes("alice", "2026-W47").size(), 1u);
    EXPECT_EQ(removed(counts, "time_off"), 1);
    EXPECT_FALSE(people.time_off("alice"));
    EXPECT_TRUE(people.time_off("bob"));
    EXPECT_TRUE(people.settings("alice"));  // a choice, not a record: kept
    EXPECT_EQ(removed(counts, "okr_checkins"), 2);
    ASSERT_EQ(okrs.history(kr1.id, 10).size(), 1u);
    EXPECT_EQ(okrs.history(kr1.id, 10)[0].value, 70);
    EXPECT_EQ(okrs.history(kr2.id, 10).size(), 1u);
    EXPECT_EQ(count(db, "okr_key_results"), 2);
    EXPECT_EQ(removed(counts, "eowd_signups"), 1);
    EXPECT_TRUE(eowd.find_signup("alpha", "2026-W47", "alice"));
    EXPECT_EQ(removed(counts, "dependencies"), 1);
    ASSERT_EQ(deps.all().size(), 1u);
    EXPECT_EQ(deps.all()[0].what, "old and open");
    EXPECT_EQ(removed(counts, "outbox"), 1);
    EXPECT_EQ(db.unsent_count(), 1);
}

TEST(DataRetention, TheDailyJobRunsOnceADayWhenKeepWeeksIsSet) {
    ritualbot::testing::test_bot bot("[storage]\nkeep_weeks = 4\n" + std::string(team_toml), "2026-11-16T00:00:00Z");
    save_week(*bot.db, "alice", "2026-W40");
    save_week(*bot.db, "alice", "2026-W44");
    save_week(*bot.db, "alice", "2026-W47");
    bot.advance_to("2026-11-17T04:00:00Z");
    // Cutoff 17 Nov 03:30 minus 28 days = 20 Oct, week 43: W40 goes, W44 stays.
    EXPECT_TRUE(bot.db->job_ran("data_retention", "storage", "2026-11-16"));
    EXPECT_TRUE(bot.db->job_ran("data_retention", "storage", "2026-11-17"));
    EXPECT_FALSE(bot.db->find_update("alice", "2026-W40"));
    EXPECT_TRUE(bot.db->find_update("alice", "2026-W44"));
    EXPECT_TRUE(bot.db->find_update("alice", "2026-W47"));
    // Two weeks later W44 is past the cutoff too.
    bot.advance_to("2026-12-01T04:00:00Z");
    EXPECT_FALSE(bot.db->find_update("alice", "2026-W44"));
    EXPECT_TRUE(bot.db->find_update("alice", "2026-W47"));
}

TEST(DataRetention, WithoutKeepWeeksNothingIsDeleted) {
    ritualbot::testing::test_bot bot(team_toml, "2026-11-16T00:00:00Z");
    save_week(*bot.db, "alice", "2020-W01");
    bot.advance_to("2026-11-20T04:00:00Z");
    EXPECT_FALSE(bot.db->job_ran("data_retention", "storage", "2026-11-17"));
    EXPECT_TRUE(bot.db->find_update("alice", "2020-W01"));
}

TEST(DataRetention, KeepWeeksIsValidated) {
    for (const char* bad : {"2", "-1", "\"four\"", "5201", "1.5"}) {
        auto r = load_config_string("[storage]\nkeep_weeks = " + std::string(bad) + "\n" + team_toml);
        ASSERT_FALSE(r.cfg) << bad;
        ASSERT_EQ(r.errors.size(), 1u) << bad;
        EXPECT_EQ(r.errors[0].line, 2) << bad;
        EXPECT_NE(r.errors[0].message.find("keep_weeks must be 0 (keep everything) or a whole number of weeks from 4"),
                  std::string::npos)
            << r.errors[0].message;
    }
    for (const char* good : {"0", "4", "52"}) {
        auto r = load_config_string("[storage]\nkeep_weeks = " + std::string(good) + "\n" + team_toml);
        ASSERT_TRUE(r.cfg) << good;
        EXPECT_EQ(r.cfg->storage_keep_weeks, std::stoi(good));
    }
}
