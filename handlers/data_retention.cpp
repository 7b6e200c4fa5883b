#include "handlers/data_retention.hpp"

#include <date/date.h>
#include <spdlog/spdlog.h>

#include "handlers/context.hpp"
#include "handlers/week.hpp"
#include "storage/retention.hpp"

namespace ritualbot {

namespace {

// Quiet time in most zones; the rituals' own jobs are in working hours.
constexpr auto retention_time = std::chrono::hours(3) + std::chrono::minutes(30);

}  // namespace

void data_retention_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out) {
    if (cfg.storage_keep_weeks <= 0) return;
    for (auto day = date::floor<date::days>(from); day <= to; day += date::days{1}) {
        const instant t = std::chrono::time_point_cast<std::chrono::seconds>(day + retention_time);
        if (t <= from || t > to) continue;
        out.push_back({"data_retention", "storage", date::format("%F", day), t, t + std::chrono::hours(24)});
    }
}

void run_data_retention(handler_context& ctx, const job_occurrence&) {
    const int weeks = ctx.cfg.storage_keep_weeks;
    if (weeks <= 0) return;
    const instant cutoff = ctx.now() - std::chrono::hours(24 * 7 * weeks);
    const std::string week = iso_week_key(cutoff, "UTC");
    const std::string month = date::format("%Y-%m", date::floor<date::days>(cutoff));
    const auto removed = delete_older_than(ctx.db, cutoff, week, month);
    if (removed.empty()) {
        spdlog::info("data retention ([storage] keep_weeks = {}): nothing older than {} (week {}) to remove", weeks,
                     format_iso_instant(cutoff), week);
        return;
    }
    std::string list;
    for (const auto& r : removed) list += (list.empty() ? "" : ", ") + r.table + " " + std::to_string(r.rows);
    spdlog::info("data retention ([storage] keep_weeks = {}): removed rows older than {} (week {}): {}", weeks,
                 format_iso_instant(cutoff), week, list);
}

}  // namespace ritualbot
