// /learn propose <topic> | pick <id> | list | help
#include <algorithm>
#include <charconv>

#include "handlers/commands.hpp"
#include "handlers/eowd.hpp"
#include "handlers/learning.hpp"
#include "handlers/text.hpp"
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
    learning_host host;       // whose sessions: that team's, or the one shared by all teams
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
    if (text_length(topic) > max_topic_length) {
        r.ctx.reply(r.in, "A topic has at most " + std::to_string(max_topic_length) +
                              " characters; nothing was saved.");
        return;
    }
    learning_proposal_row row;
    row.team = r.host.key;
    row.proposer = r.in.user;
    row.topic = topic;
    row.created_at = r.ctx.now();
    const std::int64_t id = r.store.add_proposal(row);
    const std::string month = learning_month(r.host, r.ctx.now());
    const std::string when = learning_when(r.host, month, r.ctx.cfg.timezone_of(r.in.user));
    r.ctx.reply(r.in, "Thanks! Proposal #" + std::to_string(id) + " \u201C" + topic + "\u201D is recorded for the " +
                          r.host.name + " learning sessions. A manager picks the speaker of the next one (" + when +
                          ").");
    std::vector<std::string> told{r.in.user};
    for (const team_config* team : r.host.teams) {
        for (const auto& manager : team->managers) {
            if (std::find(told.begin(), told.end(), manager) != told.end()) continue;
            told.push_back(manager);
            r.ctx.direct(manager, message(r.in.user + " proposed a learning-session talk for " + r.host.name + ": #" +
                                          std::to_string(id) + " \u201C" + topic + "\u201D. /learn pick " +
                                          std::to_string(id) + " makes it the next session's talk."));
        }
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
    if (!proposal || proposal->team != r.host.key) {
        r.ctx.reply(r.in, "There is no proposal #" + std::to_string(id) + " for " + r.host.name +
                              "; /learn list shows them.");
        return;
    }
    if (!r.host.may_pick(r.ctx.cfg, r.in.user)) {
        r.ctx.reply(r.in, "Only a manager of " + r.host.name + " picks the learning session's speaker.");
        return;
    }
    const std::string month = learning_month(r.host, r.ctx.now());
    for (const auto& s : r.store.sessions(r.host.key)) {
        if (s.proposal_id != id) continue;
        if (s.month == month) {
            r.ctx.reply(r.in, "#" + std::to_string(id) + " is already the talk of the next session.");
        } else {
            r.ctx.reply(r.in, "#" + std::to_string(id) + " was already given, in the session of " + s.month + ".");
        }
        return;
    }
    auto previous = learning_speaker(r.ctx, r.host, month);
    r.store.pick({r.host.key, month, id, r.in.user, r.ctx.now()});

    std::string channels;
    for (const team_config* team : r.host.teams) {
        message announcement;
        announcement.header("Learning session \u2014 " + r.host.name);
        announcement.section(proposal->proposer + " speaks on \u201C" + shown_text(proposal->topic) + "\u201D, " +
                             learning_when(r.host, month, team->timezone) + ".");
        if (previous)
            announcement.context("This replaces the talk announced before (" + previous->proposer + ", \u201C" +
                                 shown_text(previous->topic) + "\u201D), which stays proposed for a later session.");
        r.ctx.post(*team, std::move(announcement));
        channels += (channels.empty() ? "" : ", ") + team->channel;
    }
    r.ctx.direct(proposal->proposer,
                 message("You're the speaker of the " + r.host.name + " learning session, " +
                         learning_when(r.host, month, r.ctx.cfg.timezone_of(proposal->proposer)) +
                         ": \u201C" + shown_text(proposal->topic) + "\u201D. You get a reminder before it starts."));
    if (previous && previous->proposer != proposal->proposer)
        r.ctx.direct(previous->proposer,
                     message("Change of plan: " + proposal->proposer + " gives the " + r.host.name +
                             " learning session of " + month + ". Your proposal #" + std::to_string(previous->id) +
                             " stays open for a later one."));
    r.ctx.reply(r.in, "Picked #" + std::to_string(id) + " for " + month + "; it is announced in " + channels +
                          ".");
}

void list(learn_request& r) {
    const std::string zone = r.ctx.cfg.timezone_of(r.in.user);
    const std::string upcoming = learning_month(r.host, r.ctx.now());
    message m;
    m.header("Learning sessions \u2014 " + r.host.name);
    auto speaker = learning_speaker(r.ctx, r.host, upcoming);
    m.section("Next: " + learning_when(r.host, upcoming, zone) + " \u2014 " +
              (speaker ? speaker->proposer + ": " + shown_text(speaker->topic) : std::string("no speaker yet")) + ".");
    auto open = open_proposals(r.ctx, r.host);
    if (!open.empty()) {
        std::vector<std::string> items;
        for (const auto& p : open) items.push_back("#" + std::to_string(p.id) + " " + p.proposer + ": " + shown_text(p.topic));
        m.section("Proposed:");
        m.list(std::move(items));
    } else {
        m.context("No open proposals: /learn propose <topic>.");
    }
    std::vector<std::string> past;
    for (const auto& s : r.store.sessions(r.host.key)) {
        if (s.month >= upcoming) continue;
        auto p = r.store.find_proposal(s.proposal_id);
        past.push_back(format_local(learning_start(r.host, s.month), zone) + " \u2014 " +
                       (p ? p->proposer + ": " + shown_text(p->topic) : std::string("(proposal gone)")));
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
        ctx.reply(in, "I don't understand /learn " + clip_text(trim(cmd.rest(0)), 60) + ".\n" + usage);
        return;
    }
    if (sub == "list" && cmd.args.size() > 1) {
        ctx.reply(in, std::string("/learn list takes no arguments.\n") + usage);
        return;
    }
    const team_config* team = team_in_context(ctx, in);
    if (sub == "pick" && in.is_direct()) {
        // Proposal ids are global: in a DM, the proposal says whose session it is for.
        std::string word = cmd.arg(1);
        if (!word.empty() && word[0] == '#') word = word.substr(1);
        std::int64_t id = 0;
        auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), id);
        if (!word.empty() && ec == std::errc{} && end == word.data() + word.size() && id > 0) {
            if (auto proposal = eowd_store(ctx.db).find_proposal(id)) {
                // The asker's own teams (an org admin picks in the team's channel).
                for (const team_config* t : ctx.cfg.teams_of(in.user)) {
                    auto h = learning_host_of(ctx.cfg, *t);
                    if (h && h->key == proposal->team) {
                        team = t;
                        break;
                    }
                }
            }
        }
    }
    if (!team) {
        ctx.reply(in, "You are not in any ritualbot team, so there are no learning sessions for you.");
        return;
    }
    auto mine = ctx.cfg.teams_of(in.user);
    if (std::find(mine.begin(), mine.end(), team) == mine.end() && !ctx.cfg.is_admin(in.user)) {
        ctx.reply(in, "Only members and managers of " + team->name + " can use its learning sessions.");
        return;
    }
    auto host = learning_host_of(ctx.cfg, *team);
    if (!host) {
        ctx.reply(in, "Team " + team->name + " has no monthly learning session (the operator enables it with "
                      "[rituals.learning] enabled = true).");
        return;
    }
    learn_request r{ctx, in, std::move(*host), eowd_store(ctx.db)};
    if (sub == "propose") return propose(r, cmd);
    if (sub == "pick") return pick(r, cmd);
    list(r);
}

}  // namespace ritualbot
