// The dashboard's pages in-process, on data made through the chat commands:
// what each page shows, to whom, its CSV and JSON, and the one page every
// bad link gets. (tests/dashboard_browser_test.cpp loads them in a browser.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bot/web/dashboard.hpp"
#include "bot/web/dashboard_access.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;

namespace {

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

const char* const teams = R"(
[web]
listen = "127.0.0.1:8080"
public_url = "https://ritual.example.org"

[org]
admins = ["olga"]

[rituals.eowd]
enabled = true
slots = 1

[[teams]]
name = "alpha"
channel = "#alpha"
timezone = "Europe/Berlin"
managers = ["maria"]
members = ["alice", "bob"]

[[teams]]
name = "platform"
channel = "#platform"
timezone = "Europe/Berlin"
managers = ["pat"]
members = ["paul"]
)";

struct dashboard_bot : test_bot {
    dashboard_bot() : test_bot(teams, "2026-11-16T08:00:00Z"), access(*db, *cfg.web), web(cfg, *db, clk, access) {}
    // The path of `user`'s link, "/d/<token>/".
    std::string root(const std::string& user) {
        const std::string link = access.link_for(user, clk.now());
        return link.substr(link.find("/d/"));
    }
    bool key_from_database = ::unsetenv("RITUALBOT_WEB_SECRET") == 0;  // before access reads it
    web::dashboard_access access;
    web::dashboard web;
};

}  // namespace

