// The learning session's scheduled jobs: the call for speakers and the
// reminder before it starts, posted to the channel of every team it is for.
#include "handlers/context.hpp"
#include "handlers/learning.hpp"
#include "handlers/text.hpp"

namespace ritualbot {
namespace {

// Each team's channel gets the post with the time in that team's zone.
template <typename Build>
void post_to_each(handler_context& ctx, const learning_host& host, Build build) {
    for (const team_config* team : host.teams) ctx.post(*team, build(*team));
}

}  // namespace

void run_learning_call(handler_context& ctx, const job_occurrence& occ) {
    auto host = learning_host_by_key(ctx.cfg, occ.target);
    if (!host) return;
    const std::string& month = occ.period;
    const auto speaker = learning_speaker(ctx, *host, month);
    const auto open = open_proposals(ctx, *host);
    post_to_each(ctx, *host, [&](const team_config& team) {
        message m;
        m.header("Monthly learning session \u2014 " + host->name);
        m.section("The next learning session is on " + learning_when(*host, month, team.timezone, true) + ".");
        if (speaker) {
            m.section(speaker->proposer + " speaks on \u201C" + shown_text(speaker->topic) + "\u201D.");
            return m;
        }
        m.section("Call for speakers: share what goes beyond a 10-minute EOWD slot \u2014 a technique, a tool, a "
                  "skill \u2014 with slides, a demo or code.");
        if (!open.empty()) {
            std::vector<std::string> items;
            for (const auto& p : open) items.push_back("#" + std::to_string(p.id) + " " + p.proposer + ": " + shown_text(p.topic));
            m.section("Proposed so far:");
            m.list(std::move(items));
        }
        m.context("Propose a topic with /learn propose <topic>; a manager picks the speaker with /learn pick <id>.");
        return m;
    });
}

void run_learning_reminder(handler_context& ctx, const job_occurrence& occ) {
    auto host = learning_host_by_key(ctx.cfg, occ.target);
    if (!host) return;
    const std::string& month = occ.period;
    auto speaker = learning_speaker(ctx, *host, month);
    if (!speaker) {
        post_to_each(ctx, *host, [&](const team_config&) {
            return message("No learning session this month for " + host->name +
                           ": no speaker was picked. Propose a topic for the next one with /learn propose.");
        });
        return;
    }
    post_to_each(ctx, *host, [&](const team_config& team) {
        return message("Starting soon: the " + host->name + " learning session, " +
                       learning_when(*host, month, team.timezone) + ". " + speaker->proposer + " on \u201C" +
                       shown_text(speaker->topic) + "\u201D.");
    });
    ctx.direct(speaker->proposer, message("Reminder: your learning session \u201C" + shown_text(speaker->topic) + "\u201D starts " +
                                          learning_when(*host, month, ctx.cfg.timezone_of(speaker->proposer)) +
                                          ". Consider recording it for those who miss it."));
}

}  // namespace ritualbot
