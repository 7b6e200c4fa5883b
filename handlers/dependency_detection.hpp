#pragma once
// Finds the teams a weekly-update risk answer names as the cause of a block:
// "blocked by platform", "waiting on the ML team", "@beta hasn't shipped".
// Pure text work over the config: no storage, no clock.
//
// A team is named by its name, one of its aliases (whole words, any case,
// several words allowed), an @-mention of either, or a mention of its channel
// ("#beta" on the console, "<#C0123|beta>" on Slack), optionally with a group
// noun ("the data folks", "the ML squad"). A name only counts next to a
// blocking phrase:
// - before it: "blocked by", "waiting on", "depends on", "stuck behind",
//   "gated on", "relies on", ... (optionally through "the"/"a"/"team", or
//   "... from <team>"); "until"/"before" only when the team then acts
//   ("until data delivers"); "need" only as "need <team> to ...";
// - after it: "hasn't", "owes us", "needs to", "is late", "may slip", ...,
//   also after "<team>'s <thing>" ("platform's gateway is late"), and after
//   "the <team> <thing>" when the sentence says we need it ("the data pipeline
//   is late and we need it"); "<team>'s freeze";
// - as a label: "Blocked: platform".
// The writer's own team never counts ("we are blocked on our own review"),
// nor "our <team word>" ("our infra"), a name inside another word
// ("alphabet", "platform-independent"), a negated phrase ("no longer blocked
// by"), or a sentence that says the block is over ("..., we're unblocked").
// Linear in the length of the text. Measured on tests/data/dep_corpus_*.tsv by
// bench/dep_detection_bench.cpp.
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace ritualbot {

struct blocker_mention {
    std::string team;     // the team's name, as in the config
    std::string excerpt;  // the words read as the blocker, e.g. "until data delivers the schema"
};

// Each blocking team once, in order of first mention.
std::vector<blocker_mention> find_blocker_mentions(std::string_view text, const config& cfg,
                                                   std::string_view own_team);

}  // namespace ritualbot
