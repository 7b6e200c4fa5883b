#include "handlers/update_history.hpp"

#include <algorithm>
#include <map>

#include "handlers/text.hpp"
#include "handlers/week.hpp"
#include "handlers/weekly_update.hpp"
#include "storage/store.hpp"
#include "storage/update_streaks.hpp"

namespace ritualbot {
namespace {

// The week `n` weeks before `week` (n >= 0).
std::string weeks_before(std::string week, int n) {
    for (int i = 0; i < n; ++i) week = previous_week_key(week);
    return week;
}

const char* const history_usage =
    "Usage: /update history [@user] [n] \u2014 the last n weeks (default 8, at most 52), e.g. /update history "
    "@alice 12";

bool all_digits(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; }

}  // namespace

int answer_streak(store& db, const std::string& member, const std::string& week) {
    return update_streaks(db).streak(member, week);
}

bool may_see_updates(const config& cfg, const std::string& asker, const std::string& member) {
    if (asker == member || cfg.is_admin(asker)) return true;
    for (const team_config* t : cfg.teams_of(asker))
        for (const team_config* u : cfg.teams_of(member))
            if (t == u) return true;
    return false;
}

void show_history(handler_context& ctx, const incoming& in, const command_line& cmd) {
    std::vector<std::string> words(cmd.args.begin() + 1, cmd.args.end());
    int weeks = history_default_weeks;
    if (!words.empty() && all_digits(words.back())) {
        const std::string n = words.back();
        words.pop_back();
        if (n.size() > 3 || std::stoi(n) < 1 || std::stoi(n) > history_max_weeks) {
            ctx.reply(in, "I can show from 1 to " + std::to_string(history_max_weeks) + " weeks, not " +
                              shown_text(n.substr(0, 12)) + ".\n" + history_usage);
            return;
        }
        weeks = std::stoi(n);
    }
    if (words.size() > 1) {
        ctx.reply(in, std::string("Name one person and then the number of weeks.\n") + history_usage);
        return;
    }
    const std::string who = words.empty() ? in.user : user_id_from_mention(words[0]);
    if (who.empty() || who == "@") {
        ctx.reply(in, std::string("Whose history? Write /update history @name.\n") + history_usage);
        return;
    }
    const team_config* team = ctx.cfg.home_team(who);
    if (!team) {
        ctx.reply(in, who == in.user ? "You are not a member of any team, so you have no weekly updates."
                                     : "'" + shown_text(who) + "' is not a member of any team.");
        return;
    }
    if (!may_see_updates(ctx.cfg, in.user, who)) {
        ctx.reply(in, "You can only see the history of people in your own teams (as a member or a manager of the "
                      "team).");
        return;
    }

    const std::string current = open_week(ctx.cfg, *team, ctx.now());
    const std::string first = weeks_before(current, weeks - 1);
    const auto rows = ctx.db.updates_between(who, first, current);
    std::map<std::string, const weekly_update_row*> by_week;
    for (const auto& r : rows) by_week[r.week] = &r;
    // Weeks before ritualbot first asked the member are not theirs to miss.
    std::string start = first;
    if (!ctx.db.latest_update_before(who, first)) start = rows.empty() ? current : rows.front().week;

    const bool self = who == in.user;
    message m;
    m.header((self ? std::string("Your weekly updates") : "Weekly updates of " + who) + ", the last " +
             std::to_string(weeks) + (weeks == 1 ? " week" : " weeks"));
    std::vector<std::string> lines;
    int answered = 0, skipped = 0, missing = 0;
    for (std::string w = current;; w = previous_week_key(w)) {
        if (w < start) break;
        auto it = by_week.find(w);
        const weekly_update_row* r = it == by_week.end() ? nullptr : it->second;
        const question_set& qs = ctx.cfg.questions_for(r ? r->team : team->name, who);
        std::string line = w + ": ";
        if (r && r->status == update_status::done) {
            line += "answered";
            ++answered;
        } else if (r && r->status == update_status::skipped) {
            line += r->skip_reason.empty() ? "skipped" : "skipped (" + shown_text(r->skip_reason) + ")";
            ++skipped;
        } else if (w == current) {
            const int n = r ? answered_of(*r, qs) : 0;
            line += "this week, open until the digest on " +
                    format_local(digest_instant(ctx.cfg, *team, w), ctx.cfg.timezone_of(in.user)) +
                    (n > 0 ? " (" + std::to_string(n) + " of " + std::to_string(qs.size()) + " answered)" : "");
        } else {
            const int n = r ? answered_of(*r, qs) : 0;
            line += "missing" + (n > 0 ? " (" + std::to_string(n) + " of " + std::to_string(qs.size()) +
                                             " answered)"
                                       : std::string());
            ++missing;
        }
        lines.push_back(std::move(line));
        if (w == first) break;
    }
    if (lines.empty()) lines.push_back(current + ": this week");
    m.list(std::move(lines));
    std::string summary = "Answered " + std::to_string(answered) + ", skipped " + std::to_string(skipped) +
                          ", missing " + std::to_string(missing) + ".";
    if (start > first)
        summary += " Nothing before week " + start + ": that is when ritualbot first asked " +
                   (self ? std::string("you") : who) + ".";
    m.context(std::move(summary));
    // The streak up to the last finished week: this one if done, else the one before.
    int streak = answer_streak(ctx.db, who, current);
    if (streak == 0) streak = answer_streak(ctx.db, who, previous_week_key(current));
    if (streak >= streak_threshold)
        m.context((self ? std::string("You have") : who + " has") + " answered " + std::to_string(streak) +
                  " weeks running \u2014 thank you!");
    ctx.reply(in, std::move(m));
}

std::string streak_thanks(handler_context& ctx, const team_config& team, const std::string& week) {
    // Each member's streak is kept with their update of the week: one statement for the team.
    const auto kept = update_streaks(ctx.db).streaks(team.members, week);
    std::vector<std::pair<int, std::string>> streaks;
    for (const auto& member : team.members) {
        auto it = kept.find(member);
        if (it != kept.end() && it->second >= streak_threshold) streaks.emplace_back(it->second, member);
    }
    if (streaks.empty()) return {};
    std::stable_sort(streaks.begin(), streaks.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::string> parts;
    for (const auto& [n, member] : streaks) parts.push_back(member + " (" + std::to_string(n) + " weeks running)");
    return "Thank you for writing your update week after week: " + comma_list(parts) + ".";
}

}  // namespace ritualbot
