#include "bot/slack/member_directory.hpp"

#include <date/tz.h>
#include <spdlog/spdlog.h>

#include <algorithm>


namespace ritualbot::slack {

bool member_directory::update(const slack_user_row& u) {
    known_user k;
    if (!u.timezone.empty()) k.zone = &zones_.try_emplace(u.timezone, zone_check::unchecked).first->first;
    k.is_bot = u.is_bot;
    k.deleted = u.deleted;
    auto [it, inserted] = users_.try_emplace(u.id, k);
    if (inserted) return true;
    if (it->second == k) return false;
    it->second = k;
    return true;
}

bool member_directory::not_a_person(const std::string& id) const {
    auto it = users_.find(id);
    return it != users_.end() && (it->second.is_bot || it->second.deleted);
}

bool member_directory::valid_zone(const std::string& zone) {
    auto& state = zones_.try_emplace(zone, zone_check::unchecked).first->second;
    if (state == zone_check::unchecked) {
        try {
            (void)date::locate_zone(zone);
            state = zone_check::known;
        } catch (const std::exception&) {
            state = zone_check::unknown;
            ++unknown_zones_;
            spdlog::warn("slack: time zone '{}' is not in the tz database; its users get their team's zone", zone);
        }
    }
    return state == zone_check::known;
}

void member_directory::publish_zone(config& cfg, const std::string& id, const known_user& u) {
    if (!u.is_bot && !u.deleted && u.zone && valid_zone(*u.zone)) cfg.learned_zones[id] = interned_zone(*u.zone);
    else if (auto it = cfg.learned_zones.find(id); it != cfg.learned_zones.end()) cfg.learned_zones.erase(it);
}

void member_directory::publish_zone(config& cfg, const slack_user_row& u) {
    if (auto it = users_.find(u.id); it != users_.end()) publish_zone(cfg, it->first, it->second);
}

void member_directory::publish(config& cfg) {
    for (const auto& [id, u] : users_) publish_zone(cfg, id, u);
    filter_channel_teams(cfg);
}

void member_directory::filter_channel_teams(config& cfg) const {
    for (auto& t : cfg.teams)
        if (t.platform == "slack" && t.members_from_channel)
            std::erase_if(t.members, [&](const std::string& id) { return not_a_person(id); });
    cfg.members_changed();
}

}  // namespace ritualbot::slack
