// Group commit (store::open_group): work that arrives together shares one
// transaction; each piece is a savepoint that rolls back alone; what waits
// for durability (an ack) runs only after the group's commit.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

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
