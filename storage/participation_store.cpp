#include "storage/participation_store.hpp"

#include <nlohmann/json.hpp>

#include "storage/statement.hpp"
#include "storage/store.hpp"

namespace ritualbot {

std::map<std::string, participation_store::counts> participation_store::between(
    const std::vector<std::string>& members, const std::string& first, const std::string& last) {
    std::map<std::string, counts> out;
    if (members.empty()) return out;
    nlohmann::json list = members;
    // The member list as one JSON array, so the statement is prepared once
    // whatever the team's size. The weeks are one range of the primary key
    // (week, member); `+member` keeps SQLite from seeking the (member, week)
    // index once per member instead (1,000 members, 12 weeks: 8.5 ms against
    // 5.5 ms on bench/digest_bench's file).
    auto& st = db_.prepared(
        "SELECT week, status, count(*) FROM weekly_updates WHERE week >= :first AND week <= :last "
        "AND status IN ('done', 'skipped') AND +member IN (SELECT value FROM json_each(:members)) "
        "GROUP BY week, status");
    statement_guard g{st};
    st.bind(":first", first);
    st.bind(":last", last);
    st.bind(":members", list.dump());
    while (st.executeStep()) {
        counts& c = out[st.getColumn(0).getString()];
        const auto n = static_cast<std::size_t>(st.getColumn(2).getInt64());
        if (st.getColumn(1).getString() == "done") c.done = n;
        else c.skipped = n;
    }
    return out;
}

}  // namespace ritualbot
