#include <gtest/gtest.h>

#include <algorithm>

#include "handlers/dependency_alerts.hpp"
#include "storage/dependency_store.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

// Four teams in three zones; maria manages alpha, mike beta, paula platform,
// mona ml; olga is the org admin.
const char* const org = R"(
[org]
admins = ["olga"]

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
managers = ["mike"]
members = ["carol"]

[[teams]]
name = "platform"
channel = "#platform"
timezone = "Europe/London"
managers = ["paula"]
members = ["pat"]
aliases = ["plat", "infra"]

[[teams]]
name = "ml"
channel = "#ml"
timezone = "Europe/Berlin"
managers = ["mona"]
members = ["max"]
aliases = ["ML team"]
)";

std::size_t count_with(const std::vector<sent_message>& msgs, const std::string& where, const std::string& needle) {
    std::size_t n = 0;
    for (const auto& m : msgs)
        if (m.where() == where && m.text.find(needle) != std::string::npos) ++n;
    return n;
}

std::size_t count_with(const std::vector<sent_message>& msgs, const std::string& needle) {
    std::size_t n = 0;
    for (const auto& m : msgs)
        if (m.text.find(needle) != std::string::npos) ++n;
    return n;
}

// alice writes a whole weekly update with `risk` as her third answer.
void write_update(test_bot& bot, const std::string& user, const std::string& risk) {
    bot.say(user, "/update");
    bot.say(user, "Shipped the login page");
    bot.say(user, "Customers can sign in");
    bot.say(user, risk);
    bot.say(user, "Checkout");
}

}  // namespace

TEST(DepAlerts, DueSoonGoesToBothChannelsAndTheOwnerOnceAWeek) {
    test_bot bot(org, "2026-11-16T08:00:00Z");  // Monday
    bot.say("maria", "/dep add platform -> alpha \"Auth v2\" type=blocking due=2026-11-20 owner=@pat");
    auto msgs = bot.sent();
    EXPECT_EQ(count_with(msgs, "#alpha", "Dependency due soon: #1 platform"), 1u);
    EXPECT_EQ(count_with(msgs, "#platform", "Dependency due soon: #1 platform"), 1u);
    EXPECT_EQ(count_with(msgs, "@pat", "Dependency due soon"), 1u);
    EXPECT_EQ(count_with(msgs, "@maria", "Registered #1"), 1u);

    // Daily checks and further changes in the same week raise nothing new.
    bot.advance_to("2026-11-19T12:00:00Z");
    bot.say("maria", "/dep due 1 2026-11-21");
    EXPECT_EQ(count_with(bot.sent(), "due soon"), 0u);
    // Another dependency is another subject: it gets its own alert.
    bot.say("maria", "/dep add beta -> alpha \"Export\" type=blocking due=2026-11-22");
    EXPECT_EQ(count_with(bot.sent(), "#beta", "Dependency due soon: #2 beta"), 1u);
}

TEST(DepAlerts, DailyCheckRaisesDueSoonWhenTheDateIsSevenDaysAway) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    bot.say("maria", "/dep add platform -> alpha \"Auth v2\" type=blocking due=2026-11-30");
    EXPECT_EQ(count_with(bot.sent(), "due soon"), 0u);  // 14 days away
    bot.advance_to("2026-11-23T07:59:00Z");
    EXPECT_EQ(count_with(bot.sent(), "due soon"), 0u);
    bot.advance_to("2026-11-23T08:00:00Z");  // Mon 09:00 in Berlin (alpha, the consumer), 7 days before
    auto msgs = bot.sent();
    EXPECT_EQ(count_with(msgs, "#alpha", "Dependency due soon: #1"), 1u);
    EXPECT_EQ(count_with(msgs, "#platform", "Dependency due soon: #1"), 1u);
}

