#include "storage/person_store.hpp"

#include "storage/statement.hpp"
#include "storage/store.hpp"

namespace ritualbot {
namespace {

time_off_row read_time_off(SQLite::Statement& st) {
    time_off_row r;
    r.member = st.getColumn("member").getString();
    r.starts_at = from_db(st.getColumn("starts_at").getInt64());
    r.ends_at = from_db(st.getColumn("ends_at").getInt64());
    r.until = st.getColumn("until").getString();
    r.reason = st.getColumn("reason").getString();
    r.set_by = st.getColumn("set_by").getString();
    r.set_at = from_db(st.getColumn("set_at").getInt64());
    return r;
}

person_settings_row read_settings(SQLite::Statement& st) {
    person_settings_row r;
    r.member = st.getColumn("member").getString();
    r.timezone = st.getColumn("timezone").getString();
    r.prompt = st.getColumn("prompt").getString();
    r.reminder = st.getColumn("reminder").getInt() != 0;
    r.updated_at = from_db(st.getColumn("updated_at").getInt64());
    return r;
}

}  // namespace

std::optional<time_off_row> person_store::time_off(const std::string& member) {
    auto& st = db_.prepared("SELECT * FROM time_off WHERE member = :member");
    statement_guard g{st};
    st.bind(":member", member);
    if (!st.executeStep()) return std::nullopt;
    return read_time_off(st);
}

void person_store::save_time_off(const time_off_row& row) {
    auto& st = db_.prepared(
        "INSERT INTO time_off (member, starts_at, ends_at, until, reason, set_by, set_at) "
        "VALUES (:member, :starts, :ends, :until, :reason, :by, :at) "
        "ON CONFLICT (member) DO UPDATE SET starts_at = excluded.starts_at, ends_at = excluded.ends_at, "
        "until = excluded.until, reason = excluded.reason, set_by = excluded.set_by, set_at = excluded.set_at");
    statement_guard g{st};
    st.bind(":member", row.member);
    st.bind(":starts", to_db(row.starts_at));
    st.bind(":ends", to_db(row.ends_at));
    st.bind(":until", row.until);
    st.bind(":reason", row.reason);
    st.bind(":by", row.set_by);
    st.bind(":at", to_db(row.set_at));
    st.exec();
}

std::vector<time_off_row> person_store::time_off_overlapping(instant from, instant to) {
    auto& st = db_.prepared("SELECT * FROM time_off WHERE starts_at < :to AND ends_at > :from ORDER BY member");
    statement_guard g{st};
    st.bind(":from", to_db(from));
    st.bind(":to", to_db(to));
    std::vector<time_off_row> out;
    while (st.executeStep()) out.push_back(read_time_off(st));
    return out;
}

std::optional<person_settings_row> person_store::settings(const std::string& member) {
    auto& st = db_.prepared("SELECT * FROM person_settings WHERE member = :member");
    statement_guard g{st};
    st.bind(":member", member);
    if (!st.executeStep()) return std::nullopt;
    return read_settings(st);
}

std::vector<person_settings_row> person_store::all_settings() {
    auto& st = db_.prepared("SELECT * FROM person_settings ORDER BY member");
    statement_guard g{st};
    std::vector<person_settings_row> out;
    while (st.executeStep()) out.push_back(read_settings(st));
    return out;
}

void person_store::save_settings(const person_settings_row& row) {
    auto& st = db_.prepared(
        "INSERT INTO person_settings (member, timezone, prompt, reminder, updated_at) "
        "VALUES (:member, :tz, :prompt, :reminder, :at) "
        "ON CONFLICT (member) DO UPDATE SET timezone = excluded.timezone, prompt = excluded.prompt, "
        "reminder = excluded.reminder, updated_at = excluded.updated_at");
    statement_guard g{st};
    st.bind(":member", row.member);
    st.bind(":tz", row.timezone);
    st.bind(":prompt", row.prompt);
    st.bind(":reminder", row.reminder ? 1 : 0);
    st.bind(":at", to_db(row.updated_at));
    st.exec();
    db_.settings_written();
}

std::vector<snooze_row> person_store::snoozes(const std::string& member, const std::string& week) {
    auto& st = db_.prepared(
        "SELECT member, week, number, until_at, created_at FROM update_snoozes WHERE member = :member AND week = :week "
        "ORDER BY number");
    statement_guard g{st};
    st.bind(":member", member);
    st.bind(":week", week);
    std::vector<snooze_row> out;
    while (st.executeStep())
        out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString(), st.getColumn(2).getInt(),
                       from_db(st.getColumn(3).getInt64()), from_db(st.getColumn(4).getInt64())});
    return out;
}

void person_store::add_snooze(const snooze_row& row) {
    auto& st = db_.prepared(
        "INSERT INTO update_snoozes (member, week, number, until_at, created_at) "
        "VALUES (:member, :week, :number, :until, :at)");
    statement_guard g{st};
    st.bind(":member", row.member);
    st.bind(":week", row.week);
    st.bind(":number", row.number);
    st.bind(":until", to_db(row.until));
    st.bind(":at", to_db(row.created_at));
    st.exec();
}

}  // namespace ritualbot
