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
    r.answers = {{"Goal", "What goal?", 0, "", "goal"},
                 {"Changed", "What changed?", 1, "", "changed"},
                 {"At risk", "What is at risk?", 2, "risk", "risk"},
                 {"Next", "What next?", 3, "focus", "focus"}};
    r.started_at = r.updated_at = at("2026-11-12T14:00:00Z");
    db.save_update(r);
    r.week = "2026-W44";
    r.set_answer({"Next", "What next?", 3, "focus", "older"});
    db.save_update(r);
    auto found = db.find_update("alice", "2026-W46");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->text_at(3), "focus");
    EXPECT_EQ(found->text_of("At risk"), "risk");
    EXPECT_EQ(found->text_with_role("focus"), "focus");
    ASSERT_EQ(found->answers.size(), 4u);
    EXPECT_EQ(found->answers[1].question, "What changed?");
    EXPECT_EQ(db.find_update("alice", "2026-W44")->text_of("Next"), "older");
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

// Version 11 moved the four answer columns of weekly_updates into their own
// table, each answer with the question it answered (renumber with the migration).
TEST(Store, AnswersWrittenBeforeVersion11KeepTheirQuestions) {
    const std::string path = ritualbot::testing::temp_dir("store_answers_migration") + "/bot.db";
    {
        SQLite::Database old(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        apply_migrations(old, 10);
        old.exec(R"sql(
INSERT INTO weekly_updates (member, week, team, status, step, skip_reason, goal, changed, risk, focus, started_at,
                            updated_at)
VALUES ('alice', '2026-W46', 'alpha', 'done', 4, '', 'g', 'c', 'blocked by beta', 'f', 1, 2),
       ('alice', '2026-W47', 'alpha', 'in_progress', 2, '', 'g2', 'c2', '', '', 3, 4),
       ('bob', '2026-W47', 'alpha', 'skipped', 0, 'on holiday', '', '', '', '', 5, 6);
)sql");
    }
    store db(path);
    EXPECT_EQ(db.schema_version(), newest_schema_version());
    auto done = db.find_update("alice", "2026-W46");
    ASSERT_TRUE(done);
    ASSERT_EQ(done->answers.size(), 4u);
    EXPECT_EQ(done->text_of("Goal"), "g");
    EXPECT_EQ(done->find("At risk")->question, "What is at risk?");
    EXPECT_EQ(done->text_with_role("risk"), "blocked by beta");
    EXPECT_EQ(done->text_with_role("focus"), "f");
    EXPECT_EQ(done->asked, "");
    auto open = db.find_update("alice", "2026-W47");
    ASSERT_TRUE(open);
    EXPECT_EQ(open->answers.size(), 2u);
    EXPECT_EQ(open->asked, "At risk");  // the question pending
    EXPECT_EQ(open->step, 2);
    auto skipped = db.find_update("bob", "2026-W47");
    EXPECT_EQ(skipped->status, update_status::skipped);
    EXPECT_EQ(skipped->skip_reason, "on holiday");
    EXPECT_TRUE(skipped->answers.empty());
}