TEST(DepAlerts, NonBlockingSoftAndAvailableDependenciesRaiseNoDueAlert) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    bot.say("maria", "/dep add platform -> alpha \"Docs\" type=non-blocking due=2026-11-18");
    bot.say("maria", "/dep add platform -> alpha \"Nice theme\" type=soft due=2026-11-10");
    bot.say("maria", "/dep add platform -> alpha \"Auth v2\" type=blocking due=2026-12-30");
    bot.say("maria", "/dep status 3 available");
    bot.say("maria", "/dep due 3 2026-11-10");
    bot.advance_to("2026-11-27T12:00:00Z");
    auto msgs = bot.sent();
    EXPECT_EQ(count_with(msgs, "due soon"), 0u);
    EXPECT_EQ(count_with(msgs, "past due"), 0u);
}

TEST(DepAlerts, PastDueIsRaisedOnceEachWeekUntilResolved) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    bot.say("mike", "/dep add platform -> beta \"Event bus\" type=blocking due=2026-11-13");
    auto msgs = bot.sent();
    EXPECT_EQ(count_with(msgs, "#beta", "Dependency past due: #1"), 1u);
    EXPECT_EQ(count_with(msgs, "#platform", "Dependency past due: #1"), 1u);
    bot.advance_to("2026-11-22T12:00:00Z");  // Sunday: the rest of the week's daily checks
    EXPECT_EQ(count_with(bot.sent(), "past due"), 0u);
    bot.advance_to("2026-11-23T14:00:00Z");  // Mon 09:00 in New York, the consumer's zone: a new week
    EXPECT_EQ(count_with(bot.sent(), "#beta", "Dependency past due: #1"), 1u);
    bot.say("paula", "/dep status 1 available");
    bot.advance_to("2026-12-01T14:00:00Z");
    EXPECT_EQ(count_with(bot.sent(), "past due"), 0u);
}

TEST(DepAlerts, InProgressPastDueEscalatesToManagersOfBothTeams) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    bot.say("paula", "/dep add platform -> beta \"Event bus\" type=blocking due=2026-11-13");
    bot.sent();
    bot.say("paula", "/dep status 1 in-progress");
    auto msgs = bot.sent();
    EXPECT_EQ(count_with(msgs, "@paula", "Escalation: #1 platform"), 1u);
    EXPECT_EQ(count_with(msgs, "@mike", "Escalation: #1 platform"), 1u);
    EXPECT_EQ(count_with(msgs, "@maria", "Escalation"), 0u);
    bot.advance_to("2026-11-20T12:00:00Z");
    EXPECT_EQ(count_with(bot.sent(), "Escalation"), 0u);  // once a week
}

TEST(DepAlerts, HiddenDependencyAsksTheConsumersManagersToRegisterIt) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    write_update(bot, "alice", "We are blocked by platform on the token API");
    auto msgs = bot.sent_to("@maria");
    ASSERT_EQ(count_with(msgs, "Possible hidden dependency"), 1u);
    const sent_message* alert = nullptr;
    for (const auto& m : msgs)
        if (m.text.find("Possible hidden dependency") != std::string::npos) alert = &m;
    ASSERT_NE(alert, nullptr);
    EXPECT_NE(alert->text.find("/dep add platform -> alpha \"We are blocked by platform on the token API\" type=blocking"),
              std::string::npos)
        << alert->text;
    // The neutral message carries a button for platforms that have them.
    bool has_button = false;
    for (const auto& b : alert->body.blocks())
        for (const auto& btn : b.buttons) has_button = has_button || btn.action_id == "dep.register";
    EXPECT_TRUE(has_button);

    // bob names platform too, the same week: no second alert.
    write_update(bot, "bob", "waiting on infra for a database");
    EXPECT_EQ(count_with(bot.sent(), "Possible hidden dependency"), 0u);
}

TEST(DepAlerts, AHiddenDependencyAlertQuotesTheAnswerWithoutHiddenCharacters) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    write_update(bot, "alice", "blocked by platform \u202Eno ,ynapmoc ruo\u202C on the token API");
    std::string alert;
    for (const auto& m : bot.sent_to("@maria"))
        if (m.text.find("Possible hidden dependency") != std::string::npos) alert = m.text;
    ASSERT_FALSE(alert.empty());
    EXPECT_EQ(alert.find("\u202E"), std::string::npos) << alert;
    EXPECT_NE(alert.find("blocked by platform no ,ynapmoc ruo on the token API"), std::string::npos) << alert;
}

