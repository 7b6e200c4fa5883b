// /learn propose <topic> | pick <id> | list | help
#include <algorithm>
#include <charconv>

#include "handlers/commands.hpp"
#include "handlers/learning.hpp"
#include "handlers/week.hpp"

namespace ritualbot {
namespace {

const char* const usage =
    "Usage:\n"
    "  /learn propose <topic>   offer a talk for a monthly learning session\n"
    "  /learn pick <id>         managers: make proposal <id> the next session's talk\n"
    "  /learn list              past and upcoming sessions, and the open proposals\n"
    "  /learn help";

const char* const help_text =
    "Monthly learning session: an hour to share knowledge beyond a 10-minute EOWD slot \u2014 a 30\u201345 "
    "minute talk (slides, a demo, code), then Q&A.\n"
    "/learn propose <topic> \u2014 offer a talk, e.g. /learn propose Bandits in production; you get an id\n"
    "/learn pick <id> \u2014 managers: pick the speaker of the next session; it is announced in the channel\n"
    "/learn list \u2014 past and upcoming sessions with speaker and topic, and the proposals waiting\n"
    "A call for speakers is posted before each session and a reminder just before it starts. Type the command "
    "in a team's channel to use that team's sessions.";

constexpr std::size_t max_topic_length = 200;

struct learn_request {
    handler_context& ctx;
    const incoming& in;
    const team_config& team;
    eowd_store store;
};

void propose(learn_request& r, const command_line& cmd) {
    std::string topic = trim(cmd.rest(1));
    for (char& c : topic)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (topic.size() >= 2 && topic.front() == '"' && topic.back() == '"') topic = trim(topic.substr(1, topic.size() - 2));
    if (topic.empty()) {
        r.ctx.reply(r.in, std::string("What would you talk about? /learn propose <topic>, e.g. /learn propose How we "
                                      "triage outages with CloudWatch\n") +
                              usage);
        return;
    }
    if (topic.size() > max_topic_length) {
        r.ctx.reply(r.in, "A topic has at most " + std::to_string(max_topic_length) +
                              " characters; nothing was saved.");
        return;
    }
    learning_proposal_row row;
    row.team = r.team.name;
    row.proposer = r.in.user;
    row.topic = topic;
    row.created_at = r.ctx.now();
    const std::int64_t id = r.store.add_proposal(row);
    const std::string month = learning_month(r.ctx.cfg, r.team, r.ctx.now());
    const std::string when = learning_when(r.ctx.cfg, r.team, month, r.ctx.cfg.timezone_of(r.in.user));
    r.ctx.reply(r.in, "Thanks! Proposal #" + std::to_string(id) + " \u201C" + topic + "\u201D is recorded for the " +
                          r.team.name + " learning sessions. A manager picks the speaker of the next one (" + when +
                          ").");
    for (const auto& manager : r.team.managers) {
        if (manager == r.in.user) continue;
        r.ctx.direct(manager, message(r.in.user + " proposed a learning-session talk for " + r.team.name + ": #" +
                                      std::to_string(id) + " \u201C" + topic + "\u201D. /learn pick " +
                                      std::to_string(id) + " makes it the next session's talk."));
    }
}

void pick(learn_request& r, const command_line& cmd) {
    std::string word = cmd.arg(1);
    if (!word.empty() && word[0] == '#') word = word.substr(1);
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), id);
    if (word.empty() || ec != std::errc{} || end != word.data() + word.size() || id <= 0 || cmd.args.size() > 2) {
        r.ctx.reply(r.in, std::string("Which proposal? /learn pick <id>, with an id from /learn list, e.g. /learn pick "
                                      "3\n") +
                              usage);
        return;
    }
    auto proposal = r.store.find_proposal(id);
    if (!proposal || proposal->team != r.team.name) {
        r.ctx.reply(r.in, "There is no proposal #" + std::to_string(id) + " for " + r.team.name +
                              "; /learn list shows them.");
        return;
    }
    if (!r.ctx.cfg.is_manager(r.in.user, r.team)) {
        r.ctx.reply(r.in, "Only a manager of " + r.team.name + " picks the learning session's speaker.");
        return;
    }
    const std::string month = learning_month(r.ctx.cfg, r.team, r.ctx.now());
    for (const auto& s : r.store.sessions(r.team.name)) {
        if (s.proposal_id != id) continue;
        if (s.month == month) {
            r.ctx.reply(r.in, "#" + std::to_string(id) + " is already the talk of the next session.");
        } else {
            r.ctx.reply(r.in, "#" + std::to_string(id) + " was already given, in the session of " + s.month + ".");
        }
        return;
    }
    auto previous = learning_speaker(r.ctx, r.team, month);
    r.store.pick({r.team.name, month, id, r.in.user, r.ctx.now()});

