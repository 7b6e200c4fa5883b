// End-to-end through the real binary: a team's own questions in the prompt,
// the answers, one answer fixed, the history and the digest; then the
// questions change and the bot restarts in the middle of an update.
#include <gtest/gtest.h>

#include "tests/support/console_runner.hpp"

using namespace ritualbot::testing;

namespace {

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

const char* const config = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob"]

[teams.weekly_update]
questions = [
  { label = "Shipped", text = "What did you ship this week?" },
  { label = "Blockers", text = "What slows you down?" },
  { label = "Next week", text = "What comes next week?" },
]
risk = "Blockers"
focus = "Next week"
)";

}  // namespace

TEST(QuestionsConsoleEndToEnd, TheTeamsQuestionsInThePromptTheEditAndTheDigest) {
    auto dir = temp_dir("e2e_questions");
    const std::string script = R"(:time 2026-11-19T14:00:00Z
@alice> The parser
@alice> Review queue is long
@alice> The lexer
@alice> /update edit 2
@alice> Waiting on security review
@alice> /update history 2
@bob> /update
@bob> Docs
:time 2026-11-20T15:00:00Z
)";
    auto run = run_console(dir, config, script, "--virtual-clock 2026-11-16T08:00:00Z");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    auto alice = run.messages_to("@alice");
    ASSERT_GE(alice.size(), 7u) << run.out;
    EXPECT_TRUE(has(alice[0], "Question 1 of 3: What did you ship this week?")) << alice[0];
    EXPECT_TRUE(has(alice[1], "Question 2 of 3: What slows you down?")) << alice[1];
    EXPECT_TRUE(has(alice[3], "is complete")) << alice[3];
    EXPECT_TRUE(has(alice[4], "Changing your answer to question 2 (Blockers)")) << alice[4];
    EXPECT_TRUE(has(alice[5], "stays as it was")) << alice[5];
    EXPECT_TRUE(has(alice[6], "2026-W47: answered")) << alice[6];

    auto channel = run.messages_to("#alpha");
    ASSERT_EQ(channel.size(), 1u) << run.out;
    const std::string& digest = channel[0];
    EXPECT_TRUE(has(digest, "Shipped: The parser")) << digest;
    EXPECT_TRUE(has(digest, "Blockers: Waiting on security review")) << digest;
    EXPECT_FALSE(has(digest, "Review queue is long")) << digest;
    EXPECT_TRUE(has(digest, "Next week: The lexer")) << digest;
    EXPECT_TRUE(has(digest, "Missing: bob (1 of 3 answered).")) << digest;
    EXPECT_TRUE(has(digest, "alice: Waiting on security review")) << digest;  // risks raised
    EXPECT_TRUE(has(digest, "alice: The lexer")) << digest;                   // next week's focus
}

TEST(QuestionsConsoleEndToEnd, QuestionsChangedWhileAnUpdateIsOpen) {
    auto dir = temp_dir("e2e_questions_change");
    auto before = run_console(dir, config,
                              ":time 2026-11-19T14:00:00Z\n@alice> The parser\n",  // "Blockers" is pending
                              "--virtual-clock 2026-11-16T08:00:00Z");
    ASSERT_EQ(before.exit_code, 0) << before.err;
    std::string changed = config;
    changed.replace(changed.find("  { label = \"Blockers\""), std::string("  { label = \"Blockers\", text = \"What slows you down?\" },\n").size(),
                    "  { label = \"Help\", text = \"Where could you use help?\" },\n");
    changed.replace(changed.find("risk = \"Blockers\""), std::string("risk = \"Blockers\"").size(), "risk = \"Help\"");
    auto after = run_console(dir, changed,
                             "@alice> Nothing slows me\n@alice> Reviews\n@alice> The lexer\n"
                             ":time 2026-11-20T15:00:00Z\n",
                             "--virtual-clock 2026-11-19T15:00:00Z");
    ASSERT_EQ(after.exit_code, 0) << after.err;
    auto alice = after.messages_to("@alice");
    ASSERT_GE(alice.size(), 3u) << after.out;
    EXPECT_TRUE(has(alice[0], "this answer was not saved")) << alice[0];
    EXPECT_TRUE(has(alice[0], "Question 2 of 3: Where could you use help?")) << alice[0];
    EXPECT_TRUE(has(alice[2], "is complete")) << alice[2];
    auto channel = after.messages_to("#alpha");
    ASSERT_EQ(channel.size(), 1u) << after.out;
    EXPECT_TRUE(has(channel[0], "Shipped: The parser")) << channel[0];
    EXPECT_TRUE(has(channel[0], "Help: Reviews")) << channel[0];
    EXPECT_FALSE(has(channel[0], "Nothing slows me")) << channel[0];
}
