#pragma once
// The OKR repository: hand-set periods, objectives, key results, their
// check-in history and the check-ins waiting for an owner's answer. It shares
// the core store's connection, transaction and statement cache.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/clock.hpp"

namespace ritualbot {

class store;

struct okr_period_row {
    std::string team;
    std::string key;
    std::string first_day;  // "2026-11-02"
    std::string last_day;   // "2026-12-18", included
    std::string set_by;
    instant set_at{};
};

struct okr_objective_row {
    std::int64_t id = 0;
    std::string team;
    std::string period;
    int number = 0;  // the 1 of "O1", never reused within (team, period)
    std::string title;
    bool archived = false;
    std::string created_by;
    instant created_at{};
};

struct okr_kr_row {
    std::int64_t id = 0;
    std::int64_t objective_id = 0;
    std::string team;          // of its objective
    std::string period;        // of its objective
    int objective_number = 0;  // the 1 of "KR1.2"
    bool objective_archived = false;
    int number = 0;            // the 2 of "KR1.2"
    std::string title;
    double baseline = 0;
    double target = 0;
    double current = 0;
    std::string unit;
    std::string owner;  // user id, "" when nobody owns it
    instant created_at{};
    std::optional<instant> last_checkin;

    std::string id_text() const { return "KR" + std::to_string(objective_number) + "." + std::to_string(number); }
};

struct okr_checkin_row {
    std::int64_t id = 0;
    std::int64_t kr_id = 0;
    double value = 0;
    double previous = 0;
    std::string who;
    instant at{};
    std::string comment;
};

struct okr_pending_row {
    std::string owner;
    std::int64_t kr_id = 0;
    instant asked_at{};
    instant expires_at{};
};

class okr_store {
public:
    explicit okr_store(store& db) : db_(db) {}

    // Hand-set periods of a team, oldest first.
    std::vector<okr_period_row> periods(const std::string& team);
    void save_period(const okr_period_row& row);

    std::vector<okr_objective_row> objectives(const std::string& team, const std::string& period,
                                              bool include_archived);
    std::optional<okr_objective_row> find_objective(const std::string& team, const std::string& period, int number);
    // Numbered one past the highest number ever used in (team, period).
    okr_objective_row add_objective(const std::string& team, const std::string& period, const std::string& title,
                                    const std::string& who, instant at);
    void archive_objective(std::int64_t id);
    // Re-files every objective of (team, from) under period `to`; returns how many.
    int move_objectives(const std::string& team, const std::string& from, const std::string& to);

    std::vector<okr_kr_row> key_results(std::int64_t objective_id);
    std::optional<okr_kr_row> find_kr(const std::string& team, const std::string& period, int objective_number,
                                      int kr_number);
    std::optional<okr_kr_row> find_kr_by_id(std::int64_t id);
    // Every KR the user owns under a live (not archived) objective, any team or period.
    std::vector<okr_kr_row> owned_by(const std::string& owner);
    okr_kr_row add_kr(std::int64_t objective_id, const std::string& title, double baseline, double target,
                      const std::string& unit, const std::string& owner, instant at);
    // Saves a KR's title, baseline, target, current value, unit and owner.
    void update_kr(const okr_kr_row& kr);

    // Sets the KR's current value and appends the check-in to its history.
    void record_checkin(std::int64_t kr_id, double value, const std::string& who, instant at,
                        const std::string& comment);
    std::vector<okr_checkin_row> history(std::int64_t kr_id, int limit);  // newest first

    // Check-ins asked of an owner and not answered yet.
    void ask_checkin(const std::string& owner, std::int64_t kr_id, instant asked_at, instant expires_at);
    // Those still open at `now`, in KR order (O1 before O2, KR1.1 before KR1.2).
    std::vector<okr_pending_row> pending_checkins(const std::string& owner, instant now);
    void clear_checkin(std::int64_t kr_id);  // answered, whoever set the value
    void clear_checkins(const std::string& owner);

private:
    store& db_;
};

}  // namespace ritualbot