TEST(DepAlerts, ReadyMadeLineRegistersTheDependency) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    write_update(bot, "alice", "blocked by @beta: export API");
    std::string line;
    for (const auto& m : bot.sent_to("@maria"))
        for (const auto& b : m.body.blocks())
            for (const auto& btn : b.buttons)
                if (btn.action_id == "dep.register") line = btn.value;
    ASSERT_FALSE(line.empty());
    bot.say("maria", line);
    EXPECT_NE(bot.last_text_to("@maria").find("Registered #1: beta"), std::string::npos);
}

TEST(DepAlerts, RegisteredDependencyIsNotHidden) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    bot.say("maria", "/dep add platform -> alpha \"Token API\" type=blocking");
    bot.sent();
    write_update(bot, "alice", "We are blocked by platform on the token API");
    EXPECT_EQ(count_with(bot.sent(), "hidden dependency"), 0u);
}

TEST(DepAlerts, OwnTeamAndOrdinaryWordsRaiseNoHiddenDependency) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    write_update(bot, "alice", "we are blocked on our own review");
    write_update(bot, "bob", "blocked by the alphabet soup of acronyms, and by alpha's CI");
    EXPECT_EQ(count_with(bot.sent(), "hidden dependency"), 0u);
}

TEST(DepAlerts, SameBlockerTwoWeeksRunningEscalatesToBothTeamsManagers) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    write_update(bot, "alice", "waiting on the ML team for the ranking model");
    auto first = bot.sent();
    EXPECT_EQ(count_with(first, "@maria", "Possible hidden dependency"), 1u);
    EXPECT_EQ(count_with(first, "two weeks running"), 0u);

    bot.advance_to("2026-11-23T10:00:00Z");  // week 48
    bot.sent();
    write_update(bot, "bob", "ML team hasn't shipped the model yet");
    auto second = bot.sent();
    EXPECT_EQ(count_with(second, "@maria", "alpha has reported ml as a blocker two weeks running (2026-W47 and 2026-W48)"),
              1u);
    EXPECT_EQ(count_with(second, "@mona", "two weeks running"), 1u);
    EXPECT_EQ(count_with(second, "@mike", "two weeks running"), 0u);

    // Once a week: alice saying it again changes nothing.
    write_update(bot, "alice", "blocked by ml");
    EXPECT_EQ(count_with(bot.sent(), "two weeks running"), 0u);
}

TEST(DepAlerts, ABlockerInNonConsecutiveWeeksIsNotStuck) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    write_update(bot, "alice", "blocked by beta");
    bot.advance_to("2026-11-30T10:00:00Z");  // two weeks later
    bot.sent();
    write_update(bot, "alice", "blocked by beta");
    EXPECT_EQ(count_with(bot.sent(), "two weeks running"), 0u);
}

TEST(DepAlerts, BottleneckGoesToOrgAdminsOnceAWeek) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    bot.say("maria", "/dep add platform -> alpha \"Auth v2\" type=blocking due=2027-01-10");
    bot.say("mike", "/dep add platform -> beta \"Event bus\" type=blocking due=2027-01-10");
    bot.say("mona", "/dep add platform -> ml \"Docs\" type=non-blocking");
    EXPECT_EQ(count_with(bot.sent(), "Bottleneck"), 0u);  // two blocking ones
    bot.say("mona", "/dep add platform -> ml \"GPU nodes\" type=blocking due=2027-01-10");
    auto msgs = bot.sent();
    EXPECT_EQ(count_with(msgs, "@olga", "Bottleneck: 3 open blocking dependencies wait on platform"), 1u);
    EXPECT_EQ(count_with(msgs, "Bottleneck"), 1u);  // nobody else
    bot.say("mona", "/dep add platform -> ml \"Feature store\" type=blocking due=2027-01-10");
    bot.advance_to("2026-11-22T12:00:00Z");
    EXPECT_EQ(count_with(bot.sent(), "Bottleneck"), 0u);
    bot.advance_to("2026-11-23T09:00:00Z");  // Mon 09:00 London: next week's check
    EXPECT_EQ(count_with(bot.sent(), "@olga", "Bottleneck: 4 open blocking"), 1u);
}

