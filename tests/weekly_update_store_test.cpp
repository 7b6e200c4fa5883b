// Weekly updates read for a whole team in one statement, and migration 11
// (the table re-keyed by week first) keeping every row.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include "storage/migrations.hpp"
#include "storage/store.hpp"
#include "storage/weekly_update_store.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using ritualbot::testing::at;

namespace {

weekly_update_row update(const std::string& member, const std::string& week, const std::string& goal) {
    weekly_update_row r;
    r.member = member;
    r.week = week;
    r.team = "alpha";
    r.status = update_status::in_progress;
    r.step = 1;
    r.answers[0] = goal;
    r.started_at = r.updated_at = at("2026-11-19T14:00:00Z");
    return r;
}

}  // namespace

TEST(WeeklyUpdateStore, FindsTheWeeksUpdatesOfTheGivenMembersOnly) {
    store db(":memory:");
    db.save_update(update("alice", "2026-W47", "a47"));
    db.save_update(update("alice", "2026-W46", "a46"));
    db.save_update(update("bob", "2026-W47", "b47"));
    db.save_update(update("zoe", "2026-W47", "z47"));  // not asked for
    // A name with a quote and a backslash goes through the JSON list intact.
    db.save_update(update("o'neil\\\"x", "2026-W47", "o47"));
    auto found = weekly_update_store(db).find_updates({"alice", "bob", "carol", "o'neil\\\"x"}, "2026-W47");
    ASSERT_EQ(found.size(), 3u);
    EXPECT_EQ(found.at("alice").answers[0], "a47");
    EXPECT_EQ(found.at("bob").answers[0], "b47");
    EXPECT_EQ(found.at("o'neil\\\"x").answers[0], "o47");
    EXPECT_EQ(found.at("alice").status, update_status::in_progress);
    EXPECT_EQ(found.at("alice").started_at, at("2026-11-19T14:00:00Z"));
    EXPECT_TRUE(weekly_update_store(db).find_updates({}, "2026-W47").empty());
    EXPECT_TRUE(weekly_update_store(db).find_updates({"alice"}, "2026-W48").empty());
    // The single-member reads still work on the re-keyed table.
    EXPECT_EQ(db.latest_update_before("alice", "2026-W47")->answers[0], "a46");
    ASSERT_TRUE(db.find_update("bob", "2026-W47"));
}

TEST(WeeklyUpdateStore, MigrationElevenKeepsEveryRowAndKeysByWeek) {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    // The table as versions 1 to 10 made it.
    db.exec(R"sql(
CREATE TABLE weekly_updates (
    member TEXT NOT NULL, week TEXT NOT NULL, team TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('in_progress', 'done', 'skipped')),
    step INTEGER NOT NULL DEFAULT 0, skip_reason TEXT NOT NULL DEFAULT '',
    goal TEXT NOT NULL DEFAULT '', changed TEXT NOT NULL DEFAULT '', risk TEXT NOT NULL DEFAULT '',
    focus TEXT NOT NULL DEFAULT '', started_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
    PRIMARY KEY (member, week)
) WITHOUT ROWID;
CREATE INDEX weekly_updates_by_week ON weekly_updates (week);
INSERT INTO weekly_updates VALUES ('alice', '2026-W46', 'alpha', 'done', 4, '', 'g', 'c', 'r', 'f', 1, 2);
INSERT INTO weekly_updates VALUES ('bob', '2026-W46', 'alpha', 'skipped', 0, 'ill', '', '', '', '', 3, 4);
PRAGMA user_version = 10;
)sql");
    if (newest_schema_version() > 11) GTEST_SKIP() << "a later migration needs the tables of versions 1 to 10";
    apply_migrations(db);
    EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 11);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM weekly_updates").getInt(), 2);
    EXPECT_EQ(db.execAndGet("SELECT skip_reason FROM weekly_updates WHERE member = 'bob'").getString(), "ill");
    EXPECT_EQ(db.execAndGet("SELECT focus FROM weekly_updates WHERE member = 'alice'").getString(), "f");
    // The primary key starts with the week; one member's history has its index.
    EXPECT_EQ(db.execAndGet("SELECT name FROM pragma_table_info('weekly_updates') WHERE pk = 1").getString(), "week");
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'weekly_updates_by_member'").getInt(), 1);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'weekly_updates_by_week'").getInt(), 0);
}
