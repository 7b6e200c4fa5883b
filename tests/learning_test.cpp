#include <gtest/gtest.h>

#include "handlers/learning.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

// The first Tuesday of December 2026 is the 1st: 16:00 Berlin is 15:00Z; the
// call for speakers goes out a week before (Tue 24 Nov 15:00Z), the reminder
// at 14:00Z on the day.
const std::string config_text = R"(
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
members = ["dave"]

[[members]]
id = "bob"
timezone = "America/New_York"

[rituals.learning]
enabled = true
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

std::vector<sent_message> only_learning(std::vector<sent_message> msgs) {
    std::vector<sent_message> out;
    for (auto& m : msgs)
        if (has(m.text, "learning session") || has(m.text, "Learning session") || has(m.text, "learning-session"))
            out.push_back(std::move(m));
    return out;
}

}  // namespace

TEST(LearningCalendar, FirstTuesdayAtFourInTheTeamsZone) {
    const config cfg = must_load(config_text);
    const learning_host alpha = *learning_host_of(cfg, cfg.teams[0]);
    const learning_host beta = *learning_host_of(cfg, cfg.teams[1]);
    EXPECT_EQ(learning_start(alpha, "2026-12"), at("2026-12-01T15:00:00Z"));
    EXPECT_EQ(learning_call_instant(alpha, "2026-12"), at("2026-11-24T15:00:00Z"));
    EXPECT_EQ(learning_start(alpha, "2027-01"), at("2027-01-05T15:00:00Z"));
    // Summer time: first Tuesday of October 2026 is the 6th, Berlin is UTC+2;
    // its call a week before is still in summer time too.
    EXPECT_EQ(learning_start(alpha, "2026-10"), at("2026-10-06T14:00:00Z"));
    // November 2026: the 3rd; its call (27 Oct) is after the change, the
    // session keeps 16:00 local on both sides.
    EXPECT_EQ(learning_start(alpha, "2026-11"), at("2026-11-03T15:00:00Z"));
    EXPECT_EQ(learning_call_instant(alpha, "2026-11"), at("2026-10-27T15:00:00Z"));
    EXPECT_EQ(learning_start(beta, "2026-12"), at("2026-12-01T21:00:00Z"));

    EXPECT_EQ(learning_month(alpha, at("2026-11-20T00:00:00Z")), "2026-12");
    EXPECT_EQ(learning_month(alpha, at("2026-12-01T14:59:59Z")), "2026-12");
    EXPECT_EQ(learning_month(alpha, at("2026-12-01T15:00:00Z")), "2027-01");
    EXPECT_EQ(next_month_key("2026-12"), "2027-01");
    EXPECT_EQ(previous_month_key("2027-01"), "2026-12");
    EXPECT_FALSE(valid_month_key("2026-13"));
}

TEST(LearningCalendar, LastWeekdayOfTheMonth) {
    const config cfg = must_load(config_text + R"(
[teams.learning]
at = "last Fri 15:00"
)");
    // teams.learning after [rituals.learning] belongs to beta (the last [[teams]]).
    EXPECT_EQ(learning_start(*learning_host_of(cfg, cfg.teams[1]), "2026-12"), at("2026-12-25T20:00:00Z"));
    EXPECT_EQ(learning_start(*learning_host_of(cfg, cfg.teams[0]), "2026-12"), at("2026-12-01T15:00:00Z"));
}

