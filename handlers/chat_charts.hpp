#pragma once
// The charts chat messages carry, as image blocks (SVG plus alt text): the
// digest's participation over the last 12 weeks, and /okr status's progress
// of each key result against where it should be today. The dashboard's team
// page draws the same participation chart.
#include <string>
#include <vector>

#include "config/config.hpp"
#include "handlers/svg_chart.hpp"
#include "storage/message.hpp"

namespace ritualbot {

class handler_context;
struct participation_week;
struct objective_view;
struct week_summary;

inline constexpr int participation_chart_weeks = 12;

// The bar chart of answered updates per week (oldest first), its title and
// its description (the numbers in words).
bar_chart participation_chart(const std::vector<participation_week>& weeks);

// The digest's chart: `week` and the 11 weeks before it; `current` is
// `week`'s summary, already made by the digest.
void add_participation_chart(handler_context& ctx, const team_config& team, const std::string& week,
                             const week_summary& current, message& m);

// /okr status's chart: one bar per key result, its progress in percent, with
// a dashed mark where it should be today; nothing when there are no KRs.
// `period` as chat names it (period_label).
void add_kr_progress_chart(const team_config& team, const std::string& period,
                           const std::vector<objective_view>& objectives, message& m);

}  // namespace ritualbot
