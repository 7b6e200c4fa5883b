// /ritual settings: a member's own zone, prompt time and reminder.
#include <gtest/gtest.h>

#include <cstdio>

#include "storage/person_store.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

// Monday 16 November 2026; the team's prompt is Thu 15:00 (14:00Z in Berlin),
// the reminder 4h later, the digest Fri 16:00 Berlin (15:00Z).
const char* const team = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob"]
prompt_days = ["Wed", "Thu", "Fri"]
prompt_window = "09:00-18:00"

[[members]]
id = "bob"
timezone = "America/New_York"
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

std::size_t count(const std::vector<sent_message>& msgs, const std::string& needle) {
    std::size_t n = 0;
    for (const auto& m : msgs) n += has(m.text, needle) ? 1 : 0;
    return n;
}

const std::string prompt_header = "Weekly update \u2014 alpha";

}  // namespace

TEST(PersonalSettings, ShowsZoneWithItsSourcePromptAndReminder) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.say("alice", "/ritual settings");
    auto s = bot.last_text_to("@alice");
    EXPECT_TRUE(has(s, "Time zone: Europe/Berlin (from your team's zone (alpha)).")) << s;
    EXPECT_TRUE(has(s, "Weekly-update prompt: Thu 15:00 your time (the team's)")) << s;
    EXPECT_TRUE(has(s, "Allowed for alpha: Wed, Thu, Fri 09:00-18:00")) << s;
    EXPECT_TRUE(has(s, "Reminder: on, 4h after the prompt")) << s;
    bot.say("bob", "/ritual settings");
    EXPECT_TRUE(has(bot.last_text_to("@bob"), "America/New_York (from the bot's config ([[members]]))"));
}

TEST(PersonalSettings, OwnZoneOverridesTheConfigAndMovesThePrompt) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.say("bob", "/ritual settings tz Asia/Tokyo");
    auto r = bot.last_text_to("@bob");
    EXPECT_TRUE(has(r, "Your time zone is now Asia/Tokyo (from your own setting).")) << r;
    EXPECT_EQ(bot.cfg.timezone_of("bob"), "Asia/Tokyo");
    bot.advance_to("2026-11-19T05:59:59Z");
    EXPECT_TRUE(bot.sent_to("@bob").empty());
    bot.advance_to("2026-11-19T06:00:00Z");  // Thu 15:00 in Tokyo
    EXPECT_EQ(count(bot.sent_to("@bob"), prompt_header), 1u);
    bot.advance_to("2026-11-19T21:00:00Z");  // past 15:00 in New York: nothing more
    EXPECT_EQ(count(bot.sent_to("@bob"), prompt_header), 0u);
    bot.say("bob", "/ritual settings tz Mars/Olympus_Mons");
    EXPECT_TRUE(has(bot.last_text_to("@bob"), "is not a time zone I know")) << bot.last_text_to("@bob");
    bot.say("bob", "/ritual settings tz default");
    EXPECT_TRUE(has(bot.last_text_to("@bob"), "America/New_York (from the bot's config ([[members]]))"));
}

TEST(PersonalSettings, APromptTimeOutsideTheTeamsLimitsIsRefusedWithTheRange) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.say("alice", "/ritual settings prompt Mon 10:00");
    auto r = bot.last_text_to("@alice");
    EXPECT_TRUE(has(r, "alpha allows prompts on Wed, Thu, Fri 09:00-18:00 (your local time); Mon 10:00 is outside"))
        << r;
    bot.say("alice", "/ritual settings prompt Thu 08:30");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Thu 08:30 is outside that"));
    bot.say("alice", "/ritual settings prompt Fri 17:00");  // after the digest, Fri 16:00
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "The prompt must come before the digest (Fri 16:00"));
    bot.say("alice", "/ritual settings prompt sometime");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "I could not read \u201Csometime\u201D: write a weekday and a 24-hour"));
    bot.say("alice", "/ritual settings prompt " + std::string(5000, 'x'));
    EXPECT_LT(bot.last_text_to("@alice").size(), 300u);  // not echoed whole
    EXPECT_FALSE(person_store(*bot.db).settings("alice"));
    bot.say("alice", "/ritual settings prompt wed 09:00");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Your weekly-update prompt is now Wed 09:00 Europe/Berlin"));
}

TEST(PersonalSettings, AMovedPromptComesAtTheNewTimeOnce) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.say("alice", "/ritual settings prompt Wed 10:00");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Your next prompt: Wed 18 Nov 10:00 CET"));
    bot.advance_to("2026-11-18T08:59:59Z");
    EXPECT_TRUE(bot.sent_to("@alice").empty());
    bot.advance_to("2026-11-18T09:00:00Z");
    EXPECT_EQ(count(bot.sent_to("@alice"), prompt_header), 1u);
    bot.advance_to("2026-11-20T14:00:00Z");  // the team's Thursday time passes: no second prompt
    auto later = bot.sent_to("@alice");
    EXPECT_EQ(count(later, prompt_header), 0u);
    EXPECT_EQ(count(later, "Reminder:"), 1u);  // Wed 14:00 local
}

