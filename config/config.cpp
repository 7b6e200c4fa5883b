#include "config/config.hpp"

#include <arpa/inet.h>
#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <iterator>
// toml++ 3.3.0 asserts on some malformed table headers ("[*]", "[[=", found by
// tests/fuzz/config_fuzz.cpp; fixed upstream in marzer/tomlplusplus#301)
// where its release build reports a parse error: a Debug build of the bot
// aborted on such a typo in its config. Its own asserts off, it reports the
// error in every build.
#define TOML_ASSERT(expr) static_assert(true)
#include <toml++/toml.h>

namespace ritualbot {
namespace {

class validator {
public:
    std::vector<config_error> errors;

    void error(const toml::node* at, std::string message) {
        int line = at ? static_cast<int>(at->source().begin.line) : 0;
        errors.push_back({line, std::move(message)});
    }

    // Every key must be one the bot knows: a typo is an error, not a silent default.
    void only_keys(const toml::table& t, std::string_view where, std::initializer_list<std::string_view> allowed) {
        for (auto&& [key, value] : t) {
            if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
                std::string list;
                for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
                error(&value, "unknown key '" + std::string(key.str()) + "' in " + std::string(where) +
                                  " (known keys: " + list + ")");
            }
        }
    }

    std::optional<std::string> string_at(const toml::table& t, std::string_view key, std::string_view where) {
        const toml::node* n = t.get(key);
        if (!n) return std::nullopt;
        if (auto s = n->as_string()) return s->get();
        error(n, std::string(where) + "." + std::string(key) + " must be a string");
        return std::nullopt;
    }

    std::vector<std::string> strings_at(const toml::table& t, std::string_view key, std::string_view where) {
        std::vector<std::string> out;
        const toml::node* n = t.get(key);
        if (!n) return out;
        const toml::array* arr = n->as_array();
        if (!arr) {
            error(n, std::string(where) + "." + std::string(key) + " must be a list of strings, like [\"alice\", \"bob\"]");
            return out;
        }
        out.reserve(arr->size());  // exactly: 20,000 members are 640 KB of names, not up to twice that
        for (auto&& item : *arr) {
            if (auto s = item.as_string()) {
                if (s->get().empty())
                    error(&item, std::string(where) + "." + std::string(key) + " has an empty name");
                else
                    out.push_back(s->get());
            } else {
                error(&item, std::string(where) + "." + std::string(key) + " must contain only strings");
            }
        }
        return out;
    }

    const toml::table* table_at(const toml::table& t, std::string_view key, std::string_view where) {
        const toml::node* n = t.get(key);
        if (!n) return nullptr;
        if (auto tbl = n->as_table()) return tbl;
        error(n, std::string(where) + " must be a table");
        return nullptr;
    }

