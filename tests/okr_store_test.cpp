#include <gtest/gtest.h>

#include "storage/migrations.hpp"
#include "storage/okr_store.hpp"
#include "storage/store.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using ritualbot::testing::at;

TEST(OkrStore, MigrationAddsTheOkrTables) {
    store db(":memory:");
    EXPECT_EQ(db.schema_version(), newest_schema_version());
    EXPECT_GE(db.schema_version(), 2);
    EXPECT_TRUE(db.database().tableExists("okr_key_results"));
    EXPECT_TRUE(db.database().tableExists("okr_pending_checkins"));
}

TEST(OkrStore, ObjectiveNumbersAreNeverReused) {
    store db(":memory:");
    okr_store okrs(db);
    auto t = at("2026-11-16T08:00:00Z");
    EXPECT_EQ(okrs.add_objective("alpha", "2026-Q4", "One", "maria", t).number, 1);
    auto two = okrs.add_objective("alpha", "2026-Q4", "Two", "maria", t);
    EXPECT_EQ(two.number, 2);
    okrs.archive_objective(two.id);
    EXPECT_EQ(okrs.add_objective("alpha", "2026-Q4", "Three", "maria", t).number, 3);
    // Another team or period counts from 1.
    EXPECT_EQ(okrs.add_objective("beta", "2026-Q4", "B", "maria", t).number, 1);
    EXPECT_EQ(okrs.add_objective("alpha", "2027-Q1", "Next", "maria", t).number, 1);
    EXPECT_EQ(okrs.objectives("alpha", "2026-Q4", false).size(), 2u);
    EXPECT_EQ(okrs.objectives("alpha", "2026-Q4", true).size(), 3u);
}

TEST(OkrStore, CheckinsUpdateTheValueAndKeepHistory) {
    store db(":memory:");
    okr_store okrs(db);
    auto o = okrs.add_objective("alpha", "2026-Q4", "Faster", "maria", at("2026-11-16T08:00:00Z"));
    auto kr = okrs.add_kr(o.id, "CI time", 12, 5, "min", "alice", at("2026-11-16T08:00:00Z"));
    EXPECT_EQ(kr.id_text(), "KR1.1");
    EXPECT_EQ(kr.current, 12);
    EXPECT_FALSE(kr.last_checkin);
    okrs.record_checkin(kr.id, 10, "alice", at("2026-11-18T10:00:00Z"), "first");
    okrs.record_checkin(kr.id, 9, "maria", at("2026-11-25T10:00:00Z"), "");
    auto now = okrs.find_kr("alpha", "2026-Q4", 1, 1);
    ASSERT_TRUE(now);
    EXPECT_EQ(now->current, 9);
    EXPECT_EQ(now->last_checkin, at("2026-11-25T10:00:00Z"));
    auto h = okrs.history(kr.id, 10);
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].value, 9);
    EXPECT_EQ(h[0].previous, 10);
    EXPECT_EQ(h[0].who, "maria");
    EXPECT_EQ(h[1].previous, 12);
    EXPECT_EQ(h[1].comment, "first");
}

TEST(OkrStore, PendingCheckinsExpireAndFollowKrOrder) {
    store db(":memory:");
    okr_store okrs(db);
    auto t = at("2026-11-18T10:00:00Z");
    auto o1 = okrs.add_objective("alpha", "2026-Q4", "One", "maria", t);
    auto o2 = okrs.add_objective("alpha", "2026-Q4", "Two", "maria", t);
    auto b = okrs.add_kr(o2.id, "B", 0, 10, "", "alice", t);
    auto a = okrs.add_kr(o1.id, "A", 0, 10, "", "alice", t);
    okrs.ask_checkin("alice", b.id, t, t + std::chrono::hours(24));
    okrs.ask_checkin("alice", a.id, t, t + std::chrono::hours(24));
    auto p = okrs.pending_checkins("alice", t + std::chrono::hours(1));
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p[0].kr_id, a.id);  // KR1.1 before KR2.1
    EXPECT_TRUE(okrs.pending_checkins("alice", t + std::chrono::hours(24)).empty());
    okrs.clear_checkin(a.id);
    EXPECT_EQ(okrs.pending_checkins("alice", t).size(), 1u);
    okrs.archive_objective(o2.id);  // an archived objective's KRs are asked no more
    EXPECT_TRUE(okrs.pending_checkins("alice", t).empty());
}

TEST(OkrStore, RollbackLeavesNoObjective) {
    store db(":memory:");
    okr_store okrs(db);
    {
        auto tx = db.begin();
        okrs.add_objective("alpha", "2026-Q4", "Lost", "maria", at("2026-11-16T08:00:00Z"));
    }
    EXPECT_TRUE(okrs.objectives("alpha", "2026-Q4", true).empty());
}
