// The dashboard in a real headless browser (Debian's chromium): the real bot
// on the console with a virtual clock hands out a link on /ritual dashboard,
// and each page is loaded with a valid, an altered, an expired and a revoked
// link. The DOM is checked and screenshots are kept under
// <build>/tests/artifacts/dashboard/.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support/console_process.hpp"
#include "tests/support/console_runner.hpp"
#include "tests/support/http_probe.hpp"

using namespace ritualbot::testing;

namespace {

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

std::string chromium_binary() {
    for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
        if (std::filesystem::exists(p)) return p;
    return "";
}

std::filesystem::path artifacts() {
    auto dir = std::filesystem::path(RITUALBOT_BINARY).parent_path() / "tests" / "artifacts" / "dashboard";
    std::filesystem::create_directories(dir);
    return dir;
}

// Chromium refuses to run as root with its sandbox on; the test runs it with
// --no-sandbox (it only loads pages of the bot on 127.0.0.1).
std::string chromium(const std::string& profile, const std::string& what, const std::string& url) {
    const std::string cmd = "timeout 60 " + shell_quote(chromium_binary()) +
                            " --headless --no-sandbox --disable-gpu --no-first-run --no-default-browser-check "
                            "--disable-extensions --disable-dev-shm-usage --hide-scrollbars --window-size=1100,1500 "
                            "--user-data-dir=" + shell_quote(profile) + " " + what + " " + shell_quote(url) +
                            " 2>/dev/null";
    std::string out;
    if (FILE* f = popen(cmd.c_str(), "r")) {
        char buf[4096];
        for (std::size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
        pclose(f);
    }
    return out;
}

struct DashboardBrowser : ::testing::Test {
    std::string dir = temp_dir("dashboard_browser");
    unsigned short port = free_port();

    std::string dom(const std::string& url) { return chromium(dir + "/profile", "--dump-dom", url); }
    void screenshot(const std::string& url, const std::string& name) {
        const auto path = artifacts() / (name + ".png");
        std::filesystem::remove(path);
        chromium(dir + "/profile", "--screenshot=" + shell_quote(path.string()), url);
        EXPECT_TRUE(std::filesystem::exists(path) && std::filesystem::file_size(path) > 1000) << path;
    }
    std::string config() const {
        return "[web]\nlisten = \"127.0.0.1:" + std::to_string(port) +
               "\"\n\n[org]\nadmins = [\"olga\"]\n\n[rituals.eowd]\nenabled = true\n\n"
               "[[teams]]\nname = \"alpha\"\nchannel = \"#alpha\"\ntimezone = \"Europe/Berlin\"\n"
               "managers = [\"maria\"]\nmembers = [\"alice\", \"bob\", \"carol\"]\n\n"
               "[[teams]]\nname = \"beta\"\nchannel = \"#beta\"\ntimezone = \"Europe/Berlin\"\n"
               "managers = [\"boris\"]\nmembers = [\"dave\"]\n";
    }
};

// The link in a /ritual dashboard answer, "" when there is none.
std::string link_in(const std::string& out) {
    std::smatch m;
    static const std::regex link(R"(http://127\.0\.0\.1:\d+/d/[A-Za-z0-9_.-]+/)");
    return std::regex_search(out, m, link) ? m.str() : "";
}

}  // namespace

TEST_F(DashboardBrowser, ALinkShowsTheHoldersTeamsAndNothingElseOnceItIsBad) {
    if (chromium_binary().empty())
        GTEST_SKIP() << "chromium is not installed (apt-get install chromium; deploy/test.sh installs it)";
    {
        std::ofstream(dir + "/config.toml") << config();
    }
    console_process bot({RITUALBOT_BINARY, "run", "--config", dir + "/config.toml", "--database", dir + "/bot.db",
                         "--virtual-clock", "2026-11-16T08:00:00Z"},
                        dir + "/stderr.log");
    bot.send(":time 2026-11-19T14:00:00Z");
    bot.send("@alice> Ship the parser");
    bot.send("@alice> Parser merged, 2x faster");
    bot.send("@alice> <script>alert(1)</script> & \"the vendor\"");
    bot.send("@alice> Release 1.2");
    bot.send("@carol> /update skip on holiday");
    bot.send("@maria #alpha> /okr add \"Accelerate delivery\"");
    bot.send("@maria #alpha> /okr kr add O1 \"Reduce CI build time\" target=5 baseline=12 unit=min owner=@alice");
    bot.send("@alice> /okr set KR1.1 10");
    bot.send("@boris> /dep add beta -> alpha \"Auth v2\" type=blocking due=2026-11-25");
    bot.send("@alice #alpha> /eowd signup Parser demo -- naming ideas");
    bot.send("@alice> /ritual dashboard");
    const std::string link = link_in(bot.read_until("/d/", std::chrono::seconds(20)));
    ASSERT_FALSE(link.empty()) << bot.log();
    EXPECT_FALSE(has(bot.log(), link.substr(link.find("/d/")))) << "the token is in the log";

    // Valid: alice's teams, not beta; the chart with its text alternative; her risk escaped.
    const std::string overview = dom(link);
    ASSERT_TRUE(has(overview, "Dashboard")) << overview;
    EXPECT_TRUE(has(overview, ">alpha<")) << overview;
    EXPECT_FALSE(has(overview, "beta")) << overview;
    const std::string team = dom(link + "team/alpha");
    EXPECT_TRUE(has(team, "<h1>alpha</h1>")) << team;
    EXPECT_TRUE(has(team, "role=\"img\"")) << team;
    EXPECT_TRUE(has(team, "<title id=\"participation-chart-title\">Participation, last 12 weeks</title>")) << team;
    EXPECT_TRUE(has(team, "2026-W47: 1 of 3")) << team;  // the chart's <desc>
    EXPECT_TRUE(has(team, "<td>2026-W47</td><td>1</td><td>1</td><td>3</td>")) << team;
    EXPECT_TRUE(has(team, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"the vendor\"")) << team;
    EXPECT_FALSE(has(team, "<script")) << team;
    EXPECT_TRUE(has(team, "carol (on holiday)")) << team;
    EXPECT_TRUE(has(team, "participation.csv")) << team;
    EXPECT_TRUE(has(dom(link + "team/beta"), "Not found"));
    screenshot(link + "team/alpha", "team_valid");
    const std::string okr = dom(link + "okr/alpha");
    EXPECT_TRUE(has(okr, "<title id=\"chart-KR1.1-title\">KR1.1 Reduce CI build time</title>")) << okr;
    EXPECT_TRUE(has(okr, "<polyline class=\"series\" data-series=\"expected\"")) << okr;
    EXPECT_TRUE(has(okr, "<td>KR1.1</td><td>2026-W47</td><td>10</td>")) << okr;
    screenshot(link + "okr/alpha", "okr_valid");
    const std::string deps = dom(link + "deps");
    EXPECT_TRUE(has(deps, "<title id=\"dependency-graph-title\">Who blocks whom</title>")) << deps;
    EXPECT_TRUE(has(deps, "class=\"edge\"")) << deps;
    EXPECT_TRUE(has(deps, "<td>beta</td><td>alpha</td><td>Auth v2</td>")) << deps;
    screenshot(link + "deps", "deps_valid");
    const std::string eowd = dom(link + "eowd/alpha");
    EXPECT_TRUE(has(eowd, "<td>alice</td><td>Parser demo</td>")) << eowd;
    screenshot(link + "eowd/alpha", "eowd_valid");

    // The stylesheet loaded under the CSP: the header's background is the stylesheet's.
    const std::string path = link.substr(link.find("/d/"));
    const std::string raw = http_get(port, path + "team/alpha");
    EXPECT_TRUE(has(raw, "HTTP/1.1 200")) << raw.substr(0, 300);
    EXPECT_TRUE(has(raw, "Content-Security-Policy: default-src 'none'; style-src 'self'")) << raw.substr(0, 600);
    EXPECT_TRUE(has(raw, "frame-ancestors 'none'"));
    EXPECT_TRUE(has(raw, "Cache-Control: no-store"));
    EXPECT_TRUE(has(raw, "Referrer-Policy: no-referrer"));
    EXPECT_TRUE(has(raw, "X-Content-Type-Options: nosniff"));
    const std::string csv = http_get(port, path + "team/alpha/participation.csv");
    EXPECT_TRUE(has(csv, "text/csv")) << csv;
    EXPECT_TRUE(has(csv, "week,answered,skipped,members\r\n")) << csv;
    EXPECT_TRUE(has(csv, "2026-W47,1,1,3\r\n")) << csv;
    const std::string raw_json = http_get(port, path + "export.json");
    ASSERT_TRUE(has(raw_json, "\r\n\r\n")) << raw_json;
    const auto json = nlohmann::json::parse(raw_json.substr(raw_json.find("\r\n\r\n") + 4));
    EXPECT_TRUE(json["teams"].contains("alpha")) << json.dump();
    EXPECT_FALSE(json["teams"].contains("beta")) << json.dump();  // not hers
    EXPECT_EQ(json["teams"]["alpha"]["okrs"]["key-results"][0]["current"], "10");
    EXPECT_EQ(json["dependencies"]["register"][0]["what"], "Auth v2");  // /dep list is for everyone

    // Altered (one character of the signature) and no link at all: the plain page, nothing of alpha.
    std::string altered = link;
    char& c = altered[altered.size() - 3];
    c = c == 'A' ? 'B' : 'A';
    for (const std::string& bad :
         {altered, altered + "team/alpha", altered + "okr/alpha", altered + "eowd/alpha", altered + "deps",
          altered + "export.json", altered + "team/alpha/participation.csv",
          "http://127.0.0.1:" + std::to_string(port) + "/d/", "http://127.0.0.1:" + std::to_string(port) + "/"}) {
        const std::string page = dom(bad);
        EXPECT_TRUE(has(page, "This link is not valid")) << bad << "\n" << page;
        EXPECT_FALSE(has(page, "alpha")) << bad;
        EXPECT_FALSE(has(page, "alice")) << bad;
    }
    screenshot(altered + "team/alpha", "team_altered");

    // An org admin sees every team.
    bot.send("@olga> /ritual dashboard");
    const std::string admin = link_in(bot.read_until("/d/", std::chrono::seconds(20)));
    ASSERT_FALSE(admin.empty());
    const std::string all = dom(admin);
    EXPECT_TRUE(has(all, ">alpha<") && has(all, ">beta<")) << all;

    // Revoked by the operator while the bot runs: maria's link stops working, alice's does not.
    bot.send("@maria> /ritual dashboard");
    const std::string maria = link_in(bot.read_until("/d/", std::chrono::seconds(20)));
    ASSERT_FALSE(maria.empty());
    EXPECT_TRUE(has(dom(maria), ">alpha<"));
    auto revoked = run_command("dashboard revoke maria --config " + shell_quote(dir + "/config.toml") +
                               " --database " + shell_quote(dir + "/bot.db"));
    EXPECT_EQ(revoked.exit_code, 0) << revoked.err;
    EXPECT_TRUE(has(dom(maria), "This link is not valid"));
    EXPECT_TRUE(has(dom(link), ">alpha<"));

    // Expired: 24 hours after it was made (the virtual clock moves; a command waits for it).
    bot.send(":time 2026-11-20T14:00:00Z");
    bot.send("@alice> /ritual help");
    ASSERT_TRUE(has(bot.read_until("/ritual help", std::chrono::seconds(20)), "/ritual help"));
    for (const char* page : {"", "team/alpha", "okr/alpha", "eowd/alpha", "deps", "export.json"}) {
        const std::string expired = dom(link + page);
        EXPECT_TRUE(has(expired, "This link is not valid")) << page << "\n" << expired;
        EXPECT_FALSE(has(expired, "alice")) << expired;
        EXPECT_FALSE(has(expired, "Auth v2")) << expired;
    }
    screenshot(link + "team/alpha", "team_expired");

    EXPECT_EQ(bot.finish(std::chrono::seconds(10)), 0) << bot.log();
}
