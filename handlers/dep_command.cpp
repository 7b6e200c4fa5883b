// /dep add | status | due | list | risks | graph | dismiss | help
#include <algorithm>
#include <cctype>
#include <tuple>

#include "handlers/commands.hpp"
#include "handlers/dependency_alerts.hpp"
#include "handlers/dependency_view.hpp"
#include "handlers/text.hpp"
#include "storage/dependency_store.hpp"
#include "storage/store.hpp"

namespace ritualbot {
namespace {

const char* const usage =
    "Usage:\n"
    "  /dep add <provider> -> <consumer> \"<what>\" type=blocking|non-blocking|soft [due=YYYY-MM-DD] [owner=@user]\n"
    "  /dep status <id> not-started|in-progress|available|done\n"
    "  /dep due <id> YYYY-MM-DD|none\n"
    "  /dep list [team]      every dependency, or those of one team\n"
    "  /dep risks [team]     open dependencies by risk, highest first\n"
    "  /dep graph [team]     who blocks whom\n"
    "  /dep dismiss <id>     a hidden-dependency suggestion that is not a blocker\n"
    "  /dep help";

const char* const help_text =
    "The dependency register: what one team (the provider) must deliver before another (the consumer) can "
    "go on.\n"
    "/dep add platform -> alpha \"Auth v2\" type=blocking due=2026-12-01 owner=@pat \u2014 register one "
    "(managers of either team)\n"
    "  type: blocking (the consumer cannot start without it), non-blocking (work goes on against a mock), "
    "soft (nice to have)\n"
    "/dep status 3 in-progress \u2014 not-started, in-progress, available or done (its owner, managers of either team)\n"
    "/dep due 3 2026-12-08 \u2014 a new due date; `none` removes it (managers of either team)\n"
    "/dep list [team], /dep risks [team], /dep graph [team] \u2014 everyone may read\n"
    "Risk: high when blocking, not yet available and due within 14 days, past due, or undated and not started; "
    "medium when blocking and due later, or non-blocking and due within 7 days; low otherwise; none once "
    "available or done.\n"
    "Alerts, each at most once a week: a blocking dependency due within 7 days or past due (both channels and "
    "the owner); a team named as a blocker in a weekly update with nothing registered (its managers); the same "
    "blocker two weeks running, or in progress past due (managers of both teams); a team with 3 or more open "
    "blocking dependencies (org admins).\n"
    "Hidden dependencies: a risk answer that reads as waiting on another team (\"blocked by platform\", \"until data "
    "delivers the schema\", \"need the ML team to retrain\", \"infra's freeze\", \"Blocked: @beta needs to merge\") "
    "with nothing registered is suggested to the team's managers, quoting the words read. /dep dismiss <id> "
    "\u2014 not a blocker: the same words about the same team are not suggested again.\n"
    "Teams may be named by name, alias or channel (#alpha).";

constexpr std::size_t max_command_length = 2000;
constexpr std::size_t max_what_length = 200;
constexpr std::int64_t max_dependencies = 10000;
constexpr std::size_t max_rows = 50;

void fail(handler_context& ctx, const incoming& in, const std::string& why) {
    ctx.reply(in, why + "\n" + usage);
}

// A team by name, alias (any case) or channel ("#alpha").
const team_config* resolve_team(const handler_context& ctx, const incoming& in, std::string word) {
    if (!word.empty() && word[0] == '@') word.erase(0, 1);
    if (word.empty()) return nullptr;
    if (const team_config* t = ctx.cfg.find_team_by_channel(in.platform, word)) return t;
    const std::string w = to_lower(word);
    for (const auto& t : ctx.cfg.teams) {
        if (to_lower(t.name) == w) return &t;
        for (const auto& a : t.aliases)
            if (to_lower(a) == w) return &t;
    }
    return nullptr;
}

std::optional<std::int64_t> parse_id(std::string s) {
    if (!s.empty() && s[0] == '#') s.erase(0, 1);
    if (s.empty() || s.size() > 12) return std::nullopt;
    std::int64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v > 0 ? std::optional<std::int64_t>(v) : std::nullopt;
}

bool may_edit(const handler_context& ctx, const std::string& user, const std::string& provider,
              const std::string& consumer) {
    for (const auto& name : {provider, consumer})
        if (const team_config* t = ctx.cfg.find_team(name); t && ctx.cfg.is_manager(user, *t)) return true;
    return false;
}

// A user id: "pat", "U0PAT" or a Matrix id "@pat:example.org" (the only kind with an '@').
bool valid_owner(const std::string& id) {
    if (id.empty() || id.size() > 255) return false;
    const bool matrix = id[0] == '@' && id.find(':') != std::string::npos;
    return std::none_of(id.begin() + (matrix ? 1 : 0), id.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) || c == '#' || c == '>' || c == '@' || c == '"';
    });
}

