#include <gtest/gtest.h>

#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

const char* const teams = R"(
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
managers = ["maria", "ben"]
members = ["carol", "dave"]

[[teams]]
name = "gamma"
channel = "#gamma"
managers = ["gina"]
members = ["gary"]

[org]
admins = ["ceo"]
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

// Mon 16 Nov 2026, 09:00 in Berlin: 46 of Q4's 92 days are over (50%).
struct okr_bot : test_bot {
    okr_bot() : test_bot(teams, "2026-11-16T08:00:00Z") {}

    // maria manages alpha and beta: in a DM she must name the team, so her
    // commands here are typed in #alpha unless a test says otherwise.
    std::string ask(const std::string& user, const std::string& text, const std::string& channel = "") {
        say(user, text, channel.empty() && user == "maria" ? "#alpha" : channel);
        return last_text_to("@" + user);
    }

    // O1 with a decreasing and an increasing KR; O2 with one KR.
    void build_alpha() {
        ask("maria", "/okr add \"Accelerate delivery\"");
        ask("maria", "/okr kr add O1 \"Reduce CI build time\" target=5 baseline=12 unit=min owner=@alice");
        ask("maria", "/okr kr add O1 \"Deploys per week\" target=10 baseline=2 owner=@bob");
        ask("maria", "/okr add \"Improve reliability\"");
        ask("maria", "/okr kr add O2 \"Uptime\" target=99.95 baseline=99.5 unit=% owner=@alice");
    }
};

}  // namespace

TEST(OkrCommand, StatusOfATeamWithoutOkrsWarns) {
    okr_bot bot;
    auto text = bot.ask("alice", "/okr status");
    EXPECT_TRUE(has(text, "OKRs \u2014 alpha, 2026-Q4 (2026-10-01 to 2026-12-31)")) << text;
    EXPECT_TRUE(has(text, "No OKRs for 2026-Q4")) << text;
    EXPECT_TRUE(has(text, "Expected progress on 2026-11-16: 50%")) << text;
}

TEST(OkrCommand, ManagerBuildsObjectivesWithShortIds) {
    okr_bot bot;
    EXPECT_TRUE(has(bot.ask("maria", "/okr add \"Accelerate delivery\""), "Added O1 \u201CAccelerate delivery\u201D to alpha's OKRs for 2026-Q4."));
    auto kr = bot.ask("maria", "/okr kr add O1 \"Reduce CI build time\" target=5 baseline=12 unit=min owner=@alice");
    EXPECT_TRUE(has(kr, "Added alpha/KR1.1 \u201CReduce CI build time\u201D: from 12 min to 5 min (lower is better), owner @alice.")) << kr;
    EXPECT_TRUE(has(bot.ask("maria", "/okr kr add O1 \"Deploys\" target=10 owner=bob"), "Added alpha/KR1.2")) ;
    EXPECT_TRUE(has(bot.ask("maria", "/okr add \"Second\""), "Added O2"));
    EXPECT_TRUE(has(bot.ask("maria", "!okr kr add o2 \"Thing\" target=3"), "Added alpha/KR2.1 \u201CThing\u201D: from 0 to 3, no owner."));
}

TEST(OkrCommand, StatusShowsATablePerObjective) {
    okr_bot bot;
    bot.build_alpha();
    bot.ask("alice", "/okr set KR1.1 9 caching");
    bot.ask("bob", "/okr set KR1.2 4");
    bot.sent();
    bot.say("maria", "/okr status alpha");
    auto msgs = bot.sent_to("@maria");
    ASSERT_EQ(msgs.size(), 1u);
    const auto& body = msgs[0].body;
    int tables = 0;
    for (const auto& b : body.blocks())
        if (b.kind == block_kind::table) {
            ++tables;
            EXPECT_EQ(b.rows[0][0], "KR");
            EXPECT_EQ(b.rows[0].size(), 8u);
        }
    EXPECT_EQ(tables, 2);
    const std::string text = msgs[0].text;
    // 12 -> 9 of 12 -> 5 is 43%, within 10 points of 50%: on track.
    EXPECT_TRUE(has(text, "KR1.1  Reduce CI build time  12 \u2192 9 \u2192 5 min")) << text;
    EXPECT_TRUE(has(text, "████░░░░░░ 43%  50%       on track  @alice  today")) << text;
    // 2 -> 4 of 2 -> 10 is 25%: 25 points below, at risk.
    EXPECT_TRUE(has(text, "25%  50%       at risk   @bob    today")) << text;
    // Uptime never checked in: 0%, off track.
    EXPECT_TRUE(has(text, "off track  @alice  never")) << text;
    EXPECT_TRUE(has(text, "O2 Improve reliability")) << text;
}

