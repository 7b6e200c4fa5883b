// Drives the real ritualbot binary through the fake Slack over loopback:
// N slash commands, then N direct-message answers, with at most W envelopes
// unacknowledged at a time (the fake sends the next one from its own thread
// as each ack arrives, so envelopes reach the bot one by one, as from Slack). Reports envelopes per second, ack latency
// (p50/p99, measured by the fake from its send to the ack's arrival) and the
// bot's peak resident set size (VmHWM of its own image, read before it is
// stopped) and CPU time (getrusage of the child).
//
//   build/bench/ritualbot_slack_bench --binary build/ritualbot --n 2000 --window 16
//     [--members M] [--teams T] [--slash "/ritual help"] [--dms N] [--risk "blocked by team1"] [--settle S]
//     [--tls 1] [--known-users 1]
//
// --members defaults to N/4 and --teams to one per 10 members; --slash sends
// that one command N times (default: each member's first is /update, then
// /update show and /ritual help by turns); --dms defaults to N. Each member
// answers the four questions in turn; --risk is the answer to the third, the
// risk question (default "blocked by nobody", which names no team).
// --settle waits S seconds after the first envelope is acknowledged, so the
// bot's start-up work (users.list, conversations.members) is done before the
// phases are timed (default 0: they overlap it). --tls 1 serves wss:// and
// https:// as Slack does, with a CA made at run time that the bot trusts
// through $SSL_CERT_FILE (one certificate, so no bundle is read).
// --known-users 1 starts the bot as on any day after its first: every member
// already in its database (table slack_users), users.list last read two days
// ago, so it loads them all and reads users.list again behind the socket
// (default 0: a first start, every user learned from users.list pages).
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ssl/context.hpp>

#include "storage/slack_user_store.hpp"
#include "storage/store.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/test_certificates.hpp"

using namespace std::chrono_literals;
using ritualbot::testing::fake_slack;
using ritualbot::testing::fake_slack_options;
using steady = std::chrono::steady_clock;

