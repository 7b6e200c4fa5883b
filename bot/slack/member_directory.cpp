#include "bot/slack/member_directory.hpp"

#include <date/tz.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "bot/slack/slack_user.hpp"

namespace ritualbot::slack {

bool member_directory::update(const slack_user_row& u) {
    auto [it, inserted] = users_.try_emplace(u.id, u);
    if (inserted) return true;
    if (it->second == u) return false;
    it->second = u;
    return true;
}

const slack_user_row* member_directory::find(const std::string& id) const {
    auto it = users_.find(id);
    return it == users_.end() ? nullptr : &it->second;
}

bool member_directory::not_a_person(const std::string& id) const {
    auto it = users_.find(id);
    return it != users_.end() && !is_person(it->second);
}

bool member_directory::valid_zone(const std::string& zone) {
    auto [it, inserted] = zones_.try_emplace(zone, false);
    if (!inserted) return it->second;
    try {
        (void)date::locate_zone(zone);
        it->second = true;
    } catch (const std::exception&) {
        ++unknown_zones_;
        spdlog::warn("slack: time zone '{}' is not in the tz database; its users get their team's zone", zone);
    }
    return it->second;
}

void member_directory::publish_zone(config& cfg, const slack_user_row& u) {
    if (is_person(u) && !u.timezone.empty() && valid_zone(u.timezone)) cfg.learned_zones[u.id] = u.timezone;
    else if (auto it = cfg.learned_zones.find(u.id); it != cfg.learned_zones.end()) cfg.learned_zones.erase(it);
}

void member_directory::publish(config& cfg) {
    for (const auto& [id, u] : users_) publish_zone(cfg, u);
    filter_channel_teams(cfg);
}

void member_directory::filter_channel_teams(config& cfg) const {
    for (auto& t : cfg.teams)
        if (t.platform == "slack" && t.members_from_channel)
            std::erase_if(t.members, [&](const std::string& id) { return not_a_person(id); });
    cfg.members_changed();
}

}  // namespace ritualbot::slack
