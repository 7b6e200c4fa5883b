#include "storage/dependency_store.hpp"

#include <stdexcept>

#include "storage/statement.hpp"
#include "storage/store.hpp"

namespace ritualbot {

namespace {


dependency_row read_row(SQLite::Statement& st) {
    dependency_row r;
    r.id = st.getColumn("id").getInt64();
    r.provider = st.getColumn("provider").getString();
    r.consumer = st.getColumn("consumer").getString();
    r.what = st.getColumn("what").getString();
    // The table's CHECK constraints keep these valid.
    r.type = dep_type_from_string(st.getColumn("type").getString()).value_or(dep_type::blocking);
    r.status = dep_status_from_string(st.getColumn("status").getString()).value_or(dep_status::not_started);
    r.due = st.getColumn("due").getString();
    r.owner = st.getColumn("owner").getString();
    r.created_by = st.getColumn("created_by").getString();
    r.created_at = from_db(st.getColumn("created_at").getInt64());
    r.updated_at = from_db(st.getColumn("updated_at").getInt64());
    auto resolved = st.getColumn("resolved_at");
    if (!resolved.isNull()) r.resolved_at = from_db(resolved.getInt64());
    return r;
}

std::vector<dependency_row> read_all(SQLite::Statement& st) {
    std::vector<dependency_row> out;
    while (st.executeStep()) out.push_back(read_row(st));
    return out;
}

}  // namespace

std::string to_string(dep_type t) {
    switch (t) {
        case dep_type::blocking: return "blocking";
        case dep_type::non_blocking: return "non-blocking";
        case dep_type::soft: return "soft";
    }
    return "blocking";
}

std::string to_string(dep_status s) {
    switch (s) {
        case dep_status::not_started: return "not-started";
        case dep_status::in_progress: return "in-progress";
        case dep_status::available: return "available";
        case dep_status::done: return "done";
    }
    return "not-started";
}

std::optional<dep_type> dep_type_from_string(const std::string& s) {
    if (s == "blocking") return dep_type::blocking;
    if (s == "non-blocking") return dep_type::non_blocking;
    if (s == "soft") return dep_type::soft;
    return std::nullopt;
}

std::optional<dep_status> dep_status_from_string(const std::string& s) {
    if (s == "not-started") return dep_status::not_started;
    if (s == "in-progress") return dep_status::in_progress;
    if (s == "available") return dep_status::available;
    if (s == "done") return dep_status::done;
    return std::nullopt;
}

std::int64_t dependency_store::add(const dependency_row& r) {
    auto& st = db_.prepared(
        "INSERT INTO dependencies (provider, consumer, what, type, status, due, owner, created_by, created_at, "
        "updated_at, resolved_at) VALUES (:provider, :consumer, :what, :type, :status, :due, :owner, :created_by, "
        ":created_at, :updated_at, :resolved_at)");
    statement_guard g{st};
    st.bind(":provider", r.provider);
    st.bind(":consumer", r.consumer);
    st.bind(":what", r.what);
    st.bind(":type", to_string(r.type));
    st.bind(":status", to_string(r.status));
    st.bind(":due", r.due);
    st.bind(":owner", r.owner);
    st.bind(":created_by", r.created_by);
    st.bind(":created_at", to_db(r.created_at));
    st.bind(":updated_at", to_db(r.updated_at));
    if (r.resolved_at) st.bind(":resolved_at", to_db(*r.resolved_at));
    else st.bind(":resolved_at");
    st.exec();
    return db_.database().getLastInsertRowid();
}

std::optional<dependency_row> dependency_store::find(std::int64_t id) {
    auto& st = db_.prepared("SELECT * FROM dependencies WHERE id = :id");
    statement_guard g{st};
    st.bind(":id", id);
    if (!st.executeStep()) return std::nullopt;
    return read_row(st);
}

void dependency_store::update(const dependency_row& r) {
    auto& st = db_.prepared(
        "UPDATE dependencies SET what = :what, type = :type, status = :status, due = :due, owner = :owner, "
        "updated_at = :updated_at, resolved_at = :resolved_at WHERE id = :id");
    statement_guard g{st};
    st.bind(":what", r.what);
    st.bind(":type", to_string(r.type));
    st.bind(":status", to_string(r.status));
    st.bind(":due", r.due);
    st.bind(":owner", r.owner);
    st.bind(":updated_at", to_db(r.updated_at));
    if (r.resolved_at) st.bind(":resolved_at", to_db(*r.resolved_at));
    else st.bind(":resolved_at");
    st.bind(":id", r.id);
    if (st.exec() != 1) throw std::runtime_error("dependency " + std::to_string(r.id) + " does not exist");
}

std::vector<dependency_row> dependency_store::all() {
    auto& st = db_.prepared("SELECT * FROM dependencies ORDER BY id");
    statement_guard g{st};
    return read_all(st);
}

std::vector<dependency_row> dependency_store::involving(const std::string& team) {
    auto& st = db_.prepared("SELECT * FROM dependencies WHERE provider = :team OR consumer = :team ORDER BY id");
    statement_guard g{st};
    st.bind(":team", team);
    return read_all(st);
}

std::int64_t dependency_store::count() {
    auto& st = db_.prepared("SELECT COUNT(*) FROM dependencies");
    statement_guard g{st};
    st.executeStep();
    return st.getColumn(0).getInt64();
}

bool dependency_store::claim_alert(const std::string& condition, const std::string& subject, const std::string& week,
                                   instant at) {
    auto& st = db_.prepared(
        "INSERT INTO dependency_alerts (condition, subject, week, sent_at) VALUES (:condition, :subject, :week, :at) "
        "ON CONFLICT DO NOTHING");
    statement_guard g{st};
    st.bind(":condition", condition);
    st.bind(":subject", subject);
    st.bind(":week", week);
    st.bind(":at", to_db(at));
    return st.exec() == 1;
}

bool dependency_store::alert_claimed(const std::string& condition, const std::string& subject,
                                     const std::string& week) {
    auto& st = db_.prepared(
        "SELECT 1 FROM dependency_alerts WHERE condition = :condition AND subject = :subject AND week = :week");
    statement_guard g{st};
    st.bind(":condition", condition);
    st.bind(":subject", subject);
    st.bind(":week", week);
    return st.executeStep();
}

std::int64_t dependency_store::add_suggestion(const dependency_suggestion& s) {
    auto& st = db_.prepared(
        "INSERT INTO dependency_suggestions (provider, consumer, words, week, member, created_at) "
        "VALUES (:provider, :consumer, :words, :week, :member, :at)");
    statement_guard g{st};
    st.bind(":provider", s.provider);
    st.bind(":consumer", s.consumer);
    st.bind(":words", s.words);
    st.bind(":week", s.week);
    st.bind(":member", s.member);
    st.bind(":at", to_db(s.created_at));
    st.exec();
    return db_.database().getLastInsertRowid();
}

std::optional<dependency_suggestion> dependency_store::find_suggestion(std::int64_t id) {
    auto& st = db_.prepared(
        "SELECT id, provider, consumer, words, week, member, created_at, dismissed_at, dismissed_by "
        "FROM dependency_suggestions WHERE id = :id");
    statement_guard g{st};
    st.bind(":id", id);
    if (!st.executeStep()) return std::nullopt;
    dependency_suggestion s;
    s.id = st.getColumn(0).getInt64();
    s.provider = st.getColumn(1).getString();
    s.consumer = st.getColumn(2).getString();
    s.words = st.getColumn(3).getString();
    s.week = st.getColumn(4).getString();
    s.member = st.getColumn(5).getString();
    s.created_at = from_db(st.getColumn(6).getInt64());
    if (!st.getColumn(7).isNull()) s.dismissed_at = from_db(st.getColumn(7).getInt64());
    if (!st.getColumn(8).isNull()) s.dismissed_by = st.getColumn(8).getString();
    return s;
}

bool dependency_store::dismiss_suggestion(std::int64_t id, const std::string& by, instant at) {
    auto& st = db_.prepared(
        "UPDATE dependency_suggestions SET dismissed_at = :at, dismissed_by = :by "
        "WHERE id = :id AND dismissed_at IS NULL");
    statement_guard g{st};
    st.bind(":at", to_db(at));
    st.bind(":by", by);
    st.bind(":id", id);
    return st.exec() == 1;
}

bool dependency_store::suggestion_dismissed(const std::string& provider, const std::string& consumer,
                                            const std::string& words) {
    auto& st = db_.prepared(
        "SELECT 1 FROM dependency_suggestions WHERE provider = :provider AND consumer = :consumer "
        "AND words = :words AND dismissed_at IS NOT NULL LIMIT 1");
    statement_guard g{st};
    st.bind(":provider", provider);
    st.bind(":consumer", consumer);
    st.bind(":words", words);
    return st.executeStep();
}

std::vector<suggestion_count> dependency_store::suggestion_counts() {
    auto& st = db_.prepared(
        "SELECT consumer, COUNT(*), COUNT(dismissed_at) FROM dependency_suggestions GROUP BY consumer "
        "ORDER BY consumer");
    statement_guard g{st};
    std::vector<suggestion_count> out;
    while (st.executeStep())
        out.push_back({st.getColumn(0).getString(), st.getColumn(1).getInt64(), st.getColumn(2).getInt64()});
    return out;
}

}  // namespace ritualbot
