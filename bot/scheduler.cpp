#include "bot/scheduler.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "bot/clock.hpp"
#include "handlers/dispatcher.hpp"
#include "storage/store.hpp"

namespace ritualbot {

std::vector<job_occurrence> scheduler::due_between(instant from, instant until) const {
    std::vector<job_occurrence> out;
    for (const job_definition& job : job_table()) job.occurrences(cfg_, from, until, out);
    // Stable: at one instant the job table's order holds (prompt, reminder, digest).
    std::stable_sort(out.begin(), out.end(),
                     [](const job_occurrence& a, const job_occurrence& b) { return a.due < b.due; });
    return out;
}

int scheduler::run_due(instant until, manual_clock* step) {
    auto horizon = db_.scheduler_horizon();
    if (!horizon) {
        db_.set_scheduler_horizon(until);
        spdlog::info("new database: scheduling starts at {}", format_iso_instant(until));
        return 0;
    }
    if (until <= *horizon) return 0;
    // Virtual time steps through every job. After a downtime, nothing older
    // than the longest window (a week and a day) could still run.
    instant from = step ? *horizon : std::max(*horizon, until - std::chrono::hours(24 * 8));

    int ran = 0;
    for (const job_occurrence& occ : due_between(from, until)) {
        const job_definition* job = nullptr;
        for (const job_definition& j : job_table())
            if (j.kind == occ.kind) job = &j;
        if (!job) continue;
        if (step) {
            step->set(occ.due);
        } else if (until >= occ.window_end) {
            if (!db_.job_ran(occ.kind, occ.target, occ.period))
                spdlog::warn("missed {} for {} ({}) due {}: the bot was not running and its window has closed",
                             occ.kind, occ.target, occ.period, format_iso_instant(occ.due));
            continue;
        }
        if (dispatch_.run_job(*job, occ)) ++ran;
    }
    if (step) step->set(until);
    db_.set_scheduler_horizon(until);
    return ran;
}

std::optional<instant> scheduler::next_due_after(instant t) const {
    auto occ = due_between(t, t + std::chrono::hours(24 * 8));
    if (occ.empty()) return std::nullopt;
    return occ.front().due;
}

}  // namespace ritualbot
