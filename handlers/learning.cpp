#include "handlers/learning.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "handlers/context.hpp"
#include "handlers/text.hpp"
#include "handlers/eowd.hpp"
#include "handlers/week.hpp"
#include "storage/eowd_store.hpp"

namespace ritualbot {
namespace {

bool parse_month(const std::string& s, date::year_month& out) {
    if (s.size() != 7 || s[4] != '-') return false;
    int year = 0;
    unsigned month = 0;
    for (int i = 0; i < 4; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        year = year * 10 + (s[i] - '0');
    }
    for (int i = 5; i < 7; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        month = month * 10 + static_cast<unsigned>(s[i] - '0');
    }
    if (month < 1 || month > 12) return false;
    out = date::year{year} / date::month{month};
    return true;
}

date::year_month must_parse(const std::string& s) {
    date::year_month ym;
    if (!parse_month(s, ym)) throw std::invalid_argument("not a month key: '" + s + "'");
    return ym;
}

std::string key_of(date::year_month ym) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()));
    return buf;
}

// The session's local date and time.
date::local_seconds local_start(const learning_config& l, const std::string& month) {
    const date::year_month ym = must_parse(month);
    const date::weekday wd{l.at.weekday};
    date::sys_days day =
        l.at.ordinal < 0 ? date::sys_days{ym.year() / ym.month() / date::weekday_last{wd}}
                         : date::sys_days{ym.year() / ym.month() / date::weekday_indexed{wd, static_cast<unsigned>(l.at.ordinal)}};
    return date::local_seconds{(day + std::chrono::hours(l.at.hour) + std::chrono::minutes(l.at.minute)).time_since_epoch()};
}

instant to_instant(date::local_seconds local, const std::string& zone) {
    // As in week.cpp: a skipped time maps to the end of the gap, a repeated one to its first occurrence.
    return date::locate_zone(zone)->to_sys(local, date::choose::earliest);
}

}  // namespace

bool valid_month_key(const std::string& month) {
    date::year_month ym;
    return parse_month(month, ym);
}

std::string month_key_of(instant t, const std::string& zone) {
    auto local = date::locate_zone(zone)->to_local(t);
    date::year_month_day ymd{date::floor<date::days>(local)};
    return key_of(ymd.year() / ymd.month());
}

std::string next_month_key(const std::string& month) { return key_of(must_parse(month) + date::months{1}); }
std::string previous_month_key(const std::string& month) { return key_of(must_parse(month) - date::months{1}); }

bool learning_host::includes(const team_config& team) const {
    for (const team_config* t : teams)
        if (t == &team) return true;
    return false;
}

bool learning_host::may_pick(const config& cfg, const std::string& user) const {
    if (cfg.is_admin(user)) return true;
    for (const team_config* t : teams)
        if (cfg.is_manager(user, *t)) return true;
    return false;
}

std::vector<learning_host> learning_hosts(const config& cfg) {
    std::vector<learning_host> out;
    if (cfg.learning.across_teams) {
        learning_host shared{"*", "all teams", cfg.learning.timezone, cfg.learning, {}};
        for (const auto& team : cfg.teams)
            if (cfg.learning_of(team).enabled) shared.teams.push_back(&team);
        if (shared.teams.empty()) return out;
        if (shared.timezone.empty()) shared.timezone = shared.teams.front()->timezone;
        out.push_back(std::move(shared));
        return out;
    }
    for (const auto& team : cfg.teams)
        if (cfg.learning_of(team).enabled)
            out.push_back({team.name, team.name, team.timezone, cfg.learning_of(team), {&team}});
    return out;
}

std::optional<learning_host> learning_host_of(const config& cfg, const team_config& team) {
    for (auto& host : learning_hosts(cfg))
        if (host.includes(team)) return std::move(host);
    return std::nullopt;
}

std::optional<learning_host> learning_host_by_key(const config& cfg, const std::string& key) {
    for (auto& host : learning_hosts(cfg))
        if (host.key == key) return std::move(host);
    return std::nullopt;
}

instant learning_start(const learning_host& host, const std::string& month) {
    return to_instant(local_start(host.settings, month), host.timezone);
}

instant learning_call_instant(const learning_host& host, const std::string& month) {
    // Whole local days before, so the call comes at the session's local time of day.
    return to_instant(local_start(host.settings, month) - date::days{host.settings.call_days_before}, host.timezone);
}

std::string learning_month(const learning_host& host, instant t) {
    std::string month = month_key_of(t, host.timezone);
    if (t >= learning_start(host, month)) month = next_month_key(month);
    return month;
}

std::string learning_when(const learning_host& host, const std::string& month, const std::string& zone,
                          bool with_format) {
    const auto length = host.settings.length;
    std::string out = format_local(learning_start(host, month), zone) + " (" + spoken_duration(length);
    if (with_format && length >= std::chrono::minutes(45)) out += ": a talk of 30\u201345 minutes, then Q&A";
    return out + ")";
}

namespace {

// Every session month whose jobs could fall in (from, to]: a call comes at
// most 27 days before its session, so a month of margin on each side.
template <typename Each>
void for_enabled_months(const config& cfg, instant from, instant to, Each each) {
    for (const learning_host& host : learning_hosts(cfg)) {
        std::string month = previous_month_key(month_key_of(from, host.timezone));
        const std::string last = next_month_key(next_month_key(month_key_of(to, host.timezone)));
        for (int guard = 0; guard < 2400; ++guard) {
            each(host, month);
            if (month == last) break;
            month = next_month_key(month);
        }
    }
}

}  // namespace

void learning_call_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out) {
    for_enabled_months(cfg, from, to, [&](const learning_host& host, const std::string& month) {
        const instant t = learning_call_instant(host, month);
        if (t > from && t <= to) out.push_back({"learning_call", host.key, month, t, learning_start(host, month)});
    });
}

void learning_reminder_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out) {
    for_enabled_months(cfg, from, to, [&](const learning_host& host, const std::string& month) {
        const instant start = learning_start(host, month);
        const instant t = start - host.settings.remind_before;
        if (t > from && t <= to) out.push_back({"learning_reminder", host.key, month, t, start});
    });
}

std::optional<learning_proposal_row> learning_speaker(handler_context& ctx, const learning_host& host,
                                                      const std::string& month) {
    eowd_store store(ctx.db);
    auto picked = store.session(host.key, month);
    return picked ? store.find_proposal(picked->proposal_id) : std::nullopt;
}

std::vector<learning_proposal_row> open_proposals(handler_context& ctx, const learning_host& host) {
    eowd_store store(ctx.db);
    std::vector<learning_proposal_row> out;
    auto sessions = store.sessions(host.key);
    for (auto& p : store.proposals(host.key)) {
        bool picked = false;
        for (const auto& s : sessions) picked |= s.proposal_id == p.id;
        if (!picked) out.push_back(std::move(p));
    }
    return out;
}

void learning_schedule_lines(handler_context& ctx, const team_config& team, const std::string& zone,
                             std::vector<std::string>& lines) {
    auto host = learning_host_of(ctx.cfg, team);
    if (!host) return;
    const std::string month = learning_month(*host, ctx.now());
    std::string line = "Next " + host->name + " learning session: " + learning_when(*host, month, zone);
    if (auto proposal = learning_speaker(ctx, *host, month))
        line += ", " + proposal->proposer + " on \u201C" + shown_text(proposal->topic) + "\u201D.";
    else line += "; no speaker yet (/learn propose).";
    // A shared session is listed once, not once per team of the asker.
    if (std::find(lines.begin(), lines.end(), line) == lines.end()) lines.push_back(std::move(line));
}

}  // namespace ritualbot
