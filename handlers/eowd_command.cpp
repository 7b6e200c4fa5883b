// /eowd signup <topic> [-- <input wanted>] | withdraw | list | help
#include <algorithm>

#include "handlers/commands.hpp"
#include "handlers/eowd.hpp"
#include "handlers/week.hpp"
#include "storage/store.hpp"

namespace ritualbot {
namespace {

const char* const usage =
    "Usage:\n"
    "  /eowd signup [kind=<kind>] <topic> [-- <input wanted>]\n"
    "                    present at this week's EOWD (again: change your topic); the kind is\n"
    "                    notebook, pull-request, document, data-set or other\n"
    "  /eowd withdraw    give your slot (or waitlist place) back\n"
    "  /eowd list        the agenda and the waitlist\n"
    "  /eowd help";

const char* const help_text =
    "End of Week Debrief: an hour where each presenter shares about 10 minutes of the week's work \u2014 a "
    "notebook, a pull request, a document, a data set \u2014 and says up front what input they want from the "
    "team.\n"
    "/eowd signup <topic> [-- <input wanted>] \u2014 take the next free slot, or a place on the waitlist when the "
    "slots are full; signing up again changes your topic, e.g. /eowd signup Dedup pipeline -- is the sampling "
    "sound? Say what it is with kind= first: /eowd signup kind=notebook Ranking model (notebook, pull-request, "
    "document, data-set, other).\n"
    "/eowd withdraw \u2014 free your slot; those after you move up and the first person on the waitlist steps in, each told the new time\n"
    "/eowd list \u2014 the slots, presenters, topics and waitlist of the coming EOWD\n"
    "The invitation is posted when sign-ups open, the agenda when they close, and presenters get a reminder "
    "before it starts. Type the command in a team's channel to sign up for that team's EOWD.";

constexpr std::size_t max_topic_length = eowd_max_topic_length;
constexpr std::size_t max_input_length = eowd_max_input_length;

struct eowd_request {
    handler_context& ctx;
    const incoming& in;
    const team_config& team;
    std::string week;
    eowd_store eowds;
};

// Newlines and tabs become spaces: a topic is one line in the agenda.
std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    return trim(s);
}

std::string unquote(std::string s) {
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    return trim(s);
}

// "topic -- input" (also with an em dash, which phones make of "--").
void split_topic(const std::string& text, std::string& topic, std::string& input) {
    std::size_t at = std::string::npos, len = 0;
    for (const std::string sep : {"--", "\u2014"}) {
        std::size_t p = text.find(sep);
        if (p != std::string::npos && p < at) {
            at = p;
            len = sep.size();
        }
    }
    if (at == std::string::npos) {
        topic = unquote(one_line(text));
        input.clear();
        return;
    }
    topic = unquote(one_line(text.substr(0, at)));
    input = unquote(one_line(text.substr(at + len)));
}

std::string slot_phrase(eowd_request& r, std::size_t slot, const std::string& user) {
    const std::string zone = r.ctx.cfg.timezone_of(user);
    return "slot " + std::to_string(slot + 1) + " at " +
           format_local(eowd_slot_start(r.ctx.cfg, r.team, r.week, slot), zone);
}

std::size_t index_of(const std::vector<eowd_signup_row>& rows, const std::string& member) {
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].member == member) return i;
    return rows.size();
}

