#include <gtest/gtest.h>

#include "handlers/eowd.hpp"
#include "tests/support/console_runner.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

// Week 2026-W47 (Mon 16 Nov): Berlin is UTC+1. Sign-ups open 09:00Z Monday,
// close 11:00Z Friday; the EOWD starts 14:00Z, reminders at 13:00Z, the
// digest at 15:00Z.
const std::string config_text = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob", "carol"]

[[teams]]
name = "beta"
channel = "#beta"
timezone = "America/New_York"
members = ["dave"]

[rituals.eowd]
enabled = true
slots = 2
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

std::vector<sent_message> only_eowd(std::vector<sent_message> msgs) {
    std::vector<sent_message> out;
    for (auto& m : msgs)
        if (has(m.text, "EOWD") || has(m.text, "End of Week Debrief")) out.push_back(std::move(m));
    return out;
}

}  // namespace

TEST(EowdCalendar, TimesAreReadInTheTeamsZoneAcrossDaylightSaving) {
    const config cfg = must_load(config_text);
    const team_config& alpha = cfg.teams[0];
    const team_config& beta = cfg.teams[1];
    EXPECT_EQ(eowd_start(cfg, alpha, "2026-W47"), at("2026-11-20T14:00:00Z"));
    EXPECT_EQ(eowd_opens(cfg, alpha, "2026-W47"), at("2026-11-16T09:00:00Z"));
    EXPECT_EQ(eowd_closes(cfg, alpha, "2026-W47"), at("2026-11-20T11:00:00Z"));
    EXPECT_EQ(eowd_slot_start(cfg, alpha, "2026-W47", 5), at("2026-11-20T14:50:00Z"));
    EXPECT_EQ(eowd_start(cfg, beta, "2026-W47"), at("2026-11-20T20:00:00Z"));
    // Summer time in Berlin ends Sun 25 Oct 2026: Friday 23 Oct is UTC+2, Friday 30 Oct UTC+1.
    EXPECT_EQ(eowd_start(cfg, alpha, "2026-W43"), at("2026-10-23T13:00:00Z"));
    EXPECT_EQ(eowd_start(cfg, alpha, "2026-W44"), at("2026-10-30T14:00:00Z"));
    // New York changes a week later (Sun 1 Nov): the EOWD stays at 15:00 local.
    EXPECT_EQ(eowd_start(cfg, beta, "2026-W44"), at("2026-10-30T19:00:00Z"));
    EXPECT_EQ(eowd_start(cfg, beta, "2026-W45"), at("2026-11-06T20:00:00Z"));
}

TEST(EowdCalendar, ACommandIsAboutThisWeeksEowdUntilItStarts) {
    const config cfg = must_load(config_text);
    const team_config& alpha = cfg.teams[0];
    EXPECT_EQ(eowd_week(cfg, alpha, at("2026-11-16T08:00:00Z")), "2026-W47");
    EXPECT_EQ(eowd_phase_at(cfg, alpha, "2026-W47", at("2026-11-16T08:59:59Z")), eowd_phase::not_open);
    EXPECT_EQ(eowd_phase_at(cfg, alpha, "2026-W47", at("2026-11-16T09:00:00Z")), eowd_phase::open);
    EXPECT_EQ(eowd_phase_at(cfg, alpha, "2026-W47", at("2026-11-20T10:59:59Z")), eowd_phase::open);
    EXPECT_EQ(eowd_phase_at(cfg, alpha, "2026-W47", at("2026-11-20T11:00:00Z")), eowd_phase::closed);
    EXPECT_EQ(eowd_week(cfg, alpha, at("2026-11-20T13:59:59Z")), "2026-W47");
    EXPECT_EQ(eowd_week(cfg, alpha, at("2026-11-20T14:00:00Z")), "2026-W48");
    // Each team's own start: Berlin's EOWD is over at 16:00Z, New York's is still to come.
    EXPECT_EQ(eowd_week(cfg, alpha, at("2026-11-20T16:00:00Z")), "2026-W48");
    EXPECT_EQ(eowd_week(cfg, cfg.teams[1], at("2026-11-20T16:00:00Z")), "2026-W47");
}

