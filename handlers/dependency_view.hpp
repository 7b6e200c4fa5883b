#pragma once
// How a dependency reads in replies, alerts and the digest, and its risk as
// of now (dates are read in the consuming team's time zone).
#include <string>

#include "config/config.hpp"
#include "handlers/dependency_risk.hpp"

namespace ritualbot {

// The consuming team's zone (UTC when the team is no longer configured).
std::string dependency_zone(const config& cfg, const dependency_row& dep);
date::sys_days dependency_today(const config& cfg, const dependency_row& dep, instant now);
dep_risk risk_now(const config& cfg, const dependency_row& dep, instant now);

// "platform ──blocks──▶ alpha (Auth v2, due Dec 1) HIGH"; the risk word is
// left out when the risk is none.
std::string edge_text(const dependency_row& dep, dep_risk risk);
// "#3 platform ──blocks──▶ alpha (Auth v2, due Dec 1)": without the risk.
std::string short_text(const dependency_row& dep);
// "due Dec 1, in 5 days" / "due Nov 20, 3 days ago" / "due today" / "no due date"
std::string due_words(const dependency_row& dep, date::sys_days today);
std::string upper(std::string s);

}  // namespace ritualbot
