#pragma once
// The cross-team dependency register and the record of alerts already sent
// about it. Shares the core store's connection, so everything here happens in
// the transaction of the message or job that calls it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/clock.hpp"

namespace ritualbot {

class store;

enum class dep_type { blocking, non_blocking, soft };
enum class dep_status { not_started, in_progress, available, done };

struct dependency_row {
    std::int64_t id = 0;
    std::string provider;  // team names as in the config
    std::string consumer;
    std::string what;
    dep_type type = dep_type::blocking;
    dep_status status = dep_status::not_started;
    std::string due;    // "YYYY-MM-DD", empty when there is none
    std::string owner;  // user id without '@', may be empty
    std::string created_by;
    instant created_at{};
    instant updated_at{};
    std::optional<instant> resolved_at;  // when it became available or done

    bool open() const { return status == dep_status::not_started || status == dep_status::in_progress; }
};

// "blocking", "non-blocking", "soft"; "not-started", "in-progress", ...
std::string to_string(dep_type t);
std::string to_string(dep_status s);
std::optional<dep_type> dep_type_from_string(const std::string& s);
std::optional<dep_status> dep_status_from_string(const std::string& s);

// A hidden dependency suggested to a team's managers: `member` of `consumer`
// wrote `words` (the detector's excerpt) naming `provider` as a blocker.
struct dependency_suggestion {
    std::int64_t id = 0;
    std::string provider;
    std::string consumer;
    std::string words;
    std::string week;
    std::string member;
    instant created_at{};
    std::optional<instant> dismissed_at;
    std::string dismissed_by;
};

// Per consuming team: suggestions made and dismissed, ever.
struct suggestion_count {
    std::string team;
    std::int64_t made = 0;
    std::int64_t dismissed = 0;
};

class dependency_store {
public:
    explicit dependency_store(store& db) : db_(db) {}

    std::int64_t add(const dependency_row& row);  // returns the new id
    std::optional<dependency_row> find(std::int64_t id);
    void update(const dependency_row& row);         // status, due, owner, what, type, timestamps
    std::vector<dependency_row> all();              // by id
    std::vector<dependency_row> involving(const std::string& team);  // provider or consumer, by id
    std::int64_t count();

    // Claims the right to raise `condition` about `subject` in `week`: true
    // the first time, false ever after. Called in the transaction that sends
    // the alert, so an alert and its record commit (or roll back) together.
    bool claim_alert(const std::string& condition, const std::string& subject, const std::string& week,
                     instant at);
    bool alert_claimed(const std::string& condition, const std::string& subject, const std::string& week);

    // Hidden-dependency suggestions (see dependency_alerts.cpp).
    std::int64_t add_suggestion(const dependency_suggestion& s);  // returns the new id
    std::optional<dependency_suggestion> find_suggestion(std::int64_t id);
    // True when it was open and is now dismissed.
    bool dismiss_suggestion(std::int64_t id, const std::string& by, instant at);
    // A suggestion of the same pair and words was dismissed before.
    bool suggestion_dismissed(const std::string& provider, const std::string& consumer, const std::string& words);
    std::vector<suggestion_count> suggestion_counts();  // by team name

private:
    store& db_;
};

}  // namespace ritualbot
