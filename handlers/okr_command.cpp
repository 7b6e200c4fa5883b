// /okr status [team | at-risk] | add | kr add | kr edit | set | history | archive | period | help
#include <map>
#include <set>

#include "handlers/chat_charts.hpp"
#include "handlers/commands.hpp"
#include "handlers/okr.hpp"
#include "handlers/text.hpp"
#include "handlers/week.hpp"
#include "storage/store.hpp"

namespace ritualbot {
namespace {

// "owner @alice", or "no owner" (never "owner —" in a sentence).
std::string owner_phrase(const std::string& owner) {
    return owner.empty() ? std::string("no owner") : "owner " + owner_label(owner);
}

const char* const usage =
    "Usage:\n"
    "  /okr status [team | at-risk]     the team's objectives and key results, or every KR at risk\n"
    "  /okr add \"<objective>\" [team=<team>]\n"
    "  /okr kr add O1 \"<key result>\" target=<n> [baseline=<n>] [unit=<u>] [owner=@user]\n"
    "  /okr kr edit KR1.2 [\"<key result>\"] [target=<n>] [baseline=<n>] [unit=<u>] [owner=@user|none]\n"
    "  /okr set KR1.2 <value> [comment]   record a key result's new value\n"
    "  /okr history KR1.2                 its check-ins\n"
    "  /okr archive O1                    retire an objective\n"
    "  /okr period [set <first-day> <last-day>] [team=<team>]\n"
    "  /okr help";

const char* const help_text =
    "OKRs: a team's objectives for a period (a calendar quarter unless set otherwise), each with 3\u20134 key "
    "results measured from a baseline to a target.\n"
    "/okr status [team] \u2014 progress of every key result against the expected progress for today (a manager "
    "of several teams: all of them)\n"
    "/okr status at-risk \u2014 only the key results at risk or off track, in every team you can see\n"
    "/okr add \"<objective>\" \u2014 managers: add an objective (O1, O2, \u2026)\n"
    "/okr kr add O1 \"<key result>\" target=<n> [baseline=<n>] [unit=<u>] [owner=@user] \u2014 managers: add "
    "KR1.1, KR1.2, \u2026 (baseline 0 unless given; a target below the baseline means lower is better)\n"
    "/okr kr edit KR1.2 [\"<key result>\"] [target=<n>] [baseline=<n>] [unit=<u>] [owner=@user|none] \u2014 "
    "managers: fix a key result's title, numbers, unit or owner (its check-ins stay)\n"
    "/okr set KR1.2 <value> [comment] \u2014 the owner or a manager records a new value\n"
    "/okr history KR1.2 \u2014 every check-in of a key result\n"
    "/okr archive O1 \u2014 managers: retire an objective and its key results\n"
    "/okr period \u2014 the current period; /okr period set 2026-11-02 2026-12-18 sets it (managers)\n"
    "Each key result's owner is asked for its new value once a week in a direct message. Write team/KR1.2 for "
    "another team's key result, or type the command in that team's channel.";

constexpr std::size_t max_command_length = 2000;
constexpr std::size_t max_title_length = 200;
constexpr std::size_t max_unit_length = 20;
constexpr std::size_t max_comment_length = 500;
constexpr int hard_max_objectives = 20;  // per team and period, archived included
constexpr int hard_max_key_results = 20;  // per objective

struct okr_request {
    handler_context& ctx;
    const incoming& in;
    const command_line& cmd;
    okr_store okrs;
};

void fail(okr_request& r, const std::string& problem) { r.ctx.reply(r.in, problem + "\n" + usage); }

// key=value words from argument `from` on; false (and a reply) on an unknown key.
bool read_options(okr_request& r, std::size_t from, std::initializer_list<std::string_view> allowed,
                  std::map<std::string, std::string>& out) {
    for (std::size_t i = from; i < r.cmd.args.size(); ++i) {
        const std::string& a = r.cmd.args[i];
        auto eq = a.find('=');
        std::string key = eq == std::string::npos ? std::string() : to_lower(a.substr(0, eq));
        if (eq == std::string::npos) {
            fail(r, "I don't understand \u201C" + a.substr(0, 60) +
                        "\u201D here; a title of more than one word goes in double quotes.");
            return false;
        }
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            std::string list;
            for (auto k : allowed) list += (list.empty() ? "" : ", ") + std::string(k) + "=";
            fail(r, "I don't understand \u201C" + a.substr(0, 60) + "\u201D here (expected " + list + ").");
            return false;
        }
        if (out.count(key)) {
            fail(r, key + "= is given twice.");
            return false;
        }
        out[key] = a.substr(eq + 1);
    }
    return true;
}

// A team by name or channel, else the team of the conversation.
const team_config* find_team(okr_request& r, const std::string& name) {
    if (name.empty()) {
        // A manager of several teams (and member of none) in a DM: which team is meant?
        if (r.in.is_direct() && !r.ctx.cfg.home_team(r.in.user)) {
            const auto managed = r.ctx.cfg.teams_managed_by(r.in.user);
            if (managed.size() > 1) {
                std::vector<std::string> names;
                for (const team_config* m : managed) names.push_back(m->name);
                r.ctx.reply(r.in, "You manage " + comma_list(names) + ": which team? Add team=<team>, write the id as " +
                                      names[1] + "/KR1.2 (or " + names[1] +
                                      "/O1), or type the command in the team's channel.");
                return nullptr;
            }
        }
        const team_config* t = team_in_context(r.ctx, r.in);
        if (!t) r.ctx.reply(r.in, "You are not in any team, so there are no OKRs to show. Name one: /okr status <team>.");
        return t;
    }
    const team_config* t = name[0] == '#' ? r.ctx.cfg.find_team_by_channel(r.in.platform, name) : nullptr;
    if (!t) t = r.ctx.cfg.find_team(name);
    if (!t) r.ctx.reply(r.in, "There is no team called \u201C" + name.substr(0, 60) + "\u201D.");
    return t;
}

bool check_view(okr_request& r, const team_config& team) {
    if (can_view_okrs(r.ctx.cfg, r.in.user, team)) return true;
    r.ctx.reply(r.in, "You can only see the OKRs of your own teams; " + team.name + " is not one of them.");
    return false;
}

bool check_manage(okr_request& r, const team_config& team) {
    if (can_manage_okrs(r.ctx.cfg, r.in.user, team)) return true;
    r.ctx.reply(r.in, "Only the managers of " + team.name + " can change its objectives, key results and period.");
    return false;
}

okr_period period_of(okr_request& r, const team_config& team) {
    return current_period(r.okrs, r.ctx.cfg, team, today_of(r.ctx, r.in.user));
}

// "beta/KR1.2" names another team's id; "KR1.2" is in the conversation's team.
const team_config* split_team_prefix(okr_request& r, std::string& id) {
    auto slash = id.find('/');
    if (slash == std::string::npos) return find_team(r, "");
    std::string name = id.substr(0, slash);
    id = id.substr(slash + 1);
    return find_team(r, name);
}

// The objective or KR the id names, with its team and period; replies and
// returns false when there is none or the asker may not see it.
struct kr_target {
    const team_config* team = nullptr;
    okr_period period;
    okr_kr_row kr;
};

std::optional<kr_target> find_kr_target(okr_request& r, std::size_t arg_index) {
    std::string id = r.cmd.arg(arg_index);
    const team_config* team = split_team_prefix(r, id);
    if (!team) return std::nullopt;
    auto ids = parse_kr_id(id);
    if (!ids) {
        fail(r, "\u201C" + id.substr(0, 40) + "\u201D is not a key result id; they look like KR1.2.");
        return std::nullopt;
    }
    if (!check_view(r, *team)) return std::nullopt;
    okr_period period = period_of(r, *team);
    auto kr = r.okrs.find_kr(team->name, period.key, ids->first, ids->second);
    if (!kr) {
        r.ctx.reply(r.in, "There is no " + id + " in " + team->name + "'s OKRs for " + period.key +
                              ". /okr status " + team->name + " lists them.");
        return std::nullopt;
    }
    return kr_target{team, period, *kr};
}

void status(okr_request& r) {
    if (r.cmd.args.size() > 2) return fail(r, "/okr status takes one team name or at-risk.");
    const std::string arg = r.cmd.arg(1);
    auto& cfg = r.ctx.cfg;
    if (to_lower(arg) == "at-risk") {
        auto teams = okr_visible_teams(cfg, r.in.user);
        if (teams.empty()) return r.ctx.reply(r.in, "You are not in any team, so there are no OKRs to show.");
        const auto today = today_of(r.ctx, r.in.user);
        std::vector<std::vector<std::string>> rows{
            {"Team", "KR", "Key result", "Progress", "Expected", "Status", "Owner", "Checked in"}};
        std::string names;
        for (const team_config* team : teams) {
            names += (names.empty() ? "" : ", ") + team->name;
            okr_period period = current_period(r.okrs, cfg, *team, today);
            for (const auto& ov : evaluate_team(r.okrs, cfg, *team, period, today, r.ctx.now()))
                for (const auto& v : ov.key_results)
                    if (v.status == kr_status::at_risk || v.status == kr_status::off_track)
                        rows.push_back({team->name, v.kr.id_text(), v.kr.title, format_percent(v.progress),
                                        format_percent(v.expected), to_string(v.status), owner_label(v.kr.owner),
                                        checkin_age(v, r.ctx.now())});
        }
        message m;
        m.header("Key results at risk or off track (" + names + ")");
        if (rows.size() == 1) m.section("None: every key result is on track or done.");
        else m.table(std::move(rows));
        return r.ctx.reply(r.in, std::move(m));
    }
    if (arg.empty() && r.in.is_direct() && !cfg.home_team(r.in.user) && cfg.teams_managed_by(r.in.user).size() > 1) {
        // A manager of several teams sees each of them.
        const auto today = today_of(r.ctx, r.in.user);
        message m;
        for (const team_config* t : cfg.teams_managed_by(r.in.user)) {
            okr_period period = current_period(r.okrs, cfg, *t, today);
            auto objectives = evaluate_team(r.okrs, cfg, *t, period, today, r.ctx.now());
            m.append(okr_status_message(cfg, *t, period, objectives, today, r.ctx.now()));
            add_kr_progress_chart(*t, period_label(period), objectives, m);
        }
        return r.ctx.reply(r.in, std::move(m));
    }
    const team_config* team = find_team(r, arg);
    if (!team || !check_view(r, *team)) return;
    const auto today = today_of(r.ctx, r.in.user);
    okr_period period = current_period(r.okrs, cfg, *team, today);
    auto objectives = evaluate_team(r.okrs, cfg, *team, period, today, r.ctx.now());
    message m = okr_status_message(cfg, *team, period, objectives, today, r.ctx.now());
    add_kr_progress_chart(*team, period_label(period), objectives, m);  // the table stays for those who cannot see it
    r.ctx.reply(r.in, std::move(m));
}

bool valid_title(okr_request& r, const std::string& title, const char* what) {
    if (trim(title).empty()) {
        fail(r, std::string("The ") + what + " needs a title in double quotes.");
        return false;
    }
    if (title.size() > max_title_length) {
        r.ctx.reply(r.in, std::string("That ") + what + " is " + std::to_string(title.size()) +
                              " characters long; keep it under " + std::to_string(max_title_length) + ".");
        return false;
    }
    return true;
}

void add_objective(okr_request& r) {
    std::map<std::string, std::string> opt;
    if (r.cmd.args.size() < 2) return fail(r, "/okr add needs the objective in double quotes.");
    if (!read_options(r, 2, {"team"}, opt)) return;
    const std::string title = trim(r.cmd.arg(1));
    if (!valid_title(r, title, "objective")) return;
    const team_config* team = find_team(r, opt["team"]);
    if (!team || !check_manage(r, *team)) return;
    okr_period period = period_of(r, *team);
    if (static_cast<int>(r.okrs.objectives(team->name, period.key, true).size()) >= hard_max_objectives)
        return r.ctx.reply(r.in, team->name + " already has " + std::to_string(hard_max_objectives) +
                                     " objectives for " + period.key + "; archive some before adding more.");
    auto o = r.okrs.add_objective(team->name, period.key, title, r.in.user, r.ctx.now());
    const std::string id = "O" + std::to_string(o.number);
    message m;
    m.section("Added " + id + " \u201C" + title + "\u201D to " + team->name + "'s OKRs for " + period.key + ".");
    m.context("Next: /okr kr add " + id + " \"<key result>\" target=<n> baseline=<n> unit=<u> owner=@user");
    const int live = static_cast<int>(r.okrs.objectives(team->name, period.key, false).size());
    if (live > r.ctx.cfg.okr.max_objectives)
        m.context("Warning: " + team->name + " now has " + std::to_string(live) + " objectives; more than " +
                  std::to_string(r.ctx.cfg.okr.max_objectives) + " dilutes focus.");
    r.ctx.reply(r.in, std::move(m));
}

// The key result options of kr add and kr edit. Each leaves `out` alone when
// its key is not given, and returns false (after a reply) when its value is bad.
bool number_option(okr_request& r, std::map<std::string, std::string>& opt, const std::string& key, double& out) {
    if (!opt.count(key)) return true;
    auto v = parse_number(opt[key]);
    if (!v) {
        fail(r, key + "=" + opt[key].substr(0, 40) + " is not a number (write 5, 99.5 or -2; at most 10^15).");
        return false;
    }
    out = *v;
    return true;
}

bool unit_option(okr_request& r, std::map<std::string, std::string>& opt, std::string& out) {
    if (!opt.count("unit")) return true;
    std::string unit = trim(opt["unit"]);
    if (unit.size() > max_unit_length) {
        fail(r, "unit= is too long; keep it under " + std::to_string(max_unit_length) + " characters.");
        return false;
    }
    out = std::move(unit);
    return true;
}

// "@pat" names the member pat; a Matrix id ("@pat:example.org") keeps its '@';
// with `allow_none`, owner=none (or -) leaves the key result without one.
bool owner_option(okr_request& r, std::map<std::string, std::string>& opt, bool allow_none, std::string& out) {
    if (!opt.count("owner")) return true;
    const std::string& typed = opt["owner"];
    if (allow_none && (to_lower(typed) == "none" || typed == "-")) {
        out.clear();
        return true;
    }
    std::string owner = user_id_from_mention(typed);
    if (owner.empty() || r.ctx.cfg.teams_of(owner).empty()) {
        r.ctx.reply(r.in, "I don't know \u201C" + typed.substr(0, 40) +
                              "\u201D: a key result's owner must be a member or manager of a team in the config" +
                              (allow_none ? " (owner=none leaves it without one)." : "."));
        return false;
    }
    out = std::move(owner);
    return true;
}

void edit_kr(okr_request& r) {
    if (r.cmd.args.size() < 4)
        return fail(r, "/okr kr edit needs a key result id and what to change, e.g. /okr kr edit KR1.2 target=12.");
    std::size_t options_from = 3;
    std::string title;
    if (r.cmd.arg(3).find('=') == std::string::npos) {
        title = trim(r.cmd.arg(3));
        if (!valid_title(r, title, "key result")) return;
        options_from = 4;
    }
    std::map<std::string, std::string> opt;
    if (!read_options(r, options_from, {"target", "baseline", "unit", "owner"}, opt)) return;
    auto target = find_kr_target(r, 2);
    if (!target) return;
    if (!check_manage(r, *target->team)) return;
    okr_kr_row kr = target->kr;
    if (kr.objective_archived)
        return r.ctx.reply(r.in, "O" + std::to_string(kr.objective_number) + " is archived; its key results no longer change.");
    const okr_kr_row before = kr;
    if (!title.empty()) kr.title = title;
    if (!number_option(r, opt, "target", kr.target) || !number_option(r, opt, "baseline", kr.baseline)) return;
    if (kr.baseline != before.baseline && !kr.last_checkin) kr.current = kr.baseline;  // nothing measured yet
    if (kr.target == kr.baseline)
        return fail(r, "The target would equal the baseline (" + format_number(kr.baseline) +
                           "), so there would be no progress to measure.");
    if (!unit_option(r, opt, kr.unit) || !owner_option(r, opt, true, kr.owner)) return;
    std::vector<std::string> changes;
    if (kr.title != before.title) changes.push_back("title \u201C" + kr.title + "\u201D");
    if (kr.baseline != before.baseline)
        changes.push_back("baseline " + format_number(before.baseline) + " \u2192 " + format_number(kr.baseline));
    if (kr.target != before.target)
        changes.push_back("target " + format_number(before.target) + " \u2192 " + format_number(kr.target));
    if (kr.unit != before.unit) changes.push_back("unit " + (kr.unit.empty() ? std::string("none") : kr.unit));
    if (kr.owner != before.owner) changes.push_back(kr.owner.empty() ? std::string("no owner") : "owner " + owner_label(kr.owner));
    if (changes.empty()) return r.ctx.reply(r.in, "That changes nothing in " + kr.id_text() + ".");
    r.okrs.update_kr(kr);
    // A check-in asked of the previous owner is not theirs to answer any more.
    if (kr.owner != before.owner) r.okrs.clear_checkin(kr.id);
    message m;
    m.section("Changed " + target->team->name + "/" + kr.id_text() + ": " + comma_list(changes) + ".");
    auto v = evaluate_kr(r.ctx.cfg, kr, target->period, today_of(r.ctx, r.in.user), r.ctx.now());
    m.context("Now from " + value_with_unit(kr.baseline, kr.unit) + " to " + value_with_unit(kr.target, kr.unit) +
              (kr.target < kr.baseline ? " (lower is better)" : "") + ", at " + value_with_unit(kr.current, kr.unit) +
              ": progress " + format_percent(v.progress) + ", " + to_string(v.status) + ".");
    if (is_binary_kr(kr.baseline, kr.target, kr.unit))
        m.context("Warning: this key result is binary (done or not) and gives no progress signal.");
    r.ctx.reply(r.in, std::move(m));
}

void add_kr(okr_request& r) {
    if (to_lower(r.cmd.arg(1)) == "edit") return edit_kr(r);
    if (to_lower(r.cmd.arg(1)) != "add")
        return fail(r, r.cmd.args.size() < 2 ? std::string("/okr kr add adds a key result to an objective.")
                                             : "I don't understand /okr kr " + r.cmd.arg(1).substr(0, 40) + ".");
    if (r.cmd.args.size() < 4) return fail(r, "/okr kr add needs an objective id, the key result in double quotes and target=<n>.");
    std::map<std::string, std::string> opt;
    if (!read_options(r, 4, {"target", "baseline", "unit", "owner", "team"}, opt)) return;
    std::string oid = r.cmd.arg(2);
    auto slash = oid.find('/');
    if (slash != std::string::npos) {
        if (opt.count("team")) return fail(r, "Name the team once: either team/O1 or team=<team>.");
        opt["team"] = oid.substr(0, slash);
        oid = oid.substr(slash + 1);
    }
    auto number = parse_objective_id(oid);
    if (!number) return fail(r, "\u201C" + oid.substr(0, 40) + "\u201D is not an objective id; they look like O1.");
    const std::string title = trim(r.cmd.arg(3));
    if (!valid_title(r, title, "key result")) return;
    if (!opt.count("target")) return fail(r, "The key result needs target=<n>.");
    double target = 0, baseline = 0;
    if (!number_option(r, opt, "target", target) || !number_option(r, opt, "baseline", baseline)) return;
    if (target == baseline)
        return fail(r, "The target equals the baseline (" + format_number(baseline) +
                           "), so there is no progress to measure; give a different target or baseline=<n>.");
    std::string unit, owner;
    if (!unit_option(r, opt, unit) || !owner_option(r, opt, false, owner)) return;
    const team_config* team = find_team(r, opt["team"]);
    if (!team || !check_manage(r, *team)) return;
    okr_period period = period_of(r, *team);
    auto objective = r.okrs.find_objective(team->name, period.key, *number);
    if (!objective)
        return r.ctx.reply(r.in, "There is no " + oid + " in " + team->name + "'s OKRs for " + period.key +
                                     ". /okr status lists them; /okr add creates one.");
    if (objective->archived) return r.ctx.reply(r.in, oid + " is archived; it takes no new key results.");
    auto existing = r.okrs.key_results(objective->id);
    if (static_cast<int>(existing.size()) >= hard_max_key_results)
        return r.ctx.reply(r.in, oid + " already has " + std::to_string(existing.size()) + " key results.");
    auto kr = r.okrs.add_kr(objective->id, title, baseline, target, unit, owner, r.ctx.now());
    message m;
    m.section("Added " + team->name + "/" + kr.id_text() + " \u201C" + title + "\u201D: from " + value_with_unit(baseline, unit) +
              " to " + value_with_unit(target, unit) + (target < baseline ? " (lower is better)" : "") +
              ", " + owner_phrase(owner) + ".");
    if (is_binary_kr(baseline, target, unit))
        m.context("Warning: this key result is binary (done or not) and gives no progress signal; consider "
                  "measuring an outcome from a baseline.");
    if (static_cast<int>(existing.size()) + 1 > r.ctx.cfg.okr.max_key_results)
        m.context("Warning: " + oid + " now has " + std::to_string(existing.size() + 1) + " key results; more than " +
                  std::to_string(r.ctx.cfg.okr.max_key_results) + " per objective dilutes focus.");
    if (!owner.empty()) m.context(user_mention(owner) + " will be asked for its value every week.");
    r.ctx.reply(r.in, std::move(m));
}

void set_value(okr_request& r) {
    if (r.cmd.args.size() < 3) return fail(r, "/okr set needs a key result id and a value, e.g. /okr set KR1.2 9.");
    auto target = find_kr_target(r, 1);
    if (!target) return;
    const okr_kr_row& kr = target->kr;
    std::string word = r.cmd.arg(2);
    // "95%" or "9min" with the KR's own unit is the same number.
    if (!kr.unit.empty() && word.size() > kr.unit.size() && word.ends_with(kr.unit))
        word.resize(word.size() - kr.unit.size());
    auto value = parse_number(word);
    if (!value) return fail(r, "\u201C" + r.cmd.arg(2).substr(0, 40) + "\u201D is not a number (write 9, 99.5 or -2; at most 10^15).");
    const std::string comment = trim(r.cmd.rest(3));
    if (comment.size() > max_comment_length)
        return r.ctx.reply(r.in, "That comment is " + std::to_string(comment.size()) + " characters long; keep it under " +
                                     std::to_string(max_comment_length) + ".");
    if (!can_set_kr(r.ctx.cfg, r.in.user, *target->team, kr))
        return r.ctx.reply(r.in, "Only " + (kr.owner.empty() ? std::string() : "its owner " + user_mention(kr.owner) + " and ") +
                                     "the managers of " + target->team->name + " can set " + kr.id_text() + ".");
    if (kr.objective_archived)
        return r.ctx.reply(r.in, "O" + std::to_string(kr.objective_number) + " is archived; its key results no longer change.");
    r.okrs.record_checkin(kr.id, *value, r.in.user, r.ctx.now(), comment);
    r.okrs.clear_checkin(kr.id);
    auto updated = r.okrs.find_kr_by_id(kr.id);
    auto v = evaluate_kr(r.ctx.cfg, *updated, target->period, today_of(r.ctx, r.in.user), r.ctx.now());
    r.ctx.reply(r.in, "Recorded " + target->team->name + "/" + kr.id_text() + " " + kr.title + ": " + value_with_unit(kr.current, kr.unit) +
                          " \u2192 " + value_with_unit(*value, kr.unit) + " (target " +
                          value_with_unit(kr.target, kr.unit) + "). Progress " + format_percent(v.progress) +
                          ", expected " + format_percent(v.expected) + ": " + to_string(v.status) + ".");
}

void history(okr_request& r) {
    if (r.cmd.args.size() != 2) return fail(r, "/okr history needs one key result id, e.g. /okr history KR1.2.");
    auto target = find_kr_target(r, 1);
    if (!target) return;
    const okr_kr_row& kr = target->kr;
    const std::string zone = r.ctx.cfg.timezone_of(r.in.user);
    message m;
    m.header(kr.id_text() + " " + kr.title + " (" + target->team->name + ", " + target->period.key + ")");
    m.section("Baseline " + value_with_unit(kr.baseline, kr.unit) + ", target " + value_with_unit(kr.target, kr.unit) +
              ", now " + value_with_unit(kr.current, kr.unit) + ", " + owner_phrase(kr.owner) + ".");
    auto rows = r.okrs.history(kr.id, 50);
    if (rows.empty()) {
        m.context("No check-ins yet.");
    } else {
        std::vector<std::string> lines;
        for (const auto& c : rows)
            lines.push_back(format_local(c.at, zone) + ": " + value_with_unit(c.value, kr.unit) + " (was " +
                            format_number(c.previous) + ") by " + user_mention(c.who) +
                            (c.comment.empty() ? "" : " \u2014 " + c.comment));
        m.list(std::move(lines));
        if (rows.size() == 50) m.context("The 50 most recent check-ins.");
    }
    r.ctx.reply(r.in, std::move(m));
}

void archive(okr_request& r) {
    if (r.cmd.args.size() != 2) return fail(r, "/okr archive needs one objective id, e.g. /okr archive O1.");
    std::string id = r.cmd.arg(1);
    const team_config* team = split_team_prefix(r, id);
    if (!team) return;
    auto number = parse_objective_id(id);
    if (!number) return fail(r, "\u201C" + id.substr(0, 40) + "\u201D is not an objective id; they look like O1.");
    if (!check_manage(r, *team)) return;
    okr_period period = period_of(r, *team);
    auto objective = r.okrs.find_objective(team->name, period.key, *number);
    if (!objective)
        return r.ctx.reply(r.in, "There is no " + id + " in " + team->name + "'s OKRs for " + period.key + ".");
    if (objective->archived) return r.ctx.reply(r.in, id + " is already archived.");
    r.okrs.archive_objective(objective->id);
    r.ctx.reply(r.in, "Archived " + team->name + "/" + id + " \u201C" + objective->title + "\u201D. It and its key results no longer "
                      "appear in /okr status, the digest or the check-ins; its id is not reused.");
}

void period(okr_request& r) {
    const bool set = to_lower(r.cmd.arg(1)) == "set";
    std::map<std::string, std::string> opt;
    if (!set && r.cmd.args.size() > 1 && !read_options(r, 1, {"team"}, opt)) return;
    if (set) {
        if (r.cmd.args.size() < 4) return fail(r, "/okr period set needs the first and the last day, e.g. /okr period set 2026-11-02 2026-12-18.");
        if (!read_options(r, 4, {"team"}, opt)) return;
    }
    const team_config* team = find_team(r, opt["team"]);
    if (!team || !check_view(r, *team)) return;
    const auto today = today_of(r.ctx, r.in.user);
    okr_period current = current_period(r.okrs, r.ctx.cfg, *team, today);
    if (!set) {
        message m;
        m.section(team->name + "'s OKR period: " + period_label(current) + ". On " + format_date(today) + " " +
                  format_percent(expected_progress(current, today)) + " of it has passed.");
        std::vector<std::string> lines;
        for (const auto& p : r.okrs.periods(team->name)) lines.push_back(p.key + " (set by @" + p.set_by + ")");
        if (!lines.empty()) {
            m.context("Periods set by hand; outside them the calendar " + r.ctx.cfg.okr.period + " applies:");
            m.list(std::move(lines));
        }
        return r.ctx.reply(r.in, std::move(m));
    }
    if (!check_manage(r, *team)) return;
    auto first = parse_date(r.cmd.arg(2)), last = parse_date(r.cmd.arg(3));
    for (const std::string& day : {r.cmd.arg(2), r.cmd.arg(3)}) {
        // "2026-02-30" is written right but is no day of the calendar.
        const bool shape = day.size() == 10 && day[4] == '-' && day[7] == '-' &&
                           std::all_of(day.begin(), day.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
        if (shape && !parse_date(day)) return fail(r, day + " is not a day of the calendar.");
    }
    if (!first || !last) return fail(r, "Write the days as YYYY-MM-DD, e.g. /okr period set 2026-11-02 2026-12-18.");
    for (const auto& d : {*first, *last})
        if (d.year() < date::year{2000} || d.year() > date::year{2999})
            return fail(r, "A period lies between the years 2000 and 2999; " + format_date(d) + " does not.");
    if (*last <= *first) return fail(r, "The last day must come after the first.");
    okr_period p = custom_period(*first, *last);
    if (p.days() > 366) return fail(r, "A period can be at most a year long.");
    for (const auto& other : r.okrs.periods(team->name)) {
        auto of = parse_date(other.first_day), ol = parse_date(other.last_day);
        if (other.key == p.key) return r.ctx.reply(r.in, "That period is already set.");
        if (of && ol && *of <= *last && *first <= *ol)
            return r.ctx.reply(r.in, "That overlaps the period " + other.key + " already set for " + team->name + ".");
    }
    r.okrs.save_period({team->name, p.key, format_date(*first), format_date(*last), r.in.user, r.ctx.now()});
    std::string moved;
    // Setting the period we are in re-files the objectives made so far in the
    // calendar period it replaces: they are this period's objectives.
    if (p.contains(today) && current.key != p.key) {
        const auto all = r.okrs.objectives(team->name, current.key, true);
        const auto live = r.okrs.objectives(team->name, current.key, false);
        const int n = r.okrs.move_objectives(team->name, current.key, p.key);
        const std::size_t archived = all.size() - live.size();
        if (n == 1)
            moved = std::string(" The ") + (archived ? "archived " : "") + "objective of " + current.key +
                    " now belongs to it.";
        else if (n > 1)
            moved = " The " + std::to_string(n) + " objectives of " + current.key +
                    (archived ? " (" + std::to_string(archived) + " of them archived)" : "") + " now belong to it.";
    }
    r.ctx.reply(r.in, team->name + "'s OKR period " + p.key + " is set (" + std::to_string(p.days()) + " days)." + moved);
}

}  // namespace

void handle_okr_command(handler_context& ctx, const incoming& in, const command_line& cmd) {
    if (in.text.size() > max_command_length)
        return ctx.reply(in, "That command is " + std::to_string(in.text.size()) + " characters long; /okr commands "
                             "must stay under " + std::to_string(max_command_length) + ".");
    okr_request r{ctx, in, cmd, okr_store(ctx.db)};
    const std::string sub = to_lower(cmd.arg(0));
    if (sub.empty() || sub == "status") return status(r);
    // "/okr set help" and the like: help, not an attempt.
    if (sub == "help" || (cmd.args.size() == 2 && to_lower(cmd.arg(1)) == "help") ||
        (sub == "kr" && cmd.args.size() == 3 && to_lower(cmd.arg(2)) == "help"))
        return ctx.reply(in, help_text);
    if (sub == "add") return add_objective(r);
    if (sub == "kr") return add_kr(r);
    if (sub == "set") return set_value(r);
    if (sub == "history") return history(r);
    if (sub == "archive") return archive(r);
    if (sub == "period") return period(r);
    fail(r, "I don't understand /okr " + trim(cmd.rest(0)).substr(0, 60) + ".");
}

}  // namespace ritualbot