    bool valid_zone(const toml::node* at, const std::string& zone, std::string_view where) {
        try {
            (void)date::locate_zone(zone);
            return true;
        } catch (const std::exception&) {
            error(at, std::string(where) + ": unknown time zone '" + zone +
                          "' (use a tz database name such as \"Europe/Berlin\" or \"UTC\")");
            return false;
        }
    }
};

// Slack ids: an upper-case letter from `first` and then upper-case letters and digits.
bool valid_slack_id(const std::string& id, std::string_view first) {
    if (id.size() < 2 || id.size() > 32 || first.find(id[0]) == std::string_view::npos) return false;
    for (char c : id)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
    return true;
}

// A Matrix user id: "@localpart:server".
bool valid_matrix_user_id(const std::string& id) {
    const auto colon = id.find(':');
    return id.size() >= 4 && id[0] == '@' && colon != std::string::npos && colon > 1 && colon + 1 < id.size() &&
           id.find_first_of(" \t>#") == std::string::npos;
}

bool valid_user_id(const std::string& id) {
    return id.find_first_of(" \t>#") == std::string::npos && (id[0] != '@' || valid_matrix_user_id(id));
}

void read_matrix(const toml::table& root, config& cfg, validator& v) {
    const toml::table* m = v.table_at(root, "matrix", "[matrix]");
    const bool used = std::any_of(cfg.teams.begin(), cfg.teams.end(),
                                  [](const team_config& t) { return t.platform == "matrix"; });
    if (!m) {
        if (used) v.error(nullptr, "a team has platform = \"matrix\" but there is no [matrix] table (homeserver, user_id)");
        return;
    }
    v.only_keys(*m, "[matrix]", {"homeserver", "user_id", "device_id", "ca_file", "sync_timeout_seconds"});
    matrix_config mc;
    if (auto s = v.string_at(*m, "homeserver", "[matrix]")) mc.homeserver = *s;
    if (mc.homeserver.empty()) {
        v.error(m, "[matrix] needs homeserver = \"https://matrix.example.org\"");
    } else if (!(mc.homeserver.starts_with("https://") || mc.homeserver.starts_with("http://"))) {
        v.error(m->get("homeserver"), "[matrix] homeserver must be an https:// URL, got \"" + mc.homeserver + "\"");
    }
    if (auto s = v.string_at(*m, "user_id", "[matrix]")) mc.user_id = *s;
    if (!valid_matrix_user_id(mc.user_id))
        v.error(m->get("user_id") ? m->get("user_id") : m, "[matrix] user_id must look like \"@ritualbot:example.org\"");
    if (auto s = v.string_at(*m, "device_id", "[matrix]")) {
        if (s->empty() || s->find_first_of(" \t/") != std::string::npos)
            v.error(m->get("device_id"), "[matrix] device_id must be one word, like \"RITUALBOT\"");
        else mc.device_id = *s;
    }
    if (auto s = v.string_at(*m, "ca_file", "[matrix]")) mc.ca_file = *s;
    if (const toml::node* n = m->get("sync_timeout_seconds")) {
        auto i = n->as_integer();
        if (!i || i->get() < 1 || i->get() > 300) v.error(n, "[matrix] sync_timeout_seconds must be a whole number from 1 to 300");
        else mc.sync_timeout = std::chrono::seconds(i->get());
    }
    cfg.matrix = std::move(mc);
}

// "127.0.0.1:9464", "[::1]:9464": an IP address (checked) and a port; nullopt
// (and an error naming `where`) when it is not.
std::optional<health_config> read_listen(const toml::table& t, std::string_view where, std::string_view example,
                                         validator& v) {
    auto listen = v.string_at(t, "listen", where);
    if (!listen) {
        if (!t.get("listen"))
            v.error(&t, std::string(where) + " needs listen = \"" + std::string(example) + "\" (or leave " +
                            std::string(where) + " out)");
        return std::nullopt;
    }
    const toml::node* at = t.get("listen");
    const auto colon = listen->rfind(':');
    std::string host = colon == std::string::npos ? std::string() : listen->substr(0, colon);
    const std::string port_text = colon == std::string::npos ? std::string() : listen->substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    in6_addr buffer{};
    const bool address_ok = inet_pton(AF_INET, host.c_str(), &buffer) == 1 || inet_pton(AF_INET6, host.c_str(), &buffer) == 1;
    int port = 0;
    const bool port_ok = !port_text.empty() && port_text.size() <= 5 &&
                         std::all_of(port_text.begin(), port_text.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                         (port = std::stoi(port_text)) >= 1 && port <= 65535;
    if (!address_ok || !port_ok) {
        v.error(at, std::string(where) + " listen must be an IP address and a port, like \"" + std::string(example) +
                        "\" or \"[::1]:" + std::string(example.substr(example.rfind(':') + 1)) + "\", not \"" +
                        *listen + "\"");
        return std::nullopt;
    }
    return health_config{host, static_cast<unsigned short>(port)};
}

void read_health(const toml::table& root, config& cfg, validator& v) {
    const toml::table* h = v.table_at(root, "health", "[health]");
    if (!h) return;
    v.only_keys(*h, "[health]", {"listen"});
    cfg.health = read_listen(*h, "[health]", "127.0.0.1:9464", v);
}

// [web]: the dashboard's listen address, the URL people reach it at, how long a link lasts.
void read_web(const toml::table& root, config& cfg, validator& v) {
    const toml::table* w = v.table_at(root, "web", "[web]");
    if (!w) return;
    v.only_keys(*w, "[web]", {"listen", "public_url", "link_hours"});
    auto listen = read_listen(*w, "[web]", "127.0.0.1:8080", v);
    if (!listen) return;
    web_config wc;
    wc.address = listen->address;
    wc.port = listen->port;
    const std::string shown_host = wc.address.find(':') != std::string::npos ? "[" + wc.address + "]" : wc.address;
    wc.public_url = "http://" + shown_host + ":" + std::to_string(wc.port);
    if (auto s = v.string_at(*w, "public_url", "[web]")) {
        std::string url = *s;
        while (!url.empty() && url.back() == '/') url.pop_back();
        const bool scheme = url.starts_with("https://") || url.starts_with("http://");
        const std::string rest = scheme ? url.substr(url.find("//") + 2) : std::string();
        if (!scheme || rest.empty() || rest.find_first_of(" \t\"<>?#") != std::string::npos)
            v.error(w->get("public_url"), "[web] public_url must be the address people open, like "
                                          "\"https://ritual.example.org\" (no query), not \"" + *s + "\"");
        else wc.public_url = url;
    }
    if (const toml::node* n = w->get("link_hours")) {
        auto i = n->as_integer();
        if (!i || i->get() < 1 || i->get() > 24 * 90)
            v.error(n, "[web] link_hours must be a whole number of hours from 1 to 2160 (90 days)");
        else wc.link_lifetime = std::chrono::hours(i->get());
    }
    cfg.web = std::move(wc);
}

// An alias is one or more words of letters, digits, '-' or '_' (no '@' or
// '#': mentions of a team's channel are recognised anyway), and no two teams
// may share a name or an alias, or a mention would be ambiguous.
void check_aliases(const toml::table& root, const config& cfg, validator& v) {
    const toml::array* arr = root.get("teams") ? root.get("teams")->as_array() : nullptr;
    std::map<std::string, std::string> owner;  // lower-case name or alias -> team
    auto words_of = [](const std::string& s) {
        std::string out, word;
        for (char c : s + " ") {
            if (c == ' ') {
                if (!word.empty()) out += (out.empty() ? "" : " ") + word;
                word.clear();
            } else {
                word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
        }
        return out;
    };
    for (const auto& team : cfg.teams)
        if (!team.name.empty()) owner.emplace(words_of(team.name), team.name);
    for (std::size_t i = 0; i < cfg.teams.size(); ++i) {
        const team_config& team = cfg.teams[i];
        const toml::node* at = arr && i < arr->size() ? arr->get(i) : nullptr;
        if (at && at->as_table() && at->as_table()->get("aliases")) at = at->as_table()->get("aliases");
        for (const auto& alias : team.aliases) {
            bool ok = alias.size() <= 40;
            for (char c : alias)
                if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ' ')) ok = false;
            const std::string key = words_of(alias);
            if (!ok || key.empty()) {
                v.error(at, "team '" + team.name + "': alias '" + alias +
                                "' must be words of letters, digits, '-' or '_' (at most 40 characters)");
                continue;
            }
            auto [it, fresh] = owner.emplace(key, team.name);
            if (!fresh && it->second != team.name)
                v.error(at, "team '" + team.name + "': alias '" + alias + "' is already a name or alias of team '" +
                                it->second + "'");
        }
    }
}

void read_org(const toml::table& root, config& cfg, validator& v) {
    const toml::table* org = v.table_at(root, "org", "[org]");
    if (!org) return;
    v.only_keys(*org, "[org]", {"admins"});
    cfg.org.admins = v.strings_at(*org, "admins", "[org]");
    std::set<std::string> seen;
    for (const auto& id : cfg.org.admins) {
        if (!valid_user_id(id))
            v.error(org->get("admins"), "[org] admins: '" + id + "' is not a valid user id (no '@', '#', '>' or spaces)");
        else if (!seen.insert(id).second)
            v.error(org->get("admins"), "[org] admins: '" + id + "' is listed twice");
    }
}

// prompt_days = ["Wed", "Thu", "Fri"]: the days a member may choose for their prompt.
std::vector<unsigned> read_prompt_days(const toml::table& t, const std::string& where, validator& v) {
    std::vector<unsigned> days;
    for (const auto& name : v.strings_at(t, "prompt_days", where)) {
        if (auto d = parse_weekday(name)) {
            if (std::find(days.begin(), days.end(), *d) == days.end()) days.push_back(*d);
        } else {
            v.error(t.get("prompt_days"), where + ".prompt_days: '" + name + "' is not a weekday (Mon, Tue, ... Sun)");
        }
    }
    std::sort(days.begin(), days.end(), [](unsigned a, unsigned b) { return (a + 6) % 7 < (b + 6) % 7; });
    if (days.empty() && t.get("prompt_days"))
        v.error(t.get("prompt_days"), where + ".prompt_days must name at least one weekday, like [\"Thu\"]");
    return days;
}

// prompt_window = "09:00-18:00": the local times a member may choose for their prompt.
std::optional<std::pair<int, int>> read_prompt_window(const toml::table& t, const std::string& where, validator& v) {
    auto s = v.string_at(t, "prompt_window", where);
    if (!s) return std::nullopt;
    std::string err;
    auto w = parse_clock_window(*s, err);
    if (!w) v.error(t.get("prompt_window"), where + ".prompt_window: " + err);
    return w;
}

// Takes the teams' member lists out of the TOML tree as it reads them: at
// 20,000 members their nodes are 1.6 MB, and the bot's highest heap of the
// day was this tree and the config's copy of it side by side.
void read_teams(toml::table& root, config& cfg, validator& v) {
    toml::node* n = root.get("teams");
    if (!n) {
        v.error(nullptr, "no teams: add at least one [[teams]] table with a name, channel and members");
        return;
    }
    toml::array* arr = n->as_array();
    if (!arr || !arr->is_array_of_tables()) {
        v.error(n, "teams must be written as [[teams]] tables");
        return;
    }
    std::set<std::string> names, channels;
    for (auto&& item : *arr) {
        toml::table& t = *item.as_table();
        team_config team;
        std::string where = "[[teams]]";
        v.only_keys(t, where,
                    {"name", "platform", "channel", "timezone", "managers", "members", "aliases", "eowd", "learning",
                     "weekly_update", "prompt_days", "prompt_window"});
        if (auto s = v.string_at(t, "name", where)) team.name = *s;
        if (team.name.empty()) {
            v.error(&t, "a [[teams]] table needs a name");
        } else {
            where = "team '" + team.name + "'";
            // One rule for every command that names a team (/okr status web, /dep add web -> api,
            // beta/KR1.2): letters, digits, '-' and '_', unique whatever the case.
            bool word = team.name.size() <= 40;
            for (char c : team.name)
                if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) word = false;
            std::string key = team.name;
            for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (!word)
                v.error(t.get("name"), "team name '" + team.name +
                                           "' must be one word of letters, digits, '-' or '_' (at most 40 "
                                           "characters), so that commands can name it");
            else if (!names.insert(key).second)
                v.error(t.get("name"), "team name '" + team.name +
                                           "' is used twice (team names are the same whatever their case)");
        }
        if (auto s = v.string_at(t, "platform", where)) team.platform = *s;
        if (team.platform != "console" && team.platform != "slack" && team.platform != "matrix") {
            v.error(t.get("platform"), where + ": platform '" + team.platform +
                                           "' is not available in this build (available: console, slack, matrix)");
        }
        if (auto s = v.string_at(t, "channel", where)) team.channel = *s;
        if (team.channel.empty()) {
            v.error(&t, where + " needs a channel (\"#name\" on the console)");
        } else {
            if (team.platform == "console" && (team.channel.size() < 2 || team.channel[0] != '#' ||
                                               team.channel.find_first_of(" \t>") != std::string::npos))
                v.error(t.get("channel"), where + ": a console channel looks like \"#alpha\" (no spaces), got \"" +
                                              team.channel + "\"");
            if (team.platform == "slack" && !valid_slack_id(team.channel, "CG"))
                v.error(t.get("channel"), where + ": a Slack channel is its id, like \"C0123ABCD\" (channel "
                                              "details, at the bottom of the About tab), got \"" + team.channel + "\"");
            if (team.platform == "matrix" && (team.channel.size() < 4 || team.channel[0] != '!' ||
                                              team.channel.find_first_of(" \t") != std::string::npos))
                v.error(t.get("channel"), where + ": a Matrix channel is the room id, like \"!AbCdEf:example.org\" "
                                              "(room settings, Advanced), got \"" + team.channel + "\"");
            if (!channels.insert(team.platform + " " + team.channel).second)
                v.error(t.get("channel"), where + ": channel " + team.channel + " is used by another team");
        }
        if (auto s = v.string_at(t, "timezone", where)) {
            if (v.valid_zone(t.get("timezone"), *s, where)) team.timezone = *s;
        }
        team.managers = v.strings_at(t, "managers", where);
        team.members = v.strings_at(t, "members", where);
        if (toml::array* read = t.get_as<toml::array>("members")) read->clear();  // read: its nodes go
        if (team.platform == "slack" && !t.get("members")) {
            team.members_from_channel = true;  // the channel's members, looked up at start
        } else if (team.members.empty() && !team.name.empty()) {
            v.error(&t, where + " has no members: list who writes weekly updates in members = [...]");
        }
        if (team.platform == "slack") {
            for (const auto* list : {&team.managers, &team.members})
                for (const auto& id : *list)
                    if (!valid_slack_id(id, "UW"))
                        v.error(&t, where + ": '" + id + "' is not a Slack user id (like \"U0123ABCD\": "
                                            "profile, \u22ee, Copy member ID)");
        }
        for (const auto* list : {&team.managers, &team.members}) {
            std::set<std::string> seen;
            for (const auto& id : *list) {
                if (!valid_user_id(id))
                    v.error(&t, where + ": '" + id + "' is not a valid user id (no '@', '#', '>' or spaces; "
                                        "Matrix ids look like \"@alice:example.org\")");
                else if (!seen.insert(id).second)
                    v.error(&t, where + ": '" + id + "' is listed twice");
            }
        }
        team.aliases = v.strings_at(t, "aliases", where);
        if (t.get("prompt_days")) team.prompt_days = read_prompt_days(t, where, v);
        if (auto w = read_prompt_window(t, where, v)) team.prompt_window = *w;
        cfg.teams.push_back(std::move(team));
    }
    check_aliases(root, cfg, v);
}

