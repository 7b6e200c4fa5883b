#include "handlers/okr_checkin.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "handlers/command_line.hpp"
#include "handlers/okr.hpp"
#include "handlers/week.hpp"
#include "handlers/weekly_update.hpp"
#include "storage/store.hpp"

namespace ritualbot {
namespace {

constexpr std::size_t max_reply_length = 500;

// Everyone the config names, once, in file order: any of them may own a key
// result. Views of the config's strings.
std::vector<std::string_view> everyone(const config& cfg) {
    std::vector<std::string_view> out;
    std::unordered_set<std::string_view> seen;
    for (const auto& team : cfg.teams) {
        for (const auto& u : team.managers)
            if (seen.insert(u).second) out.push_back(u);
        for (const auto& u : team.members)
            if (seen.insert(u).second) out.push_back(u);
    }
    return out;
}

// The KRs the owner should check in on today: live, in their team's current period.
std::vector<okr_kr_row> due_key_results(handler_context& ctx, okr_store& okrs, const std::string& owner) {
    std::vector<okr_kr_row> out;
    const auto today = today_of(ctx, owner);
    for (auto& kr : okrs.owned_by(owner)) {
        const team_config* team = ctx.cfg.find_team(kr.team);
        if (!team) continue;
        if (current_period(okrs, ctx.cfg, *team, today).key == kr.period) out.push_back(std::move(kr));
    }
    return out;
}

message question(handler_context& ctx, okr_store& okrs, const okr_kr_row& kr) {
    const team_config* team = ctx.cfg.find_team(kr.team);
    message m;
    m.section(kr.id_text() + " " + kr.title + " (" + kr.team + "): now " + value_with_unit(kr.current, kr.unit) +
              ", target " + value_with_unit(kr.target, kr.unit) + ", from " + value_with_unit(kr.baseline, kr.unit) +
              ".");
    if (team) {
        const auto today = today_of(ctx, kr.owner);
        auto v = evaluate_kr(ctx.cfg, kr, current_period(okrs, ctx.cfg, *team, today), today, ctx.now());
        m.context("Progress " + format_percent(v.progress) + ", expected " + format_percent(v.expected) + ": " +
                  to_string(v.status) + ".");
    }
    m.context("Reply with the new value (a number, optionally followed by a comment), `same` to keep " +
              format_number(kr.current) + ", or `skip`.");
    return m;
}

// When the weekly update last asked this user something it still waits for.
std::optional<instant> weekly_update_waiting_since(handler_context& ctx, const std::string& user) {
    const team_config* team = ctx.cfg.home_team(user);
    if (!team) return std::nullopt;
    const std::string week = open_week(ctx.cfg, *team, ctx.now());
    auto row = ctx.db.find_update(user, week);
    if (!row || !awaiting_answer(*row)) return std::nullopt;  // skipped, or nothing pending
    instant since = row->updated_at;
    for (const char* kind : {"weekly_prompt", "weekly_reminder"})
        if (auto t = ctx.db.job_ran_at(kind, user, week)) since = std::max(since, *t);
    return since;
}

}  // namespace

// Runs on every scheduler pass: a minute's window mostly finds nobody, so the
// per-person work is two lookups; the calendar is computed per zone.
void okr_checkin_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out) {
    // Nobody is looked at when no zone in use reaches the check-in time in the window.
    if (!may_fall_in_any_zone(cfg, {cfg.okr.checkin}, from, to)) return;
    weekly_calendars calendars(from, to);
    for (std::string_view user : everyone(cfg)) {
        const std::string_view zone = cfg.zone_of(user);
        for (instant t : calendars.between(cfg.okr.checkin, zone))
            out.push_back({"okr_checkin", std::string(user), iso_week_key(t, std::string(zone)), t,
                           t + cfg.okr.checkin_open_for});
    }
}