TEST(OkrCommand, OwnerAndManagersSetAValueOthersAreRefused) {
    okr_bot bot;
    bot.build_alpha();
    EXPECT_TRUE(has(bot.ask("alice", "/okr set KR1.1 9"), "Recorded alpha/KR1.1 Reduce CI build time: 12 min \u2192 9 min (target 5 min). Progress 43%, expected 50%: on track."));
    EXPECT_TRUE(has(bot.ask("maria", "/okr set KR1.1 10 regression"), "Recorded alpha/KR1.1"));
    EXPECT_EQ(bot.ask("bob", "/okr set KR1.1 3"), "Only its owner @alice and the managers of alpha can set KR1.1.");
    EXPECT_TRUE(has(bot.ask("carol", "/okr set KR1.1 3"), "There is no KR1.1 in beta's OKRs"));
    EXPECT_EQ(bot.ask("carol", "/okr set alpha/KR1.1 3"), "You can only see the OKRs of your own teams; alpha is not one of them.");
    EXPECT_TRUE(has(bot.ask("alice", "/okr set KR2.1 99.7%"), "99.5% \u2192 99.7%"));
}

TEST(OkrCommand, SetErrorsGetUsage) {
    okr_bot bot;
    bot.build_alpha();
    auto t = bot.ask("alice", "/okr set KR1.1");
    EXPECT_TRUE(has(t, "needs a key result id and a value")) << t;
    EXPECT_TRUE(has(t, "Usage:")) << t;
    EXPECT_TRUE(has(bot.ask("alice", "/okr set KR1.1 nine"), "\u201Cnine\u201D is not a number"));
    EXPECT_TRUE(has(bot.ask("alice", "/okr set KR1.1 1,200"), "is not a number"));
    EXPECT_TRUE(has(bot.ask("alice", "/okr set KR1 9"), "is not a key result id; they look like KR1.2."));
    EXPECT_TRUE(has(bot.ask("alice", "/okr set KR7.1 9"), "There is no KR7.1 in alpha's OKRs for 2026-Q4."));
    EXPECT_TRUE(has(bot.ask("alice", "/okr set KR1.1 9 " + std::string(600, 'x')), "keep it under 500"));
    EXPECT_TRUE(has(bot.ask("alice", "/okr set nosuchteam/KR1.1 9"), "There is no team called"));
}

TEST(OkrCommand, HistoryListsCheckinsNewestFirst) {
    okr_bot bot;
    bot.build_alpha();
    EXPECT_TRUE(has(bot.ask("bob", "/okr history KR1.1"), "No check-ins yet."));
    bot.ask("alice", "/okr set KR1.1 10 first step");
    bot.advance_to("2026-11-17T08:00:00Z");
    bot.ask("maria", "/okr set KR1.1 9");
    auto h = bot.ask("bob", "/okr history KR1.1");
    EXPECT_TRUE(has(h, "KR1.1 Reduce CI build time (alpha, 2026-Q4)")) << h;
    auto newer = h.find("Tue 17 Nov 09:00 CET: 9 min (was 10) by @maria");
    auto older = h.find("Mon 16 Nov 09:00 CET: 10 min (was 12) by @alice \u2014 first step");
    ASSERT_NE(newer, std::string::npos) << h;
    ASSERT_NE(older, std::string::npos) << h;
    EXPECT_LT(newer, older);
    EXPECT_TRUE(has(bot.ask("bob", "/okr history"), "Usage:"));
    EXPECT_TRUE(has(bot.ask("gary", "/okr history alpha/KR1.1"), "only see the OKRs of your own teams"));
}

