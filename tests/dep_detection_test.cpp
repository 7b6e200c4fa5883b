#include <gtest/gtest.h>

#include "handlers/dependency_detection.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

const char* const four_teams = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
members = ["alice"]

[[teams]]
name = "beta"
channel = "#beta"
members = ["carol"]

[[teams]]
name = "platform"
channel = "#platform"
members = ["pat"]
aliases = ["plat", "infra"]

[[teams]]
name = "ml"
channel = "#ml"
members = ["max"]
aliases = ["ML team", "data science"]
)";

std::vector<std::string> blamed(const std::string& text, const std::string& own = "alpha") {
    static const config cfg = [] {
        config c = must_load(four_teams);
        c.teams[3].channel = "C0ML";  // as on Slack, where a channel is an id (the console build has no Slack yet)
        return c;
    }();
    std::vector<std::string> out;
    for (const auto& m : find_blocker_mentions(text, cfg, own)) out.push_back(m.team);
    return out;
}

using names = std::vector<std::string>;

}  // namespace

TEST(DepDetection, BlockedByTeamName) { EXPECT_EQ(blamed("We are blocked by platform on the token API."), names{"platform"}); }

TEST(DepDetection, WaitingOnTheTeamByMultiWordAlias) {
    EXPECT_EQ(blamed("Still waiting on the ML team for the ranking model"), names{"ml"});
    EXPECT_EQ(blamed("depends on data science delivering features"), names{"ml"});
}

TEST(DepDetection, AtMentionFollowedByHasNotShipped) {
    EXPECT_EQ(blamed("@beta hasn't shipped the export endpoint"), names{"beta"});
    EXPECT_EQ(blamed("@beta\u2019s export still hasn\u2019t shipped"), names{"beta"});  // typographic apostrophes
}

TEST(DepDetection, AliasesAndCaseDoNotMatter) {
    EXPECT_EQ(blamed("Blocked on INFRA for a new DB"), names{"platform"});
    EXPECT_EQ(blamed("held up by Plat"), names{"platform"});
}

TEST(DepDetection, ChannelMentionsCount) {
    EXPECT_EQ(blamed("waiting for #platform to approve the quota"), names{"platform"});
    EXPECT_EQ(blamed("blocked by <#C0ML|ml-chat> on features"), names{"ml"});  // Slack's channel mention
}

TEST(DepDetection, TeamAfterFromInTheSameClause) {
    EXPECT_EQ(blamed("waiting on a schema review from platform"), names{"platform"});
}

TEST(DepDetection, TeamBeforeLatenessPhrase) {
    EXPECT_EQ(blamed("the platform team is late with Auth v2"), names{"platform"});
    EXPECT_EQ(blamed("platform's new gateway is slipping"), names{"platform"});
}

TEST(DepDetection, SeveralTeamsEachOnceInOrder) {
    EXPECT_EQ(blamed("Blocked by beta; also waiting on platform. Beta hasn't replied."), (names{"beta", "platform"}));
}

TEST(DepDetection, OwnReviewIsNotAnotherTeam) { EXPECT_TRUE(blamed("we are blocked on our own review").empty()); }

TEST(DepDetection, OwnTeamNeverCounts) {
    EXPECT_TRUE(blamed("blocked by alpha's flaky tests", "alpha").empty());
    EXPECT_EQ(blamed("blocked by alpha's flaky tests", "beta"), names{"alpha"});
}

TEST(DepDetection, TeamNameInsideAnotherWordDoesNotMatch) {
    EXPECT_TRUE(blamed("blocked by the alphabetical sort bug", "beta").empty());
    EXPECT_TRUE(blamed("waiting on platformer release notes").empty());
    EXPECT_TRUE(blamed("@betamax hasn't shipped").empty());
    EXPECT_TRUE(blamed("blocked by xml parsing").empty());  // "ml" inside "xml"
    EXPECT_TRUE(blamed("waiting on #betatesters").empty());
}

TEST(DepDetection, NamingATeamWithoutABlockingPhraseDoesNotMatch) {
    EXPECT_TRUE(blamed("Paired with platform on the gateway, went well").empty());
    EXPECT_TRUE(blamed("beta testers liked the new flow").empty());
}

TEST(DepDetection, OrdinaryWordsAndOtherPhrasesDoNotMatch) {
    EXPECT_TRUE(blamed("waiting for the weekend; blocked by the flu").empty());
    EXPECT_TRUE(blamed("none").empty());
    EXPECT_TRUE(blamed("").empty());
}

TEST(DepDetection, NegatedPhraseDoesNotMatch) {
    EXPECT_TRUE(blamed("no longer blocked by platform").empty());
    EXPECT_TRUE(blamed("not waiting on beta anymore").empty());
}

TEST(DepDetection, PunctuationEndsTheClause) {
    // "blocked on X, ... platform" must not tie platform to the earlier phrase.
    EXPECT_TRUE(blamed("blocked on our CI. Lunch with platform was nice").empty());
}

TEST(DepDetection, ExcerptShowsTheMatchedWords) {
    const config cfg = must_load(four_teams);
    auto found = find_blocker_mentions("Honestly we are waiting on the ML team since Monday", cfg, "alpha");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].excerpt, "waiting on the ml team");
}

TEST(DepDetection, HugeInputIsHandled) {
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "blocked by platform <<<< @@@ ### \xE2\x80 ";
    EXPECT_EQ(blamed(text), names{"platform"});
}

TEST(DepDetection, ListsOfTeamsAfterOnePhrase) {
    EXPECT_EQ(blamed("blocked by platform and the ML team"), (names{"platform", "ml"}));
    EXPECT_EQ(blamed("waiting on beta, infra"), (names{"beta", "platform"}));
    EXPECT_EQ(blamed("blocked by platform and our own tests"), names{"platform"});
}

TEST(DepDetection, ArbitraryBytesNeverCrash) {
    std::string text;
    unsigned state = 12345;
    for (int round = 0; round < 200; ++round) {
        text.clear();
        for (int i = 0; i < 300; ++i) {
            state = state * 1103515245u + 12345u;
            const char pool[] = "ab @#<>|!^,.'-\xE2\x80\x99\x9C\xC3 blocked by platform hasn't";
            text += pool[(state >> 16) % (sizeof pool - 1)];
        }
        (void)blamed(text);
    }
    SUCCEED();
}