void read_members(const toml::table& root, config& cfg, validator& v) {
    const toml::node* n = root.get("members");
    if (!n) return;
    const toml::array* arr = n->as_array();
    if (!arr || !arr->is_array_of_tables()) {
        v.error(n, "members must be written as [[members]] tables");
        return;
    }
    std::set<std::string> ids;
    for (auto&& item : *arr) {
        const toml::table& t = *item.as_table();
        member_config m;
        v.only_keys(t, "[[members]]", {"id", "timezone"});
        if (auto s = v.string_at(t, "id", "[[members]]")) m.id = *s;
        if (m.id.empty()) {
            v.error(&t, "a [[members]] table needs an id");
            continue;
        }
        std::string where = "member '" + m.id + "'";
        if (!ids.insert(m.id).second) v.error(t.get("id"), where + " has two [[members]] tables");
        const bool channel_members = std::any_of(cfg.teams.begin(), cfg.teams.end(),
                                                 [](const team_config& t) { return t.members_from_channel; });
        if (cfg.teams_of(m.id).empty() && !(channel_members && valid_slack_id(m.id, "UW")))
            v.error(t.get("id"), where + " is not a member or manager of any team (a typo?)");
        if (auto s = v.string_at(t, "timezone", where)) {
            if (v.valid_zone(t.get("timezone"), *s, where)) m.timezone = *s;
        }
        cfg.members.push_back(std::move(m));
    }
}

