// A month of virtual time on the console, the real binary killed (SIGKILL)
// right after a scheduled job commits, at every job boundary, and restarted
// on the same database: every prompt, reminder, digest, check-in, roll-up,
// EOWD and learning post goes out exactly once, the same as in a month with
// no restarts at all.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/support/console_runner.hpp"

using namespace ritualbot::testing;

namespace {

// Two teams in zones whose daylight-saving time ends on different Sundays of
// the month (Europe on 25 October, the US on 1 November), a manager of both
// (roll-ups), a member in a third zone, a key-result owner (check-ins), EOWD
// and learning sessions, a blocking dependency coming due.
const char* const config = R"(
[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob"]

[[teams]]
name = "beta"
channel = "#beta"
timezone = "America/Los_Angeles"
managers = ["maria"]
members = ["carol", "dave"]

[[members]]
id = "bob"
timezone = "America/New_York"

[org]
admins = ["maria"]

[rituals.eowd]
enabled = true

[rituals.learning]
enabled = true
)";

const char* const start = "2026-10-19T00:00:00Z";
const char* const setup = R"(@maria #alpha> /okr add "Make search fast"
@maria #alpha> /okr kr add O1 "p95 latency under 200 ms" target=200 baseline=800 unit=ms owner=@alice
@maria #alpha> /dep add beta -> alpha "auth API" type=blocking due=2026-10-30
:quit
)";
const char* const month = ":time 2026-11-16T00:00:00Z\n";

// Every message as "where\ntext", sorted: the month's output as a multiset.
std::vector<std::string> messages(const std::string& out) {
    std::vector<std::string> all;
    std::istringstream in(out);
    std::string line, where, text;
    auto finish = [&] {
        if (!where.empty()) all.push_back(where + "\n" + text);
        text.clear();
    };
    while (std::getline(in, line)) {
        if (line.rfind(">>> ", 0) == 0) {
            finish();
            where = line.substr(4);
            continue;
        }
        text += line + "\n";
    }
    finish();
    std::sort(all.begin(), all.end());
    return all;
}

std::size_t count_with(const std::vector<std::string>& all, const std::string& where, const std::string& needle) {
    return std::count_if(all.begin(), all.end(), [&](const std::string& m) {
        return m.rfind(where + "\n", 0) == 0 && m.find(needle) != std::string::npos;
    });
}

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string args(const std::string& dir, const std::string& script) {
    return "run --config " + shell_quote(dir + "/config.toml") + " --database " + shell_quote(dir + "/bot.db") +
           " --virtual-clock " + start + " < " + shell_quote(dir + "/" + script);
}

std::string prepare(const std::string& name) {
    auto dir = temp_dir(name);
    write(dir + "/config.toml", config);
    write(dir + "/setup.txt", setup);
    write(dir + "/month.txt", month);
    auto r = run_command(args(dir, "setup.txt"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return dir;
}

}  // namespace

TEST(SchedulerCrash, AMonthKilledAfterEveryJobSendsEverythingExactlyOnce) {
    // The month without a restart: what must come out.
    auto calm_dir = prepare("scheduler_crash_calm");
    auto calm = run_command(args(calm_dir, "month.txt"));
    ASSERT_EQ(calm.exit_code, 0) << calm.err;
    const auto expected = messages(calm.out);

    // Sanity of the baseline itself: four weeks of rituals.
    EXPECT_EQ(count_with(expected, "@alice", "Weekly update \u2014 alpha"), 4u);
    EXPECT_EQ(count_with(expected, "@bob", "Reminder: your weekly update"), 4u);
    EXPECT_EQ(count_with(expected, "#alpha", "Participation"), 4u);
    EXPECT_EQ(count_with(expected, "#beta", "Participation"), 4u);
    EXPECT_EQ(count_with(expected, "@alice", "OKR check-in"), 4u);
    EXPECT_GE(count_with(expected, "@maria", "alpha"), 4u);
    EXPECT_GE(expected.size(), 60u);

    // The same month, killed right after the 1st, 2nd or 3rd job commit of
    // each run (before its messages are delivered), restarted each time.
    auto dir = prepare("scheduler_crash_killed");
    std::string out;
    int kills = 0, runs = 0;
    for (; runs < 1000; ++runs) {
        const int n = 1 + runs % 3;
        auto r = run_binary(RITUALBOT_FAULTY_BINARY, "RITUALBOT_FAULT=job.after_commit:" + std::to_string(n),
                            args(dir, "month.txt"));
        out += r.out;
        if (r.exit_code == 0) break;
        ASSERT_EQ(r.exit_code, 128 + 9) << "not killed but failed:\n" << r.err;
        ++kills;
    }
    const auto got = messages(out);
    std::map<std::string, int> diff;
    for (const auto& m : expected) --diff[m];
    for (const auto& m : got) ++diff[m];
    int repeated = 0, lost = 0;
    for (const auto& [m, d] : diff) {
        if (d > 0) repeated += d;
        if (d < 0) lost -= d;
        EXPECT_EQ(d, 0) << (d > 0 ? "repeated " : "lost ") << std::abs(d) << "x:\n" << m;
    }
    std::printf("scheduler crash test: %zu messages expected, %d runs, %d kills, %d repeated, %d lost\n",
                expected.size(), runs + 1, kills, repeated, lost);
    EXPECT_GT(kills, 40);
}