    message announcement;
    announcement.header("Learning session \u2014 " + r.team.name);
    announcement.section(proposal->proposer + " speaks on \u201C" + proposal->topic + "\u201D, " +
                         learning_when(r.ctx.cfg, r.team, month, r.team.timezone) + ".");
    if (previous)
        announcement.context("This replaces the talk announced before (" + previous->proposer + ", \u201C" +
                             previous->topic + "\u201D), which stays proposed for a later session.");
    r.ctx.post(r.team, std::move(announcement));
    r.ctx.direct(proposal->proposer,
                 message("You're the speaker of the " + r.team.name + " learning session, " +
                         learning_when(r.ctx.cfg, r.team, month, r.ctx.cfg.timezone_of(proposal->proposer)) +
                         ": \u201C" + proposal->topic + "\u201D. You get a reminder before it starts."));
    if (previous && previous->proposer != proposal->proposer)
        r.ctx.direct(previous->proposer,
                     message("Change of plan: " + proposal->proposer + " gives the " + r.team.name +
                             " learning session of " + month + ". Your proposal #" + std::to_string(previous->id) +
                             " stays open for a later one."));
    r.ctx.reply(r.in, "Picked #" + std::to_string(id) + " for " + month + "; it is announced in " + r.team.channel +
                          ".");
}

void list(learn_request& r) {
    const std::string zone = r.ctx.cfg.timezone_of(r.in.user);
    const std::string upcoming = learning_month(r.ctx.cfg, r.team, r.ctx.now());
    message m;
    m.header("Learning sessions \u2014 " + r.team.name);
    auto speaker = learning_speaker(r.ctx, r.team, upcoming);
    m.section("Next: " + learning_when(r.ctx.cfg, r.team, upcoming, zone) + " \u2014 " +
              (speaker ? speaker->proposer + ": " + speaker->topic : std::string("no speaker yet")) + ".");
    auto open = open_proposals(r.ctx, r.team);
    if (!open.empty()) {
        std::vector<std::string> items;
        for (const auto& p : open) items.push_back("#" + std::to_string(p.id) + " " + p.proposer + ": " + p.topic);
        m.section("Proposed:");
        m.list(std::move(items));
    } else {
        m.context("No open proposals: /learn propose <topic>.");
    }
    std::vector<std::string> past;
    for (const auto& s : r.store.sessions(r.team.name)) {
        if (s.month >= upcoming) continue;
        auto p = r.store.find_proposal(s.proposal_id);
        past.push_back(format_local(learning_start(r.ctx.cfg, r.team, s.month), zone) + " \u2014 " +
                       (p ? p->proposer + ": " + p->topic : std::string("(proposal gone)")));
    }
    if (!past.empty()) {
        std::reverse(past.begin(), past.end());  // the latest first
        if (past.size() > 12) past.resize(12);
        m.section("Past:");
        m.list(std::move(past));
    }
    r.ctx.reply(r.in, std::move(m));
}

}  // namespace

void handle_learn_command(handler_context& ctx, const incoming& in, const command_line& cmd) {
    const std::string sub = to_lower(cmd.arg(0));
    if (sub.empty() || sub == "help") return ctx.reply(in, help_text);
    if (sub != "propose" && sub != "pick" && sub != "list") {
        ctx.reply(in, "I don't understand /learn " + trim(cmd.rest(0)).substr(0, 60) + ".\n" + usage);
        return;
    }
    if (sub == "list" && cmd.args.size() > 1) {
        ctx.reply(in, std::string("/learn list takes no arguments.\n") + usage);
        return;
    }
    const team_config* team = team_in_context(ctx, in);
    if (!team) {
        ctx.reply(in, "You are not in any ritualbot team, so there are no learning sessions for you.");
        return;
    }
    auto mine = ctx.cfg.teams_of(in.user);
    if (std::find(mine.begin(), mine.end(), team) == mine.end()) {
        ctx.reply(in, "Only members and managers of " + team->name + " can use its learning sessions.");
        return;
    }
    if (!ctx.cfg.learning_of(*team).enabled) {
        ctx.reply(in, "Team " + team->name + " has no monthly learning session (the operator enables it with "
                      "[rituals.learning] enabled = true).");
        return;
    }
    learn_request r{ctx, in, *team, eowd_store(ctx.db)};
    if (sub == "propose") return propose(r, cmd);
    if (sub == "pick") return pick(r, cmd);
    list(r);
}

}  // namespace ritualbot
