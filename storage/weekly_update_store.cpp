#include "storage/weekly_update_store.hpp"

#include <nlohmann/json.hpp>

#include "storage/statement.hpp"

namespace ritualbot {

std::unordered_map<std::string, weekly_update_row> weekly_update_store::find_updates(
    const std::vector<std::string>& members, const std::string& week) {
    std::unordered_map<std::string, weekly_update_row> out;
    if (members.empty()) return out;
    // The member list goes in as one JSON array (json_each), so each statement
    // is prepared once whatever the team's size; the primary keys (week,
    // member) and (week, member, label) keep a week's rows together. Two
    // statements for the whole team: the updates, then all their answers.
    nlohmann::json list = members;
    const std::string member_list = list.dump();
    {
        auto& st = db_.prepared(
            "SELECT member, week, team, status, step, skip_reason, asked, single_edit, started_at, updated_at "
            "FROM weekly_updates WHERE week = :week AND member IN (SELECT value FROM json_each(:members))");
        statement_guard g{st};
        st.bind(":week", week);
        st.bind(":members", member_list);
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
            r.asked = st.getColumn(6).getString();
            r.single_edit = st.getColumn(7).getInt() != 0;
            r.started_at = from_db(st.getColumn(8).getInt64());
            r.updated_at = from_db(st.getColumn(9).getInt64());
            std::string member = r.member;
            out.emplace(std::move(member), std::move(r));
        }
    }
    if (out.empty()) return out;
    // In each update's order: by position, then label (as store::find_update).
    auto& st = db_.prepared(
        "SELECT member, label, position, question, role, answer FROM weekly_update_answers "
        "WHERE week = :week AND member IN (SELECT value FROM json_each(:members)) ORDER BY member, position, label");
    statement_guard g{st};
    st.bind(":week", week);
    st.bind(":members", member_list);
    while (st.executeStep()) {
        auto it = out.find(st.getColumn(0).getString());
        if (it == out.end()) continue;  // an answer without its update: not shown, as find_update would
        it->second.answers.push_back({st.getColumn(1).getString(), st.getColumn(3).getString(),
                                      st.getColumn(2).getInt(), st.getColumn(4).getString(),
                                      st.getColumn(5).getString()});
    }
    return out;
}

}  // namespace ritualbot
