#include "handlers/learning.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <cstdio>
#include <stdexcept>

#include "handlers/context.hpp"
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

instant learning_start(const config& cfg, const team_config& team, const std::string& month) {
    return to_instant(local_start(cfg.learning_of(team), month), team.timezone);
}

instant learning_call_instant(const config& cfg, const team_config& team, const std::string& month) {
    const learning_config& l = cfg.learning_of(team);
    // Whole local days before, so the call comes at the session's local time of day.
    return to_instant(local_start(l, month) - date::days{l.call_days_before}, team.timezone);
}

std::string learning_month(const config& cfg, const team_config& team, instant t) {
    std::string month = month_key_of(t, team.timezone);
    if (t >= learning_start(cfg, team, month)) month = next_month_key(month);
    return month;
}

std::string learning_when(const config& cfg, const team_config& team, const std::string& month,
                          const std::string& zone) {
    const auto length = cfg.learning_of(team).length;
    std::string out = format_local(learning_start(cfg, team, month), zone) + " (" + format_duration(length);
    if (length >= std::chrono::minutes(45)) out += ": a talk of 30\u201345 minutes, then Q&A";
    return out + ")";
}

namespace {

// Every session month whose jobs could fall in (from, to]: a call comes at
// most 27 days before its session, so a month of margin on each side.
template <typename Each>
void for_enabled_months(const config& cfg, instant from, instant to, Each each) {
    for (const auto& team : cfg.teams) {
        if (!cfg.learning_of(team).enabled) continue;
        std::string month = previous_month_key(month_key_of(from, team.timezone));
        const std::string last = next_month_key(next_month_key(month_key_of(to, team.timezone)));
        for (int guard = 0; guard < 2400; ++guard) {
            each(team, month);
            if (month == last) break;
            month = next_month_key(month);
        }
    }
}

}  // namespace

void learning_call_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out) {
    for_enabled_months(cfg, from, to, [&](const team_config& team, const std::string& month) {
        const instant t = learning_call_instant(cfg, team, month);
        if (t > from && t <= to) out.push_back({"learning_call", team.name, month, t, learning_start(cfg, team, month)});
    });
}

void learning_reminder_occurrences(const config& cfg, instant from, instant to, std::vector<job_occurrence>& out) {
    for_enabled_months(cfg, from, to, [&](const team_config& team, const std::string& month) {
        const instant start = learning_start(cfg, team, month);
        const instant t = start - cfg.learning_of(team).remind_before;
        if (t > from && t <= to) out.push_back({"learning_reminder", team.name, month, t, start});
    });
}

std::optional<learning_proposal_row> learning_speaker(handler_context& ctx, const team_config& team,
                                                      const std::string& month) {
    eowd_store store(ctx.db);
    auto picked = store.session(team.name, month);
    return picked ? store.find_proposal(picked->proposal_id) : std::nullopt;
}

std::vector<learning_proposal_row> open_proposals(handler_context& ctx, const team_config& team) {
    eowd_store store(ctx.db);
    std::vector<learning_proposal_row> out;
    auto sessions = store.sessions(team.name);
    for (auto& p : store.proposals(team.name)) {
        bool picked = false;
        for (const auto& s : sessions) picked |= s.proposal_id == p.id;
        if (!picked) out.push_back(std::move(p));
    }
    return out;
}

void learning_schedule_lines(handler_context& ctx, const team_config& team, const std::string& zone,
                             std::vector<std::string>& lines) {
    if (!ctx.cfg.learning_of(team).enabled) return;
    const std::string month = learning_month(ctx.cfg, team, ctx.now());
    std::string line = "Next " + team.name + " learning session: " + learning_when(ctx.cfg, team, month, zone);
    if (auto proposal = learning_speaker(ctx, team, month))
        line += ", " + proposal->proposer + " on \u201C" + proposal->topic + "\u201D.";
    else line += "; no speaker yet (/learn propose).";
    lines.push_back(std::move(line));
}

}  // namespace ritualbot
