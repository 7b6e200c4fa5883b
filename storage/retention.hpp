#pragma once
// [storage] keep_weeks: what the daily retention job deletes. Everything
// dated before the cutoff goes, but for what the bot still needs (see
// retention.cpp).
#include <cstdint>
#include <string>
#include <vector>

#include "bot/clock.hpp"

namespace ritualbot {

class store;

struct retention_count {
    std::string table;
    std::int64_t rows = 0;
};

// Deletes, in the caller's transaction, rows older than `cutoff`: weekly
// rows (updates, EOWD sign-ups, dependency alerts) of weeks before
// `cutoff_week` ("2026-W45"), learning sessions of months before
// `cutoff_month` ("2026-11"), and dated rows before `cutoff`. Returns the
// non-zero counts per table.
std::vector<retention_count> delete_older_than(store& db, instant cutoff, const std::string& cutoff_week,
                                               const std::string& cutoff_month);

}  // namespace ritualbot
