#include "bot/scheduler.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "bot/clock.hpp"
#include "handlers/dispatcher.hpp"
#include "handlers/personal_settings.hpp"
#include "storage/store.hpp"

namespace ritualbot {

scheduler::scheduler(const config& cfg, store& db, dispatcher& dispatch) : cfg_(cfg), db_(db), dispatch_(dispatch) {
    reload_personal_settings();
}

// Every person's own settings, validated and parsed, once per change rather
// than at every wake: in an organisation where most people set something,
// reading them all each minute was a stall of its own (bench/README.md), and
// a bad zone was warned about every minute.
void scheduler::reload_personal_settings() {
    const store::settings_stamp now = db_.settings_version();
    if (now == settings_loaded_) return;
    load_personal_settings(cfg_, db_);
    settings_loaded_ = now;
}

std::vector<job_occurrence> scheduler::due_between(instant from, instant until) const {
    std::vector<job_occurrence> out;
    for (const job_definition& job : job_table()) {
        // One job's calendar failing must not stop the others.
        std::vector<job_occurrence> some;
        try {
            job.occurrences(cfg_, from, until, some);
        } catch (const std::exception& e) {
            ++occurrence_failures_;
            spdlog::error("cannot compute when {} is due between {} and {}: {}", job.kind, format_iso_instant(from),
                          format_iso_instant(until), e.what());
            continue;
        }
        out.insert(out.end(), std::make_move_iterator(some.begin()), std::make_move_iterator(some.end()));
    }
    // Stable: at one instant the job table's order holds (prompt, reminder, digest).
    std::stable_sort(out.begin(), out.end(),
                     [](const job_occurrence& a, const job_occurrence& b) { return a.due < b.due; });
    return out;
}

int scheduler::run_due(instant until, manual_clock* step) {
    // Members' own zones and prompt times (/ritual settings) as the database has them.
    reload_personal_settings();
    auto horizon = db_.scheduler_horizon();
    if (!horizon) {
        db_.set_scheduler_horizon(until);
        spdlog::info("new database: scheduling starts at {}", format_iso_instant(until));
        return 0;
    }
    if (until <= *horizon) return 0;
    // Virtual time steps through every job. After a downtime, nothing older
    // than the longest window (a week and a day) could still run.
    // A virtual jump of years replays at most the last one.
    instant from = std::max(*horizon, until - (step ? std::chrono::hours(24 * 366) : std::chrono::hours(24 * 8)));
    if (step && from > *horizon)
        spdlog::warn("virtual time jumped more than a year; only the last year's jobs run");

    int ran = 0;
    auto run_one = [&](const job_occurrence& occ) {
        const job_definition* job = nullptr;
        for (const job_definition& j : job_table())
            if (j.kind == occ.kind) job = &j;
        if (!job) return;
        if (occ.due >= occ.window_end) return;  // deferred past its use (a reminder after the digest)
        if (step) {
            if (occ.due > step->now()) step->set(occ.due);
        } else if (until >= occ.window_end) {
            if (!db_.job_ran(occ.kind, occ.target, occ.period))
                spdlog::warn("missed {} for {} ({}) due {}: the bot was not running and its window has closed",
                             occ.kind, occ.target, occ.period, format_iso_instant(occ.due));
            return;
        }
        if (dispatch_.run_job(*job, occ)) ++ran;
    };
    // Calendar occurrences and jobs that asked to wait (a reminder behind a
    // late prompt), in time order; a job deferred by this very pass runs in
    // it when its new time has come.
    auto deferred = [&] {
        std::vector<job_occurrence> out;
        for (auto& d : db_.deferred_jobs_due(until))
            out.push_back({std::move(d.kind), std::move(d.target), std::move(d.period), d.due, d.window_end});
        return out;
    };
    std::vector<job_occurrence> pass = due_between(from, until);
    for (auto& d : deferred()) pass.push_back(std::move(d));
    std::stable_sort(pass.begin(), pass.end(),
                     [](const job_occurrence& a, const job_occurrence& b) { return a.due < b.due; });
    for (const job_occurrence& occ : pass) run_one(occ);
    for (const job_occurrence& occ : deferred()) run_one(occ);
    if (step) step->set(until);
    db_.drop_deferred_jobs_closed_by(until);
    db_.set_scheduler_horizon(until);
    return ran;
}

std::optional<instant> scheduler::next_due_after(instant t, std::chrono::seconds within) const {
    auto occ = due_between(t, t + within);
    if (occ.empty()) return std::nullopt;
    return occ.front().due;
}

}  // namespace ritualbot