TEST(Learning, AMonthWithCallProposalsPickAnnouncementReminderAndList) {
    test_bot bot(config_text, "2026-11-16T08:00:00Z");
    bot.say("alice", "/learn propose Bandits in production");
    auto msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 2u);
    std::string r = msgs[0].text;
    EXPECT_EQ(msgs[0].where(), "@alice");
    EXPECT_TRUE(has(r, "Proposal #1 \u201CBandits in production\u201D is recorded")) << r;
    EXPECT_TRUE(has(r, "Tue 01 Dec 16:00 CET (1 hour)")) << r;
    EXPECT_FALSE(has(r, "then Q&A")) << r;  // said once, in the call for speakers
    EXPECT_EQ(msgs[1].where(), "@maria");
    EXPECT_TRUE(has(msgs[1].text, "alice proposed a learning-session talk for alpha: #1")) << msgs[1].text;

    bot.advance_to("2026-11-24T14:59:00Z");
    EXPECT_TRUE(only_learning(bot.sent_to("#alpha")).empty());
    bot.advance_to("2026-11-24T15:00:00Z");
    auto call = only_learning(bot.sent_to("#alpha"));
    ASSERT_EQ(call.size(), 1u);
    EXPECT_TRUE(has(call[0].text, "Call for speakers")) << call[0].text;
    EXPECT_TRUE(has(call[0].text, "Tue 01 Dec 16:00 CET (1 hour: a talk of 30\u201345 minutes, then Q&A)"))
        << call[0].text;
    EXPECT_TRUE(has(call[0].text, "#1 alice: Bandits in production")) << call[0].text;
    EXPECT_TRUE(has(call[0].text, "/learn propose <topic>")) << call[0].text;

    bot.say("bob", "/learn propose Airflow alarms");
    bot.say("bob", "/learn pick 2");
    EXPECT_TRUE(has(bot.last_text_to("@bob"), "Only a manager of alpha")) << bot.last_text_to("@bob");
    bot.sent();
    bot.say("maria", "/learn pick 2");
    msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 3u);
    EXPECT_EQ(msgs[0].where(), "#alpha");
    EXPECT_TRUE(has(msgs[0].text, "bob speaks on \u201CAirflow alarms\u201D, Tue 01 Dec 16:00 CET")) << msgs[0].text;
    EXPECT_EQ(msgs[1].where(), "@bob");
    EXPECT_TRUE(has(msgs[1].text, "Tue 01 Dec 10:00 EST")) << msgs[1].text;  // in bob's zone
    EXPECT_EQ(msgs[2].where(), "@maria");

    // A change of mind: the first pick goes back to the proposals.
    bot.say("maria", "/learn pick #1");
    msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 4u);
    EXPECT_TRUE(has(msgs[0].text, "This replaces the talk announced before (bob, \u201CAirflow alarms\u201D)"))
        << msgs[0].text;
    EXPECT_EQ(msgs[2].where(), "@bob");
    EXPECT_TRUE(has(msgs[2].text, "Change of plan")) << msgs[2].text;

    bot.say("alice", "/learn list");
    r = bot.last_text_to("@alice");
    EXPECT_TRUE(has(r, "Next: Tue 01 Dec 16:00 CET (1 hour) \u2014 alice: Bandits"))
        << r;
    EXPECT_TRUE(has(r, "#2 bob: Airflow alarms")) << r;
    EXPECT_FALSE(has(r, "Past:")) << r;

    bot.advance_to("2026-12-01T13:59:00Z");
    bot.sent();
    bot.advance_to("2026-12-01T14:00:00Z");
    msgs = only_learning(bot.sent());
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[0].where(), "#alpha");
    EXPECT_TRUE(has(msgs[0].text, "Starting soon: the alpha learning session")) << msgs[0].text;
    EXPECT_TRUE(has(msgs[0].text, "alice on \u201CBandits in production\u201D")) << msgs[0].text;
    EXPECT_EQ(msgs[1].where(), "@alice");

    // After the session: it is in the past, and a pick is for January.
    bot.advance_to("2026-12-01T16:00:00Z");
    bot.say("alice", "/learn list");
    r = bot.last_text_to("@alice");
    EXPECT_TRUE(has(r, "Next: Tue 05 Jan 16:00 CET")) << r;
    EXPECT_TRUE(has(r, "no speaker yet")) << r;
    EXPECT_TRUE(has(r, "Past:\n  \u2022 Tue 01 Dec 16:00 CET \u2014 alice: Bandits in production")) << r;
    bot.say("maria", "/learn pick 1");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "#1 was already given, in the session of 2026-12"))
        << bot.last_text_to("@maria");
    bot.say("bob", "/ritual schedule");
    EXPECT_TRUE(has(bot.last_text_to("@bob"), "Next alpha learning session: Tue 05 Jan 10:00 EST"))
        << bot.last_text_to("@bob");
}

TEST(Learning, NoSpeakerMeansNoSessionPost) {
    test_bot bot(config_text, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-12-01T14:00:00Z");
    bool said = false;
    for (const auto& m : bot.sent_to("#alpha")) said |= has(m.text, "No learning session this month for alpha");
    EXPECT_TRUE(said);
}

TEST(Learning, MalformedCommandsGetUsage) {
    test_bot bot(config_text, "2026-11-16T08:00:00Z");
    bot.say("alice", "/learn propose");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "What would you talk about?")) << bot.last_text_to("@alice");
    bot.say("maria", "/learn pick abc");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "Which proposal?")) << bot.last_text_to("@maria");
    bot.say("maria", "/learn pick 99");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "There is no proposal #99 for alpha")) << bot.last_text_to("@maria");
    bot.say("maria", "/learn pick -1");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "Which proposal?")) << bot.last_text_to("@maria");
    bot.say("alice", "/learn teach");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "I don't understand /learn teach")) << bot.last_text_to("@alice");
    bot.say("alice", "/learn propose " + std::string(201, 'y'));
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "at most 200 characters")) << bot.last_text_to("@alice");
    bot.say("alice", "/learn");
    EXPECT_TRUE(has(bot.last_text_to("@alice"), "Monthly learning session")) << bot.last_text_to("@alice");
    // A proposal of another team cannot be picked from here.
    bot.say("dave", "/learn propose Beta things");
    bot.say("maria", "/learn pick 1");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "There is no proposal #1 for alpha")) << bot.last_text_to("@maria");
}

