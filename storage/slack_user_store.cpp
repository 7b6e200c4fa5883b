#include "storage/slack_user_store.hpp"

#include <sqlite3.h>

#include "storage/statement.hpp"
#include "storage/store.hpp"

namespace ritualbot {

std::vector<slack_user_row> slack_user_store::all() {
    std::vector<slack_user_row> out;
    for_each([&](const slack_user_row& r) { out.push_back(r); });
    return out;
}

void slack_user_store::for_each(const std::function<void(const slack_user_row&)>& fn) {
    // The whole table goes through the page cache once (about 0.7 MB at
    // 20,000 users) and is not read again: it is read through a cache of a
    // few pages, and what it held goes back to the heap. At start this was
    // the bot's highest heap of the day (bench/README.md, "Ninth session").
    auto& db = db_.database();
    const int cache_size = db.execAndGet("PRAGMA cache_size").getInt();
    db.exec("PRAGMA cache_size = -64");
    struct restore {
        SQLite::Database& db;
        int size;
        ~restore() {
            try {
                db.exec("PRAGMA cache_size = " + std::to_string(size));
            } catch (...) {  // the default cache then: only slower
            }
            sqlite3_db_release_memory(db.getHandle());
        }
    } restore_cache{db, cache_size};
    auto& st = db_.prepared("SELECT user_id, timezone, is_bot, deleted FROM slack_users ORDER BY user_id");
    statement_guard g{st};
    slack_user_row r;
    while (st.executeStep()) {
        r.id = st.getColumn(0).getString();
        r.timezone = st.getColumn(1).getString();
        r.is_bot = st.getColumn(2).getInt() != 0;
        r.deleted = st.getColumn(3).getInt() != 0;
        fn(r);
    }
}

void slack_user_store::save(const std::vector<slack_user_row>& users, instant at) {
    if (users.empty()) return;
    auto tx = db_.begin();
    auto& st = db_.prepared(
        "INSERT INTO slack_users (user_id, timezone, is_bot, deleted, updated_at) "
        "VALUES (:id, :tz, :bot, :deleted, :at) "
        "ON CONFLICT (user_id) DO UPDATE SET timezone = excluded.timezone, is_bot = excluded.is_bot, "
        "deleted = excluded.deleted, updated_at = excluded.updated_at");
    for (const auto& u : users) {
        statement_guard g{st};
        st.bind(":id", u.id);
        st.bind(":tz", u.timezone);
        st.bind(":bot", u.is_bot ? 1 : 0);
        st.bind(":deleted", u.deleted ? 1 : 0);
        st.bind(":at", to_db(at));
        st.exec();
    }
    tx->commit();
}

int slack_user_store::count() {
    auto& st = db_.prepared("SELECT COUNT(*) FROM slack_users");
    statement_guard g{st};
    st.executeStep();
    return st.getColumn(0).getInt();
}

std::optional<instant> slack_user_store::listed_at() {
    auto& st = db_.prepared("SELECT value FROM slack_state WHERE key = 'users_listed_at'");
    statement_guard g{st};
    if (!st.executeStep()) return std::nullopt;
    try {
        return from_db(std::stoll(st.getColumn(0).getString()));
    } catch (const std::exception&) {
        return std::nullopt;  // unreadable: as if never
    }
}

void slack_user_store::set_listed_at(instant at) {
    auto& st = db_.prepared(
        "INSERT INTO slack_state (key, value) VALUES ('users_listed_at', :value) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    statement_guard g{st};
    st.bind(":value", std::to_string(to_db(at)));
    st.exec();
}

}  // namespace ritualbot
