#pragma once
namespace SQLite { class Database; }

namespace ritualbot {

// Brings the schema up to the newest version, one transaction per step, and
// records the version in PRAGMA user_version. A database written by a newer
// ritualbot is refused rather than silently misread.
// `up_to` (tests) stops at that version, to build a database as an older ritualbot left it.
void apply_migrations(SQLite::Database& db, int up_to = -1);
int newest_schema_version();

}  // namespace ritualbot