bool has_control_character(const std::string& s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
    return false;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// `questions`, `risk` and `focus` of [rituals.weekly_update] or a team's
// [teams.weekly_update]. `out` starts from the set inherited; questions given
// here replace it, and then risk and focus are only what this table says.
void read_question_set(const toml::table& t, const std::string& where, validator& v, question_set& out) {
    if (const toml::node* n = t.get("questions")) {
        question_set own;
        const toml::array* arr = n->as_array();
        if (!arr || (!arr->empty() && !arr->is_array_of_tables())) {
            v.error(n, where + " questions must be a list of tables, like "
                               "[{ label = \"Goal\", text = \"What goal did I work toward?\" }, ...]");
            return;
        }
        if (arr->size() < question_set::min_questions || arr->size() > question_set::max_questions)
            v.error(n, where + " has " + std::to_string(arr->size()) + " question" + (arr->size() == 1 ? "" : "s") +
                           "; a weekly update asks from " + std::to_string(question_set::min_questions) + " to " +
                           std::to_string(question_set::max_questions));
        std::set<std::string> labels;
        for (std::size_t i = 0; i < arr->size(); ++i) {
            const toml::table& q = *arr->get(i)->as_table();
            const std::string at = where + " question " + std::to_string(i + 1);
            v.only_keys(q, at, {"label", "text"});
            update_question uq;
            if (auto s = v.string_at(q, "label", at)) uq.label = *s;
            if (auto s = v.string_at(q, "text", at)) uq.text = *s;
            const toml::node* label_at = q.get("label") ? q.get("label") : &q;
            if (uq.label.empty() || uq.label.find_first_not_of(' ') == std::string::npos) {
                v.error(label_at, at + " needs a label, a short name the digest shows before its answer "
                                       "(label = \"Goal\")");
            } else if (uq.label.size() > question_set::max_label_length || has_control_character(uq.label) ||
                       uq.label.front() == ' ' || uq.label.back() == ' ') {
                v.error(label_at, at + ": label '" + uq.label + "' must be one line of at most " +
                                      std::to_string(question_set::max_label_length) +
                                      " characters without leading or trailing spaces");
            } else if (uq.label.find_first_not_of("0123456789") == std::string::npos) {
                v.error(label_at, at + ": label '" + uq.label +
                                      "' must not be a number (/update edit 3 means the third question)");
            } else if (!labels.insert(lower(uq.label)).second) {
                v.error(label_at, at + ": label '" + uq.label + "' is used twice (labels are the same whatever "
                                       "their case)");
            }
            const toml::node* text_at = q.get("text") ? q.get("text") : &q;
            if (uq.text.find_first_not_of(' ') == std::string::npos)
                v.error(text_at, at + " needs a text, the question the bot asks (text = \"What is at risk?\")");
            else if (uq.text.size() > question_set::max_text_length || has_control_character(uq.text))
                v.error(text_at, at + ": the text must be one line of at most " +
                                     std::to_string(question_set::max_text_length) + " characters (it has " +
                                     std::to_string(uq.text.size()) + ")");
            own.questions.push_back(std::move(uq));
        }
        out = std::move(own);
    }
    for (const char* role : {"risk", "focus"}) {
        auto s = v.string_at(t, role, where);
        if (!s) continue;
        if (!s->empty() && out.index_of(*s) < 0) {
            std::string known;
            for (const auto& q : out.questions) known += (known.empty() ? "" : ", ") + q.label;
            v.error(t.get(role), where + " " + role + " = \"" + *s + "\" names no question (labels: " + known +
                                     "; \"\" for none)");
            continue;
        }
        (std::string_view(role) == "risk" ? out.risk : out.focus) = *s;
    }
}

void read_rituals(const toml::table& root, config& cfg, validator& v) {
    const toml::table* rituals = v.table_at(root, "rituals", "[rituals]");
    if (!rituals) return;
    v.only_keys(*rituals, "[rituals]", {"weekly_update", "digest", "okr", "eowd", "learning"});
    std::string err;
    if (const toml::table* wu = v.table_at(*rituals, "weekly_update", "[rituals.weekly_update]")) {
        v.only_keys(*wu, "[rituals.weekly_update]",
                    {"prompt", "reminder_after", "questions", "risk", "focus", "prompt_days", "prompt_window",
                     "snoozes_per_week", "snooze_default", "snooze_max"});
        read_question_set(*wu, "[rituals.weekly_update]", v, cfg.weekly_update.questions);
        const std::string where = "[rituals.weekly_update]";
        if (wu->get("prompt_days")) {
            auto days = read_prompt_days(*wu, where, v);
            if (!days.empty()) cfg.weekly_update.prompt_days = std::move(days);
        }
        if (auto w = read_prompt_window(*wu, where, v)) cfg.weekly_update.prompt_window = *w;
        if (const toml::node* n = wu->get("snoozes_per_week")) {
            auto i = n->as_integer();
            if (!i || i->get() < 0 || i->get() > 10)
                v.error(n, where + " snoozes_per_week must be a whole number from 0 (no snoozing) to 10");
            else
                cfg.weekly_update.snoozes_per_week = static_cast<int>(i->get());
        }
        for (auto [key, out] : {std::pair{"snooze_default", &cfg.weekly_update.snooze_default},
                                std::pair{"snooze_max", &cfg.weekly_update.snooze_max}}) {
            if (auto s = v.string_at(*wu, key, where)) {
                auto d = parse_duration(*s, err);
                if (!d) v.error(wu->get(key), where + " " + key + ": " + err);
                else if (*d < std::chrono::minutes(5) || *d > std::chrono::hours(72))
                    v.error(wu->get(key), where + " " + key + " must be from 5m to 3d, got \"" + *s + "\"");
                else *out = *d;
            }
        }
        if (cfg.weekly_update.snooze_default > cfg.weekly_update.snooze_max)
            v.error(wu->get("snooze_default"), where + " snooze_default (" +
                                                   format_duration(cfg.weekly_update.snooze_default) +
                                                   ") is longer than snooze_max (" +
                                                   format_duration(cfg.weekly_update.snooze_max) + ")");
        if (auto s = v.string_at(*wu, "prompt", "[rituals.weekly_update]")) {
            if (auto t = parse_weekly_time(*s, err)) cfg.weekly_update.prompt = *t;
            else v.error(wu->get("prompt"), "[rituals.weekly_update] prompt: " + err);
        }
        if (auto s = v.string_at(*wu, "reminder_after", "[rituals.weekly_update]")) {
            if (auto d = parse_duration(*s, err)) cfg.weekly_update.reminder_after = *d;
            else v.error(wu->get("reminder_after"), "[rituals.weekly_update] reminder_after: " + err);
        }
    }
    if (const toml::table* dg = v.table_at(*rituals, "digest", "[rituals.digest]")) {
        v.only_keys(*dg, "[rituals.digest]", {"at"});
        if (auto s = v.string_at(*dg, "at", "[rituals.digest]")) {
            if (auto t = parse_weekly_time(*s, err)) cfg.digest.at = *t;
            else v.error(dg->get("at"), "[rituals.digest] at: " + err);
        }
    }
}

void read_okr(const toml::table& rituals, config& cfg, validator& v) {
    const std::string where = "[rituals.okr]";
    const toml::table* okr = v.table_at(rituals, "okr", where);
    if (!okr) return;
    v.only_keys(*okr, where,
                {"checkin", "checkin_open_for", "period", "on_track_within", "at_risk_within", "stale_days",
                 "max_objectives", "max_key_results"});
    std::string err;
    if (auto s = v.string_at(*okr, "checkin", where)) {
        if (auto t = parse_weekly_time(*s, err)) cfg.okr.checkin = *t;
        else v.error(okr->get("checkin"), where + " checkin: " + err);
    }
    if (auto s = v.string_at(*okr, "checkin_open_for", where)) {
        if (auto d = parse_duration(*s, err)) cfg.okr.checkin_open_for = *d;
        else v.error(okr->get("checkin_open_for"), where + " checkin_open_for: " + err);
    }
    if (auto s = v.string_at(*okr, "period", where)) {
        if (*s == "quarter" || *s == "half" || *s == "year") cfg.okr.period = *s;
        else v.error(okr->get("period"), where + " period must be \"quarter\", \"half\" or \"year\", got \"" + *s + "\"");
    }
    auto integer = [&](std::string_view key, int lo, int hi, int& out) {
        const toml::node* n = okr->get(key);
        if (!n) return;
        auto i = n->as_integer();
        if (!i || i->get() < lo || i->get() > hi) {
            v.error(n, where + " " + std::string(key) + " must be a whole number from " + std::to_string(lo) +
                           " to " + std::to_string(hi));
            return;
        }
        out = static_cast<int>(i->get());
    };
    integer("on_track_within", 0, 100, cfg.okr.on_track_within);
    integer("at_risk_within", 0, 100, cfg.okr.at_risk_within);
    integer("stale_days", 1, 365, cfg.okr.stale_days);
    integer("max_objectives", 1, 50, cfg.okr.max_objectives);
    integer("max_key_results", 1, 50, cfg.okr.max_key_results);
    if (cfg.okr.at_risk_within < cfg.okr.on_track_within)
        v.error(okr->get("at_risk_within"), where + " at_risk_within (" + std::to_string(cfg.okr.at_risk_within) +
                                                ") must not be smaller than on_track_within (" +
                                                std::to_string(cfg.okr.on_track_within) + ")");
}

// Minutes since Monday 00:00, to order the EOWD's times within its ISO week.
int minute_of_week(const weekly_time& t) { return static_cast<int>((t.weekday + 6) % 7) * 1440 + t.hour * 60 + t.minute; }

bool read_bool(const toml::table& t, std::string_view key, const std::string& where, validator& v, bool& out) {
    const toml::node* n = t.get(key);
    if (!n) return false;
    if (auto b = n->as_boolean()) {
        out = b->get();
        return true;
    }
    v.error(n, where + " " + std::string(key) + " must be true or false");
    return false;
}

void read_int(const toml::table& t, std::string_view key, int lo, int hi, const std::string& where, validator& v,
              int& out) {
    const toml::node* n = t.get(key);
    if (!n) return;
    auto i = n->as_integer();
    if (!i || i->get() < lo || i->get() > hi) {
        v.error(n, where + " " + std::string(key) + " must be a whole number from " + std::to_string(lo) + " to " +
                       std::to_string(hi));
        return;
    }
    out = static_cast<int>(i->get());
}

void read_weekly(const toml::table& t, std::string_view key, const std::string& where, validator& v,
                 weekly_time& out) {
    std::string err;
    if (auto s = v.string_at(t, key, where)) {
        if (auto w = parse_weekly_time(*s, err)) out = *w;
        else v.error(t.get(key), where + " " + std::string(key) + ": " + err);
    }
}

void read_minutes(const toml::table& t, std::string_view key, std::chrono::minutes lo, std::chrono::minutes hi,
                  const std::string& where, validator& v, std::chrono::minutes& out) {
    std::string err;
    auto s = v.string_at(t, key, where);
    if (!s) return;
    auto d = parse_duration(*s, err);
    if (!d) {
        v.error(t.get(key), where + " " + std::string(key) + ": " + err);
    } else if (*d < lo || *d > hi) {
        v.error(t.get(key), where + " " + std::string(key) + " must be from " + format_duration(lo) + " to " +
                                format_duration(hi) + ", got \"" + *s + "\"");
    } else {
        out = *d;
    }
}

// [rituals.eowd] or a team's [teams.eowd]: `out` starts from the defaults
// (or the global settings) and takes the keys given.
void read_eowd_table(const toml::table& t, const std::string& where, validator& v, eowd_config& out) {
    v.only_keys(t, where, {"enabled", "at", "slots", "slot_length", "opens", "closes", "remind_before"});
    read_bool(t, "enabled", where, v, out.enabled);
    read_weekly(t, "at", where, v, out.at);
    read_weekly(t, "opens", where, v, out.opens);
    read_weekly(t, "closes", where, v, out.closes);
    read_int(t, "slots", 1, 20, where, v, out.slots);
    read_minutes(t, "slot_length", std::chrono::minutes(1), std::chrono::minutes(120), where, v, out.slot_length);
    read_minutes(t, "remind_before", std::chrono::minutes(1), std::chrono::hours(24), where, v, out.remind_before);
    if (!(minute_of_week(out.opens) < minute_of_week(out.closes) &&
          minute_of_week(out.closes) <= minute_of_week(out.at)))
        v.error(&t, where + ": sign-ups must open before they close, and close no later than the EOWD, within one "
                            "week from Monday (opens \"" + format_weekly_time(out.opens) + "\", closes \"" +
                            format_weekly_time(out.closes) + "\", at \"" + format_weekly_time(out.at) + "\")");
    else if (minute_of_week(out.at) + out.slots * out.slot_length.count() > 7 * 1440)
        v.error(&t, where + ": the EOWD's slots must end within the week (Sunday midnight)");
}

void read_learning_table(const toml::table& t, const std::string& where, validator& v, learning_config& out,
                         bool global) {
    if (global)
        v.only_keys(t, where,
                    {"enabled", "at", "length", "call_days_before", "remind_before", "across_teams", "timezone"});
    else
        v.only_keys(t, where, {"enabled", "at", "length", "call_days_before", "remind_before"});
    read_bool(t, "enabled", where, v, out.enabled);
    read_bool(t, "across_teams", where, v, out.across_teams);
    if (auto s = v.string_at(t, "timezone", where)) {
        if (v.valid_zone(t.get("timezone"), *s, where)) out.timezone = *s;
    }
    std::string err;
    if (auto s = v.string_at(t, "at", where)) {
        if (auto m = parse_monthly_time(*s, err)) out.at = *m;
        else v.error(t.get("at"), where + " at: " + err);
    }
    read_minutes(t, "length", std::chrono::minutes(15), std::chrono::hours(8), where, v, out.length);
    read_int(t, "call_days_before", 1, 27, where, v, out.call_days_before);
    read_minutes(t, "remind_before", std::chrono::minutes(1), std::chrono::hours(24), where, v, out.remind_before);
}

// The EOWD and the learning session: global settings, then each team's own.
void read_eowd_and_learning(const toml::table& root, config& cfg, validator& v) {
    if (const toml::node* r = root.get("rituals"); r && r->as_table()) {
        if (const toml::table* e = v.table_at(*r->as_table(), "eowd", "[rituals.eowd]"))
            read_eowd_table(*e, "[rituals.eowd]", v, cfg.eowd);
        if (const toml::table* l = v.table_at(*r->as_table(), "learning", "[rituals.learning]"))
            read_learning_table(*l, "[rituals.learning]", v, cfg.learning, true);
    }
    const toml::array* arr = root.get("teams") ? root.get("teams")->as_array() : nullptr;
    if (!arr || !arr->is_array_of_tables()) return;
    for (std::size_t i = 0; i < arr->size() && i < cfg.teams.size(); ++i) {
        const toml::table& t = *arr->get(i)->as_table();
        team_config& team = cfg.teams[i];
        const std::string where = "team '" + team.name + "'";
        if (const toml::table* e = v.table_at(t, "eowd", where + " eowd")) {
            eowd_config own = cfg.eowd;
            read_eowd_table(*e, where + " [teams.eowd]", v, own);
            team.eowd = own;
        }
        if (const toml::table* w = v.table_at(t, "weekly_update", where + " weekly_update")) {
            v.only_keys(*w, where + " [teams.weekly_update]", {"questions", "risk", "focus"});
            question_set own = cfg.weekly_update.questions;
            read_question_set(*w, where + " [teams.weekly_update]", v, own);
            team.questions = std::move(own);
        }
        if (const toml::table* l = v.table_at(t, "learning", where + " learning")) {
            learning_config own = cfg.learning;
            read_learning_table(*l, where + " [teams.learning]", v, own, false);
            for (auto&& [key, value] : *l)
                if (cfg.learning.across_teams && key.str() != "enabled")
                    v.error(&value, where + " [teams.learning]: with [rituals.learning] across_teams = true a team "
                                            "may only set enabled (the session is shared)");
            team.learning = own;
        }
    }
}

config_load_result validate(toml::table& root) {
    validator v;
    config cfg;
    v.only_keys(root, "the top level", {"storage", "teams", "members", "rituals", "org", "matrix", "health", "web"});
    if (const toml::table* st = v.table_at(root, "storage", "[storage]")) {
        v.only_keys(*st, "[storage]", {"path", "keep_weeks"});
        if (auto s = v.string_at(*st, "path", "[storage]")) {
            if (s->empty()) v.error(st->get("path"), "[storage] path must not be empty");
            else cfg.storage_path = *s;
        }
        // The digest and the alerts read the last two weeks, and a KR's
        // staleness its last weeks of check-ins: less than four is refused.
        if (const toml::node* n = st->get("keep_weeks")) {
            auto i = n->as_integer();
            if (!i || (i->get() != 0 && (i->get() < 4 || i->get() > 5200)))
                v.error(n, "[storage] keep_weeks must be 0 (keep everything) or a whole number of weeks from 4 to 5200");
            else cfg.storage_keep_weeks = static_cast<int>(i->get());
        }
    }
    read_teams(root, cfg, v);
    read_members(root, cfg, v);
    read_rituals(root, cfg, v);
    if (const toml::node* r = root.get("rituals"); r && r->as_table()) read_okr(*r->as_table(), cfg, v);
    read_eowd_and_learning(root, cfg, v);
    read_org(root, cfg, v);
    read_matrix(root, cfg, v);
    read_health(root, cfg, v);
    read_web(root, cfg, v);

    config_load_result out;
    std::stable_sort(v.errors.begin(), v.errors.end(),
                     [](const config_error& a, const config_error& b) { return a.line < b.line; });
    out.errors = std::move(v.errors);
    cfg.members_changed();  // validation may have looked people up before every table was read
    if (out.errors.empty()) out.cfg = std::move(cfg);
    return out;
}

// The line of the first byte outside ASCII that is neither in a quoted string
// nor in a comment, 0 when there is none. TOML allows none there, and toml++
// 3.3.0 reaches __builtin_unreachable on one right after a bare key ("naïve =
// 1": is_non_ascii_horizontal_whitespace; found by tests/fuzz/config_fuzz.cpp),
// so such a file is refused before toml++ sees it.
int non_ascii_outside_strings(std::string_view t) {
    int line = 1;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const char c = t[i];
        if (c == '\n') {
            ++line;
        } else if (c == '#') {
            while (i + 1 < t.size() && t[i + 1] != '\n') ++i;
        } else if (c == '"' || c == '\'') {
            const bool multi = t.compare(i, 3, std::string(3, c)) == 0;
            const bool escapes = c == '"';
            i += multi ? 3 : 1;
            for (; i < t.size(); ++i) {
                if (t[i] == '\n') {
                    if (!multi) break;  // an unclosed one-line string: toml++ reports it
                    ++line;
                } else if (escapes && t[i] == '\\') {
                    if (i + 1 < t.size() && t[i + 1] == '\n') ++line;
                    ++i;
                } else if (t[i] == c && (!multi || t.compare(i, 3, std::string(3, c)) == 0)) {
                    if (multi) {
                        i += 2;
                        while (i + 1 < t.size() && t[i + 1] == c) ++i;  // """a"""" ends in a quote
                    }
                    break;
                }
            }
            if (i < t.size() && t[i] == '\n') --i;  // counted by the outer loop
        } else if (static_cast<unsigned char>(c) >= 0x80) {
            return line;
        }
    }
    return 0;
}

