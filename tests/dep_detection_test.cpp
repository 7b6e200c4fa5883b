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

// One sample of each phrasing family of issue 14, positive and negative, so a
// rule change that loses a family fails here (the corpus below has the rest).
namespace {

const char* const word_teams = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
members = ["alice"]

[[teams]]
name = "data"
channel = "#data-eng"
members = ["dana"]
aliases = ["data eng", "data team"]

[[teams]]
name = "platform"
channel = "#platform"
members = ["pat"]
aliases = ["plat", "infra"]

[[teams]]
name = "beta"
channel = "#beta"
members = ["carol"]

[[teams]]
name = "ml"
channel = "#ml"
members = ["max"]
aliases = ["ML team", "machine learning"]
)";

std::vector<std::string> read_as(const std::string& text, const std::string& own = "alpha") {
    static const config cfg = must_load(word_teams);
    std::vector<std::string> out;
    for (const auto& m : find_blocker_mentions(text, cfg, own)) out.push_back(m.team);
    return out;
}

}  // namespace

TEST(DepDetectionFamilies, TheOtherTeamOwesOrDelivers) {
    EXPECT_EQ(read_as("data owes us the cleaned export"), names{"data"});
    EXPECT_EQ(read_as("We can't ship until data delivers the schema."), names{"data"});
    EXPECT_EQ(read_as("until platform publishes the new module we keep the old one"), names{"platform"});
    EXPECT_EQ(read_as("Beta hasn't merged the client yet"), names{"beta"});
    EXPECT_EQ(read_as("infra still has to approve the quota"), names{"platform"});
    EXPECT_TRUE(read_as("Until the beta period ends we don't charge").empty());
    EXPECT_TRUE(read_as("until data quality improves our model is noisy").empty());
}

TEST(DepDetectionFamilies, ANeedOrAWaitWithoutBlockedOrWaiting) {
    EXPECT_EQ(read_as("Need the ML team to retrain the ranker"), names{"ml"});
    EXPECT_EQ(read_as("stuck behind infra's Postgres upgrade"), names{"platform"});
    EXPECT_EQ(read_as("Can't start the migration until plat provisions the cluster"), names{"platform"});
    EXPECT_EQ(read_as("Our launch is gated on beta finishing SSO"), names{"beta"});
    EXPECT_EQ(read_as("Need a decision from the data team on retention"), names{"data"});
    EXPECT_TRUE(read_as("We need the data before the review").empty());
    EXPECT_TRUE(read_as("Need more platform engineers in the pipeline").empty());
    EXPECT_TRUE(read_as("We need ML expertise on the team").empty());
}

TEST(DepDetectionFamilies, PossessiveOrCompound) {
    EXPECT_EQ(read_as("Platform's freeze blocks our release"), names{"platform"});
    EXPECT_EQ(read_as("The data pipeline is late and we need it for the report."), names{"data"});
    EXPECT_EQ(read_as("beta's API is overdue"), names{"beta"});
    EXPECT_TRUE(read_as("The beta release slipped because of our own bugs").empty());
    EXPECT_TRUE(read_as("The ML feature we own is late; my fault.").empty());
    EXPECT_TRUE(read_as("Data team's freeze ended, so we are fine.").empty());
}

TEST(DepDetectionFamilies, ALabelFirst) {
    EXPECT_EQ(read_as("Blocked: beta needs to merge the schema change."), names{"beta"});
    EXPECT_EQ(read_as("Risk: data may not finish the warehouse move in time."), names{"data"});
    EXPECT_EQ(read_as("Blocker: infra"), names{"platform"});
    EXPECT_TRUE(read_as("Blocked: need to finish our own load test.").empty());
    EXPECT_TRUE(read_as("Risk: beta users may churn").empty());
}

TEST(DepDetectionFamilies, MentionChannelOrGroupNoun) {
    EXPECT_EQ(read_as("@beta still needs to sign off"), names{"beta"});
    EXPECT_EQ(read_as("#data-eng hasn't replied to our access request"), names{"data"});
    EXPECT_EQ(read_as("the ML folks haven't published the embeddings"), names{"ml"});
    EXPECT_EQ(read_as("the infra people are behind on the VPN"), names{"platform"});
    EXPECT_EQ(read_as("the beta squad owes us the designs"), names{"beta"});
    EXPECT_TRUE(read_as("Presented our plan to the beta folks at their sync.").empty());
}

TEST(DepDetectionFamilies, LookAlikesDoNotFire) {
    EXPECT_TRUE(read_as("The app must stay platform-independent").empty());
    EXPECT_TRUE(read_as("Data quality in our tables is poor").empty());
    EXPECT_TRUE(read_as("Our ML model needs to be retrained").empty());
    EXPECT_TRUE(read_as("Our infra needs a cleanup").empty());
    EXPECT_TRUE(read_as("No longer blocked by platform, the quota came through").empty());
    EXPECT_TRUE(read_as("Data delivered the schema, we're unblocked.").empty());
    EXPECT_TRUE(read_as("We were blocked on infra last week, resolved now.").empty());
    EXPECT_TRUE(read_as("data hasn't finished the cutover; we're on it", "data").empty());  // the writer's own team
    EXPECT_TRUE(read_as("Met with the data team to plan Q3").empty());                      // named for context
}

TEST(DepDetectionFamilies, ExcerptQuotesTheWordsRead) {
    static const config cfg = must_load(word_teams);
    auto found = find_blocker_mentions("We can't ship the report until data delivers the schema.", cfg, "alpha");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].excerpt, "until data delivers the schema");
}

TEST(DepDetectionFamilies, LongAnswersStayLinear) {
    std::string text;
    for (int i = 0; i < 20000; ++i) text += "until the need the platform's data team ";
    text += "blocked by infra.";
    EXPECT_EQ(read_as(text), names{"platform"});  // "platform's" is not a blocker without a verb
}

// The teams' names are indexed once per config; a copied config and a team
// added later are read again (config::teams_derived), so neither finds the
// teams of before nor misses the new one.
TEST(DepDetection, TheTeamIndexFollowsTheConfigsTeams) {
    config cfg = must_load(four_teams);
    EXPECT_EQ(find_blocker_mentions("blocked by platform", cfg, "alpha").size(), 1u);
    EXPECT_TRUE(find_blocker_mentions("blocked by payments", cfg, "alpha").empty());
    team_config payments = cfg.teams[1];
    payments.name = "payments";
    payments.channel = "#payments";
    cfg.teams.push_back(payments);
    auto found = find_blocker_mentions("blocked by payments", cfg, "alpha");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].team, "payments");

    config copy = cfg;
    cfg = must_load(four_teams);  // the first config's teams are gone
    found = find_blocker_mentions("blocked by payments", copy, "alpha");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].team, "payments");
    EXPECT_TRUE(find_blocker_mentions("blocked by payments", cfg, "alpha").empty());
}