void run_okr_checkin(handler_context& ctx, const job_occurrence& occ) {
    okr_store okrs(ctx.db);
    auto krs = due_key_results(ctx, okrs, occ.target);
    okrs.clear_checkins(occ.target);  // last week's unanswered questions are moot
    if (krs.empty()) return;
    const instant expires = ctx.now() + ctx.cfg.okr.checkin_open_for;
    for (const auto& kr : krs) okrs.ask_checkin(occ.target, kr.id, ctx.now(), expires);
    message m;
    m.header("OKR check-in \u2014 week " + occ.period);
    m.section(krs.size() == 1 ? std::string("You own one key result. What is its value now?")
                              : "You own " + std::to_string(krs.size()) +
                                    " key results; I'll ask for each in turn. What is the value now?");
    m.append(question(ctx, okrs, krs.front()));
    m.context("Open until " + format_local(expires, ctx.cfg.timezone_of(occ.target)) +
              "; /okr set " + krs.front().id_text() + " <value> works at any time.");
    ctx.direct(occ.target, std::move(m));
}

bool handle_okr_checkin_reply(handler_context& ctx, const incoming& in) {
    okr_store okrs(ctx.db);
    auto pending = okrs.pending_checkins(in.user, ctx.now());
    if (pending.empty()) return false;
    const std::string text = trim(in.text);
    if (text.empty()) return false;

    auto kr = okrs.find_kr_by_id(pending.front().kr_id);
    if (!kr) return false;
    const std::string lowered = to_lower(text);
    const std::string first_word = text.substr(0, text.find_first_of(" \t\r\n"));
    std::string number_word = first_word;
    if (!kr->unit.empty() && number_word.size() > kr->unit.size() && number_word.ends_with(kr->unit))
        number_word.resize(number_word.size() - kr->unit.size());
    auto value = parse_number(number_word);
    const bool is_answer = value || lowered == "same" || lowered == "skip";

    auto weekly = weekly_update_waiting_since(ctx, in.user);
    if (weekly && (*weekly > pending.front().asked_at || !is_answer)) return false;

    if (!is_answer) {
        message m;
        m.section("I'm waiting for the new value of " + kr->id_text() + " " + kr->title + " (now " +
                  value_with_unit(kr->current, kr->unit) + ").");
        m.context("Reply with a number such as `" + format_number(kr->target) +
                  "`, optionally followed by a comment, `same` to keep " + format_number(kr->current) +
                  ", or `skip`. /okr help lists the OKR commands.");
        ctx.reply(in, std::move(m));
        return true;
    }
    if (text.size() > max_reply_length) {
        ctx.reply(in, "That is " + std::to_string(text.size()) + " characters long; keep the comment under " +
                          std::to_string(max_reply_length) + ".");
        return true;
    }

    message m;
    if (lowered == "skip") {
        m.context("Skipped " + kr->id_text() + " for this week.");
    } else {
        const double v = value ? *value : kr->current;
        const std::string comment = value ? trim(text.substr(first_word.size())) : std::string();
        okrs.record_checkin(kr->id, v, in.user, ctx.now(), comment);
        auto updated = okrs.find_kr_by_id(kr->id);
        std::string status;
        if (const team_config* team = ctx.cfg.find_team(kr->team)) {
            const auto today = today_of(ctx, in.user);
            auto view = evaluate_kr(ctx.cfg, *updated, current_period(okrs, ctx.cfg, *team, today), today, ctx.now());
            status = " Progress " + format_percent(view.progress) + ", expected " + format_percent(view.expected) +
                     ": " + to_string(view.status) + ".";
        }
        m.section((value ? "Recorded " : "Kept ") + kr->id_text() + " at " + value_with_unit(v, kr->unit) + "." +
                  status);
    }
    okrs.clear_checkin(kr->id);
    pending.erase(pending.begin());
    std::optional<okr_kr_row> next;
    while (!pending.empty() && !(next = okrs.find_kr_by_id(pending.front().kr_id))) pending.erase(pending.begin());
    if (next) m.append(question(ctx, okrs, *next));
    else m.context("That was the last one; thanks for checking in.");
    ctx.reply(in, std::move(m));
    return true;
}

}  // namespace ritualbot
