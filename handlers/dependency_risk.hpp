#pragma once
// The computed risk of a dependency and the date words around it. Pure: the
// caller says what "today" is (the consumer team's local date).
#include <date/date.h>

#include <optional>
#include <string>
#include <string_view>

#include "bot/clock.hpp"
#include "storage/dependency_store.hpp"

namespace ritualbot {

enum class dep_risk { none = 0, low = 1, medium = 2, high = 3 };

std::string to_string(dep_risk r);  // "high", "medium", "low", "none"

// The default rules:
//  high   blocking, not yet available, and due within 14 days or past due,
//         or with no due date and not started;
//  medium blocking and due later (or in progress with no due date), or
//         non-blocking and due within 7 days or past due;
//  low    every other open dependency (soft ones, non-blocking due later or undated);
//  none   once available or done.
dep_risk compute_risk(const dependency_row& dep, date::sys_days today);

// "2026-12-01" -> the day; nullopt for anything else (including 2026-02-30).
std::optional<date::sys_days> parse_due_date(std::string_view text);
std::string format_due_date(date::sys_days day);  // "2026-12-01"
std::string short_due_date(date::sys_days day);   // "Dec 1"

// Days from today until the due date (negative when past); nullopt without one.
std::optional<int> days_until_due(const dependency_row& dep, date::sys_days today);

// The local calendar date at `t` in `zone`.
date::sys_days local_today(instant t, const std::string& zone);

}  // namespace ritualbot
