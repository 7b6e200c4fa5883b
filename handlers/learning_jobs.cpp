// The learning session's scheduled jobs: the call for speakers and the
// reminder before it starts.
#include "handlers/context.hpp"
#include "handlers/learning.hpp"

namespace ritualbot {

void run_learning_call(handler_context& ctx, const job_occurrence& occ) {
    const team_config* team = ctx.cfg.find_team(occ.target);
    if (!team) return;
    const std::string& month = occ.period;
    message m;
    m.header("Monthly learning session \u2014 " + team->name);
    m.section("The next learning session is on " + learning_when(ctx.cfg, *team, month, team->timezone) + ".");
    if (auto speaker = learning_speaker(ctx, *team, month)) {
        m.section(speaker->proposer + " speaks on \u201C" + speaker->topic + "\u201D.");
        ctx.post(*team, std::move(m));
        return;
    }
    m.section("Call for speakers: share what goes beyond a 10-minute EOWD slot \u2014 a technique, a tool, a skill "
              "\u2014 with slides, a demo or code.");
    auto open = open_proposals(ctx, *team);
    if (!open.empty()) {
        std::vector<std::string> items;
        for (const auto& p : open) items.push_back("#" + std::to_string(p.id) + " " + p.proposer + ": " + p.topic);
        m.section("Proposed so far:");
        m.list(std::move(items));
    }
    m.context("Propose a topic with /learn propose <topic>; a manager picks the speaker with /learn pick <id>.");
    ctx.post(*team, std::move(m));
}

void run_learning_reminder(handler_context& ctx, const job_occurrence& occ) {
    const team_config* team = ctx.cfg.find_team(occ.target);
    if (!team) return;
    const std::string& month = occ.period;
    auto speaker = learning_speaker(ctx, *team, month);
    if (!speaker) {
        ctx.post(*team, message("No learning session this month for " + team->name +
                                ": no speaker was picked. Propose a topic for the next one with /learn propose."));
        return;
    }
    message m;
    m.section("Starting soon: the " + team->name + " learning session, " +
              learning_when(ctx.cfg, *team, month, team->timezone) + ". " + speaker->proposer + " on \u201C" +
              speaker->topic + "\u201D.");
    ctx.post(*team, std::move(m));
    ctx.direct(speaker->proposer,
               message("Reminder: your learning session \u201C" + speaker->topic + "\u201D starts " +
                       learning_when(ctx.cfg, *team, month, ctx.cfg.timezone_of(speaker->proposer)) + "."));
}

}  // namespace ritualbot
