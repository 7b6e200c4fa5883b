#pragma once
// Finds the teams a weekly-update risk answer names as the cause of a block:
// "blocked by platform", "waiting on the ML team", "@beta hasn't shipped".
// Pure text work over the config: no storage, no clock.
//
// A team is named by its name, one of its aliases (whole words, any case,
// several words allowed), an @-mention of either, or a mention of its channel
// ("#beta" on the console, "<#C0123|beta>" on Slack). A name only counts next
// to a blocking phrase — before it ("blocked by", "waiting on", "depends on",
// ... optionally through "the"/"a"/"team", or "... from <team>") or after it
// ("hasn't", "is late", "is blocking", ...). The writer's own team never counts
// ("we are blocked on our own review"), a name inside another word never
// counts ("alphabet"), and a negated phrase ("no longer blocked by") does not.
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace ritualbot {

struct blocker_mention {
    std::string team;     // the team's name, as in the config
    std::string excerpt;  // the words that matched, e.g. "blocked by platform"
};

// Each blocking team once, in order of first mention.
std::vector<blocker_mention> find_blocker_mentions(std::string_view text, const config& cfg,
                                                   std::string_view own_team);

}  // namespace ritualbot
