#pragma once
// The bot's configuration: what a TOML file says, validated. Secrets never
// live here; they come from environment variables (see README).
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/id_map.hpp"
#include "config/monthly_time.hpp"
#include "config/schedule_spec.hpp"

namespace ritualbot {

// [rituals.eowd]: the End of Week Debrief sign-ups (see README.eowd.md). All
// times are in the team's zone and fall in one ISO week: opens < closes <= at.
struct eowd_config {
    bool enabled = false;
    weekly_time at{5, 15, 0};                         // Fri 15:00: the EOWD starts
    int slots = 6;
    std::chrono::minutes slot_length{10};
    weekly_time opens{1, 10, 0};                      // Mon 10:00: the invitation is posted
    weekly_time closes{5, 12, 0};                     // Fri 12:00: the agenda is posted
    std::chrono::minutes remind_before{60};           // presenters' DM reminder
};

// [rituals.learning]: the monthly learning session (see README.eowd.md).
struct learning_config {
    bool enabled = false;
    monthly_time at{1, 2, 16, 0};                     // first Tuesday 16:00, team's zone
    std::chrono::minutes length{60};
    int call_days_before = 7;                         // the call for speakers
    std::chrono::minutes remind_before{60};
    // One session shared by every team that has it enabled, announced in each
    // of their channels, instead of one per team ([rituals.learning] only).
    bool across_teams = false;
    std::string timezone;  // the shared session's zone; empty: the first such team's
};

// One question of the weekly update, with the short label the digest and
// /update show put before its answer. The label is the question's identity:
// answers are stored with it, so editing the questions keeps what was said.
struct update_question {
    std::string label;  // "Goal"; at most max_label_length, unique in its set (any case)
    std::string text;   // "What goal did I work toward?"
};

// A team's weekly-update questions ([teams.weekly_update] questions, else
// [rituals.weekly_update], else the four of the template), and which of them
// is read for risks and which is recalled as next week's focus.
struct question_set {
    static constexpr std::size_t min_questions = 2;
    static constexpr std::size_t max_questions = 8;
    static constexpr std::size_t max_label_length = 24;
    static constexpr std::size_t max_text_length = 200;

    std::vector<update_question> questions;
    std::string risk;   // label of the question read for risks; empty: none
    std::string focus;  // label of the question recalled in next week's first prompt; empty: none