// The TOML tree, or what is wrong with the text (in `errors`).
std::optional<toml::table> parse_toml(std::string_view text, std::string_view source, config_load_result& errors) {
    if (const int line = non_ascii_outside_strings(text)) {
        errors.errors.push_back({line, "only quoted strings and comments may hold characters outside ASCII"});
        return std::nullopt;
    }
    try {
        return toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        errors.errors.push_back({static_cast<int>(e.source().begin.line), std::string(e.description())});
        return std::nullopt;
    }
}

}  // namespace

config_load_result load_config_string(std::string_view toml_text, std::string_view source_name) {
    config_load_result out;
    auto root = parse_toml(toml_text, source_name, out);
    return root ? validate(*root) : out;
}

config_load_result load_config_file(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        config_load_result out;
        out.errors.push_back({0, "'" + path + "' is a directory, not a config file"});
        return out;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        config_load_result out;
        out.errors.push_back({0, "cannot read the config file '" + path + "'"});
        return out;
    }
    // The file's text is read once and dropped before the tree is read: at
    // 20,000 members the text is 260 KB and the tree 1.6 MB, and this moment
    // was the bot's highest heap of the day (bench/README.md, "Ninth session").
    config_load_result out;
    std::optional<toml::table> root;
    {
        std::string text;
        if (const auto size = std::filesystem::file_size(path, ec); !ec) text.reserve(size);
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (in.bad()) {
            out.errors.push_back({0, "cannot read the config file '" + path + "'"});
            return out;
        }
        root = parse_toml(text, path, out);
    }
    return root ? validate(*root) : out;
}

