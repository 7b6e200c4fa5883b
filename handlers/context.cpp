#include "handlers/context.hpp"

#include "storage/store.hpp"

namespace ritualbot {

void handler_context::send(outgoing item) { enqueued_.push_back(db.enqueue(item, now())); }

std::string handler_context::platform_of(const std::string& user) const {
    auto teams = cfg.teams_of(user);
    return teams.empty() ? std::string("console") : teams.front()->platform;
}

void handler_context::direct(const std::string& user, message body) {
    send({{platform_of(user), destination_kind::direct, user, {}}, std::move(body)});
}

void handler_context::post(const team_config& team, message body) {
    send({{team.platform, destination_kind::channel, {}, team.channel}, std::move(body)});
}

void handler_context::reply(const incoming& in, message body) {
    destination to{in.platform, in.is_direct() ? destination_kind::direct : destination_kind::private_reply, in.user,
                   in.channel};
    send({std::move(to), std::move(body)});
}

}  // namespace ritualbot
