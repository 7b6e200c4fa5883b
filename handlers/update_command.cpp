// /update [edit [n | label] | skip [reason] | show [@user] [week] | history [@user] [n] | missing | away | back |
//          later [duration] | help]
#include "handlers/commands.hpp"
#include "handlers/update_history.hpp"
#include "handlers/text.hpp"
#include "handlers/snooze.hpp"
#include "handlers/time_off.hpp"
#include "handlers/week.hpp"
#include "handlers/weekly_update.hpp"
#include "storage/store.hpp"

namespace ritualbot {
namespace {

const char* const usage =
    "Usage:\n"
    "  /update                 write or resume your weekly update\n"
    "  /update edit            change this week's answers before the digest\n"
    "  /update edit <n|label>  change only one answer, e.g. /update edit 3 or /update edit at risk\n"
    "  /update skip [reason]   skip this week, e.g. /update skip on holiday\n"
    "  /update show [@user] [week]  show this week's update (yours by default), or a week's, e.g. 2026-W47\n"
    "  /update history [@user] [n]  the last n weeks (default 8, at most 52): answered, skipped or missing\n"
    "  /update missing         (managers) who has not answered yet\n"
    "  /update away <YYYY-MM-DD> [reason]  no prompts or reminders until that day (inclusive), e.g. /update away "
    "2026-12-24 parental leave; managers: /update away @member <YYYY-MM-DD> [reason]\n"
    "  /update back [@member]  end the time off now\n"
    "  /update later [30m|2h|1d]  ask me again later (a prompt can be put off twice a week, never past the digest)";

void ask(handler_context& ctx, const incoming& in, const weekly_update_row& row, std::string intro) {
    message m;
    if (!intro.empty()) m.section(std::move(intro));
    m.append(question_message(row, ctx.cfg.questions_for(row.team, row.member)));
    ctx.reply(in, std::move(m));
}

void start(handler_context& ctx, const incoming& in, const team_config& team) {
    const std::string week = open_week(ctx.cfg, team, ctx.now());
    auto row = ctx.db.find_update(in.user, week);
    if (row && row->status != update_status::skipped && !awaiting_answer(*row)) {
        ctx.reply(in, "Your update for week " + week + " is already complete. /update edit changes it, /update show "
                                                       "shows it.");
        return;
    }
    std::string intro = "Weekly update for " + team.name + ", week " + week + ".";
    if (!row) {
        row = new_update(in.user, week, team.name, ctx.now());
    } else if (row->status == update_status::skipped) {
        row->status = update_status::in_progress;
        row->skip_reason.clear();
        intro += " You had skipped it; it counts again now.";
    }
    // A first pass resumes at the first unanswered question; an edit in
    // progress (status done) resumes where it stopped.
    const question_set& qs = ctx.cfg.questions_for(row->team, in.user);
    if (row->status == update_status::in_progress) set_step(*row, qs, first_unanswered(*row, qs));
    else align_with_questions(*row, qs);
    if (row->step >= qs.size()) {  // the team's questions changed, and every one left is answered
        set_step(*row, qs, qs.size());
        row->status = update_status::done;
        row->updated_at = ctx.now();
        ctx.db.save_update(*row);
        ctx.reply(in, "Your update for week " + week + " is complete. /update edit changes it, /update show shows it.");
        return;
    }
    row->updated_at = ctx.now();
    ctx.db.save_update(*row);
    ask(ctx, in, *row, std::move(intro));
}

void edit(handler_context& ctx, const incoming& in, const team_config& team) {
    const std::string week = open_week(ctx.cfg, team, ctx.now());
    auto row = ctx.db.find_update(in.user, week);
    if (!row || answered_count(*row) == 0) {
        ctx.reply(in, "There is nothing to edit for week " + week + " yet. Type /update to write your update.");
        return;
    }
    if (row->status == update_status::skipped) {
        ctx.reply(in, "You skipped week " + week + ". Type /update to write your update after all.");
        return;
    }
    set_step(*row, ctx.cfg.questions_for(row->team, in.user), 0);
    row->single_edit = false;
    row->updated_at = ctx.now();
    ctx.db.save_update(*row);
    ask(ctx, in, *row,
        "Editing your update for week " + week + ". Answer each question again, or reply `same` to keep an answer.");
}

// "1 Goal, 2 Changed, 3 At risk, 4 Next"
std::string numbered_labels(const question_set& qs) {
    std::string out;
    for (int i = 0; i < qs.size(); ++i)
        out += (i ? ", " : "") + std::to_string(i + 1) + " " + qs.questions[i].label;
    return out;
}

// /update edit 3, /update edit at risk: re-asks that one question; the rest stays.
void edit_one(handler_context& ctx, const incoming& in, const team_config& team, const std::string& which) {
    const std::string week = open_week(ctx.cfg, team, ctx.now());
    auto row = ctx.db.find_update(in.user, week);
    const question_set& qs = ctx.cfg.questions_for(row ? row->team : team.name, in.user);
    int index = -1;
    if (!which.empty() && which.size() <= 3 && which.find_first_not_of("0123456789") == std::string::npos) {
        const int n = std::stoi(which);
        if (n >= 1 && n <= qs.size()) index = n - 1;
    } else {
        index = qs.find_label(which);
    }
    if (index < 0) {
        const bool number = which.find_first_not_of("0123456789") == std::string::npos;
        const std::string named = number ? which.substr(0, 12) : "\u201C" + shown_text(which.substr(0, 60)) + "\u201D";
        ctx.reply(in, "Your team's weekly update has no question " + named + ". Its questions are: " +
                          numbered_labels(qs) + ". Write /update edit 2 or /update edit " + qs.questions.back().label +
                          ".");
        return;
    }
    if (!row || answered_count(*row) == 0) {
        ctx.reply(in, "There is nothing to edit for week " + week + " yet. Type /update to write your update.");
        return;
    }
    if (row->status == update_status::skipped) {
        ctx.reply(in, "You skipped week " + week + ". Type /update to write your update after all.");
        return;
    }
    set_step(*row, qs, index);
    // A finished update is complete again after this answer; one in progress
    // goes on with its first unanswered question.
    row->single_edit = row->status == update_status::done;
    row->updated_at = ctx.now();
    ctx.db.save_update(*row);
    ask(ctx, in, *row,
        "Changing your answer to question " + std::to_string(index + 1) + " (" + qs.questions[index].label +
            ") for week " + week + "; reply `same` to keep it.");
}

void skip(handler_context& ctx, const incoming& in, const team_config& team, const command_line& cmd) {
    const std::string week = open_week(ctx.cfg, team, ctx.now());
    std::string reason = trim(cmd.rest(1));
    if (reason.size() > 200) reason = reason.substr(0, 200);
    auto row = ctx.db.find_update(in.user, week);
    if (!row) row = new_update(in.user, week, team.name, ctx.now());
    row->status = update_status::skipped;
    row->skip_reason = reason;
    row->updated_at = ctx.now();
    ctx.db.save_update(*row);
    ctx.reply(in, "Skipped week " + week + (reason.empty() ? "" : " (" + reason + ")") +
                      ". Type /update if you want to write it after all.");
}

bool shares_team(const config& cfg, const std::string& a, const std::string& b) {
    for (const team_config* t : cfg.teams_of(a))
        for (const team_config* u : cfg.teams_of(b))
            if (t == u) return true;
    return false;
}

// "2026-w47" -> "2026-W47"
std::string to_upper_week(std::string s) {
    for (char& c : s)
        if (c == 'w') c = 'W';
    return s;
}

void show(handler_context& ctx, const incoming& in, const command_line& cmd) {
    // /update show [@user] [week]: a Matrix id keeps its '@'; "@alice" names the console's or Slack's "alice".
    std::vector<std::string> words(cmd.args.begin() + 1, cmd.args.end());
    std::string asked_week;
    if (!words.empty() && valid_week_key(to_upper_week(words.back()))) {
        asked_week = to_upper_week(words.back());
        words.pop_back();
    }
    // "2026-W99", "2026-47": meant as a week, but not one.
    const auto week_like = [](const std::string& w) {
        return w.size() >= 5 && w[4] == '-' && w.find_first_not_of("0123456789") == 4;
    };
    if (words.size() > 1 || (!words.empty() && week_like(words[0]))) {
        ctx.reply(in, "Write the week as YYYY-Www, e.g. /update show @alice 2026-W47.\n" + std::string(usage));
        return;
    }
    const std::string who = words.empty() ? in.user : user_id_from_mention(words[0]);
    if (who.empty() || who == "@") {
        ctx.reply(in, "Whose update? Write /update show @name, e.g. /update show @alice.");
        return;
    }
    const team_config* team = ctx.cfg.home_team(who);
    if (!team) {
        ctx.reply(in, who == in.user ? "You are not a member of any team, so you have no weekly update."
                                     : "'" + who + "' is not a member of any team.");
        return;
    }
    if (who != in.user && !shares_team(ctx.cfg, in.user, who) && !ctx.cfg.is_admin(in.user)) {
        ctx.reply(in, "You can only see the updates of people in your own teams.");
        return;
    }
    const std::string week = asked_week.empty() ? open_week(ctx.cfg, *team, ctx.now()) : asked_week;
    auto row = ctx.db.find_update(who, week);
    const std::string name = who == in.user ? "You have" : who + " has";
    if (!asked_week.empty()) {
        if (!row || (answered_count(*row) == 0 && row->status != update_status::skipped)) {
            ctx.reply(in, name + " no weekly update for week " + week + ".");
            return;
        }
    } else if (!row || (answered_count(*row) == 0 && row->status != update_status::skipped)) {
        row = ctx.db.latest_update_before(who, week);
    }
    if (!row) {
        ctx.reply(in, name + " not written a weekly update yet.");
        return;
    }
    message m;
    m.header("Weekly update of " + who + ", week " + row->week);
    if (row->status == update_status::skipped) {
        m.section("Skipped" + (row->skip_reason.empty() ? std::string(".") : ": " + shown_text(row->skip_reason)));
    } else {
        const question_set& qs = ctx.cfg.questions_for(row->team, who);
        for (auto& a : row->answers) a.text = shown_text(a.text);
        const bool open = row->status == update_status::in_progress;
        m.list(answer_lines(*row, qs, open));
        if (open)
            m.context(std::to_string(answered_of(*row, qs)) + " of " + std::to_string(qs.size()) +
                      " questions answered so far.");
    }
    ctx.reply(in, std::move(m));
}

void missing(handler_context& ctx, const incoming& in) {
    std::vector<const team_config*> teams;
    if (!in.is_direct()) {
        const team_config* t = ctx.cfg.find_team_by_channel(in.platform, in.channel);
        if (t && ctx.cfg.is_manager(in.user, *t)) teams.push_back(t);
    } else {
        teams = ctx.cfg.teams_managed_by(in.user);
    }
    if (teams.empty()) {
        ctx.reply(in, "/update missing is for managers: it lists who in their teams has not answered yet.");
        return;
    }
    message m;
    for (const team_config* team : teams) {
        const std::string week = open_week(ctx.cfg, *team, ctx.now());
        std::vector<std::string> lines;
        std::vector<std::string> away;
        for (const auto& member : team->members) {
            auto row = ctx.db.find_update(member, week);
            if (row && (row->status == update_status::skipped || row->status == update_status::done)) continue;
            if (auto off = away_in_week(ctx, *team, member, week)) {  // not counted as missing
                away.push_back(away_label(member, *off));
                continue;
            }
            const question_set& qs = ctx.cfg.questions_for(row ? row->team : std::string(), member);
            int n = row ? answered_of(*row, qs) : 0;
            lines.push_back(member + (n > 0 ? " (" + std::to_string(n) + " of " + std::to_string(qs.size()) +
                                                  " answered)"
                                            : ""));
        }
        if (lines.empty()) {
            m.section(team->name + ", week " + week + ": everyone has answered or skipped" +
                      (away.empty() ? "." : ", or is away."));
        } else {
            m.section(team->name + ", week " + week + ": " + std::to_string(lines.size()) + " of " +
                      std::to_string(team->members.size() - away.size()) + " not done yet:");
            m.list(std::move(lines));
        }
        if (!away.empty()) m.context("Away: " + comma_list(away) + ".");
    }
    ctx.reply(in, std::move(m));
}

}  // namespace

void handle_update_command(handler_context& ctx, const incoming& in, const command_line& cmd) {
    const std::string sub = to_lower(cmd.arg(0));
    if (sub == "help") {
        ctx.reply(in, usage);
        return;
    }
    if (sub == "show") return show(ctx, in, cmd);
    if (sub == "history") return show_history(ctx, in, cmd);
    if (sub == "missing") return missing(ctx, in);
    if (sub == "away") return handle_update_away(ctx, in, cmd);
    if (sub == "back") return handle_update_back(ctx, in, cmd);
    if (sub == "later") return handle_update_later(ctx, in, cmd);
    if (!sub.empty() && sub != "edit" && sub != "skip") {
        ctx.reply(in, "I don't know /update " + cmd.arg(0) + ".\n" + usage);
        return;
    }

    const team_config* team = ctx.cfg.home_team(in.user);
    if (!team) {
        ctx.reply(in, ctx.cfg.teams_of(in.user).empty()
                          ? "You are not in any ritualbot team yet; ask your manager to add you to the config."
                          : "You are not listed as a member of a team, so there is no weekly update for you. "
                            "/update missing and /ritual digest preview are there for managers.");
        return;
    }
    if (sub.empty()) return start(ctx, in, *team);
    if (sub == "edit" && cmd.args.size() > 1) return edit_one(ctx, in, *team, trim(cmd.rest(1)));
    if (sub == "edit") return edit(ctx, in, *team);
    return skip(ctx, in, *team, cmd);
}

}  // namespace ritualbot
