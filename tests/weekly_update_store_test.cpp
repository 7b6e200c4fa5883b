// Weekly updates read for a whole team at once (one statement for the
// updates, one for their answers), and migration 15 (the updates and their
// answers re-keyed by week first) keeping every row.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include "storage/migrations.hpp"
#include "storage/statement.hpp"
#include "storage/store.hpp"
#include "storage/weekly_update_store.hpp"
#include "tests/support/console_runner.hpp"
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
    r.asked = "Changed";
    r.set_answer({"Goal", "What goal did I work toward?", 0, "", goal});
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
    EXPECT_EQ(found.at("alice").text_at(0), "a47");
    EXPECT_EQ(found.at("bob").text_at(0), "b47");
    EXPECT_EQ(found.at("o'neil\\\"x").text_at(0), "o47");
    EXPECT_EQ(found.at("alice").status, update_status::in_progress);
    EXPECT_EQ(found.at("alice").asked, "Changed");
    ASSERT_EQ(found.at("alice").answers.size(), 1u);  // not alice's answer of week 46
    EXPECT_EQ(found.at("alice").answers[0].label, "Goal");
    EXPECT_EQ(found.at("alice").answers[0].question, "What goal did I work toward?");
    EXPECT_EQ(found.at("alice").started_at, at("2026-11-19T14:00:00Z"));
    EXPECT_TRUE(weekly_update_store(db).find_updates({}, "2026-W47").empty());
    EXPECT_TRUE(weekly_update_store(db).find_updates({"alice"}, "2026-W48").empty());
    // The single-member reads still work on the re-keyed table.
    EXPECT_EQ(db.latest_update_before("alice", "2026-W47")->text_at(0), "a46");
    ASSERT_TRUE(db.find_update("bob", "2026-W47"));
}

TEST(WeeklyUpdateStore, FindsAnUpdateWithSeveralAnswersInTheirOrder) {
    store db(":memory:");
    weekly_update_row r = update("alice", "2026-W47", "goal");
    r.set_answer({"Next", "What will I focus on next?", 3, "focus", "next"});
    r.set_answer({"At risk", "What is at risk?", 2, "risk", "risk"});
    r.status = update_status::done;
    r.asked.clear();
    db.save_update(r);
    db.save_update(update("bob", "2026-W47", "b47"));
    auto found = weekly_update_store(db).find_updates({"alice", "bob"}, "2026-W47");
    ASSERT_EQ(found.size(), 2u);
    const auto& a = found.at("alice");
    ASSERT_EQ(a.answers.size(), 3u);
    EXPECT_EQ(a.answers[0].label, "Goal");
    EXPECT_EQ(a.answers[1].label, "At risk");
    EXPECT_EQ(a.text_with_role("risk"), "risk");
    EXPECT_EQ(a.text_with_role("focus"), "next");
    EXPECT_EQ(found.at("bob").answers.size(), 1u);
    // The same as the one-member read.
    auto one = db.find_update("alice", "2026-W47");
    ASSERT_TRUE(one);
    ASSERT_EQ(one->answers.size(), a.answers.size());
    for (std::size_t i = 0; i < a.answers.size(); ++i) EXPECT_EQ(one->answers[i].text, a.answers[i].text);
}

TEST(WeeklyUpdateStore, MigrationFifteenKeepsEveryRowAndKeysByWeek) {
    const std::string path = ritualbot::testing::temp_dir("weekly_update_store_migration") + "/bot.db";
    {
        // A database of version 14 (before the re-keying), with updates and answers.
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        apply_migrations(db, 14);
        ASSERT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 14);
        db.exec(R"sql(
INSERT INTO weekly_updates (member, week, team, status, step, skip_reason, asked, single_edit, started_at, updated_at)
VALUES ('alice', '2026-W46', 'alpha', 'done', 4, '', '', 0, 1, 2),
       ('alice', '2026-W47', 'alpha', 'in_progress', 1, '', 'Changed', 1, 5, 6),
       ('bob', '2026-W46', 'alpha', 'skipped', 0, 'ill', '', 0, 3, 4);
INSERT INTO weekly_update_answers (member, week, label, position, question, role, answer)
VALUES ('alice', '2026-W46', 'Goal', 0, 'What goal did I work toward?', '', 'g'),
       ('alice', '2026-W46', 'At risk', 2, 'What is at risk?', 'risk', 'r'),
       ('alice', '2026-W46', 'Next', 3, 'What will I focus on next?', 'focus', 'f'),
       ('alice', '2026-W47', 'Goal', 0, 'What goal did I work toward?', '', 'g2');
)sql");
        apply_migrations(db, 15);
        EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 15);
        EXPECT_EQ(db.execAndGet("SELECT count(*) FROM weekly_updates").getInt(), 3);
        EXPECT_EQ(db.execAndGet("SELECT count(*) FROM weekly_update_answers").getInt(), 4);
        EXPECT_EQ(db.execAndGet("SELECT skip_reason FROM weekly_updates WHERE member = 'bob'").getString(), "ill");
        // The primary keys start with the week; one member's history has its indexes.
        for (const char* table : {"weekly_updates", "weekly_update_answers"})
            EXPECT_EQ(db.execAndGet(std::string("SELECT name FROM pragma_table_info('") + table + "') WHERE pk = 1")
                          .getString(),
                      "week")
                << table;
        for (const char* index : {"weekly_updates_by_member", "weekly_update_answers_by_member"})
            EXPECT_EQ(db.execAndGet(std::string("SELECT count(*) FROM sqlite_schema WHERE name = '") + index + "'")
                          .getInt(),
                      1)
                << index;
        EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'weekly_updates_by_week'").getInt(), 0);
    }
    // Every field as the store reads it.
    store db(path);
    EXPECT_EQ(db.schema_version(), newest_schema_version());
    auto done = db.find_update("alice", "2026-W46");
    ASSERT_TRUE(done);
    EXPECT_EQ(done->status, update_status::done);
    ASSERT_EQ(done->answers.size(), 3u);
    EXPECT_EQ(done->text_of("Goal"), "g");
    EXPECT_EQ(done->text_with_role("risk"), "r");
    EXPECT_EQ(done->find("Next")->question, "What will I focus on next?");
    auto open = db.find_update("alice", "2026-W47");
    ASSERT_TRUE(open);
    EXPECT_EQ(open->asked, "Changed");
    EXPECT_TRUE(open->single_edit);
    EXPECT_EQ(open->step, 1);
    EXPECT_EQ(open->started_at, ritualbot::from_db(5));
    EXPECT_EQ(open->text_at(0), "g2");
    auto skipped = db.find_update("bob", "2026-W46");
    ASSERT_TRUE(skipped);
    EXPECT_EQ(skipped->status, update_status::skipped);
    EXPECT_EQ(skipped->skip_reason, "ill");
    // The upserts still find their rows under the new keys.
    open->set_answer({"Changed", "What changed because of my work?", 1, "", "c2"});
    db.save_update(*open);
    EXPECT_EQ(db.find_update("alice", "2026-W47")->answers.size(), 2u);
    EXPECT_EQ(weekly_update_store(db).find_updates({"alice", "bob"}, "2026-W46").size(), 2u);
}