// Splits "platform->alpha", "platform->", "->alpha" into their pieces.
void split_arrow(const std::string& word, std::vector<std::string>& out) {
    for (const std::string arrow : {"->", "\u2192"}) {
        const auto pos = word.find(arrow);
        if (pos == std::string::npos) continue;
        if (pos > 0) out.push_back(word.substr(0, pos));
        out.push_back("->");
        if (pos + arrow.size() < word.size()) out.push_back(word.substr(pos + arrow.size()));
        return;
    }
    out.push_back(word);
}

void add(handler_context& ctx, const incoming& in, const command_line& cmd) {
    std::vector<std::string> head;
    std::size_t k = 1;
    while (k < cmd.args.size() && head.size() < 3) split_arrow(cmd.args[k++], head);
    if (head.size() != 3 || head[1] != "->")
        return fail(ctx, in, "Name the providing team, an arrow and the consuming team: /dep add platform -> alpha ...");
    const team_config* provider = resolve_team(ctx, in, head[0]);
    const team_config* consumer = resolve_team(ctx, in, head[2]);
    if (!provider) return fail(ctx, in, "There is no team called '" + head[0].substr(0, 60) + "'.");
    if (!consumer) return fail(ctx, in, "There is no team called '" + head[2].substr(0, 60) + "'.");
    if (provider == consumer) return fail(ctx, in, "A team cannot depend on itself.");

    dependency_row dep;
    dep.provider = provider->name;
    dep.consumer = consumer->name;
    bool have_type = false, have_due = false, have_owner = false;
    std::string what;
    for (; k < cmd.args.size(); ++k) {
        const std::string& a = cmd.args[k];
        const auto eq = a.find('=');
        const std::string key = eq == std::string::npos ? "" : to_lower(a.substr(0, eq));
        const std::string value = eq == std::string::npos ? "" : a.substr(eq + 1);
        if (key == "type") {
            auto t = dep_type_from_string(to_lower(value));
            if (!t) return fail(ctx, in, "type must be blocking, non-blocking or soft, not '" + value.substr(0, 40) + "'.");
            if (have_type) return fail(ctx, in, "type is given twice.");
            dep.type = *t;
            have_type = true;
        } else if (key == "due") {
            auto d = parse_due_date(value);
            if (!d) return fail(ctx, in, "due must be a date like 2026-12-01, not '" + value.substr(0, 40) + "'.");
            if (have_due) return fail(ctx, in, "due is given twice.");
            dep.due = format_due_date(*d);
            have_due = true;
        } else if (key == "owner") {
            std::string owner = user_id_from_mention(value);
            if (!valid_owner(owner)) return fail(ctx, in, "owner must be a user, like owner=@pat.");
            if (have_owner) return fail(ctx, in, "owner is given twice.");
            dep.owner = owner;
            have_owner = true;
        } else {
            what += (what.empty() ? "" : " ") + a;
        }
    }
    what = trim(what);
    if (what.empty()) return fail(ctx, in, "Say what is needed, in quotes: \"Auth v2\".");
    if (what.size() > max_what_length)
        return fail(ctx, in, "The description is " + std::to_string(what.size()) + " characters long; keep it under " +
                                 std::to_string(max_what_length) + ".");
    if (what.find_first_of("\r\n") != std::string::npos) return fail(ctx, in, "Keep the description on one line.");
    if (!have_type) return fail(ctx, in, "Say what kind of dependency it is: type=blocking, type=non-blocking or type=soft.");
    if (!may_edit(ctx, in.user, dep.provider, dep.consumer))
        return ctx.reply(in, "Only managers of " + dep.provider + " or " + dep.consumer +
                                 " may register a dependency between them. Everyone may read: /dep list.");

    dependency_store deps(ctx.db);
    if (deps.count() >= max_dependencies)
        return ctx.reply(in, "The register is full (" + std::to_string(max_dependencies) + " dependencies).");
    for (const auto& d : deps.involving(dep.provider))
        if (d.provider == dep.provider && d.consumer == dep.consumer && d.status != dep_status::done &&
            to_lower(d.what) == to_lower(what))
            return ctx.reply(in, "That dependency is already registered as #" + std::to_string(d.id) + ".");
    dep.what = what;
    dep.created_by = in.user;
    dep.created_at = dep.updated_at = ctx.now();
    dep.id = deps.add(dep);

    message m;
    m.section("Registered #" + std::to_string(dep.id) + ": " + edge_text(dep, risk_now(ctx.cfg, dep, ctx.now())));
    m.context("Status not-started" + std::string(dep.owner.empty() ? "" : ", owner " + user_mention(dep.owner)) + ". /dep status " +
              std::to_string(dep.id) + " in-progress when work starts.");
    ctx.reply(in, std::move(m));
    check_dependency(ctx, dep);
    check_bottleneck(ctx, dep.provider);
}

