#pragma once
namespace SQLite { class Database; }

namespace ritualbot {

// Brings the schema up to the newest version, one transaction per step, and
// records the version in PRAGMA user_version. A database written by a newer
// ritualbot is refused rather than silently misread.
void apply_migrations(SQLite::Database& db);
int newest_schema_version();

}  // namespace ritualbot
