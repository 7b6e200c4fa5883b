#include "storage/matrix_store.hpp"

#include "storage/statement.hpp"
#include "storage/store.hpp"

namespace ritualbot {

std::optional<std::string> matrix_store::get(const char* key) {
    auto& st = db_.prepared("SELECT value FROM matrix_state WHERE key = :key");
    statement_guard g{st};
    st.bind(":key", key);
    if (!st.executeStep()) return std::nullopt;
    return st.getColumn(0).getString();
}

void matrix_store::set(const char* key, const std::string& value) {
    auto& st = db_.prepared(
        "INSERT INTO matrix_state (key, value) VALUES (:key, :value) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    statement_guard g{st};
    st.bind(":key", key);
    st.bind(":value", value);
    st.exec();
}

std::optional<std::string> matrix_store::next_batch() { return get("next_batch"); }
void matrix_store::set_next_batch(const std::string& token) { set("next_batch", token); }

std::optional<matrix_session> matrix_store::session() {
    auto token = get("access_token");
    if (!token) return std::nullopt;
    return matrix_session{get("user_id").value_or(""), get("device_id").value_or(""), *token};
}

void matrix_store::save_session(const matrix_session& s) {
    set("user_id", s.user_id);
    set("device_id", s.device_id);
    set("access_token", s.access_token);
}

void matrix_store::forget_session() {
    auto& st = db_.prepared("DELETE FROM matrix_state WHERE key = 'access_token'");
    statement_guard g{st};
    st.exec();
}

std::optional<std::string> matrix_store::direct_room(const std::string& user) {
    auto& st = db_.prepared("SELECT room_id FROM matrix_direct_rooms WHERE user_id = :user");
    statement_guard g{st};
    st.bind(":user", user);
    if (!st.executeStep()) return std::nullopt;
    std::string room = st.getColumn(0).getString();
    if (room.empty()) return std::nullopt;  // forgotten: the member left it
    return room;
}

void matrix_store::set_direct_room(const std::string& user, const std::string& room) {
    auto& st = db_.prepared(
        "INSERT INTO matrix_direct_rooms (user_id, room_id) VALUES (:user, :room) "
        "ON CONFLICT (user_id) DO UPDATE SET room_id = excluded.room_id");
    statement_guard g{st};
    st.bind(":user", user);
    st.bind(":room", room);
    st.exec();
}

std::optional<std::string> matrix_store::direct_room_user(const std::string& room) {
    auto& st = db_.prepared("SELECT user_id FROM matrix_direct_rooms WHERE room_id = :room LIMIT 1");
    statement_guard g{st};
    st.bind(":room", room);
    if (!st.executeStep()) return std::nullopt;
    return st.getColumn(0).getString();
}

std::optional<instant> matrix_store::first_start() {
    auto v = get("first_start");
    if (!v) return std::nullopt;
    try {
        return from_db(std::stoll(*v));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void matrix_store::set_first_start(instant at) { set("first_start", std::to_string(to_db(at))); }

std::optional<matrix_store::room_join> matrix_store::room_join_of(const std::string& room) {
    auto& st = db_.prepared("SELECT requested_at, join_seen FROM matrix_room_joins WHERE room_id = :room");
    statement_guard g{st};
    st.bind(":room", room);
    if (!st.executeStep()) return std::nullopt;
    return room_join{from_db(st.getColumn(0).getInt64()), st.getColumn(1).getInt() != 0};
}

void matrix_store::join_requested(const std::string& room, instant at) {
    auto& st = db_.prepared(
        "INSERT INTO matrix_room_joins (room_id, requested_at, join_seen) VALUES (:room, :at, 0) "
        "ON CONFLICT (room_id) DO UPDATE SET requested_at = excluded.requested_at, join_seen = 0 "
        "WHERE matrix_room_joins.join_seen = 1");
    statement_guard g{st};
    st.bind(":room", room);
    st.bind(":at", to_db(at));
    st.exec();
}

void matrix_store::join_seen(const std::string& room) {
    auto& st = db_.prepared("UPDATE matrix_room_joins SET join_seen = 1 WHERE room_id = :room");
    statement_guard g{st};
    st.bind(":room", room);
    st.exec();
}

std::optional<matrix_store::send_attempt> matrix_store::send_attempt_of(std::int64_t outbox_id) {
    auto& st = db_.prepared("SELECT room_id, txn_id, started_at FROM matrix_send_attempts WHERE outbox_id = :id");
    statement_guard g{st};
    st.bind(":id", outbox_id);
    if (!st.executeStep()) return std::nullopt;
    return send_attempt{st.getColumn(0).getString(), st.getColumn(1).getString(), from_db(st.getColumn(2).getInt64())};
}

void matrix_store::record_send_attempt(std::int64_t outbox_id, const send_attempt& a) {
    auto& st = db_.prepared(
        "INSERT INTO matrix_send_attempts (outbox_id, room_id, txn_id, started_at) VALUES (:id, :room, :txn, :at) "
        "ON CONFLICT (outbox_id) DO UPDATE SET room_id = excluded.room_id, txn_id = excluded.txn_id, "
        "started_at = excluded.started_at");
    statement_guard g{st};
    st.bind(":id", outbox_id);
    st.bind(":room", a.room);
    st.bind(":txn", a.txn_id);
    st.bind(":at", to_db(a.started_at));
    st.exec();
}

void matrix_store::forget_finished_attempts() {
    auto& st = db_.prepared(
        "DELETE FROM matrix_send_attempts WHERE outbox_id IN "
        "(SELECT id FROM outbox WHERE sent_at IS NOT NULL OR attempts < 0)");
    statement_guard g{st};
    st.exec();
}

bool matrix_store::first_warning(const std::string& room, const std::string& kind, instant at) {
    auto& st = db_.prepared(
        "INSERT INTO matrix_room_warnings (room_id, kind, warned_at) VALUES (:room, :kind, :at) "
        "ON CONFLICT DO NOTHING");
    statement_guard g{st};
    st.bind(":room", room);
    st.bind(":kind", kind);
    st.bind(":at", to_db(at));
    return st.exec() == 1;
}

}  // namespace ritualbot