TEST(DashboardPages, OkrsDependenciesAndTheEowdAsTheChatCommandsLeftThem) {
    dashboard_bot bot;
    bot.say("maria", "/okr add \"Accelerate <delivery>\"", "#alpha");
    bot.say("maria", "/okr kr add O1 \"Reduce CI build time\" target=5 baseline=12 unit=min owner=@alice", "#alpha");
    bot.say("pat", "/dep add platform -> alpha \"Auth v2\" type=blocking due=2026-11-25 owner=@pat");
    bot.advance_to("2026-11-17T10:00:00Z");
    bot.say("alice", "/okr set KR1.1 10");
    bot.say("alice", "/eowd signup Parser demo -- naming ideas");
    bot.say("bob", "/eowd signup <b>Bold</b> idea");
    bot.advance_to("2026-11-24T10:00:00Z");
    bot.say("alice", "/okr set KR1.1 9 slower than hoped");
    bot.sent();

    const std::string alice = bot.root("alice");
    auto okr = bot.web.page(alice + "okr/alpha");
    ASSERT_EQ(okr.status, 200) << okr.body;
    EXPECT_TRUE(has(okr.body, "Accelerate &lt;delivery&gt;")) << okr.body;
    EXPECT_TRUE(has(okr.body, "<title id=\"chart-KR1.1-title\">KR1.1 Reduce CI build time</title>")) << okr.body;
    EXPECT_TRUE(has(okr.body, "2026-W47 10; 2026-W48 9")) << okr.body;  // the chart's <desc>
    // 12 to 5 min over Q4: at 9 on Tue 24 Nov (43% of the way, 59% expected) it is at risk.
    EXPECT_TRUE(has(okr.body, "<td>KR1.1</td><td>2026-W48</td><td>9</td><td>7.891</td><td>at risk</td>")) << okr.body;
    EXPECT_TRUE(has(okr.body, "2026-W48: 9 min, at risk</title>")) << okr.body;
    EXPECT_TRUE(has(okr.body, "slower than hoped")) << okr.body;
    EXPECT_TRUE(has(okr.body, "key-results.csv")) << okr.body;

    auto deps = bot.web.page(alice + "deps");
    ASSERT_EQ(deps.status, 200) << deps.body;
    EXPECT_TRUE(has(deps.body, "aria-labelledby=\"dependency-graph-title dependency-graph-desc\"")) << deps.body;
    EXPECT_TRUE(has(deps.body, "platform blocks alpha (#1, risk high)")) << deps.body;
    EXPECT_TRUE(has(deps.body, "<td>1</td><td>platform</td><td>alpha</td><td>Auth v2</td><td>blocking</td>")) << deps.body;
    EXPECT_TRUE(has(deps.body, "stroke=\"#c62828\"")) << deps.body;

    // Bob signed up after alice's one slot: he waits. The past week is on the page
    // once its EOWD is over (Fri 20 Nov), and the coming one is empty.
    auto eowd = bot.web.page(alice + "eowd/alpha");
    ASSERT_EQ(eowd.status, 200) << eowd.body;
    EXPECT_TRUE(has(eowd.body, "<td>2026-W47</td><td>alice</td><td>Parser demo</td>")) << eowd.body;
    EXPECT_FALSE(has(eowd.body, "<b>Bold")) << eowd.body;
    EXPECT_TRUE(has(eowd.body, "Week 2026-W48")) << eowd.body;

    auto csv = bot.web.page(alice + "okr/alpha/checkins.csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
    EXPECT_TRUE(has(csv.body, "key result,at,value,previous,who,comment\r\n")) << csv.body;
    EXPECT_TRUE(has(csv.body, "KR1.1,2026-11-24T10:00:00Z,9,10,alice,slower than hoped\r\n")) << csv.body;

    auto json = nlohmann::json::parse(bot.web.page(alice + "export.json").body);
    EXPECT_EQ(json["user"], "alice");
    EXPECT_TRUE(json["teams"].contains("alpha"));
    EXPECT_FALSE(json["teams"].contains("platform"));  // not her team
    EXPECT_EQ(json["teams"]["alpha"]["okrs"]["checkins"].size(), 2u);
    EXPECT_EQ(json["dependencies"]["register"][0]["what"], "Auth v2");  // everyone reads the register in chat
}

TEST(DashboardPages, ATeamNotOneOfYoursIsNotFoundAndABadLinkIsNotValid) {
    dashboard_bot bot;
    const std::string alice = bot.root("alice");
    EXPECT_EQ(bot.web.page(alice + "team/alpha").status, 200);
    for (const char* other : {"team/platform", "okr/platform", "eowd/platform", "team/platform/updates.csv",
                              "team/alpha/nonexistent.csv", "team/", "nothing", "team/%zz"}) {
        auto p = bot.web.page(alice + other);
        EXPECT_EQ(p.status, 404) << other;
        EXPECT_TRUE(has(p.body, "Not found")) << other;
        EXPECT_FALSE(has(p.body, "platform")) << other << p.body;
    }
    EXPECT_EQ(bot.web.page(bot.root("olga") + "team/platform").status, 200);
    for (const std::string& bad : {std::string("/"), std::string("/d/"), std::string("/d/x/"), alice.substr(0, 20) + "/",
                                   std::string("/healthz"), alice.substr(0, alice.size() - 3) + "zz/team/alpha"}) {
        auto p = bot.web.page(bad);
        EXPECT_EQ(p.status, 404) << bad;
        EXPECT_TRUE(has(p.body, "This link is not valid")) << bad;
        EXPECT_FALSE(has(p.body, "alpha")) << bad;
        bool csp = false;
        for (const auto& [k, v] : p.headers) csp |= k == "Content-Security-Policy" && has(v, "default-src 'none'");
        EXPECT_TRUE(csp) << bad;
    }
    // The stylesheet sits where the pages' relative links point.
    auto team = bot.web.page(alice + "team/alpha");
    EXPECT_TRUE(has(team.body, "href=\"../../../static/dashboard.css\"")) << team.body;
    EXPECT_TRUE(has(bot.web.page(alice).body, "href=\"./../../static/dashboard.css\""));
    auto slash = bot.web.page(alice + "team/alpha/");  // a '/' more: one level deeper
    EXPECT_EQ(slash.status, 200);
    EXPECT_TRUE(has(slash.body, "href=\"../../../../static/dashboard.css\"")) << slash.body;
    EXPECT_TRUE(has(slash.body, "href=\"../../team/alpha/participation.csv\"")) << slash.body;
    EXPECT_EQ(bot.web.page("/static/dashboard.css").content_type, "text/css; charset=utf-8");
    // Without the '/' after the token, a redirect to it (the links are relative).
    auto bare = bot.web.page(alice.substr(0, alice.size() - 1));
    EXPECT_EQ(bare.status, 302);
}

TEST(DashboardPages, RitualDashboardAnswersPrivatelyWithAPersonalLinkOrSaysWhyNot) {
    dashboard_bot bot;
    bot.dispatch->set_dashboard_link([&](const std::string& user) { return bot.access.link_for(user, bot.clk.now()); });
    bot.say("alice", "/ritual dashboard", "#alpha");
    auto to_alice = bot.sent_to("@alice");
    ASSERT_EQ(to_alice.size(), 1u);
    EXPECT_EQ(to_alice[0].to.kind, destination_kind::private_reply);
    EXPECT_TRUE(has(to_alice[0].text, "Your dashboard: https://ritual.example.org/d/")) << to_alice[0].text;
    const std::string link = to_alice[0].text.substr(to_alice[0].text.find("/d/"));
    const std::string path = link.substr(0, link.find_first_of(" \n"));
    EXPECT_EQ(bot.web.page(path).status, 200) << path;
    EXPECT_TRUE(bot.sent_to("#alpha").empty());

    bot.say("stranger", "/ritual dashboard");
    EXPECT_TRUE(has(bot.last_text_to("@stranger"), "not in any ritualbot team")) << bot.last_text_to("@stranger");
    test_bot off(std::string(teams).substr(std::string(teams).find("[org]")), "2026-11-16T08:00:00Z");
    off.say("alice", "/ritual dashboard");
    EXPECT_TRUE(has(off.last_text_to("@alice"), "not enabled")) << off.last_text_to("@alice");
}
