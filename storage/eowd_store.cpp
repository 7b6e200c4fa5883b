#include "storage/eowd_store.hpp"

#include "storage/statement.hpp"
#include "storage/store.hpp"

namespace ritualbot {

namespace {


eowd_signup_row read_signup(SQLite::Statement& st) {
    eowd_signup_row r;
    r.team = st.getColumn("team").getString();
    r.week = st.getColumn("week").getString();
    r.member = st.getColumn("member").getString();
    r.seq = st.getColumn("seq").getInt64();
    r.topic = st.getColumn("topic").getString();
    r.input_wanted = st.getColumn("input_wanted").getString();
    r.kind = st.getColumn("kind").getString();
    r.created_at = from_db(st.getColumn("created_at").getInt64());
    r.updated_at = from_db(st.getColumn("updated_at").getInt64());
    return r;
}

learning_proposal_row read_proposal(SQLite::Statement& st) {
    learning_proposal_row r;
    r.id = st.getColumn("id").getInt64();
    r.team = st.getColumn("team").getString();
    r.proposer = st.getColumn("proposer").getString();
    r.topic = st.getColumn("topic").getString();
    r.created_at = from_db(st.getColumn("created_at").getInt64());
    return r;
}

learning_session_row read_session(SQLite::Statement& st) {
    learning_session_row r;
    r.team = st.getColumn("team").getString();
    r.month = st.getColumn("month").getString();
    r.proposal_id = st.getColumn("proposal_id").getInt64();
    r.picked_by = st.getColumn("picked_by").getString();
    r.picked_at = from_db(st.getColumn("picked_at").getInt64());
    return r;
}

}  // namespace

std::optional<eowd_signup_row> eowd_store::find_signup(const std::string& team, const std::string& week,
                                                       const std::string& member) {
    auto& st = db_.prepared("SELECT * FROM eowd_signups WHERE team = :team AND week = :week AND member = :member");
    statement_guard g{st};
    st.bind(":team", team);
    st.bind(":week", week);
    st.bind(":member", member);
    if (!st.executeStep()) return std::nullopt;
    return read_signup(st);
}

eowd_signup_row eowd_store::save_signup(eowd_signup_row r) {
    if (r.seq == 0) {
        auto& next = db_.prepared(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM eowd_signups WHERE team = :team AND week = :week");
        statement_guard g{next};
        next.bind(":team", r.team);
        next.bind(":week", r.week);
        next.executeStep();
        r.seq = next.getColumn(0).getInt64();
    }
    auto& st = db_.prepared(
        "INSERT INTO eowd_signups (team, week, member, seq, topic, input_wanted, kind, created_at, updated_at) "
        "VALUES (:team, :week, :member, :seq, :topic, :input, :kind, :created, :updated) "
        "ON CONFLICT (team, week, member) DO UPDATE SET topic = excluded.topic, input_wanted = excluded.input_wanted, "
        "kind = excluded.kind, updated_at = excluded.updated_at");
    statement_guard g{st};
    st.bind(":team", r.team);
    st.bind(":week", r.week);
    st.bind(":member", r.member);
    st.bind(":seq", r.seq);
    st.bind(":topic", r.topic);
    st.bind(":input", r.input_wanted);
    st.bind(":kind", r.kind);
    st.bind(":created", to_db(r.created_at));
    st.bind(":updated", to_db(r.updated_at));
    st.exec();
    return r;
}

bool eowd_store::remove_signup(const std::string& team, const std::string& week, const std::string& member) {
    auto& st = db_.prepared("DELETE FROM eowd_signups WHERE team = :team AND week = :week AND member = :member");
    statement_guard g{st};
    st.bind(":team", team);
    st.bind(":week", week);
    st.bind(":member", member);
    return st.exec() == 1;
}

std::vector<eowd_signup_row> eowd_store::signups(const std::string& team, const std::string& week) {
    auto& st = db_.prepared("SELECT * FROM eowd_signups WHERE team = :team AND week = :week ORDER BY seq");
    statement_guard g{st};
    st.bind(":team", team);
    st.bind(":week", week);
    std::vector<eowd_signup_row> out;
    while (st.executeStep()) out.push_back(read_signup(st));
    return out;
}

std::int64_t eowd_store::add_proposal(const learning_proposal_row& r) {
    auto& st = db_.prepared(
        "INSERT INTO learning_proposals (team, proposer, topic, created_at) VALUES (:team, :proposer, :topic, :at)");
    statement_guard g{st};
    st.bind(":team", r.team);
    st.bind(":proposer", r.proposer);
    st.bind(":topic", r.topic);
    st.bind(":at", to_db(r.created_at));
    st.exec();
    return db_.database().getLastInsertRowid();
}

std::optional<learning_proposal_row> eowd_store::find_proposal(std::int64_t id) {
    auto& st = db_.prepared("SELECT * FROM learning_proposals WHERE id = :id");
    statement_guard g{st};
    st.bind(":id", id);
    if (!st.executeStep()) return std::nullopt;
    return read_proposal(st);
}

std::vector<learning_proposal_row> eowd_store::proposals(const std::string& team) {
    auto& st = db_.prepared("SELECT * FROM learning_proposals WHERE team = :team ORDER BY id");
    statement_guard g{st};
    st.bind(":team", team);
    std::vector<learning_proposal_row> out;
    while (st.executeStep()) out.push_back(read_proposal(st));
    return out;
}

void eowd_store::pick(const learning_session_row& r) {
    auto& st = db_.prepared(
        "INSERT INTO learning_sessions (team, month, proposal_id, picked_by, picked_at) "
        "VALUES (:team, :month, :proposal, :by, :at) ON CONFLICT (team, month) DO UPDATE SET "
        "proposal_id = excluded.proposal_id, picked_by = excluded.picked_by, picked_at = excluded.picked_at");
    statement_guard g{st};
    st.bind(":team", r.team);
    st.bind(":month", r.month);
    st.bind(":proposal", r.proposal_id);
    st.bind(":by", r.picked_by);
    st.bind(":at", to_db(r.picked_at));
    st.exec();
}

std::optional<learning_session_row> eowd_store::session(const std::string& team, const std::string& month) {
    auto& st = db_.prepared("SELECT * FROM learning_sessions WHERE team = :team AND month = :month");
    statement_guard g{st};
    st.bind(":team", team);
    st.bind(":month", month);
    if (!st.executeStep()) return std::nullopt;
    return read_session(st);
}

std::vector<learning_session_row> eowd_store::sessions(const std::string& team) {
    auto& st = db_.prepared("SELECT * FROM learning_sessions WHERE team = :team ORDER BY month");
    statement_guard g{st};
    st.bind(":team", team);
    std::vector<learning_session_row> out;
    while (st.executeStep()) out.push_back(read_session(st));
    return out;
}

}  // namespace ritualbot