    // The four questions of the weekly-update template.
    static question_set standard();
    // Index of the question with this label (exact), -1 when there is none.
    int index_of(std::string_view label) const;
    // Index of the question with this label in any case, -1 when there is none.
    int find_label(std::string_view label) const;
    int size() const { return static_cast<int>(questions.size()); }
};

struct team_config {
    std::string name;
    std::string platform = "console";  // console | slack
    std::string channel;               // "#alpha" on the console, a channel id "C0123ABCD" on Slack
    std::string timezone = "UTC";
    std::vector<std::string> managers;
    std::vector<std::string> members;
    // Slack: `members` was left out, so the channel's members are the team;
    // the Slack transport fills `members` in at start (conversations.members).
    bool members_from_channel = false;
    // Other names people use for the team in their updates ("plat", "ML team");
    // dependency detection matches them as whole words, case-insensitively.
    std::vector<std::string> aliases;
    // The prompt times a member of this team may choose (/ritual settings
    // prompt); unset: [rituals.weekly_update]'s. Days 0 = Sunday .. 6 = Saturday.
    std::optional<std::vector<unsigned>> prompt_days;
    std::optional<std::pair<int, int>> prompt_window;  // minutes after midnight, both ends allowed
    // [teams.eowd] / [teams.learning]: this team's settings when it has its
    // own (the global ones with its keys applied); see config::eowd_of.
    std::optional<eowd_config> eowd;
    std::optional<learning_config> learning;
    // [teams.weekly_update]: this team's own questions; see config::questions_of.
    std::optional<question_set> questions;
};

struct member_config {
    std::string id;
    std::string timezone;  // empty: the member's home team's zone
};

struct weekly_update_config {
    weekly_time prompt{4, 15, 0};                         // Thu 15:00, member's local time
    std::chrono::minutes reminder_after{std::chrono::hours(4)};
    question_set questions = question_set::standard();  // every team's, unless it has its own
    // What a member may choose as their own prompt time (/ritual settings prompt):
    // Mon-Fri, 08:00-18:00 local time unless a team says otherwise.
    std::vector<unsigned> prompt_days{1, 2, 3, 4, 5};
    std::pair<int, int> prompt_window{8 * 60, 18 * 60};
    // /update later: how often a week's prompt may be put off, by how much when
    // no duration is given (Slack's Later button), and at most.
    int snoozes_per_week = 2;
    std::chrono::minutes snooze_default{std::chrono::hours(2)};
    std::chrono::minutes snooze_max{std::chrono::hours(24)};
};

// A person's own choices (/ritual settings), kept in the database. The
// scheduler copies them into config::personal before each pass, and
// /ritual settings when one changes, so every use of a member's zone and the
// prompt calendar see them.
struct personal_settings {
    std::string timezone;               // empty: not chosen
    std::optional<weekly_time> prompt;  // empty: [rituals.weekly_update] prompt
    bool reminder = true;
};

struct digest_config {
    weekly_time at{5, 16, 0};  // Fri 16:00, team's local time
};

// [rituals.okr]: OKR tracking (see README.okr.md).
struct okr_config {
    weekly_time checkin{3, 11, 0};                             // Wed 11:00, each KR owner's local time
    std::chrono::minutes checkin_open_for{std::chrono::hours(24)};  // a check-in takes DMs this long
    std::string period = "quarter";                            // quarter | half | year (calendar-aligned)
    int on_track_within = 10;   // points below expected progress still "on track"
    int at_risk_within = 25;    // points below expected progress still "at risk"; more is "off track"
    int stale_days = 14;        // a KR without a check-in this long is "set and forget"
    int max_objectives = 3;     // more per team and period is warned about
    int max_key_results = 4;    // more per objective is warned about
};

// [matrix]: the Matrix transport (see the README's Matrix section). Secrets come from
// MATRIX_ACCESS_TOKEN or MATRIX_PASSWORD, never from here.
struct matrix_config {
    std::string homeserver;            // base URL, "https://matrix.example.org"
    std::string user_id;               // "@ritualbot:example.org"
    std::string device_id = "RITUALBOT";  // reused by password logins so restarts keep one device
    std::string ca_file;               // extra CA certificate (PEM) to trust, for a private CA
    std::chrono::milliseconds sync_timeout{30000};
};

// [health]: the operator's HTTP endpoints /healthz and /metrics; off unless `listen` is set.
struct health_config {
    std::string address;  // an IP address: "127.0.0.1", "::1", "0.0.0.0"
    unsigned short port = 0;
};

// [web]: the read-only dashboard (see the README's Dashboard section); off unless `listen` is set.
struct web_config {
    std::string address;     // an IP address, "127.0.0.1" behind a reverse proxy
    unsigned short port = 0;
    std::string public_url;  // what links in chat start with, no trailing '/': "https://ritual.example.org"
    std::chrono::hours link_lifetime{24};
};

struct org_config {
    // People who see every team and receive the bottleneck alerts.
    std::vector<std::string> admins;
};

struct config {
    std::string storage_path = "ritualbot.db";
    // [storage] keep_weeks: weekly updates, check-ins and other dated rows
    // older than this many weeks are deleted daily; 0 keeps everything.
    int storage_keep_weeks = 0;
    org_config org;
    std::vector<team_config> teams;
    std::vector<member_config> members;
    // Zones a platform reported for its members (Slack: users.list and
    // user_change, kept in the database), by user id. A zone in [[members]]
    // wins over them. Only valid tz database names are put here, each one
    // interned (interned_zone): a few hundred names among 100,000 members.
    // An id_map: 24 bytes a member where a hash map of strings took 64-72,
    // and O(log n) for the scheduler's calendars, which look every member up
    // on each pass.
    id_map<const std::string*> learned_zones;
    // Members' own settings, by user id: run-time state from the database
    // (see personal_settings), hence mutable in a config handlers see const.
    mutable std::map<std::string, personal_settings, std::less<>> personal;
    weekly_update_config weekly_update;
    digest_config digest;
    okr_config okr;
    eowd_config eowd;
    learning_config learning;
    std::optional<matrix_config> matrix;
    std::optional<health_config> health;
    std::optional<web_config> web;

    const eowd_config& eowd_of(const team_config& team) const { return team.eowd ? *team.eowd : eowd; }
    const learning_config& learning_of(const team_config& team) const {
        return team.learning ? *team.learning : learning;
    }

    const question_set& questions_of(const team_config& team) const {
        return team.questions ? *team.questions : weekly_update.questions;
    }
    // The questions of the team a weekly update belongs to (its `team`, else the
    // member's home team, else the global ones).
    const question_set& questions_for(std::string_view team, std::string_view member) const;

