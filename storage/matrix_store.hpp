#pragma once
// The Matrix transport's repository: its login session, /sync position and
// first start, each member's DM room, the rooms it has warned about, the
// rooms it asked to join, and the send attempts that started. It shares the
// core store's connection and transactions, so the sync position can commit
// with the effects of the events it covers.
#include <cstdint>
#include <optional>
#include <string>

#include "bot/clock.hpp"

namespace ritualbot {

class store;

struct matrix_session {
    std::string user_id;
    std::string device_id;
    std::string access_token;
};

class matrix_store {
public:
    explicit matrix_store(store& db) : db_(db) {}

    std::optional<std::string> next_batch();
    void set_next_batch(const std::string& token);

    // A session from a password login, kept so a restart reuses its device.
    std::optional<matrix_session> session();
    void save_session(const matrix_session& s);
    void forget_session();

    std::optional<std::string> direct_room(const std::string& user);
    void set_direct_room(const std::string& user, const std::string& room);
    // The member whose DM this room is, if any.
    std::optional<std::string> direct_room_user(const std::string& room);

    // When this database first ran the Matrix transport (its first /sync
    // skipped the history); unset on a database from before it was recorded.
    std::optional<instant> first_start();
    void set_first_start(instant at);

    // A room the bot asked to join: until its own join event is seen, only
    // events from after `requested_at` are answered.
    struct room_join {
        instant requested_at;
        bool seen = false;
    };
    std::optional<room_join> room_join_of(const std::string& room);
    // Records a join request; keeps the time of one still pending.
    void join_requested(const std::string& room, instant at);
    void join_seen(const std::string& room);

    // A send attempt of an outbox row, recorded before the request leaves.
    struct send_attempt {
        std::string room;
        std::string txn_id;
        instant started_at;
    };
    std::optional<send_attempt> send_attempt_of(std::int64_t outbox_id);
    void record_send_attempt(std::int64_t outbox_id, const send_attempt& a);
    // Forgets the attempts of rows that were sent.
    void forget_finished_attempts();

    // True the first time for (room, kind); records it.
    bool first_warning(const std::string& room, const std::string& kind, instant at);

private:
    std::optional<std::string> get(const char* key);
    void set(const char* key, const std::string& value);
    store& db_;
};

}  // namespace ritualbot
