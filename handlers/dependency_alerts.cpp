#include "handlers/dependency_alerts.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <set>

#include "handlers/context.hpp"
#include "handlers/text.hpp"
#include "handlers/dependency_detection.hpp"
#include "handlers/dependency_view.hpp"
#include "handlers/digest.hpp"
#include "handlers/week.hpp"
#include "handlers/weekly_update.hpp"
#include "storage/store.hpp"
#include "storage/weekly_update_store.hpp"

namespace ritualbot {
namespace {

// The week an alert about `dep` counts in: the consuming team's ISO week.
std::string alert_week(const handler_context& ctx, const dependency_row& dep) {
    return iso_week_key(ctx.now(), dependency_zone(ctx.cfg, dep));
}

std::string team_zone(const config& cfg, const std::string& team) {
    const team_config* t = cfg.find_team(team);
    return t ? t->timezone : "UTC";
}

// Managers of the listed teams, each once, in config order.
std::vector<std::string> managers_of(const config& cfg, std::initializer_list<std::string> teams) {
    std::vector<std::string> out;
    for (const auto& name : teams)
        if (const team_config* t = cfg.find_team(name))
            for (const auto& m : t->managers)
                if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    return out;
}

void post_to_teams(handler_context& ctx, std::initializer_list<std::string> teams, const message& m) {
    std::set<std::string> done;
    for (const auto& name : teams)
        if (const team_config* t = ctx.cfg.find_team(name))
            if (done.insert(t->name).second) ctx.post(*t, m);
}

// "bob: “blocked by platform on the token API”" cut to a readable length.
std::string clip(const std::string& s, std::size_t max) {
    if (s.size() <= max) return s;
    std::size_t cut = s.rfind(' ', max);
    if (cut == std::string::npos || cut < max / 2) cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
    return s.substr(0, cut) + "\u2026";
}

// The ready-made command line: the answer, without quotes, as the "what".
std::string register_line(const std::string& provider, const std::string& consumer, const std::string& answer) {
    std::string what;
    for (char c : clip(answer, 60))
        if (c != '"' && c != '\n' && c != '\r') what += c;
    return "/dep add " + provider + " -> " + consumer + " \"" + what + "\" type=blocking";
}

struct team_blocker {
    std::string member;
    std::string answer;
    std::string excerpt;
};

// The teams `update`'s risk answer names as blockers, each added to `out`
// unless an earlier member named it.
void add_blockers_named(handler_context& ctx, const team_config& team, const weekly_update_row& update,
                        std::vector<std::pair<std::string, team_blocker>>& out) {
    if (update.team != team.name || update.status == update_status::skipped) return;
    const std::string answer = risk_answer(update, ctx.cfg.questions_for(update.team, update.member));
    if (is_no_risk(answer)) return;
    for (const auto& m : find_blocker_mentions(answer, ctx.cfg, team.name)) {
        bool seen = false;
        for (const auto& [t, b] : out) seen = seen || t == m.team;
        // Found in the answer as written; quoted to the managers as others may see it.
        if (!seen) out.push_back({m.team, {update.member, shown_text(answer), shown_text(m.excerpt)}});
    }
}

// The teams named as blockers in `team`'s risk answers of `week`, with the
// first member who named each.
std::vector<std::pair<std::string, team_blocker>> blockers_reported(handler_context& ctx, const team_config& team,
                                                                    const std::string& week) {
    std::vector<std::pair<std::string, team_blocker>> out;
    // One statement for the whole team, not one per member.
    const auto written = weekly_update_store(ctx.db).find_updates(team.members, week);
    for (const auto& member : team.members)
        if (auto row = written.find(member); row != written.end()) add_blockers_named(ctx, team, row->second, out);
    return out;
}

bool registered(const std::vector<dependency_row>& deps, const std::string& provider, const std::string& consumer) {
    for (const auto& d : deps)
        if (d.provider == provider && d.consumer == consumer && d.status != dep_status::done) return true;
    return false;
}

}  // namespace

void check_dependency(handler_context& ctx, const dependency_row& dep) {
    if (dep.type != dep_type::blocking || !dep.open()) return;
    const date::sys_days today = dependency_today(ctx.cfg, dep, ctx.now());
    const auto days = days_until_due(dep, today);
    if (!days || *days > due_soon_days) return;
    dependency_store deps(ctx.db);
    const std::string week = alert_week(ctx, dep);
    const std::string subject = std::to_string(dep.id);

    const bool past = *days < 0;
    if (deps.claim_alert(past ? "past_due" : "due_soon", subject, week, ctx.now())) {
        message m;
        m.section(std::string(past ? "\u26A0\uFE0F Dependency past due: " : "\u23F0 Dependency due soon: ") +
                  short_text(dep));
        m.context(due_words(dep, today) + "; status " + to_string(dep.status) +
                  (dep.owner.empty() ? "; no owner" : "; owner " + user_mention(dep.owner)) + ". /dep status " + subject +
                  " available when it ships, /dep due " + subject + " YYYY-MM-DD for a new date.");
        post_to_teams(ctx, {dep.provider, dep.consumer}, m);
        if (!dep.owner.empty()) ctx.direct(dep.owner, m);
    }

    // A blocking dependency in progress past its due date: escalate.
    if (past && dep.status == dep_status::in_progress &&
        deps.claim_alert("stuck_overdue", subject, week, ctx.now())) {
        message m;
        m.section("\U0001F6A8 Escalation: " + short_text(dep) + " is still in progress, " + due_words(dep, today) +
                  ".");
        m.context("You manage " + dep.provider + " or " + dep.consumer +
                  ". Agree on a new date (/dep due " + subject + " YYYY-MM-DD) or a way around it.");
        for (const auto& manager : managers_of(ctx.cfg, {dep.provider, dep.consumer})) ctx.direct(manager, m);
    }
}

void check_bottleneck(handler_context& ctx, const std::string& provider) {
    if (ctx.cfg.org.admins.empty()) return;
    dependency_store deps(ctx.db);
    std::vector<dependency_row> open;
    for (auto& d : deps.involving(provider))
        if (d.provider == provider && d.type == dep_type::blocking && d.open()) open.push_back(std::move(d));
    if (open.size() < bottleneck_threshold) return;
    const std::string week = iso_week_key(ctx.now(), team_zone(ctx.cfg, provider));
    if (!deps.claim_alert("bottleneck", provider, week, ctx.now())) return;
    message m;
    m.section("\U0001F6A7 Bottleneck: " + std::to_string(open.size()) + " open blocking dependencies wait on " +
              provider + ".");
    std::vector<std::string> lines;
    for (const auto& d : open)
        lines.push_back(short_text(d) + " " + upper(to_string(risk_now(ctx.cfg, d, ctx.now()))));
    m.list(std::move(lines));
    m.context("A hub team everything flows through: consider moving this work up " + provider +
              "'s backlog, lending an engineer, or a self-service way around it. /dep graph " + provider +
              " shows the picture.");
    for (const auto& admin : ctx.cfg.org.admins) ctx.direct(admin, m);
}

namespace {

// The alerts `now_reported` (blockers named in `team`'s risk answers of
// `week`) may raise: a hidden dependency, and an escalation when the team
// named the same blocker the week before. Reading the week before is a read
// of the whole team: `whole_team` (the daily check) always does it; after
// one answer it is done once per blocker and week, and the daily check
// looks again.
void raise_blocker_alerts(handler_context& ctx, const team_config& team, const std::string& week,
                          const std::vector<std::pair<std::string, team_blocker>>& now_reported, bool whole_team) {
    if (now_reported.empty()) return;
    dependency_store deps(ctx.db);
    const auto all = deps.involving(team.name);
    std::optional<std::vector<std::pair<std::string, team_blocker>>> before;

    for (const auto& [provider, b] : now_reported) {
        const std::string subject = provider + "->" + team.name;
        // A suggestion dismissed before for the same pair and the same words is not made again.
        if (!registered(all, provider, team.name) && !deps.suggestion_dismissed(provider, team.name, b.excerpt) &&
            deps.claim_alert("hidden", subject, week, ctx.now())) {
            dependency_suggestion suggestion;
            suggestion.provider = provider;
            suggestion.consumer = team.name;
            suggestion.words = b.excerpt;
            suggestion.week = week;
            suggestion.member = b.member;
            suggestion.created_at = ctx.now();
            const std::string dismiss = "/dep dismiss " + std::to_string(deps.add_suggestion(suggestion));
            const std::string line = register_line(provider, team.name, b.answer);
            message m;
            m.section("\U0001F50E Possible hidden dependency: " + b.member + " wrote in their " + team.name +
                      " update for " + week + ": \u201C" + clip(b.answer, 200) + "\u201D");
            m.context("I read \u201C" + b.excerpt + "\u201D as " + team.name + " waiting on team " + provider +
                      ", but no dependency of " + team.name + " on " + provider +
                      " is registered. To register it, send:");
            m.section(line);
            m.context("Not a blocker? " + dismiss + " and I will not suggest it again for the same words.");
            m.actions({{"dep.register", "Register this dependency", line}, {"dep.dismiss", "Not a blocker", dismiss}});
            auto managers = managers_of(ctx.cfg, {team.name});
            if (managers.empty()) ctx.post(team, m);
            for (const auto& manager : managers) ctx.direct(manager, m);
        }
        if (deps.alert_claimed("stuck_blocker", subject, week)) continue;
        if (!whole_team && !deps.claim_alert("stuck_blocker_looked", subject, week, ctx.now())) continue;
        if (!before) before = blockers_reported(ctx, team, previous_week_key(week));
        bool reported_before = false;
        for (const auto& [p, earlier] : *before) reported_before = reported_before || p == provider;
        if (reported_before && deps.claim_alert("stuck_blocker", subject, week, ctx.now())) {
            message m;
            m.section("\U0001F6A8 Escalation: " + team.name + " has reported " + provider +
                      " as a blocker two weeks running (" + previous_week_key(week) + " and " + week + ").");
            m.context("This week: " + b.member + ", \u201C" + clip(b.answer, 160) +
                      "\u201D. You manage one of the two teams: talk it through and agree on a date or a way "
                      "around it.");
            for (const auto& manager : managers_of(ctx.cfg, {provider, team.name})) ctx.direct(manager, m);
        }
    }
}

}  // namespace

void check_team_updates(handler_context& ctx, const team_config& team, const std::string& week) {
    raise_blocker_alerts(ctx, team, week, blockers_reported(ctx, team, week), true);
}

void on_risk_answer(handler_context& ctx, const weekly_update_row& row) {
    const team_config* team = ctx.cfg.find_team(row.team);
    if (!team) return;
    // Only this answer changed, so only the teams it names can bring a new
    // alert: the team's other answers are not read (that read grows with the
    // team; 5,000 members in one team took 7 ms an answer). The daily
    // dependency check reads them all.
    std::vector<std::pair<std::string, team_blocker>> named;
    add_blockers_named(ctx, *team, row, named);
    raise_blocker_alerts(ctx, *team, row.week, named, false);
}

void dependency_check_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out) {
    weekly_calendars calendars(from, to);  // teams share zones: each zone's week once
    for (const auto& team : cfg.teams) {
        // Every day of the week at 09:00, through the same DST-safe weekly maths.
        for (unsigned weekday = 0; weekday < 7; ++weekday) {
            for (instant t : calendars.between(weekly_time{weekday, 9, 0}, team.timezone)) {
                out.push_back({"dependency_check", team.name, format_due_date(local_today(t, team.timezone)), t,
                               t + std::chrono::hours(24)});
            }
        }
    }
}