// Loads dependency <id> for a change, or answers why not.
// `owner_may`: the dependency's owner may change it too (its status: they know it best).
std::optional<dependency_row> editable(handler_context& ctx, const incoming& in, const std::string& id_text,
                                       bool owner_may = false) {
    auto id = parse_id(id_text);
    if (!id) {
        fail(ctx, in, "'" + id_text.substr(0, 20) + "' is not a dependency number; /dep list shows them.");
        return std::nullopt;
    }
    auto dep = dependency_store(ctx.db).find(*id);
    if (!dep) {
        ctx.reply(in, "There is no dependency #" + std::to_string(*id) + "; /dep list shows them.");
        return std::nullopt;
    }
    if (!may_edit(ctx, in.user, dep->provider, dep->consumer) && !(owner_may && dep->owner == in.user)) {
        ctx.reply(in, (owner_may ? "Only its owner and the managers of " : "Only managers of ") + dep->provider +
                          " or " + dep->consumer + " may change #" + std::to_string(*id) + ".");
        return std::nullopt;
    }
    return dep;
}

void set_status(handler_context& ctx, const incoming& in, const command_line& cmd) {
    if (cmd.args.size() != 3) return fail(ctx, in, "Give a dependency number and a status: /dep status 3 in-progress.");
    auto status = dep_status_from_string(to_lower(cmd.arg(2)));
    if (!status)
        return fail(ctx, in, "The status is one of not-started, in-progress, available, done; not '" +
                                 cmd.arg(2).substr(0, 40) + "'.");
    auto dep = editable(ctx, in, cmd.arg(1), true);
    if (!dep) return;
    const bool was_open = dep->open();
    dep->status = *status;
    dep->updated_at = ctx.now();
    if (dep->open()) dep->resolved_at.reset();
    else if (was_open) dep->resolved_at = ctx.now();
    dependency_store(ctx.db).update(*dep);
    ctx.reply(in, "#" + std::to_string(dep->id) + " is now " + to_string(dep->status) + ": " +
                      edge_text(*dep, risk_now(ctx.cfg, *dep, ctx.now())));
    check_dependency(ctx, *dep);
    check_bottleneck(ctx, dep->provider);
}

void set_due(handler_context& ctx, const incoming& in, const command_line& cmd) {
    if (cmd.args.size() != 3) return fail(ctx, in, "Give a dependency number and a date: /dep due 3 2026-12-08.");
    std::string due;
    const std::string word = to_lower(cmd.arg(2));
    if (word != "none") {
        auto d = parse_due_date(cmd.arg(2));
        if (!d) return fail(ctx, in, "The due date looks like 2026-12-08 (or none), not '" + cmd.arg(2).substr(0, 40) + "'.");
        due = format_due_date(*d);
    }
    auto dep = editable(ctx, in, cmd.arg(1));
    if (!dep) return;
    dep->due = due;
    dep->updated_at = ctx.now();
    dependency_store(ctx.db).update(*dep);
    ctx.reply(in, "#" + std::to_string(dep->id) +
                      (due.empty() ? " now has no due date"
                                   : " is now " + due_words(*dep, dependency_today(ctx.cfg, *dep, ctx.now()))) +
                      ": " + edge_text(*dep, risk_now(ctx.cfg, *dep, ctx.now())));
    check_dependency(ctx, *dep);
}

