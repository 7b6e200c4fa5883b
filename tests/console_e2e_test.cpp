// End-to-end: scripts piped through the real ritualbot binary on the console.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

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

[[members]]
id = "bob"
timezone = "America/New_York"
)";

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

// Monday 16 November 2026 to Friday 20 November: prompts Thursday 15:00 local
// (14:00Z in Berlin, 20:00Z for bob in New York), digest Friday 16:00 Berlin (15:00Z).
const char* const first_half = R"(# Thursday: alice answers everything, carol is away
:time 2026-11-19T14:00:00Z
@alice> Ship the parser
@alice> Parser merged, 2x faster
@alice> Blocked by platform on the auth change
@alice> Release 1.2
@carol> /update skip on holiday
)";

const char* const second_half = R"(:time 2026-11-19T20:00:00Z
@bob> Write the docs
@maria #alpha> /update missing
:time 2026-11-20T15:00:00Z
@bob> Docs are late
)";

}  // namespace

TEST(ConsoleEndToEnd, AScriptedWeekPrintsPromptsAnswersAndTheDigest) {
    auto dir = temp_dir("e2e_week");
    auto run = run_console(dir, config, std::string(first_half) + second_half,
                           "--virtual-clock 2026-11-16T08:00:00Z");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    auto alice = run.messages_to("@alice");
    ASSERT_GE(alice.size(), 5u) << run.out;
    EXPECT_TRUE(has(alice[0], "Weekly update \u2014 alpha, week 2026-W47"));
    EXPECT_TRUE(has(alice[0], "Question 1 of 4: What goal did I work toward?"));
    EXPECT_TRUE(has(alice[4], "is complete"));

    auto channel = run.messages_to("#alpha");
    ASSERT_EQ(channel.size(), 1u) << run.out;
    const std::string& digest = channel[0];
    EXPECT_TRUE(has(digest, "Participation: 1 of 3 answered.")) << digest;
    EXPECT_TRUE(has(digest, "Skipped: carol (on holiday).")) << digest;
    EXPECT_TRUE(has(digest, "Missing: bob (1 of 4 answered).")) << digest;
    EXPECT_TRUE(has(digest, "alice: Blocked by platform on the auth change")) << digest;
    EXPECT_TRUE(has(digest, "alice: Release 1.2")) << digest;

    auto maria = run.messages_to("@maria");
    ASSERT_EQ(maria.size(), 1u);
    EXPECT_TRUE(has(maria[0], "1 of 3 not done yet")) << maria[0];

    auto bob = run.messages_to("@bob");
    ASSERT_FALSE(bob.empty());
    EXPECT_TRUE(has(bob.front(), "Weekly update"));
    EXPECT_TRUE(has(bob.back(), "closed when its digest was posted, so this answer to question 2 was not saved")) << bob.back();
    // Standard output is only messages: every non-message line belongs to one.
    EXPECT_EQ(run.out.rfind(">>> ", 0), 0u);
    EXPECT_FALSE(has(run.out, "info")) << "logs leaked to stdout";
}

TEST(ConsoleEndToEnd, RestartInTheMiddleOfTheWeekLosesAndRepeatsNothing) {
    auto dir = temp_dir("e2e_restart");
    auto whole = run_console(temp_dir("e2e_restart_whole"), config, std::string(first_half) + second_half,
                             "--virtual-clock 2026-11-16T08:00:00Z");
    ASSERT_EQ(whole.exit_code, 0) << whole.err;

    auto before = run_console(dir, config, first_half, "--virtual-clock 2026-11-16T08:00:00Z");
    ASSERT_EQ(before.exit_code, 0) << before.err;
    // The bot stops at end of input and starts again on the same database.
    auto after = run_console(dir, config, second_half, "--virtual-clock 2026-11-19T14:00:00Z");
    ASSERT_EQ(after.exit_code, 0) << after.err;

    EXPECT_EQ(before.out + after.out, whole.out);
    EXPECT_EQ(after.count("Weekly update \u2014 alpha, week 2026-W47"), 1u);  // only bob's; alice's ran before
    EXPECT_EQ(after.messages_to("#alpha").size(), 1u);
}

