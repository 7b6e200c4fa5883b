#include "storage/matrix_store.hpp"

#include "storage/store.hpp"

namespace ritualbot {
namespace {

// Resets a cached statement whatever way the caller leaves (as in store.cpp).
struct statement_guard {
    SQLite::Statement& st;
    ~statement_guard() {
        try {
            st.reset();
            st.clearBindings();
        } catch (...) {
        }
    }
};

}  // namespace

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

bool matrix_store::first_warning(const std::string& room, const std::string& kind, instant at) {
    auto& st = db_.prepared(
        "INSERT INTO matrix_room_warnings (room_id, kind, warned_at) VALUES (:room, :kind, :at) "
        "ON CONFLICT DO NOTHING");
    statement_guard g{st};
    st.bind(":room", room);
    st.bind(":kind", kind);
    st.bind(":at", static_cast<std::int64_t>(at.time_since_epoch().count()));
    return st.exec() == 1;
}

}  // namespace ritualbot
