#pragma once
// Runs the rituals' scheduled jobs on demand: "everything due up to t". A
// timer calls it in production, `:time` on the virtual console, tests call it
// directly. Each run is recorded with its effects, so nothing runs twice.
#include <cstdint>
#include <optional>
#include <vector>

#include "bot/clock.hpp"
#include "config/config.hpp"
#include "handlers/jobs.hpp"
#include "storage/store.hpp"

namespace ritualbot {

class dispatcher;

class scheduler {
public:
    // Reads members' own settings (/ritual settings) from the database at once,
    // so commands answered before the first pass see them.
    scheduler(const config& cfg, store& db, dispatcher& dispatch);

    // Every occurrence with horizon < due <= until, oldest first.
    std::vector<job_occurrence> due_between(instant from, instant until) const;

    // Runs what is due up to `until` and has not run yet, in time order.
    // With `step`, the clock is moved to each job's due time before it runs
    // (virtual time: the job happens "on time"). Without it, a job due in
    // the past runs late if its window is still open (the bot was down) and
    // is skipped with a log line otherwise. The first call on a new database
    // only sets the horizon: a fresh install does not replay the past.
    int run_due(instant until, manual_clock* step = nullptr);

    // The first occurrence due after t and at most `within` later. The
    // runtime wakes at least every minute, so it asks only that far: every
    // calendar of an organisation computed for eight days is a lot of work.
    std::optional<instant> next_due_after(instant t, std::chrono::seconds within = std::chrono::hours(24 * 8)) const;

    // Calendars that could not be computed (a date out of range), for /metrics.
    std::uint64_t occurrence_failures() const { return occurrence_failures_; }

private:
    mutable std::uint64_t occurrence_failures_ = 0;
    const config& cfg_;
    store& db_;
    dispatcher& dispatch_;
    // The database's settings as of the last load_personal_settings: a wake
    // rereads them only when they may have changed.
    store::settings_stamp settings_loaded_;
    void reload_personal_settings();
};

}  // namespace ritualbot