// " for alpha", or " in any team" when the title is all teams ("").
std::string for_whom(const std::string& title) { return title.empty() ? " in any team" : " for " + title; }
std::string header_of(const std::string& title) { return title.empty() ? "all teams" : title; }

// The dependencies a read command is about: one team's, or all. Sets `title` ("" for all teams).
std::optional<std::vector<dependency_row>> selected(handler_context& ctx, const incoming& in, const command_line& cmd,
                                                    std::string& title) {
    if (cmd.args.size() > 2) {
        fail(ctx, in, "Name at most one team.");
        return std::nullopt;
    }
    dependency_store deps(ctx.db);
    if (cmd.arg(1).empty()) {
        title = "";  // all teams
        return deps.all();
    }
    const team_config* team = resolve_team(ctx, in, cmd.arg(1));
    if (!team) {
        fail(ctx, in, "There is no team called '" + cmd.arg(1).substr(0, 60) + "'.");
        return std::nullopt;
    }
    title = team->name;
    return deps.involving(team->name);
}

void list(handler_context& ctx, const incoming& in, const command_line& cmd) {
    std::string title;
    auto deps = selected(ctx, in, cmd, title);
    if (!deps) return;
    if (deps->empty()) return ctx.reply(in, "No dependencies registered" + for_whom(title) + ". /dep help shows how to add one.");
    std::vector<std::vector<std::string>> rows{{"#", "provider", "consumer", "what", "type", "status", "due", "owner", "risk"}};
    for (std::size_t i = 0; i < deps->size() && i < max_rows; ++i) {
        const auto& d = (*deps)[i];
        rows.push_back({std::to_string(d.id), d.provider, d.consumer, shown_text(d.what), to_string(d.type), to_string(d.status),
                        d.due.empty() ? "-" : d.due, d.owner.empty() ? "-" : user_mention(d.owner),
                        to_string(risk_now(ctx.cfg, d, ctx.now()))});
    }
    message m;
    m.header("Dependencies \u2014 " + header_of(title));
    m.table(std::move(rows));
    if (deps->size() > max_rows)
        m.context("The first " + std::to_string(max_rows) + " of " + std::to_string(deps->size()) +
                  "; name a team to see fewer.");
    ctx.reply(in, std::move(m));
}

void risks(handler_context& ctx, const incoming& in, const command_line& cmd) {
    std::string title;
    auto deps = selected(ctx, in, cmd, title);
    if (!deps) return;
    struct item {
        dep_risk risk;
        dependency_row dep;
    };
    std::vector<item> open;
    for (auto& d : *deps) {
        const dep_risk r = risk_now(ctx.cfg, d, ctx.now());
        if (r != dep_risk::none) open.push_back({r, std::move(d)});
    }
    if (open.empty()) return ctx.reply(in, "No open dependency risks" + for_whom(title) + ".");
    // Highest risk first; then the earliest due date (undated last); then by number.
    std::stable_sort(open.begin(), open.end(), [](const item& a, const item& b) {
        if (a.risk != b.risk) return a.risk > b.risk;
        if (a.dep.due.empty() != b.dep.due.empty()) return b.dep.due.empty();
        if (a.dep.due != b.dep.due) return a.dep.due < b.dep.due;
        return a.dep.id < b.dep.id;
    });
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < open.size() && i < max_rows; ++i) {
        const auto& it = open[i];
        lines.push_back(upper(to_string(it.risk)) + "  " + short_text(it.dep) + " \u2014 " + to_string(it.dep.type) +
                        ", " + to_string(it.dep.status) + ", " +
                        due_words(it.dep, dependency_today(ctx.cfg, it.dep, ctx.now())));
    }
    message m;
    m.header("Dependency risks \u2014 " + header_of(title));
    m.list(std::move(lines));
    if (open.size() > max_rows) m.context("The first " + std::to_string(max_rows) + " of " + std::to_string(open.size()) + ".");
    ctx.reply(in, std::move(m));
}