TEST(OkrCommand, OnlyManagersChangeObjectivesAndKeyResults) {
    okr_bot bot;
    bot.build_alpha();
    const std::string refusal = "Only the managers of alpha can change its objectives, key results and period.";
    EXPECT_EQ(bot.ask("alice", "/okr add \"Mine\""), refusal);
    EXPECT_EQ(bot.ask("alice", "/okr kr add O1 \"Mine\" target=3"), refusal);
    EXPECT_EQ(bot.ask("bob", "/okr archive O1"), refusal);
    EXPECT_EQ(bot.ask("alice", "/okr period set 2026-11-02 2026-12-18"), refusal);
    EXPECT_EQ(bot.ask("gina", "/okr add \"Theirs\" team=alpha"), refusal);
    EXPECT_EQ(bot.ask("ceo", "/okr add \"Org\" team=alpha"), refusal);  // admins see, managers change
}

TEST(OkrCommand, MembersSeeTheirTeamsManagersAndAdminsSeeMore) {
    okr_bot bot;
    bot.build_alpha();
    EXPECT_TRUE(has(bot.ask("bob", "/okr status"), "O1 Accelerate delivery"));
    EXPECT_EQ(bot.ask("carol", "/okr status alpha"), "You can only see the OKRs of your own teams; alpha is not one of them.");
    EXPECT_EQ(bot.ask("gary", "/okr status #alpha"), "You can only see the OKRs of your own teams; alpha is not one of them.");
    EXPECT_TRUE(has(bot.ask("ceo", "/okr status alpha"), "O1 Accelerate delivery"));
    EXPECT_TRUE(has(bot.ask("maria", "/okr status beta"), "OKRs \u2014 beta"));
    bot.say("maria", "/okr status");  // a DM: both of her teams
    auto both = bot.last_text_to("@maria");
    EXPECT_TRUE(has(both, "OKRs \u2014 alpha")) << both;
    EXPECT_TRUE(has(both, "OKRs \u2014 beta")) << both;
    EXPECT_TRUE(has(bot.ask("dave", "/okr status nosuch"), "There is no team called \u201Cnosuch\u201D."));
    // In a channel the channel's team is meant.
    bot.say("maria", "/okr status", "#beta");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "OKRs \u2014 beta"));
}

TEST(OkrCommand, ManagerOfSeveralTeamsNamesTheTeam) {
    okr_bot bot;
    EXPECT_TRUE(has(bot.ask("maria", "/okr add \"Beta goal\" team=beta"), "to beta's OKRs"));
    bot.say("maria", "/okr add \"From the channel\"", "#beta");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "Added O2 \u201CFrom the channel\u201D to beta's OKRs"));
    EXPECT_TRUE(has(bot.ask("maria", "/okr kr add beta/O1 \"Signups\" target=100 owner=@carol"), "Added beta/KR1.1"));
    EXPECT_TRUE(has(bot.ask("carol", "/okr set KR1.1 20"), "Recorded beta/KR1.1 Signups"));
    EXPECT_TRUE(has(bot.ask("ben", "/okr status beta"), "O2 From the channel"));
}

TEST(OkrCommand, AManagerOfSeveralTeamsIsAskedWhichOneInADm) {
    okr_bot bot;
    bot.say("maria", "/okr add \"Which team?\"");
    auto text = bot.last_text_to("@maria");
    EXPECT_TRUE(has(text, "You manage alpha, beta: which team? Add team=<team>")) << text;
    bot.say("maria", "/okr add \"Alpha goal\" team=alpha");
    bot.say("maria", "/okr kr add O1 \"Latency\" target=5 baseline=9");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "which team?")) << bot.last_text_to("@maria");
    bot.say("maria", "/okr kr add alpha/O1 \"Latency\" target=5 baseline=9");
    text = bot.last_text_to("@maria");
    EXPECT_TRUE(has(text, "Added alpha/KR1.1 \u201CLatency\u201D")) << text;
    bot.say("maria", "/okr set KR1.1 7");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "which team?"));
    bot.say("maria", "/okr set alpha/KR1.1 7");
    EXPECT_TRUE(has(bot.last_text_to("@maria"), "Recorded alpha/KR1.1 Latency")) << bot.last_text_to("@maria");
}

