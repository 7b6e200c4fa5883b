#include "storage/weekly_update_store.hpp"

#include <nlohmann/json.hpp>

#include "storage/statement.hpp"

namespace ritualbot {

std::unordered_map<std::string, weekly_update_row> weekly_update_store::find_updates(
    const std::vector<std::string>& members, const std::string& week) {
    std::unordered_map<std::string, weekly_update_row> out;
    if (members.empty()) return out;
    // The member list goes in as one JSON array (json_each), so the statement
    // is prepared once whatever the team's size; the primary key (week,
    // member) keeps a week's rows together.
    auto& st = db_.prepared(
        "SELECT member, week, team, status, step, skip_reason, goal, changed, risk, focus, started_at, updated_at "
        "FROM weekly_updates WHERE week = :week AND member IN (SELECT value FROM json_each(:members))");
    statement_guard g{st};
    st.bind(":week", week);
    nlohmann::json list = members;
    st.bind(":members", list.dump());
    out.reserve(members.size());
    while (st.executeStep()) {
        weekly_update_row r;
        r.member = st.getColumn(0).getString();
        r.week = st.getColumn(1).getString();
        r.team = st.getColumn(2).getString();
        const std::string status = st.getColumn(3).getString();
        r.status = status == "done"      ? update_status::done
                   : status == "skipped" ? update_status::skipped
                                         : update_status::in_progress;
        r.step = st.getColumn(4).getInt();
        r.skip_reason = st.getColumn(5).getString();
        for (int i = 0; i < 4; ++i) r.answers[i] = st.getColumn(6 + i).getString();
        r.started_at = from_db(st.getColumn(10).getInt64());
        r.updated_at = from_db(st.getColumn(11).getInt64());
        std::string member = r.member;
        out.emplace(std::move(member), std::move(r));
    }
    return out;
}

}  // namespace ritualbot