// Migration 20 rebuilds weekly_updates with its status check written as
// comparisons (an IN list made SQLite build a temporary b-tree on every
// write): every row and column stays, the indexes come back, and a status
// outside the three is still refused.
TEST(WeeklyUpdateStore, MigrationTwentyKeepsEveryRowAndStillChecksTheStatus) {
    const std::string path = ritualbot::testing::temp_dir("weekly_update_store_migration20") + "/bot.db";
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    apply_migrations(db, 19);
    db.exec(R"sql(
INSERT INTO weekly_updates
    (member, week, team, status, step, skip_reason, asked, single_edit, started_at, updated_at, streak)
VALUES ('alice', '2026-W46', 'alpha', 'done', 4, '', '', 0, 1, 2, 7),
       ('alice', '2026-W47', 'alpha', 'in_progress', 1, '', 'Changed', 1, 5, 6, NULL),
       ('bob', '2026-W46', 'alpha', 'skipped', 0, 'ill', '', 0, 3, 4, 0);
)sql");
    const char* all = "SELECT group_concat(member || week || team || status || step || skip_reason || asked || "
                      "single_edit || started_at || updated_at || ifnull(streak, '-'), ';') "
                      "FROM (SELECT * FROM weekly_updates ORDER BY week, member)";
    const std::string before = db.execAndGet(all).getString();
    apply_migrations(db, 20);
    EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 20);
    EXPECT_EQ(db.execAndGet(all).getString(), before);
    for (const char* index : {"weekly_updates_by_member", "weekly_updates_by_week_status"})
        EXPECT_EQ(db.execAndGet(std::string("SELECT count(*) FROM sqlite_schema WHERE name = '") + index + "'").getInt(),
                  1)
            << index;
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'weekly_updates' AND sql LIKE '%status IN (%'").getInt(), 0);
    EXPECT_THROW(db.exec("INSERT INTO weekly_updates (member, week, team, status, started_at, updated_at) "
                         "VALUES ('carol', '2026-W46', 'alpha', 'lost', 1, 1)"),
                 SQLite::Exception);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM weekly_updates").getInt(), 3);
}

// An answer is written when it changed, and only it: the other answers of
// the update stay as they are, and one taken away (an edit that empties it)
// is deleted.
TEST(WeeklyUpdateStore, SavingWritesOnlyTheAnswersThatChanged) {
    store db(":memory:");
    auto r = update("alice", "2026-W47", "Ship the beta");
    r.set_answer({"Changed", "What changed because of my work?", 1, "", "Login is faster"});
    r.set_answer({"Risks", "What is at risk?", 2, "risk", "nothing"});
    db.save_update(r);

    // The same update again: no answer row is written (only the update's own row, and its streak).
    auto before = db.total_changes();
    db.save_update(r);
    const auto unchanged = db.total_changes() - before;

    r.set_answer({"Risks", "What is at risk?", 2, "risk", "blocked by nobody"});
    before = db.total_changes();
    db.save_update(r);
    EXPECT_EQ(db.total_changes() - before, unchanged + 1);

    r.answers.erase(r.answers.begin() + 1);  // "Changed" taken away
    before = db.total_changes();
    db.save_update(r);
    EXPECT_EQ(db.total_changes() - before, unchanged + 1);

    auto stored = db.find_update("alice", "2026-W47");
    ASSERT_TRUE(stored);
    ASSERT_EQ(stored->answers.size(), 2u);
    EXPECT_EQ(stored->answers[0].text, "Ship the beta");
    EXPECT_EQ(stored->answers[1].label, "Risks");
    EXPECT_EQ(stored->answers[1].text, "blocked by nobody");
    EXPECT_EQ(stored->answers[1].role, "risk");
}
