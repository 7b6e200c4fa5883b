#include <gtest/gtest.h>

#include "config/config.hpp"

using namespace ritualbot;

namespace {

const char* const minimal = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
members = ["alice"]
)";

std::string all_errors(const config_load_result& r) {
    std::string s;
    for (const auto& e : r.errors) s += format_config_error("c.toml", e) + "\n";
    return s;
}

}  // namespace

TEST(Config, MinimalConfigGetsSaneDefaults) {
    auto r = load_config_string(minimal);
    ASSERT_TRUE(r.cfg) << all_errors(r);
    const config& c = *r.cfg;
    EXPECT_EQ(c.storage_path, "ritualbot.db");
    EXPECT_EQ(c.teams[0].platform, "console");
    EXPECT_EQ(c.teams[0].timezone, "UTC");
    EXPECT_EQ(format_weekly_time(c.weekly_update.prompt), "Thu 15:00");
    EXPECT_EQ(c.weekly_update.reminder_after, std::chrono::hours(4));
    EXPECT_EQ(format_weekly_time(c.digest.at), "Fri 16:00");
}

TEST(Config, ExampleConfigLoads) {
    auto r = load_config_file(std::string(RITUALBOT_SOURCE_DIR) + "/config/example.toml");
    ASSERT_TRUE(r.cfg) << all_errors(r);
    EXPECT_EQ(r.cfg->teams.size(), 2u);
    EXPECT_EQ(r.cfg->timezone_of("bob"), "America/New_York");
    EXPECT_EQ(r.cfg->timezone_of("alice"), "Europe/Berlin");
}

TEST(Config, ReadsEveryDocumentedKey) {
    auto r = load_config_string(R"(
[storage]
path = "/var/lib/ritualbot/bot.db"

[[teams]]
name = "alpha"
platform = "console"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob"]

[[members]]
id = "bob"
timezone = "America/New_York"

[rituals.weekly_update]
prompt = "monday 9:30"
reminder_after = "1h30m"

[rituals.digest]
at = "Thu 17:45"
)");
    ASSERT_TRUE(r.cfg) << all_errors(r);
    EXPECT_EQ(r.cfg->storage_path, "/var/lib/ritualbot/bot.db");
    EXPECT_EQ(format_weekly_time(r.cfg->weekly_update.prompt), "Mon 09:30");
    EXPECT_EQ(r.cfg->weekly_update.reminder_after, std::chrono::minutes(90));
    EXPECT_EQ(format_weekly_time(r.cfg->digest.at), "Thu 17:45");
    EXPECT_TRUE(r.cfg->is_manager("maria", r.cfg->teams[0]));
    EXPECT_EQ(r.cfg->home_team("maria"), nullptr);  // a manager, not a member
    EXPECT_EQ(r.cfg->teams_of("maria").size(), 1u);
}

TEST(Config, UnknownKeysAreErrorsWithTheirLine) {
    auto r = load_config_string("[storage]\npaht = \"x.db\"\n" + std::string(minimal) + "[rituals.digest]\nwhen = \"Fri 16:00\"\n");
    ASSERT_FALSE(r.cfg);
    ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
    EXPECT_EQ(r.errors[0].line, 2);
    EXPECT_NE(r.errors[0].message.find("unknown key 'paht' in [storage]"), std::string::npos);
    EXPECT_NE(r.errors[1].message.find("unknown key 'when'"), std::string::npos);
}

TEST(Config, BadTimeZoneIsReportedWithAHint) {
    auto r = load_config_string("[[teams]]\nname = \"a\"\nchannel = \"#a\"\ntimezone = \"Europe/Berln\"\nmembers = [\"x\"]\n");
    ASSERT_FALSE(r.cfg);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 4);
    EXPECT_NE(r.errors[0].message.find("unknown time zone 'Europe/Berln'"), std::string::npos);
}

TEST(Config, EveryErrorIsReportedAtOnce) {
    auto r = load_config_string(R"(
[[teams]]
name = "alpha"
channel = "alpha"
members = []

[[teams]]
name = "alpha"
platform = "irc"
channel = "#b"
members = ["@bob", "carol", "carol"]

[[members]]
id = "zed"

[rituals.weekly_update]
prompt = "Thursday 3pm"
reminder_after = "-4h"
)");
    ASSERT_FALSE(r.cfg);
    std::string all = all_errors(r);
    for (const char* expected : {"console channel looks like", "has no members", "used twice", "platform 'irc'",
                                 "not a valid user id", "listed twice", "'zed' is not a member", "prompt:",
                                 "reminder_after:"})
        EXPECT_NE(all.find(expected), std::string::npos) << expected << "\n" << all;
}

