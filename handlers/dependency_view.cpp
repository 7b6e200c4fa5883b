#include "handlers/dependency_view.hpp"

#include <cctype>

#include "handlers/text.hpp"
namespace ritualbot {

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string dependency_zone(const config& cfg, const dependency_row& dep) {
    const team_config* consumer = cfg.find_team(dep.consumer);
    return consumer ? consumer->timezone : "UTC";
}

date::sys_days dependency_today(const config& cfg, const dependency_row& dep, instant now) {
    return local_today(now, dependency_zone(cfg, dep));
}

dep_risk risk_now(const config& cfg, const dependency_row& dep, instant now) {
    return compute_risk(dep, dependency_today(cfg, dep, now));
}

namespace {

std::string arrow(dep_type t) {
    switch (t) {
        case dep_type::blocking: return " \u2500\u2500blocks\u2500\u2500\u25B6 ";
        case dep_type::non_blocking: return " \u2500\u2500feeds\u2500\u2500\u25B6 ";
        case dep_type::soft: return " \u2504\u2504helps\u2504\u2504\u25B6 ";
    }
    return " \u2500\u2500\u25B6 ";
}

std::string edge_core(const dependency_row& dep) {
    std::string s = dep.provider + arrow(dep.type) + dep.consumer + " (" + shown_text(dep.what);
    if (auto due = parse_due_date(dep.due)) s += ", due " + short_due_date(*due);
    return s + ")";
}

}  // namespace

std::string edge_text(const dependency_row& dep, dep_risk risk) {
    std::string s = edge_core(dep);
    if (risk != dep_risk::none) s += " " + upper(to_string(risk));
    return s;
}

std::string short_text(const dependency_row& dep) { return "#" + std::to_string(dep.id) + " " + edge_core(dep); }

std::string due_words(const dependency_row& dep, date::sys_days today) {
    auto due = parse_due_date(dep.due);
    if (!due) return "no due date";
    const int days = static_cast<int>((*due - today).count());
    std::string s = "due " + short_due_date(*due);
    if (days == 0) return s + ", today";
    if (days == 1) return s + ", tomorrow";
    if (days > 0) return s + ", in " + std::to_string(days) + " days";
    if (days == -1) return s + ", 1 day ago";
    return s + ", " + std::to_string(-days) + " days ago";
}

}  // namespace ritualbot
