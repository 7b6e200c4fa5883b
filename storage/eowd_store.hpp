#pragma once
// EOWD sign-ups and the monthly learning sessions. Shares the core store's
// connection, so everything here happens in the transaction of the message
// or job that calls it.
//
// A week's sign-ups are kept in the order people signed up (`seq`); the
// first `slots` of them present and the rest wait. A withdrawal deletes the
// row, so the first waiting person moves up by itself.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/clock.hpp"

namespace ritualbot {

class store;

struct eowd_signup_row {
    std::string team;
    std::string week;    // ISO week of the EOWD in the team's zone, "2026-W47"
    std::string member;
    std::int64_t seq = 0;  // sign-up order within the week; 0 on a new row: assigned on save
    std::string topic;
    std::string input_wanted;
    std::string kind;    // notebook, pull request, ... (from the Slack modal); may be empty
    instant created_at{};
    instant updated_at{};
};

struct learning_proposal_row {
    std::int64_t id = 0;
    std::string team;
    std::string proposer;
    std::string topic;
    instant created_at{};
};

struct learning_session_row {
    std::string team;
    std::string month;  // "2026-12"
    std::int64_t proposal_id = 0;
    std::string picked_by;
    instant picked_at{};
};

class eowd_store {
public:
    explicit eowd_store(store& db) : db_(db) {}

    // EOWD sign-ups.
    std::optional<eowd_signup_row> find_signup(const std::string& team, const std::string& week,
                                               const std::string& member);
    // Inserts (at the end of the order when seq is 0) or updates topic, input and kind.
    eowd_signup_row save_signup(eowd_signup_row row);
    bool remove_signup(const std::string& team, const std::string& week, const std::string& member);
    std::vector<eowd_signup_row> signups(const std::string& team, const std::string& week);  // in order

    // Learning sessions.
    std::int64_t add_proposal(const learning_proposal_row& row);  // returns the new id
    std::optional<learning_proposal_row> find_proposal(std::int64_t id);
    std::vector<learning_proposal_row> proposals(const std::string& team);  // by id
    // Sets (or replaces) the speaker of the team's session in `month`.
    void pick(const learning_session_row& row);
    std::optional<learning_session_row> session(const std::string& team, const std::string& month);
    std::vector<learning_session_row> sessions(const std::string& team);  // by month

private:
    store& db_;
};

}  // namespace ritualbot