namespace {

std::string member(int i) {
    char b[16];
    std::snprintf(b, sizeof b, "U%07d", i);
    return b;
}

double ms(steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// A process's peak resident set in KiB (VmHWM in /proc/PID/status), 0 if unknown.
long vm_hwm_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
}

struct phase_result {
    int envelopes = 0;
    steady::time_point started;
    double seconds = 0;
    std::vector<double> latencies_ms;
};

// Sends `count` envelopes made by `make(i)` (built before the clock starts),
// keeping at most `window` unacked: the fake sends the next one from its own
// thread as each ack arrives, so this thread only waits.
template <class Make>
phase_result run_phase(fake_slack& slack, int count, int window, Make make) {
    phase_result r;
    std::vector<nlohmann::json> envelopes;
    std::vector<std::string> ids;
    envelopes.reserve(count);
    ids.reserve(count);
    for (int i = 0; i < count; ++i) {
        envelopes.push_back(make(i));
        ids.push_back(envelopes.back()["envelope_id"].get<std::string>());
    }
    const std::size_t acked_before = slack.ack_count();
    slack.feed(std::move(envelopes), window);
    const auto t0 = r.started = steady::now();
    while (slack.ack_count() - acked_before < static_cast<std::size_t>(count)) {
        std::this_thread::sleep_for(1ms);
        if (steady::now() - t0 > 300s) {
            std::cerr << "timed out with " << slack.ack_count() - acked_before << " of " << count << " acked\n";
            std::exit(1);
        }
    }
    r.seconds = std::chrono::duration<double>(steady::now() - t0).count();
    r.envelopes = count;
    for (const auto& id : ids)
        if (auto a = slack.ack_of(id)) r.latencies_ms.push_back(ms(a->latency));
    return r;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    std::size_t i = static_cast<std::size_t>(p / 100.0 * (v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
    std::string binary = "build/ritualbot";
    int n = 2000, window = 16, members = 0, teams = 0, dm_count = -1;
    std::string slash_text;
    std::string risk_text = "blocked by nobody";
    double settle_seconds = 0;
    bool tls = false;
    bool known_users = false;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        if (k == "--binary") binary = argv[i + 1];
        else if (k == "--n") n = std::atoi(argv[i + 1]);
        else if (k == "--window") window = std::atoi(argv[i + 1]);
        else if (k == "--members") members = std::atoi(argv[i + 1]);
        else if (k == "--teams") teams = std::atoi(argv[i + 1]);
        else if (k == "--slash") slash_text = argv[i + 1];
        else if (k == "--dms") dm_count = std::atoi(argv[i + 1]);
        else if (k == "--risk") risk_text = argv[i + 1];
        else if (k == "--settle") settle_seconds = std::atof(argv[i + 1]);
        else if (k == "--tls") tls = std::atoi(argv[i + 1]) != 0;
        else if (k == "--known-users") known_users = std::atoi(argv[i + 1]) != 0;
        else {
            std::cerr << "unknown option " << k << "\n";
            return 1;
        }
    }
    if (members <= 0) members = std::max(1, n / 4);
    if (teams <= 0) teams = std::max(1, members / 10);
    if (dm_count < 0) dm_count = n;

    fake_slack_options fo;
    fo.redeliver_after = 60s;  // no redelivery noise in the figures
    fo.enforce_tiers = false;  // the bot's own throughput; Slack's tiers would cap conversations.open at 50/min
    fo.keep_ack_frames = false;  // the fake reads each ack's envelope id without parsing the answer
    boost::asio::ssl::context server_tls(boost::asio::ssl::context::tls_server);
    std::string ca_pem;
    if (tls) {
        const ritualbot::testing::test_pki& pki = ritualbot::testing::shared_test_pki();
        server_tls.use_certificate_chain(boost::asio::buffer(pki.server_cert_pem));
        server_tls.use_private_key(boost::asio::buffer(pki.server_key_pem), boost::asio::ssl::context::pem);
        fo.tls = &server_tls;
        ca_pem = pki.ca_pem;
    }
    fake_slack slack(fo);
    const auto dir = std::filesystem::temp_directory_path() / ("ritualbot-slack-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const auto ca_file = dir / "ca.pem";
    if (tls) std::ofstream(ca_file) << ca_pem;
    {
        std::ofstream cfg(dir / "bench.toml");
        cfg << "[storage]\npath = \"" << (dir / "bench.db").string() << "\"\n";
        for (int t = 0; t < teams; ++t) {
            const std::string channel = "C" + std::to_string(1000000 + t);
            cfg << "\n[[teams]]\nname = \"team" << t << "\"\nplatform = \"slack\"\nchannel = \"" << channel
                << "\"\ntimezone = \"UTC\"\nmembers = [";
            std::vector<std::string> in_team;
            for (int m = t; m < members; m += teams) {
                cfg << (in_team.empty() ? "" : ", ") << '"' << member(m) << '"';
                in_team.push_back(member(m));
            }
            cfg << "]\n";
            in_team.push_back("UBOT");
            slack.set_channel_members(channel, in_team);
        }
        for (int m = 0; m < members; ++m) slack.add_user(member(m), "UTC");
    }
    if (known_users) {
        ritualbot::store db((dir / "bench.db").string());
        ritualbot::slack_user_store users(db);
        std::vector<ritualbot::slack_user_row> rows;
        for (int m = 0; m < members; ++m) rows.push_back({member(m), "UTC", false, false});
        const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        users.save(rows, now);
        users.set_listed_at(now - std::chrono::hours(48));
    }

    const auto started = steady::now();
    const pid_t child = fork();
    if (child == 0) {
        setenv("SLACK_APP_TOKEN", "xapp-1-bench", 1);
        setenv("SLACK_BOT_TOKEN", "xoxb-1-bench", 1);
        setenv("SLACK_API_BASE_URL", slack.api_base_url().c_str(), 1);
        if (tls) setenv("SSL_CERT_FILE", ca_file.c_str(), 1);
        // Standard input stays open (the console reads it) until we stop the bot.
        execl(binary.c_str(), binary.c_str(), "--log-level", "warn", "run", "--config",
              (dir / "bench.toml").c_str(), static_cast<char*>(nullptr));
        std::perror("exec");
        _exit(127);
    }
    if (!fake_slack::wait_until([&] { return slack.open_connections() > 0; }, 30s)) {
        std::cerr << "the bot did not connect\n";
        kill(child, SIGKILL);
        return 1;
    }
    // Start to first envelope handled: one /ritual help, sent as soon as the socket is open.
    const std::string probe = slack.send_slash(member(0), "D" + member(0), "/ritual", "help");
    if (!fake_slack::wait_until([&] { return slack.ack_of(probe).has_value(); }, 30s)) {
        std::cerr << "the first envelope was not acknowledged\n";
        kill(child, SIGKILL);
        return 1;
    }
    const double first_ms = ms(steady::now() - started);
    std::this_thread::sleep_for(std::chrono::duration<double>(settle_seconds));

    // Phase 1: N slash commands; each member's first one starts their update.
    auto slash = run_phase(slack, n, window, [&](int i) {
        const std::string user = member(i % members);
        if (!slash_text.empty()) {
            const auto space = slash_text.find(' ');
            return slack.slash_envelope(user, "D" + user, slash_text.substr(0, space),
                                        space == std::string::npos ? "" : slash_text.substr(space + 1));
        }
        if (i < members) return slack.slash_envelope(user, "D" + user, "/update", "");
        return slack.slash_envelope(user, "D" + user, i % 2 ? "/update" : "/ritual", i % 2 ? "show" : "help");
    });
    // Phase 2: N answers in DMs, four per member.
    const std::string answers[] = {"Ship the beta", "Login is faster", risk_text, "Billing next"};
    auto dms = run_phase(slack, dm_count, window, [&](int i) {
        return slack.dm_envelope(member(i % members), answers[(i / members) % 4]);
    });

    // Phase 3: the DM answers' replies, each posted by chat.postMessage after
    // its answer's commit (paced per channel, so they may trail the acks). The
    // phase ends when no post came for a second; the DM figure that counts
    // is the one to the last reply.
    double replies_seconds = 0;
    std::size_t replies = 0;
    if (dm_count > 0) {
        const std::size_t posted_before = slack.ok_calls("chat.postMessage");
        std::size_t posted = posted_before;
        auto last_post = steady::now();
        for (auto quiet_since = last_post; steady::now() - quiet_since < 1s;) {
            std::this_thread::sleep_for(5ms);
            if (const std::size_t now_posted = slack.ok_calls("chat.postMessage"); now_posted != posted) {
                posted = now_posted;
                last_post = quiet_since = steady::now();
            }
        }
        replies = posted;
        replies_seconds = std::chrono::duration<double>(last_post - dms.started).count();
    }

    // The bot's own peak: VmHWM of its image after exec. getrusage's ru_maxrss
    // would also count the pages of this process (the fake's 100,000 users)
    // that the child shared between fork and exec.
    const double peak_mib = vm_hwm_kib(child) / 1024.0;
    kill(child, SIGTERM);
    int status = 0;
    rusage usage{};
    wait4(child, &status, 0, &usage);
    std::filesystem::remove_all(dir);

    std::vector<double> all = slash.latencies_ms;
    all.insert(all.end(), dms.latencies_ms.begin(), dms.latencies_ms.end());
    const double seconds = slash.seconds + dms.seconds;
    std::printf("members %d, teams %d, window %d\n", members, teams, window);
    std::printf("slash commands: %d in %.2f s = %.0f/s, ack p50 %.2f ms p99 %.2f ms\n", slash.envelopes,
                slash.seconds, slash.envelopes / slash.seconds, percentile(slash.latencies_ms, 50),
                percentile(slash.latencies_ms, 99));
    std::printf("DM answers:     %d in %.2f s = %.0f/s, ack p50 %.2f ms p99 %.2f ms\n", dms.envelopes, dms.seconds,
                dms.envelopes / dms.seconds, percentile(dms.latencies_ms, 50), percentile(dms.latencies_ms, 99));
    if (dm_count > 0)
        std::printf("DM answers to their last reply posted: %d in %.2f s = %.0f/s (%zu replies posted in all)\n",
                    dms.envelopes, replies_seconds, dms.envelopes / replies_seconds, replies);
    std::printf("all envelopes:  %d in %.2f s = %.0f/s, ack p50 %.2f ms p99 %.2f ms\n", slash.envelopes + dms.envelopes,
                seconds, (slash.envelopes + dms.envelopes) / seconds, percentile(all, 50), percentile(all, 99));
    std::printf("start to first envelope acked: %.0f ms\n", first_ms);
    const double cpu = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
                       usage.ru_stime.tv_usec / 1e6;
    std::printf("bot CPU time:   %.2f s (user + system, start-up included) = %.0f us per envelope\n", cpu,
                1e6 * cpu / std::max(1, slash.envelopes + dms.envelopes));
    std::printf("bot peak RSS:   %.1f MiB (VmHWM before SIGTERM)\n", peak_mib);
    std::printf("messages posted: %zu\n", slack.ok_calls("chat.postMessage"));
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 2;
}
