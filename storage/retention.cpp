#include "storage/retention.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/statement.hpp"
#include "storage/store.hpp"

namespace ritualbot {

std::vector<retention_count> delete_older_than(store& db, instant cutoff, const std::string& cutoff_week,
                                               const std::string& cutoff_month) {
    struct step {
        const char* table;
        const char* sql;
    };
    // Kept whatever their age: objectives, key results and their current
    // values, open dependencies, a KR's latest check-in (the "last check-in"
    // and stale warnings read it), proposals a kept session was picked from,
    // the outbox rows not sent yet, and each person's own settings
    // (person_settings: a choice, not a record). Time off is kept until it
    // ended before the cutoff: the digests of the weeks kept still say "away".
    static const step steps[] = {
        {"weekly_update_answers", "DELETE FROM weekly_update_answers WHERE week < :week"},
        {"weekly_updates", "DELETE FROM weekly_updates WHERE week < :week"},
        {"update_snoozes", "DELETE FROM update_snoozes WHERE week < :week"},
        {"time_off", "DELETE FROM time_off WHERE ends_at < :cutoff"},
        {"okr_checkins",
         "DELETE FROM okr_checkins WHERE at < :cutoff AND id NOT IN (SELECT max(id) FROM okr_checkins GROUP BY kr_id)"},
        {"okr_pending_checkins", "DELETE FROM okr_pending_checkins WHERE expires_at < :cutoff"},
        {"eowd_signups", "DELETE FROM eowd_signups WHERE week < :week"},
        {"learning_sessions", "DELETE FROM learning_sessions WHERE month < :month"},
        {"learning_proposals",
         "DELETE FROM learning_proposals WHERE created_at < :cutoff AND id NOT IN (SELECT proposal_id FROM "
         "learning_sessions)"},
        {"dependencies",
         "DELETE FROM dependencies WHERE status IN ('available', 'done') AND resolved_at IS NOT NULL AND "
         "resolved_at < :cutoff"},
        {"dependency_alerts", "DELETE FROM dependency_alerts WHERE week < :week"},
        {"dependency_suggestions", "DELETE FROM dependency_suggestions WHERE created_at < :cutoff"},
        {"matrix_send_attempts",
         "DELETE FROM matrix_send_attempts WHERE outbox_id IN (SELECT id FROM outbox WHERE sent_at < :cutoff)"},
        {"outbox", "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < :cutoff"},
        {"job_runs", "DELETE FROM job_runs WHERE due_at < :cutoff"},
    };
    std::vector<retention_count> out;
    for (const step& s : steps) {
        SQLite::Statement st(db.database(), s.sql);
        if (const int i = st.getIndex(":week"); i > 0) st.bind(i, cutoff_week);
        if (const int i = st.getIndex(":month"); i > 0) st.bind(i, cutoff_month);
        if (const int i = st.getIndex(":cutoff"); i > 0) st.bind(i, to_db(cutoff));
        const int n = st.exec();
        if (n > 0) out.push_back({s.table, n});
    }
    return out;
}

}  // namespace ritualbot
