#include "storage/data_export_store.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/statement.hpp"
#include "storage/store.hpp"

namespace ritualbot {

namespace {

// An instant column as "2026-11-19T15:00:00Z" (NULL stays NULL).
#define ISO(col) "strftime('%Y-%m-%dT%H:%M:%SZ', " col ", 'unixepoch')"

// Binds whichever of the filter's names the query uses.
export_table run(store& db, const char* name, const char* sql, const export_filter& f) {
    export_table t;
    t.name = name;
    SQLite::Statement st(db.database(), sql);
    auto bind = [&st](const char* p, const auto& value) {
        if (const int i = st.getIndex(p); i > 0) st.bind(i, value);
    };
    bind(":team", f.team);
    bind(":since", f.since ? to_db(*f.since) : std::int64_t{0});
    bind(":since_week", f.since_week);
    bind(":since_month", f.since_month);
    for (int c = 0; c < st.getColumnCount(); ++c) t.columns.emplace_back(st.getColumnName(c));
    while (st.executeStep()) {
        std::vector<export_value> row;
        row.reserve(t.columns.size());
        for (int c = 0; c < st.getColumnCount(); ++c) {
            const SQLite::Column col = st.getColumn(c);
            if (col.isNull()) row.emplace_back(std::monostate{});
            else if (col.isInteger()) row.emplace_back(col.getInt64());
            else if (col.isFloat()) row.emplace_back(col.getDouble());
            else row.emplace_back(col.getString());
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

}  // namespace

std::vector<export_table> export_tables(store& db, const export_filter& f) {
    std::vector<export_table> out;
    // One row per answer, with the question it answered (its place, label
    // and text when it was answered: a team may have its own questions and
    // change them); an update without answers (skipped, or not begun) is one
    // row with empty question columns, a skipped week keeping its reason.
    out.push_back(run(db, "weekly_updates", R"sql(
SELECT u.team, u.week, u.member, u.status, u.skip_reason, a.position + 1 AS question_number,
       a.label AS question_label, a.question, a.answer,
       )sql" ISO("u.started_at") R"sql( AS started_at, )sql" ISO("u.updated_at") R"sql( AS updated_at
FROM weekly_updates u LEFT JOIN weekly_update_answers a ON a.week = u.week AND a.member = u.member
WHERE (:team = '' OR u.team = :team) AND u.week >= :since_week
ORDER BY u.team, u.week, u.member, a.position, a.label)sql", f));
    out.push_back(run(db, "okr_objectives", R"sql(
SELECT id, team, period, 'O' || number AS objective, title, archived, created_by, )sql" ISO("created_at") R"sql( AS created_at
FROM okr_objectives WHERE :team = '' OR team = :team ORDER BY team, period, number)sql", f));
    out.push_back(run(db, "okr_key_results", R"sql(
SELECT k.id, k.objective_id, o.team, o.period, 'KR' || o.number || '.' || k.number AS key_result, k.title,
       k.baseline, k.target, k.current, k.unit, k.owner, )sql" ISO("k.created_at") R"sql( AS created_at
FROM okr_key_results k JOIN okr_objectives o ON o.id = k.objective_id
WHERE :team = '' OR o.team = :team ORDER BY o.team, o.period, o.number, k.number)sql", f));
    out.push_back(run(db, "okr_checkins", R"sql(
SELECT c.id, c.kr_id, o.team, o.period, 'KR' || o.number || '.' || k.number AS key_result, c.value, c.previous,
       c.who, )sql" ISO("c.at") R"sql( AS at, c.comment
FROM okr_checkins c JOIN okr_key_results k ON k.id = c.kr_id JOIN okr_objectives o ON o.id = k.objective_id
WHERE (:team = '' OR o.team = :team) AND c.at >= :since ORDER BY c.at, c.id)sql", f));
    out.push_back(run(db, "dependencies", R"sql(
SELECT id, provider, consumer, what, type, status, due, owner, created_by, )sql" ISO("created_at") R"sql( AS created_at,
       )sql" ISO("updated_at") R"sql( AS updated_at, )sql" ISO("resolved_at") R"sql( AS resolved_at
FROM dependencies WHERE (:team = '' OR provider = :team OR consumer = :team) AND updated_at >= :since
ORDER BY id)sql", f));
    out.push_back(run(db, "eowd_signups", R"sql(
SELECT team, week, seq, member, topic, input_wanted, kind, )sql" ISO("created_at") R"sql( AS created_at,
       )sql" ISO("updated_at") R"sql( AS updated_at
FROM eowd_signups WHERE (:team = '' OR team = :team) AND week >= :since_week ORDER BY team, week, seq)sql", f));
    out.push_back(run(db, "learning_proposals", R"sql(
SELECT id, team, proposer, topic, )sql" ISO("created_at") R"sql( AS created_at
FROM learning_proposals WHERE (:team = '' OR team = :team) AND created_at >= :since ORDER BY id)sql", f));
    out.push_back(run(db, "learning_sessions", R"sql(
SELECT s.team, s.month, s.proposal_id, p.topic, p.proposer, s.picked_by, )sql" ISO("s.picked_at") R"sql( AS picked_at
FROM learning_sessions s LEFT JOIN learning_proposals p ON p.id = s.proposal_id
WHERE (:team = '' OR s.team = :team) AND s.month >= :since_month ORDER BY s.team, s.month)sql", f));
    return out;
}

}  // namespace ritualbot
