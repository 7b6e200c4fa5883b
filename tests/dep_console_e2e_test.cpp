// Three simulated weeks, four teams, through the real binary on the console.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/console_runner.hpp"

using namespace ritualbot::testing;

namespace {

const char* const config_toml = R"(
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

const char* const script = R"(# Week 47: the register starts
@maria> /dep add platform -> alpha "Auth v2" type=blocking due=2026-11-27 owner=@pat
@mike #beta> /dep add infra -> beta "Event bus" type=blocking due=2026-12-18
@mike> /dep add ml -> beta "Ranking model" type=non-blocking
:time 2026-11-19T14:00:00Z
@alice> Shipped the login page
@alice> Customers can sign in
@alice> We are blocked on our own review
@alice> Checkout
@bob> Payments spike
@bob> Nothing shipped yet
@bob> Blocked by the ML team on the ranking model
@bob> Payments
@carol> /update
@carol> Event bus consumer
@carol> Prototype runs
@carol> none
@carol> Event bus
:time 2026-11-20T16:00:00Z
# Week 48: due soon, the hidden dependency registered, a bottleneck, a repeated blocker
:time 2026-11-23T10:00:00Z
@maria> /dep add ml -> alpha "Blocked by the ML team on the ranking model" type=blocking
@mona> /dep add platform -> ml "GPU nodes" type=blocking due=2026-12-04
@paula> /dep status 1 in-progress
:time 2026-11-26T14:00:00Z
@alice> Checkout flow
@alice> Cart works
@alice> none
@alice> Payments
@bob> Payments
@bob> Sandbox payments work
@bob> still waiting on ml for the ranking model
@bob> Payments live
:time 2026-11-27T16:00:00Z
# Week 49: past due and stuck, then resolved
:time 2026-11-30T10:00:00Z
@paula> /dep status 1 available
@alice> /dep risks
@alice> /dep graph
:time 2026-12-04T16:00:00Z
)";

std::size_t with(const std::vector<std::string>& msgs, const std::string& needle) {
    return static_cast<std::size_t>(std::count_if(msgs.begin(), msgs.end(), [&](const std::string& m) {
        return m.find(needle) != std::string::npos;
    }));
}

}  // namespace

TEST(DepConsoleE2E, ThreeWeeksFourTeams) {
    auto run = run_console(temp_dir("dep_three_weeks"), config_toml, script, "--virtual-clock 2026-11-16T08:00:00Z");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto alpha = run.messages_to("#alpha");
    const auto platform = run.messages_to("#platform");
    const auto maria = run.messages_to("@maria");
    const auto mona = run.messages_to("@mona");
    const auto paula = run.messages_to("@paula");
    const auto olga = run.messages_to("@olga");

    // Week 47: registrations, and the hidden dependency bob reported (alice's own review is not one).
    EXPECT_EQ(with(maria, "Registered #1: platform"), 1u);
    EXPECT_EQ(with(run.messages_to("@mike"), "Registered #2: platform \u2500\u2500blocks\u2500\u2500\u25B6 beta"), 1u);
    EXPECT_EQ(with(maria, "Possible hidden dependency"), 1u) << run.out;
    EXPECT_EQ(with(maria, "/dep add ml -> alpha \"Blocked by the ML team on the ranking model\" type=blocking"), 1u);
    EXPECT_EQ(with(alpha, "alpha \u2014 weekly digest, week 2026-W47"), 1u);
    EXPECT_EQ(with(alpha, "New this week:\n  \u2022 platform \u2500\u2500blocks\u2500\u2500\u25B6 alpha (Auth v2, due Nov 27) HIGH"), 1u)
        << run.out;

    // Due soon (Nov 27): raised on Fri Nov 20 (7 days before) and again once in week 48,
    // each time to both channels and the owner.
    EXPECT_EQ(with(alpha, "Dependency due soon: #1 platform"), 2u);
    EXPECT_EQ(with(platform, "Dependency due soon: #1 platform"), 2u);
    EXPECT_EQ(with(run.messages_to("@pat"), "Dependency due soon: #1"), 2u);
    EXPECT_EQ(run.count("Dependency due soon: #1"), 6u);
    // A third open blocking dependency on platform: the admin hears of it.
    EXPECT_EQ(with(olga, "Bottleneck: 3 open blocking dependencies wait on platform"), 2u);  // weeks 48 and 49
    // bob names ml again: registered now, so not hidden, but stuck two weeks running.
    EXPECT_EQ(with(maria, "Possible hidden dependency"), 1u);
    EXPECT_EQ(with(maria, "alpha has reported ml as a blocker two weeks running (2026-W47 and 2026-W48)"), 1u);
    EXPECT_EQ(with(mona, "two weeks running"), 1u);
    EXPECT_EQ(with(paula, "two weeks running"), 0u);

    // Auth v2, in progress, passes its date (Fri Nov 27): past due and an escalation to the
    // managers of both teams, once on Sat Nov 28 (week 48) and once in week 49.
    EXPECT_EQ(with(alpha, "Dependency past due: #1 platform"), 2u);
    EXPECT_EQ(with(maria, "Escalation: #1 platform"), 2u);
    EXPECT_EQ(with(paula, "Escalation: #1 platform"), 2u);
    EXPECT_EQ(with(run.messages_to("@mike"), "Escalation"), 0u);
    // Resolved on Monday: the Friday digest says so, and risks no longer list it.
    EXPECT_EQ(with(alpha, "Resolved this week:\n  \u2022 platform \u2500\u2500blocks\u2500\u2500\u25B6 alpha (Auth v2, due Nov 27) [#1, available]"), 1u)
        << run.out;
    std::string risks, graph;
    for (const auto& m : run.messages_to("@alice")) {
        if (m.find("Dependency risks") != std::string::npos) risks = m;
        if (m.find("Who blocks whom") != std::string::npos) graph = m;
    }
    EXPECT_NE(risks.find("Dependency risks \u2014 all teams"), std::string::npos) << run.out;
    EXPECT_EQ(risks.find("Auth v2"), std::string::npos) << risks;
    EXPECT_LT(risks.find("HIGH"), risks.find("LOW")) << risks;
    EXPECT_NE(graph.find("ml \u2500\u2500blocks\u2500\u2500\u25B6 alpha (Blocked by the ML team on the ranking model) HIGH"),
              std::string::npos)
        << graph;
    EXPECT_EQ(run.count("Sorry, something went wrong"), 0u);
}
