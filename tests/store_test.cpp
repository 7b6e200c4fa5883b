#include <gtest/gtest.h>

#include <filesystem>

#include "storage/migrations.hpp"
#include "storage/store.hpp"
#include "tests/support/console_runner.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using ritualbot::testing::at;

TEST(Store, MigratesANewDatabaseToTheNewestSchema) {
    store db(":memory:");
    EXPECT_EQ(db.schema_version(), newest_schema_version());
}

TEST(Store, FileDatabaseUsesWalAndSurvivesReopening) {
    const std::string dir = ritualbot::testing::temp_dir("store_wal");
    const std::string path = dir + "/bot.db";
    {
        store db(path);
        EXPECT_EQ(db.database().execAndGet("PRAGMA journal_mode").getString(), "wal");
        db.record_event("evt-1", at("2026-11-19T10:00:00Z"));
    }
    store again(path);  // migrations are not re-applied
    EXPECT_EQ(again.schema_version(), newest_schema_version());
    EXPECT_TRUE(again.event_seen("evt-1"));
}

TEST(Store, RefusesADatabaseFromANewerRitualbot) {
    const std::string path = ritualbot::testing::temp_dir("store_newer") + "/bot.db";
    {
        store db(path);
        db.database().exec("PRAGMA user_version = 999");
    }
    EXPECT_THROW(store again(path), std::runtime_error);
}

TEST(Store, RolledBackTransactionLeavesNothing) {
    store db(":memory:");
    {
        auto tx = db.begin();
        db.record_event("evt-1", at("2026-11-19T10:00:00Z"));
        db.enqueue({{"console", destination_kind::direct, "alice", ""}, message("hi")}, at("2026-11-19T10:00:00Z"));
        db.record_job("digest", "alpha", "2026-W47", at("2026-11-20T15:00:00Z"), at("2026-11-20T15:00:00Z"));
        // no commit: the destructor rolls back
    }
    EXPECT_FALSE(db.event_seen("evt-1"));
    EXPECT_EQ(db.unsent_count(), 0);
    EXPECT_FALSE(db.job_ran("digest", "alpha", "2026-W47"));
}

TEST(Store, AJobIsRecordedOnlyOnce) {
    store db(":memory:");
    db.record_job("digest", "alpha", "2026-W47", at("2026-11-20T15:00:00Z"), at("2026-11-20T15:00:00Z"));
    EXPECT_TRUE(db.job_ran("digest", "alpha", "2026-W47"));
    EXPECT_THROW(db.record_job("digest", "alpha", "2026-W47", at("2026-11-20T15:00:00Z"), at("2026-11-20T16:00:00Z")),
                 std::exception);
}

TEST(Store, OutboxKeepsOrderAndTheWholeMessage) {
    store db(":memory:");
    message m;
    m.header("Title").list({"a", "b"}).table({{"KR", "status"}, {"KR1.1", "on track"}});
    m.actions({{"update.start", "Write my update", "2026-W47"}});
    auto first = db.enqueue({{"console", destination_kind::channel, "", "#alpha"}, m}, at("2026-11-19T10:00:00Z"));
    auto second = db.enqueue({{"console", destination_kind::private_reply, "bob", "#alpha"}, message("x")},
                             at("2026-11-19T10:00:00Z"));
    auto rows = db.unsent("console", 10);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].id, first);
    EXPECT_EQ(rows[0].item.body.plain_text(), m.plain_text());
    EXPECT_EQ(rows[0].item.body.blocks().back().buttons.at(0).action_id, "update.start");
    EXPECT_EQ(rows[1].item.to.kind, destination_kind::private_reply);
    db.mark_sent(first, at("2026-11-19T10:00:01Z"));
    rows = db.unsent("console", 10);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].id, second);
    EXPECT_TRUE(db.unsent("slack", 10).empty());
}

TEST(Store, UpdatesRoundTripAndLatestBeforeFindsTheLastWeek) {
    store db(":memory:");
    weekly_update_row r;
    r.member = "alice";
    r.week = "2026-W46";
    r.team = "alpha";
    r.status = update_status::done;
    r.step = 4;
    r.answers = {"goal", "changed", "risk", "focus"};
    r.started_at = r.updated_at = at("2026-11-12T14:00:00Z");
    db.save_update(r);
    r.week = "2026-W44";
    r.answers[3] = "older";
    db.save_update(r);
    auto found = db.find_update("alice", "2026-W46");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->answers[3], "focus");
    EXPECT_EQ(found->status, update_status::done);
    auto last = db.latest_update_before("alice", "2026-W47");
    ASSERT_TRUE(last);
    EXPECT_EQ(last->week, "2026-W46");
    EXPECT_FALSE(db.latest_update_before("alice", "2026-W44"));
}

TEST(Store, HorizonOnlyMovesForward) {
    store db(":memory:");
    EXPECT_FALSE(db.scheduler_horizon());
    db.set_scheduler_horizon(at("2026-11-19T10:00:00Z"));
    db.set_scheduler_horizon(at("2026-11-18T10:00:00Z"));
    EXPECT_EQ(*db.scheduler_horizon(), at("2026-11-19T10:00:00Z"));
}

TEST(Store, OldDedupeKeysCanBePruned) {
    store db(":memory:");
    db.record_event("old", at("2026-10-01T00:00:00Z"));
    db.record_event("new", at("2026-11-19T00:00:00Z"));
    EXPECT_EQ(db.prune_events_before(at("2026-11-01T00:00:00Z")), 1);
    EXPECT_FALSE(db.event_seen("old"));
    EXPECT_TRUE(db.event_seen("new"));
}

TEST(Store, ADamagedOutboxRowIsSetAsideAndTheRestStillGoes) {
    store db(":memory:");
    auto bad = db.enqueue({{"console", destination_kind::direct, "alice", ""}, message("one")}, at("2026-11-19T10:00:00Z"));
    db.enqueue({{"console", destination_kind::direct, "bob", ""}, message("two")}, at("2026-11-19T10:00:00Z"));
    db.database().exec("UPDATE outbox SET body = '{not json' WHERE id = " + std::to_string(bad));
    auto rows = db.unsent("console", 10);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].item.to.user, "bob");
    EXPECT_EQ(db.unsent("console", 10).size(), 1u);  // set aside for good, not re-read every time
}
