#include "storage/update_streaks.hpp"

#include <nlohmann/json.hpp>

#include "storage/statement.hpp"
#include "storage/store.hpp"
#include "storage/week_key.hpp"

namespace ritualbot {
namespace {

// How far back a row written before migration 17 is counted from the history.
constexpr int history_weeks = 104;

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

int carried(int carry_in, bool done, bool passed_over) { return done ? carry_in + 1 : passed_over ? carry_in : 0; }

}  // namespace

std::vector<update_streaks::row> update_streaks::rows_from(const std::string& member, const std::string& first) {
    auto& st = db_.prepared(
        "SELECT week, status, skip_reason, streak FROM weekly_updates WHERE member = :member AND week >= :first "
        "ORDER BY week");
    statement_guard g{st};
    st.bind(":member", member);
    st.bind(":first", first);
    std::vector<row> out;
    while (st.executeStep()) {
        row r;
        r.week = st.getColumn(0).getString();
        const std::string status = st.getColumn(1).getString();
        r.done = status == "done";
        r.passed_over = status == "skipped" && !blank(st.getColumn(2).getString());
        r.known = !st.getColumn(3).isNull();
        r.streak = r.known ? st.getColumn(3).getInt() : 0;
        out.push_back(std::move(r));
    }
    return out;
}

int update_streaks::from_history(const std::string& member, const std::string& week) {
    std::string first = week;
    for (int i = 0; i < history_weeks; ++i) first = previous_week_key(first);
    int carry = 0;
    std::string prev;
    for (const auto& r : rows_from(member, first)) {
        if (r.week > week) break;
        if (prev.empty() || previous_week_key(r.week) != prev) carry = 0;
        // A row already computed is the truth from there on.
        carry = r.known ? r.streak : carried(carry, r.done, r.passed_over);
        prev = r.week;
    }
    return prev == week ? carry : 0;
}

void update_streaks::set(const std::string& member, const std::string& week, int streak) {
    auto& st = db_.prepared("UPDATE weekly_updates SET streak = :streak WHERE week = :week AND member = :member");
    statement_guard g{st};
    st.bind(":streak", streak);
    st.bind(":week", week);
    st.bind(":member", member);
    st.exec();
}

void update_streaks::refresh_from(const std::string& member, const std::string& week) {
    const std::string before = previous_week_key(week);
    const auto rows = rows_from(member, before);
    int carry = 0;
    std::string prev;
    bool first = true;
    for (const auto& r : rows) {
        if (r.week == before) {
            carry = r.known ? r.streak : from_history(member, before);
            prev = r.week;
            continue;
        }
        if (prev.empty() || previous_week_key(r.week) != prev) carry = 0;
        const int now = carried(carry, r.done, r.passed_over);
        // A later week that already holds what it would get: the rest hold too.
        if (!first && r.known && r.streak == now) break;
        if (!r.known || r.streak != now) set(member, r.week, now);
        carry = now;
        prev = r.week;
        first = false;
    }
}

int update_streaks::streak(const std::string& member, const std::string& week) {
    const auto rows = rows_from(member, week);
    if (rows.empty() || rows.front().week != week || !rows.front().done) return 0;
    return rows.front().known ? rows.front().streak : from_history(member, week);
}

std::unordered_map<std::string, int> update_streaks::streaks(const std::vector<std::string>& members,
                                                             const std::string& week) {
    std::unordered_map<std::string, int> out;
    if (members.empty()) return out;
    std::vector<std::string> unknown;
    {
        auto& st = db_.prepared(
            "SELECT member, streak FROM weekly_updates WHERE week = :week AND status = 'done' "
            "AND member IN (SELECT value FROM json_each(:members))");
        statement_guard g{st};
        st.bind(":week", week);
        st.bind(":members", nlohmann::json(members).dump());
        while (st.executeStep()) {
            if (st.getColumn(1).isNull()) {
                unknown.push_back(st.getColumn(0).getString());
            } else if (const int n = st.getColumn(1).getInt(); n > 0) {
                out.emplace(st.getColumn(0).getString(), n);
            }
        }
    }
    for (const auto& member : unknown)
        if (const int n = from_history(member, week); n > 0) out.emplace(member, n);
    return out;
}

}  // namespace ritualbot