TEST(DepAlerts, ResolvedDependenciesEndTheBottleneck) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    bot.say("maria", "/dep add platform -> alpha \"A\" type=blocking due=2027-01-10");
    bot.say("maria", "/dep add platform -> alpha \"B\" type=blocking due=2027-01-10");
    bot.say("maria", "/dep status 2 done");
    bot.say("maria", "/dep add platform -> alpha \"C\" type=blocking due=2027-01-10");
    EXPECT_EQ(count_with(bot.sent(), "Bottleneck"), 0u);
}

TEST(DepAlerts, AlertRecordSurvivesARestart) {
    const std::string path = ::testing::TempDir() + "/dep_alerts_restart.db";
    std::remove(path.c_str());
    {
        test_bot bot(org, "2026-11-16T08:00:00Z", path);
        bot.say("maria", "/dep add platform -> alpha \"Auth v2\" type=blocking due=2026-11-20");
        EXPECT_EQ(count_with(bot.sent(), "#alpha", "due soon"), 1u);
    }
    test_bot again(org, "2026-11-17T12:00:00Z", path);
    again.advance_to("2026-11-19T12:00:00Z");
    EXPECT_EQ(count_with(again.sent(), "due soon"), 0u);
    dependency_store deps(*again.db);
    EXPECT_TRUE(deps.alert_claimed("due_soon", "1", "2026-W47"));
}

TEST(DepAlerts, DigestHasNewHighRiskAndResolvedDependencies) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    bot.say("maria", "/dep add platform -> alpha \"Auth v2\" type=blocking due=2026-11-25");
    bot.say("maria", "/dep add beta -> alpha \"Export\" type=soft");
    bot.say("maria", "/dep status 2 done");
    bot.advance_to("2026-11-20T15:00:00Z");  // Fri 16:00 Berlin
    auto digest = bot.last_text_to("#alpha");
    ASSERT_NE(digest.find("weekly digest"), std::string::npos);
    const auto section = digest.substr(digest.find("Dependencies"));
    EXPECT_NE(section.find("New this week:"), std::string::npos);
    EXPECT_NE(section.find("Open, high risk:\n  \u2022 platform \u2500\u2500blocks\u2500\u2500\u25B6 alpha (Auth v2, due Nov 25) HIGH"),
              std::string::npos)
        << section;
    EXPECT_NE(section.find("Resolved this week:\n  \u2022 beta \u2504\u2504helps\u2504\u2504\u25B6 alpha (Export) [#2, done]"),
              std::string::npos)
        << section;
}

TEST(DepAlerts, DigestOfATeamWithoutDependenciesHasNoSection) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-20T15:00:00Z");
    EXPECT_EQ(bot.last_text_to("#alpha").find("Dependencies"), std::string::npos);
}

TEST(DepAlerts, DigestCountsWhatHappenedAfterLastFridaysDigestAsNew) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    bot.advance_to("2026-11-21T10:00:00Z");  // Saturday, after the W47 digest
    bot.say("maria", "/dep add platform -> alpha \"Auth v2\" type=soft");
    bot.advance_to("2026-11-27T15:00:00Z");  // the W48 digest
    const auto digest = bot.last_text_to("#alpha");
    ASSERT_NE(digest.find("week 2026-W48"), std::string::npos);
    EXPECT_NE(digest.find("New this week:\n  \u2022 platform \u2504\u2504helps\u2504\u2504\u25B6 alpha (Auth v2) LOW"),
              std::string::npos)
        << digest;
}

