#include "bot/slack/member_directory.hpp"

#include <date/tz.h>
#include <spdlog/spdlog.h>

#include <algorithm>


namespace ritualbot::slack {

bool member_directory::update(const slack_user_row& u) {
    const std::string* zone =
        u.timezone.empty() ? nullptr : &zones_.try_emplace(u.timezone, zone_check::unchecked).first->first;
    auto& learned = cfg_.learned_zones;
    if (!u.is_bot && !u.deleted && zone && valid_zone(*zone)) {
        const std::string* interned = interned_zone(*zone);
        auto [was, added] = learned.try_emplace(u.id, interned);
        if (added) {
            others_.erase(u.id);
            return true;
        }
        if (*was == interned) return false;
        *was = interned;
        return true;
    }
    learned.erase(u.id);
    const other_user o{zone, u.is_bot, u.deleted};
    auto [it, inserted] = others_.try_emplace(u.id, o);
    if (inserted) return true;
    if (it->second == o) return false;
    it->second = o;
    return true;
}

bool member_directory::not_a_person(const std::string& id) const {
    auto it = others_.find(id);
    return it != others_.end() && (it->second.is_bot || it->second.deleted);
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

void member_directory::filter_channel_teams() const {
    for (auto& t : cfg_.teams)
        if (t.platform == "slack" && t.members_from_channel)
            std::erase_if(t.members, [&](const std::string& id) { return not_a_person(id); });
    cfg_.members_changed();
}

}  // namespace ritualbot::slack
