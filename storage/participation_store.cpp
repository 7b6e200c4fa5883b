#include "storage/participation_store.hpp"

#include <string_view>
#include <unordered_set>

#include "storage/statement.hpp"
#include "storage/store.hpp"

namespace ritualbot {

std::map<std::string, participation_store::counts> participation_store::between(
    const std::vector<std::string>& members, const std::string& first, const std::string& last) {
    std::map<std::string, counts> out;
    if (members.empty()) return out;
    // The weeks' finished and skipped rows come from the covering index
    // (week, status, member) of migration 18 without touching the table; the
    // team is picked out here rather than by SQLite probing a JSON list for
    // each row (1,000 members, 11 weeks: 1.5 ms against 5.8 ms).
    const std::unordered_set<std::string_view> team(members.begin(), members.end());
    auto& st = db_.prepared(
        "SELECT week, status, member FROM weekly_updates INDEXED BY weekly_updates_by_week_status "
        "WHERE week >= :first AND week <= :last AND status IN ('done', 'skipped')");
    statement_guard g{st};
    st.bind(":first", first);
    st.bind(":last", last);
    std::string week;
    counts* c = nullptr;
    while (st.executeStep()) {
        const char* member = st.getColumn(2).getText();
        if (!team.count(member)) continue;
        const char* w = st.getColumn(0).getText();
        if (!c || week != w) {
            week = w;
            c = &out[week];
        }
        if (std::string_view(st.getColumn(1).getText()) == "done") ++c->done;
        else ++c->skipped;
    }
    return out;
}

}  // namespace ritualbot
