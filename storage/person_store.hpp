#pragma once
// What each person chose for themselves: time off (/update away), their own
// zone, prompt time and reminder (/ritual settings), and the prompts they put
// off (/update later). It shares the core store's connection and the caller's
// transaction.
#include <optional>
#include <string>
#include <vector>

#include "bot/clock.hpp"

namespace ritualbot {

class store;

// One stretch of time off per person: a new one replaces the old.
struct time_off_row {
    std::string member;
    instant starts_at{};
    instant ends_at{};    // the end of `until` in the member's zone, or when they came back
    std::string until;    // "2026-12-24" as they wrote it, the last day away
    std::string reason;
    std::string set_by;   // the member, or the manager who set it
    instant set_at{};
};

struct person_settings_row {
    std::string member;
    std::string timezone;  // empty: not chosen
    std::string prompt;    // "Thu 10:00"; empty: the team's
    bool reminder = true;
    instant updated_at{};
};

struct snooze_row {
    std::string member;
    std::string week;
    int number = 0;  // 1 for the week's first snooze
    instant until{};
    instant created_at{};
};

class person_store {
public:
    explicit person_store(store& db) : db_(db) {}

    std::optional<time_off_row> time_off(const std::string& member);
    void save_time_off(const time_off_row& row);
    // Every stretch that overlaps [from, to).
    std::vector<time_off_row> time_off_overlapping(instant from, instant to);

    std::optional<person_settings_row> settings(const std::string& member);
    std::vector<person_settings_row> all_settings();
    void save_settings(const person_settings_row& row);

    std::vector<snooze_row> snoozes(const std::string& member, const std::string& week);  // oldest first
    void add_snooze(const snooze_row& row);

private:
    store& db_;
};

}  // namespace ritualbot
