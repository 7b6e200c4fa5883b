#pragma once
// What `ritualbot export` reads: each table of the team's rituals as rows of
// plain values (instants as ISO-8601 UTC text), ready for CSV or JSON.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bot/clock.hpp"

namespace ritualbot {

class store;

// A value as SQLite holds it: NULL, an integer, a real or a text.
using export_value = std::variant<std::monostate, std::int64_t, double, std::string>;

struct export_table {
    std::string name;  // "weekly_updates"; the CSV file is name + ".csv"
    std::vector<std::string> columns;
    std::vector<std::vector<export_value>> rows;
};

struct export_filter {
    std::string team;                // empty: every team
    std::optional<instant> since;    // rows from this instant on
    std::string since_week;          // "2026-W45": weekly rows of this week on (empty: all)
    std::string since_month;         // "2026-11": learning sessions of this month on (empty: all)
};

// Each answer goes with the question it answered (weekly_update_answers keeps
// its label and text).
std::vector<export_table> export_tables(store& db, const export_filter& filter);

}  // namespace ritualbot