TEST(EowdSchedule, InvitationAgendaReminderAndDigestComeOnTimeOncePerTeam) {
    test_bot bot(config_text, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-16T09:00:00Z");
    auto msgs = only_eowd(bot.sent());
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].where(), "#alpha");
    bot.advance_to("2026-11-16T15:00:00Z");  // 10:00 in New York
    msgs = only_eowd(bot.sent());
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].where(), "#beta");
    EXPECT_TRUE(has(msgs[0].text, "Fri 20 Nov 15:00 EST")) << msgs[0].text;

    bot.say("alice", "/eowd signup Ranking -- sanity check");
    bot.say("bob", "/eowd signup Parser");
    bot.say("carol", "/eowd signup Late idea");
    bot.sent();

    bot.advance_to("2026-11-20T10:59:00Z");
    EXPECT_TRUE(only_eowd(bot.sent()).empty());
    bot.advance_to("2026-11-20T11:00:00Z");
    msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[0].where(), "#alpha");
    EXPECT_EQ(msgs[1].where(), "@carol");  // the waitlist hears it too
    EXPECT_TRUE(has(msgs[1].text, "you are number 1 on the waitlist. If a presenter withdraws before Fri 20 Nov "
                                  "15:00 CET, you step in")) << msgs[1].text;
    EXPECT_TRUE(has(msgs[0].text, "15:00 alice: Ranking. Input wanted: sanity check")) << msgs[0].text;
    EXPECT_TRUE(has(msgs[0].text, "15:10 bob: Parser. Input wanted: not said.")) << msgs[0].text;
    EXPECT_TRUE(has(msgs[0].text, "Waitlist: carol")) << msgs[0].text;

    // After close, sign-ups are refused; the EOWD is still this week's.
    bot.say("dave", "/eowd signup Too late", "#alpha");
    EXPECT_TRUE(has(bot.last_text_to("@dave"), "Only members and managers of alpha")) << bot.last_text_to("@dave");
    bot.say("carol", "/eowd signup Too late");
    EXPECT_TRUE(has(bot.last_text_to("@carol"), "closed at Fri 20 Nov 12:00 CET")) << bot.last_text_to("@carol");

    bot.advance_to("2026-11-20T12:59:00Z");
    EXPECT_TRUE(bot.sent().empty());
    bot.advance_to("2026-11-20T13:00:00Z");  // an hour before, presenters only
    msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[0].where(), "@alice");
    EXPECT_TRUE(has(msgs[0].text, "Reminder: you present at the alpha EOWD at Fri 20 Nov 15:00 CET (10 minutes): Ranking"))
        << msgs[0].text;
    EXPECT_TRUE(has(msgs[0].text, "Input you asked for: sanity check")) << msgs[0].text;
    EXPECT_EQ(msgs[1].where(), "@bob");
    EXPECT_TRUE(has(msgs[1].text, "15:10 CET")) << msgs[1].text;

    bot.advance_to("2026-11-20T15:00:00Z");  // the digest
    auto digest = bot.sent_to("#alpha");
    ASSERT_EQ(digest.size(), 1u);
    EXPECT_TRUE(has(digest[0].text, "End of Week Debrief, Fri 20 Nov 15:00 CET")) << digest[0].text;
    EXPECT_TRUE(has(digest[0].text, "15:00 alice: Ranking")) << digest[0].text;
    EXPECT_TRUE(has(digest[0].text, "Presented: alice, bob.")) << digest[0].text;

    // Beta: nobody signed up.
    bot.advance_to("2026-11-20T17:00:00Z");  // 12:00 New York
    auto beta = bot.sent_to("#beta");
    ASSERT_EQ(beta.size(), 1u);
    EXPECT_TRUE(has(beta[0].text, "No EOWD this week for beta: nobody signed up")) << beta[0].text;
    EXPECT_TRUE(has(beta[0].text, "open Mon 23 Nov 10:00 EST")) << beta[0].text;
    bot.advance_to("2026-11-20T21:00:00Z");
    beta = bot.sent_to("#beta");
    ASSERT_EQ(beta.size(), 1u);  // the digest, no reminder
    EXPECT_TRUE(has(beta[0].text, "No EOWD this week: nobody signed up.")) << beta[0].text;
}

TEST(EowdSchedule, AWithdrawalAfterTheAgendaIsPostedTellsTheChannel) {
    test_bot bot(config_text, "2026-11-16T09:30:00Z");
    bot.say("alice", "/eowd signup A");
    bot.say("bob", "/eowd signup B");
    bot.say("carol", "/eowd signup C");
    bot.advance_to("2026-11-20T11:00:00Z");
    bot.sent();
    bot.say("alice", "/eowd withdraw");
    auto msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 4u);
    EXPECT_EQ(msgs[1].where(), "@bob");  // moved up a slot
    EXPECT_TRUE(has(msgs[1].text, "you move up: you present slot 1")) << msgs[1].text;
    EXPECT_EQ(msgs[2].where(), "@carol");
    EXPECT_EQ(msgs[3].where(), "#alpha");
    EXPECT_TRUE(has(msgs[3].text, "Agenda change: alice withdrew; carol steps in from the waitlist")) << msgs[3].text;
    EXPECT_TRUE(has(msgs[3].text, "15:00 bob: B")) << msgs[3].text;
    EXPECT_TRUE(has(msgs[3].text, "15:10 carol: C")) << msgs[3].text;
}

TEST(EowdSchedule, SignUpsBeforeTheyOpenAreRefusedWithTheOpeningTime) {
    test_bot bot(config_text, "2026-11-16T08:00:00Z");
    bot.say("alice", "/eowd signup Early bird");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "open Mon 16 Nov 10:00 CET")) << bot.last_text_to("@alice");
    bot.say("alice", "/eowd list");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Sign-ups open Mon 16 Nov 10:00 CET")) << bot.last_text_to("@alice");
}

