#pragma once
// `ritualbot backup`: a consistent copy of the database with SQLite's online
// backup API, safe while the bot runs (WAL: the copy reads one snapshot and
// never blocks the bot's writes).
#include <string>

namespace ritualbot {

struct backup_result {
    int pages = 0;
    int schema_version = 0;
    std::string integrity;  // "ok", or what PRAGMA integrity_check said of the copy
};

// Copies `source` to `destination` through a temporary file beside it
// (destination + ".partial"), checks the copy and only then gives it its
// name, so a failed backup never leaves a half file under that name. Refuses
// an existing destination unless `overwrite`. Throws std::runtime_error with
// a message for the operator.
backup_result backup_database(const std::string& source, const std::string& destination, bool overwrite);

}  // namespace ritualbot
