// How long the scheduler's calendar takes at org scale: the bot's event loop
// asks it when the next job is due (one minute ahead) each time it wakes, at
// least once a minute, and nothing else runs meanwhile; after a downtime it
// walks the last eight days once.
//   ./build/bench/ritualbot_scheduler_bench [--members 20000] [--teams 200] [--runs 5]
// Builds a config of `members` people in `teams` teams (round robin), each
// with a zone as Slack's users.list would have taught it (40 real zones), one
// in fifty with their own prompt time (/ritual settings), then times every
// job kind's occurrences over a minute ahead of a Monday 08:59:30 UTC (a
// minute in which no prompt is due: the common wake) and over eight days,
// printing the best of `runs` for each; then walks a whole week one minute at
// a time, as the bot's loop does, and prints the total, mean and worst wake.
#include <date/date.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bot/clock.hpp"
#include "config/config.hpp"
#include "handlers/jobs.hpp"

using namespace ritualbot;
using steady = std::chrono::steady_clock;

namespace {

const char* const zones[] = {
    "UTC", "Europe/Berlin", "Europe/London", "Europe/Paris", "Europe/Madrid", "Europe/Warsaw", "Europe/Kiev",
    "Europe/Helsinki", "Europe/Lisbon", "Europe/Dublin", "America/New_York", "America/Chicago", "America/Denver",
    "America/Los_Angeles", "America/Toronto", "America/Sao_Paulo", "America/Mexico_City", "America/Bogota",
    "America/Argentina/Buenos_Aires", "America/Halifax", "Asia/Tokyo", "Asia/Kolkata", "Asia/Shanghai",
    "Asia/Singapore", "Asia/Dubai", "Asia/Seoul", "Asia/Jakarta", "Asia/Manila", "Asia/Kathmandu", "Asia/Tehran",
    "Australia/Sydney", "Australia/Perth", "Australia/Adelaide", "Pacific/Auckland", "Pacific/Honolulu",
    "Africa/Lagos", "Africa/Nairobi", "Africa/Johannesburg", "Africa/Cairo", "Atlantic/Reykjavik",
};

std::string member_id(int i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U%08d", i);
    return buf;
}

config make_config(int members, int teams) {
    std::string toml;
    for (int t = 0; t < teams; ++t)
        toml += "[[teams]]\nname = \"team" + std::to_string(t) + "\"\nchannel = \"#team" + std::to_string(t) +
                "\"\ntimezone = \"" + zones[t % 40] + "\"\nmanagers = [\"M" + std::to_string(t) + "\"]\nmembers = [\"" + member_id(t) + "\"]\n";
    auto loaded = load_config_string(toml, "bench");
    if (!loaded.cfg) {
        for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", format_config_error("bench", e).c_str());
        std::exit(1);
    }
    config cfg = std::move(*loaded.cfg);
    for (int m = 0; m < members; ++m) {
        const std::string id = member_id(m);
        if (m >= teams) cfg.teams[static_cast<std::size_t>(m % teams)].members.push_back(id);
        cfg.learned_zones.insert_or_assign(id, interned_zone(zones[(m * 7) % 40]));
        if (m % 50 == 0) cfg.personal[id].prompt = weekly_time{1, 9 + m % 3, 30};
    }
    cfg.members_changed();
    return cfg;
}

double best_ms(int runs, const config& cfg, const job_definition& job, instant from, instant to, std::size_t& found) {
    double best = 1e18;
    for (int r = 0; r < runs; ++r) {
        std::vector<job_occurrence> out;
        const auto t0 = steady::now();
        job.occurrences(cfg, from, to, out);
        best = std::min(best, std::chrono::duration<double, std::milli>(steady::now() - t0).count());
        found = out.size();
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    int members = 20000, teams = 200, runs = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--members")) members = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--teams")) teams = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
        else {
            std::fprintf(stderr, "usage: %s [--members N] [--teams N] [--runs N]\n", argv[0]);
            return 2;
        }
    }
    if (teams < 1 || members < teams || runs < 1) {
        std::fprintf(stderr, "--teams and --runs must be at least 1, --members at least --teams\n");
        return 2;
    }
    const config cfg = make_config(members, teams);
    // Monday 2026-12-07 08:59:30 UTC.
    const instant wake = date::sys_days{date::year{2026} / 12 / 7} + std::chrono::hours(8) +
                         std::chrono::minutes(59) + std::chrono::seconds(30);
    std::printf("%d members in %d teams, best of %d\n", members, teams, runs);
    std::printf("%-20s %14s %12s %14s %12s\n", "job", "minute (ms)", "found", "8 days (ms)", "found");
    double minute_total = 0, days_total = 0;
    for (const job_definition& job : job_table()) {
        std::size_t in_minute = 0, in_days = 0;
        const double m = best_ms(runs, cfg, job, wake, wake + std::chrono::minutes(1), in_minute);
        const double d = best_ms(std::min(runs, 2), cfg, job, wake - std::chrono::hours(24 * 8), wake, in_days);
        minute_total += m;
        days_total += d;
        std::printf("%-20.*s %14.2f %12zu %14.2f %12zu\n", static_cast<int>(job.kind.size()), job.kind.data(), m,
                    in_minute, d, in_days);
    }
    std::printf("%-20s %14.2f %12s %14.2f\n", "all", minute_total, "", days_total);

    // A week of wakes, one a minute from Monday 00:00 UTC, every job kind:
    // what the event loop spends on the calendar over a week.
    const instant monday = date::sys_days{date::year{2026} / 12 / 7};
    double week_total = 0, worst = 0;
    std::size_t found = 0;
    for (int minute = 0; minute < 7 * 24 * 60; ++minute) {
        const instant from = monday + std::chrono::minutes(minute);
        std::vector<job_occurrence> out;
        const auto t0 = steady::now();
        for (const job_definition& job : job_table()) job.occurrences(cfg, from, from + std::chrono::minutes(1), out);
        const double ms = std::chrono::duration<double, std::milli>(steady::now() - t0).count();
        week_total += ms;
        worst = std::max(worst, ms);
        found += out.size();
    }
    std::printf("a week of one-minute wakes: %.0f ms in all, %.3f ms a wake on average, %.2f ms at most; "
                "%zu occurrences\n",
                week_total, week_total / (7 * 24 * 60), worst, found);
}