void graph(handler_context& ctx, const incoming& in, const command_line& cmd) {
    std::string title;
    auto deps = selected(ctx, in, cmd, title);
    if (!deps) return;
    std::vector<dependency_row> open;
    for (auto& d : *deps)
        if (d.open()) open.push_back(std::move(d));
    if (open.empty()) return ctx.reply(in, "No open dependencies" + for_whom(title) + ".");
    std::stable_sort(open.begin(), open.end(), [](const dependency_row& a, const dependency_row& b) {
        return std::tie(a.provider, a.consumer, a.id) < std::tie(b.provider, b.consumer, b.id);
    });
    std::string lines;
    std::size_t n = 0;
    for (const auto& d : open) {
        if (n++ == max_rows) break;
        lines += (lines.empty() ? "" : "\n") + edge_text(d, risk_now(ctx.cfg, d, ctx.now()));
    }
    message m;
    m.header("Who blocks whom \u2014 " + header_of(title));
    m.section(lines);
    m.context("Open dependencies only; \u2500\u2500blocks\u2500\u2500 blocking, \u2500\u2500feeds\u2500\u2500 non-blocking, "
              "\u2504\u2504helps\u2504\u2504 soft.");
    ctx.reply(in, std::move(m));
}

// /dep dismiss <id>: the suggestion was a false alarm. Its team's managers (or,
// for a team without managers, its members, who got it in the channel) may.
void dismiss(handler_context& ctx, const incoming& in, const command_line& cmd) {
    if (cmd.args.size() != 2) return fail(ctx, in, "Give the suggestion's number: /dep dismiss 3.");
    auto id = parse_id(cmd.arg(1));
    if (!id) return fail(ctx, in, "'" + cmd.arg(1).substr(0, 20) + "' is not a suggestion number.");
    dependency_store deps(ctx.db);
    auto s = deps.find_suggestion(*id);
    if (!s) return ctx.reply(in, "There is no hidden-dependency suggestion #" + std::to_string(*id) + ".");
    const team_config* team = ctx.cfg.find_team(s->consumer);
    const bool allowed =
        team && (ctx.cfg.is_manager(in.user, *team) ||
                 (team->managers.empty() &&
                  std::find(team->members.begin(), team->members.end(), in.user) != team->members.end()));
    if (!allowed)
        return ctx.reply(in, "Only the managers of " + s->consumer + ", who got suggestion #" + std::to_string(*id) +
                                 ", may dismiss it.");
    if (!deps.dismiss_suggestion(*id, in.user, ctx.now()))
        return ctx.reply(in, "Suggestion #" + std::to_string(*id) + " was already dismissed.");
    ctx.reply(in, "Dismissed #" + std::to_string(*id) + ": I will not suggest " + s->consumer + " waiting on " +
                      s->provider + " again for \u201C" + s->words + "\u201D.");
}

}  // namespace

void handle_dep_command(handler_context& ctx, const incoming& in, const command_line& cmd) {
    if (in.text.size() > max_command_length)
        return ctx.reply(in, "That command is " + std::to_string(in.text.size()) + " characters long; /dep commands fit in " +
                                 std::to_string(max_command_length) + ".");
    const std::string sub = to_lower(cmd.arg(0));
    if (sub.empty() || sub == "help") return ctx.reply(in, std::string(help_text) + "\n" + usage);
    if (sub == "add") return add(ctx, in, cmd);
    if (sub == "status") return set_status(ctx, in, cmd);
    if (sub == "due") return set_due(ctx, in, cmd);
    if (sub == "list") return list(ctx, in, cmd);
    if (sub == "risks" || sub == "risk") return risks(ctx, in, cmd);
    if (sub == "graph") return graph(ctx, in, cmd);
    if (sub == "dismiss") return dismiss(ctx, in, cmd);
    fail(ctx, in, "I don't understand /dep " + trim(cmd.rest(0)).substr(0, 60) + ".");
}

}  // namespace ritualbot
