#include "handlers/context.hpp"

#include <string_view>

#include "storage/store.hpp"

namespace ritualbot {

void handler_context::send(outgoing item) {
    if (!held_user_.empty() && item.to.user == held_user_ && item.to.kind != destination_kind::channel) {
        if (item.body.has_images()) {
            held_images_.push_back({item.to, item.body.only_images()});
            item.body = item.body.without_images();
        }
        if (!item.body.empty()) held_.push_back(std::move(item));
        return;
    }
    enqueued_.push_back(db.enqueue(item, now()));
}

void handler_context::release_held() {
    auto held = std::move(held_);
    auto images = std::move(held_images_);
    held_.clear();
    held_images_.clear();
    held_user_.clear();
    for (auto& item : held) send(std::move(item));
    for (auto& item : images) send(std::move(item));
}

namespace {

bool uses_platform(const config& cfg, std::string_view platform) {
    for (const auto& team : cfg.teams)
        if (team.platform == platform) return true;
    return false;
}

bool looks_like_matrix_id(std::string_view user) {
    return user.size() > 3 && user.front() == '@' && user.find(':') != std::string_view::npos;
}

bool looks_like_slack_id(std::string_view user) {
    if (user.size() < 3 || (user.front() != 'U' && user.front() != 'W')) return false;
    for (char c : user)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
    return true;
}

}  // namespace

std::string handler_context::platform_of(const std::string& user) const {
    auto teams = cfg.teams_of(user);
    if (!teams.empty()) return teams.front()->platform;
    // Someone outside every team (an org admin): the id tells the platform.
    if (looks_like_matrix_id(user) && uses_platform(cfg, "matrix")) return "matrix";
    if (looks_like_slack_id(user) && uses_platform(cfg, "slack")) return "slack";
    return cfg.teams.empty() ? std::string("console") : cfg.teams.front().platform;
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