TEST(OkrCommand, AtRiskListsOnlyLaggingKrsOfVisibleTeams) {
    okr_bot bot;
    bot.build_alpha();
    bot.ask("maria", "/okr add \"Beta goal\" team=beta");
    bot.ask("maria", "/okr kr add beta/O1 \"Signups\" target=100 owner=@carol");
    bot.ask("alice", "/okr set KR1.1 9");   // on track
    bot.ask("bob", "/okr set KR1.2 4");     // at risk
    bot.ask("alice", "/okr set KR2.1 99.95");  // done
    auto maria = bot.ask("maria", "/okr status at-risk");
    EXPECT_TRUE(has(maria, "Key results at risk or off track (alpha, beta)")) << maria;
    EXPECT_TRUE(has(maria, "alpha  KR1.2  Deploys per week")) << maria;
    EXPECT_TRUE(has(maria, "beta   KR1.1  Signups")) << maria;
    EXPECT_FALSE(has(maria, "KR1.1  Reduce CI")) << maria;
    EXPECT_FALSE(has(maria, "Uptime")) << maria;
    auto alice = bot.ask("alice", "/okr status AT-RISK");
    EXPECT_TRUE(has(alice, "(alpha)")) << alice;
    EXPECT_FALSE(has(alice, "Signups")) << alice;
    EXPECT_TRUE(has(bot.ask("gary", "/okr status at-risk"), "None: every key result is on track or done."));
}

TEST(OkrCommand, KrAddErrors) {
    okr_bot bot;
    bot.build_alpha();
    auto u = [&](const std::string& cmd) { return bot.ask("maria", cmd); };
    EXPECT_TRUE(has(u("/okr kr add O1 \"No target\""), "The key result needs target=<n>."));
    EXPECT_TRUE(has(u("/okr kr add O1 \"X\" target=lots"), "target=lots is not a number"));
    EXPECT_TRUE(has(u("/okr kr add O1 \"X\" target=3 baseline=x"), "baseline=x is not a number (write 5, 99.5 or -2; at most 10^15)."));
    EXPECT_TRUE(has(u("/okr kr add O1 \"X\" target=3 baseline=3"), "The target equals the baseline (3)"));
    EXPECT_TRUE(has(u("/okr kr add X1 \"X\" target=3"), "is not an objective id; they look like O1."));
    EXPECT_TRUE(has(u("/okr kr add O9 \"X\" target=3"), "There is no O9 in alpha's OKRs for 2026-Q4."));
    EXPECT_TRUE(has(u("/okr kr add O1 \"X\" target=3 owner=@nobody"), "I don't know \u201C@nobody\u201D"));
    EXPECT_TRUE(has(u("/okr kr add O1 \"X\" target=3 colour=red"), "I don't understand \u201Ccolour=red\u201D here"));
    EXPECT_TRUE(has(u("/okr kr add O1 \"X\" target=3 target=4"), "target= is given twice."));
    EXPECT_TRUE(has(u("/okr kr add O1 \"X\" target=3 unit=" + std::string(30, 'u')), "unit= is too long"));
    EXPECT_TRUE(has(u("/okr kr add O1 \"\" target=3"), "needs a title"));
    EXPECT_TRUE(has(u("/okr kr add O1"), "Usage:"));
    EXPECT_TRUE(has(u("/okr kr remove O1"), "I don't understand /okr kr remove."));
    EXPECT_TRUE(has(u("/okr kr add O1 \"" + std::string(300, 'k') + "\" target=3"), "keep it under 200"));
}

