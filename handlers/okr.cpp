#include "handlers/okr.hpp"

#include <algorithm>
#include <charconv>

#include "handlers/command_line.hpp"
#include "handlers/text.hpp"

namespace ritualbot {
namespace {

std::optional<int> small_number(std::string_view s) {
    int v = 0;
    if (s.empty() || s.size() > 4) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < 1) return std::nullopt;
    return v;
}

bool listed(const std::vector<std::string>& list, const std::string& user) {
    return std::find(list.begin(), list.end(), user) != list.end();
}

// Titles are cut in tables so that a long one does not stretch every row.
std::string shorten(const std::string& s, std::size_t max_code_points) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && n++ == max_code_points)
            return s.substr(0, i) + "\u2026";
    }
    return s;
}

}  // namespace

okr_period current_period(okr_store& okrs, const config& cfg, const team_config& team, date::year_month_day d) {
    for (const auto& row : okrs.periods(team.name)) {
        auto first = parse_date(row.first_day), last = parse_date(row.last_day);
        if (first && last && *first <= d && d <= *last) return {row.key, *first, *last};
    }
    return calendar_period(d, cfg.okr.period);
}

date::year_month_day today_of(const handler_context& ctx, const std::string& user) {
    return local_date(ctx.now(), ctx.cfg.timezone_of(user));
}

bool can_view_okrs(const config& cfg, const std::string& user, const team_config& team) {
    return listed(team.members, user) || listed(team.managers, user) || cfg.is_admin(user);
}

std::vector<const team_config*> okr_visible_teams(const config& cfg, const std::string& user) {
    std::vector<const team_config*> out;
    for (const auto& team : cfg.teams)
        if (can_view_okrs(cfg, user, team)) out.push_back(&team);
    return out;
}

bool can_manage_okrs(const config& cfg, const std::string& user, const team_config& team) {
    return cfg.is_manager(user, team);
}

bool can_set_kr(const config& cfg, const std::string& user, const team_config& team, const okr_kr_row& kr) {
    return (!kr.owner.empty() && kr.owner == user) || can_manage_okrs(cfg, user, team);
}

std::optional<int> parse_objective_id(std::string_view s) {
    if (s.size() < 2 || (s[0] != 'O' && s[0] != 'o')) return std::nullopt;
    return small_number(s.substr(1));
}

std::optional<std::pair<int, int>> parse_kr_id(std::string_view s) {
    if (s.size() < 5 || to_lower(s.substr(0, 2)) != "kr") return std::nullopt;
    s.remove_prefix(2);
    auto dot = s.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    auto o = small_number(s.substr(0, dot)), k = small_number(s.substr(dot + 1));
    if (!o || !k) return std::nullopt;
    return std::pair{*o, *k};
}

kr_view evaluate_kr(const config& cfg, const okr_kr_row& kr, const okr_period& period, date::year_month_day d,
                    instant now) {
    kr_view v;
    v.kr = kr;
    v.progress = kr_progress(kr.baseline, kr.target, kr.current);
    v.expected = expected_progress(period, d);
    v.status = classify(v.progress, v.expected, cfg.okr);
    const instant last = kr.last_checkin.value_or(kr.created_at);
    v.stale = v.status != kr_status::done && now - last >= std::chrono::days(cfg.okr.stale_days);
    v.binary = is_binary_kr(kr.baseline, kr.target, kr.unit);
    return v;
}

std::vector<objective_view> evaluate_team(okr_store& okrs, const config& cfg, const team_config& team,
                                          const okr_period& period, date::year_month_day d, instant now) {
    std::vector<objective_view> out;
    for (auto& objective : okrs.objectives(team.name, period.key, false)) {
        objective_view ov{objective, {}};
        for (const auto& kr : okrs.key_results(objective.id)) ov.key_results.push_back(evaluate_kr(cfg, kr, period, d, now));
        out.push_back(std::move(ov));
    }
    return out;
}