void run_dependency_check(handler_context& ctx, const job_occurrence& occ) {
    const team_config* team = ctx.cfg.find_team(occ.target);
    if (!team) return;
    dependency_store deps(ctx.db);
    for (const auto& d : deps.involving(team->name))
        if (d.consumer == team->name) check_dependency(ctx, d);
    check_bottleneck(ctx, team->name);
    check_team_updates(ctx, *team, open_week(ctx.cfg, *team, ctx.now()));
}

void dependency_digest_section(handler_context& ctx, const team_config& team, const std::string& week,
                               message& digest) {
    dependency_store deps(ctx.db);
    const auto all = deps.involving(team.name);
    if (all.empty()) return;
    // "This week" is the digest's own window: since the previous digest, so
    // what happens on a weekend after Friday's digest is in the next one.
    const instant from = digest_instant(ctx.cfg, team, previous_week_key(week));
    const instant to = digest_instant(ctx.cfg, team, week);
    auto in_window = [&](instant t) { return t > from && t <= to; };
    std::vector<std::string> fresh, high, resolved;
    for (const auto& d : all) {
        const dep_risk risk = risk_now(ctx.cfg, d, ctx.now());
        const std::string line = edge_text(d, risk) + " [#" + std::to_string(d.id) + ", " + to_string(d.status) + "]";
        if (in_window(d.created_at)) fresh.push_back(line);
        if (risk == dep_risk::high) high.push_back(line);
        if (d.resolved_at && in_window(*d.resolved_at)) resolved.push_back(line);
    }
    digest.divider();
    digest.section("Dependencies");
    if (fresh.empty() && high.empty() && resolved.empty()) {
        digest.context("No new, high-risk or resolved dependencies this week. /dep list " + team.name +
                       " shows them all.");
        return;
    }
    if (!fresh.empty()) {
        digest.context("New this week:");
        digest.list(std::move(fresh));
    }
    if (!high.empty()) {
        digest.context("Open, high risk:");
        digest.list(std::move(high));
    }
    if (!resolved.empty()) {
        digest.context("Resolved this week:");
        digest.list(std::move(resolved));
    }
}

}  // namespace ritualbot
