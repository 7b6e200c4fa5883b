#include "storage/okr_store.hpp"

#include "storage/statement.hpp"
#include "storage/store.hpp"

namespace ritualbot {

namespace {


okr_objective_row read_objective(SQLite::Statement& st) {
    okr_objective_row r;
    r.id = st.getColumn("id").getInt64();
    r.team = st.getColumn("team").getString();
    r.period = st.getColumn("period").getString();
    r.number = st.getColumn("number").getInt();
    r.title = st.getColumn("title").getString();
    r.archived = st.getColumn("archived").getInt() != 0;
    r.created_by = st.getColumn("created_by").getString();
    r.created_at = from_db(st.getColumn("created_at").getInt64());
    return r;
}

// Every KR query selects these columns, joined with its objective. A macro, so
// that each query stays one string literal: store::prepared() caches by literal.
#define KR_COLUMNS                                                                                            \
    "k.id AS id, k.objective_id AS objective_id, o.team AS team, o.period AS period, "                        \
    "o.number AS objective_number, o.archived AS objective_archived, k.number AS number, k.title AS title, " \
    "k.baseline AS baseline, k.target AS target, k.current AS current, k.unit AS unit, k.owner AS owner, "   \
    "k.created_at AS created_at, (SELECT MAX(c.at) FROM okr_checkins c WHERE c.kr_id = k.id) AS last_checkin "

okr_kr_row read_kr(SQLite::Statement& st) {
    okr_kr_row r;
    r.id = st.getColumn("id").getInt64();
    r.objective_id = st.getColumn("objective_id").getInt64();
    r.team = st.getColumn("team").getString();
    r.period = st.getColumn("period").getString();
    r.objective_number = st.getColumn("objective_number").getInt();
    r.objective_archived = st.getColumn("objective_archived").getInt() != 0;
    r.number = st.getColumn("number").getInt();
    r.title = st.getColumn("title").getString();
    r.baseline = st.getColumn("baseline").getDouble();
    r.target = st.getColumn("target").getDouble();
    r.current = st.getColumn("current").getDouble();
    r.unit = st.getColumn("unit").getString();
    r.owner = st.getColumn("owner").getString();
    r.created_at = from_db(st.getColumn("created_at").getInt64());
    if (!st.getColumn("last_checkin").isNull()) r.last_checkin = from_db(st.getColumn("last_checkin").getInt64());
    return r;
}

}  // namespace

std::vector<okr_period_row> okr_store::periods(const std::string& team) {
    auto& st = db_.prepared("SELECT * FROM okr_periods WHERE team = :team ORDER BY first_day");
    statement_guard g{st};
    st.bind(":team", team);
    std::vector<okr_period_row> out;
    while (st.executeStep()) {
        okr_period_row r;
        r.team = st.getColumn("team").getString();
        r.key = st.getColumn("key").getString();
        r.first_day = st.getColumn("first_day").getString();
        r.last_day = st.getColumn("last_day").getString();
        r.set_by = st.getColumn("set_by").getString();
        r.set_at = from_db(st.getColumn("set_at").getInt64());
        out.push_back(std::move(r));
    }
    return out;
}

void okr_store::save_period(const okr_period_row& r) {
    auto& st = db_.prepared(
        "INSERT INTO okr_periods (team, key, first_day, last_day, set_by, set_at) "
        "VALUES (:team, :key, :first, :last, :by, :at) "
        "ON CONFLICT (team, key) DO UPDATE SET set_by = excluded.set_by, set_at = excluded.set_at");
    statement_guard g{st};
    st.bind(":team", r.team);
    st.bind(":key", r.key);
    st.bind(":first", r.first_day);
    st.bind(":last", r.last_day);
    st.bind(":by", r.set_by);
    st.bind(":at", to_db(r.set_at));
    st.exec();
}

std::vector<okr_objective_row> okr_store::objectives(const std::string& team, const std::string& period,
                                                     bool include_archived) {
    auto& st = db_.prepared(
        "SELECT * FROM okr_objectives WHERE team = :team AND period = :period "
        "AND (:all OR archived = 0) ORDER BY number");
    statement_guard g{st};
    st.bind(":team", team);
    st.bind(":period", period);
    st.bind(":all", include_archived ? 1 : 0);
    std::vector<okr_objective_row> out;
    while (st.executeStep()) out.push_back(read_objective(st));
    return out;
}

std::optional<okr_objective_row> okr_store::find_objective(const std::string& team, const std::string& period,
                                                           int number) {
    auto& st = db_.prepared(
        "SELECT * FROM okr_objectives WHERE team = :team AND period = :period AND number = :number");
    statement_guard g{st};
    st.bind(":team", team);
    st.bind(":period", period);
    st.bind(":number", number);
    if (!st.executeStep()) return std::nullopt;
    return read_objective(st);
}

okr_objective_row okr_store::add_objective(const std::string& team, const std::string& period,
                                           const std::string& title, const std::string& who, instant at) {
    auto& st = db_.prepared(
        "INSERT INTO okr_objectives (team, period, number, title, created_by, created_at) "
        "VALUES (:team, :period, "
        "(SELECT COALESCE(MAX(number), 0) + 1 FROM okr_objectives WHERE team = :team AND period = :period), "
        ":title, :by, :at) RETURNING *");
    statement_guard g{st};
    st.bind(":team", team);
    st.bind(":period", period);
    st.bind(":title", title);
    st.bind(":by", who);
    st.bind(":at", to_db(at));
    st.executeStep();
    okr_objective_row r = read_objective(st);
    while (st.executeStep()) {
    }
    return r;
}

void okr_store::archive_objective(std::int64_t id) {
    auto& st = db_.prepared("UPDATE okr_objectives SET archived = 1 WHERE id = :id");
    statement_guard g{st};
    st.bind(":id", id);
    st.exec();
}

int okr_store::move_objectives(const std::string& team, const std::string& from, const std::string& to) {
    auto& st = db_.prepared("UPDATE okr_objectives SET period = :to WHERE team = :team AND period = :from");
    statement_guard g{st};
    st.bind(":team", team);
    st.bind(":from", from);
    st.bind(":to", to);
    return st.exec();
}

std::vector<okr_kr_row> okr_store::key_results(std::int64_t objective_id) {
    auto& st = db_.prepared("SELECT " KR_COLUMNS
                            "FROM okr_key_results k JOIN okr_objectives o ON o.id = k.objective_id "
                            "WHERE k.objective_id = :id ORDER BY k.number");
    statement_guard g{st};
    st.bind(":id", objective_id);
    std::vector<okr_kr_row> out;
    while (st.executeStep()) out.push_back(read_kr(st));
    return out;
}

std::optional<okr_kr_row> okr_store::find_kr(const std::string& team, const std::string& period,
                                             int objective_number, int kr_number) {
    auto& st = db_.prepared("SELECT " KR_COLUMNS
                            "FROM okr_key_results k JOIN okr_objectives o ON o.id = k.objective_id "
                            "WHERE o.team = :team AND o.period = :period AND o.number = :o AND k.number = :k");
    statement_guard g{st};
    st.bind(":team", team);
    st.bind(":period", period);
    st.bind(":o", objective_number);
    st.bind(":k", kr_number);
    if (!st.executeStep()) return std::nullopt;
    return read_kr(st);
}

std::optional<okr_kr_row> okr_store::find_kr_by_id(std::int64_t id) {
    auto& st = db_.prepared("SELECT " KR_COLUMNS
                            "FROM okr_key_results k JOIN okr_objectives o ON o.id = k.objective_id "
                            "WHERE k.id = :id");
    statement_guard g{st};
    st.bind(":id", id);
    if (!st.executeStep()) return std::nullopt;
    return read_kr(st);
}

std::vector<okr_kr_row> okr_store::owned_by(const std::string& owner) {
    auto& st = db_.prepared("SELECT " KR_COLUMNS
                            "FROM okr_key_results k JOIN okr_objectives o ON o.id = k.objective_id "
                            "WHERE k.owner = :owner AND o.archived = 0 ORDER BY o.team, o.number, k.number");
    statement_guard g{st};
    st.bind(":owner", owner);
    std::vector<okr_kr_row> out;
    while (st.executeStep()) out.push_back(read_kr(st));
    return out;
}

okr_kr_row okr_store::add_kr(std::int64_t objective_id, const std::string& title, double baseline, double target,
                             const std::string& unit, const std::string& owner, instant at) {
    std::int64_t id = 0;
    {
        auto& st = db_.prepared(
            "INSERT INTO okr_key_results (objective_id, number, title, baseline, target, current, unit, owner, "
            "created_at) VALUES (:objective, "
            "(SELECT COALESCE(MAX(number), 0) + 1 FROM okr_key_results WHERE objective_id = :objective), "
            ":title, :baseline, :target, :baseline, :unit, :owner, :at)");
        statement_guard g{st};
        st.bind(":objective", objective_id);
        st.bind(":title", title);
        st.bind(":baseline", baseline);
        st.bind(":target", target);
        st.bind(":unit", unit);
        st.bind(":owner", owner);
        st.bind(":at", to_db(at));
        st.exec();
        id = db_.database().getLastInsertRowid();
    }
    return *find_kr_by_id(id);
}

void okr_store::update_kr(const okr_kr_row& kr) {
    auto& st = db_.prepared(
        "UPDATE okr_key_results SET title = :title, baseline = :baseline, target = :target, current = :current, "
        "unit = :unit, owner = :owner WHERE id = :id");
    statement_guard g{st};
    st.bind(":title", kr.title);
    st.bind(":baseline", kr.baseline);
    st.bind(":target", kr.target);
    st.bind(":current", kr.current);
    st.bind(":unit", kr.unit);
    st.bind(":owner", kr.owner);
    st.bind(":id", kr.id);
    st.exec();
}

void okr_store::record_checkin(std::int64_t kr_id, double value, const std::string& who, instant at,
                               const std::string& comment) {
    {
        auto& st = db_.prepared(
            "INSERT INTO okr_checkins (kr_id, value, previous, who, at, comment) "
            "VALUES (:kr, :value, (SELECT current FROM okr_key_results WHERE id = :kr), :who, :at, :comment)");
        statement_guard g{st};
        st.bind(":kr", kr_id);
        st.bind(":value", value);
        st.bind(":who", who);
        st.bind(":at", to_db(at));
        st.bind(":comment", comment);
        st.exec();
    }
    auto& st = db_.prepared("UPDATE okr_key_results SET current = :value WHERE id = :kr");
    statement_guard g{st};
    st.bind(":value", value);
    st.bind(":kr", kr_id);
    st.exec();
}

std::vector<okr_checkin_row> okr_store::history(std::int64_t kr_id, int limit) {
    auto& st = db_.prepared(
        "SELECT * FROM okr_checkins WHERE kr_id = :kr ORDER BY at DESC, id DESC LIMIT :limit");
    statement_guard g{st};
    st.bind(":kr", kr_id);
    st.bind(":limit", limit);
    std::vector<okr_checkin_row> out;
    while (st.executeStep()) {
        okr_checkin_row r;
        r.id = st.getColumn("id").getInt64();
        r.kr_id = st.getColumn("kr_id").getInt64();
        r.value = st.getColumn("value").getDouble();
        r.previous = st.getColumn("previous").getDouble();
        r.who = st.getColumn("who").getString();
        r.at = from_db(st.getColumn("at").getInt64());
        r.comment = st.getColumn("comment").getString();
        out.push_back(std::move(r));
    }
    return out;
}

void okr_store::ask_checkin(const std::string& owner, std::int64_t kr_id, instant asked_at, instant expires_at) {
    auto& st = db_.prepared(
        "INSERT INTO okr_pending_checkins (owner, kr_id, asked_at, expires_at) VALUES (:owner, :kr, :asked, :expires) "
        "ON CONFLICT (owner, kr_id) DO UPDATE SET asked_at = excluded.asked_at, expires_at = excluded.expires_at");
    statement_guard g{st};
    st.bind(":owner", owner);
    st.bind(":kr", kr_id);
    st.bind(":asked", to_db(asked_at));
    st.bind(":expires", to_db(expires_at));
    st.exec();
}

std::vector<okr_pending_row> okr_store::pending_checkins(const std::string& owner, instant now) {
    auto& st = db_.prepared(
        "SELECT p.owner, p.kr_id, p.asked_at, p.expires_at FROM okr_pending_checkins p "
        "JOIN okr_key_results k ON k.id = p.kr_id JOIN okr_objectives o ON o.id = k.objective_id "
        "WHERE p.owner = :owner AND p.expires_at > :now AND o.archived = 0 "
        "ORDER BY o.team, o.number, k.number");
    statement_guard g{st};
    st.bind(":owner", owner);
    st.bind(":now", to_db(now));
    std::vector<okr_pending_row> out;
    while (st.executeStep())
        out.push_back({st.getColumn(0).getString(), st.getColumn(1).getInt64(), from_db(st.getColumn(2).getInt64()),
                       from_db(st.getColumn(3).getInt64())});
    return out;
}

void okr_store::clear_checkin(std::int64_t kr_id) {
    auto& st = db_.prepared("DELETE FROM okr_pending_checkins WHERE kr_id = :kr");
    statement_guard g{st};
    st.bind(":kr", kr_id);
    st.exec();
}

void okr_store::clear_checkins(const std::string& owner) {
    auto& st = db_.prepared("DELETE FROM okr_pending_checkins WHERE owner = :owner");
    statement_guard g{st};
    st.bind(":owner", owner);
    st.exec();
}

}  // namespace ritualbot