TEST(ConsoleEndToEnd, ADigestMissedWhileDownIsPostedOnStart) {
    auto dir = temp_dir("e2e_catch_up");
    auto before = run_console(dir, config, first_half, "--virtual-clock 2026-11-16T08:00:00Z");
    ASSERT_EQ(before.exit_code, 0);
    // Down from Thursday afternoon until Saturday morning.
    auto after = run_console(dir, config, "", "--virtual-clock 2026-11-21T09:00:00Z");
    ASSERT_EQ(after.exit_code, 0) << after.err;
    auto channel = after.messages_to("#alpha");
    ASSERT_EQ(channel.size(), 1u) << after.out;
    EXPECT_TRUE(has(channel[0], "Participation: 1 of 3 answered."));
    EXPECT_TRUE(has(after.err, "missed weekly_prompt for bob")) << after.err;  // its window closed at the digest
}

TEST(ConsoleEndToEnd, NoInputStartsAndExitsCleanly) {
    auto dir = temp_dir("e2e_empty");
    auto run = run_console(dir, config, "");
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.out, "");
    auto devnull = run_command("run --config " + dir + "/config.toml --database " + dir + "/bot.db < /dev/null");
    EXPECT_EQ(devnull.exit_code, 0) << devnull.err;
}

TEST(ConsoleEndToEnd, EveryMessageOfABigStepIsPrinted) {
    // 1100 prompts fall due at one :time, more than two outbox batches.
    std::string toml = "[[teams]]\nname = \"big\"\nchannel = \"#big\"\ntimezone = \"UTC\"\nmembers = [";
    for (int i = 0; i < 1100; ++i) toml += (i ? ", \"m" : "\"m") + std::to_string(i) + "\"";
    toml += "]\n";
    auto dir = temp_dir("e2e_big_step");
    auto run = run_console(dir, toml, ":time 2026-11-19T15:00:00Z\n", "--virtual-clock 2026-11-16T08:00:00Z");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.count(">>> @m"), 1100u);
}

TEST(ConsoleEndToEnd, QuitStopsReadingAndBadLinesOnlyLog) {
    auto dir = temp_dir("e2e_quit");
    auto run = run_console(dir, config,
                           "hello there\n@> nobody\n@alice #al pha> x\n:frob\n:time yesterday\n"
                           "@alice> /ritual help\n:quit\n@alice> /ritual help\n",
                           "--virtual-clock 2026-11-16T08:00:00Z");
    EXPECT_EQ(run.exit_code, 0);
    EXPECT_EQ(run.messages_to("@alice").size(), 1u) << run.out;
    EXPECT_TRUE(has(run.err, "console line 1: expected '@user> text'")) << run.err;
    EXPECT_TRUE(has(run.err, "unknown console command ':frob'"));
    EXPECT_TRUE(has(run.err, "':time' needs an instant"));
}

TEST(ConsoleEndToEnd, TimeNeedsTheVirtualClockAndNeverGoesBack) {
    auto dir = temp_dir("e2e_time");
    auto real = run_console(dir, config, ":time 2026-11-19T14:00:00Z\n");
    EXPECT_EQ(real.exit_code, 0);
    EXPECT_TRUE(has(real.err, "only with run --virtual-clock")) << real.err;
    auto back = run_console(temp_dir("e2e_time_back"), config, ":time 2026-11-01T00:00:00Z\n",
                            "--virtual-clock 2026-11-16T08:00:00Z");
    EXPECT_TRUE(has(back.err, "the clock does not go back")) << back.err;
}

TEST(ConsoleEndToEnd, ChannelCommandRunsInThatTeamAndAnswersPrivately) {
    auto dir = temp_dir("e2e_channel");
    auto run = run_console(dir, config, "@maria #alpha> /ritual digest preview\n", "--virtual-clock 2026-11-17T08:00:00Z");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    auto maria = run.messages_to("@maria");
    ASSERT_EQ(maria.size(), 1u) << run.out;
    EXPECT_TRUE(has(maria[0], "alpha \u2014 weekly digest, week 2026-W47"));
    EXPECT_TRUE(run.messages_to("#alpha").empty());
}

