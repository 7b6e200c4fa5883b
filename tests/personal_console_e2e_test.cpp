// End-to-end through the real binary on the console, with a virtual clock and
// a restart: time off, a moved prompt and a snooze.
#include <gtest/gtest.h>

#include "tests/support/console_runner.hpp"

using namespace ritualbot::testing;

namespace {

const char* const config = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob", "carol"]
prompt_days = ["Wed", "Thu", "Fri"]
prompt_window = "09:00-18:00"
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

std::size_t count(const std::vector<std::string>& msgs, const std::string& needle) {
    std::size_t n = 0;
    for (const auto& m : msgs) n += has(m, needle) ? 1 : 0;
    return n;
}

const std::string prompt = "Weekly update \u2014 alpha";
const std::string back = "Back to your weekly update";

// Monday 16 Nov 2026. The team's prompt is Thu 15:00 Berlin (14:00Z), the
// digest Fri 16:00 Berlin (15:00Z). carol is away until Friday; bob moves
// his prompt to Friday 10:00 after refusing Monday; alice puts hers off 1h.
const char* const week = R"(@carol> /update away 2026-11-20 conference
@bob> /ritual settings prompt Mon 10:00
@bob> /ritual settings prompt Fri 10:00
@bob> /ritual settings
:time 2026-11-19T14:00:00Z
@alice> /update later 1h
:time 2026-11-19T14:59:00Z
@alice> /ritual settings
:time 2026-11-19T15:00:00Z
:time 2026-11-20T08:59:00Z
@bob> /ritual schedule
:time 2026-11-20T09:00:00Z
@maria> /update missing
:time 2026-11-20T15:00:00Z
)";

// After a restart: the next week, carol is back and bob keeps his Friday.
const char* const next_week = R"(:time 2026-11-26T14:00:00Z
:time 2026-11-27T09:00:00Z
)";

}  // namespace

TEST(PersonalConsoleEndToEnd, AwayMovedPromptAndSnoozeThroughTheRealBinary) {
    auto dir = temp_dir("e2e_personal");
    auto run = run_console(dir, config, week, "--virtual-clock 2026-11-16T08:00:00Z");
    ASSERT_EQ(run.exit_code, 0) << run.err;

    // carol: only the answer to her command; no prompt, no reminder.
    auto carol = run.messages_to("@carol");
    ASSERT_EQ(carol.size(), 1u) << run.out;
    EXPECT_TRUE(has(carol[0], "You are away until 2026-11-20 (inclusive): conference")) << carol[0];

    // bob: refused Monday with the range, then Friday 10:00; prompted once, on Friday.
    auto bob = run.messages_to("@bob");
    ASSERT_GE(bob.size(), 5u) << run.out;
    EXPECT_TRUE(has(bob[0], "alpha allows prompts on Wed, Thu, Fri 09:00-18:00")) << bob[0];
    EXPECT_TRUE(has(bob[1], "Your weekly-update prompt is now Fri 10:00 Europe/Berlin")) << bob[1];
    EXPECT_TRUE(has(bob[2], "Weekly-update prompt: Fri 10:00 your time (your own")) << bob[2];
    EXPECT_TRUE(has(bob[3], "Next weekly-update prompt: Fri 20 Nov 10:00 CET")) << bob[3];
    EXPECT_EQ(count(bob, prompt), 1u) << run.out;
    EXPECT_TRUE(has(bob[4], prompt)) << bob[4];  // at 09:00Z: after his 08:59 question, before maria's at 09:00

    // alice: the prompt, the snooze's answer, then the prompt again once, an hour later.
    auto alice = run.messages_to("@alice");
    ASSERT_GE(alice.size(), 4u) << run.out;
    EXPECT_EQ(count(alice, prompt), 1u);
    EXPECT_EQ(count(alice, back), 1u) << run.out;
    EXPECT_TRUE(has(alice[1], "OK, I will ask again Thu 19 Nov 16:00 CET (in 1h)")) << alice[1];
    EXPECT_TRUE(has(alice[2], "Your settings")) << alice[2];  // 14:59: not yet
    EXPECT_TRUE(has(alice[3], back)) << alice[3];

    // /update missing and the digest: carol is away, not missing.
    auto to_maria = run.messages_to("@maria");
    ASSERT_EQ(to_maria.size(), 1u);
    EXPECT_TRUE(has(to_maria[0], "2 of 2 not done yet")) << to_maria[0];
    EXPECT_TRUE(has(to_maria[0], "Away: carol")) << to_maria[0];
    auto digest = run.messages_to("#alpha");
    ASSERT_EQ(digest.size(), 1u) << run.out;
    EXPECT_TRUE(has(digest[0], "Away: carol (away until 2026-11-20 (inclusive): conference).")) << digest[0];
    EXPECT_TRUE(has(digest[0], "Missing: alice, bob.")) << digest[0];

    // Restarted on the same database: the settings and the time off's end hold.
    auto after = run_console(dir, config, next_week, "--virtual-clock 2026-11-21T08:00:00Z");
    ASSERT_EQ(after.exit_code, 0) << after.err;
    EXPECT_EQ(count(after.messages_to("@carol"), prompt), 1u) << after.out;  // back: Thursday's prompt
    EXPECT_EQ(count(after.messages_to("@alice"), prompt), 1u);
    auto bob_next = after.messages_to("@bob");
    ASSERT_EQ(count(bob_next, prompt), 1u) << after.out;
    EXPECT_TRUE(has(bob_next[0], "week 2026-W48"));
    // bob's came on Friday, after Thursday's prompts to the others.
    EXPECT_GT(after.out.find(">>> @bob"), after.out.find(">>> @carol"));
}