TEST(DepAlerts, DailyCheckIsAt0900LocalEveryDayAcrossDaylightSaving) {
    const config cfg = must_load(org);
    std::vector<job_occurrence> out;
    // Berlin leaves summer time on Sun 25 Oct 2026.
    dependency_check_occurrences(cfg, at("2026-10-23T00:00:00Z"), at("2026-10-28T00:00:00Z"), out);
    std::vector<std::string> alpha;
    for (const auto& o : out)
        if (o.target == "alpha") alpha.push_back(o.period + " " + format_iso_instant(o.due));
    std::sort(alpha.begin(), alpha.end());
    EXPECT_EQ(alpha, (std::vector<std::string>{
                         "2026-10-23 2026-10-23T07:00:00Z", "2026-10-24 2026-10-24T07:00:00Z",
                         "2026-10-25 2026-10-25T08:00:00Z", "2026-10-26 2026-10-26T08:00:00Z",
                         "2026-10-27 2026-10-27T08:00:00Z"}));
}

namespace {

std::string button_value(const std::vector<sent_message>& msgs, const std::string& action) {
    for (const auto& m : msgs)
        for (const auto& b : m.body.blocks())
            for (const auto& btn : b.buttons)
                if (btn.action_id == action) return btn.value;
    return "";
}

}  // namespace

TEST(DepAlerts, SuggestionQuotesTheWordsAndTheTeam) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    write_update(bot, "alice", "We can't ship the report until platform delivers the token API.");
    auto msgs = bot.sent_to("@maria");
    ASSERT_EQ(count_with(msgs, "Possible hidden dependency"), 1u);
    EXPECT_EQ(count_with(msgs, "I read \u201Cuntil platform delivers the token\u201D as alpha waiting on team platform"),
              1u)
        << msgs[0].text;
    EXPECT_EQ(count_with(msgs, "/dep dismiss 1"), 1u);
    EXPECT_EQ(button_value(msgs, "dep.dismiss"), "/dep dismiss 1");
}

TEST(DepAlerts, DismissedSuggestionIsNotMadeAgainForTheSameWords) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    write_update(bot, "alice", "blocked by platform on the token API");
    const std::string line = button_value(bot.sent_to("@maria"), "dep.dismiss");
    ASSERT_EQ(line, "/dep dismiss 1");
    bot.say("alice", line);  // not a manager of alpha
    EXPECT_NE(bot.last_text_to("@alice").find("Only the managers of alpha"), std::string::npos);
    bot.say("maria", line);
    EXPECT_NE(bot.last_text_to("@maria").find("Dismissed #1"), std::string::npos) << bot.last_text_to("@maria");
    bot.say("maria", line);
    EXPECT_NE(bot.last_text_to("@maria").find("already dismissed"), std::string::npos);
    bot.sent();

    // Next week the same words: not suggested again. Other words about platform: suggested.
    bot.advance_to("2026-11-23T08:00:00Z");
    bot.sent();
    write_update(bot, "alice", "Blocked by platform on the token API, again");
    EXPECT_EQ(count_with(bot.sent(), "Possible hidden dependency"), 0u);
    bot.advance_to("2026-11-30T08:00:00Z");
    bot.sent();
    write_update(bot, "alice", "Need platform to raise the quota");
    EXPECT_EQ(count_with(bot.sent(), "Possible hidden dependency"), 1u);

    auto counts = dependency_store(*bot.db).suggestion_counts();
    ASSERT_EQ(counts.size(), 1u);
    EXPECT_EQ(counts[0].team, "alpha");
    EXPECT_EQ(counts[0].made, 2);
    EXPECT_EQ(counts[0].dismissed, 1);
}

TEST(DepAlerts, DismissAnswersMalformedAndUnknownIds) {
    test_bot bot(org, "2026-11-16T08:00:00Z");
    bot.say("maria", "/dep dismiss");
    EXPECT_NE(bot.last_text_to("@maria").find("Usage"), std::string::npos);
    bot.say("maria", "/dep dismiss x1");
    EXPECT_NE(bot.last_text_to("@maria").find("not a suggestion number"), std::string::npos);
    bot.say("maria", "/dep dismiss 42");
    EXPECT_NE(bot.last_text_to("@maria").find("no hidden-dependency suggestion #42"), std::string::npos);
}
