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

void for_each_slack_dm_channel(store& db, const std::function<void(const std::string& user, std::string channel)>& fn) {
    auto& st = db.prepared("SELECT user_id, channel FROM slack_dm_channels");
    statement_guard g{st};
    while (st.executeStep()) fn(st.getColumn(0).getString(), st.getColumn(1).getString());
}

}  // namespace ritualbot
