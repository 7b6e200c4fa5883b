#include "storage/slack_store.hpp"

#include "storage/statement.hpp"

namespace ritualbot {

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
