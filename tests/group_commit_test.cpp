// Group commit (store::open_group): work that arrives together shares one
// transaction; each piece is a savepoint that rolls back alone; what waits
// for durability (an ack) runs only after the group's commit.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "storage/person_store.hpp"
#include "storage/store.hpp"
#include "tests/support/console_runner.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using ritualbot::testing::at;

namespace {

// What another connection sees: only committed work.
bool committed(const std::string& path, const std::string& key) {
    store other(path);
    return other.event_seen(key);
}

}  // namespace

TEST(GroupCommit, PiecesCommitTogetherAndAFailedOneRollsBackAlone) {
    const std::string path = ritualbot::testing::temp_dir("group_commit") + "/bot.db";
    store db(path);
    std::vector<std::string> acked;
    db.open_group();
    {
        store::join_scope joined(db);
        auto ok = db.begin();
        db.record_event("first", at("2026-11-19T10:00:00Z"));
        ok->commit();
        db.after_commit([&] { acked.push_back("first"); });
        {
            auto failing = db.begin();
            db.record_event("failed", at("2026-11-19T10:00:00Z"));
            // destroyed without commit: this savepoint alone is undone
        }
        auto apology = db.begin();
        db.record_event("second", at("2026-11-19T10:00:01Z"));
        apology->commit();
        db.after_commit([&] { acked.push_back("second"); });
    }
    // Nothing is durable nor acknowledged before the group's commit.
    EXPECT_TRUE(acked.empty());
    EXPECT_FALSE(committed(path, "first"));
    EXPECT_TRUE(db.event_seen("first"));  // the group sees its own work
    EXPECT_EQ(db.group_size(), 2u);

    EXPECT_TRUE(db.commit_group());
    EXPECT_FALSE(db.group_open());
    EXPECT_EQ(acked, (std::vector<std::string>{"first", "second"}));
    EXPECT_TRUE(committed(path, "first"));
    EXPECT_TRUE(committed(path, "second"));
    EXPECT_FALSE(committed(path, "failed"));
}

TEST(GroupCommit, WorkOutsideTheGroupCommitsItFirst) {
    const std::string path = ritualbot::testing::temp_dir("group_commit_settle") + "/bot.db";
    store db(path);
    bool acked = false;
    db.open_group();
    {
        store::join_scope joined(db);
        auto tx = db.begin();
        db.record_event("envelope", at("2026-11-19T10:00:00Z"));
        tx->commit();
        db.after_commit([&] { acked = true; });
    }
    // A scheduled job (or an outbox delivery) begins its own transaction:
    // the group is committed and acknowledged before it.
    auto job = db.begin();
    EXPECT_TRUE(acked);
    EXPECT_FALSE(db.group_open());
    EXPECT_TRUE(committed(path, "envelope"));
    db.record_event("job", at("2026-11-19T10:00:01Z"));
    job->commit();
    EXPECT_TRUE(committed(path, "job"));
}

TEST(GroupCommit, APostLeavesOnlyOnceItsAttemptIsCommitted) {
    const std::string path = ritualbot::testing::temp_dir("group_commit_attempt") + "/bot.db";
    store db(path);
    outgoing item;
    item.to.platform = "slack";
    item.to.kind = destination_kind::direct;
    item.to.user = "U1";
    item.body = message("hello");
    const auto id = [&] {
        auto tx = db.begin();
        auto id = db.enqueue(item, at("2026-11-19T10:00:00Z"));
        tx->commit();
        return id;
    }();
    // As the Slack transport does: the attempt in the group, the post after its commit.
    bool posted = false;
    db.open_group();
    db.mark_attempt_started(id, at("2026-11-19T10:00:02Z"));
    db.after_commit([&] {
        posted = true;
        store other(path);  // what a restart after a crash here would read
        auto rows = other.unsent("slack", 10);
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_TRUE(rows[0].attempt_started.has_value());
    });
    EXPECT_FALSE(posted);
    EXPECT_TRUE(db.commit_group());
    EXPECT_TRUE(posted);
}

TEST(GroupCommit, UnsentLeavesOutRowsInFlightWithoutReadingThem) {
    store db(":memory:");
    outgoing item;
    item.to.platform = "slack";
    item.to.kind = destination_kind::direct;
    item.to.user = "U1";
    item.body = message("hello");
    const auto first = db.enqueue(item, at("2026-11-19T10:00:00Z"));
    const auto second = db.enqueue(item, at("2026-11-19T10:00:00Z"));
    const std::set<std::int64_t> in_flight{first};
    auto rows = db.unsent("slack", 10, std::nullopt, 0, &in_flight);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].id, second);
}

TEST(GroupCommit, WithoutAGroupActionsRunAtOnce) {
    store db(":memory:");
    bool ran = false;
    db.after_commit([&] { ran = true; });
    EXPECT_TRUE(ran);
    EXPECT_TRUE(db.commit_group());
}

// The settings stamp (store::settings_version, by which a scheduler wake
// decides to read the people's settings again) moves when writes are rolled
// back: settings read while a group was open may be gone with it.
TEST(GroupCommit, ARolledBackGroupOrTransactionMovesTheSettingsStamp) {
    const std::string path = ritualbot::testing::temp_dir("group_commit_stamp") + "/bot.db";
    store db(path);
    person_store people(db);
    const auto start = db.settings_version();
    {
        auto tx = db.begin();  // only reads, then rolls back
        (void)people.settings("alice");
    }
    EXPECT_EQ(db.settings_version(), start);

    db.open_group();
    {
        store::join_scope joined(db);
        auto tx = db.begin();
        people.save_settings({"alice", "America/Lima", "", true, at("2026-11-19T10:00:00Z")});
        // Something the commit refuses: a key result of no objective, checked at COMMIT.
        db.database().exec("PRAGMA defer_foreign_keys = ON");
        db.database().exec(
            "INSERT INTO okr_key_results (objective_id, number, title, baseline, target, current, created_at) "
            "VALUES (999, 1, 'x', 0, 1, 0, 0)");
        tx->commit();
    }
    const auto read_in_group = db.settings_version();  // a wake reads Lima here, uncommitted
    ASSERT_TRUE(people.settings("alice").has_value());
    EXPECT_FALSE(db.commit_group());
    EXPECT_FALSE(people.settings("alice").has_value());  // gone with the group...
    EXPECT_NE(db.settings_version(), read_in_group);      // ...so the next wake reads again

    // A savepoint that wrote and rolled back moves it too.
    const auto before_savepoint = db.settings_version();
    db.open_group();
    {
        store::join_scope joined(db);
        auto tx = db.begin();
        db.record_event("envelope", at("2026-11-19T10:00:00Z"));
    }
    EXPECT_NE(db.settings_version(), before_savepoint);
    EXPECT_TRUE(db.commit_group());
}