void signup(eowd_request& r, const std::string& topic, const std::string& input, const std::string& kind) {
    const eowd_phase phase = eowd_phase_at(r.ctx.cfg, r.team, r.week, r.ctx.now());
    const std::string zone = r.ctx.cfg.timezone_of(r.in.user);
    if (phase == eowd_phase::not_open) {
        r.ctx.reply(r.in, "Sign-ups for the " + r.team.name + " EOWD on " +
                              format_local(eowd_start(r.ctx.cfg, r.team, r.week), zone) + " open " +
                              format_local(eowd_opens(r.ctx.cfg, r.team, r.week), zone) + ".");
        return;
    }
    if (phase == eowd_phase::closed) {
        r.ctx.reply(r.in, "Sign-ups for the " + r.team.name + " EOWD on " +
                              format_local(eowd_start(r.ctx.cfg, r.team, r.week), zone) + " closed at " +
                              format_local(eowd_closes(r.ctx.cfg, r.team, r.week), zone) +
                              " and the agenda is posted. Sign-ups for the next one open " +
                              format_local(eowd_opens(r.ctx.cfg, r.team, next_week_key(r.week)), zone) + ".");
        return;
    }
    if (topic.empty()) {
        r.ctx.reply(r.in, std::string("Tell me what you will present: /eowd signup <topic> [-- <input wanted>], e.g. "
                                      "/eowd signup Dedup pipeline -- is the sampling sound?\n") +
                              usage);
        return;
    }
    if (!kind.empty() && std::find(eowd_kinds().begin(), eowd_kinds().end(), kind) == eowd_kinds().end()) {
        r.ctx.reply(r.in, "'" + clip_text(kind, 40) +
                              "' is not a kind of presentation; the kinds are notebook, pull-request, document, "
                              "data-set and other. Nothing was saved.");
        return;
    }
    if (text_length(topic) > max_topic_length || text_length(input) > max_input_length) {
        r.ctx.reply(r.in, "That is too long: a topic has at most " + std::to_string(max_topic_length) +
                              " characters and the input wanted at most " + std::to_string(max_input_length) +
                              ". Nothing was saved.");
        return;
    }

    auto existing = r.eowds.find_signup(r.team.name, r.week, r.in.user);
    eowd_signup_row row = existing.value_or(eowd_signup_row{});
    if (!existing) {
        row.team = r.team.name;
        row.week = r.week;
        row.member = r.in.user;
        row.created_at = r.ctx.now();
    }
    row.topic = topic;
    row.input_wanted = input;
    if (!kind.empty() || !existing) row.kind = kind;  // the command has no kind: keep the form's
    row.updated_at = r.ctx.now();
    r.eowds.save_signup(row);

    const eowd_lineup lineup = eowd_lineup_of(r.ctx, r.team, r.week);
    message m;
    const std::size_t slot = index_of(lineup.presenters, r.in.user);
    if (slot < lineup.presenters.size()) {
        m.section(std::string(existing ? "Updated: " : "You're on the agenda: ") + slot_phrase(r, slot, r.in.user) +
                  " at the " + r.team.name + " EOWD, \u201C" + topic + "\u201D.");
    } else {
        const std::size_t place = index_of(lineup.waitlist, r.in.user) + 1;
        m.section(std::string(existing ? "Updated your topic: \u201C" + topic + "\u201D. " : "") + "All " +
                  std::to_string(lineup.presenters.size()) + " slots of the " + r.team.name +
                  " EOWD are taken: you are number " + std::to_string(place) +
                  " on the waitlist. I'll tell you if a slot frees up.");
    }
    if (input.empty())
        m.context("Tip: say what input you want from the team: /eowd signup " + topic + " -- <input wanted>");
    else
        m.context("Input wanted: " + input);
    r.ctx.reply(r.in, std::move(m));
}

void withdraw(eowd_request& r) {
    const eowd_lineup before = eowd_lineup_of(r.ctx, r.team, r.week);
    const std::size_t slot = index_of(before.presenters, r.in.user);
    const bool waiting = index_of(before.waitlist, r.in.user) < before.waitlist.size();
    if (slot == before.presenters.size() && !waiting) {
        r.ctx.reply(r.in, "You are not signed up for the " + r.team.name + " EOWD on " +
                              format_local(eowd_start(r.ctx.cfg, r.team, r.week), r.ctx.cfg.timezone_of(r.in.user)) +
                              ", so there is nothing to withdraw.");
        return;
    }
    r.eowds.remove_signup(r.team.name, r.week, r.in.user);
    if (waiting) {
        r.ctx.reply(r.in, "You are off the waitlist of the " + r.team.name + " EOWD.");
        return;
    }
    r.ctx.reply(r.in, "You withdrew from the " + r.team.name + " EOWD; your slot is free.");

    const eowd_lineup after = eowd_lineup_of(r.ctx, r.team, r.week);
    // The presenters after the freed slot move up one: each is told the new time.
    for (std::size_t i = slot + 1; i < before.presenters.size(); ++i) {
        const std::string& who = before.presenters[i].member;
        const std::size_t new_slot = index_of(after.presenters, who);
        if (new_slot >= after.presenters.size() || new_slot == i) continue;
        message m;
        m.section("A presenter withdrew from the " + r.team.name + " EOWD, so you move up: you present " +
                  slot_phrase(r, new_slot, who) + ", \u201C" + before.presenters[i].topic + "\u201D.");
        r.ctx.direct(who, std::move(m));
    }
    const bool promoted = !before.waitlist.empty();
    if (promoted) {
        const std::string& who = before.waitlist.front().member;
        const std::size_t new_slot = index_of(after.presenters, who);
        message m;
        m.section("A slot freed up at the " + r.team.name + " EOWD: you present, " +
                  slot_phrase(r, new_slot, who) + ", \u201C" + before.waitlist.front().topic + "\u201D.");
        m.context("Can't make it after all? /eowd withdraw gives the slot to the next person.");
        r.ctx.direct(who, std::move(m));
    }
    // Once the agenda is out, the team hears about the change too.
    if (r.ctx.db.job_ran("eowd_close", r.team.name, r.week)) {
        message m;
        if (after.presenters.empty()) {
            m.section("Agenda change: " + r.in.user + " withdrew and nobody else signed up, so there is no " +
                      r.team.name + " EOWD this week.");
        } else {
            m.section("Agenda change: " + r.in.user + " withdrew" +
                      (promoted ? "; " + before.waitlist.front().member + " steps in from the waitlist" : "") +
                      ". The agenda now:");
            m.list(eowd_agenda_lines(r.ctx.cfg, r.team, r.week, after));
        }
        r.ctx.post(r.team, std::move(m));
    }
}