    const team_config* find_team(std::string_view name) const;
    const team_config* find_team_by_channel(std::string_view platform, std::string_view channel) const;
    // The first team (in file order) that lists the user as a member: their
    // weekly update belongs to it and is shown in every team that lists them.
    const team_config* home_team(std::string_view user) const;
    std::vector<const team_config*> teams_of(std::string_view user) const;       // member or manager
    std::vector<const team_config*> teams_managed_by(std::string_view user) const;
    bool is_manager(std::string_view user, const team_config& team) const;
    bool is_admin(std::string_view user) const;
    // Member's own zone ([[members]], else the one learned from the platform),
    // else their home team's, else the first team that names them.
    std::string timezone_of(std::string_view user) const;
    std::string_view zone_of(std::string_view user) const;  // the same as a view (see own_zone)
    // Every zone anyone here can be in, each name once: the teams', [[members]]',
    // people's own settings, every zone ever learned from a platform, and UTC.
    // A few hundred at most, whatever the number of members.
    std::vector<std::string_view> zones_in_use() const;
    // Only the member's own zone; empty when neither the config nor the platform gives one.
    // Their own setting (/ritual settings tz) wins over [[members]], which wins over the platform's.
    std::string own_timezone(std::string_view user) const;
    // The same without a copy: a view of the config's own string (valid until
    // the config, its learned_zones or its personal settings change). The
    // scheduler's calendars ask it for every member on every pass.
    std::string_view own_zone(std::string_view user) const;
    // Where timezone_of's answer comes from, for people: "your own setting", ...
    std::string timezone_source(std::string_view user) const;
    // The member's prompt time: their own setting, else [rituals.weekly_update] prompt.
    weekly_time prompt_of(std::string_view user) const;
    bool reminder_on(std::string_view user) const;
    const std::vector<unsigned>& prompt_days_of(const team_config& team) const {
        return team.prompt_days ? *team.prompt_days : weekly_update.prompt_days;
    }
    std::pair<int, int> prompt_window_of(const team_config& team) const {
        return team.prompt_window ? *team.prompt_window : weekly_update.prompt_window;
    }

    // The lookups above cost the same for 20 people or 20,000: an index by
    // user id, built on first use. Whoever changes teams[].members,
    // teams[].managers, members or org.admins after loading calls this.
    void members_changed() const {
        index_.reset();
        team_index_.reset();
    }

    // An index that code outside the config builds from `teams` (dependency
    // detection's team names and aliases), built once and kept with the
    // config; built again when `teams` is another array (a copied config, a
    // team added), like the team index. One kind of index at a time: `tag`
    // (the address of the builder's own static) says which is kept.
    template <class Index>
    const Index& teams_derived(const void* tag, Index (*build)(const config&)) const {
        if (!teams_derived_.value || teams_derived_.tag != tag || teams_derived_.base != teams.data() ||
            teams_derived_.count != teams.size())
            teams_derived_ = {tag, teams.data(), teams.size(), std::make_shared<const Index>(build(*this))};
        return *static_cast<const Index*>(teams_derived_.value.get());
    }

private:
    // One entry per person, sorted by id (binary search), their ids in one
    // string and their teams in one array shared by all: about 45 bytes a
    // member with a Slack id, where a hash map with three vectors each took
    // 160 (bench/README.md, "Slack at org scale").
    struct person {
        std::uint32_t id_at = 0;             // their id: ids.substr(id_at, id_size)
        std::uint32_t id_size = 0;
        std::uint32_t first = 0, count = 0;  // their links, in team (file) order
        std::int32_t own_zone = -1;          // index into `members` ([[members]] with a zone), -1: none
        bool admin = false;
    };
    struct team_link {
        std::uint32_t team = 0;  // index into teams
        bool member = false, manager = false;
    };
    struct people_index {
        std::vector<person> people;
        std::vector<team_link> links;
        std::string ids;
        std::string_view id_of(const person& p) const { return std::string_view(ids).substr(p.id_at, p.id_size); }
        const person* find(std::string_view id) const;
    };
    mutable std::shared_ptr<const people_index> index_;
    std::span<const team_link> links_of(const person& p) const {
        return {index_->links.data() + p.first, p.count};
    }
    const person* find_person(std::string_view user) const;

    // Teams by lower-cased name and by "platform channel", sorted (binary
    // search): a message's team is found in O(log teams). Built on first use
    // and again when `teams` is another array (a copied config, a team added).
    struct team_index {
        const team_config* base = nullptr;
        std::size_t count = 0;
        std::vector<std::pair<std::string, std::uint32_t>> by_name, by_channel;
    };
    mutable std::shared_ptr<const team_index> team_index_;
    const team_index& teams_indexed() const;

    struct derived_slot {
        const void* tag = nullptr;
        const team_config* base = nullptr;
        std::size_t count = 0;
        std::shared_ptr<const void> value;
    };
    mutable derived_slot teams_derived_;
};

struct config_error {
    int line = 0;  // 0 when the error is not tied to one line
    std::string message;
};

struct config_load_result {
    std::optional<config> cfg;
    std::vector<config_error> errors;
};

config_load_result load_config_file(const std::string& path);
config_load_result load_config_string(std::string_view toml_text, std::string_view source_name = "config");

// "config/example.toml:12: unknown key 'foo' in [storage]"
std::string format_config_error(std::string_view source, const config_error& e);

// The one copy of a zone name, for config::learned_zones: kept for the
// life of the process (zone names are few), so copies of a config share it.
const std::string* interned_zone(std::string_view zone);

}  // namespace ritualbot