TEST(OkrCommand, KrEditFixesTitleNumbersUnitAndOwner) {
    okr_bot bot;
    bot.build_alpha();
    auto text = bot.ask("maria", "/okr kr edit KR1.2 \"Deploys to production per week\" target=12 owner=@alice");
    EXPECT_TRUE(has(text, "Changed alpha/KR1.2: title \u201CDeploys to production per week\u201D, target 10 \u2192 12, owner @alice."))
        << text;
    EXPECT_TRUE(has(text, "Now from 2 to 12")) << text;
    text = bot.ask("alice", "/okr history KR1.2");
    EXPECT_TRUE(has(text, "KR1.2 Deploys to production per week")) << text;
    EXPECT_TRUE(has(text, "target 12")) << text;
    EXPECT_TRUE(has(text, "owner @alice")) << text;

    // No check-in yet: a new baseline is also the current value.
    text = bot.ask("maria", "/okr kr edit KR2.1 baseline=99.0 unit=pct");
    EXPECT_TRUE(has(text, "baseline 99.5 \u2192 99")) << text;
    EXPECT_TRUE(has(text, "unit pct")) << text;
    EXPECT_TRUE(has(text, "at 99 pct")) << text;

    // After a check-in the measured value stays.
    bot.ask("alice", "/okr set KR1.1 9");
    text = bot.ask("maria", "/okr kr edit KR1.1 baseline=14 owner=none");
    EXPECT_TRUE(has(text, "at 9 min")) << text;
    EXPECT_TRUE(has(text, "no owner")) << text;
    EXPECT_FALSE(has(text, "owner \u2014")) << text;
    text = bot.ask("alice", "/okr set KR1.1 8");
    EXPECT_TRUE(has(text, "Only the managers of alpha can set KR1.1")) << text;
}

TEST(OkrCommand, KrEditErrors) {
    okr_bot bot;
    bot.build_alpha();
    const std::vector<std::pair<std::string, std::string>> cases{
        {"/okr kr edit KR1.2", "needs a key result id and what to change"},
        {"/okr kr edit KR9.9 target=3", "There is no KR9.9"},
        {"/okr kr edit O1 target=3", "is not a key result id"},
        {"/okr kr edit KR1.2 target=abc", "is not a number"},
        {"/okr kr edit KR1.2 target=2", "would equal the baseline"},
        {"/okr kr edit KR1.2 colour=red", "I don't understand"},
        {"/okr kr edit KR1.2 owner=@nobody", "I don't know \u201C@nobody\u201D"},
        {"/okr kr edit KR1.2 target=10", "That changes nothing in KR1.2."},
    };
    for (const auto& [command, expected] : cases) {
        auto text = bot.ask("maria", command);
        EXPECT_TRUE(has(text, expected)) << command << "\n" << text;
    }
    EXPECT_TRUE(has(bot.ask("alice", "/okr kr edit KR1.2 target=3"), "Only the managers of alpha")) << "members may not";
    bot.ask("maria", "/okr archive O2");
    EXPECT_TRUE(has(bot.ask("maria", "/okr kr edit KR2.1 target=100"), "O2 is archived"));
}

TEST(OkrCommand, AddErrors) {
    okr_bot bot;
    EXPECT_TRUE(has(bot.ask("maria", "/okr add"), "needs the objective in double quotes"));
    EXPECT_TRUE(has(bot.ask("maria", "/okr add \"   \""), "needs a title"));
    EXPECT_TRUE(has(bot.ask("maria", "/okr add \"X\" team=nosuch"), "There is no team called"));
    EXPECT_TRUE(has(bot.ask("maria", "/okr add \"X\" owner=@alice"), "I don't understand"));
    EXPECT_TRUE(has(bot.ask("maria", "/okr add \"unclosed"), "I could not read that command"));
    EXPECT_TRUE(has(bot.ask("nobody", "/okr add \"X\""), "You are not in any team"));
}