TEST(ConsoleEndToEnd, SigtermShutsDownCleanly) {
    auto dir = temp_dir("e2e_sigterm");
    run_console(dir, config, "");
    // Standard input stays open; SIGTERM must end the bot with 0. The loop
    // waits for the start-up log line, not for a schedule.
    // A fifo whose write end the shell holds keeps standard input open.
    const std::string script = "sh -c 'rm -f " + dir + "/in; mkfifo " + dir + "/in; \"" + std::string(RITUALBOT_BINARY) +
                               "\" run --config " + dir + "/config.toml --database " + dir + "/bot.db < " + dir +
                               "/in 2>" + dir + "/err.txt & pid=$!; exec 3>" + dir + "/in; "
                               "for i in $(seq 1 200); do grep -q starting " + dir + "/err.txt 2>/dev/null && break; sleep 0.05; done; "
                               "kill -TERM $pid; wait $pid; echo $? > " + dir + "/rc.txt'";
    ASSERT_EQ(std::system(script.c_str()), 0);
    std::ifstream rc(dir + "/rc.txt");
    int code = -1;
    rc >> code;
    EXPECT_EQ(code, 0);
}

TEST(CommandLineInterface, CheckConfigSummarisesOrListsEveryError) {
    auto ok = run_command("check-config " + std::string(RITUALBOT_SOURCE_DIR) + "/config/example.toml");
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_TRUE(has(ok.out, ": OK: 2 teams (alpha, beta)")) << ok.out;
    EXPECT_EQ(std::count(ok.out.begin(), ok.out.end(), '\n'), 1);

    auto dir = temp_dir("cli_bad_config");
    {
        std::ofstream f(dir + "/bad.toml");
        f << "[storage]\npaht = \"x\"\n[[teams]]\nname = \"a\"\nchannel = \"#a\"\ntimezone = \"Nowhere/City\"\nmembers = [\"x\"]\n";
    }
    auto bad = run_command("check-config " + dir + "/bad.toml");
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_TRUE(has(bad.err, "bad.toml:2: unknown key 'paht'")) << bad.err;
    EXPECT_TRUE(has(bad.err, "bad.toml:6: team 'a': unknown time zone 'Nowhere/City'")) << bad.err;
    auto run_bad = run_command("run --config " + dir + "/bad.toml < /dev/null");
    EXPECT_EQ(run_bad.exit_code, 1);
}

TEST(CommandLineInterface, HelpAndVersion) {
    auto help = run_command("--help");
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_TRUE(has(help.out, "run")) << help.out;
    EXPECT_TRUE(has(help.out, "check-config"));
    auto version = run_command("--version");
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_TRUE(has(version.out, "ritualbot 0.")) << version.out;
    auto bad_clock = run_command("run --config " + std::string(RITUALBOT_SOURCE_DIR) +
                                 "/config/example.toml --virtual-clock soon < /dev/null");
    EXPECT_EQ(bad_clock.exit_code, 1);
    EXPECT_TRUE(has(bad_clock.err, "--virtual-clock needs an ISO-8601 instant"));
}

TEST(ConsoleEndToEnd, ALineOverTheConsolesLimitIsReportedWithItsRealLength) {
    auto dir = temp_dir("e2e_long_line");
    auto run = run_console(dir, config, "@alice> " + std::string(100000, 'x') + "\n@alice> /update\n",
                           "--virtual-clock 2026-11-19T14:30:00Z");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    auto alice = run.messages_to("@alice");
    ASSERT_GE(alice.size(), 2u) << run.out;
    EXPECT_TRUE(has(alice[0], "That message is 100000 characters long; I read at most 40000.")) << alice[0];
}

TEST(ConsoleEndToEnd, OutboxListAndRetryShowAndRequeueSetAsideMessages) {
    auto dir = temp_dir("e2e_outbox_cli");
    auto first = run_console(dir, config, ":quit\n");
    ASSERT_EQ(first.exit_code, 0) << first.err;
    const std::string db_args = "--config '" + dir + "/config.toml' --database '" + dir + "/bot.db'";
    auto none = run_command("outbox list " + db_args);
    EXPECT_EQ(none.exit_code, 0) << none.err;
    EXPECT_TRUE(has(none.out, "No message is set aside.")) << none.out;
    auto bad = run_command("outbox retry seven " + db_args);
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_TRUE(has(bad.err, "takes a message id from `outbox list`, or `all`")) << bad.err;
    auto missing = run_command("outbox retry 42 " + db_args);
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_TRUE(has(missing.err, "message 42 is not set aside")) << missing.err;
    auto all = run_command("outbox retry all " + db_args);
    EXPECT_EQ(all.exit_code, 0) << all.err;
    EXPECT_TRUE(has(all.out, "0 messages are back in line")) << all.out;
}