std::string format_config_error(std::string_view source, const config_error& e) {
    std::string out(source);
    if (e.line > 0) out += ":" + std::to_string(e.line);
    return out + ": " + e.message;
}

question_set question_set::standard() {
    question_set s;
    s.questions = {{"Goal", "What goal did I work toward?"},
                   {"Changed", "What changed because of my work?"},
                   {"At risk", "What is at risk?"},
                   {"Next", "What will I focus on next?"}};
    s.risk = "At risk";
    s.focus = "Next";
    return s;
}

int question_set::index_of(std::string_view label) const {
    for (std::size_t i = 0; i < questions.size(); ++i)
        if (questions[i].label == label) return static_cast<int>(i);
    return -1;
}

int question_set::find_label(std::string_view label) const {
    const std::string wanted = lower(std::string(label));
    for (std::size_t i = 0; i < questions.size(); ++i)
        if (lower(questions[i].label) == wanted) return static_cast<int>(i);
    return -1;
}

const question_set& config::questions_for(std::string_view team, std::string_view member) const {
    if (const team_config* t = find_team(team)) return questions_of(*t);
    if (const team_config* t = home_team(member)) return questions_of(*t);
    return weekly_update.questions;
}

namespace {

std::string channel_key(std::string_view platform, std::string_view channel) {
    std::string key(platform);
    key += ' ';  // no platform name has a space
    key += channel;
    return key;
}

// The team the sorted pairs give for `key`, if any.
std::optional<std::uint32_t> look_up(const std::vector<std::pair<std::string, std::uint32_t>>& sorted,
                                     std::string_view key) {
    auto it = std::lower_bound(sorted.begin(), sorted.end(), key,
                               [](const auto& entry, std::string_view k) { return entry.first < k; });
    if (it == sorted.end() || it->first != key) return std::nullopt;
    return it->second;
}

}  // namespace

