#include "storage/slack_store.hpp"

#include <nlohmann/json.hpp>

#include "storage/statement.hpp"

namespace ritualbot {

std::optional<outbox_row> unsent_outbox_row(store& db, std::int64_t id) {
    auto& st = db.prepared(
        "SELECT platform, kind, user_id, channel, body, created_at, attempts FROM outbox "
        "WHERE id = :id AND sent_at IS NULL AND attempts >= 0");
    statement_guard g{st};
    st.bind(":id", id);
    if (!st.executeStep()) return std::nullopt;
    outbox_row r;
    r.id = id;
    r.item.to.platform = st.getColumn(0).getString();
    r.item.to.user = st.getColumn(2).getString();
    r.item.to.channel = st.getColumn(3).getString();
    try {
        r.item.to.kind = destination_kind_from_string(st.getColumn(1).getString());
        from_json(nlohmann::json::parse(st.getColumn(4).getString()), r.item.body);
    } catch (const std::exception&) {
        return std::nullopt;  // the outbox sender sets it aside
    }
    r.created_at = from_db(st.getColumn(5).getInt64());
    r.attempts = st.getColumn(6).getInt();
    return r;
}

void remember_slack_dm_channel(store& db, const std::string& user, const std::string& channel) {
    auto& st = db.prepared(
        "INSERT INTO slack_dm_channels (user_id, channel) VALUES (:user, :channel) "
        "ON CONFLICT (user_id) DO UPDATE SET channel = excluded.channel");
    statement_guard g{st};
    st.bind(":user", user);
    st.bind(":channel", channel);
    st.exec();
}

std::vector<std::pair<std::string, std::string>> slack_dm_channels(store& db) {
    auto& st = db.prepared("SELECT user_id, channel FROM slack_dm_channels");
    statement_guard g{st};
    std::vector<std::pair<std::string, std::string>> out;
    while (st.executeStep()) out.emplace_back(st.getColumn(0).getString(), st.getColumn(1).getString());
    return out;
}

}  // namespace ritualbot
