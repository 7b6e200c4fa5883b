#include <gtest/gtest.h>

#include "tests/support/console_runner.hpp"

using namespace ritualbot::testing;

namespace {

const char* const config_text = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob"]
)";

// A manager builds two objectives on Monday 16 Nov 2026; the owners answer
// three Wednesday check-ins (18 Nov, 25 Nov, 2 Dec); then status and the
// 4 Dec digest. Q4 has 92 days: on 2 Dec 62 are over (67%), on 4 Dec 64 (70%).
const char* const script = R"(# week 1: the manager sets the OKRs up
@maria #alpha> /okr add "Accelerate delivery"
@maria #alpha> /okr kr add O1 "Reduce CI build time" target=5 baseline=12 unit=min owner=@alice
@maria #alpha> /okr kr add O1 "Deploys per week" target=10 baseline=2 owner=@bob
@maria #alpha> /okr add "Improve reliability"
@maria #alpha> /okr kr add O2 "Uptime" target=99.95 baseline=99.5 unit=% owner=@alice
@maria #alpha> /okr kr add O2 "Launch a status page" target=1 owner=@bob
:time 2026-11-18T10:00:00Z
@alice> 10 first cache layer
@alice> 99.6
@bob> 3
@bob> skip
# week 2
:time 2026-11-25T10:00:00Z
@alice> 9
@alice> banana
@alice> 99.7
@bob> same
@bob> skip
# week 3
:time 2026-12-02T10:00:00Z
@alice> 7
@alice> 99.75%
@bob> 4
@bob> skip
@maria> /okr status
@maria> /okr status at-risk
@bob> /okr history KR1.2
:time 2026-12-04T15:00:00Z
:quit
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

}  // namespace

TEST(OkrConsoleE2e, ThreeWeeksOfCheckinsShowInStatusAndDigest) {
    auto run = run_console(temp_dir("okr_three_weeks"), config_text, script, "--virtual-clock 2026-11-16T08:00:00Z");
    ASSERT_EQ(run.exit_code, 0) << run.err;

    auto alice = run.messages_to("@alice");
    int checkins = 0;
    for (const auto& m : alice) checkins += has(m, "OKR check-in");
    EXPECT_EQ(checkins, 3);
    bool hinted = false;
    for (const auto& m : alice) hinted |= has(m, "I'm waiting for the new value of KR2.1 Uptime");
    EXPECT_TRUE(hinted) << run.out;

    auto maria = run.messages_to("@maria");
    std::string status, at_risk;
    for (const auto& m : maria) {
        if (has(m, "OKRs \u2014 alpha, 2026-Q4")) status = m;
        if (has(m, "Key results at risk or off track")) at_risk = m;
    }
    ASSERT_FALSE(status.empty()) << run.out;
    // KR1.1 12 -> 7 of 12 -> 5: 71%, on track.
    EXPECT_TRUE(has(status, "KR1.1  Reduce CI build time  12 \u2192 7 \u2192 5 min")) << status;
    EXPECT_TRUE(has(status, "71%  67%       on track   @alice  today")) << status;
    // KR1.2 2 -> 4 of 2 -> 10: 25%, off track.
    EXPECT_TRUE(has(status, "25%  67%       off track  @bob    today")) << status;
    // KR2.1 99.5 -> 99.75 of 99.5 -> 99.95: 56%, 12 points behind: at risk.
    EXPECT_TRUE(has(status, "99.5 \u2192 99.75 \u2192 99.95%")) << status;
    EXPECT_TRUE(has(status, "56%  67%       at risk    @alice  today")) << status;
    // KR2.2 was skipped every week: never checked in since 16 Nov.
    EXPECT_TRUE(has(status, "0%   67%       off track  @bob    never")) << status;
    EXPECT_TRUE(has(status, "KR2.2 is binary (done or not)")) << status;
    EXPECT_TRUE(has(status, "KR2.2 has had no check-in for 14 days or more (set and forget).")) << status;
    EXPECT_FALSE(has(status, "KR1.2 has had no check-in")) << status;  // `same` counts as a check-in

    EXPECT_TRUE(has(at_risk, "alpha  KR1.2  Deploys per week")) << at_risk;
    EXPECT_TRUE(has(at_risk, "alpha  KR2.1  Uptime")) << at_risk;
    EXPECT_FALSE(has(at_risk, "Reduce CI")) << at_risk;

    auto bob = run.messages_to("@bob");
    std::string history;
    for (const auto& m : bob)
        if (has(m, "KR1.2 Deploys per week (alpha, 2026-Q4)")) history = m;
    EXPECT_TRUE(has(history, "Wed 02 Dec 11:00 CET: 4 (was 3) by @bob")) << history;
    EXPECT_TRUE(has(history, "Wed 25 Nov 11:00 CET: 3 (was 3) by @bob")) << history;
    EXPECT_TRUE(has(history, "Wed 18 Nov 11:00 CET: 3 (was 2) by @bob")) << history;

    auto channel = run.messages_to("#alpha");
    ASSERT_EQ(channel.size(), 3u) << run.out;  // the digests of W47, W48 and W49
    const std::string& digest = channel.back();
    EXPECT_TRUE(has(digest, "alpha \u2014 weekly digest, week 2026-W49")) << digest;
    EXPECT_TRUE(has(digest, "OKR snapshot \u2014 2026-Q4, expected progress 70%")) << digest;
    EXPECT_TRUE(has(digest, "KR1.1 Reduce CI build time: 12 \u2192 7 \u2192 5 min, 71% (expected 70%), on track, @alice")) << digest;
    EXPECT_TRUE(has(digest, "KR1.2 Deploys per week: 2 \u2192 4 \u2192 10, 25% (expected 70%), off track, @bob")) << digest;
    EXPECT_TRUE(has(digest, "KR2.1 Uptime: 99.5 \u2192 99.75 \u2192 99.95%, 56% (expected 70%), at risk, @alice")) << digest;
    EXPECT_TRUE(has(digest, "1 on track, 1 at risk, 2 off track, 0 done.")) << digest;
    EXPECT_TRUE(has(digest, "OKR warnings")) << digest;
    EXPECT_TRUE(has(digest, "KR2.2 is binary")) << digest;
    EXPECT_TRUE(has(digest, "KR2.2 has had no check-in for 14 days or more (set and forget).")) << digest;
    // The first digest, on 20 Nov, had nothing stale yet.
    EXPECT_FALSE(has(channel.front(), "set and forget")) << channel.front();
    EXPECT_TRUE(has(channel.front(), "OKR snapshot \u2014 2026-Q4")) << channel.front();
}

TEST(OkrConsoleE2e, ATeamWithoutOkrsIsWarnedInTheDigest) {
    auto run = run_console(temp_dir("okr_empty_period"), config_text, ":time 2026-11-20T15:00:00Z\n",
                           "--virtual-clock 2026-11-16T08:00:00Z");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    auto channel = run.messages_to("#alpha");
    ASSERT_EQ(channel.size(), 1u) << run.out;
    EXPECT_TRUE(has(channel[0], "No OKRs for 2026-Q4")) << channel[0];
}