TEST(Config, SyntaxErrorGivesItsLine) {
    auto r = load_config_string("[[teams]]\nname = \"alpha\nchannel = \"#a\"\n");
    ASSERT_FALSE(r.cfg);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 2);
}

TEST(Config, NoTeamsIsAnError) {
    auto r = load_config_string("[storage]\npath = \"x.db\"\n");
    ASSERT_FALSE(r.cfg);
    EXPECT_NE(all_errors(r).find("no teams"), std::string::npos);
}

TEST(Config, MissingFileIsAClearError) {
    auto r = load_config_file("/nonexistent/ritualbot.toml");
    ASSERT_FALSE(r.cfg);
    EXPECT_NE(r.errors[0].message.find("cannot read"), std::string::npos);
}

TEST(ScheduleSpec, ParsesWeekdaysTimesAndDurations) {
    std::string err;
    auto t = parse_weekly_time("Sunday 00:05", err);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->weekday, 0u);
    EXPECT_EQ(t->minute, 5);
    EXPECT_FALSE(parse_weekly_time("Thu 15", err));
    EXPECT_FALSE(parse_weekly_time("Thu 24:00", err));
    EXPECT_FALSE(parse_weekly_time("Thu 15:5", err));
    EXPECT_FALSE(parse_weekly_time("Funday 15:00", err));
    EXPECT_EQ(parse_duration("2d", err), std::chrono::minutes(2880));
    EXPECT_FALSE(parse_duration("7d", err));
    EXPECT_FALSE(parse_duration("0m", err));
    EXPECT_FALSE(parse_duration("4", err));
    EXPECT_FALSE(parse_duration("h", err));
    EXPECT_EQ(format_duration(std::chrono::minutes(90)), "1h30m");
}

TEST(ConfigIndex, LookupsByUserFollowTheFileOrderAndAChangeOfMembers) {
    auto r = load_config_string(R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob"]

[[teams]]
name = "beta"
channel = "#beta"
timezone = "America/New_York"
managers = ["maria", "bob"]
members = ["carol", "bob"]

[[members]]
id = "carol"
timezone = "Asia/Tokyo"

[org]
admins = ["olga"]
)");
    ASSERT_TRUE(r.cfg);
    ritualbot::config cfg = *r.cfg;  // a copy works as well as the original
    EXPECT_EQ(cfg.home_team("bob")->name, "alpha");
    ASSERT_EQ(cfg.teams_of("bob").size(), 2u);
    EXPECT_EQ(cfg.teams_of("maria").size(), 2u);
    EXPECT_EQ(cfg.teams_managed_by("bob").size(), 1u);
    EXPECT_TRUE(cfg.is_manager("bob", cfg.teams[1]));
    EXPECT_FALSE(cfg.is_manager("bob", cfg.teams[0]));
    EXPECT_TRUE(cfg.is_admin("olga"));
    EXPECT_FALSE(cfg.is_admin("maria"));
    EXPECT_EQ(cfg.timezone_of("carol"), "Asia/Tokyo");
    EXPECT_EQ(cfg.timezone_of("bob"), "Europe/Berlin");
    EXPECT_EQ(cfg.timezone_of("maria"), "Europe/Berlin");
    EXPECT_EQ(cfg.timezone_of("nobody"), "UTC");
    EXPECT_EQ(cfg.home_team("nobody"), nullptr);
    // A team read again from its channel (Slack): the index follows.
    cfg.teams[0].members = {"dave"};
    cfg.members_changed();
    EXPECT_EQ(cfg.home_team("bob")->name, "beta");
    EXPECT_EQ(cfg.home_team("dave")->name, "alpha");
    EXPECT_EQ(cfg.home_team("alice"), nullptr);
}