TEST(OkrCommand, ArchiveRetiresAnObjectiveAndKeepsItsNumber) {
    okr_bot bot;
    bot.build_alpha();
    EXPECT_TRUE(has(bot.ask("maria", "/okr archive O2"), "Archived alpha/O2 \u201CImprove reliability\u201D."));
    auto status = bot.ask("alice", "/okr status");
    EXPECT_FALSE(has(status, "Improve reliability")) << status;
    EXPECT_EQ(bot.ask("maria", "/okr archive O2"), "O2 is already archived.");
    EXPECT_TRUE(has(bot.ask("maria", "/okr add \"Third\""), "Added O3"));
    EXPECT_EQ(bot.ask("alice", "/okr set KR2.1 99.9"), "O2 is archived; its key results no longer change.");
    EXPECT_EQ(bot.ask("maria", "/okr kr add O2 \"More\" target=3"), "O2 is archived; it takes no new key results.");
    EXPECT_TRUE(has(bot.ask("maria", "/okr archive O7"), "There is no O7"));
    EXPECT_TRUE(has(bot.ask("maria", "/okr archive"), "Usage:"));
}

TEST(OkrCommand, PeriodShowAndSet) {
    okr_bot bot;
    bot.build_alpha();
    EXPECT_TRUE(has(bot.ask("bob", "/okr period"), "alpha's OKR period: 2026-Q4, 2026-10-01 to 2026-12-31. On 2026-11-16 50% of it has passed."));
    auto set = bot.ask("maria", "/okr period set 2026-11-02 2026-12-18");
    EXPECT_EQ(set, "alpha's OKR period 2026-11-02..2026-12-18 is set (47 days). The 2 objectives of 2026-Q4 now belong to it.");
    auto status = bot.ask("alice", "/okr status");
    EXPECT_TRUE(has(status, "OKRs \u2014 alpha, 2026-11-02 to 2026-12-18")) << status;
    EXPECT_FALSE(has(status, "2026-11-02..2026-12-18")) << status;
    auto shown = bot.ask("bob", "/okr period");
    EXPECT_TRUE(has(shown, "alpha's OKR period: 2026-11-02 to 2026-12-18. On")) << shown;
    EXPECT_TRUE(has(status, "O1 Accelerate delivery")) << status;
    // 14 of 47 days are over on 16 Nov.
    EXPECT_TRUE(has(status, "Expected progress on 2026-11-16: 30%")) << status;
    EXPECT_TRUE(has(bot.ask("bob", "/okr period"), "(set by @maria)"));
    EXPECT_EQ(bot.ask("maria", "/okr period set 2026-12-01 2027-01-31"), "That overlaps the period 2026-11-02..2026-12-18 already set for alpha.");
    EXPECT_EQ(bot.ask("maria", "/okr period set 2026-11-02 2026-12-18"), "That period is already set.");
    EXPECT_TRUE(has(bot.ask("maria", "/okr period set 2027-01-10 2027-01-01"), "The last day must come after the first."));
    EXPECT_EQ(bot.ask("maria", "/okr period set 2027-02-30 2027-03-01").substr(0, 40), "2027-02-30 is not a day of the calendar.");
    EXPECT_TRUE(has(bot.ask("maria", "/okr period set 2027-2-3 2027-03-01"), "Write the days as YYYY-MM-DD"));
    EXPECT_TRUE(has(bot.ask("maria", "/okr period set 0000-01-01 0000-12-31"), "between the years 2000 and 2999"));
    EXPECT_TRUE(has(bot.ask("maria", "/okr period set 9999-12-01 9999-12-31"), "between the years 2000 and 2999"));
    EXPECT_TRUE(has(bot.ask("maria", "/okr period set 2027-01-01 2028-06-01"), "at most a year long"));
    EXPECT_TRUE(has(bot.ask("maria", "/okr period set 2027-01-01"), "Usage:"));
    // A future period moves nothing; the beta team keeps its calendar quarter.
    EXPECT_EQ(bot.ask("maria", "/okr period set 2027-01-04 2027-03-26"), "alpha's OKR period 2027-01-04..2027-03-26 is set (82 days).");
    EXPECT_TRUE(has(bot.ask("carol", "/okr period"), "beta's OKR period: 2026-Q4"));
    EXPECT_TRUE(has(bot.ask("maria", "/okr period team=beta"), "beta's OKR period: 2026-Q4"));
    // After the hand-set period the calendar quarter applies again.
    bot.advance_to("2026-12-20T08:00:00Z");
    EXPECT_TRUE(has(bot.ask("bob", "/okr period"), "alpha's OKR period: 2026-Q4"));
}

