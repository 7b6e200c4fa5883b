#pragma once
// The pure maths of OKRs: periods as calendar dates, progress of a key result
// (increasing or decreasing), expected progress at a date, status, and the
// anti-pattern tests. No storage, no clock: every input is a parameter.
#include <date/date.h>

#include <optional>
#include <string>
#include <string_view>

#include "bot/clock.hpp"
#include "config/config.hpp"

namespace ritualbot {

// A period is a range of calendar dates, both ends included.
struct okr_period {
    std::string key;  // "2026-Q4", "2026-H2", "2026", or "2026-11-02..2026-12-18" when set by hand
    date::year_month_day first;
    date::year_month_day last;

    int days() const;  // length in days, first and last included
    bool contains(date::year_month_day d) const;
};

// The calendar period (quarter, half or year, per `kind`) that holds `d`.
okr_period calendar_period(date::year_month_day d, std::string_view kind);
// A hand-set period "first..last".
okr_period custom_period(date::year_month_day first, date::year_month_day last);

// The local date of `t` in `zone`.
date::year_month_day local_date(instant t, const std::string& zone);
// "2026-11-02" to a date; nullopt unless it is a real calendar date.
std::optional<date::year_month_day> parse_date(std::string_view s);
std::string format_date(date::year_month_day d);  // "2026-11-02"
// "2026-Q4, 2026-10-01 to 2026-12-31"; a period set by hand: "2026-11-02 to 2026-12-18".
std::string period_label(const okr_period& p);

// (current - baseline) / (target - baseline): 0 at the baseline, 1 at the
// target, whichever way the target lies. Unclamped; target == baseline is
// refused when a KR is created, and gives 0 here.
double kr_progress(double baseline, double target, double current);
// Clamped to [0, 1] for bars and percentages.
double clamp_progress(double p);

// The elapsed share of the period at the start of day `d`: 0 on the first
// day, (n-1)/n on the last, 1 after it, 0 before it.
double expected_progress(const okr_period& period, date::year_month_day d);

enum class kr_status { on_track, at_risk, off_track, done };
std::string to_string(kr_status s);  // "on track", "at risk", "off track", "done"

// done at 100%; on track within on_track_within points below expected; at
// risk within at_risk_within; off track below that.
kr_status classify(double progress, double expected, const okr_config& cfg);

// A yes/no KR in disguise: from 0 to 1 (or 1 to 0), or a unit that says so.
bool is_binary_kr(double baseline, double target, const std::string& unit);

// A number as typed: "12", "-3.5", "99.95", "1e3". std::from_chars; no
// thousands separators, no inf/nan, at most 32 characters.
// A key result's numbers stay within ±10^15 (a count of anything real).
inline constexpr double max_kr_value = 1e15;
// nullopt unless a plain finite number within ±max_kr_value.
std::optional<double> parse_number(std::string_view s);
// Shortest form: 12, 3.5, 99.95 (up to 4 decimals, trailing zeros dropped).
std::string format_number(double v);
std::string format_percent(double fraction);  // clamped: "43%"
std::string progress_bar(double fraction, int width = 10);  // "████░░░░░░"

}  // namespace ritualbot