TEST(Config, TeamNamesAreWordsUniqueWhateverTheCase) {
    auto r = load_config_string(R"(
[[teams]]
name = "web"
channel = "#web"
members = ["alice"]

[[teams]]
name = "WEB"
channel = "#web2"
members = ["bob"]

[[teams]]
name = "we b/x"
channel = "#x"
members = ["carol"]
)");
    ASSERT_FALSE(r.cfg);
    ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
    EXPECT_EQ(r.errors[0].line, 8);
    EXPECT_NE(r.errors[0].message.find("team name 'WEB' is used twice (team names are the same whatever their case)"),
              std::string::npos)
        << all_errors(r);
    EXPECT_EQ(r.errors[1].line, 13);
    EXPECT_NE(r.errors[1].message.find("team name 'we b/x' must be one word of letters, digits, '-' or '_'"),
              std::string::npos)
        << all_errors(r);

    auto ok = load_config_string("[[teams]]\nname = \"Web-2_x\"\nchannel = \"#w\"\nmembers = [\"a\"]\n");
    ASSERT_TRUE(ok.cfg) << all_errors(ok);
    const team_config* t = ok.cfg->find_team("web-2_X");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->name, "Web-2_x");
}

// 300 teams: each found by its name in any case and by its channel on its
// own platform only, in a copy as in the original; an unknown one is nobody.
TEST(Config, EveryTeamIsFoundByNameAndByChannel) {
    std::string text = "[matrix]\nhomeserver = \"https://matrix.example.org\"\nuser_id = \"@bot:example.org\"\n";
    for (int t = 0; t < 300; ++t) {
        const bool matrix = t % 3 == 0;
        text += "[[teams]]\nname = \"Team" + std::to_string(t) + "\"\nplatform = \"" +
                (matrix ? "matrix" : "slack") + "\"\nchannel = \"" +
                (matrix ? "!r" + std::to_string(t) + ":example.org" : "C" + std::to_string(1000 + t)) +
                "\"\nmembers = [\"" + (matrix ? "@u" + std::to_string(t) + ":example.org" : "U" + std::to_string(t)) +
                "\"]\n";
    }
    auto r = load_config_string(text);
    ASSERT_TRUE(r.cfg) << all_errors(r);
    const ritualbot::config copy = *r.cfg;
    const ritualbot::config* both[] = {&*r.cfg, &copy};
    for (const ritualbot::config* cfg : both) {
        for (int t = 0; t < 300; ++t) {
            const team_config& team = cfg->teams[t];
            EXPECT_EQ(cfg->find_team("team" + std::to_string(t)), &team);
            EXPECT_EQ(cfg->find_team("TEAM" + std::to_string(t)), &team);
            EXPECT_EQ(cfg->find_team_by_channel(team.platform, team.channel), &team);
            EXPECT_EQ(cfg->find_team_by_channel(team.platform == "slack" ? "matrix" : "slack", team.channel), nullptr);
        }
        EXPECT_EQ(cfg->find_team("team300"), nullptr);
        EXPECT_EQ(cfg->find_team(""), nullptr);
        EXPECT_EQ(cfg->find_team_by_channel("slack", "C999"), nullptr);
        EXPECT_EQ(cfg->find_team_by_channel("slack", ""), nullptr);
    }
}

TEST(Config, ADirectoryIsNotAConfigFile) {
    auto r = load_config_file("/tmp");
    ASSERT_FALSE(r.cfg);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_NE(r.errors[0].message.find("'/tmp' is a directory"), std::string::npos) << r.errors[0].message;
}

// Found by tests/fuzz/config_fuzz.cpp: toml++ 3.3.0 reached __builtin_unreachable
// on a character outside ASCII right after a bare key, and asserted (a Debug
// build aborted) on a table header that does not start with a key.
TEST(Config, MalformedTomlIsAnErrorNeverACrash) {
    auto r = load_config_string(std::string(minimal) + "na\xC3\xAFve = 1\n");
    ASSERT_FALSE(r.cfg);
    ASSERT_EQ(r.errors.size(), 1u) << all_errors(r);
    EXPECT_EQ(r.errors[0].line, 6);
    EXPECT_NE(r.errors[0].message.find("outside ASCII"), std::string::npos);

    r = load_config_string(std::string(minimal) + "[*]\n");
    ASSERT_FALSE(r.cfg);
    ASSERT_EQ(r.errors.size(), 1u) << all_errors(r);
    EXPECT_EQ(r.errors[0].line, 6);

    // Outside ASCII in strings and comments is fine.
    r = load_config_string(std::string(minimal) + "# \xC3\xA9quipe\n[storage]\npath = \"\xC3\xA9t\xC3\xA9.db\"\n");
    EXPECT_TRUE(r.cfg) << all_errors(r);
}