std::vector<std::string> okr_warnings(const config& cfg, const okr_period& period,
                                      const std::vector<objective_view>& objectives) {
    std::vector<std::string> out;
    if (objectives.empty()) {
        out.push_back("No OKRs for " + period.key +
                      ": a period without objectives gives the team no direction. A manager starts one with "
                      "/okr add \"<objective>\".");
        return out;
    }
    const int n = static_cast<int>(objectives.size());
    if (n > cfg.okr.max_objectives)
        out.push_back(std::to_string(n) + " objectives: more than " + std::to_string(cfg.okr.max_objectives) +
                      " dilutes focus (too many OKRs).");
    for (const auto& ov : objectives) {
        const std::string o = "O" + std::to_string(ov.objective.number);
        const int k = static_cast<int>(ov.key_results.size());
        if (k == 0) out.push_back(o + " has no key results yet: add 3 or 4 with /okr kr add " + o + ".");
        if (k > cfg.okr.max_key_results)
            out.push_back(o + " has " + std::to_string(k) + " key results: more than " +
                          std::to_string(cfg.okr.max_key_results) + " per objective dilutes focus.");
        for (const auto& v : ov.key_results) {
            if (v.binary)
                out.push_back(v.kr.id_text() +
                              " is binary (done or not): it gives no progress signal; measure an outcome from a "
                              "baseline instead.");
            if (v.stale)
                out.push_back(v.kr.id_text() + " has had no check-in for " + std::to_string(cfg.okr.stale_days) +
                              " days or more (set and forget).");
        }
    }
    return out;
}

std::string value_with_unit(double v, const std::string& unit) {
    if (unit.empty()) return format_number(v);
    if (unit == "%") return format_number(v) + "%";
    return format_number(v) + " " + unit;
}

std::string owner_label(const std::string& owner) {
    if (owner.empty()) return "\u2014";
    return user_mention(owner);
}

std::string checkin_age(const kr_view& v, instant now) {
    if (!v.kr.last_checkin) return "never";
    const auto days = std::chrono::floor<std::chrono::days>(now - *v.kr.last_checkin).count();
    if (days <= 0) return "today";
    return std::to_string(days) + "d ago";
}

std::string kr_summary_line(const kr_view& v) {
    return v.kr.id_text() + " " + shown_text(v.kr.title) + ": " + format_number(v.kr.baseline) + " \u2192 " +
           format_number(v.kr.current) + " \u2192 " + value_with_unit(v.kr.target, v.kr.unit) + ", " +
           format_percent(v.progress) + " (expected " + format_percent(v.expected) + "), " + to_string(v.status) +
           ", " + owner_label(v.kr.owner);
}

message okr_status_message(const config& cfg, const team_config& team, const okr_period& period,
                           const std::vector<objective_view>& objectives, date::year_month_day d, instant now) {
    message m;
    const double expected = expected_progress(period, d);
    const std::string days = format_date(period.first) + " to " + format_date(period.last);
    m.header("OKRs \u2014 " + team.name + ", " + (period_label(period) == days ? days : period.key + " (" + days + ")"));
    for (const auto& ov : objectives) {
        m.section("O" + std::to_string(ov.objective.number) + " " + shown_text(ov.objective.title));
        if (ov.key_results.empty()) {
            m.context("No key results yet.");
            continue;
        }
        std::vector<std::vector<std::string>> rows{
            {"KR", "Key result", "Baseline \u2192 now \u2192 target", "Progress", "Expected", "Status", "Owner",
             "Checked in"}};
        for (const auto& v : ov.key_results) {
            rows.push_back({v.kr.id_text(), shorten(shown_text(v.kr.title), 40),
                            format_number(v.kr.baseline) + " \u2192 " + format_number(v.kr.current) + " \u2192 " +
                                value_with_unit(v.kr.target, v.kr.unit),
                            progress_bar(v.progress) + " " + format_percent(v.progress), format_percent(v.expected),
                            to_string(v.status), owner_label(v.kr.owner), checkin_age(v, now)});
        }
        m.table(std::move(rows));
    }
    m.context("Expected progress on " + format_date(d) + ": " + format_percent(expected) + " (" +
              std::to_string(std::max(0, (date::sys_days{period.last} - date::sys_days{d}).count())) +
              " days left).");
    auto warnings = okr_warnings(cfg, period, objectives);
    if (!warnings.empty()) {
        m.section("Warnings");
        m.list(std::move(warnings));
    }
    return m;
}

}  // namespace ritualbot
