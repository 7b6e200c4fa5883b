// Answer streaks kept with each weekly update (migration 17): what a write
// changes, a week finished late, and rows written before the column existed.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include "storage/store.hpp"
#include "storage/update_streaks.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using ritualbot::testing::at;

namespace {

void save(store& db, const std::string& member, const std::string& week, update_status status,
          const std::string& reason = "") {
    weekly_update_row r;
    r.member = member;
    r.week = week;
    r.team = "alpha";
    r.status = status;
    r.skip_reason = reason;
    r.started_at = r.updated_at = at("2026-11-19T14:00:00Z");
    db.save_update(r);
}

int stored(store& db, const std::string& member, const std::string& week) {
    SQLite::Statement st(db.database(), "SELECT streak FROM weekly_updates WHERE member = ? AND week = ?");
    st.bind(1, member);
    st.bind(2, week);
    if (!st.executeStep()) return -1;
    return st.getColumn(0).isNull() ? -2 : st.getColumn(0).getInt();
}

}  // namespace

TEST(UpdateStreaks, EachWriteKeepsTheStreakThroughItsWeek) {
    store db(":memory:");
    save(db, "alice", "2026-W51", update_status::done);
    save(db, "alice", "2026-W52", update_status::done);
    save(db, "alice", "2026-W53", update_status::skipped, "holiday");  // 2026 has 53 ISO weeks
    save(db, "alice", "2027-W01", update_status::in_progress);
    EXPECT_EQ(update_streaks(db).streak("alice", "2027-W01"), 0);  // not finished yet
    save(db, "alice", "2027-W01", update_status::done);
    EXPECT_EQ(stored(db, "alice", "2026-W53"), 2);  // carried over the announced absence
    EXPECT_EQ(update_streaks(db).streak("alice", "2026-W53"), 0);
    EXPECT_EQ(update_streaks(db).streak("alice", "2027-W01"), 3);
    save(db, "alice", "2027-W03", update_status::done);  // W02 missing: a new streak
    EXPECT_EQ(update_streaks(db).streak("alice", "2027-W03"), 1);
    save(db, "alice", "2027-W04", update_status::skipped);  // no reason: ends it
    save(db, "alice", "2027-W05", update_status::done);
    EXPECT_EQ(update_streaks(db).streak("alice", "2027-W05"), 1);
    EXPECT_EQ(update_streaks(db).streak("nobody", "2027-W05"), 0);
}

TEST(UpdateStreaks, AWeekFinishedLateCarriesIntoTheWeeksAfterIt) {
    store db(":memory:");
    save(db, "bob", "2026-W45", update_status::done);
    save(db, "bob", "2026-W46", update_status::in_progress);
    save(db, "bob", "2026-W47", update_status::done);
    save(db, "bob", "2026-W48", update_status::done);
    EXPECT_EQ(update_streaks(db).streak("bob", "2026-W48"), 2);
    save(db, "bob", "2026-W46", update_status::done);  // finished after the weeks that followed
    EXPECT_EQ(update_streaks(db).streak("bob", "2026-W48"), 4);
    save(db, "bob", "2026-W45", update_status::skipped);  // and a past week taken back
    EXPECT_EQ(update_streaks(db).streak("bob", "2026-W48"), 3);
}

TEST(UpdateStreaks, RowsWrittenBeforeTheColumnAreCountedFromTheHistory) {
    store db(":memory:");
    for (const char* w : {"2026-W40", "2026-W41", "2026-W42", "2026-W43"}) save(db, "carol", w, update_status::done);
    save(db, "carol", "2026-W44", update_status::skipped, "sick");
    save(db, "carol", "2026-W45", update_status::done);
    save(db, "dan", "2026-W45", update_status::done);
    db.database().exec("UPDATE weekly_updates SET streak = NULL");  // as migration 17 leaves them
    EXPECT_EQ(update_streaks(db).streak("carol", "2026-W45"), 5);
    const auto team = update_streaks(db).streaks({"carol", "dan", "erin"}, "2026-W45");
    EXPECT_EQ(team.at("carol"), 5);
    EXPECT_EQ(team.at("dan"), 1);
    EXPECT_EQ(team.count("erin"), 0u);
    save(db, "carol", "2026-W46", update_status::done);  // the first write after the upgrade
    EXPECT_EQ(stored(db, "carol", "2026-W46"), 6);
    EXPECT_EQ(update_streaks(db).streak("carol", "2026-W46"), 6);
}