TEST(EowdSchedule, ARestartNeitherRepeatsNorSkipsTheAgenda) {
    const std::string path = temp_dir("eowd_restart") + "/bot.db";
    {
        test_bot bot(config_text, "2026-11-16T09:30:00Z", path);
        bot.say("alice", "/eowd signup A");
        bot.advance_to("2026-11-20T11:00:00Z");
        EXPECT_EQ(only_eowd(bot.sent_to("#alpha")).size(), 1u);
    }
    {
        test_bot again(config_text, "2026-11-20T11:30:00Z", path);
        EXPECT_TRUE(again.sent_to("#alpha").empty());
    }
    // Down from before the close until after it: the agenda still goes out, once.
    const std::string path2 = temp_dir("eowd_restart_late") + "/bot.db";
    {
        test_bot bot(config_text, "2026-11-16T09:30:00Z", path2);
        bot.say("alice", "/eowd signup A");
        bot.advance_to("2026-11-20T10:00:00Z");
        bot.sent();
    }
    test_bot late(config_text, "2026-11-20T12:00:00Z", path2);
    auto msgs = late.sent_to("#alpha");
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_TRUE(has(msgs[0].text, "15:00 alice: A")) << msgs[0].text;
}

TEST(EowdSchedule, RitualScheduleAndHelpMentionTheEowd) {
    test_bot bot(config_text, "2026-11-17T09:00:00Z");
    bot.say("bob", "/ritual schedule");
    std::string r = bot.last_text_to("@bob");
    EXPECT_TRUE(has(r, "Next alpha EOWD: Fri 20 Nov 15:00 CET; sign-ups close Fri 20 Nov 12:00 CET (/eowd signup).")) << r;
    bot.say("bob", "/ritual help");
    r = bot.last_text_to("@bob");
    EXPECT_TRUE(has(r, "/eowd signup <topic> [-- <input wanted>]")) << r;
    EXPECT_TRUE(has(r, "/learn propose <topic>")) << r;
}

TEST(EowdSchedule, ATeamsOwnSettingsMoveItsEowdOrTurnItOff) {
    const std::string own = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
members = ["alice"]

[teams.eowd]
at = "Thu 16:00"
closes = "Thu 12:00"
slots = 1

[[teams]]
name = "beta"
channel = "#beta"
timezone = "America/New_York"
members = ["dave"]

[teams.eowd]
enabled = false

[rituals.eowd]
enabled = true
)";
    test_bot bot(own, "2026-11-16T09:30:00Z");
    bot.say("alice", "/eowd signup Thursday talk");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "slot 1 at Thu 19 Nov 16:00 CET")) << bot.last_text_to("@alice");
    bot.say("dave", "/eowd list");
    EXPECT_TRUE(has(bot.last_text_to("@dave"), "Team beta has no End of Week Debrief")) << bot.last_text_to("@dave");
    bot.advance_to("2026-11-19T10:59:00Z");
    EXPECT_TRUE(only_eowd(bot.sent_to("#alpha")).empty());
    bot.advance_to("2026-11-19T11:00:00Z");  // Thu 12:00 Berlin
    auto agenda = only_eowd(bot.sent_to("#alpha"));
    ASSERT_EQ(agenda.size(), 1u);
    EXPECT_TRUE(has(agenda[0].text, "16:00 alice: Thursday talk")) << agenda[0].text;
    bot.advance_to("2026-11-27T00:00:00Z");
    for (const auto& m : bot.sent_to("#beta")) EXPECT_FALSE(has(m.text, "EOWD")) << m.text;
}

TEST(EowdSchedule, ADigestPreviewWhileSignUpsAreOpenDoesNotCallTheEowdOff) {
    test_bot bot(config_text, "2026-11-16T08:00:00Z");
    bot.say("alice", "/ritual digest preview");
    std::string text = bot.last_text_to("@alice");
    EXPECT_TRUE(has(text, "Sign-ups open Mon 16 Nov 10:00 CET.")) << text;
    EXPECT_FALSE(has(text, "No EOWD this week")) << text;
    bot.advance_to("2026-11-16T09:30:00Z");  // Monday, sign-ups open
    bot.sent();
    bot.say("alice", "/ritual digest preview");
    text = bot.last_text_to("@alice");
    EXPECT_TRUE(has(text, "Nobody has signed up yet; sign-ups are open until Fri 20 Nov 12:00 CET")) << text;
    EXPECT_FALSE(has(text, "No EOWD this week")) << text;
    bot.advance_to("2026-11-20T11:00:00Z");  // closed with nobody signed up
    bot.sent();
    bot.say("alice", "/ritual digest preview");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "No EOWD this week: nobody signed up.")) << bot.last_text_to("@alice");
}