void list(eowd_request& r) {
    const std::string zone = r.ctx.cfg.timezone_of(r.in.user);
    const auto& e = r.ctx.cfg.eowd_of(r.team);
    const eowd_lineup lineup = eowd_lineup_of(r.ctx, r.team, r.week);
    message m;
    m.header("EOWD \u2014 " + r.team.name + ", " + format_local(eowd_start(r.ctx.cfg, r.team, r.week), zone));
    switch (eowd_phase_at(r.ctx.cfg, r.team, r.week, r.ctx.now())) {
        case eowd_phase::not_open:
            m.context("Sign-ups open " + format_local(eowd_opens(r.ctx.cfg, r.team, r.week), zone) + ".");
            break;
        case eowd_phase::open:
            m.context("Sign-ups are open until " + format_local(eowd_closes(r.ctx.cfg, r.team, r.week), zone) + ". " +
                      std::to_string(e.slots - static_cast<int>(lineup.presenters.size())) + " of " +
                      std::to_string(e.slots) + " slots free.");
            break;
        case eowd_phase::closed: m.context("Sign-ups are closed; this is the agenda."); break;
    }
    if (lineup.presenters.empty()) {
        m.section("Nobody has signed up yet.");
    } else {
        m.section("Slots (times in " + r.team.timezone + "):");
        m.list(eowd_agenda_lines(r.ctx.cfg, r.team, r.week, lineup));
    }
    if (!lineup.waitlist.empty()) {
        std::vector<std::string> waiting;
        for (std::size_t i = 0; i < lineup.waitlist.size(); ++i)
            waiting.push_back(std::to_string(i + 1) + ". " + lineup.waitlist[i].member + ": " +
                              lineup.waitlist[i].topic);
        m.section("Waitlist:");
        m.list(std::move(waiting));
    }
    r.ctx.reply(r.in, std::move(m));
}

}  // namespace

const std::vector<std::string>& eowd_kinds() {
    static const std::vector<std::string> kinds{"notebook", "pull request", "document", "data set", "other"};
    return kinds;
}

// The team an /eowd command (or the Slack modal) is about, after the checks;
// null (and a reply saying why) when there is none.
static const team_config* eowd_team(handler_context& ctx, const incoming& in) {
    const team_config* team = team_in_context(ctx, in);
    if (!team) {
        ctx.reply(in, "You are not in any ritualbot team, so there is no EOWD for you.");
        return nullptr;
    }
    auto mine = ctx.cfg.teams_of(in.user);
    if (std::find(mine.begin(), mine.end(), team) == mine.end()) {
        ctx.reply(in, "Only members and managers of " + team->name + " can use its EOWD.");
        return nullptr;
    }
    if (!ctx.cfg.eowd_of(*team).enabled) {
        ctx.reply(in, "Team " + team->name + " has no End of Week Debrief (the operator enables it with "
                      "[rituals.eowd] enabled = true).");
        return nullptr;
    }
    return team;
}

void eowd_sign_up(handler_context& ctx, const incoming& in, const std::string& topic, const std::string& input_wanted,
                  const std::string& kind) {
    const team_config* team = eowd_team(ctx, in);
    if (!team) return;
    eowd_request r{ctx, in, *team, eowd_week(ctx.cfg, *team, ctx.now()), eowd_store(ctx.db)};
    signup(r, one_line(topic), one_line(input_wanted), kind);
}

void handle_eowd_command(handler_context& ctx, const incoming& in, const command_line& cmd) {
    const std::string sub = to_lower(cmd.arg(0));
    if (sub.empty() || sub == "help") return ctx.reply(in, help_text);
    if (sub != "signup" && sub != "withdraw" && sub != "list") {
        ctx.reply(in, "I don't understand /eowd " + clip_text(trim(cmd.rest(0)), 60) + ".\n" + usage);
        return;
    }
    if ((sub == "withdraw" || sub == "list") && cmd.args.size() > 1) {
        ctx.reply(in, "/eowd " + sub + " takes no arguments.\n" + usage);
        return;
    }
    if (sub == "signup") {
        // An optional kind first: kind=notebook, kind=pull-request, ...
        std::string kind;
        std::size_t first = 1;
        if (to_lower(cmd.arg(1)).starts_with("kind=")) {
            kind = to_lower(cmd.arg(1).substr(5));
            std::replace(kind.begin(), kind.end(), '-', ' ');
            std::replace(kind.begin(), kind.end(), '_', ' ');
            if (kind.empty()) kind = "?";
            first = 2;
        }
        std::string topic, input;
        split_topic(cmd.rest(first), topic, input);
        return eowd_sign_up(ctx, in, topic, input, kind);
    }
    const team_config* team = eowd_team(ctx, in);
    if (!team) return;
    eowd_request r{ctx, in, *team, eowd_week(ctx.cfg, *team, ctx.now()), eowd_store(ctx.db)};
    if (sub == "withdraw") return withdraw(r);
    list(r);
}

}  // namespace ritualbot