const config::team_index& config::teams_indexed() const {
    if (!team_index_ || team_index_->base != teams.data() || team_index_->count != teams.size()) {
        auto index = std::make_shared<team_index>();
        index->base = teams.data();
        index->count = teams.size();
        for (std::uint32_t i = 0; i < teams.size(); ++i) {
            index->by_name.emplace_back(lower(teams[i].name), i);
            index->by_channel.emplace_back(channel_key(teams[i].platform, teams[i].channel), i);
        }
        // Stable: where two teams share a key (check-config refuses that), the
        // first in the file wins, as the linear search did.
        const auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
        std::stable_sort(index->by_name.begin(), index->by_name.end(), by_key);
        std::stable_sort(index->by_channel.begin(), index->by_channel.end(), by_key);
        team_index_ = std::move(index);
    }
    return *team_index_;
}

const team_config* config::find_team(std::string_view name) const {
    // Names are unique whatever their case (check-config), so "WEB" finds "web".
    const auto i = look_up(teams_indexed().by_name, lower(std::string(name)));
    return i ? &teams[*i] : nullptr;
}

const team_config* config::find_team_by_channel(std::string_view platform, std::string_view channel) const {
    const auto i = look_up(teams_indexed().by_channel, channel_key(platform, channel));
    return i ? &teams[*i] : nullptr;
}