TEST(OkrCommand, AntiPatternWarningsInStatus) {
    okr_bot bot;
    for (int i = 1; i <= 4; ++i) bot.ask("maria", "/okr add \"Objective " + std::to_string(i) + "\"");
    auto fourth = bot.ask("maria", "/okr add \"Objective 5\"");
    EXPECT_TRUE(has(fourth, "Warning: alpha now has 5 objectives; more than 3 dilutes focus.")) << fourth;
    for (int i = 1; i <= 5; ++i) bot.ask("maria", "/okr kr add O1 \"KR " + std::to_string(i) + "\" target=10 baseline=2 owner=@alice");
    auto binary = bot.ask("maria", "/okr kr add O2 \"Launch the portal\" target=1");
    EXPECT_TRUE(has(binary, "Warning: this key result is binary")) << binary;
    auto status = bot.ask("alice", "/okr status");
    EXPECT_TRUE(has(status, "5 objectives: more than 3 dilutes focus (too many OKRs).")) << status;
    EXPECT_TRUE(has(status, "O1 has 5 key results: more than 4 per objective dilutes focus.")) << status;
    EXPECT_TRUE(has(status, "KR2.1 is binary (done or not)")) << status;
    EXPECT_TRUE(has(status, "O3 has no key results yet")) << status;
    EXPECT_FALSE(has(status, "set and forget")) << status;
    // Two weeks later nothing has been checked in: set and forget.
    bot.ask("alice", "/okr set KR1.1 5");
    bot.advance_to("2026-11-30T08:00:00Z");
    status = bot.ask("alice", "/okr status");
    EXPECT_TRUE(has(status, "KR1.1 has had no check-in for 14 days or more (set and forget).")) << status;
    EXPECT_TRUE(has(status, "KR1.2 has had no check-in for 14 days or more (set and forget).")) << status;
}

TEST(OkrCommand, HelpUsageAndHugeInput) {
    okr_bot bot;
    EXPECT_TRUE(has(bot.ask("alice", "/okr help"), "/okr kr add O1 \"<key result>\" target=<n>"));
    EXPECT_TRUE(has(bot.ask("alice", "/okr dance"), "I don't understand /okr dance.\nUsage:"));
    for (const char* cmd : {"/okr set help", "/okr add help", "/okr kr add help", "/okr period help", "!okr HELP"})
        EXPECT_TRUE(has(bot.ask("maria", cmd), "/okr history KR1.2 \u2014 every check-in")) << cmd;
    EXPECT_TRUE(has(bot.ask("maria", "/okr add Ship the beta"), "a title of more than one word goes in double quotes")) ;
    EXPECT_TRUE(has(bot.ask("maria", "/okr kr"), "/okr kr add adds a key result to an objective.\nUsage:"));
    EXPECT_TRUE(has(bot.ask("maria", "/okr status"), "No OKRs"));  // nothing was added above
    EXPECT_TRUE(has(bot.ask("alice", "/okr status alpha beta"), "Usage:"));
    EXPECT_TRUE(has(bot.ask("alice", "/okr add \"" + std::string(5000, 'x') + "\""), "must stay under 2000"));
    EXPECT_TRUE(has(bot.ask("alice", "/ritual help"), "/okr status [team | at-risk]"));
    EXPECT_TRUE(has(bot.ask("alice", "/nosuch"), "/okr"));
}