TEST(Learning, OneSessionAcrossTeamsIsAnnouncedInEveryChannel) {
    const std::string shared = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice"]

[[teams]]
name = "beta"
channel = "#beta"
timezone = "America/New_York"
managers = ["nick"]
members = ["dave"]

[[teams]]
name = "gamma"
channel = "#gamma"
members = ["gus"]

[teams.learning]
enabled = false

[rituals.learning]
enabled = true
across_teams = true
timezone = "Europe/Berlin"
)";
    test_bot bot(shared, "2026-11-16T08:00:00Z");
    auto host = learning_host_of(bot.cfg, bot.cfg.teams[1]);
    ASSERT_TRUE(host);
    EXPECT_EQ(host->key, "*");
    EXPECT_EQ(host->teams.size(), 2u);
    EXPECT_FALSE(learning_host_of(bot.cfg, bot.cfg.teams[2]));

    bot.say("dave", "/learn propose Query planning");
    auto msgs = bot.sent();
    ASSERT_EQ(msgs.size(), 3u);  // dave, and both teams' managers
    EXPECT_TRUE(has(msgs[0].text, "recorded for the all teams learning sessions")) << msgs[0].text;
    bot.advance_to("2026-11-24T15:00:00Z");
    auto calls = only_learning(bot.sent());
    std::vector<sent_message> beta_call;
    int alpha_calls = 0;
    for (auto& m : calls) {
        if (m.where() == "#beta") beta_call.push_back(m);
        alpha_calls += m.where() == "#alpha";
    }
    EXPECT_EQ(alpha_calls, 1);
    ASSERT_EQ(beta_call.size(), 1u);
    EXPECT_TRUE(has(beta_call[0].text, "Tue 01 Dec 10:00 EST")) << beta_call[0].text;  // 16:00 Berlin
    EXPECT_TRUE(has(beta_call[0].text, "#1 dave: Query planning")) << beta_call[0].text;

    bot.say("gus", "/learn list");
    EXPECT_TRUE(has(bot.last_text_to("@gus"), "has no monthly learning session")) << bot.last_text_to("@gus");
    bot.say("maria", "/learn pick 1");  // a manager of alpha picks a beta member's talk
    msgs = bot.sent();
    int announcements = 0;
    for (const auto& m : msgs) announcements += m.to.kind == destination_kind::channel && has(m.text, "dave speaks on");
    EXPECT_EQ(announcements, 2);
    bot.advance_to("2026-12-01T14:00:00Z");
    EXPECT_EQ(only_learning(bot.sent_to("#beta")).size(), 1u);
}

TEST(Learning, AnOrgAdminOutsideTheTeamMayPickInItsChannel) {
    test_bot bot(config_text + "\n[org]\nadmins = [\"olga\"]\n", "2026-11-16T08:00:00Z");
    bot.say("alice", "/learn propose Bandits");
    bot.sent();
    bot.say("olga", "/learn pick 1", "#alpha");
    bool announced = false;
    for (const auto& m : bot.sent_to("#alpha")) announced |= has(m.text, "alice speaks on \u201CBandits\u201D");
    EXPECT_TRUE(announced);
    bot.say("olga", "/learn pick 1");  // in a DM there is no team to pick for
    EXPECT_TRUE(has(bot.last_text_to("@olga"), "not in any ritualbot team")) << bot.last_text_to("@olga");
}

TEST(Learning, AManagerOfSeveralTeamsPicksAProposalOfAnyOfThemInADm) {
    const std::string two_managed = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice"]

[[teams]]
name = "beta"
channel = "#beta"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["dave"]

[rituals.learning]
enabled = true
)";
    test_bot bot(two_managed, "2026-11-16T08:00:00Z");
    bot.say("alice", "/learn propose Alpha talk");
    bot.say("dave", "/learn propose Beta talk");  // #2, for beta's session
    bot.sent();
    bot.say("maria", "/learn pick 2");
    auto msgs = bot.sent();
    ASSERT_FALSE(msgs.empty());
    EXPECT_EQ(msgs[0].where(), "#beta") << msgs[0].text;
    EXPECT_TRUE(has(msgs[0].text, "dave speaks on \u201CBeta talk\u201D")) << msgs[0].text;
    bot.say("maria", "/learn pick 1");
    msgs = bot.sent();
    ASSERT_FALSE(msgs.empty());
    EXPECT_EQ(msgs[0].where(), "#alpha") << msgs[0].text;
}