const config::person* config::find_person(std::string_view user) const {
    if (!index_) {
        // Every (person, team, role) once, sorted by person then team: one
        // sort, then each person's links are one run of the array.
        struct entry {
            std::string_view id;
            std::uint32_t team;  // teams.size(): no team (an admin, a [[members]] zone)
            bool member, manager;
        };
        std::vector<entry> entries;
        const auto none = static_cast<std::uint32_t>(teams.size());
        for (std::size_t i = 0; i < teams.size(); ++i) {
            for (const auto& m : teams[i].members) entries.push_back({m, static_cast<std::uint32_t>(i), true, false});
            for (const auto& m : teams[i].managers) entries.push_back({m, static_cast<std::uint32_t>(i), false, true});
        }
        for (const auto& a : org.admins) entries.push_back({a, none, false, false});
        for (const auto& m : members) entries.push_back({m.id, none, false, false});
        std::stable_sort(entries.begin(), entries.end(), [](const entry& x, const entry& y) {
            return x.id != y.id ? x.id < y.id : x.team < y.team;
        });
        auto index = std::make_shared<people_index>();
        for (std::size_t i = 0; i < entries.size();) {
            person p;
            const std::string_view id = entries[i].id;
            p.id_at = static_cast<std::uint32_t>(index->ids.size());
            p.id_size = static_cast<std::uint32_t>(id.size());
            index->ids += id;
            p.first = static_cast<std::uint32_t>(index->links.size());
            for (; i < entries.size() && entries[i].id == id; ++i) {
                const entry& e = entries[i];
                if (e.team == none) continue;
                team_link* last = index->links.size() > p.first ? &index->links.back() : nullptr;
                if (last && last->team == e.team) {
                    last->member |= e.member;
                    last->manager |= e.manager;
                } else {
                    index->links.push_back({e.team, e.member, e.manager});
                }
            }
            p.count = static_cast<std::uint32_t>(index->links.size() - p.first);
            index->people.push_back(std::move(p));
        }
        index->people.shrink_to_fit();
        index->links.shrink_to_fit();
        index->ids.shrink_to_fit();
        auto find = [&](std::string_view id) { return const_cast<person*>(index->find(id)); };
        for (const auto& a : org.admins)
            if (person* p = find(a)) p->admin = true;
        for (std::size_t i = 0; i < members.size(); ++i)
            if (person* p = find(members[i].id); p && !members[i].timezone.empty() && p->own_zone < 0)
                p->own_zone = static_cast<std::int32_t>(i);
        index_ = std::move(index);
    }
    return index_->find(user);
}

const config::person* config::people_index::find(std::string_view id) const {
    auto it = std::lower_bound(people.begin(), people.end(), id,
                               [&](const person& p, std::string_view v) { return id_of(p) < v; });
    return it != people.end() && id_of(*it) == id ? &*it : nullptr;
}

const team_config* config::home_team(std::string_view user) const {
    if (const person* p = find_person(user))
        for (const team_link& l : links_of(*p))
            if (l.member) return &teams[l.team];
    return nullptr;
}

std::vector<const team_config*> config::teams_of(std::string_view user) const {
    std::vector<const team_config*> out;
    if (const person* p = find_person(user))
        for (const team_link& l : links_of(*p)) out.push_back(&teams[l.team]);
    return out;
}

std::vector<const team_config*> config::teams_managed_by(std::string_view user) const {
    std::vector<const team_config*> out;
    if (const person* p = find_person(user))
        for (const team_link& l : links_of(*p))
            if (l.manager) out.push_back(&teams[l.team]);
    return out;
}

bool config::is_admin(std::string_view user) const {
    const person* p = find_person(user);
    return p && p->admin;
}

bool config::is_manager(std::string_view user, const team_config& team) const {
    const bool ours = !teams.empty() && !std::less<const team_config*>{}(&team, teams.data()) &&
                      std::less<const team_config*>{}(&team, teams.data() + teams.size());
    if (!ours)  // a team_config that is not one of these: ask it directly
        return std::find(team.managers.begin(), team.managers.end(), user) != team.managers.end();
    const person* p = find_person(user);
    if (!p) return false;
    const auto i = static_cast<std::uint32_t>(&team - teams.data());
    for (const team_link& l : links_of(*p))
        if (l.team == i) return l.manager;
    return false;
}

namespace {
std::mutex& interned_zones_mutex() {
    static std::mutex mu;
    return mu;
}
std::set<std::string, std::less<>>& interned_zone_names() {  // never shrinks: the pointers handed out stay valid
    static std::set<std::string, std::less<>> names;
    return names;
}
}  // namespace

const std::string* interned_zone(std::string_view zone) {
    auto& names = interned_zone_names();
    std::lock_guard lock(interned_zones_mutex());
    auto it = names.find(zone);
    if (it == names.end()) it = names.emplace(zone).first;
    return &*it;
}

std::vector<std::string_view> config::zones_in_use() const {
    std::vector<std::string_view> out{"UTC"};
    for (const auto& t : teams) out.push_back(t.timezone);
    for (const auto& m : members) out.push_back(m.timezone);
    for (const auto& [id, p] : personal) out.push_back(p.timezone);
    {
        // learned_zones' values are all interned: the interned names cover
        // them without a walk over the members.
        std::lock_guard lock(interned_zones_mutex());
        for (const auto& z : interned_zone_names()) out.push_back(z);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    std::erase(out, std::string_view{});
    return out;
}

std::string config::own_timezone(std::string_view user) const { return std::string(own_zone(user)); }

std::string_view config::own_zone(std::string_view user) const {
    if (auto it = personal.find(user); it != personal.end() && !it->second.timezone.empty())
        return it->second.timezone;
    if (!members.empty())  // else nobody has a zone in [[members]]: no search
        if (const person* p = find_person(user); p && p->own_zone >= 0) return members[p->own_zone].timezone;
    if (const auto* zone = learned_zones.find(user)) return **zone;
    return {};
}

std::string config::timezone_source(std::string_view user) const {
    if (auto it = personal.find(user); it != personal.end() && !it->second.timezone.empty())
        return "your own setting";
    if (const person* p = find_person(user); p && p->own_zone >= 0) return "the bot's config ([[members]])";
    if (learned_zones.count(user)) return "your Slack profile";
    if (const team_config* home = home_team(user)) return "your team's zone (" + home->name + ")";
    return "the first team's zone";
}

weekly_time config::prompt_of(std::string_view user) const {
    if (auto it = personal.find(user); it != personal.end() && it->second.prompt) return *it->second.prompt;
    return weekly_update.prompt;
}

bool config::reminder_on(std::string_view user) const {
    auto it = personal.find(user);
    return it == personal.end() || it->second.reminder;
}

std::string config::timezone_of(std::string_view user) const { return std::string(zone_of(user)); }

std::string_view config::zone_of(std::string_view user) const {
    if (std::string_view own = own_zone(user); !own.empty()) return own;
    if (const team_config* home = home_team(user)) return home->timezone;
    auto teams = teams_of(user);
    return teams.empty() ? std::string_view("UTC") : std::string_view(teams.front()->timezone);
}

}  // namespace ritualbot