TEST(PersonalSettings, MovingLaterAfterThePromptCameDoesNotPromptAgain) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-19T14:00:00Z");  // Thursday's prompt
    EXPECT_EQ(count(bot.sent_to("@alice"), prompt_header), 1u);
    bot.say("alice", "/ritual settings prompt Fri 10:00");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "already come, so the new time counts from next week"));
    bot.advance_to("2026-11-20T14:59:00Z");
    EXPECT_EQ(count(bot.sent_to("@alice"), prompt_header), 0u);
    bot.advance_to("2026-11-27T09:00:00Z");  // next week: Friday 10:00
    EXPECT_EQ(count(bot.sent_to("@alice"), prompt_header), 1u);
}

TEST(PersonalSettings, MovingEarlierPastItsTimePromptsNowOnce) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.say("alice", "/ritual settings prompt Fri 10:00");
    bot.advance_to("2026-11-19T14:30:00Z");  // Thursday 15:30 Berlin: nothing yet
    EXPECT_EQ(count(bot.sent_to("@alice"), prompt_header), 0u);
    bot.say("alice", "/ritual settings prompt Thu 10:00");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "this week's prompt comes now")) << bot.last_text_to("@alice");
    bot.advance_to("2026-11-19T14:31:00Z");
    EXPECT_EQ(count(bot.sent_to("@alice"), prompt_header), 1u);
    bot.say("alice", "/ritual settings prompt Fri 09:00");  // and back again: still once
    bot.advance_to("2026-11-20T14:59:00Z");
    auto rest = bot.sent_to("@alice");
    EXPECT_EQ(count(rest, prompt_header), 0u);
    EXPECT_EQ(count(rest, "Reminder:"), 1u);  // 4h after the prompt actually sent
}

TEST(PersonalSettings, ReminderOffMeansNoReminder) {
    test_bot bot(team, "2026-11-16T08:00:00Z");
    bot.say("alice", "/ritual settings reminder off");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Reminders are off"));
    bot.say("alice", "/ritual settings reminder maybe");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "reminder on or /ritual settings reminder off"));
    bot.advance_to("2026-11-20T14:00:00Z");
    std::vector<sent_message> alice, bob;
    for (auto& m : bot.sent()) (m.where() == "@alice" ? alice : bob).push_back(m);
    EXPECT_EQ(count(alice, prompt_header), 1u);
    EXPECT_EQ(count(alice, "Reminder:"), 0u);
    EXPECT_EQ(count(bob, "Reminder:"), 1u);  // only alice turned hers off
}

TEST(PersonalSettings, SurviveARestart) {
    const std::string path = ::testing::TempDir() + "personal_settings_restart.db";
    std::remove(path.c_str());
    {
        test_bot bot(team, "2026-11-16T08:00:00Z", path);
        bot.say("alice", "/ritual settings prompt Wed 10:00");
        bot.say("alice", "/ritual settings tz Europe/London");
    }
    test_bot again(team, "2026-11-17T08:00:00Z", path);
    EXPECT_EQ(again.cfg.timezone_of("alice"), "Europe/London");
    again.sent();  // the answers to the commands, still undelivered from the first run
    again.advance_to("2026-11-18T09:59:59Z");
    EXPECT_TRUE(again.sent_to("@alice").empty());
    again.advance_to("2026-11-18T10:00:00Z");  // Wed 10:00 in London
    EXPECT_EQ(count(again.sent_to("@alice"), prompt_header), 1u);
}

TEST(PersonalSettings, ConfigKeysAreValidated) {
    auto bad = load_config_string(R"(
[[teams]]
name = "alpha"
channel = "#alpha"
members = ["alice"]
prompt_days = ["Thu", "Someday"]
prompt_window = "18:00-09:00"

[rituals.weekly_update]
prompt_window = "9-17"
snoozes_per_week = -1
snooze_default = "2d"
snooze_max = "1d"
)");
    ASSERT_FALSE(bad.cfg);
    std::string all;
    for (const auto& e : bad.errors) all += e.message + "\n";
    EXPECT_TRUE(has(all, "'Someday' is not a weekday")) << all;
    EXPECT_TRUE(has(all, "ends before it starts")) << all;
    EXPECT_TRUE(has(all, "expected two 24-hour times such as \"09:00-18:00\", got \"9-17\"")) << all;
    EXPECT_TRUE(has(all, "snoozes_per_week must be a whole number from 0")) << all;
    EXPECT_TRUE(has(all, "snooze_default (2d) is longer than snooze_max (1d)")) << all;
    auto good = load_config_string(R"(
[[teams]]
name = "alpha"
channel = "#alpha"
members = ["alice"]

[rituals.weekly_update]
prompt_days = ["Tue", "Mon"]
prompt_window = "10:00-16:30"
snoozes_per_week = 3
snooze_default = "1h"
snooze_max = "6h"
)");
    ASSERT_TRUE(good.cfg);
    EXPECT_EQ(good.cfg->weekly_update.prompt_days, (std::vector<unsigned>{1, 2}));
    EXPECT_EQ(good.cfg->weekly_update.prompt_window, (std::pair<int, int>{600, 990}));
    EXPECT_EQ(good.cfg->weekly_update.snoozes_per_week, 3);
    EXPECT_EQ(good.cfg->weekly_update.snooze_max, std::chrono::hours(6));
    EXPECT_FALSE(good.cfg->teams[0].prompt_days);
}
